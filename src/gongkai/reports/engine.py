"""The report engine: which units a report covers, when it is due, and its figures from the sources.

``build_figures`` is a pure function of the table data the sources return plus the report's
existing manual figures and adjustments; ``compute`` fetches the table data through the source
adapters. The engine is what both the workbench and the parallel generation task call.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from gongkai.core.messages import N_, join, message
from gongkai.core.models import PUBLIC_INSTITUTION_KINDS, Organisation, OrgKind

from . import sources
from . import tables as T


# ---------------------------------------------------------------------------------------------
# scope and deadlines
def report_units(unit: Organisation):
    """The units whose records a unit's report counts.

    A government's report rolls up the government itself and every unit below it in the org tree
    (its departments, and for a county or city its townships and their offices) — the "全县/全市"
    figures. A department's report counts the department and its own sub-offices. Public
    enterprises and institutions (schools, hospitals, utilities) are excluded: they disclose under
    their own rules (公共企事业单位信息公开规定), not under the 条例's annual report.
    """
    return (
        unit.descendants(include_self=True)
        .filter(is_active=True)
        .exclude(kind__in=[k.value for k in PUBLIC_INSTITUTION_KINDS])
    )


def legal_deadline(unit: Organisation, year: int) -> dt.date:
    """条例 art. 49: departments publish the previous year's report by 31 January; the
    government's disclosure office publishes the government's report by 31 March."""
    if unit.kind == OrgKind.GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


def reporting_units(root: Organisation):
    """Units that must each publish an annual report, under ``root`` (incl. itself)."""
    return (
        root.descendants(include_self=True)
        .filter(is_active=True, kind__in=[OrgKind.GOVERNMENT, OrgKind.DEPARTMENT])
        .order_by("path")
    )


# ---------------------------------------------------------------------------------------------
@dataclass
class TableData:
    """What the sources returned (``None`` = that source is not wired)."""

    t3: dict | None = None
    t4: dict | None = None
    normative: dict | None = None
    decisions: dict | None = None  # table 二 licence/penalty rows from the credit module (None: manual)
    errors: dict = field(default_factory=dict)


def fetch(units, year: int) -> TableData:
    from . import record_sets

    data = TableData()
    for attr, fn in (
        ("t3", sources.table3),
        ("t4", sources.table4),
        ("normative", sources.normative),
        ("decisions", sources.decisions),
    ):
        try:
            setattr(data, attr, fn(units, year))
        except sources.SourceUnavailable as exc:
            data.errors[attr] = f"未接入：{exc}"
    # the records behind each figure (ids), for "click a number → the records counted"
    if data.t3 is not None:
        record_sets.attach_ids(data.t3, record_sets.requests_table3_ids(units, year))
        _mark_traced(data.t3, exclude_derived="t3")
    if data.t4 is not None:
        ids4 = record_sets.requests_table4_ids(units, year)
        if ids4 is not None:
            record_sets.attach_ids(data.t4, {(T.T4_ROW, c): pks for c, pks in ids4.items()})
            _mark_traced(data.t4, exclude_derived="t4")
    if data.normative is not None:
        record_sets.attach_ids(data.normative, record_sets.normative_ids(units, year))
        _mark_traced(data.normative, exclude_derived="")
        url = _reverse("publications_wb:list")
        for r, doc_type in (("rules", "regulation"), ("normative", "normative")):
            for c in data.normative[r].values():
                c["url"] = c.get("url") or (f"{url}?doc_type={doc_type}" if url else "")
    if data.decisions is not None:
        _mark_traced(data.decisions, exclude_derived="")
        url = _reverse("credit_wb:index")
        for row, kind in (("licence", "licence"), ("penalty", "penalty")):
            for c in data.decisions.get(row, {}).values():
                c["url"] = c.get("url") or (f"{url}?kind={kind}" if url else "")
    return data


def _reverse(name: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _mark_traced(table: dict, exclude_derived: str) -> None:
    for r, cols in table.items():
        for c, cell in cols.items():
            if exclude_derived and T.is_derived(exclude_derived, r, c):
                continue
            cell["traced"] = True


def build_figures(data: TableData, *, previous: dict | None = None) -> dict:
    """Figures from table data, keeping manual figures and adjustments of ``previous`` figures."""
    figs = T.empty_figures()
    if data.t3 is not None:
        for r in T.T3_ROW_KEYS:
            for c in T.T3_COL_KEYS:
                figs["t3"][r][c] = copy.deepcopy(data.t3[r][c])
    else:
        for r, c in T.T3_CELLS:
            figs["t3"][r][c] = T.cell(None, src="unwired")
    if data.t4 is not None:
        for c in T.T4_COL_KEYS:
            figs["t4"][T.T4_ROW][c] = copy.deepcopy(data.t4[T.T4_ROW][c])
    else:
        for r, c in T.T4_CELLS:
            figs["t4"][r][c] = T.cell(None, src="unwired")
    for r in T.T2_LIBRARY_ROWS:
        for c in ("made", "repealed", "in_force"):
            figs["t2"][r][c] = (
                copy.deepcopy(data.normative[r][c]) if data.normative is not None else T.cell(None, src="unwired")
            )

    _apply_decisions(figs, data)
    if previous:
        _keep_previous(figs, previous)
    if data.t3 is not None:
        T.derive_t3_totals(figs["t3"])
    if data.t4 is not None:
        T.derive_t4_totals(figs["t4"][T.T4_ROW])
    return figs


def _keep_previous(figs: dict, previous: dict) -> None:
    # manual figures (table 二 licences, penalties, enforcement, fees) are kept as entered,
    # except the rows the credit module computes for units that use it
    for r in T.T2_MANUAL_ROWS:
        for c, old in previous.get("t2", {}).get(r, {}).items():
            if old.get("src") == "computed" or figs["t2"][r][c].get("src") == "computed":
                continue  # computed by the credit module (now, or when the draft was last refreshed)
            figs["t2"][r][c] = copy.deepcopy(old)
    # adjustments are kept; the newly computed value is recorded beside them
    for table in ("t2", "t3", "t4"):
        for r, cols in previous.get(table, {}).items():
            for c, old in cols.items():
                if old.get("src") == "adjusted" and r in figs[table] and c in figs[table][r]:
                    new = figs[table][r][c]
                    figs[table][r][c] = {
                        **new,
                        "v": old["v"],
                        "src": "adjusted",
                        "computed": new.get("v"),
                        "note": old.get("note", ""),
                    }


def _apply_decisions(figs: dict, data: TableData) -> None:
    """Table 二 licence and penalty rows computed by the credit module (for units that use it)."""
    if data.decisions is None:
        return
    for r, cols in data.decisions.items():
        for c, cell in cols.items():
            figs["t2"][r][c] = copy.deepcopy(cell)


def library_counts(data: TableData) -> dict | None:
    if data.normative is None:
        return None
    return {r: {c: data.normative[r][c]["v"] for c in ("made", "repealed", "in_force")} for r in T.T2_LIBRARY_ROWS}


def checks_for(figures: dict, data: TableData, previous_carried_out: dict | None) -> list[T.Check]:
    checks = T.run_checks(
        figures,
        library=library_counts(data),
        library_wired=data.normative is not None,
        previous_carried_out=previous_carried_out,
    )
    checks.append(traceability_check(figures))
    return checks


def traceability_check(figures: dict) -> T.Check:
    """Every computed figure equals the number of records listed behind it."""
    bad = []
    for table in ("t2", "t3", "t4"):
        for r, cols in figures.get(table, {}).items():
            for c, cell in cols.items():
                if not cell.get("traced"):
                    continue
                computed = cell.get("computed") if cell.get("src") == "adjusted" else cell.get("v")
                if computed is not None and int(computed) != len(cell.get("ids") or []):
                    bad.append((table, r, c))
    return T.Check(
        "traceable",
        not bad,
        message(N_("每个统计数字都能追溯到对应的记录"))
        if not bad
        else message(
            N_("以下数字与可追溯的记录条数不一致：%(cells)s"),
            cells=join([f"{T.row_label(t, r)}·{T.col_label(t, r, c)}" for t, r, c in bad[:10]], T.SEMI),
        ),
        bad,
    )

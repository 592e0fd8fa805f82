"""Which records are behind each figure, and the set-based (one GROUP BY per table) aggregation.

The owning apps' selectors give the official counts (``annual_table3`` etc.). To make every figure
traceable, this module lists the ids of the records in each cell using the owning app's own
classification constants (``gongkai.requests.stats.OUTCOME_ROWS``, ``column_of``;
``gongkai.publications.status``), and the engine checks that the number of ids equals the figure
the owner reported — so a figure that cannot be traced to exactly its records fails a check.

``bulk_table3`` / ``bulk_normative`` compute the tables for MANY units at once with one GROUP BY
query per table (used by the benchmark and by the parallel generation when it is given many units).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils import timezone

from . import tables as T


def _installed(app: str) -> bool:
    return apps.is_installed(f"gongkai.{app}")


# ---------------------------------------------------------------------------------------------
# requests: table 三 and 四
def _req_row_key(section: str, item: int) -> str:
    if item == 0:
        return {"public": "open", "partial": "partial"}.get(section, section)
    leaves = [k for k in T.T3_RESULT_LEAVES if k.startswith(section + "_")]
    return leaves[item - 1]


def _req_col_key(col: str) -> str:
    return {"charity": "nonprofit", "other": "other_org"}.get(col, col)


def requests_table3_ids(units, year: int) -> dict[tuple[str, str], list[int]] | None:
    if not _installed("requests"):
        return None
    from gongkai.requests import stats as rstats
    from gongkai.requests.models import ApplicantType, InformationRequest

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = (
        InformationRequest.objects.filter(unit__in=units, received_on__lte=end)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=start))
        .values_list("pk", "applicant_type", "org_type", "received_on", "finished_on", "outcome")
        .order_by("pk")
    )
    out: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, atype, otype, received, finished, outcome in qs.iterator(chunk_size=2000):
        col = "natural" if atype == ApplicantType.PERSON else _req_col_key(otype or "other")
        out[("new" if received >= start else "carried_in", col)].append(pk)
        if finished is not None and finished <= end:
            section, item = rstats.OUTCOME_ROWS.get(outcome, ("other", 3))
            out[(_req_row_key(section, item), col)].append(pk)
        else:
            out[("carried_out", col)].append(pk)
    return out


def requests_table4_ids(units, year: int) -> dict[str, list[int]] | None:
    if not _installed("requests"):
        return None
    from gongkai.requests.models import ReviewCase, ReviewOutcome

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    groups = {"review": "review", "litigation_direct": "suit_direct", "litigation_after_review": "suit_after"}
    qs = (
        ReviewCase.objects.filter(unit__in=units, filed_on__lte=end)
        .filter(Q(filed_on__gte=start) | Q(decided_on__isnull=True) | Q(decided_on__gte=start))
        .values_list("pk", "kind", "outcome", "decided_on")
        .order_by("pk")
    )
    out: dict[str, list[int]] = defaultdict(list)
    for pk, kind, outcome, decided in qs:
        if outcome != ReviewOutcome.PENDING and (decided is None or decided > end):
            outcome = ReviewOutcome.PENDING
        out[f"{groups.get(kind, kind)}_{outcome}"].append(pk)
    return out


def bulk_table3(units, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """Table 三 for every unit in ``units`` with ONE query: GROUP BY unit × applicant column, with one
    filtered COUNT per official row (a pivot in SQL, so only units × 6 rows come back)."""
    from gongkai.requests import stats as rstats
    from gongkai.requests.models import ApplicantType, InformationRequest

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    done = Q(finished_on__isnull=False, finished_on__lte=end)
    by_leaf: dict[str, list[str]] = defaultdict(list)
    for outcome, (section, item) in rstats.OUTCOME_ROWS.items():
        by_leaf[_req_row_key(section, item)].append(str(outcome))
    known = [o for outs in by_leaf.values() for o in outs]
    counts = {
        "new": Count("id", filter=Q(received_on__gte=start)),
        "carried_in": Count("id", filter=Q(received_on__lt=start)),
        "carried_out": Count("id", filter=~done),
        "result_total": Count("id", filter=done),
    }
    for leaf in T.T3_RESULT_LEAVES:
        q = Q(outcome__in=by_leaf.get(leaf, []))
        if leaf == "other_other":  # the requests app files any unknown outcome under （六）3.其他
            q |= ~Q(outcome__in=known)
        counts[f"r_{leaf}"] = Count("id", filter=done & q)
    rows = (
        InformationRequest.objects.filter(unit__in=units, received_on__lte=end)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=start))
        .annotate(
            col=Case(
                When(applicant_type=ApplicantType.PERSON, then=Value("natural")),
                When(org_type="", then=Value("other")),
                default=F("org_type"),
                output_field=CharField(),
            )
        )
        .values("unit_id", "col")
        .annotate(**counts)
        .order_by()
    )
    result: dict[int, dict[str, dict[str, int]]] = {}
    for r in rows:
        t = result.get(r["unit_id"])
        if t is None:
            t = result[r["unit_id"]] = {row: dict.fromkeys(T.T3_COL_KEYS, 0) for row in T.T3_ROW_KEYS}
        col = _req_col_key(r["col"])
        for row in T.T3_ROW_KEYS:
            n = r[f"r_{row}"] if row in T.T3_RESULT_LEAVES else r[row]
            t[row][col] += n
            t[row]["total"] += n
    return result


# ---------------------------------------------------------------------------------------------
# publications: table 二 第二十条第（一）项
def _pub():
    from gongkai.publications import models as pm
    from gongkai.publications import status as ps

    return pm, ps


def normative_ids(units, year: int) -> dict[tuple[str, str], list[int]] | None:
    if not _installed("publications"):
        return None
    pm, ps = _pub()
    year_end = min(dt.date(year, 12, 31), timezone.localdate())
    out = {}
    for row, doc_type in (("rules", pm.DocType.REGULATION), ("normative", pm.DocType.NORMATIVE)):
        base = pm.Publication.objects.filter(unit__in=units, doc_type=doc_type, state=pm.State.PUBLISHED)
        out[(row, "made")] = list(base.filter(published_on__year=year).order_by("pk").values_list("pk", flat=True))
        out[(row, "repealed")] = sorted(
            set(
                pm.LegalLink.objects.filter(
                    kind=pm.LinkKind.REPEAL, target__in=base, effective_on__year=year
                ).values_list("target_id", flat=True)
            )
        )
        out[(row, "in_force")] = list(
            base.filter(published_on__lte=year_end)
            .annotate(status_value=ps.status_expression(year_end))
            .filter(status_value__in=[s.value for s in ps.IN_FORCE])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return out


def bulk_normative(units, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """Table 二 (rules, normative documents) for every unit: one GROUP BY for made/in force, one for repeals."""
    pm, ps = _pub()
    year_end = min(dt.date(year, 12, 31), timezone.localdate())
    types = {pm.DocType.REGULATION.value: "rules", pm.DocType.NORMATIVE.value: "normative"}
    base = pm.Publication.objects.filter(unit__in=units, doc_type__in=list(types), state=pm.State.PUBLISHED)
    result: dict[int, dict[str, dict[str, int]]] = {}

    def slot(unit_id, doc_type):
        t = result.setdefault(unit_id, {r: {"made": 0, "repealed": 0, "in_force": 0} for r in types.values()})
        return t[types[doc_type]]

    rows = (
        base.annotate(status_value=ps.status_expression(year_end))
        .values("unit_id", "doc_type")
        .annotate(
            made=Count("id", filter=Q(published_on__year=year)),
            in_force=Count("id", filter=Q(published_on__lte=year_end, status_value__in=[s.value for s in ps.IN_FORCE])),
        )
        .order_by()
    )
    for r in rows:
        s = slot(r["unit_id"], r["doc_type"])
        s["made"], s["in_force"] = r["made"], r["in_force"]
    reps = (
        pm.LegalLink.objects.filter(kind=pm.LinkKind.REPEAL, target__in=base, effective_on__year=year)
        .values("target__unit_id", "target__doc_type")
        .annotate(n=Count("target_id", distinct=True))
        .order_by()
    )
    for r in reps:
        slot(r["target__unit_id"], r["target__doc_type"])["repealed"] = r["n"]
    return result


def attach_ids(table_cells: dict, ids: dict | None) -> None:
    """Put the record ids into the cells of a normalised table (``{row: {col: cell}}``)."""
    if ids is None:
        return
    for (row, col), pks in ids.items():
        if row in table_cells and col in table_cells[row]:
            table_cells[row][col]["ids"] = list(pks)

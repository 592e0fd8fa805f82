"""Adapters to the apps that own the records behind the report and the dashboards.

The report engine reads other apps only through their public selectors, imported explicitly
here (no string contracts):

- ``gongkai.requests.selectors.annual_table3(units, year)``, ``annual_table4``, the record ids
  behind each cell (``table3_record_ids``, ``table4_record_ids``), ``bulk_table3`` and
  ``answered_on_time``;
- ``gongkai.publications.selectors.normative_counts(units, year)``, ``normative_record_ids``,
  ``bulk_normative``, ``timeliness_stats`` and ``published_counts``;
- ``gongkai.search.selectors.top_terms(since, limit)``;
- ``gongkai.interaction.selectors.interaction_stats(units, year)``;
- ``gongkai.credit.selectors.decision_counts(units, year)`` (table 二 行政许可 / 行政处罚).

Their results are normalised here (official labels or keys accepted; a cell may be a number or
a mapping with ``count``/``value`` and ``ids``/``url``) into this app's cell format
(:func:`gongkai.reports.tables.cell`). A source that fails is shown on the dashboards as an
error for that chart, never as a made-up zero.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable

from django.utils.translation import gettext, gettext_noop

from gongkai.credit import selectors as credit_selectors
from gongkai.interaction import selectors as interaction_selectors
from gongkai.publications import selectors as publication_selectors
from gongkai.requests import selectors as request_selectors
from gongkai.search import selectors as search_selectors

from . import tables as T

log = logging.getLogger(__name__)


class SourceUnavailable(Exception):
    """A source could not answer (kept for callers that show a per-chart error)."""


# What each source feeds (shown with a report so a reader knows where its figures come from).
SOURCES = (
    ("requests", gettext_noop("依申请公开（表三、表四）")),
    ("publications", gettext_noop("规章和规范性文件库（表二）、主动公开及时率")),
    ("search", gettext_noop("热门检索词")),
    ("interaction", gettext_noop("互动交流（诉求）统计")),
    ("catalogue", gettext_noop("标准目录事项（浏览量排行）")),
    ("credit", gettext_noop("双公示（表二 行政许可、行政处罚决定数量）")),
)


def statuses() -> list[dict]:
    return [
        {"key": key, "label": label, "status": "wired", "status_label": gettext_noop("已接入")}
        for key, label in SOURCES
    ]


# ---------------------------------------------------------------------------------------------
# normalisation helpers
_PUNCT = re.compile(r"[\s\u3000“”\"'、．.（）()，,：:·]")


def _norm_label(text: str) -> str:
    return _PUNCT.sub("", str(text))


def _index(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """label/key variants -> key."""
    out = {}
    for key, label in items:
        out[key] = key
        out[_norm_label(label)] = key
        stripped = re.sub(r"^[一二三四五六七八九十]+、|^（[一二三四五六七]）|^\d+\.", "", label)
        out.setdefault(_norm_label(stripped), key)
    return out


_T3_ROW_INDEX = _index((r.key, r.label) for r in T.T3_ROWS if not r.header)
# the requests app's own row keys ("withheld.1" = first item of （三）不予公开, ...)
_T3_ROW_INDEX.update({"carried": "carried_in", "public": "open", "finished": "result_total", "forward": "carried_out"})
for _section in ("withheld", "unavailable", "not_handled", "other"):
    for _i, _leaf in enumerate([k for k in T.T3_RESULT_LEAVES if k.startswith(_section + "_")], start=1):
        _T3_ROW_INDEX[f"{_section}.{_i}"] = _leaf
# section and heading rows are sums of their items: recomputed here, so ignored in a source's data
T3_SECTION_ROWS = {
    "outcomes",
    "results",
    "withheld",
    "unavailable",
    "not_handled",
    "other",
    "三、本年度办理结果",
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
}
_T3_COL_INDEX = _index([(c.key, c.label) for c in T.T3_COLS] + [("other_org", "法人或其他组织其他")])
_T3_COL_INDEX.update({"charity": "nonprofit", "other": "other_org"})
_T4_COL_INDEX = _index(
    [(c.key, c.label) for c in T.T4_COLS]
    + [(f"{g}_{o}", f"{top}{glabel}{olabel}") for g, glabel, top in T.T4_GROUPS for o, olabel in T.T4_OUTCOMES]
    + [(f"{g}_{o}", f"{glabel}{olabel}") for g, glabel, top in T.T4_GROUPS for o, olabel in T.T4_OUTCOMES]
)


def _lookup(index: dict[str, str], name) -> str | None:
    return index.get(name) or index.get(_norm_label(name))


def _attr(obj, *names, default=None):
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
        if not isinstance(obj, dict) and hasattr(obj, n):
            return getattr(obj, n)
    return default


def to_cell(raw) -> dict:
    """A source's cell (number, or mapping/object with count/value + ids/url) → a report cell."""
    if raw is None:
        return T.cell(0)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return T.cell(int(raw))
    v = _attr(raw, "count", "value", "v", "n", default=None)
    ids = _attr(raw, "ids", "record_ids", "pks", default=None) or []
    url = _attr(raw, "url", "filter_url", "link", default="") or ""
    if v is None:
        v = len(ids)
    return T.cell(int(v), ids=[i for i in ids], url=str(url))


def _matrix(raw) -> dict:
    """Accept {row: {col: cell}}, or an object with ``.rows``/``["rows"]`` of that shape."""
    if isinstance(raw, dict) and "rows" in raw and isinstance(raw["rows"], dict):
        return raw["rows"]
    if hasattr(raw, "cells") and isinstance(raw.cells, dict):
        return raw.cells
    if hasattr(raw, "rows") and isinstance(raw.rows, dict):
        return raw.rows
    if hasattr(raw, "as_dict"):
        return raw.as_dict()
    if isinstance(raw, dict):
        return raw
    raise ValueError(gettext("无法识别的统计表格式"))


def normalise_table3(raw) -> dict:
    out = {
        r: {c: T.cell(None, src="absent") if T.is_derived("t3", r, c) else T.cell(0) for c in T.T3_COL_KEYS}
        for r in T.T3_ROW_KEYS
    }
    unknown = []
    for rname, cols in _matrix(raw).items():
        if rname in T3_SECTION_ROWS:
            continue
        rkey = _lookup(_T3_ROW_INDEX, rname)
        if rkey is None:
            unknown.append(str(rname))
            continue
        for cname, value in (cols or {}).items():
            ckey = _lookup(_T3_COL_INDEX, cname)
            if ckey is None:
                unknown.append(f"{rname}/{cname}")
                continue
            out[rkey][ckey] = to_cell(value)
    if unknown:
        raise ValueError(gettext("依申请公开统计返回了不认识的行或列：") + "、".join(unknown[:5]))
    return out


_T4_GROUP_INDEX = _index(
    [(g, lbl) for g, lbl, _top in T.T4_GROUPS]
    + [(g, f"{top}{lbl}") for g, lbl, top in T.T4_GROUPS]
    + [("suit_direct", "直接起诉"), ("suit_after", "行政诉讼复议后起诉")]
)
_T4_GROUP_INDEX.update({"litigation_direct": "suit_direct", "litigation_after_review": "suit_after"})
_T4_OUTCOME_INDEX = _index(T.T4_OUTCOMES)
_CELL_KEYS = {"count", "value", "v", "n", "ids", "url"}


def _is_cell_mapping(v) -> bool:
    return not isinstance(v, dict) or bool(_CELL_KEYS & set(v))


def normalise_table4(raw) -> dict:
    out = {c: T.cell(None, src="absent") if T.is_derived("t4", T.T4_ROW, c) else T.cell(0) for c in T.T4_COL_KEYS}
    m = _matrix(raw)
    for _ in range(2):
        if m and all(_lookup(_T4_GROUP_INDEX, k) and not _is_cell_mapping(v) for k, v in m.items()):
            # {group: {outcome: cell}}
            flat = {}
            for g, sub in m.items():
                gkey = _lookup(_T4_GROUP_INDEX, g)
                for o, v in sub.items():
                    okey = _lookup(_T4_OUTCOME_INDEX, o)
                    flat[f"{gkey}_{okey}" if okey else f"{g}/{o}"] = v
            m = flat
            break
        if m and all(not _is_cell_mapping(v) and _lookup(_T4_COL_INDEX, k) is None for k, v in m.items()):
            # {row: {...}} — the single row wrapped
            flat = {}
            for v in m.values():
                flat.update(v)
            m = flat
            continue
        break
    unknown = []
    for cname, value in m.items():
        ckey = _lookup(_T4_COL_INDEX, cname)
        if ckey is None:
            unknown.append(str(cname))
            continue
        out[ckey] = to_cell(value)
    if unknown:
        raise ValueError(gettext("行政复议、诉讼统计返回了不认识的列：") + "、".join(unknown[:5]))
    return {T.T4_ROW: out}


_T2_ROW_INDEX = _index([("rules", "规章"), ("normative", "行政规范性文件"), ("normative", "规范性文件")])
_T2_COL_INDEX = _index(
    [
        ("made", "本年制发件数"),
        ("made", "制发"),
        ("repealed", "本年废止件数"),
        ("repealed", "废止"),
        ("in_force", "现行有效件数"),
        ("in_force", "现行有效"),
        ("in_force", "valid"),
    ]
)


def normalise_normative(raw) -> dict:
    out = {r: {c: T.cell(0) for c in ("made", "repealed", "in_force")} for r in T.T2_LIBRARY_ROWS}
    for rname, cols in _matrix(raw).items():
        rkey = _lookup(_T2_ROW_INDEX, rname)
        if rkey is None:
            continue  # e.g. other document kinds the library also counts
        for cname, value in (cols or {}).items():
            ckey = _lookup(_T2_COL_INDEX, cname)
            if ckey:
                out[rkey][ckey] = to_cell(value)
    return out


# ---------------------------------------------------------------------------------------------
# what the engine and the dashboards call
def table3(units, year: int) -> dict:
    return normalise_table3(request_selectors.annual_table3(units, year))


def table4(units, year: int) -> dict:
    return normalise_table4(request_selectors.annual_table4(units, year))


def normative(units, year: int) -> dict:
    return normalise_normative(publication_selectors.normative_counts(units, year))


def decisions(units, year: int) -> dict | None:
    """Table 二 licence and penalty rows from the 双公示 records, or ``None`` when none of the units
    uses the credit module (their figures stay manual entries)."""
    raw = credit_selectors.decision_counts(units, year)
    if not raw.get("uses_module"):
        return None
    return {
        row: {"decisions": T.cell(raw[row]["count"], ids=raw[row]["ids"])}
        for row in ("licence", "penalty")
        if raw.get(row) is not None
    }


def timeliness(units, year: int):
    return publication_selectors.timeliness_stats(units, year)


def top_terms(since: dt.date, limit: int = 20) -> list[tuple[str, int]]:
    raw = search_selectors.top_terms(since, limit)
    out = []
    for item in raw or []:
        if isinstance(item, tuple | list):
            out.append((str(item[0]), int(item[1])))
        else:
            out.append(
                (str(_attr(item, "term", "query", "q", default="")), int(_attr(item, "count", "n", "hits", default=0)))
            )
    return out


def interaction_stats(units, year: int):
    return interaction_selectors.interaction_stats(units, year)


def optional(fn: Callable, *args, **kwargs):
    """(result, None) or (None, reason) — for dashboards that show "未接入" per chart."""
    try:
        return fn(*args, **kwargs), None
    except SourceUnavailable as exc:
        return None, gettext("数据来源未接入（%(error)s）") % {"error": exc}
    except Exception as exc:  # a source's bug must not take the dashboard down
        log.exception("report source failed: %s", fn.__name__)
        return None, gettext("数据来源出错：%(error)s") % {"error": exc}

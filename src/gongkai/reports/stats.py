"""Statistics for the dashboards (workbench and public). Each chart is plain table data:

    Chart(key, title, kind, columns=[...], rows=[[label, v1, ...], ...], error=None)

rendered as an ECharts chart, as an accessible HTML table, and as CSV — from the same rows.
A chart whose source app is not wired carries ``error`` and no rows (never invented numbers).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core.models import Organisation

from . import engine, selectors, sources
from . import tables as T

_PERSONAL = re.compile(r"\d{6,}|[\w.]+@[\w.]+")


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # bar | line | pie | hbar
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    error: str | None = None
    note: str = ""
    public: bool = True
    plot: list[int] | None = None  # which columns the chart draws (the table shows all); default all

    def as_echarts(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "plot": self.plot or list(range(1, len(self.columns))),
        }


def _rows_from(raw, label_keys=("label", "name", "key", "unit", "month", "type", "domain")) -> list[list]:
    """Accept [(label, n)], {label: n}, or [{"label":..,"count":..}] into [[label, n]]."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        return [[str(k), v] for k, v in raw.items()]
    rows = []
    for item in raw:
        if isinstance(item, list | tuple):
            rows.append([str(item[0]), *item[1:]])
        elif isinstance(item, dict):
            label = next((item[k] for k in label_keys if k in item), "")
            n = next((item[k] for k in ("count", "n", "value", "total") if k in item), 0)
            rows.append([str(label), n])
    return rows


def _publication_charts(units, year: int) -> list[Chart]:
    out = []
    specs = [
        ("by_unit", gettext("主动公开信息数量（按单位）"), "hbar"),
        ("by_type", gettext("主动公开信息数量（按类型）"), "pie"),
        ("by_domain", gettext("主动公开信息数量（按领域）"), "hbar"),
        ("by_month", gettext("主动公开信息数量（按月份）"), "line"),
    ]
    raw, err = sources.optional(lambda: _publication_counts(units, year))
    for key, title, kind in specs:
        c = Chart(f"pub_{key}", title, kind, [gettext("分组"), gettext("信息数量")])
        if err:
            c.error = err
        else:
            c.rows = raw.get(key) or []
        out.append(c)
    return out


def _publication_counts(units, year: int) -> dict:
    return sources.publication_selectors.published_counts(units, year)


def _timeliness_chart(units, year: int) -> Chart:
    c = Chart(
        "timeliness",
        gettext("主动公开及时率（对照标准目录公开时限）"),
        "bar",
        [gettext("单位"), gettext("应公开"), gettext("按时公开"), gettext("及时率（%）")],
        plot=[3],
    )
    raw, err = sources.optional(sources.timeliness, units, year)
    if err:
        c.error = err
        return c
    items = list(raw.values()) if isinstance(raw, dict) else list(raw or [])
    rows, total_due, total_on_time = [], 0, 0
    for it in items:
        due = int(it.get("assessed", it.get("due", 0)) or 0)
        on_time = int(it.get("on_time", 0) or 0)
        if not due:
            continue
        unit = it.get("unit")
        rows.append([getattr(unit, "display_name", str(unit)), due, on_time, round(100 * on_time / due, 1)])
        total_due, total_on_time = total_due + due, total_on_time + on_time
    rows.sort(key=lambda r: r[3])
    if total_due:
        rows.append([gettext("合计"), total_due, total_on_time, round(100 * total_on_time / total_due, 1)])
    c.rows = rows
    c.note = gettext("及时率 = 在标准目录规定时限内公开的数量 ÷ 应公开数量（《条例》第二十六条：20个工作日）")
    return c


def _request_charts(units, year: int) -> list[Chart]:
    vol = Chart(
        "requests_by_applicant",
        gettext("依申请公开：本年新收申请（按申请人类型）"),
        "bar",
        [gettext("申请人类型"), gettext("申请数量")],
    )
    outcomes = Chart(
        "requests_by_outcome", gettext("依申请公开：本年度办理结果"), "pie", [gettext("办理结果"), gettext("数量")]
    )
    data, err = sources.optional(sources.table3, units, year)
    if err:
        vol.error = outcomes.error = err
    else:
        vol.rows = [
            [c.label if not c.group else f"{c.label}", data["new"][c.key]["v"]] for c in T.T3_COLS if not c.total
        ]
        groups = [
            (gettext("（一）予以公开"), ["open"]),
            (gettext("（二）部分公开"), ["partial"]),
            (gettext("（三）不予公开"), [r for r in T.T3_RESULT_LEAVES if r.startswith("withheld_")]),
            (gettext("（四）无法提供"), [r for r in T.T3_RESULT_LEAVES if r.startswith("unavailable_")]),
            (gettext("（五）不予处理"), [r for r in T.T3_RESULT_LEAVES if r.startswith("not_handled_")]),
            (gettext("（六）其他处理"), [r for r in T.T3_RESULT_LEAVES if r.startswith("other_")]),
        ]
        outcomes.rows = [
            [label, sum(int(data[r][c]["v"] or 0) for r in rows for c in T.T3_APPLICANT_COLS)] for label, rows in groups
        ]
    ontime = Chart(
        "requests_on_time",
        gettext("依申请公开：按期答复率"),
        "bar",
        [gettext("单位"), gettext("已答复"), gettext("按期答复"), gettext("按期率（%）")],
        plot=[3],
    )
    raw, err2 = sources.optional(_on_time, units, year)
    if err2:
        ontime.error = err2
    else:
        rows = []
        items = raw.get("by_unit", raw) if isinstance(raw, dict) else raw
        if isinstance(items, dict):
            items = [{"label": gettext("合计"), **items}]
        for it in items or []:
            answered = int(it.get("answered", it.get("total", 0)) or 0)
            on_time = int(it.get("on_time", 0) or 0)
            rows.append(
                [
                    str(it.get("unit") or it.get("label") or ""),
                    answered,
                    on_time,
                    round(100 * on_time / answered, 1) if answered else None,
                ]
            )
        ontime.rows = rows
    return [vol, outcomes, ontime]


def _on_time(units, year: int) -> list[dict]:
    """Requests answered in ``year`` and how many by their stored legal due date (art. 33), per unit."""
    out = [{"label": r["unit"], **r} for r in sources.request_selectors.answered_on_time(units, year)]
    if out:
        out.append(
            {
                "label": gettext("合计"),
                "answered": sum(r["answered"] for r in out),
                "on_time": sum(r["on_time"] for r in out),
            }
        )
    return out


def _search_chart(since: dt.date) -> Chart:
    c = Chart("top_terms", gettext("热门检索词"), "hbar", [gettext("检索词"), gettext("检索次数")])
    rows, err = sources.optional(sources.top_terms, since, 20)
    if err:
        c.error = err
    else:
        # never show what looks like personal data (ID, phone numbers) typed into the search box
        c.rows = [[t, n] for t, n in rows if not _PERSONAL.search(t)]
    return c


def catalogue_item_names(ids: list[str]) -> dict[str, str]:
    from gongkai.catalogue import selectors as catalogue_selectors

    return catalogue_selectors.item_labels(ids)


def _viewed_chart(since: dt.date) -> Chart:
    c = Chart(
        "top_viewed",
        gettext("浏览最多的标准目录事项（高频事项热度）"),
        "hbar",
        [gettext("目录事项"), gettext("浏览次数")],
    )
    top = selectors.top_viewed("catalogue.item", since=since, limit=15)
    names = catalogue_item_names([i for i, _ in top])
    # only items that (still) exist and are named by the catalogue; deleted ones are dropped
    c.rows = [[names[i], n] for i, n in top if i in names] if names or not top else []
    if top and not names:
        c.error = gettext("标准目录应用未接入，无法显示事项名称")
    c.note = gettext("浏览次数由本应用的页面计数器统计（只计次数，不记录访问者）")
    return c


def _interaction_chart(units, year: int) -> Chart:
    c = Chart(
        "interaction",
        gettext("互动交流（诉求）办理情况（按单位）"),
        "bar",
        [gettext("单位"), gettext("受理"), gettext("已答复"), gettext("按期答复"), gettext("逾期未办结")],
    )
    raw, err = sources.optional(sources.interaction_stats, units, year)
    if err:
        c.error = err
        return c
    names = {u.pk: u.display_name for u in units}
    rows = []
    for it in raw or []:
        if not isinstance(it, dict) or not it.get("volume"):
            continue
        unit = it.get("unit")
        label = getattr(unit, "display_name", None) or names.get(
            unit if isinstance(unit, int) else getattr(unit, "pk", None), str(unit)
        )
        rows.append(
            [label, it.get("volume", 0), it.get("answered", 0), it.get("on_time", 0), it.get("overdue_open", 0)]
        )
    c.rows = sorted(rows, key=lambda r: -r[1])[:20]
    return c


def dashboard(root: Organisation, year: int, *, public: bool) -> list[Chart]:
    units = engine.report_units(root)
    since = dt.date(year, 1, 1)
    charts = [
        *_publication_charts(units, year),
        _timeliness_chart(units, year),
        *_request_charts(units, year),
        _search_chart(since),
        _viewed_chart(since),
        _interaction_chart(units, year),
    ]
    if public:
        charts = [c for c in charts if c.public]
    return charts


def public_root() -> Organisation | None:
    """The public dashboard shows the top-most county government (the deployment's own county)."""
    return (
        Organisation.objects.filter(kind="government", level="county", is_active=True).order_by("depth", "path").first()
        or Organisation.objects.filter(kind="government", is_active=True).order_by("depth", "path").first()
    )


def current_year() -> int:
    return timezone.localdate().year

"""Statistics for the dashboards (workbench and public). Each chart is plain table data:

    Chart(key, title, kind, columns=[...], rows=[[label, v1, ...], ...], error=None)

rendered as an ECharts chart, as an accessible HTML table, and as CSV — from the same rows.
A chart whose source app is not wired carries ``error`` and no rows (never invented numbers).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

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
        ("by_unit", "主动公开信息数量（按单位）", "hbar"),
        ("by_type", "主动公开信息数量（按类型）", "pie"),
        ("by_domain", "主动公开信息数量（按领域）", "hbar"),
        ("by_month", "主动公开信息数量（按月份）", "line"),
    ]
    raw, err = sources.optional(lambda: _publication_counts(units, year))
    for key, title, kind in specs:
        c = Chart(f"pub_{key}", title, kind, ["分组", "信息数量"])
        if err:
            c.error = err
        else:
            data = raw.get(key)
            if data is None:
                c.error = "公开信息尚未关联领域（发布应用没有领域字段），暂不能按领域统计"
            c.rows = data or []
            if key == "by_domain" and raw.get("domain_note"):
                c.note = raw["domain_note"]
                c.columns = ["主题分类", "信息数量"]
        out.append(c)
    return out


def _publication_counts(units, year: int) -> dict:
    """Published proactive-disclosure items by unit, type, domain and month (GROUP BY queries on
    the publications app's model; that app offers no selector for these counts)."""
    if not apps.is_installed("gongkai.publications"):
        raise sources.SourceUnavailable("gongkai.publications")
    from django.db.models import Count
    from django.db.models.functions import ExtractMonth

    from gongkai.publications.models import DocType, Publication, State

    qs = Publication.objects.filter(
        unit__in=units, state__in=[State.PUBLISHED, State.WITHDRAWN], published_on__year=year
    )
    types = dict(DocType.choices)
    by_unit = [
        [r["unit__short_name"] or r["unit__name"], r["n"]]
        for r in qs.values("unit__name", "unit__short_name").annotate(n=Count("id")).order_by("-n")[:20]
    ]
    by_type = [
        [str(types.get(r["doc_type"], r["doc_type"])), r["n"]]
        for r in qs.values("doc_type").annotate(n=Count("id")).order_by("-n")
    ]
    months = {
        r["m"]: r["n"]
        for r in qs.annotate(m=ExtractMonth("published_on")).values("m").annotate(n=Count("id")).order_by()
    }
    by_month = [[f"{m}月", months.get(m, 0)] for m in range(1, 13)]
    by_domain, domain_note = None, ""
    if any(f.name == "domain" for f in Publication._meta.get_fields()):
        by_domain = [
            [r["domain__name"] or "未归类", r["n"]]
            for r in qs.values("domain__name").annotate(n=Count("id")).order_by("-n")[:20]
        ]
    elif any(f.name == "topic" for f in Publication._meta.get_fields()):
        topics = dict(Publication._meta.get_field("topic").choices)
        by_domain = [
            [str(topics.get(r["topic"], r["topic"])), r["n"]]
            for r in qs.values("topic").annotate(n=Count("id")).order_by("-n")[:20]
        ]
        domain_note = "发布记录尚未关联标准目录领域，暂按信息的主题分类统计"
    return {
        "by_unit": by_unit,
        "by_type": by_type,
        "by_month": by_month,
        "by_domain": by_domain,
        "domain_note": domain_note,
    }


def _timeliness_chart(units, year: int) -> Chart:
    c = Chart(
        "timeliness",
        "主动公开及时率（对照标准目录公开时限）",
        "bar",
        ["单位", "应公开", "按时公开", "及时率（%）"],
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
        rows.append(["合计", total_due, total_on_time, round(100 * total_on_time / total_due, 1)])
    c.rows = rows
    c.note = "及时率 = 在标准目录规定时限内公开的数量 ÷ 应公开数量（《条例》第二十六条：20个工作日）"
    return c


def _request_charts(units, year: int) -> list[Chart]:
    vol = Chart("requests_by_applicant", "依申请公开：本年新收申请（按申请人类型）", "bar", ["申请人类型", "申请数量"])
    outcomes = Chart("requests_by_outcome", "依申请公开：本年度办理结果", "pie", ["办理结果", "数量"])
    data, err = sources.optional(sources.table3, units, year)
    if err:
        vol.error = outcomes.error = err
    else:
        vol.rows = [
            [c.label if not c.group else f"{c.label}", data["new"][c.key]["v"]] for c in T.T3_COLS if not c.total
        ]
        groups = [
            ("（一）予以公开", ["open"]),
            ("（二）部分公开", ["partial"]),
            ("（三）不予公开", [r for r in T.T3_RESULT_LEAVES if r.startswith("withheld_")]),
            ("（四）无法提供", [r for r in T.T3_RESULT_LEAVES if r.startswith("unavailable_")]),
            ("（五）不予处理", [r for r in T.T3_RESULT_LEAVES if r.startswith("not_handled_")]),
            ("（六）其他处理", [r for r in T.T3_RESULT_LEAVES if r.startswith("other_")]),
        ]
        outcomes.rows = [
            [label, sum(int(data[r][c]["v"] or 0) for r in rows for c in T.T3_APPLICANT_COLS)] for label, rows in groups
        ]
    ontime = Chart(
        "requests_on_time", "依申请公开：按期答复率", "bar", ["单位", "已答复", "按期答复", "按期率（%）"], plot=[3]
    )
    raw, err2 = sources.optional(_on_time, units, year)
    if err2:
        ontime.error = err2
    else:
        rows = []
        items = raw.get("by_unit", raw) if isinstance(raw, dict) else raw
        if isinstance(items, dict):
            items = [{"label": "合计", **items}]
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
    """Requests answered in ``year``, and how many by their stored legal due date (art. 33),
    per unit — a GROUP BY on the requests app's model (it offers no selector for this)."""
    if sources.REQUESTS.status() != "wired":
        raise sources.SourceUnavailable("gongkai.requests")
    from django.db.models import Count, F, Q

    from gongkai.requests.models import InformationRequest

    rows = (
        InformationRequest.objects.filter(unit__in=units, finished_on__year=year, due_date__isnull=False)
        .values("unit__name", "unit__short_name")
        .annotate(answered=Count("id"), on_time=Count("id", filter=Q(finished_on__lte=F("due_date"))))
        .order_by("unit__name")
    )
    out = [
        {"label": r["unit__short_name"] or r["unit__name"], "answered": r["answered"], "on_time": r["on_time"]}
        for r in rows
    ]
    if out:
        out.append(
            {"label": "合计", "answered": sum(r["answered"] for r in out), "on_time": sum(r["on_time"] for r in out)}
        )
    return out


def _search_chart(since: dt.date) -> Chart:
    c = Chart("top_terms", "热门检索词", "hbar", ["检索词", "检索次数"])
    rows, err = sources.optional(sources.top_terms, since, 20)
    if err:
        c.error = err
    else:
        # never show what looks like personal data (ID, phone numbers) typed into the search box
        c.rows = [[t, n] for t, n in rows if not _PERSONAL.search(t)]
    return c


def catalogue_item_names(ids: list[str]) -> dict[str, str]:
    if not apps.is_installed("gongkai.catalogue"):
        return {}
    for name in ("UnitItem", "CatalogueItem"):
        try:
            model = apps.get_model("catalogue", name)
        except LookupError:
            continue
        qs = model._default_manager.filter(pk__in=[i for i in ids if str(i).isdigit()])
        if hasattr(model, "unit"):
            qs = qs.select_related("unit")
        return {str(o.pk): f"{o}（{o.unit.display_name}）" if hasattr(o, "unit") else str(o) for o in qs}
    return {}


def _viewed_chart(since: dt.date) -> Chart:
    c = Chart("top_viewed", "浏览最多的标准目录事项（高频事项热度）", "hbar", ["目录事项", "浏览次数"])
    top = selectors.top_viewed("catalogue.item", since=since, limit=15)
    names = catalogue_item_names([i for i, _ in top])
    # only items that (still) exist and are named by the catalogue; deleted ones are dropped
    c.rows = [[names[i], n] for i, n in top if i in names] if names or not top else []
    if top and not names:
        c.error = "标准目录应用未接入，无法显示事项名称"
    c.note = "浏览次数由本应用的页面计数器统计（只计次数，不记录访问者）"
    return c


def _interaction_chart(units, year: int) -> Chart:
    c = Chart(
        "interaction", "互动交流（诉求）办理情况（按单位）", "bar", ["单位", "受理", "已答复", "按期答复", "逾期未办结"]
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

"""Click a number → the records counted. Cells carry the ids of the records behind them (as the
source selectors returned them); this module turns ids into rows with links into the owning app."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from gongkai.publications import selectors as publication_selectors
from gongkai.requests import selectors as request_selectors

# table -> the owning app's selector: (user, ids) -> the records the user may see
TRACE_SELECTORS = {
    "t3": request_selectors.requests_by_ids,
    "t4": request_selectors.review_cases_by_ids,
    "t2": publication_selectors.publications_by_ids,
}
# table -> (workbench URL name of the owning app, attribute giving the pk to link to)
TRACE_URLS = {
    "t3": ("requests_wb:detail", "pk"),
    "t4": ("requests_wb:detail", "request_id"),
    "t2": ("publications_wb:detail", "pk"),
}
# extra facts shown per record (never personal data): (attribute or get_X_display, heading)
TRACE_FACTS = {
    "t3": [
        ("received_on", gettext_lazy("收到日期")),
        ("finished_on", gettext_lazy("办结日期")),
        ("get_outcome_display", gettext_lazy("答复类型")),
    ],
    "t4": [
        ("request", gettext_lazy("申请查询码")),
        ("get_kind_display", gettext_lazy("类型")),
        ("filed_on", gettext_lazy("受理日期")),
        ("get_outcome_display", gettext_lazy("结果")),
    ],
    "t2": [("document_number", gettext_lazy("发文字号")), ("published_on", gettext_lazy("发布日期"))],
}


def _url(obj, table: str = "") -> str:
    if table in TRACE_URLS:
        name, attr = TRACE_URLS[table]
        try:
            return reverse(name, args=[getattr(obj, attr)])
        except (NoReverseMatch, AttributeError):
            pass
    for attr in ("get_workbench_url", "get_staff_url", "get_absolute_url"):
        fn = getattr(obj, attr, None)
        if callable(fn):
            try:
                return fn()
            except NoReverseMatch:
                continue
    return ""


def fact_headings(table: str) -> list[str]:
    return [h for _a, h in TRACE_FACTS.get(table, [])]


def records(table: str, row: str, ids: list, *, user) -> list[dict]:
    if not ids:
        return []
    selector = TRACE_SELECTORS.get(table)
    if selector is None:
        return []
    found = {o.pk: o for o in selector(user, ids)}
    out = []
    for i in ids:
        o = found.get(i)
        if o is None:
            continue  # not visible to this user, or deleted since
        facts = []
        for attr, _heading in TRACE_FACTS.get(table, []):
            v = getattr(o, attr, "")
            facts.append(v() if callable(v) else (v if v not in (None, "") else "—"))
        out.append(
            {
                "id": i,
                "label": str(o),
                "url": _url(o, table),
                "facts": facts,
                "unit": str(o.unit),
            }
        )
    return out

"""Click a number → the records counted. Cells carry the ids of the records behind them (as the
source selectors returned them); this module turns ids into rows with links into the owning app."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from gongkai.core import permissions

# table -> (app label, model names to try, in order)
TRACE_MODELS = {
    "t3": ("requests", ("InformationRequest", "Request", "DisclosureRequest")),
    "t4": ("requests", ("ReviewCase",)),
    "t2": ("publications", ("NormativeDocument", "Regulation", "Publication")),
}
# table -> (workbench URL name of the owning app, attribute giving the pk to link to)
TRACE_URLS = {
    "t3": ("requests_wb:detail", "pk"),
    "t4": ("requests_wb:detail", "request_id"),
    "t2": ("publications_wb:detail", "pk"),
}
# extra facts shown per record (never personal data): (attribute or get_X_display, heading)
TRACE_FACTS = {
    "t3": [("received_on", "收到日期"), ("finished_on", "办结日期"), ("get_outcome_display", "答复类型")],
    "t4": [
        ("request", "申请查询码"),
        ("get_kind_display", "类型"),
        ("filed_on", "受理日期"),
        ("get_outcome_display", "结果"),
    ],
    "t2": [("document_number", "发文字号"), ("published_on", "发布日期")],
}


def model_for(table: str):
    app_label, names = TRACE_MODELS[table]
    if not apps.is_installed(f"gongkai.{app_label}"):
        return None
    for name in names:
        try:
            return apps.get_model(app_label, name)
        except LookupError:
            continue
    return None


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
    model = model_for(table)
    if model is None:
        return [{"id": i, "label": f"记录 #{i}", "url": "", "unit": "", "facts": []} for i in ids]
    qs = model._default_manager.filter(pk__in=ids)
    unit_field = next((f for f in ("unit", "organisation", "responsible_unit", "owner") if hasattr(model, f)), None)
    if unit_field and not permissions.is_sysadmin(user):
        qs = permissions.scope(qs, user, unit_field=unit_field)
    if unit_field:
        qs = qs.select_related(unit_field)
    found = {o.pk: o for o in qs}
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
                "unit": str(getattr(o, unit_field, "") or "") if unit_field else "",
            }
        )
    return out

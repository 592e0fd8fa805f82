"""Click a number → the records counted. Cells carry the ids of the records behind them (as the
source selectors returned them); this module turns ids into rows with links into the owning app."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from gongkai.core import permissions

# table -> (app label, model names to try, in order)
TRACE_MODELS = {
    "t3": ("requests", ("InformationRequest", "Request", "DisclosureRequest")),
    "t4": ("requests", ("Appeal", "ReviewCase", "LegalChallenge", "Remedy", "InformationRequest", "Request")),
    "t2": ("publications", ("NormativeDocument", "Regulation", "Publication")),
}
T4_MODEL_OVERRIDE: tuple[str, ...] = ()


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


def _url(obj) -> str:
    for attr in ("get_workbench_url", "get_staff_url", "get_absolute_url"):
        fn = getattr(obj, attr, None)
        if callable(fn):
            try:
                return fn()
            except NoReverseMatch:
                continue
    return ""


def records(table: str, row: str, ids: list, *, user) -> list[dict]:
    if not ids:
        return []
    model = model_for(table)
    if model is None:
        return [{"id": i, "label": f"记录 #{i}", "url": "", "unit": ""} for i in ids]
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
        out.append({"id": i, "label": str(o), "url": _url(o), "unit": str(getattr(o, unit_field, "") or "") if unit_field else ""})
    return out

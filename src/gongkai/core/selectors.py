"""Read queries of the core app."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import AuditEvent, CalendarYear, Holiday, Organisation, OrgKind


def organisation_tree(*, root: Organisation | None = None, active_only: bool = True) -> QuerySet[Organisation]:
    qs = root.descendants() if root else Organisation.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("path")


def organisation_list_for(user, *, q: str = "", kind: str = "", level: str = "") -> QuerySet[Organisation]:
    qs = permissions.organisation_units(user).select_related("parent").order_by("path")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(credit_code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    return qs


def governments(level: str | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True)
    return qs.filter(level=level) if level else qs


def audit_events_for(
    user,
    *,
    unit_id: int | None = None,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events the user may browse: all for the audit administrator, a disclosure office its units."""
    qs = AuditEvent.objects.select_related("unit", "actor")
    scope = permissions.audit_scope(user)  # the audit administrator reads all; a disclosure office its units
    if scope is not None:
        qs = qs.filter(unit__in=scope)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs.order_by("-id")


def holidays_by_year() -> list[tuple[CalendarYear, list[Holiday]]]:
    by_year: dict[int, list[Holiday]] = {}
    for h in Holiday.objects.order_by("date"):
        by_year.setdefault(h.date.year, []).append(h)
    return [(y, by_year.get(y.year, [])) for y in CalendarYear.objects.order_by("-year")]


APP_LABELS = {
    "requests": _("依申请公开"),
    "publications": _("主动公开"),
    "interaction": _("政民互动"),
    "credit": _("双公示"),
    "monitoring": _("网站监管"),
    "assessment": _("考核评估"),
    "guides": _("办事服务"),
    "benefits": _("惠企利民"),
}


def periods_by_app() -> list[tuple[str, list]]:
    """Legal periods grouped by the business they belong to, for the periods page."""
    from .models import LegalPeriod

    groups: dict[str, list] = {}
    for p in LegalPeriod.objects.order_by("app", "code"):
        groups.setdefault(p.app, []).append(p)
    return [(str(APP_LABELS.get(app, app)), rows) for app, rows in groups.items()]


def staff_list_for(user, *, q: str = "", unit_id: int | None = None, active: bool | None = None):
    """Staff accounts whose unit the viewer may see (own units, everything overseen, or every unit for
    the security administrator)."""
    from .models import User

    units = permissions.visible_units(user) | permissions.account_units(user)
    qs = User.objects.filter(unit__in=units.values("pk")).select_related("unit")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.prefetch_related("memberships__unit").order_by("unit__path", "username")

"""Read queries of the assessment app."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.models import Role

from .models import Assessee, Bulletin, Card, IndicatorSet, Period, PeriodStatus, Rectification, RectStatus

OPEN_RECT = [RectStatus.NOTIFIED, RectStatus.RESPONDED, RectStatus.RECHECKING]


def is_office(user) -> bool:
    return permissions.is_superuser(user) or permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).exists()


def periods_for(user) -> QuerySet[Period]:
    qs = Period.objects.select_related("indicator_set", "root")
    return qs if permissions.is_superuser(user) else qs.filter(root__in=permissions.visible_units(user))


def indicator_sets() -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.prefetch_related("indicators")


def rectifications_for(user) -> QuerySet[Rectification]:
    return permissions.scope(Rectification.objects.select_related("unit", "period", "bulletin"), user)


def rectifications_due(user, *, today: dt.date | None = None) -> QuerySet[Rectification]:
    return rectifications_for(user).filter(status__in=OPEN_RECT).order_by("due_on", "pk")


def bulletins_for(user) -> QuerySet[Bulletin]:
    return permissions.scope(Bulletin.objects.select_related("root", "period"), user, unit_field="root")


def cards_for(user) -> QuerySet[Card]:
    return permissions.scope(Card.objects.select_related("unit", "period"), user)


def indicator_tree(s: IndicatorSet) -> list[tuple[int, object]]:
    items = list(s.indicators.order_by("order", "pk"))
    by_parent: dict = {}
    for i in items:
        by_parent.setdefault(i.parent_id, []).append(i)
    out = []

    def walk(pid, depth):
        for i in by_parent.get(pid, []):
            out.append((depth, i))
            walk(i.pk, depth + 1)

    walk(None, 0)
    return out


def public_periods() -> QuerySet[Period]:
    return (
        Period.objects.filter(status__in=[PeriodStatus.PUBLISHED, PeriodStatus.CLOSED])
        .select_related("root", "indicator_set")
        .order_by("-end")
    )


def public_results(period: Period) -> list[Assessee]:
    """Published results: unit, category, score, rank, pass/veto — no personal data."""
    return list(period.assessees.select_related("unit").order_by("category", "rank", "unit__path"))


def workbench_panels(user) -> list[dict]:
    from django.urls import reverse

    if not user.is_authenticated:
        return []
    due = rectifications_due(user)
    mine = due.filter(
        unit__in=permissions.units_with_role(user, Role.EDITOR)
        | permissions.units_with_role(user, Role.LEADER)
        | permissions.units_with_role(user, Role.REVIEWER)
    )
    items = []
    today = timezone.localdate()
    for r in (mine if not is_office(user) else due)[:8]:
        late = _("（已逾期）") if r.due_on < today and r.status == RectStatus.NOTIFIED else ""
        label = _("%(unit)s 整改%(status)s，期限 %(due)s%(late)s") % {
            "unit": r.unit.display_name,
            "status": r.get_status_display(),
            "due": f"{r.due_on:%m-%d}",
            "late": late,
        }
        items.append((label, reverse("assessment_wb:rectification-detail", args=[r.pk])))
    return [{"title": _("整改督办"), "items": items, "empty": _("暂无待办的整改事项")}]

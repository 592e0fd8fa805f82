"""Reads of 双公示 records: public lists, staff lists, late records, timeliness for assessment
indicators, statistics, and the annual report's table 二 counts. The only module other apps import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.core import permissions
from gongkai.core.models import Organisation

from .models import CreditRecord, Licence, Penalty, State

MODELS: dict[str, type[CreditRecord]] = {"licence": Licence, "penalty": Penalty}


def model_for(kind: str) -> type[CreditRecord]:
    return MODELS[kind]


def public_records(kind: str, *, today: dt.date | None = None) -> QuerySet:
    """Records on public display: published, and for penalties within their display period.

    A penalty disappears from public pages the day after its 公示截止期 even before the daily
    job marks it expired; everything stays in the staff lists."""
    today = today or timezone.localdate()
    qs = MODELS[kind].objects.filter(state=State.PUBLISHED).select_related("unit")
    if kind == "penalty":
        qs = qs.filter(display_until__gte=today)
    return qs


def public_search(kind: str, *, q: str = "", unit: int | None = None, year: int | None = None) -> QuerySet:
    qs = public_records(kind)
    if q:
        q = q.strip()[:100]
        # a natural person's full name is not searchable on public pages (only organisations and numbers)
        cond = Q(decision_number__icontains=q) | Q(credit_code=q.upper())
        cond |= Q(party_name__icontains=q) & ~Q(party_category="natural_person")
        qs = qs.filter(cond)
    if unit:
        qs = qs.filter(unit_id=unit)
    if year:
        qs = qs.filter(decided_on__year=year)
    return qs.order_by("-decided_on", "-pk")


def public_units(kind: str) -> QuerySet[Organisation]:
    ids = public_records(kind).values_list("unit_id", flat=True).distinct()
    return Organisation.objects.filter(pk__in=ids).order_by("path")


def staff_records(user, kind: str) -> QuerySet:
    return permissions.scope(MODELS[kind].objects.select_related("unit"), user)


def get_for_staff(user, kind: str, pk: int):
    from django.shortcuts import get_object_or_404

    record = get_object_or_404(MODELS[kind].objects.select_related("unit"), pk=pk)
    permissions.require_view(user, record.unit)
    return record


def _units_q(units: Iterable[Organisation] | QuerySet | None) -> Q:
    if units is None:
        return Q()
    return Q(unit__in=units)


def late_records(kind: str, units=None, *, today: dt.date | None = None) -> QuerySet:
    """Records not published within 7 working days: still unpublished after the due date, or
    published after it (the dashboard's 逾期 list)."""
    today = today or timezone.localdate()
    qs = MODELS[kind].objects.filter(_units_q(units)).exclude(state=State.WITHDRAWN)
    overdue = Q(state=State.DRAFT, publication_due__lt=today)
    published_late = Q(published_at__date__gt=F("publication_due"))
    return qs.filter(overdue | published_late).select_related("unit")


def due_soon(kind: str, units=None, *, today: dt.date | None = None, days: int = 3) -> QuerySet:
    today = today or timezone.localdate()
    return MODELS[kind].objects.filter(
        _units_q(units),
        state=State.DRAFT,
        publication_due__gte=today,
        publication_due__lte=today + dt.timedelta(days=days),
    )


def timeliness(units=None, year: int | None = None, *, today: dt.date | None = None) -> dict:
    """双公示 timeliness for assessment indicators: decisions due in the period, published on
    time, published late, still unpublished and overdue, and the on-time rate (None if nothing due).

    ``year`` selects decisions made that year; records whose due date is unknown (no calendar)
    are counted in ``unknown`` and not in the rate."""
    today = today or timezone.localdate()
    out = {"due": 0, "on_time": 0, "late": 0, "overdue": 0, "pending": 0, "unknown": 0}
    for model in MODELS.values():
        qs = model.objects.filter(_units_q(units)).exclude(state=State.WITHDRAWN)
        if year:
            qs = qs.filter(decided_on__year=year)
        agg = qs.aggregate(
            on_time=Count("pk", filter=Q(published_at__isnull=False, published_at__date__lte=F("publication_due"))),
            late=Count("pk", filter=Q(published_at__isnull=False, published_at__date__gt=F("publication_due"))),
            overdue=Count("pk", filter=Q(published_at__isnull=True, state=State.DRAFT, publication_due__lt=today)),
            pending=Count("pk", filter=Q(published_at__isnull=True, state=State.DRAFT, publication_due__gte=today)),
            unknown=Count("pk", filter=Q(publication_due__isnull=True)),
        )
        for key, value in agg.items():
            out[key] += value
    out["due"] = out["on_time"] + out["late"] + out["overdue"]
    out["rate"] = round(out["on_time"] / out["due"], 4) if out["due"] else None
    return out


def decision_counts(units, year: int) -> dict:
    """Annual report table 二: 本年处理决定数量 of 行政许可 and 行政处罚 decided in ``year``.

    ``units`` is one unit or the units a report counts. Every decision made that year counts,
    whatever its publication state (a withdrawn record was still a decision); ``ids`` are the
    records behind each figure. ``enforcement`` (行政强制) is not recorded by this module:
    ``None`` keeps the report's manual entry. ``uses_module`` is False when none of the units has
    any record at all: the report then keeps the manual figures for both rows."""
    if isinstance(units, Organisation):
        units = [units]
    out: dict = {"enforcement": None}
    used = False
    for kind, model in MODELS.items():
        qs = model.objects.filter(unit__in=units)
        used = used or qs.exists()
        ids = list(qs.filter(decided_on__year=year).order_by("pk").values_list("pk", flat=True))
        out[kind] = {"count": len(ids), "ids": ids}
    out["uses_module"] = used
    return out


def uses_module(unit: Organisation) -> bool:
    return any(model.objects.filter(unit=unit).exists() for model in MODELS.values())


def statistics(units, year: int, *, today: dt.date | None = None) -> list[dict]:
    """Per unit: licences and penalties decided in ``year``, published, late, withdrawn, fines."""
    today = today or timezone.localdate()
    rows: dict[int, dict] = {}
    for kind, model in MODELS.items():
        qs = model.objects.filter(unit__in=units, decided_on__year=year).values("unit_id", "unit__name")
        annotations = {
            "n": Count("pk"),
            "published": Count("pk", filter=Q(published_at__isnull=False)),
            "late": Count(
                "pk",
                filter=Q(published_at__date__gt=F("publication_due")) | Q(state=State.DRAFT, publication_due__lt=today),
            ),
            "withdrawn": Count("pk", filter=Q(state=State.WITHDRAWN)),
        }
        if kind == "penalty":
            annotations["fines"] = Sum("fine_amount")
        for row in qs.annotate(**annotations).order_by():
            entry = rows.setdefault(
                row["unit_id"], {"unit_id": row["unit_id"], "unit": row["unit__name"], "licence": {}, "penalty": {}}
            )
            entry[kind] = {k: row[k] for k in annotations}
    out = sorted(rows.values(), key=lambda r: r["unit"])
    for r in out:
        total = r["licence"].get("published", 0) + r["penalty"].get("published", 0)
        late = r["licence"].get("late", 0) + r["penalty"].get("late", 0)
        n = r["licence"].get("n", 0) + r["penalty"].get("n", 0)
        r["on_time_rate"] = round((n - late) / n, 4) if n else None
        r["published_total"] = total
        # (a unit with only licences has no penalty figures: totals here, not in the template,
        # where a missing filter argument is an error, not an empty value)
        r["late_total"] = late
        r["withdrawn_total"] = r["licence"].get("withdrawn", 0) + r["penalty"].get("withdrawn", 0)
    return out


def dashboard(user, *, today: dt.date | None = None) -> dict:
    """The office's (and a unit's) 双公示 panel: overdue, due soon, withdrawals to make."""
    today = today or timezone.localdate()
    units = permissions.visible_units(user)
    overdue = sum(
        MODELS[k].objects.filter(unit__in=units, state=State.DRAFT, publication_due__lt=today).count() for k in MODELS
    )
    soon = sum(due_soon(k, units, today=today).count() for k in MODELS)
    unknown = sum(
        MODELS[k].objects.filter(unit__in=units, state=State.DRAFT, publication_due__isnull=True).count()
        for k in MODELS
    )
    ending = Penalty.objects.filter(
        unit__in=units,
        state=State.PUBLISHED,
        display_until__gte=today,
        display_until__lte=today + dt.timedelta(days=30),
    ).count()
    return {"overdue": overdue, "due_soon": soon, "unknown": unknown, "display_ending": ending}


def public_counts() -> dict:
    return {kind: public_records(kind).count() for kind in MODELS}

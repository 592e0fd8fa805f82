"""Read queries: staff queues, public lists, statistics (``interaction_stats``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.models import Organisation

from . import access, suggest
from .models import (
    OPEN_STATUSES,
    Appeal,
    AppealStatus,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    FaqEntry,
    FaqStatus,
    Policy,
    PublicStatus,
)


def due_soon_limit(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return workdays.add_working_days(today, Policy.get().due_soon_days)
    except workdays.CalendarMissing:
        return today + dt.timedelta(days=Policy.get().due_soon_days)


def open_appeals(qs: QuerySet | None = None) -> QuerySet:
    return (qs if qs is not None else Appeal.objects.all()).filter(status__in=OPEN_STATUSES)


def due_soon_or_overdue(*, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (
        open_appeals()
        .filter(due_date__isnull=False, due_date__lte=due_soon_limit(today))
        .select_related("unit", "target_unit", "type")
    )


def appeal_queue(user, queue: str, *, today: dt.date | None = None) -> QuerySet:
    """Staff queues: received (to dispatch), mine (assigned to my units), due_soon, overdue, all."""
    today = today or timezone.localdate()
    qs = access.visible_appeals(Appeal.objects.all(), user).select_related("type", "unit", "target_unit")
    if queue == "received":
        qs = qs.filter(status__in=[AppealStatus.RECEIVED, AppealStatus.ACCEPTED])
    elif queue == "mine":
        mine = access.handler_units(user)
        qs = qs.filter(Q(unit__in=mine) | Q(co_units__in=mine)).filter(
            status__in=[AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS]
        )
    elif queue == "due_soon":
        qs = open_appeals(qs).filter(due_date__gte=today, due_date__lte=due_soon_limit(today))
    elif queue == "overdue":
        qs = open_appeals(qs).filter(due_date__lt=today)
    elif queue == "answered":
        qs = qs.filter(status=AppealStatus.ANSWERED)
    elif queue == "closed":
        qs = qs.filter(status__in=[AppealStatus.CLOSED, AppealStatus.REJECTED])
    return qs.order_by("due_date", "-received_at") if queue in ("due_soon", "overdue") else qs.order_by("-received_at")


def queue_counts(user) -> dict[str, int]:
    return {q: appeal_queue(user, q).count() for q in ("received", "mine", "due_soon", "overdue", "answered")}


def public_appeals() -> QuerySet:
    return (
        Appeal.objects.filter(public_status=PublicStatus.PUBLISHED)
        .select_related("type", "unit")
        .order_by("-published_at")
    )


def interaction_stats(units, year: int) -> list[dict]:
    """Per-unit figures for a calendar year (appeals received in that year, by lead unit).

    For each unit: ``volume`` (assigned appeals), ``answered``, ``on_time``
    (answered on or before the due date), ``on_time_rate`` (0–1 or None),
    ``overdue_open`` (still open past the due date), ``rated`` and the average
    ratings ``speed``/``outcome``/``attitude``/``satisfaction`` (1–5 or None).
    Computed from the records; usable by the reports app.
    """
    units = list(units)
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    today = timezone.localdate()
    base = Appeal.objects.filter(unit__in=units, received_at__gte=start, received_at__lt=end)
    rows = {
        r["unit"]: r
        for r in base.values("unit").annotate(
            volume=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            overdue_open=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
            rated=Count("pk", filter=Q(rated_at__isnull=False)),
            speed=Avg("rating_speed"),
            outcome=Avg("rating_outcome"),
            attitude=Avg("rating_attitude"),
        )
    }
    on_time: dict[int, int] = {}
    for unit_id, answered_at, due in base.filter(answered_at__isnull=False, due_date__isnull=False).values_list(
        "unit", "answered_at", "due_date"
    ):
        if timezone.localdate(answered_at) <= due:
            on_time[unit_id] = on_time.get(unit_id, 0) + 1
    out = []
    for unit in units:
        r = rows.get(unit.pk, {})
        answered = r.get("answered", 0)
        ratings = [r.get(k) for k in ("speed", "outcome", "attitude")]
        satisfaction = round(sum(ratings) / 3, 2) if all(v is not None for v in ratings) else None
        out.append(
            {
                "unit": unit,
                "volume": r.get("volume", 0),
                "answered": answered,
                "on_time": on_time.get(unit.pk, 0),
                "on_time_rate": (on_time.get(unit.pk, 0) / answered) if answered else None,
                "on_time_pct": round(100 * on_time.get(unit.pk, 0) / answered, 1) if answered else None,
                "overdue_open": r.get("overdue_open", 0),
                "rated": r.get("rated", 0),
                "speed": round(r["speed"], 2) if r.get("speed") is not None else None,
                "outcome": round(r["outcome"], 2) if r.get("outcome") is not None else None,
                "attitude": round(r["attitude"], 2) if r.get("attitude") is not None else None,
                "satisfaction": satisfaction,
            }
        )
    return out


def stats_units_for(user) -> QuerySet[Organisation]:
    return access.content_units(user).order_by("path")


# --- FAQ ---------------------------------------------------------------------------------


def published_faq() -> QuerySet:
    return FaqEntry.objects.filter(status=FaqStatus.PUBLISHED).select_related("unit").prefetch_related("topics")


def faq_search(query: str, *, limit: int = 50) -> list[FaqEntry]:
    """Ranked FAQ entries for a public search (same ranker as the suggester, no threshold)."""
    hits = suggest.get_index().search(query, limit=limit, min_similarity=0.1)
    by_id = {e.pk: e for e in published_faq().filter(pk__in=[h.entry_id for h in hits])}
    out = []
    for h in hits:
        entry = by_id.get(h.entry_id)
        if entry is not None:
            entry.similarity = h.similarity
            out.append(entry)
    return out


def faq_suggestions(query: str, *, limit: int = 5) -> list[FaqEntry]:
    query = (query or "").strip()[:300]
    if len(query) < 2:
        return []
    hits = suggest.suggest(query, limit=limit)
    by_id = {e.pk: e for e in published_faq().filter(pk__in=[h.entry_id for h in hits])}
    out = []
    for h in hits:
        entry = by_id.get(h.entry_id)
        if entry is not None:
            entry.similarity, entry.close = h.similarity, h.close  # the top five are shown; close ones marked
            out.append(entry)
    return out


def faq_for_staff(user) -> QuerySet:
    return (
        FaqEntry.objects.filter(unit__in=access.content_units(user)).select_related("unit").prefetch_related("topics")
    )


def stale_faq(user=None) -> QuerySet:
    qs = faq_for_staff(user) if user is not None else FaqEntry.objects.all()
    return qs.filter(status=FaqStatus.PUBLISHED, review_date__lt=timezone.localdate())


# --- consultations ----------------------------------------------------------------------------


def public_consultations(state: str = "") -> QuerySet:
    qs = (
        Consultation.objects.exclude(status=ConsultationStatus.DRAFT)
        .select_related("unit")
        .annotate(approved_count=Count("comments", filter=Q(comments__status=CommentStatus.APPROVED)))
    )
    if state in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED, ConsultationStatus.REPORTED):
        qs = qs.filter(status=state)
    return qs.order_by("-opens_on", "-pk")


def consultations_accepting_comments(today: dt.date | None = None) -> QuerySet:
    """Open consultations that accept comments today, closing soonest first."""
    today = today or timezone.localdate()
    return (
        Consultation.objects.filter(status=ConsultationStatus.OPEN, opens_on__lte=today, closes_on__gte=today)
        .select_related("unit")
        .order_by("closes_on", "pk")
    )


def public_change_markers() -> list[QuerySet]:
    """When consultations and appeals last changed: one-value queries (``SELECT updated_at … LIMIT 1``)
    that the portal runs as subqueries to key its caches (appeals: all of them, since the public
    figures count received and answered appeals, not only published ones)."""
    return [
        Consultation.objects.exclude(status=ConsultationStatus.DRAFT).order_by("-updated_at").values("updated_at")[:1],
        Appeal.objects.order_by("-updated_at").values("updated_at")[:1],
    ]


def consultations_for_staff(user) -> QuerySet:
    return (
        Consultation.objects.filter(unit__in=access.content_units(user))
        .select_related("unit")
        .annotate(
            pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
            total=Count("comments"),
        )
        .order_by("-created_at")
    )


def moderation_queue(user) -> QuerySet:
    return (
        Comment.objects.filter(consultation__unit__in=access.content_units(user), status=CommentStatus.PENDING)
        .select_related("consultation")
        .order_by("created_at")
    )


def consultation_figures(c: Consultation) -> dict:
    counts = c.comments.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status=CommentStatus.APPROVED)),
        rejected=Count("pk", filter=Q(status=CommentStatus.REJECTED)),
        pending=Count("pk", filter=Q(status=CommentStatus.PENDING)),
        adopted=Count("pk", filter=Q(status=CommentStatus.APPROVED, adoption="adopted")),
        partly=Count("pk", filter=Q(status=CommentStatus.APPROVED, adoption="partly")),
        not_adopted=Count("pk", filter=Q(status=CommentStatus.APPROVED, adoption="not_adopted")),
    )
    return counts


def public_summary(year: int) -> dict:
    """Figures for the public 我要留言 page: appeals received this year, answered, on time, satisfaction."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    qs = Appeal.objects.filter(received_at__gte=start, received_at__lt=end)
    agg = qs.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        speed=Avg("rating_speed"),
        outcome=Avg("rating_outcome"),
        attitude=Avg("rating_attitude"),
    )
    on_time = sum(
        1
        for answered_at, due in qs.filter(answered_at__isnull=False, due_date__isnull=False).values_list(
            "answered_at", "due_date"
        )
        if timezone.localdate(answered_at) <= due
    )
    ratings = [agg[k] for k in ("speed", "outcome", "attitude")]
    return {
        "year": year,
        "received": agg["received"],
        "answered": agg["answered"],
        "on_time_pct": round(100 * on_time / agg["answered"], 1) if agg["answered"] else None,
        "satisfaction": round(sum(ratings) / 3, 2) if all(r is not None for r in ratings) else None,
    }


# --- for the monitoring app (interaction response of the portal, 国办秘函〔2019〕19号) -------------


def consult_reply_rows(*, since: dt.date | None = None) -> list[tuple[dt.date, dt.date | None, bool]]:
    """Consultation messages (type ``consult``) as ``(received, answered or None, unanswered)``
    rows, newest first; rejected messages are left out (they were not valid messages)."""
    qs = Appeal.objects.filter(type__code="consult").exclude(status=AppealStatus.REJECTED)
    if since is not None:
        qs = qs.filter(received_at__date__gte=since)
    return [
        (timezone.localdate(received), timezone.localdate(answered) if answered else None, answered is None)
        for received, answered in qs.order_by("-received_at").values_list("received_at", "answered_at")[:5000]
    ]


def appeal_facts(units, start: dt.date, end: dt.date) -> dict[int, dict]:
    """For the assessment app: per lead unit, appeals answered in [start, end] (``answered``)
    and those answered on or before their due date (``on_time``)."""
    ids = [u.pk for u in units]
    out = {i: {"answered": 0, "on_time": 0} for i in ids}
    rows = Appeal.objects.filter(unit_id__in=ids, answered_at__date__gte=start, answered_at__date__lte=end)
    for unit_id, answered_at, due in rows.values_list("unit_id", "answered_at", "due_date"):
        out[unit_id]["answered"] += 1
        out[unit_id]["on_time"] += int(due is not None and timezone.localdate(answered_at) <= due)
    return out

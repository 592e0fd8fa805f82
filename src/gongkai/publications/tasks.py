"""Background jobs of the publications app."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from . import indexing
from .models import NORMATIVE_TYPES, Publication, State


def status_changes_on(day: dt.date):
    """Published regulations/normative documents whose derived status changes on ``day``
    (施行日期 or 失效日期 reached, or a repeal/amendment taking effect)."""
    return (
        Publication.objects.filter(state=State.PUBLISHED, doc_type__in=NORMATIVE_TYPES)
        .filter(Q(effective_from=day) | Q(expires_on=day) | Q(legal_links_in__effective_on=day))
        .distinct()
    )


@shared_task(name="publications.refresh_status_changes")
def refresh_status_changes(day: str | None = None) -> int:
    """Daily: re-index documents whose status changed today, so the search index's status
    facet follows the dates (portal pages derive the status live and need nothing)."""
    when = dt.date.fromisoformat(day) if day else timezone.localdate()
    n = 0
    for pub in status_changes_on(when).only("pk"):
        indexing.schedule_now(pub.pk)
        n += 1
    return n

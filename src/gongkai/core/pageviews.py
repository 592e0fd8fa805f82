"""Counting views of public record pages, where they happen.

A public view that shows one record calls :func:`record_view` (``record_view(request,
"catalogue.item", item.pk)``). Only GETs by people are counted: crawlers (by User-Agent),
prefetches and staff are not; the counter is one row per record and day, nothing about the
visitor. A failure to count never breaks the page.
"""

from __future__ import annotations

import logging
import re

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

log = logging.getLogger(__name__)

_BOT = re.compile(r"bot|spider|crawl|slurp|curl|wget|python-requests|httpx|headless", re.I)


def is_countable(request) -> bool:
    if request.method != "GET":
        return False
    if request.headers.get("Purpose") == "prefetch" or request.headers.get("Sec-Purpose", "").startswith("prefetch"):
        return False
    if _BOT.search(request.headers.get("User-Agent", "")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def count(object_type: str, object_id) -> None:
    """Add one view of a record today (atomic increment; safe under concurrency)."""
    from .models import PageView

    day = timezone.localdate()
    key = {"object_type": object_type, "object_id": str(object_id), "day": day}
    if PageView.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            PageView.objects.create(**key, count=1)
    except IntegrityError:  # another request created today's row first
        PageView.objects.filter(**key).update(count=F("count") + 1)


def record_view(request, object_type: str, object_id) -> None:
    try:
        if is_countable(request):
            count(object_type, object_id)
    except Exception:  # never break a page because of a counter
        log.warning("page view not counted", exc_info=True)


def most_viewed(object_type: str, *, since, limit: int = 10) -> list[tuple[str, int]]:
    """(object id, views) of the most viewed records of a type since a day."""
    from .models import PageView

    return list(
        PageView.objects.filter(object_type=object_type, day__gte=since)
        .values("object_id")
        .annotate(n=Sum("count"))
        .order_by("-n", "object_id")
        .values_list("object_id", "n")[:limit]
    )

"""Periodic jobs of the credit app (Celery beat, see settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="gongkai.credit.tasks.expire_displays", acks_late=True)
def expire_displays() -> int:
    """Penalties whose display period ended leave the public pages (kept internally)."""
    return services.expire_displays()


@shared_task(name="gongkai.credit.tasks.index_imported", acks_late=True)
def index_imported(kind: str, ids: list[int]) -> int:
    """Index one batch of imported records (queued by the importer after its commit)."""
    from . import indexing

    return indexing.index_batch(kind, ids)

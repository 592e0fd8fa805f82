"""Celery tasks of the benefits app (they call services)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="benefits.expire_items")
def expire_items() -> dict:
    """Daily: unpublish items whose validity has ended; close recipient lists whose display period is over."""
    from . import services

    return {"expired": services.items_expire(), "closed": services.batches_close()}

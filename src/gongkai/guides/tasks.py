"""Celery tasks of the guides app (they call services)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="guides.send_digests")
def send_digests() -> dict:
    """Daily digest to every confirmed subscriber (nothing is sent when nothing is new)."""
    from . import notify

    return notify.send_digests()

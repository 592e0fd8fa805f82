"""Core background jobs."""

from __future__ import annotations

from celery import shared_task

from . import deadlines


@shared_task(name="gongkai.core.tasks.recompute_due_dates", acks_late=True)
def recompute_due_dates(reason: str = "scheduled") -> dict[str, int]:
    """Recompute every registered kind of stored due date (idempotent: safe to run twice)."""
    return deadlines.recompute_all()

"""Periodic jobs (Celery beat, scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="interaction.appeal_reminders")
def appeal_reminders() -> int:
    """Daily: fill due dates that waited for a missing calendar year, remind units of appeals due soon or overdue."""
    services.appeal_recompute_due_dates()
    return services.appeal_remind_due()


@shared_task(name="interaction.consultation_close_expired")
def consultation_close_expired() -> int:
    return services.consultation_close_expired()


@shared_task(name="interaction.faq_stale_check")
def faq_stale_check() -> int:
    """Daily: answers past their review date are flagged in the workbench; mail each unit its list once a week (Mondays)."""
    return services.faq_notify_stale()

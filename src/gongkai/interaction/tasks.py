"""Periodic jobs (Celery beat, registered in InteractionConfig.ready())."""

from __future__ import annotations

from celery import shared_task

from . import services, suggest


@shared_task(name="interaction.appeal_reminders")
def appeal_reminders() -> int:
    """Daily: fill postponed due dates, remind units of appeals due soon or overdue."""
    services.appeal_fill_missing_due_dates()
    return services.appeal_remind_due()


@shared_task(name="interaction.consultation_close_expired")
def consultation_close_expired() -> int:
    return services.consultation_close_expired()


@shared_task(name="interaction.faq_stale_check")
def faq_stale_check() -> int:
    """Daily: count answers past their review date (they are flagged in the workbench) and refresh the index."""
    from .selectors import stale_faq

    suggest.get_index()
    return stale_faq().count()

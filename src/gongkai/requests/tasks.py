"""Celery tasks calling the services: letter rendering after commit, due-date reminders (beat).

Due dates are recomputed by core's ``gongkai.core.tasks.recompute_due_dates`` (registered in
``RequestsConfig.ready``): on commit of every calendar or period change and hourly.
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="gongkai.requests.tasks.render_letter", acks_late=True)
def render_letter(letter_id: int) -> str:
    """Render one issued letter to DOCX and PDF (idempotent: rendering again gives the same letter)."""
    return services.letter_render(letter_id).state


@shared_task(name="gongkai.requests.tasks.send_reminders")
def send_reminders() -> int:
    return services.send_reminders()

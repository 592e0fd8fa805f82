"""Celery tasks (scheduled in RequestsConfig.ready): recompute due dates, send reminders."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="gongkai.requests.tasks.recompute_due_dates")
def recompute_due_dates() -> dict:
    report = services.recompute_due_dates()
    return {"checked": report.checked, "changed": report.changed, "missing": report.missing}


@shared_task(name="gongkai.requests.tasks.send_reminders")
def send_reminders() -> int:
    return services.send_reminders()

"""Celery tasks of the assessment app (they call the services)."""

from __future__ import annotations

from celery import chain, shared_task

from . import services


@shared_task(name="assessment.escalate_overdue")
def escalate_overdue() -> int:
    return services.escalate_overdue()


@shared_task(name="assessment.evaluate_recheck")
def evaluate_recheck(rectification_id: int) -> str:
    return services.rectification_evaluate(rectification_id=rectification_id)


@shared_task(name="assessment.render_document")
def render_document(kind: str, pk: int) -> None:
    services.render_document(kind, pk)


def start_recheck(rectification_id: int, finding_ids: list[int]) -> None:
    """Re-crawl the findings' sites (monitoring's public task), then evaluate the outcome."""
    from gongkai.monitoring.tasks import recheck_findings

    chain(recheck_findings.si(finding_ids), evaluate_recheck.si(rectification_id)).delay()

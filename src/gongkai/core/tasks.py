"""Core background jobs."""

from __future__ import annotations

from celery import shared_task

from . import deadlines


@shared_task(name="gongkai.core.tasks.recompute_due_dates", acks_late=True)
def recompute_due_dates(reason: str = "scheduled") -> dict[str, int]:
    """Recompute every registered kind of stored due date (idempotent: safe to run twice)."""
    return deadlines.recompute_all()


@shared_task(name="gongkai.core.tasks.audit_chain_pending", acks_late=True)
def audit_chain_pending() -> int:
    """The audit sequencer: link committed, unchained events in id order (idempotent: it holds the head lock).

    Queued after audited commits (``audit.wake_sequencer``) and every minute by beat, which also
    links what a crashed or killed process left unchained.
    """
    from . import audit

    return audit.chain_pending()


@shared_task(name="gongkai.core.tasks.audit_checkpoint", acks_late=True)
def audit_checkpoint() -> str:
    """Export a signed checkpoint of the audit chain head to GONGKAI_AUDIT_CHECKPOINT_DIR (idempotent)."""
    from . import audit

    path = audit.write_checkpoint()
    return str(path or "")

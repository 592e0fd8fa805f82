"""Review of findings: confirm, or dismiss as a false positive (stays dismissed for that page and
text); the reviewer is never the creator of the rule (the transition's permission)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from gongkai.core import transitions

from ..audit_actions import AuditAction
from ..models import (
    Finding,
)


@transaction.atomic
def finding_confirm(*, actor, finding: Finding) -> Finding:
    def update(f: Finding) -> None:
        f.reviewed_by, f.reviewed_at = actor, timezone.now()

    return transitions.run(
        finding,
        "confirm",
        actor=actor,
        action=AuditAction.FINDING_CONFIRM,
        update=update,
        snapshot_fields=["status", "reviewed_by"],
    )


@transaction.atomic
def finding_dismiss(*, actor, finding: Finding, reason: str) -> Finding:
    """A false positive: it stays dismissed for that page and text (same fingerprint)."""
    reason = (reason or "").strip()
    # the transition's condition reads the reason being given; a refusal rolls this back
    Finding.objects.filter(pk=finding.pk).update(dismiss_reason=reason[:300])

    def update(f: Finding) -> None:
        f.reviewed_by, f.reviewed_at = actor, timezone.now()

    return transitions.run(
        finding,
        "dismiss",
        actor=actor,
        action=AuditAction.FINDING_DISMISS,
        update=update,
        snapshot_fields=["status", "dismiss_reason"],
    )

"""Pieces shared by the publications services: editable fields, audit snapshots, the review trail."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import User

from ..models import Publication, Transition

EDITABLE_FIELDS = [
    "doc_type",
    "title",
    "body",
    "topic",
    "issuer",
    "document_number",
    "made_on",
    "changed_on",
    "effective_from",
    "expires_on",
    "interprets",
    "interpretation_form",
    "video_url",
    "needs_interpretation",
    "drafting_notes",
    "comment_until",
    "short_comment_reason",
    "fiscal_year",
    "budget_kind",
    "attribute",
    "attribute_ground",
    "attribute_reason",
    "unit_item",
    "domain",
]
FOREIGN_KEYS = {"interprets", "unit_item", "domain"}
#: what an audit event records of an item (the body is left out: it can be long)
AUDIT_FIELDS = [f + "_id" if f in FOREIGN_KEYS else f for f in EDITABLE_FIELDS if f != "body"] + [
    "state",
    "index_number",
    "published_on",
    "due_on",
    "is_late",
]
#: what a review step records
STEP_FIELDS = ["state", "attribute", "attribute_ground", "attribute_reason", "review_comment"]
PUBLISH_FIELDS = ["state", "index_number", "published_on", "due_on", "is_late", "review_comment"]


def today() -> dt.date:
    return timezone.localdate()


def snapshot(pub: Publication) -> dict:
    return audit.snapshot(pub, AUDIT_FIELDS)


def actor_name(actor: User | None) -> str:
    return actor.display_name if actor is not None and actor.pk else "系统"


def trail(step: str, actor: User | None, comment: str = "", *, from_state: str = ""):
    """A ``step=`` callback for :func:`gongkai.core.transitions.run`: one row of the review trail."""

    def record(pub: Publication) -> None:
        Transition.objects.create(
            publication=pub,
            step=step,
            from_state=from_state,
            to_state=pub.state,
            actor=actor if actor is not None and actor.pk else None,
            actor_name=actor_name(actor),
            comment=comment,
        )

    return record

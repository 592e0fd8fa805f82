"""Every state change of publications: drafting, the layered review, publishing, withdrawal,
attachments, repeal/amendment records, per-unit review policies and stored due dates.

Each function is keyword-only, runs in one transaction, authorises the actor (through the
transition's ``permission=`` or :mod:`gongkai.core.permissions`), records a hash-chained audit
event and schedules the search-index update after commit.

Workflow (per unit, see :class:`~gongkai.publications.models.ReviewPolicy`)::

    draft ──submit──▶ attribute_review ──▶ [confidentiality_review] ──▶ [signoff] ──▶ published ──▶ withdrawn
      ▲                     │    └─ not proactive (art. 14–16) ──▶ retained ──reopen──┐
      └──── reject (with comments, from any review step) ◀────────────────────────────┘

Modules: :mod:`.drafting`, :mod:`.review`, :mod:`.records`.
"""

from ..choices import INTERPRETABLE_TYPES
from ..guards import STEP_ROLE, is_final_step, next_state, review_policy, review_steps
from ._common import AUDIT_FIELDS, EDITABLE_FIELDS
from .drafting import (
    attachment_add,
    attachment_remove,
    publication_create,
    publication_delete,
    publication_link_unit_item,
    publication_update,
    readiness_errors,
)
from .records import RecomputeReport, legal_link_add, recompute_due_dates, review_policy_set
from .review import (
    publication_approve_attribute,
    publication_reject,
    publication_reopen,
    publication_retain,
    publication_review_attribute,
    publication_review_confidentiality,
    publication_sign_off,
    publication_submit,
    publication_waive_interpretation,
    publication_withdraw,
)

__all__ = [
    "AUDIT_FIELDS",
    "EDITABLE_FIELDS",
    "INTERPRETABLE_TYPES",
    "STEP_ROLE",
    "RecomputeReport",
    "attachment_add",
    "attachment_remove",
    "is_final_step",
    "legal_link_add",
    "next_state",
    "publication_approve_attribute",
    "publication_create",
    "publication_delete",
    "publication_link_unit_item",
    "publication_reject",
    "publication_reopen",
    "publication_retain",
    "publication_review_attribute",
    "publication_review_confidentiality",
    "publication_sign_off",
    "publication_submit",
    "publication_update",
    "publication_waive_interpretation",
    "publication_withdraw",
    "readiness_errors",
    "recompute_due_dates",
    "review_policy",
    "review_policy_set",
    "review_steps",
]

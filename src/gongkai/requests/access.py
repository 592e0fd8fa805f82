"""Who may do what with an information request (used by the FSM transitions' ``permission=``,
the action layer and the views; built on :mod:`gongkai.core.permissions`).

* handlers: the unit's editors, reviewers and leader, and the disclosure office overseeing it;
* the extension of the reply period is approved by the head of the disclosure body (条例第三十三条
  第二款): the unit's **leader**;
* a reply that needs sign-off (a per-unit setting, :class:`~gongkai.requests.models.RequestPolicy`)
  is signed off by a **reviewer or leader** of the unit who did not draft it;
* personal data in clear: only the assigned handler and the unit's leader.
"""

from __future__ import annotations

from gongkai.core import permissions
from gongkai.core.models import Membership, Role

HANDLER_ROLES = (Role.EDITOR, Role.REVIEWER, Role.LEADER, Role.DISCLOSURE_OFFICE)
SIGNER_ROLES = (Role.REVIEWER, Role.LEADER)
POLICY_ROLES = (Role.LEADER, Role.DISCLOSURE_OFFICE)


def can_handle(req, user) -> bool:
    return permissions.has_any_role(user, HANDLER_ROLES, req.unit)


def is_leader(req, user) -> bool:
    return permissions.has_role(user, Role.LEADER, req.unit)


def can_sign(req, user) -> bool:
    """A reviewer or leader of the unit who did not draft the pending reply (four eyes)."""
    if not permissions.has_any_role(user, SIGNER_ROLES, req.unit):
        return False
    draft = req.pending_draft
    return draft is None or draft.drafted_by_id != getattr(user, "pk", None)


def can_see_personal_data(user, req) -> bool:
    """Only the assigned handler and the unit's leader see ID number, phone and address in clear."""
    if not getattr(user, "is_authenticated", False):
        return False
    if req.handler_id and req.handler_id == user.pk:
        return True
    return Membership.objects.filter(user=user, unit_id=req.unit_id, role=Role.LEADER).exists()


def can_set_policy(user, unit) -> bool:
    return permissions.has_any_role(user, POLICY_ROLES, unit)

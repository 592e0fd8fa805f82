"""The reply (art. 36): direct, or drafted and signed off by a reviewer or leader (per-unit
setting, on by default), each with its letter in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.models import User

from ..audit_actions import AuditAction
from ..models import (
    OUTCOME_BASIS,
    WITHHELD_OUTCOMES,
    DraftDecision,
    InformationRequest,
    LetterKind,
    Outcome,
    ReplyDraft,
    StepKind,
)
from .common import check_date, run, step, today
from .letters import issue_in_transaction


def _clean_reply(outcome: str, reason: str, legal_basis: str) -> tuple[str, str, str]:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择答复类型")})
    if outcome == Outcome.OTHER_NO_CORRECTION:
        raise ValidationError({"outcome": _("逾期不补正请使用“视为放弃申请”操作")})
    reason = (reason or "").strip()
    if outcome in WITHHELD_OUTCOMES and not reason:
        raise ValidationError({"reason": _("不予公开的，应当告知申请人不予公开的理由（第三十六条第三项）")})
    return outcome, reason, ((legal_basis or "").strip() or OUTCOME_BASIS.get(outcome, ""))


def _finish(r: InformationRequest, outcome: str, reason: str, basis: str, replied_on: dt.date) -> None:
    check_date(
        replied_on, field="replied_on", earliest=r.received_on, message=_("答复日期应在收到申请之后且不晚于今天")
    )
    r.outcome, r.outcome_reason, r.legal_basis, r.finished_on = outcome, reason, basis, replied_on


def _replied_step(r: InformationRequest, actor, replied_on: dt.date) -> None:
    late = r.due_date and replied_on > r.due_date
    step(
        r,
        StepKind.REPLIED,
        actor=actor,
        on=replied_on,
        public_note=_("答复类型：%(outcome)s。法律依据：%(basis)s")
        % {"outcome": Outcome(r.outcome).label, "basis": r.legal_basis or "—"},
        internal_note=_("超期答复") if late else "",
    )


@transaction.atomic
def request_reply(
    *,
    actor: User,
    req: InformationRequest,
    outcome: str,
    reason: str = "",
    legal_basis: str = "",
    replied_on: dt.date | None = None,
    letter: bool = False,
) -> InformationRequest:
    """Reply directly (units that do not require sign-off); with ``letter`` the 答复书 is issued
    in the same transaction and rendered after commit."""
    outcome, reason, basis = _clean_reply(outcome, reason, legal_basis)
    replied_on = replied_on or today()
    req = run(
        req,
        "reply",
        actor=actor,
        action=AuditAction.REPLY,
        update=lambda r: _finish(r, outcome, reason, basis, replied_on),
        step_fn=lambda r: _replied_step(r, actor, replied_on),
    )
    if letter:
        issue_in_transaction(actor=actor, req=req, kind=LetterKind.REPLY, issued_on=replied_on)
    return req


@transaction.atomic
def reply_submit(
    *, actor: User, req: InformationRequest, outcome: str, reason: str = "", legal_basis: str = "", letter: bool = True
) -> ReplyDraft:
    """The handler's reply goes to a reviewer or leader of the unit for sign-off."""
    outcome, reason, basis = _clean_reply(outcome, reason, legal_basis)
    drafts: list[ReplyDraft] = []

    def update(r):
        drafts.append(
            ReplyDraft.objects.create(
                request=r,
                outcome=outcome,
                reason=reason,
                legal_basis=basis,
                with_letter=letter,
                drafted_by=actor,
                drafted_at=timezone.now(),
            )
        )

    run(
        req,
        "submit_reply",
        actor=actor,
        action=AuditAction.REPLY_SUBMITTED,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.REPLY_SUBMITTED,
            actor=actor,
            internal=True,
            internal_note=_("答复类型：%(outcome)s") % {"outcome": Outcome(outcome).label},
        ),
    )
    return drafts[0]


@transaction.atomic
def reply_approve(
    *, actor: User, req: InformationRequest, note: str = "", replied_on: dt.date | None = None
) -> InformationRequest:
    """Sign off the pending draft: the reply is made (dated today) and its letter issued."""
    replied_on = replied_on or today()
    signed: list[ReplyDraft] = []

    def update(r):
        draft = ReplyDraft.objects.select_for_update().get(pk=r.pending_draft.pk)
        _finish(r, draft.outcome, draft.reason, draft.legal_basis, replied_on)
        draft.decision, draft.decided_by, draft.decided_at = DraftDecision.APPROVED, actor, timezone.now()
        draft.decision_note = (note or "").strip()
        draft.save()
        signed.append(draft)

    req = run(
        req,
        "approve_reply",
        actor=actor,
        action=AuditAction.REPLY_APPROVED,
        update=update,
        step_fn=lambda r: _replied_step(r, actor, replied_on),
    )
    if signed[0].with_letter:
        issue_in_transaction(actor=actor, req=req, kind=LetterKind.REPLY, issued_on=replied_on)
    return req


@transaction.atomic
def reply_return(*, actor: User, req: InformationRequest, note: str) -> InformationRequest:
    """Send the draft back to the handler with the reasons."""
    note = (note or "").strip()

    def update(r):
        if not note:
            raise ValidationError({"note": _("请填写退回意见")})
        draft = ReplyDraft.objects.select_for_update().get(pk=r.pending_draft.pk)
        draft.decision, draft.decided_by, draft.decided_at = DraftDecision.RETURNED, actor, timezone.now()
        draft.decision_note = note
        draft.save()

    return run(
        req,
        "return_reply",
        actor=actor,
        action=AuditAction.REPLY_RETURNED,
        update=update,
        step_fn=lambda r: step(r, StepKind.REPLY_RETURNED, actor=actor, internal=True, internal_note=note),
    )

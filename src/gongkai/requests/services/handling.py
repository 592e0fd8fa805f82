"""Handling steps: assignment, notes, correction (art. 30), consultation (arts. 32–34),
transfer, extension (art. 33), withdrawal, closing and review/litigation cases.

Every state change runs its model transition through :func:`.common.run` (lock, state,
conditions and permission declared on the model, trail step, audit event, one transaction).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, permissions, workdays
from gongkai.core.models import Organisation, User

from .. import access, deadlines
from ..audit_actions import AuditAction
from ..models import (
    OUTCOME_BASIS,
    Consultation,
    ConsultationKind,
    Extension,
    ExtensionStatus,
    InformationRequest,
    LetterKind,
    Outcome,
    RequestStep,
    ReviewCase,
    ReviewKind,
    ReviewOutcome,
    StepKind,
)
from .common import check_date, cn_date, refresh_due, run, step, today
from .letters import issue_in_transaction


@transaction.atomic
def request_assign(
    *, actor: User, req: InformationRequest, handler: User, on: dt.date | None = None
) -> InformationRequest:
    """Assign the handler; a newly registered request is then in progress."""
    on = on or today()

    def update(r):
        check_date(on, field="on", earliest=r.received_on, message=_("分配日期应在收到申请之后且不晚于今天"))
        if not permissions.has_any_role(handler, access.HANDLER_ROLES, r.unit):
            raise ValidationError({"handler": _("承办人必须是本单位工作人员")})
        r.handler = handler

    return run(
        req,
        "assign",
        actor=actor,
        action=AuditAction.REQUEST_ASSIGN,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.ASSIGNED,
            actor=actor,
            on=on,
            internal=True,
            internal_note=_("承办人：%(name)s") % {"name": handler.display_name},
        ),
    )


@transaction.atomic
def request_add_note(*, actor: User, req: InformationRequest, note: str) -> RequestStep:
    """An internal note on the trail (never shown to the applicant)."""
    if not access.can_handle(req, actor):
        raise PermissionDenied(_("您无权办理该申请"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("备注不能为空")})
    entry = step(req, StepKind.NOTE, actor=actor, internal=True, internal_note=note[:4000])
    audit.record(actor=actor, action=AuditAction.REQUEST_NOTE, obj=req, unit=req.unit, after={"step": entry.pk})
    return entry


# --- correction (art. 30) -----------------------------------------------------------------


@transaction.atomic
def request_correction_notice(
    *,
    actor: User,
    req: InformationRequest,
    items: str,
    sent_on: dt.date | None = None,
    deadline: dt.date | None = None,
    letter: bool = False,
) -> InformationRequest:
    """One notice listing everything to correct (art. 30), within 7 working days of receipt.

    The applicant's deadline defaults to the period ``request.correction_deadline``; with
    ``letter`` the 补正申请告知书 is issued in the same transaction (rendered after commit).
    """
    items = (items or "").strip()
    sent_on = sent_on or today()

    def update(r):
        if not items:
            raise ValidationError({"items": _("请一次性列明需要补正的全部事项（第三十条）")})
        check_date(sent_on, field="sent_on", earliest=r.received_on, message=_("告知日期应在收到申请之后且不晚于今天"))
        try:
            due = deadline or deadlines.correction_deadline(sent_on)
        except workdays.CalendarMissing as exc:
            raise ValidationError(str(exc)) from exc
        if due <= sent_on:
            raise ValidationError({"deadline": _("补正期限应晚于告知日期")})
        r.correction_requested_on = sent_on
        r.correction_deadline = due

    def trail(r):
        late = r.correction_notice_due and sent_on > r.correction_notice_due
        step(
            r,
            StepKind.CORRECTION_REQUESTED,
            actor=actor,
            on=sent_on,
            public_note=_("需补正事项：%(items)s\n请于%(date)s前补正。补正后，答复期限自收到补正申请之日起重新计算。")
            % {"items": items, "date": cn_date(r.correction_deadline)},
            internal_note=_("注意：已超过第三十条规定的7个工作日告知期限") if late else "",
        )

    req = run(
        req, "request_correction", actor=actor, action=AuditAction.CORRECTION_NOTICE, update=update, step_fn=trail
    )
    if letter:
        issue_in_transaction(actor=actor, req=req, kind=LetterKind.CORRECTION, issued_on=sent_on)
    return req


@transaction.atomic
def request_receive_correction(
    *, actor: User, req: InformationRequest, corrected_on: dt.date, note: str = ""
) -> InformationRequest:
    """The corrected request arrived: the 20 working days run again from that day (art. 30)."""

    def update(r):
        check_date(
            corrected_on,
            field="corrected_on",
            earliest=r.correction_requested_on or r.received_on,
            message=_("收到补正日期应在补正告知之后且不晚于今天"),
        )
        r.corrected_on = corrected_on
        refresh_due(r)

    return run(
        req,
        "receive_correction",
        actor=actor,
        action=AuditAction.CORRECTION_RECEIVED,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.CORRECTED,
            actor=actor,
            on=corrected_on,
            public_note=_("已收到补正材料，答复期限自%(date)s起重新计算。") % {"date": cn_date(corrected_on)}
            + (f"\n{note}" if note else ""),
        ),
    )


@transaction.atomic
def request_deem_withdrawn(*, actor: User, req: InformationRequest, on: dt.date | None = None) -> InformationRequest:
    """No correction by the stated deadline without good reason → deemed abandoned (art. 30)."""
    on = on or today()

    def update(r):
        if on <= r.correction_deadline or on > today():
            raise ValidationError({"on": _("补正期限尚未届满，不能视为放弃申请")})
        r.outcome = Outcome.OTHER_NO_CORRECTION
        r.legal_basis = OUTCOME_BASIS[Outcome.OTHER_NO_CORRECTION]
        r.finished_on = on

    return run(
        req,
        "deem_withdrawn",
        actor=actor,
        action=AuditAction.DEEMED_WITHDRAWN,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.DEEMED_WITHDRAWN,
            actor=actor,
            on=on,
            public_note=_("申请人未在%(date)s前补正，依照条例第三十条视为放弃申请，本机关不再处理该申请。")
            % {"date": cn_date(r.correction_deadline)},
        ),
    )


@transaction.atomic
def request_withdraw(
    *, actor: User, req: InformationRequest, on: dt.date | None = None, note: str = ""
) -> InformationRequest:
    """The applicant withdrew the request (counted as 其他处理 3 in table 三)."""
    on = on or today()

    def update(r):
        check_date(on, field="on", earliest=r.received_on, message=_("撤回日期应在收到申请之后且不晚于今天"))
        r.outcome = Outcome.OTHER
        r.outcome_reason = (note or "").strip() or _("申请人主动撤回申请")
        r.finished_on = on

    return run(
        req,
        "withdraw",
        actor=actor,
        action=AuditAction.WITHDRAW,
        update=update,
        step_fn=lambda r: step(r, StepKind.WITHDRAWN, actor=actor, on=on, public_note=r.outcome_reason),
    )


# --- consultation (arts. 32–34: the clock pauses) --------------------------------------------


@transaction.atomic
def consultation_send(
    *,
    actor: User,
    req: InformationRequest,
    kind: str,
    recipient: str,
    question: str,
    sent_on: dt.date | None = None,
    recipient_address: str = "",
    letter: bool = False,
) -> Consultation:
    """Consult a third party (art. 32) or another body (art. 34); the clock pauses (art. 33)."""
    sent_on = sent_on or today()
    created: list[Consultation] = []

    def update(r):
        if kind not in ConsultationKind.values:
            raise ValidationError({"kind": _("请选择征求意见类型")})
        if not (recipient or "").strip() or not (question or "").strip():
            raise ValidationError(_("请填写征求对象和征求意见事项"))
        check_date(
            sent_on, field="sent_on", earliest=r.clock_start, message=_("发函日期应在收到申请（补正）之后且不晚于今天")
        )
        try:
            reply_due = deadlines.third_party_reply_due(sent_on, other_body=kind == ConsultationKind.OTHER_BODY)
        except workdays.CalendarMissing as exc:
            raise ValidationError(str(exc)) from exc
        created.append(
            Consultation.objects.create(
                request=r,
                kind=kind,
                recipient=recipient.strip(),
                question=question.strip(),
                sent_on=sent_on,
                reply_due=reply_due,
                recipient_address=(recipient_address or "").strip(),
            )
        )
        refresh_due(r)

    def trail(r):
        c = created[0]
        who = _("第三方") if kind == ConsultationKind.THIRD_PARTY else _("其他机关")
        step(
            r,
            StepKind.CONSULTATION_SENT,
            actor=actor,
            on=sent_on,
            public_note=_("因需征求%(who)s意见，自%(date)s起暂停计算答复期限（条例第三十三条第二款）。")
            % {"who": who, "date": cn_date(sent_on)},
            internal_note=_("征求对象：%(who)s；对方答复期限：%(due)s") % {"who": c.recipient, "due": c.reply_due},
        )

    req = run(
        req,
        "pause_for_consultation",
        actor=actor,
        action=AuditAction.CONSULTATION_SENT,
        update=update,
        step_fn=trail,
    )
    if letter:
        issue_in_transaction(
            actor=actor, req=req, kind=LetterKind.CONSULTATION, consultation=created[0], issued_on=sent_on
        )
    return created[0]


@transaction.atomic
def consultation_answer(
    *, actor: User, consultation: Consultation, answered_on: dt.date, answer: str = "", agrees: bool | None = None
) -> Consultation:
    """The consulted party answered (or its 15 days ran out: record that day); the clock resumes."""
    answered: list[Consultation] = []

    def update(r):
        c = Consultation.objects.select_for_update().get(pk=consultation.pk, request=r)
        if c.answered_on:
            raise ValidationError({"consultation": _("该征求意见已登记答复")})
        check_date(
            answered_on, field="answered_on", earliest=c.sent_on, message=_("收到意见日期应在发函之后且不晚于今天")
        )
        c.answered_on, c.answer, c.agrees = answered_on, (answer or "").strip(), agrees
        c.save()
        answered.append(c)
        refresh_due(r)

    def trail(r):
        c = answered[0]
        step(
            r,
            StepKind.CONSULTATION_ANSWERED,
            actor=actor,
            on=answered_on,
            public_note=_("征求意见已于%(date)s结束，恢复计算答复期限。") % {"date": cn_date(answered_on)},
            internal_note=f"{c.recipient}：{c.answer}",
        )

    run(
        consultation.request,
        "resume",
        actor=actor,
        action=AuditAction.CONSULTATION_ANSWERED,
        update=update,
        step_fn=trail,
        args=(consultation.pk,),
    )
    return answered[0]


@transaction.atomic
def request_transfer(
    *, actor: User, req: InformationRequest, to_unit: Organisation, note: str = ""
) -> InformationRequest:
    """Hand the request to another body on the platform that holds the information (art. 36(5)).

    The receipt date (and so the due date) does not change: the applicant's request was
    received when it was received.
    """
    old = req.unit

    def update(r):
        if to_unit.pk == r.unit_id or not to_unit.is_active:
            raise ValidationError({"to_unit": _("请选择另一个启用的机关")})
        r.unit, r.handler = to_unit, None

    return run(
        req,
        "transfer",
        actor=actor,
        action=AuditAction.TRANSFER,
        unit=old,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.TRANSFERRED,
            actor=actor,
            public_note=_("由%(old)s转交%(new)s办理。") % {"old": old.name, "new": to_unit.name},
            internal_note=note,
        ),
    )


# --- extension (art. 33) ------------------------------------------------------------------


@transaction.atomic
def extension_request(*, actor: User, req: InformationRequest, days: int, reason: str) -> Extension:
    """The handler asks the leader for an extension (art. 33: once, at most 20 working days)."""
    created: list[Extension] = []
    reason = (reason or "").strip()

    def update(r):
        limit = deadlines.max_extension_days()
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit:
            raise ValidationError({"days": _("延长期限为1至%(max)s个工作日（第三十三条）") % {"max": limit}})
        if not reason:
            raise ValidationError({"reason": _("请填写延期理由")})
        created.append(
            Extension.objects.create(
                request=r, days=days, reason=reason, requested_by=actor, requested_at=timezone.now()
            )
        )

    run(
        req,
        "request_extension",
        actor=actor,
        action=AuditAction.EXTENSION_REQUEST,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.EXTENSION_REQUESTED,
            actor=actor,
            internal=True,
            internal_note=_("申请延长%(days)s个工作日：%(reason)s") % {"days": days, "reason": reason},
        ),
    )
    return created[0]


@transaction.atomic
def extension_decide(
    *,
    actor: User,
    approve: bool,
    extension: Extension | None = None,
    req: InformationRequest | None = None,
    note: str = "",
    on: dt.date | None = None,
    letter: bool = False,
) -> Extension:
    """The head of the disclosure body (the unit's leader) approves or refuses (art. 33); the
    applicant is told (with ``letter``: the 延期答复告知书, rendered after commit)."""
    if req is None:
        req = extension.request
    on = on or today()
    decided: list[Extension] = []

    def update(r):
        qs = Extension.objects.select_for_update().filter(request=r, status=ExtensionStatus.PENDING)
        ext = qs.filter(pk=extension.pk).first() if extension is not None else qs.first()
        if ext is None:
            raise ValidationError({"extension": _("该延期申请已处理")})
        ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        ext.decided_by, ext.decided_on, ext.decision_note = actor, on, (note or "").strip()
        ext.save()
        decided.append(ext)
        if approve:
            r.extension_days = ext.days
            refresh_due(r)

    def trail(r):
        ext = decided[0]
        if not approve:
            step(r, StepKind.EXTENSION_REJECTED, actor=actor, on=on, internal=True, internal_note=ext.decision_note)
            return
        text = _("经政府信息公开工作机构负责人同意，答复期限延长%(days)s个工作日") % {"days": ext.days}
        if r.due_date:
            text += _("，延长后的答复期限为%(date)s") % {"date": cn_date(r.due_date)}
        step(r, StepKind.EXTENSION_APPROVED, actor=actor, on=on, public_note=text + _("（条例第三十三条第二款）。"))

    req = run(
        req,
        "decide_extension",
        actor=actor,
        action=AuditAction.EXTENSION_APPROVED if approve else AuditAction.EXTENSION_REJECTED,
        update=update,
        step_fn=trail,
    )
    if approve and letter:
        issue_in_transaction(actor=actor, req=req, kind=LetterKind.EXTENSION, issued_on=on)
    return decided[0]


@transaction.atomic
def request_close(*, actor: User, req: InformationRequest) -> InformationRequest:
    """Archive a replied or withdrawn request (存档)."""
    return run(
        req,
        "close",
        actor=actor,
        action=AuditAction.CLOSE,
        step_fn=lambda r: step(r, StepKind.CLOSED, actor=actor, public_note=_("已办结归档。")),
    )


# --- review / litigation (annual report table 四) ---------------------------------------------


def _validate_case(kind, filed_on, outcome, decided_on):
    if kind not in ReviewKind.values:
        raise ValidationError({"kind": _("请选择案件类型")})
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("请选择结果")})
    if filed_on is None:
        raise ValidationError({"filed_on": _("请填写受理日期")})
    if outcome != ReviewOutcome.PENDING and not decided_on:
        raise ValidationError({"decided_on": _("已审结的案件请填写审结日期")})
    if decided_on and decided_on < filed_on:
        raise ValidationError({"decided_on": _("审结日期不能早于受理日期")})


@transaction.atomic
def review_case_record(
    *,
    actor: User,
    req: InformationRequest,
    kind: str,
    filed_on: dt.date,
    case_number: str = "",
    authority: str = "",
    outcome: str = ReviewOutcome.PENDING,
    decided_on: dt.date | None = None,
    note: str = "",
) -> ReviewCase:
    """An administrative review or lawsuit about the decision on a request."""
    created: list[ReviewCase] = []

    def update(r):
        _validate_case(kind, filed_on, outcome, decided_on)
        created.append(
            ReviewCase.objects.create(
                request=r,
                unit=r.unit,
                kind=kind,
                filed_on=filed_on,
                case_number=(case_number or "").strip(),
                authority=(authority or "").strip(),
                outcome=outcome,
                decided_on=decided_on,
                note=(note or "").strip(),
            )
        )

    run(
        req,
        "record_review_case",
        actor=actor,
        action=AuditAction.REVIEW_CASE_CREATE,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.REVIEW_CASE,
            actor=actor,
            internal=True,
            internal_note=_("登记%(kind)s %(number)s") % {"kind": ReviewKind(kind).label, "number": case_number},
        ),
    )
    return created[0]


@transaction.atomic
def review_case_update(
    *, actor: User, case: ReviewCase, outcome: str, decided_on: dt.date | None, note: str = ""
) -> ReviewCase:
    """The outcome of a review or lawsuit (维持 / 纠正 / 其他)."""
    updated: list[ReviewCase] = []

    def update(r):
        c = ReviewCase.objects.select_for_update().get(pk=case.pk, request=r)
        _validate_case(c.kind, c.filed_on, outcome, decided_on)
        c.outcome, c.decided_on, c.note = outcome, decided_on, (note or "").strip() or c.note
        c.save()
        updated.append(c)

    run(
        case.request,
        "decide_review_case",
        actor=actor,
        action=AuditAction.REVIEW_CASE_UPDATE,
        update=update,
        step_fn=lambda r: step(
            r,
            StepKind.REVIEW_CASE,
            actor=actor,
            internal=True,
            internal_note=_("%(kind)s %(number)s：%(outcome)s")
            % {
                "kind": updated[0].get_kind_display(),
                "number": updated[0].case_number,
                "outcome": updated[0].get_outcome_display(),
            },
        ),
    )
    return updated[0]

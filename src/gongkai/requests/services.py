"""Every state change of an information request (one transaction each, audited).

Legal rules (政府信息公开条例 2019) are cited on each service; the deadline
arithmetic lives in :mod:`gongkai.requests.deadlines`.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, chinese, numbering, permissions, workdays
from gongkai.core.models import Organisation, Role, User

from . import deadlines, identity
from .models import (
    OPEN_STATUSES,
    OUTCOME_BASIS,
    WITHHELD_OUTCOMES,
    ApplicantType,
    Attachment,
    Channel,
    Consultation,
    ConsultationKind,
    Extension,
    ExtensionStatus,
    IdType,
    InformationRequest,
    Outcome,
    ReminderSent,
    RequestStep,
    ReviewCase,
    ReviewOutcome,
    Status,
    StepKind,
    id_hash,
)

log = logging.getLogger(__name__)

TRACKING_PREFIX = "YS"
HANDLER_ROLES = (Role.EDITOR, Role.REVIEWER, Role.LEADER, Role.DISCLOSURE_OFFICE)
STOPWORDS = {
    "的",
    "了",
    "和",
    "与",
    "及",
    "关于",
    "申请",
    "公开",
    "信息",
    "政府",
    "请",
    "提供",
    "我",
    "要求",
    "相关",
    "有关",
}


# --- helpers ------------------------------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def cn_date(d: dt.date) -> str:
    """2026年9月30日 (no leading zeros, as in official documents)."""
    return f"{d.year}年{d.month}月{d.day}日"


def content_words(text: str) -> str:
    """Normalised word set of a description (duplicate detection), space-separated."""
    return " ".join(sorted({w for w in chinese.words(text) if w not in STOPWORDS and len(w) > 1 or w.isdigit()}))


def audit_view(req: InformationRequest) -> dict:
    """The request as stored in audit events: personal data masked (never the full ID number)."""
    person = req.applicant_type == ApplicantType.PERSON
    return {
        "tracking_code": req.tracking_code,
        "unit": req.unit_id,
        "status": req.status,
        "channel": req.channel,
        "applicant_type": req.applicant_type,
        "org_type": req.org_type,
        "name": identity.mask_name(req.name) if person else req.name,
        "id_type": req.id_type,
        "id_number": identity.mask_id(req.id_number),
        "credit_code": req.credit_code,
        "phone": identity.mask_phone(req.phone),
        "address": identity.mask_address(req.address),
        "received_on": req.received_on,
        "corrected_on": req.corrected_on,
        "correction_deadline": req.correction_deadline,
        "extension_days": req.extension_days,
        "due_date": req.due_date,
        "handler": req.handler_id,
        "outcome": req.outcome,
        "finished_on": req.finished_on,
    }


def can_handle(user, req: InformationRequest) -> bool:
    return permissions.has_any_role(user, HANDLER_ROLES, req.unit)


def require_handler(user, req: InformationRequest) -> None:
    permissions.require(user, HANDLER_ROLES, req.unit)


def can_see_personal_data(user, req: InformationRequest) -> bool:
    """Only the assigned handler and the unit's leader see ID number, phone and address in clear."""
    if not getattr(user, "is_authenticated", False):
        return False
    if req.handler_id and req.handler_id == user.pk:
        return True
    from gongkai.core.models import Membership

    return Membership.objects.filter(user=user, unit_id=req.unit_id, role=Role.LEADER).exists()


def _step(req, kind, *, actor=None, on=None, public_note="", internal_note="", internal=False) -> RequestStep:
    return RequestStep.objects.create(
        request=req,
        kind=kind,
        at=timezone.now(),
        on=on or today(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.display_name if getattr(actor, "pk", None) else "系统")[:150],
        public_note=public_note,
        internal_note=internal_note,
        internal=internal,
        due_after=req.due_date,
    )


def _audit(actor, action, req, before=None):
    audit.record(
        actor=actor, action=f"requests.request.{action}", obj=req, unit=req.unit, before=before, after=audit_view(req)
    )


def pauses_of(req: InformationRequest, *, as_of: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """Consultation pauses; an unanswered consultation pauses the clock up to today (art. 33)."""
    if req.pk is None:
        return []
    now = as_of or today()
    pauses = []
    for c in req.consultations.all():
        end = c.answered_on or max(now, c.sent_on)
        pauses.append((c.sent_on, end))
    return pauses


def compute_due(req: InformationRequest, *, calendar=None, as_of=None) -> tuple[dt.date | None, str]:
    """(due date, problem) from the request's timeline; problem is set when the calendar is missing."""
    try:
        due = deadlines.due_date(
            req.received_on,
            corrected_on=req.corrected_on,
            pauses=pauses_of(req, as_of=as_of),
            extension_days=req.extension_days,
            calendar=calendar,
        )
    except workdays.CalendarMissing as exc:
        return None, f"日历缺失：{exc.year}年节假日安排未录入"
    return due, ""


def refresh_due(req: InformationRequest, *, calendar=None, as_of=None) -> bool:
    """Recompute and store the due date; returns True when it changed."""
    due, problem = compute_due(req, calendar=calendar, as_of=as_of)
    changed = (due, problem) != (req.due_date, req.due_problem)
    req.due_date, req.due_problem = due, problem
    req.due_computed_at = timezone.now()
    if problem:
        log.error("requests: %s due date cannot be computed: %s", req.tracking_code, problem)
    return changed


def _save(req: InformationRequest, *fields: str) -> None:
    req.save(update_fields=[*fields, "status", "due_date", "due_problem", "due_computed_at", "updated_at"])


# --- intake -----------------------------------------------------------------------


@dataclass
class ApplicantData:
    applicant_type: str
    name: str
    phone: str
    address: str
    description: str
    preferred_format: str
    delivery: str
    org_type: str = ""
    id_type: str = ""
    id_number: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    email: str = ""
    postcode: str = ""
    purpose: str = ""


def _validate_applicant(data: ApplicantData) -> None:
    from gongkai.core import credit_code

    errors = {}
    if data.applicant_type == ApplicantType.PERSON:
        if data.id_type == IdType.RESIDENT:
            try:
                data.id_number = identity.validate_resident_id(data.id_number)
            except identity.IdNumberError as exc:
                errors["id_number"] = str(exc)
        elif data.id_type in IdType.values:
            try:
                data.id_number = identity.validate_other_id(data.id_number, IdType(data.id_type).label)
            except identity.IdNumberError as exc:
                errors["id_number"] = str(exc)
        else:
            errors["id_type"] = "请选择证件类型"
        data.org_type = ""
    elif data.applicant_type == ApplicantType.ORGANISATION:
        try:
            data.credit_code = credit_code.validate(data.credit_code)
        except credit_code.CreditCodeError as exc:
            errors["credit_code"] = str(exc)
        if not data.org_type:
            errors["org_type"] = "请选择组织类型"
        if not data.contact_person:
            errors["contact_person"] = "请填写联系人"
    else:
        errors["applicant_type"] = "请选择申请人类型"
    if not (data.description or "").strip():
        errors["description"] = "请描述所需政府信息"
    if errors:
        raise ValidationError(errors)


def _create(*, actor, unit, data: ApplicantData, channel, received_on, receipt_evidence, files, submitted_at):
    _validate_applicant(data)
    if not unit.is_active:
        raise ValidationError({"unit": _("该机关已停用，不能受理申请")})
    key_source = (
        (data.id_type, data.id_number) if data.applicant_type == ApplicantType.PERSON else ("credit", data.credit_code)
    )

    def create(code: str) -> InformationRequest:
        req = InformationRequest(
            tracking_code=code,
            unit=unit,
            channel=channel,
            receipt_evidence=receipt_evidence,
            applicant_key=id_hash(*key_source),
            content_words=content_words(data.description),
            submitted_at=submitted_at,
            received_on=received_on,
            created_by=actor if getattr(actor, "pk", None) else None,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.__dict__.items()},
        )
        try:
            req.correction_notice_due = deadlines.correction_notice_due(received_on)
        except workdays.CalendarMissing:
            req.correction_notice_due = None
        refresh_due(req)
        req.save()
        return req

    req = numbering.create_with_tracking_code(create, prefix=TRACKING_PREFIX)
    for f in files or ():
        attachment_add(req=req, upload=f)
    if channel == Channel.ONLINE:
        _step(req, StepKind.SUBMITTED, on=received_on, public_note=str(Channel(channel).label))
    _step(
        req,
        StepKind.REGISTERED,
        actor=actor,
        on=received_on,
        public_note=f"收到申请日期：{cn_date(received_on)}（{Channel(channel).label}）",
    )
    _audit(actor, "create", req)
    return req


@transaction.atomic
def request_submit(
    *, unit: Organisation, data: ApplicantData, files: Iterable = (), received_on: dt.date | None = None
) -> InformationRequest:
    """An online application from the public portal.

    Art. 31(3): online submissions are received on the day both sides confirm;
    the portal confirms on submission (the receipt page), so that day is the receipt date.
    """
    now = timezone.now()
    return _create(
        actor=None,
        unit=unit,
        data=data,
        channel=Channel.ONLINE,
        received_on=received_on or today(),
        receipt_evidence="网上提交，系统即时确认",
        files=files,
        submitted_at=now,
    )


@transaction.atomic
def request_register(
    *,
    actor: User,
    unit: Organisation,
    data: ApplicantData,
    channel: str,
    received_on: dt.date,
    receipt_evidence: str = "",
    files: Iterable = (),
) -> InformationRequest:
    """Staff registration of a request received in person, by post, fax or e-mail (art. 31).

    ``received_on`` is the day submitted (in person), signed for (post), or confirmed
    with the applicant (ordinary mail, fax, e-mail); it may not lie in the future.
    """
    permissions.require(actor, HANDLER_ROLES, unit)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择提交方式")})
    if received_on > today():
        raise ValidationError({"received_on": _("收到申请日期不能晚于今天")})
    if channel in (Channel.POST_ORDINARY, Channel.FAX, Channel.EMAIL) and not receipt_evidence.strip():
        raise ValidationError({"receipt_evidence": _("请注明与申请人确认收到的方式和时间（第三十一条）")})
    if channel == Channel.POST_SIGNED and not receipt_evidence.strip():
        raise ValidationError({"receipt_evidence": _("请填写邮件单号或签收记录")})
    return _create(
        actor=actor,
        unit=unit,
        data=data,
        channel=channel,
        received_on=received_on,
        receipt_evidence=receipt_evidence,
        files=files,
        submitted_at=timezone.now(),
    )


def attachment_add(*, req: InformationRequest, upload, kind: str = "证明材料") -> Attachment:
    from django.core.files.base import ContentFile

    content = upload.read() if hasattr(upload, "read") else upload["content"]
    name = getattr(upload, "name", None) or upload["name"]
    mime = getattr(upload, "sniffed_mime", None) or (upload.get("mime") if isinstance(upload, dict) else "")
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(mime, "bin")
    stored = f"{secrets.token_hex(8)}.{ext}"
    att = Attachment(request=req, original_name=name[:200], mime=mime, size=len(content), stored_name=stored, kind=kind)
    att.file.save(stored, ContentFile(content), save=False)
    att.save()
    return att


# --- handling -------------------------------------------------------------------


def _lock(req: InformationRequest) -> InformationRequest:
    return InformationRequest.objects.select_for_update().select_related("unit").get(pk=req.pk)


@transaction.atomic
def request_assign(
    *, actor: User, req: InformationRequest, handler: User, on: dt.date | None = None
) -> InformationRequest:
    req = _lock(req)
    require_handler(actor, req)
    on = on or today()
    if on < req.received_on or on > today():
        raise ValidationError({"on": _("分配日期应在收到申请之后且不晚于今天")})
    if not permissions.has_any_role(handler, HANDLER_ROLES, req.unit):
        raise ValidationError({"handler": _("承办人必须是本单位工作人员")})
    before = audit_view(req)
    req.handler = handler
    if req.status == Status.REGISTERED:
        req.start()
    _save(req, "handler")
    _step(req, StepKind.ASSIGNED, actor=actor, on=on, internal=True, internal_note=f"承办人：{handler.display_name}")
    _audit(actor, "assign", req, before)
    return req


@transaction.atomic
def request_add_note(*, actor: User, req: InformationRequest, note: str) -> RequestStep:
    require_handler(actor, req)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("备注不能为空")})
    step = _step(req, StepKind.NOTE, actor=actor, internal=True, internal_note=note[:4000])
    audit.record(actor=actor, action="requests.request.note", obj=req, unit=req.unit, after={"step": step.pk})
    return step


@transaction.atomic
def request_correction_notice(
    *, actor: User, req: InformationRequest, items: str, sent_on: dt.date | None = None, deadline: dt.date | None = None
) -> InformationRequest:
    """One correction notice listing everything to correct (art. 30), due within 7 working days of receipt.

    The applicant's deadline defaults to ``deadlines.correction_deadline(sent_on)``.
    """
    req = _lock(req)
    require_handler(actor, req)
    items = (items or "").strip()
    if not items:
        raise ValidationError({"items": _("请一次性列明需要补正的全部事项（第三十条）")})
    sent_on = sent_on or today()
    if sent_on < req.received_on or sent_on > today():
        raise ValidationError({"sent_on": _("告知日期应在收到申请之后且不晚于今天")})
    if req.correction_requested_on is not None:
        raise ValidationError("补正告知只能发出一次（第三十条：一次性告知）")
    try:
        deadline = deadline or deadlines.correction_deadline(sent_on)
    except workdays.CalendarMissing as exc:
        raise ValidationError(str(exc)) from exc
    if deadline <= sent_on:
        raise ValidationError({"deadline": _("补正期限应晚于告知日期")})
    before = audit_view(req)
    req.request_correction()
    req.correction_requested_on = sent_on
    req.correction_deadline = deadline
    _save(req, "correction_requested_on", "correction_deadline")
    late = req.correction_notice_due and sent_on > req.correction_notice_due
    _step(
        req,
        StepKind.CORRECTION_REQUESTED,
        actor=actor,
        on=sent_on,
        public_note=f"需补正事项：{items}\n请于{cn_date(deadline)}前补正。补正后，答复期限自收到补正申请之日起重新计算。",
        internal_note="注意：已超过第三十条规定的7个工作日告知期限" if late else "",
    )
    _audit(actor, "correction_notice", req, before)
    return req


@transaction.atomic
def request_receive_correction(
    *, actor: User, req: InformationRequest, corrected_on: dt.date, note: str = ""
) -> InformationRequest:
    """The corrected request arrived: the 20 working days run again from that day (art. 30)."""
    req = _lock(req)
    require_handler(actor, req)
    if corrected_on < (req.correction_requested_on or req.received_on) or corrected_on > today():
        raise ValidationError({"corrected_on": _("收到补正日期应在补正告知之后且不晚于今天")})
    before = audit_view(req)
    req.corrected_on = corrected_on
    req.receive_correction()
    refresh_due(req)
    _save(req, "corrected_on")
    _step(
        req,
        StepKind.CORRECTED,
        actor=actor,
        on=corrected_on,
        public_note=f"已收到补正材料，答复期限自{cn_date(corrected_on)}起重新计算。" + (f"\n{note}" if note else ""),
    )
    _audit(actor, "correction_received", req, before)
    return req


@transaction.atomic
def request_deem_withdrawn(*, actor: User, req: InformationRequest, on: dt.date | None = None) -> InformationRequest:
    """No correction by the stated deadline without good reason → deemed abandoned (art. 30)."""
    req = _lock(req)
    require_handler(actor, req)
    on = on or today()
    if req.correction_deadline is None or on <= req.correction_deadline:
        raise ValidationError("补正期限尚未届满，不能视为放弃申请")
    before = audit_view(req)
    req.deem_withdrawn()
    req.outcome = Outcome.OTHER_NO_CORRECTION
    req.legal_basis = OUTCOME_BASIS[Outcome.OTHER_NO_CORRECTION]
    req.finished_on = on
    _save(req, "outcome", "legal_basis", "finished_on")
    _step(
        req,
        StepKind.DEEMED_WITHDRAWN,
        actor=actor,
        on=on,
        public_note=f"申请人未在{cn_date(req.correction_deadline)}前补正，依照条例第三十条视为放弃申请，本机关不再处理该申请。",
    )
    _audit(actor, "deemed_withdrawn", req, before)
    return req


@transaction.atomic
def request_withdraw(
    *, actor: User, req: InformationRequest, on: dt.date | None = None, note: str = ""
) -> InformationRequest:
    """The applicant withdrew the request (counted as 其他处理 3 in table 三)."""
    req = _lock(req)
    require_handler(actor, req)
    before = audit_view(req)
    req.withdraw()
    req.outcome = Outcome.OTHER
    req.outcome_reason = note or "申请人主动撤回申请"
    req.finished_on = on or today()
    _save(req, "outcome", "outcome_reason", "finished_on")
    _step(req, StepKind.WITHDRAWN, actor=actor, on=req.finished_on, public_note=req.outcome_reason)
    _audit(actor, "withdraw", req, before)
    return req


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
) -> Consultation:
    """Consult a third party (art. 32) or another body (art. 34); the clock pauses (art. 33)."""
    req = _lock(req)
    require_handler(actor, req)
    sent_on = sent_on or today()
    if kind not in ConsultationKind.values:
        raise ValidationError({"kind": _("请选择征求意见类型")})
    if not recipient.strip() or not question.strip():
        raise ValidationError("请填写征求对象和征求意见事项")
    if sent_on < req.clock_start or sent_on > today():
        raise ValidationError({"sent_on": _("发函日期应在收到申请（补正）之后且不晚于今天")})
    try:
        reply_due = deadlines.third_party_reply_due(sent_on)
    except workdays.CalendarMissing as exc:
        raise ValidationError(str(exc)) from exc
    before = audit_view(req)
    c = Consultation.objects.create(
        request=req,
        kind=kind,
        recipient=recipient.strip(),
        question=question.strip(),
        sent_on=sent_on,
        reply_due=reply_due,
        recipient_address=recipient_address,
    )
    req.pause_for_consultation()
    refresh_due(req)
    _save(req)
    _step(
        req,
        StepKind.CONSULTATION_SENT,
        actor=actor,
        on=sent_on,
        public_note=f"因需征求{'第三方' if kind == ConsultationKind.THIRD_PARTY else '其他机关'}意见，"
        f"自{cn_date(sent_on)}起暂停计算答复期限（条例第三十三条第二款）。",
        internal_note=f"征求对象：{c.recipient}；对方答复期限：{reply_due:%Y-%m-%d}",
    )
    _audit(actor, "consultation_sent", req, before)
    return c


@transaction.atomic
def consultation_answer(
    *, actor: User, consultation: Consultation, answered_on: dt.date, answer: str = "", agrees: bool | None = None
) -> Consultation:
    """The consulted party answered (or its 15 days ran out: record that day); the clock resumes."""
    req = _lock(consultation.request)
    require_handler(actor, req)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.answered_on:
        raise ValidationError("该征求意见已登记答复")
    if answered_on < consultation.sent_on or answered_on > today():
        raise ValidationError({"answered_on": _("收到意见日期应在发函之后且不晚于今天")})
    before = audit_view(req)
    consultation.answered_on = answered_on
    consultation.answer = answer
    consultation.agrees = agrees
    consultation.save()
    if not req.consultations.filter(answered_on__isnull=True).exists():
        req.resume()
    refresh_due(req)
    _save(req)
    _step(
        req,
        StepKind.CONSULTATION_ANSWERED,
        actor=actor,
        on=answered_on,
        public_note=f"征求意见已于{cn_date(answered_on)}结束，恢复计算答复期限。",
        internal_note=f"{consultation.recipient}：{answer}",
    )
    _audit(actor, "consultation_answered", req, before)
    return consultation


@transaction.atomic
def request_transfer(
    *, actor: User, req: InformationRequest, to_unit: Organisation, note: str = ""
) -> InformationRequest:
    """Hand the request to another body on the platform that holds the information (art. 36(5)).

    The receipt date (and so the due date) does not change: the applicant's
    request was received when it was received.
    """
    req = _lock(req)
    require_handler(actor, req)
    if to_unit.pk == req.unit_id or not to_unit.is_active:
        raise ValidationError({"to_unit": _("请选择另一个启用的机关")})
    if not req.is_open:
        raise ValidationError("已办结的申请不能转交")
    before = audit_view(req)
    old = req.unit
    req.unit = to_unit
    req.handler = None
    _save(req, "unit", "handler")
    _step(
        req, StepKind.TRANSFERRED, actor=actor, public_note=f"由{old.name}转交{to_unit.name}办理。", internal_note=note
    )
    audit.record(
        actor=actor, action="requests.request.transfer", obj=req, unit=old, before=before, after=audit_view(req)
    )
    return req


@transaction.atomic
def extension_request(*, actor: User, req: InformationRequest, days: int, reason: str) -> Extension:
    """The handler asks the leader for an extension (art. 33: once, at most 20 working days)."""
    req = _lock(req)
    require_handler(actor, req)
    if not req.is_open or req.status == Status.CORRECTION:
        raise ValidationError("当前状态不能申请延期")
    if req.extensions.exclude(status=ExtensionStatus.REJECTED).exists():
        raise ValidationError("答复期限只能延长一次（第三十三条）")
    if not 1 <= int(days) <= deadlines.MAX_EXTENSION_DAYS:
        raise ValidationError({"days": _("延长期限为1至20个工作日（第三十三条）")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写延期理由")})
    ext = Extension.objects.create(
        request=req, days=int(days), reason=reason.strip(), requested_by=actor, requested_at=timezone.now()
    )
    _step(
        req, StepKind.EXTENSION_REQUESTED, actor=actor, internal=True, internal_note=f"申请延长{days}个工作日：{reason}"
    )
    audit.record(
        actor=actor,
        action="requests.extension.request",
        obj=req,
        unit=req.unit,
        after={"extension": ext.pk, "days": ext.days},
    )
    return ext


@transaction.atomic
def extension_decide(
    *, actor: User, extension: Extension, approve: bool, note: str = "", on: dt.date | None = None
) -> Extension:
    """The head of the disclosure office (unit leader) approves or rejects (art. 33); the applicant is told."""
    req = _lock(extension.request)
    permissions.require(actor, Role.LEADER, req.unit)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError("该延期申请已处理")
    if approve and not req.is_open:
        raise ValidationError("申请已办结，不能延期")
    on = on or today()
    before = audit_view(req)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    extension.decided_by = actor
    extension.decided_on = on
    extension.decision_note = note
    extension.save()
    if approve:
        req.extension_days = extension.days
        refresh_due(req)
        _save(req, "extension_days")
        _step(
            req,
            StepKind.EXTENSION_APPROVED,
            actor=actor,
            on=on,
            public_note=f"经政府信息公开工作机构负责人同意，答复期限延长{extension.days}个工作日，"
            f"延长后的答复期限为{cn_date(req.due_date)}（条例第三十三条第二款）。"
            if req.due_date
            else f"经负责人同意，答复期限延长{extension.days}个工作日。",
        )
    else:
        _step(req, StepKind.EXTENSION_REJECTED, actor=actor, on=on, internal=True, internal_note=note)
    _audit(actor, "extension_" + ("approved" if approve else "rejected"), req, before)
    return extension


@transaction.atomic
def request_reply(
    *,
    actor: User,
    req: InformationRequest,
    outcome: str,
    reason: str = "",
    legal_basis: str = "",
    replied_on: dt.date | None = None,
) -> InformationRequest:
    """The reply (art. 36): a typed outcome, the reasons and the legal basis."""
    req = _lock(req)
    require_handler(actor, req)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择答复类型")})
    if outcome == Outcome.OTHER_NO_CORRECTION:
        raise ValidationError({"outcome": _("逾期不补正请使用“视为放弃申请”操作")})
    replied_on = replied_on or today()
    if replied_on < req.received_on or replied_on > today():
        raise ValidationError({"replied_on": _("答复日期应在收到申请之后且不晚于今天")})
    if outcome in WITHHELD_OUTCOMES and not reason.strip():
        raise ValidationError({"reason": _("不予公开的，应当告知申请人不予公开的理由（第三十六条第三项）")})
    if req.consultations.filter(answered_on__isnull=True).exists():
        raise ValidationError("尚有征求意见未登记答复，请先登记意见或对方逾期未答复的情况")
    before = audit_view(req)
    req.outcome = outcome
    req.outcome_reason = reason.strip()
    req.legal_basis = (legal_basis or OUTCOME_BASIS.get(outcome, "")).strip()
    req.finished_on = replied_on
    req.reply()
    _save(req, "outcome", "outcome_reason", "legal_basis", "finished_on")
    late = req.due_date and replied_on > req.due_date
    _step(
        req,
        StepKind.REPLIED,
        actor=actor,
        on=replied_on,
        public_note=f"答复类型：{Outcome(outcome).label}。法律依据：{req.legal_basis or '—'}",
        internal_note="超期答复" if late else "",
    )
    _audit(actor, "reply", req, before)
    return req


@transaction.atomic
def request_close(*, actor: User, req: InformationRequest) -> InformationRequest:
    """Archive a replied or withdrawn request (存档)."""
    req = _lock(req)
    require_handler(actor, req)
    before = audit_view(req)
    req.close()
    _save(req)
    _step(req, StepKind.CLOSED, actor=actor, public_note="已办结归档。")
    _audit(actor, "close", req, before)
    return req


# --- letters ---------------------------------------------------------------------


@transaction.atomic
def letter_issue(
    *,
    actor: User,
    req: InformationRequest,
    kind: str,
    consultation: Consultation | None = None,
    issued_on: dt.date | None = None,
):
    """Render a letter from its template to DOCX and PDF, file it with the request, deliver it to the tracking page."""
    from . import letters

    req = InformationRequest.objects.select_related("unit").get(pk=req.pk)  # the state as committed by earlier steps
    require_handler(actor, req)
    issued_on = issued_on or today()
    if issued_on > today() or issued_on < req.received_on:
        raise ValidationError({"issued_on": _("文书日期应在收到申请之后且不晚于今天")})
    letter = letters.issue(req=req, kind=kind, actor=actor, consultation=consultation, issued_on=issued_on)
    _step(
        req,
        StepKind.LETTER,
        actor=actor,
        on=issued_on,
        internal=not letter.to_applicant,
        public_note=f"出具《{letter.get_kind_display()}》（{letter.number}）",
        internal_note=""
        if letter.to_applicant
        else f"{letter.get_kind_display()}送{consultation.recipient if consultation else ''}",
    )
    audit.record(
        actor=actor,
        action="requests.letter.issue",
        obj=req,
        unit=req.unit,
        after={"letter": letter.pk, "kind": kind, "number": letter.number},
    )
    return letter


# --- review / litigation -----------------------------------------------------------


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
    require_handler(actor, req)
    _validate_case(kind, filed_on, outcome, decided_on)
    case = ReviewCase.objects.create(
        request=req,
        unit=req.unit,
        kind=kind,
        filed_on=filed_on,
        case_number=case_number,
        authority=authority,
        outcome=outcome,
        decided_on=decided_on,
        note=note,
    )
    audit.record(actor=actor, action="requests.review_case.create", obj=case, unit=req.unit, after=audit.snapshot(case))
    return case


@transaction.atomic
def review_case_update(
    *, actor: User, case: ReviewCase, outcome: str, decided_on: dt.date | None, note: str = ""
) -> ReviewCase:
    require_handler(actor, case.request)
    _validate_case(case.kind, case.filed_on, outcome, decided_on)
    before = audit.snapshot(case)
    case.outcome, case.decided_on, case.note = outcome, decided_on, note or case.note
    case.save()
    audit.record(
        actor=actor,
        action="requests.review_case.update",
        obj=case,
        unit=case.unit,
        before=before,
        after=audit.snapshot(case),
    )
    return case


def _validate_case(kind, filed_on, outcome, decided_on):
    from .models import ReviewKind

    if kind not in ReviewKind.values:
        raise ValidationError({"kind": _("请选择案件类型")})
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("请选择结果")})
    if outcome != ReviewOutcome.PENDING and not decided_on:
        raise ValidationError({"decided_on": _("已审结的案件请填写审结日期")})
    if decided_on and decided_on < filed_on:
        raise ValidationError({"decided_on": _("审结日期不能早于受理日期")})


# --- periodic jobs --------------------------------------------------------------------


@dataclass
class RecomputeReport:
    checked: int = 0
    changed: int = 0
    missing: int = 0


def recompute_due_dates(*, as_of: dt.date | None = None) -> RecomputeReport:
    """Recompute every open request's due date (holiday table changed, consultation clock running).

    Registered with :func:`gongkai.core.deadlines.register_recompute`: runs on commit of
    every calendar or period change, hourly (a consultation pause runs up to today) and
    on demand (``gongkai recompute_due_dates``); each change is its own transaction,
    recorded as a step (visible to the applicant) and an audit event.
    """
    report = RecomputeReport()
    calendar = workdays.current_calendar()
    ids = list(InformationRequest.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    for pk in ids:
        report.checked += 1
        with transaction.atomic():
            req = InformationRequest.objects.select_for_update().select_related("unit").get(pk=pk)
            before = audit_view(req)
            old = req.due_date
            if refresh_due(req, calendar=calendar, as_of=as_of):
                report.changed += 1
                _save(req)
                if req.due_problem:
                    report.missing += 1
                paused = req.status == Status.CONSULTING
                if req.due_date and old != req.due_date and not paused:
                    _step(
                        req,
                        StepKind.DUE_RECOMPUTED,
                        public_note=f"因工作日历（节假日安排）调整，答复期限重新计算为{cn_date(req.due_date)}。",
                    )
                audit.record(
                    actor=None,
                    action="requests.request.due_recomputed",
                    obj=req,
                    unit=req.unit,
                    before=before,
                    after=audit_view(req),
                )
            elif req.due_problem:
                report.missing += 1
    if report.missing:
        from django.core.mail import mail_admins

        log.error("requests: %d open requests have no due date (calendar missing)", report.missing)
        mail_admins(
            "依申请公开：工作日历缺失",
            f"有 {report.missing} 件在办申请因工作日历缺少节假日安排而无法计算答复期限，请尽快录入。",
            fail_silently=True,
        )
    return report


def reminder_thresholds() -> list[int]:
    return sorted({int(x) for x in getattr(settings, "GONGKAI_REQUEST_REMINDER_DAYS", (5, 2, 0))}, reverse=True)


def send_reminders(*, as_of: dt.date | None = None) -> int:
    """E-mail handlers when a due date is within a threshold (working days; -1 = overdue).

    Idempotent: a :class:`ReminderSent` row per (request, threshold, due date) means a
    rerun, or a second worker, sends nothing twice. Mail goes out after commit.
    """
    from django.urls import reverse

    now = as_of or today()
    calendar = workdays.current_calendar()
    thresholds = reminder_thresholds()
    sent = 0
    qs = (
        InformationRequest.objects.filter(status__in=OPEN_STATUSES, due_date__isnull=False)
        .exclude(status=Status.CORRECTION)
        .select_related("unit", "handler")
    )
    for req in qs:
        try:
            left = calendar.working_days_between(now, req.due_date)
        except workdays.CalendarMissing:
            continue
        if left < 0:
            threshold = -1
        else:
            crossed = [t for t in thresholds if left <= t]
            if not crossed:
                continue
            threshold = min(crossed)
        with transaction.atomic():
            obj, created = ReminderSent.objects.get_or_create(request=req, threshold=threshold, due_date=req.due_date)
            if not created:
                continue
            recipients = _reminder_recipients(req)
            obj.recipients = ",".join(recipients)
            obj.save(update_fields=["recipients"])
            subject = (
                f"【逾期】依申请公开 {req.tracking_code} 已超过答复期限"
                if threshold < 0
                else f"【提醒】依申请公开 {req.tracking_code} 距答复期限还有{left}个工作日"
            )
            body = (
                f"申请 {req.tracking_code}（{req.unit.name}）答复期限：{cn_date(req.due_date)}。\n"
                f"请登录工作台办理：{reverse('requests_wb:detail', args=[req.pk])}"
            )
            if recipients:
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(
                        s, b, settings.DEFAULT_FROM_EMAIL, r, fail_silently=True
                    )
                )
            sent += 1
    return sent


def _reminder_recipients(req: InformationRequest) -> list[str]:
    if req.handler and req.handler.email:
        return [req.handler.email]
    from gongkai.core.models import Membership

    return sorted(
        {
            m.user.email
            for m in Membership.objects.filter(unit=req.unit, role__in=HANDLER_ROLES).select_related("user")
            if m.user.email
        }
    )

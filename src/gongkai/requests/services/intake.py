"""Intake: online submissions (portal, public API) and staff registration (arts. 29, 31)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, numbering, permissions, uploads, workdays
from gongkai.core.models import Organisation, User

from .. import deadlines, identity
from ..access import HANDLER_ROLES
from ..audit_actions import AuditAction
from ..models import (
    ApplicantType,
    Attachment,
    Channel,
    IdType,
    InformationRequest,
    RequestPolicy,
    StepKind,
    id_hash,
)
from .common import audit_view, cn_date, content_words, in_record_language, refresh_due, step, today

TRACKING_PREFIX = "YS"
MAX_FILES = 5


def max_attachment_bytes() -> int:
    return int(getattr(settings, "GONGKAI_REQUEST_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


def check_attachment(name: str, data: bytes) -> uploads.CheckedFile:
    """A citizen's evidence (ID copy, authorisation): PDF, JPG or PNG, sniffed, size-limited, scanned."""
    return uploads.check_file(name, data, allowed=uploads.EVIDENCE_KINDS, limit=max_attachment_bytes(), extract=False)


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


def _person_errors(data: ApplicantData) -> dict:
    if data.id_type not in IdType.values:
        return {"id_type": _("请选择证件类型")}
    try:
        if data.id_type == IdType.RESIDENT:
            data.id_number = identity.validate_resident_id(data.id_number)
        else:
            data.id_number = identity.validate_other_id(data.id_number, IdType(data.id_type).label)
    except identity.IdNumberError as exc:
        return {"id_number": str(exc)}
    return {}


def _organisation_errors(data: ApplicantData) -> dict:
    from gongkai.core import credit_code

    errors = {}
    try:
        data.credit_code = credit_code.validate(data.credit_code)
    except credit_code.CreditCodeError as exc:
        errors["credit_code"] = str(exc)
    if not data.org_type:
        errors["org_type"] = _("请选择组织类型")
    if not data.contact_person:
        errors["contact_person"] = _("请填写联系人")
    return errors


def validate_applicant(data: ApplicantData) -> None:
    """Who the applicant is (ID with its check digit, or the organisation's credit code) and what they ask."""
    if data.applicant_type == ApplicantType.PERSON:
        errors = _person_errors(data)
        data.org_type = ""
    elif data.applicant_type == ApplicantType.ORGANISATION:
        errors = _organisation_errors(data)
    else:
        errors = {"applicant_type": _("请选择申请人类型")}
    if not (data.description or "").strip():
        errors["description"] = _("请描述所需政府信息")
    if errors:
        raise ValidationError(errors)


def _create(*, actor, unit, data: ApplicantData, channel, received_on, receipt_evidence, files, submitted_at):
    validate_applicant(data)
    if not unit.is_active:
        raise ValidationError({"unit": _("该机关已停用，不能受理申请")})
    key_source = (
        (data.id_type, data.id_number) if data.applicant_type == ApplicantType.PERSON else ("credit", data.credit_code)
    )
    checked = [f if isinstance(f, uploads.CheckedFile) else _check_upload(f) for f in files or ()]
    if len(checked) > MAX_FILES:
        raise ValidationError({"attachments": _("最多上传%(n)s个附件") % {"n": MAX_FILES}})

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
    for f in checked:
        attachment_add(req=req, checked=f)
    with in_record_language():
        if channel == Channel.ONLINE:
            step(req, StepKind.SUBMITTED, on=received_on, public_note=str(Channel(channel).label))
        step(
            req,
            StepKind.REGISTERED,
            actor=actor,
            on=received_on,
            public_note=_("收到申请日期：%(date)s（%(channel)s）")
            % {"date": cn_date(received_on), "channel": Channel(channel).label},
        )
    audit.record(actor=actor, action=AuditAction.REQUEST_CREATE, obj=req, unit=req.unit, after=audit_view(req))
    return req


def _check_upload(upload) -> uploads.CheckedFile:
    if isinstance(upload, dict):
        return check_attachment(upload["name"], upload["content"])
    data = upload.read()
    return check_attachment(getattr(upload, "name", "") or _("附件"), data)


def _check_unit(unit: Organisation) -> None:
    if not RequestPolicy.for_unit(unit).accepts:
        raise ValidationError({"unit": _("“%(unit)s”不受理政府信息公开申请，请选择其他机关") % {"unit": unit.name}})


@transaction.atomic
def request_submit(
    *, unit: Organisation, data: ApplicantData, files: Iterable = (), received_on: dt.date | None = None
) -> InformationRequest:
    """An online application from the public portal or the public API.

    Art. 31(3): online submissions are received on the day both sides confirm;
    the portal confirms on submission (the receipt page), so that day is the receipt date.
    """
    _check_unit(unit)
    return _create(
        actor=None,
        unit=unit,
        data=data,
        channel=Channel.ONLINE,
        received_on=received_on or today(),
        receipt_evidence="网上提交，系统即时确认",  # a record, in the record's language
        files=files,
        submitted_at=timezone.now(),
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
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError({"channel": _("请选择提交方式")})
    if received_on > today():
        raise ValidationError({"received_on": _("收到申请日期不能晚于今天")})
    evidence = (receipt_evidence or "").strip()
    if channel in (Channel.POST_ORDINARY, Channel.FAX, Channel.EMAIL) and not evidence:
        raise ValidationError({"receipt_evidence": _("请注明与申请人确认收到的方式和时间（第三十一条）")})
    if channel == Channel.POST_SIGNED and not evidence:
        raise ValidationError({"receipt_evidence": _("请填写邮件单号或签收记录")})
    return _create(
        actor=actor,
        unit=unit,
        data=data,
        channel=channel,
        received_on=received_on,
        receipt_evidence=evidence,
        files=files,
        submitted_at=timezone.now(),
    )


def attachment_add(*, req: InformationRequest, checked: uploads.CheckedFile, kind: str = "") -> Attachment:
    """File a checked upload with the request under a random name in the private storage."""
    stored = f"{secrets.token_hex(8)}{checked.extension}"
    att = Attachment(
        request=req,
        original_name=checked.name[:200],
        mime=checked.content_type,
        size=checked.size,
        stored_name=stored,
        kind=kind or _("证明材料"),
    )
    att.file.save(stored, ContentFile(checked.data), save=False)
    att.save()
    return att

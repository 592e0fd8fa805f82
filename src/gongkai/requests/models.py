"""Information requests (依申请公开) and their trail.

The request's ``status`` is a django-fsm-2 protected field: it only changes
through the transitions declared here, and those are only called from
``services`` (which authorise, record a :class:`RequestStep` and an audit event
in the same transaction).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import crypto
from gongkai.core.fields import BlindIndexField, EncryptedEmailField, EncryptedTextField
from gongkai.core.models import Organisation, OrgKind
from gongkai.core.transitions import condition

from . import access
from .choices import (  # noqa: F401 - re-exported
    CHANNEL_RULES,
    FINISHED_STATUSES,
    OPEN_STATUSES,
    OUTCOME_BASIS,
    WITHHELD_OUTCOMES,
    ApplicantType,
    Channel,
    ConsultationKind,
    Delivery,
    DraftDecision,
    ExtensionStatus,
    Format,
    IdType,
    LetterKind,
    LetterState,
    OrgType,
    Outcome,
    ReviewKind,
    ReviewOutcome,
    Status,
    StepKind,
)
from .storage import private_storage


def outcome_row(outcome: str) -> tuple[str, int]:
    """(section, item) of table 三 for an outcome: ("public", 0), ("withheld", 3) …"""
    from . import stats

    return stats.OUTCOME_ROWS[outcome]


def id_hash(id_type: str, number: str) -> str:
    """The applicant's blind index: a keyed hash (GONGKAI_BLIND_INDEX_KEY) of ID type and number or
    credit code, for finding the same applicant's requests without reading numbers ("" if none)."""
    number = crypto.normalise(number, "id")
    return crypto.blind_index(f"{id_type}:{number}", "applicant") if number else ""


def applicant_digests(req) -> dict[str, str]:
    """The request's keyed digests computed from its (decrypted) fields, for ``crypto rotate``
    and the data migration: works on historical models too."""
    if req.applicant_type == "person":
        return {"applicant_key": id_hash(req.id_type, req.id_number)}
    return {"applicant_key": id_hash("credit", req.credit_code)}


def id_hashes(id_type: str, number: str) -> list[str]:
    """id_hash under every profile (lookups between a GONGKAI_CRYPTO switch and the rotation)."""
    number = crypto.normalise(number, "id")
    return crypto.blind_indexes(f"{id_type}:{number}", "applicant") if number else []


# --- preconditions of the transitions (each with the message a user sees) -----------------


@condition(_("补正告知只能发出一次（条例第三十条：一次性告知）"))
def correction_not_sent(req) -> bool:
    return req.correction_requested_on is None


@condition(_("补正期限尚未届满，不能视为放弃申请（条例第三十条）"))
def correction_deadline_passed(req) -> bool:
    return req.correction_deadline is not None and timezone.localdate() > req.correction_deadline


@condition(_("没有待登记意见的征求意见"))
def has_open_consultation(req) -> bool:
    return req.consultations.filter(answered_on__isnull=True).exists()


@condition(_("答复期限只能延长一次（条例第三十三条）"))
def not_extended_yet(req) -> bool:
    return not req.extensions.exclude(status=ExtensionStatus.REJECTED).exists()


@condition(_("没有待审批的延期申请"))
def has_pending_extension(req) -> bool:
    return req.extensions.filter(status=ExtensionStatus.PENDING).exists()


@condition(_("本单位的答复须经审核人或负责人签发：请使用“答复报签”"))
def signoff_not_required(req) -> bool:
    return not req.signoff_required


@condition(_("本单位的答复无需签发，可直接作出答复"))
def signoff_needed(req) -> bool:
    return req.signoff_required


@condition(_("没有待签发的答复稿"))
def has_pending_draft(req) -> bool:
    return req.pending_draft is not None


@condition(_("没有尚未审结的复议或诉讼案件"))
def has_pending_case(req) -> bool:
    return req.review_cases.filter(outcome="pending").exists()


CONSULTING_STATES = [Status.CONSULTING, Status.IN_PROGRESS]


def _after_assign(req) -> str:
    return Status.IN_PROGRESS if req.status == Status.REGISTERED else req.status


def _after_answer(req, consultation_id=None) -> str:
    still_open = req.consultations.filter(answered_on__isnull=True).exclude(pk=consultation_id).exists()
    return Status.CONSULTING if still_open else Status.IN_PROGRESS


class RequestPolicy(models.Model):
    """Per-unit settings for information requests (defaults apply to units without a row).

    * ``reply_signoff`` — a reply (and its letter) is sent only after a reviewer or leader of the
      unit signs it off (default on);
    * ``accepts_requests`` — the unit is offered on the public request form. Governments and their
      departments accept requests under the Regulations; public institutions (schools, hospitals,
      utilities …) disclose under their own rules (条例第五十五条), so they are offered only when
      switched on here. ``None`` = the default for the unit's kind.
    """

    unit = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="request_policy", verbose_name=_("单位")
    )
    reply_signoff = models.BooleanField(_("答复须经审核人或负责人签发"), default=True)
    accepts_requests = models.BooleanField(_("在申请表中作为受理机关"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("依申请公开设置")
        verbose_name_plural = _("依申请公开设置")

    def __str__(self) -> str:
        return str(self.unit)

    @staticmethod
    def default_accepts(unit: Organisation) -> bool:
        return unit.kind in (OrgKind.GOVERNMENT, OrgKind.DEPARTMENT)

    @property
    def accepts(self) -> bool:
        return self.default_accepts(self.unit) if self.accepts_requests is None else self.accepts_requests

    @classmethod
    def for_unit(cls, unit: Organisation) -> RequestPolicy:
        """The unit's policy (an unsaved default when it has none)."""
        return cls.objects.filter(unit=unit).first() or cls(unit=unit)


class InformationRequest(ConcurrentTransitionMixin, models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=24, unique=True)
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="information_requests", verbose_name=_("受理机关")
    )
    status = FSMField(_("状态"), default=Status.REGISTERED, choices=Status.choices, protected=True, db_index=True)
    channel = models.CharField(_("提交方式"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    receipt_evidence = models.CharField(_("收到日期依据"), max_length=200, blank=True)

    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    org_type = models.CharField(_("组织类型"), max_length=20, choices=OrgType.choices, blank=True)
    name = models.CharField(_("姓名/名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, blank=True)
    # Personal data: encrypted at rest (gongkai.core.crypto); applicant_key and phone_bidx are blind indexes.
    id_number = EncryptedTextField(_("证件号码"), max_length=40, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=60, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    applicant_key = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField(_("联系电话"), max_length=20)
    phone_bidx = BlindIndexField(source="phone", kind="phone")
    email = EncryptedEmailField(_("电子邮箱"), blank=True)
    address = EncryptedTextField(_("通信地址"), max_length=200)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)

    description = models.TextField(_("所需信息的名称、文号或便于查询的其他特征性描述"))
    purpose = models.TextField(_("用途（选填）"), blank=True)
    preferred_format = models.CharField(_("信息载体形式"), max_length=20, choices=Format.choices)
    delivery = models.CharField(_("获取方式"), max_length=20, choices=Delivery.choices)
    content_words = models.TextField(editable=False, default="")

    submitted_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(_("收到申请日期"))
    correction_notice_due = models.DateField(_("补正告知期限"), null=True, blank=True)
    correction_requested_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    correction_deadline = models.DateField(_("补正期限"), null=True, blank=True)
    corrected_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    due_problem = models.CharField(_("期限计算问题"), max_length=200, blank=True)
    due_computed_at = models.DateTimeField(null=True, blank=True)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_information_requests",
        verbose_name=_("承办人"),
    )
    outcome = models.CharField(_("答复类型"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("答复理由/说明"), blank=True)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("重复申请")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["unit", "status", "due_date"])]

    def __str__(self) -> str:
        return self.tracking_code

    # --- derived --------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def clock_start(self):
        return self.corrected_on or self.received_on

    @property
    def applicant_display(self) -> str:
        return self.name

    @property
    def pending_draft(self):
        """The reply draft waiting for sign-off, if any (cached on the instance)."""
        if not hasattr(self, "_pending_draft"):
            self._pending_draft = (
                self.reply_drafts.filter(decision=DraftDecision.PENDING).select_related("drafted_by").first()
                if self.pk
                else None
            )
        return self._pending_draft

    @property
    def signoff_required(self) -> bool:
        return RequestPolicy.for_unit(self.unit).reply_signoff

    # --- transitions: run only through gongkai.core.transitions.run (services) -----------
    # Each declares who may run it (permission=, see access.py) and its preconditions
    # (conditions=, with the message the user sees). ``target=None`` keeps the state: a step
    # that is only allowed in some states (an extension request, a transfer ...).

    @transition(
        field=status, source=OPEN_STATUSES, target=GET_STATE(_after_assign, OPEN_STATUSES), permission=access.can_handle
    )
    def assign(self):
        """Assign a handler; a newly registered request is then in progress."""

    @transition(
        field=status,
        source=[Status.REGISTERED, Status.IN_PROGRESS],
        target=Status.CORRECTION,
        permission=access.can_handle,
        conditions=[correction_not_sent],
    )
    def request_correction(self):
        """Only one correction notice per request (art. 30: 一次性告知)."""

    @transition(field=status, source=Status.CORRECTION, target=Status.IN_PROGRESS, permission=access.can_handle)
    def receive_correction(self):
        pass

    @transition(
        field=status,
        source=Status.CORRECTION,
        target=Status.WITHDRAWN,
        permission=access.can_handle,
        conditions=[correction_deadline_passed],
    )
    def deem_withdrawn(self):
        pass

    @transition(
        field=status,
        source=[s for s in OPEN_STATUSES if s != Status.SIGNOFF],
        target=Status.WITHDRAWN,
        permission=access.can_handle,
    )
    def withdraw(self):
        pass

    @transition(
        field=status,
        source=[Status.REGISTERED, Status.IN_PROGRESS, Status.CONSULTING],
        target=Status.CONSULTING,
        permission=access.can_handle,
    )
    def pause_for_consultation(self):
        pass

    @transition(
        field=status,
        source=Status.CONSULTING,
        target=GET_STATE(_after_answer, CONSULTING_STATES),
        permission=access.can_handle,
        conditions=[has_open_consultation],
    )
    def resume(self, consultation_id=None):
        """Record a consultation's answer; the clock resumes when no consultation is open."""

    @transition(
        field=status,
        source=[s for s in OPEN_STATUSES if s != Status.SIGNOFF],
        target=None,
        permission=access.can_handle,
    )
    def transfer(self):
        """Hand the request to another body (the state and the receipt date stay)."""

    @transition(
        field=status,
        source=[Status.REGISTERED, Status.IN_PROGRESS, Status.CONSULTING],
        target=None,
        permission=access.can_handle,
        conditions=[not_extended_yet],
    )
    def request_extension(self):
        """Once, at most 20 working days (art. 33)."""

    @transition(
        field=status, source=OPEN_STATUSES, target=None, permission=access.is_leader, conditions=[has_pending_extension]
    )
    def decide_extension(self):
        """The head of the disclosure body approves or refuses (art. 33)."""

    @transition(
        field=status,
        source=[Status.REGISTERED, Status.IN_PROGRESS],
        target=Status.REPLIED,
        permission=access.can_handle,
        conditions=[signoff_not_required],
    )
    def reply(self):
        pass

    @transition(
        field=status,
        source=[Status.REGISTERED, Status.IN_PROGRESS],
        target=Status.SIGNOFF,
        permission=access.can_handle,
        conditions=[signoff_needed],
    )
    def submit_reply(self):
        """The drafted reply goes to a reviewer or leader for sign-off (per-unit setting)."""

    @transition(
        field=status,
        source=Status.SIGNOFF,
        target=Status.REPLIED,
        permission=access.can_sign,
        conditions=[has_pending_draft],
    )
    def approve_reply(self):
        pass

    @transition(
        field=status,
        source=Status.SIGNOFF,
        target=Status.IN_PROGRESS,
        permission=access.can_sign,
        conditions=[has_pending_draft],
    )
    def return_reply(self):
        pass

    @transition(
        field=status, source=[Status.REPLIED, Status.WITHDRAWN], target=Status.CLOSED, permission=access.can_handle
    )
    def close(self):
        pass

    @transition(field=status, source=FINISHED_STATUSES, target=None, permission=access.can_handle)
    def record_review_case(self):
        """An administrative review or lawsuit about a decided request (table 四)."""

    @transition(
        field=status, source=FINISHED_STATUSES, target=None, permission=access.can_handle, conditions=[has_pending_case]
    )
    def decide_review_case(self):
        pass


class RequestStep(models.Model):
    """One entry of the request's trail (what, who, when, note)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=30, choices=StepKind.choices)
    at = models.DateTimeField(_("时间"))
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("经办"), max_length=150, blank=True)
    public_note = models.TextField(_("说明"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)
    internal = models.BooleanField(_("仅内部可见"), default=False)
    due_after = models.DateField(_("答复期限"), null=True, blank=True)

    class Meta:
        ordering = ["on", "at", "id"]
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")

    def __str__(self) -> str:
        return f"{self.request} {self.get_kind_display()}"


def attachment_path(instance, filename):
    return f"requests/{instance.request.tracking_code}/attachments/{instance.stored_name}"


class Attachment(models.Model):
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(_("文件名"), max_length=200)
    mime = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    kind = models.CharField(_("材料类型"), max_length=40, default="证明材料")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")

    def __str__(self) -> str:
        return self.original_name


class Consultation(models.Model):
    """A consultation: the clock is paused from ``sent_on`` to ``answered_on`` (art. 33)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("类型"), max_length=20, choices=ConsultationKind.choices)
    recipient = models.CharField(_("征求对象"), max_length=200)
    recipient_address = EncryptedTextField(_("送达地址"), max_length=200, blank=True)
    question = models.TextField(_("征求意见事项"))
    sent_on = models.DateField(_("发函日期"))
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    answered_on = models.DateField(_("收到意见日期"), null=True, blank=True)
    answer = models.TextField(_("意见内容"), blank=True)
    agrees = models.BooleanField(_("同意公开"), null=True, blank=True)

    class Meta:
        ordering = ["sent_on", "id"]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self) -> str:
        return f"{self.request} → {self.recipient}"


class Extension(models.Model):
    """Extension of the reply period: once, ≤ 20 working days, approved by the leader (art. 33)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("延期")
        verbose_name_plural = _("延期")

    def __str__(self) -> str:
        return f"{self.request_id} +{self.days}"


def template_path(instance, filename):
    return f"requests/templates/{instance.kind}.docx"


class LetterTemplate(models.Model):
    """An editable DOCX (docxtpl/Jinja placeholders) per letter kind; defaults ship in code."""

    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices, unique=True)
    docx = models.FileField(_("DOCX 模板"), upload_to=template_path)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self) -> str:
        return self.get_kind_display()


def letter_path(instance, filename):
    return f"requests/{instance.request.tracking_code}/letters/{filename}"


class Letter(models.Model):
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书类型"), max_length=20, choices=LetterKind.choices)
    number = models.CharField(_("文号"), max_length=60)
    docx = models.FileField(upload_to=letter_path, blank=True, storage=private_storage)
    pdf = models.FileField(upload_to=letter_path, blank=True, storage=private_storage)
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.SET_NULL)
    to_applicant = models.BooleanField(_("送达申请人"), default=True)
    context = models.JSONField(_("文书内容"), default=dict, blank=True)
    state = models.CharField(_("生成状态"), max_length=10, choices=LetterState.choices, default=LetterState.PENDING)
    error = models.CharField(_("生成失败原因"), max_length=300, blank=True)
    issued_on = models.DateField(_("出具日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("文书")
        verbose_name_plural = _("文书")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ReplyDraft(models.Model):
    """A reply waiting for sign-off by a reviewer or leader (per-unit setting, on by default)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="reply_drafts")
    outcome = models.CharField(_("答复类型"), max_length=30, choices=Outcome.choices)
    reason = models.TextField(_("答复内容/理由"), blank=True)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    with_letter = models.BooleanField(_("签发后生成答复书"), default=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drafted_at = models.DateTimeField()
    decision = models.CharField(
        _("签发结果"), max_length=10, choices=DraftDecision.choices, default=DraftDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("签发意见"), blank=True)

    class Meta:
        ordering = ["drafted_at", "id"]
        verbose_name = _("答复稿")
        verbose_name_plural = _("答复稿")

    def __str__(self) -> str:
        return f"{self.request} {self.get_outcome_display()}"


class ReviewCase(models.Model):
    """An administrative review or lawsuit about a request (annual report table 四)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="review_cases")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=30, choices=ReviewKind.choices)
    case_number = models.CharField(_("案号"), max_length=80, blank=True)
    authority = models.CharField(_("复议机关/法院"), max_length=120, blank=True)
    filed_on = models.DateField(_("受理日期"))
    outcome = models.CharField(_("结果"), max_length=20, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING)
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_on"]
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number}".strip()


class ReminderSent(models.Model):
    """Idempotency record: one reminder per request, threshold and due date."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.SmallIntegerField()
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "threshold", "due_date"], name="uniq_request_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} T-{self.threshold} {self.due_date}"

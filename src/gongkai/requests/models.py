"""Information requests (依申请公开) and their trail.

The request's ``status`` is a django-fsm-2 protected field: it only changes
through the transitions declared here, and those are only called from
``services`` (which authorise, record a :class:`RequestStep` and an audit event
in the same transaction).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core.models import Organisation

from .storage import private_storage


class Status(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    CORRECTION = "correction", _("待补正")
    IN_PROGRESS = "in_progress", _("办理中")
    CONSULTING = "consulting", _("征求意见中（暂停计时）")
    REPLIED = "replied", _("已答复")
    WITHDRAWN = "withdrawn", _("已撤回/视为放弃")
    CLOSED = "closed", _("已办结归档")


OPEN_STATUSES = [Status.REGISTERED, Status.CORRECTION, Status.IN_PROGRESS, Status.CONSULTING]
FINISHED_STATUSES = [Status.REPLIED, Status.WITHDRAWN, Status.CLOSED]


class Channel(models.TextChoices):
    """Receipt channels and their receipt-date rule (条例第三十一条)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    POST_SIGNED = "post_signed", _("邮寄（挂号/快递签收）")
    POST_ORDINARY = "post_ordinary", _("邮寄（平信）")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


CHANNEL_RULES = {
    Channel.ONLINE: _("网上提交的，以双方确认之日为收到申请之日（第三十一条第三项）；本平台提交成功即确认。"),
    Channel.IN_PERSON: _("当面提交的，以提交之日为收到申请之日（第三十一条第一项）。"),
    Channel.POST_SIGNED: _("邮寄的，以行政机关签收之日为收到申请之日（第三十一条第二项）。"),
    Channel.POST_ORDINARY: _(
        "以平常信函等无需签收的方式邮寄的，以政府信息公开工作机构与申请人确认之日为收到申请之日（第三十一条第二项）。"
    ),
    Channel.FAX: _("通过行政机关公布的传真提交的，以双方确认之日为收到申请之日（第三十一条第三项）。"),
    Channel.EMAIL: _("通过电子邮箱提交的，以双方确认之日为收到申请之日（第三十一条第三项）。"),
}


class ApplicantType(models.TextChoices):
    PERSON = "person", _("公民（自然人）")
    ORGANISATION = "organisation", _("法人或其他组织")


class OrgType(models.TextChoices):
    """Columns of the annual report table 三 (国办公开办函〔2021〕30号)."""

    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    CHARITY = "charity", _("社会公益组织")
    LEGAL = "legal", _("法律服务机构")
    OTHER = "other", _("其他")


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他有效身份证件")


class Format(models.TextChoices):
    PAPER = "paper", _("纸质")
    EMAIL = "email", _("电子邮件")
    DISC = "disc", _("光盘")
    USB = "usb", _("U盘等存储介质")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("自行领取")
    ONLINE = "online", _("网上获取（本平台查询页面）")


class Outcome(models.TextChoices):
    """Reply types (条例第三十六条), one per row of annual report table 三.

    已主动公开 is counted as 予以公开 in the annual report (national guidance
    for the 2021 format: 告知已主动公开的，计入“予以公开”).
    """

    PUBLIC_ALREADY = "public_already", _("予以公开：已主动公开（告知获取途径）")
    PUBLIC = "public", _("予以公开：同意公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_SECRET = "withheld_secret", _("不予公开：属于国家秘密")
    WITHHELD_LAW = "withheld_law", _("不予公开：其他法律行政法规禁止公开")
    WITHHELD_SAFETY = "withheld_safety", _("不予公开：危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("不予公开：保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld_internal", _("不予公开：属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld_process", _("不予公开：属于四类过程性信息")
    WITHHELD_CASE_FILE = "withheld_case_file", _("不予公开：属于行政执法案卷")
    WITHHELD_QUERY = "withheld_query", _("不予公开：属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("无法提供：本机关不掌握相关政府信息")
    UNAVAILABLE_NOT_READY = "unavailable_not_ready", _("无法提供：没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("无法提供：补正后申请内容仍不明确")
    NOT_HANDLED_PETITION = "not_handled_petition", _("不予处理：信访举报投诉类申请")
    NOT_HANDLED_REPEAT = "not_handled_repeat", _("不予处理：重复申请")
    NOT_HANDLED_PUBLICATION = "not_handled_publication", _("不予处理：要求提供公开出版物")
    NOT_HANDLED_EXCESSIVE = "not_handled_excessive", _("不予处理：无正当理由大量反复申请")
    NOT_HANDLED_CONFIRM = "not_handled_confirm", _("不予处理：要求行政机关确认或重新出具已获取信息")
    OTHER_NO_CORRECTION = "other_no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_NO_FEE = "other_no_fee", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER = "other", _("其他处理：其他")


# Default legal basis for each reply type (editable in the reply form).
OUTCOME_BASIS = {
    Outcome.PUBLIC_ALREADY: "《中华人民共和国政府信息公开条例》第三十六条第（一）项",
    Outcome.PUBLIC: "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    Outcome.PARTIAL: "《中华人民共和国政府信息公开条例》第三十七条",
    Outcome.WITHHELD_SECRET: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_LAW: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_SAFETY: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_THIRD_PARTY: "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
    Outcome.WITHHELD_INTERNAL: "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    Outcome.WITHHELD_PROCESS: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHELD_CASE_FILE: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHELD_QUERY: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    Outcome.UNAVAILABLE_NOT_HELD: "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    Outcome.UNAVAILABLE_NOT_READY: "《中华人民共和国政府信息公开条例》第三十八条",
    Outcome.UNAVAILABLE_UNCLEAR: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.NOT_HANDLED_PETITION: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    Outcome.NOT_HANDLED_REPEAT: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    Outcome.NOT_HANDLED_PUBLICATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Outcome.NOT_HANDLED_EXCESSIVE: "《中华人民共和国政府信息公开条例》第三十五条",
    Outcome.NOT_HANDLED_CONFIRM: "《中华人民共和国政府信息公开条例》第三十八条",
    Outcome.OTHER_NO_CORRECTION: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.OTHER_NO_FEE: "《中华人民共和国政府信息公开条例》第四十二条",
    Outcome.OTHER: "",
}

# Outcomes whose reply is a 不予公开 decision must state the exemption ground;
# 予以公开/部分公开 must say how the information is provided.
WITHHELD_OUTCOMES = {o for o in Outcome if o.value.startswith("withheld_")}


def outcome_row(outcome: str) -> tuple[str, int]:
    """(section, item) of table 三 for an outcome: ("public", 0), ("withheld", 3) …"""
    from . import stats

    return stats.OUTCOME_ROWS[outcome]


def id_hash(id_type: str, number: str) -> str:
    """A keyed digest of an ID/credit code for duplicate lookups without reading numbers."""
    norm = f"{id_type}:{(number or '').strip().upper()}"
    return hashlib.sha256((settings.SECRET_KEY + "|" + norm).encode()).hexdigest()


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
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=60, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    applicant_key = models.CharField(max_length=64, db_index=True, editable=False)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200)
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

    # --- transitions (called from services only) ------------------------------
    @transition(field=status, source=Status.REGISTERED, target=Status.IN_PROGRESS)
    def start(self):
        pass

    @transition(
        field=status,
        source=[Status.REGISTERED, Status.IN_PROGRESS],
        target=Status.CORRECTION,
        conditions=[lambda r: r.correction_requested_on is None],
    )
    def request_correction(self):
        """Only one correction notice per request (art. 30: 一次性告知)."""

    @transition(field=status, source=Status.CORRECTION, target=Status.IN_PROGRESS)
    def receive_correction(self):
        pass

    @transition(field=status, source=Status.CORRECTION, target=Status.WITHDRAWN)
    def deem_withdrawn(self):
        pass

    @transition(
        field=status,
        source=[Status.REGISTERED, Status.IN_PROGRESS, Status.CORRECTION, Status.CONSULTING],
        target=Status.WITHDRAWN,
    )
    def withdraw(self):
        pass

    @transition(
        field=status, source=[Status.REGISTERED, Status.IN_PROGRESS, Status.CONSULTING], target=Status.CONSULTING
    )
    def pause_for_consultation(self):
        pass

    @transition(field=status, source=Status.CONSULTING, target=Status.IN_PROGRESS)
    def resume(self):
        pass

    @transition(field=status, source=[Status.REGISTERED, Status.IN_PROGRESS, Status.CONSULTING], target=Status.REPLIED)
    def reply(self):
        pass

    @transition(field=status, source=[Status.REPLIED, Status.WITHDRAWN], target=Status.CLOSED)
    def close(self):
        pass


class StepKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交申请")
    REGISTERED = "registered", _("登记受理")
    ASSIGNED = "assigned", _("分配承办人")
    NOTE = "note", _("内部备注")
    CORRECTION_REQUESTED = "correction_requested", _("补正告知")
    CORRECTED = "corrected", _("收到补正")
    DEEMED_WITHDRAWN = "deemed_withdrawn", _("逾期未补正，视为放弃申请")
    WITHDRAWN = "withdrawn", _("申请人撤回申请")
    CONSULTATION_SENT = "consultation_sent", _("征求意见（暂停计时）")
    CONSULTATION_ANSWERED = "consultation_answered", _("收到意见（恢复计时）")
    TRANSFERRED = "transferred", _("转交办理")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_APPROVED = "extension_approved", _("延期答复（经负责人同意）")
    EXTENSION_REJECTED = "extension_rejected", _("延期申请未获同意")
    LETTER = "letter", _("出具文书")
    REPLIED = "replied", _("作出答复")
    CLOSED = "closed", _("办结归档")
    DUE_RECOMPUTED = "due_recomputed", _("答复期限重新计算")


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


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("征求第三方意见（第三十二条）")
    OTHER_BODY = "other_body", _("征求其他机关意见（第三十四条）")


class Consultation(models.Model):
    """A consultation: the clock is paused from ``sent_on`` to ``answered_on`` (art. 33)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("类型"), max_length=20, choices=ConsultationKind.choices)
    recipient = models.CharField(_("征求对象"), max_length=200)
    recipient_address = models.CharField(_("送达地址"), max_length=200, blank=True)
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


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待负责人审批")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("未同意")


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


class LetterKind(models.TextChoices):
    REPLY = "reply", _("政府信息公开申请答复书")
    CORRECTION = "correction", _("补正申请告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULTATION = "consultation", _("征求意见函")


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
    docx = models.FileField(upload_to=letter_path, storage=private_storage)
    pdf = models.FileField(upload_to=letter_path, blank=True, storage=private_storage)
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.SET_NULL)
    to_applicant = models.BooleanField(_("送达申请人"), default=True)
    issued_on = models.DateField(_("出具日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("文书")
        verbose_name_plural = _("文书")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ReviewKind(models.TextChoices):
    REVIEW = "review", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER_REVIEW = "litigation_after_review", _("行政诉讼（复议后起诉）")


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", _("尚未审结")
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")


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

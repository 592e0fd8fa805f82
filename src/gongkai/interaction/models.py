"""Public interaction: FAQ knowledge base, questions and appeals (诉求), public consultation (意见征集).

State machines (django-fsm-2) are changed only by :mod:`gongkai.interaction.services`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core.models import Organisation

Rating = [MinValueValidator(1), MaxValueValidator(5)]


# --- Configuration ------------------------------------------------------------


class Policy(models.Model):
    """One row of interaction settings an administrator may change (Django admin)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    reopen_days = models.PositiveSmallIntegerField(_("办结后可申请重新办理的期限（自然日）"), default=15)
    due_soon_days = models.PositiveSmallIntegerField(_("即将到期提醒（工作日）"), default=2)
    duplicate_window_hours = models.PositiveSmallIntegerField(_("重复提交识别时间窗（小时）"), default=24)
    faq_review_months = models.PositiveSmallIntegerField(_("常见问题默认复核周期（月）"), default=12)
    consultation_min_days = models.PositiveSmallIntegerField(
        _("意见征集最短期限（日）"), default=30, help_text=_("重大行政决策程序暂行条例第十五条：一般不少于30日")
    )
    open311_jurisdiction_id = models.CharField(_("Open311 辖区标识"), max_length=80, default="gongkai")
    open311_require_api_key = models.BooleanField(_("Open311 提交需要 API 密钥"), default=False)
    open311_api_keys = models.TextField(_("Open311 API 密钥（每行一个）"), blank=True)

    class Meta:
        verbose_name = _("互动交流设置")
        verbose_name_plural = _("互动交流设置")

    def __str__(self) -> str:
        return str(_("互动交流设置"))

    @classmethod
    def get(cls) -> Policy:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def api_key_valid(self, key: str) -> bool:
        keys = {k.strip() for k in self.open311_api_keys.splitlines() if k.strip()}
        return bool(key) and key in keys


class SynonymGroup(models.Model):
    """Words that mean the same for the suggester (低保 / 最低生活保障). The first word is canonical."""

    words = models.CharField(_("同义词（用逗号或空格分隔，第一个为规范词）"), max_length=300)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词组")

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        import re

        return [w for w in re.split(r"[,，、\s]+", self.words) if w]


class SensitiveWord(models.Model):
    """A word that keeps a text from public display until staff confirm it (screening)."""

    word = models.CharField(_("敏感词"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


# --- FAQ knowledge base ---------------------------------------------------------


class TopicWord(models.Model):
    """Controlled vocabulary of topic words (主题词) for FAQ entries."""

    name = models.CharField(_("主题词"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("主题词")
        verbose_name_plural = _("主题词")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FaqStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class FaqEntry(models.Model):
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("标准答复"))
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="faq_entries", verbose_name=_("责任单位")
    )
    domain = models.ForeignKey(
        "catalogue.Domain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("公开领域"),
    )
    domain_name = models.CharField(_("领域"), max_length=60, blank=True, help_text=_("选择公开领域时自动填写"))
    topics = models.ManyToManyField(TopicWord, blank=True, related_name="entries", verbose_name=_("主题词"))
    review_date = models.DateField(_("复核日期"), help_text=_("到期未复核的答复会被标记为待复核"))
    status = models.CharField(_("状态"), max_length=12, choices=FaqStatus.choices, default=FaqStatus.PUBLISHED)
    version = models.PositiveIntegerField(_("版本"), default=1)
    source_appeal = models.ForeignKey(
        "Appeal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("来源留言"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "review_date"])]

    def __str__(self) -> str:
        return self.question

    @property
    def is_stale(self) -> bool:
        return self.review_date < timezone.localdate()


class FaqVersion(models.Model):
    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("标准答复"))
    topics = models.CharField(_("主题词"), max_length=500, blank=True)
    domain_name = models.CharField(_("领域"), max_length=60, blank=True)
    review_date = models.DateField(_("复核日期"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("常见问题版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="uniq_faq_version")]

    # --- Appeals ----------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"


class AppealType(models.Model):
    """咨询 / 建议 / 投诉 / 求助 with a configurable time limit in working days.

    The defaults (5 / 15 / 10 / 5 working days) are the platform's configurable
    defaults, not a legal rule; set your local rules in the admin.
    """

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类型")
        verbose_name_plural = _("诉求类型")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class AppealStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    ASSIGNED = "assigned", _("已分拨")
    IN_PROGRESS = "in_progress", _("处置中")
    ANSWERED = "answered", _("已反馈")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = [
    AppealStatus.RECEIVED,
    AppealStatus.ACCEPTED,
    AppealStatus.ASSIGNED,
    AppealStatus.IN_PROGRESS,
]


class PublicStatus(models.TextChoices):
    PRIVATE = "private", _("不公开")
    PUBLISHED = "published", _("已公开")


class Appeal(ConcurrentTransitionMixin, models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=24, unique=True)
    type = models.ForeignKey(AppealType, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("类型"))
    target_unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="appeals_received", verbose_name=_("受理机关")
    )
    unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_led",
        verbose_name=_("主办单位"),
    )
    co_units = models.ManyToManyField(
        Organisation, blank=True, related_name="appeals_joint", verbose_name=_("协办单位")
    )
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    # Contact data: never public, visible only to handlers of the assigned units.
    name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    anonymous = models.BooleanField(_("公开时匿名"), default=True)
    publish_consent = models.BooleanField(_("同意公开办理结果"), default=False)
    address_string = models.CharField(_("地点"), max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=20, default="web")
    content_hash = models.CharField(max_length=64, db_index=True)

    status = FSMField(_("状态"), default=AppealStatus.RECEIVED, choices=AppealStatus.choices, protected=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    reject_reason = models.TextField(_("不予受理理由"), blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    reminded_on = models.DateField(null=True, blank=True)

    rating_speed = models.PositiveSmallIntegerField(_("办理速度"), null=True, blank=True, validators=Rating)
    rating_outcome = models.PositiveSmallIntegerField(_("办理结果"), null=True, blank=True, validators=Rating)
    rating_attitude = models.PositiveSmallIntegerField(_("服务态度"), null=True, blank=True, validators=Rating)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    public_status = models.CharField(
        _("公开状态"), max_length=12, choices=PublicStatus.choices, default=PublicStatus.PRIVATE
    )
    public_title = models.CharField(_("公开标题"), max_length=100, blank=True)
    public_content = models.TextField(_("公开内容"), blank=True)
    public_answer = models.TextField(_("公开答复"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("留言诉求")
        verbose_name_plural = _("留言诉求")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["public_status", "published_at"])]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    # Transitions: only called from services (which authorise, audit and record steps).
    @transition(field=status, source=AppealStatus.RECEIVED, target=AppealStatus.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=AppealStatus.RECEIVED, target=AppealStatus.REJECTED)
    def reject(self):
        pass

    @transition(
        field=status,
        source=[AppealStatus.ACCEPTED, AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS],
        target=AppealStatus.ASSIGNED,
    )
    def assign(self):
        pass

    @transition(field=status, source=[AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS], target=AppealStatus.ACCEPTED)
    def send_back(self):
        """The assigned unit returns the appeal to the dispatching office (退回: not its responsibility)."""

    @transition(field=status, source=AppealStatus.ASSIGNED, target=AppealStatus.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=status, source=[AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS], target=AppealStatus.ANSWERED)
    def respond(self):
        pass

    @transition(field=status, source=AppealStatus.ANSWERED, target=AppealStatus.CLOSED)
    def close(self):
        pass

    @transition(field=status, source=AppealStatus.CLOSED, target=AppealStatus.IN_PROGRESS)
    def reopen(self):
        pass

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date) and self.is_open and self.due_date < timezone.localdate()

    @property
    def answered_on_time(self) -> bool | None:
        if not self.answered_at or not self.due_date:
            return None
        return timezone.localdate(self.answered_at) <= self.due_date

    @property
    def rated(self) -> bool:
        return self.rated_at is not None

    @property
    def rating_average(self) -> float | None:
        if not self.rated:
            return None
        return round((self.rating_speed + self.rating_outcome + self.rating_attitude) / 3, 2)

    def reopen_deadline(self, policy: Policy | None = None) -> dt.date | None:
        if not self.closed_at:
            return None
        days = (policy or Policy.get()).reopen_days
        return timezone.localdate(self.closed_at) + dt.timedelta(days=days)

    @property
    def public_name(self) -> str:
        if self.anonymous or not self.name:
            return str(_("匿名"))
        return self.name[0] + "**"


class StepKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    ACCEPTED = "accepted", _("受理")
    REJECTED = "rejected", _("不予受理")
    ASSIGNED = "assigned", _("分拨")
    REASSIGNED = "reassigned", _("改派")
    RETURNED = "returned", _("退回")
    HANDLING = "handling", _("处置")
    NOTE = "note", _("会办意见")
    SUPPLEMENT = "supplement", _("补充材料")
    ANSWERED = "answered", _("反馈")
    CLOSED = "closed", _("办结")
    RATED = "rated", _("评价")
    REOPENED = "reopened", _("重新办理")
    PUBLISHED = "published", _("公开")
    REMINDED = "reminded", _("催办")


class AppealStep(models.Model):
    """One step of the handling history, shown to the requester (Pingshan: 受理/分拨/处置/反馈/办结).

    ``summary`` is safe for the public step history (no personal data);
    ``detail`` is shown to the requester and to handlers only.
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=12, choices=StepKind.choices)
    summary = models.CharField(_("摘要"), max_length=200)
    detail = models.TextField(_("说明"), blank=True)
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_requester = models.BooleanField(default=False)
    is_internal = models.BooleanField(_("仅内部可见"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("办理环节")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.summary}"


# --- Public consultation --------------------------------------------------------


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")
    REPORTED = "reported", _("已反馈")


class Consultation(ConcurrentTransitionMixin, models.Model):
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("起草单位")
    )
    title = models.CharField(_("标题"), max_length=150)
    summary = models.CharField(_("内容提要"), max_length=300, blank=True)
    draft = models.TextField(_("征求意见稿"), help_text=_("可使用简单的 HTML 格式，保存时会清理不安全的标记"))
    explanation = models.TextField(_("起草说明"))
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    short_period_reason = models.TextField(_("征集期少于30日的理由"), blank=True)
    status = FSMField(_("状态"), default=ConsultationStatus.DRAFT, choices=ConsultationStatus.choices, protected=True)
    feedback_report = models.TextField(_("意见采纳情况说明"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    contact = models.CharField(_("联系方式（机关）"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=ConsultationStatus.DRAFT, target=ConsultationStatus.OPEN)
    def open(self):
        pass

    @transition(field=status, source=ConsultationStatus.OPEN, target=ConsultationStatus.CLOSED)
    def close(self):
        pass

    @transition(field=status, source=ConsultationStatus.CLOSED, target=ConsultationStatus.REPORTED)
    def report(self):
        pass

    @property
    def period_days(self) -> int | None:
        if self.opens_on and self.closes_on:
            return (self.closes_on - self.opens_on).days + 1
        return None

    @property
    def accepting_comments(self) -> bool:
        today = timezone.localdate()
        return self.status == ConsultationStatus.OPEN and self.opens_on <= today <= self.closes_on


def consultation_upload_to(instance, filename):
    return f"interaction/consultations/{instance.consultation_id}/{filename}"


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=150)
    file = models.FileField(_("文件"), upload_to=consultation_upload_to)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class Adoption(models.TextChoices):
    UNDECIDED = "", _("未处理")
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    author_name = models.CharField(_("署名"), max_length=40, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)  # never public
    content = models.TextField(_("意见内容"))
    public_content = models.TextField(_("公开内容"), blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("审核状态"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    reject_reason = models.CharField(_("未通过理由"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True, default="")
    adoption_note = models.CharField(_("采纳说明（未采纳的理由）"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征集意见")
        verbose_name_plural = _("征集意见")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def public_author(self) -> str:
        return (self.author_name[0] + "**") if self.author_name else str(_("匿名"))

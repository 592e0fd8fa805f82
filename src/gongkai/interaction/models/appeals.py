"""Questions and appeals (诉求) with their handling steps.

Two state machines (django-fsm-2, protected fields): ``status`` (the handling:
received → accepted → assigned → in progress → answered → closed, or rejected) and
``public_status`` (private ↔ published on the portal). Every transition declares who may
run it (``permission=``, predicates in :mod:`gongkai.interaction.access`) and its
preconditions (``conditions=``); services run them through
:func:`gongkai.core.transitions.run`. Transitions with ``target=None`` are steps that
do not change the state (an internal opinion, a supplement) but are gated the same way.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import deadlines
from gongkai.core.fields import EncryptedEmailField, EncryptedTextField
from gongkai.core.models import Organisation
from gongkai.core.transitions import condition

from .. import access

Rating = [MinValueValidator(1), MaxValueValidator(5)]
REOPEN_PERIOD = "appeal.reopen"


class AppealType(models.Model):
    """咨询 / 建议 / 投诉 / 求助, each with its time limit as a legal period (``appeal.<code>``).

    The defaults (5 / 15 / 10 / 5 working days) are the platform's configurable
    defaults, not a legal rule. The limit is the linked :class:`~gongkai.core.models.LegalPeriod`:
    editing it (工作台 › 法定期限, or the type's admin page) edits the period, audited, and
    recomputes the due dates of open appeals.
    """

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=20)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    period = models.ForeignKey(
        "core.LegalPeriod", on_delete=models.PROTECT, related_name="appeal_types", verbose_name=_("办理时限")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类型")
        verbose_name_plural = _("诉求类型")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def time_limit_days(self) -> int:
        """The time limit in working days (from the period table's snapshot: no query)."""
        return deadlines.period(self.period_id).length


class AppealStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", pgettext_lazy("appeal status", "不予受理")
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
HANDLING = [AppealStatus.ASSIGNED, AppealStatus.IN_PROGRESS]
DONE = [AppealStatus.ANSWERED, AppealStatus.CLOSED]


class PublicStatus(models.TextChoices):
    PRIVATE = "private", _("不公开")
    PUBLISHED = "published", _("已公开")


# --- preconditions (each with the message a user sees when it is not met) ------------------


@condition(_("答复之后才能执行此操作"))
def is_answered(appeal) -> bool:
    return appeal.status in DONE and bool(appeal.answer)


@condition(_("留言人未同意公开，不能公开该留言"))
def has_consent(appeal) -> bool:
    return appeal.publish_consent


@condition(_("该留言已转为常见问题"))
def not_promoted(appeal) -> bool:
    return not appeal.faq_entries.exists()


@condition(_("每件留言只能申请重新办理一次"))
def not_reopened_before(appeal) -> bool:
    return appeal.reopen_count < 1


@condition(_("申请重新办理的期限已过"))
def within_reopen_period(appeal) -> bool:
    deadline = appeal.reopen_deadline()
    return deadline is None or timezone.localdate() <= deadline


@condition(_("您已评价过本次办理结果"))
def not_rated(appeal) -> bool:
    return appeal.rated_at is None


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
    # Encrypted at rest (gongkai.core.crypto); duplicates are found through the keyed content_hash.
    phone = EncryptedTextField(_("手机号码"), max_length=20, blank=True)
    email = EncryptedEmailField(_("电子邮箱"), blank=True)
    anonymous = models.BooleanField(_("公开时匿名"), default=True)
    publish_consent = models.BooleanField(_("同意公开办理结果"), default=False)
    address_string = EncryptedTextField(_("地点"), max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=20, default="web")
    content_hash = models.CharField(max_length=64, db_index=True)

    status = FSMField(_("状态"), default=AppealStatus.RECEIVED, choices=AppealStatus.choices, protected=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    clock_started_on = models.DateField(
        _("期限起算日"), null=True, blank=True, help_text=_("收到留言之日；重新办理的，为申请重新办理之日")
    )
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

    public_status = FSMField(
        _("公开状态"), max_length=12, choices=PublicStatus.choices, default=PublicStatus.PRIVATE, protected=True
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

    # --- handling (status) ------------------------------------------------------------
    @transition(
        field=status, source=AppealStatus.RECEIVED, target=AppealStatus.ACCEPTED, permission=access.may_dispatch
    )
    def accept(self):
        """受理: the disclosure office of the receiving government takes the appeal on."""

    @transition(
        field=status, source=AppealStatus.RECEIVED, target=AppealStatus.REJECTED, permission=access.may_dispatch
    )
    def reject(self):
        """不予受理, with a reason the requester sees."""

    @transition(
        field=status, source=AppealStatus.ACCEPTED, target=AppealStatus.ASSIGNED, permission=access.may_dispatch
    )
    def assign(self):
        """分拨 to a lead unit and optional co-handling units."""

    @transition(field=status, source=HANDLING, target=AppealStatus.ASSIGNED, permission=access.may_dispatch)
    def reassign(self):
        """改派 / joint handling: another lead unit or other co-handling units."""

    @transition(field=status, source=HANDLING, target=AppealStatus.ACCEPTED, permission=access.may_handle)
    def send_back(self):
        """The assigned unit returns the appeal to the dispatching office (退回: not its responsibility)."""

    @transition(
        field=status, source=AppealStatus.ASSIGNED, target=AppealStatus.IN_PROGRESS, permission=access.may_handle
    )
    def start(self):
        """开始处置."""

    @transition(field=status, source=HANDLING, target=AppealStatus.ANSWERED, permission=access.may_handle)
    def respond(self):
        """答复 (反馈) to the requester."""

    @transition(field=status, source=AppealStatus.ANSWERED, target=AppealStatus.CLOSED, permission=access.may_close)
    def close(self):
        """办结 by the lead unit or the office."""

    @transition(field=status, source=OPEN_STATUSES, target=None, permission=access.may_note)
    def note(self):
        """会办意见: an internal opinion of the lead or a co-handling unit (no state change)."""

    @transition(
        field=status,
        source=DONE,
        target=None,
        permission=access.may_close,
        conditions=[is_answered, not_promoted],
    )
    def promote(self):
        """The answer becomes a FAQ entry, personal data removed (no state change)."""

    # --- the requester's steps (permission: nobody on the staff side) --------------------
    @transition(
        field=status,
        source=[*OPEN_STATUSES, AppealStatus.ANSWERED],
        target=None,
        permission=access.requester_only,
    )
    def supplement(self):
        """补充材料."""

    @transition(
        field=status, source=DONE, target=AppealStatus.CLOSED, permission=access.requester_only, conditions=[not_rated]
    )
    def rate(self):
        """评价; rating an answered appeal closes it."""

    @transition(
        field=status,
        source=AppealStatus.CLOSED,
        target=AppealStatus.IN_PROGRESS,
        permission=access.requester_only,
        conditions=[not_reopened_before, within_reopen_period],
    )
    def reopen(self):
        """申请重新办理 once, within the reopening period after closure; a new time limit starts."""

    # --- publication on the portal (public_status) -----------------------------------------
    @transition(
        field=public_status,
        source=PublicStatus.PRIVATE,
        target=PublicStatus.PUBLISHED,
        permission=access.may_publish,
        conditions=[is_answered, has_consent],
    )
    def publish(self):
        """The staff-confirmed masked question and answer appear on the portal."""

    @transition(
        field=public_status, source=PublicStatus.PUBLISHED, target=PublicStatus.PRIVATE, permission=access.may_publish
    )
    def unpublish(self):
        """撤回公开."""

    # --- derived ----------------------------------------------------------------------------
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

    @property
    def co_unit_ids(self) -> list[int]:
        """For audit snapshots: the co-handling units (sorted ids)."""
        if self.pk is None:
            return []
        return sorted(self.co_units.values_list("pk", flat=True))

    def reopen_deadline(self) -> dt.date | None:
        """Last day a closed appeal may be reopened (period ``appeal.reopen``, calendar days after closure)."""
        if not self.closed_at:
            return None
        return deadlines.due_date(timezone.localdate(self.closed_at), REOPEN_PERIOD)

    @property
    def public_name(self) -> str:
        if self.anonymous or not self.name:
            return str(_("匿名"))
        return self.name[0] + "**"


class StepKind(models.TextChoices):
    """Kinds of handling step (labels are nouns: "受理" the step, not the button)."""

    SUBMITTED = "submitted", pgettext_lazy("appeal step", "提交")
    ACCEPTED = "accepted", pgettext_lazy("appeal step", "受理")
    REJECTED = "rejected", pgettext_lazy("appeal step", "不予受理")
    ASSIGNED = "assigned", pgettext_lazy("appeal step", "分拨")
    REASSIGNED = "reassigned", pgettext_lazy("appeal step", "改派")
    RETURNED = "returned", pgettext_lazy("appeal step", "退回")
    HANDLING = "handling", pgettext_lazy("appeal step", "处置")
    NOTE = "note", pgettext_lazy("appeal step", "会办意见")
    SUPPLEMENT = "supplement", pgettext_lazy("appeal step", "补充材料")
    ANSWERED = "answered", pgettext_lazy("appeal step", "反馈")
    CLOSED = "closed", pgettext_lazy("appeal step", "办结")
    RATED = "rated", pgettext_lazy("appeal step", "评价")
    REOPENED = "reopened", pgettext_lazy("appeal step", "重新办理")
    PUBLISHED = "published", pgettext_lazy("appeal step", "公开")
    UNPUBLISHED = "unpublished", pgettext_lazy("appeal step", "撤回公开")
    PROMOTED = "promoted", pgettext_lazy("appeal step", "收入常见问题")
    REMINDED = "reminded", pgettext_lazy("appeal step", "催办")
    DUE_CHANGED = "due_changed", pgettext_lazy("appeal step", "期限调整")


class AppealStep(models.Model):
    """One step of the handling history, shown to the requester (Pingshan: 受理/分拨/处置/反馈/办结).

    ``summary`` is safe for the public step history (no personal data);
    ``detail`` is shown to the requester and to handlers only.
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=12, choices=StepKind.choices)
    summary = models.CharField(_("摘要"), max_length=200)
    # The summary's message (a Simplified-Chinese msgid) and its values, so the history is shown in
    # the reader's language; ``summary`` keeps the Chinese text as recorded.
    template = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
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

    @property
    def display_summary(self) -> str:
        """The summary in the active language (the recorded Chinese text when no message is stored)."""
        if not self.template:
            return self.summary
        try:
            return gettext(self.template) % self.params
        except (KeyError, TypeError, ValueError):
            return self.summary

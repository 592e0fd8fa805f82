"""惠企利民: policies broken into benefit items, eligibility criteria as data, profiles, recipients.

* :class:`Policy` — a benefit policy (the document) of a unit.
* :class:`BenefitItem` — one benefit of a policy (category, amount or formula, payment, validity,
  how to apply, linked guides); draft → review → published → expired / withdrawn.
* :class:`Attribute` — a fact a profile can state (注册地, 从业人数 …) with its type; seeded, editable.
* :class:`Criterion` — attribute, operator, value: one eligibility condition of an item.
* :class:`Profile` — facts entered on the matcher page, kept only with consent, deletable by token.
* :class:`RecipientBatch` / :class:`Recipient` — published recipient lists (公示) and amounts paid.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role
from gongkai.core.transitions import condition


class Audience(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    RESIDENT = "resident", _("个人")


class Category(models.TextChoices):
    RELIEF = "relief", _("减免")
    SUBSIDY = "subsidy", _("奖补")
    RIGHT = "right", _("权益")
    QUALIFICATION = "qualification", _("资质")


class ItemState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    EXPIRED = "expired", _("已到期")
    WITHDRAWN = "withdrawn", _("已撤回")


class BatchState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("公示中")
    CLOSED = "closed", _("公示期满")


class AttributeType(models.TextChoices):
    NUMBER = "number", _("数值")
    BOOLEAN = "boolean", _("是/否")
    CHOICE = "choice", _("选项")
    TEXT = "text", _("文字")


class Operator(models.TextChoices):
    EQ = "eq", "="
    NE = "ne", "≠"
    LT = "lt", "<"
    LE = "le", "≤"
    GT = "gt", ">"
    GE = "ge", "≥"
    IN = "in", _("属于")
    NOT_IN = "not_in", _("不属于")


NUMERIC_OPERATORS = {Operator.LT, Operator.LE, Operator.GT, Operator.GE}
SET_OPERATORS = {Operator.IN, Operator.NOT_IN}


def _editor(obj, user) -> bool:
    return permissions.has_role(user, Role.EDITOR, obj.unit)


def _reviewer(obj, user) -> bool:
    return permissions.has_any_role(user, [Role.REVIEWER, Role.LEADER], obj.unit)


@condition(_("请先填写申请条件（至少一条）"))
def _has_criteria(item) -> bool:
    return item.criteria.exists()


@condition(_("有效期已过，不能发布"))
def _still_valid(item) -> bool:
    return item.valid_until is None or item.valid_until >= timezone.localdate()


@condition(_("有效期未到，尚不能下架"))
def _past_validity(item) -> bool:
    return item.valid_until is not None and item.valid_until < timezone.localdate()


@condition(_("名单为空，不能提交"))
def _has_recipients(batch) -> bool:
    return batch.recipients.exists()


@condition(_("公示期未满"))
def _display_over(batch) -> bool:
    return batch.display_until is not None and batch.display_until < timezone.localdate()


class Policy(models.Model):
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布单位"))
    title = models.CharField(_("政策名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    summary = models.TextField(_("政策概要"), blank=True)
    source_url = models.URLField(_("政策原文链接"), blank=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("惠企利民政策")
        verbose_name_plural = _("惠企利民政策")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("benefits:policy", args=[self.pk])


class BenefitItem(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="items", verbose_name=_("所属政策"))
    title = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    audience = models.CharField(_("对象"), max_length=12, choices=Audience.choices, default=Audience.ENTERPRISE)
    amount_text = models.CharField(_("金额或计算方式"), max_length=300, blank=True)
    amount_max = models.DecimalField(_("最高金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    payment = models.CharField(_("兑现方式"), max_length=200, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)
    how_to_apply = models.TextField(_("申请方式"), blank=True)
    contact = models.CharField(_("咨询电话"), max_length=60, blank=True)
    guide_ids = models.JSONField(_("关联办事指南"), default=list, blank=True)
    state = FSMField(_("状态"), default=ItemState.DRAFT, choices=ItemState.choices, protected=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("惠企利民事项")
        verbose_name_plural = _("惠企利民事项")
        ordering = ["policy_id", "pk"]
        indexes = [models.Index(fields=["state", "valid_until"])]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self) -> Organisation:
        return self.policy.unit

    def get_absolute_url(self) -> str:
        return reverse("benefits:item", args=[self.pk])

    @transition(field=state, source=ItemState.DRAFT, target=ItemState.REVIEW, permission=_editor)
    def submit(self):
        pass

    @transition(field=state, source=ItemState.REVIEW, target=ItemState.DRAFT, permission=_reviewer)
    def send_back(self):
        pass

    @transition(
        field=state,
        source=ItemState.REVIEW,
        target=ItemState.PUBLISHED,
        permission=_reviewer,
        conditions=[_has_criteria, _still_valid],
    )
    def publish(self):
        pass

    @transition(field=state, source=ItemState.PUBLISHED, target=ItemState.WITHDRAWN, permission=_reviewer)
    def withdraw(self):
        pass

    @transition(field=state, source=ItemState.PUBLISHED, target=ItemState.EXPIRED, conditions=[_past_validity])
    def expire(self):
        """Run by the daily job (no user): the validity has ended."""


class Attribute(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("名称"), max_length=60)
    type = models.CharField(_("类型"), max_length=8, choices=AttributeType.choices)
    audience = models.CharField(_("适用对象"), max_length=12, choices=Audience.choices)
    unit_label = models.CharField(_("单位"), max_length=20, blank=True)
    choices = models.JSONField(_("可选值"), default=list, blank=True)
    help_text = models.CharField(_("填写说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请条件属性")
        verbose_name_plural = _("申请条件属性")
        ordering = ["audience", "sort_order", "code"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    item = models.ForeignKey(BenefitItem, on_delete=models.CASCADE, related_name="criteria")
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="+", verbose_name=_("属性"))
    operator = models.CharField(_("比较"), max_length=8, choices=Operator.choices)
    value = models.JSONField(_("值"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("申请条件")
        verbose_name_plural = _("申请条件")
        ordering = ["item_id", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.attribute.label} {self.get_operator_display()} {self.value}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class Profile(models.Model):
    """Facts entered on the matcher page; stored only when the visitor consents, deleted on request."""

    audience = models.CharField(_("对象"), max_length=12, choices=Audience.choices)
    facts = models.JSONField(_("情况"), default=dict)
    token = models.CharField(max_length=64, unique=True, default=_token)
    consent_at = models.DateTimeField(_("同意保存时间"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("匹配档案")
        verbose_name_plural = _("匹配档案")

    def __str__(self) -> str:
        return f"{self.get_audience_display()} #{self.pk}"


class RecipientBatch(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    item = models.ForeignKey(BenefitItem, on_delete=models.PROTECT, related_name="batches", verbose_name=_("事项"))
    title = models.CharField(_("批次名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    state = FSMField(_("状态"), default=BatchState.DRAFT, choices=BatchState.choices, protected=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    display_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("兑现名单批次")
        verbose_name_plural = _("兑现名单批次")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self) -> Organisation:
        return self.item.policy.unit

    def get_absolute_url(self) -> str:
        return reverse("benefits:batch", args=[self.pk])

    @transition(
        field=state, source=BatchState.DRAFT, target=BatchState.REVIEW, permission=_editor, conditions=[_has_recipients]
    )
    def submit(self):
        pass

    @transition(field=state, source=BatchState.REVIEW, target=BatchState.DRAFT, permission=_reviewer)
    def send_back(self):
        pass

    @transition(field=state, source=BatchState.REVIEW, target=BatchState.PUBLISHED, permission=_reviewer)
    def publish(self):
        pass

    @transition(field=state, source=BatchState.PUBLISHED, target=BatchState.CLOSED, conditions=[_display_over])
    def close(self):
        """Run by the daily job: the display period (公示期) is over; the list stays public."""


class Recipient(models.Model):
    batch = models.ForeignKey(RecipientBatch, on_delete=models.CASCADE, related_name="recipients")
    name = models.CharField(_("名称或姓名"), max_length=120)
    is_person = models.BooleanField(_("自然人"), default=False)
    id_number = models.CharField(_("证件号码或统一社会信用代码"), max_length=30, blank=True)
    township = models.CharField(_("所在乡镇"), max_length=60, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("兑现对象")
        verbose_name_plural = _("兑现对象")
        ordering = ["batch_id", "pk"]

    def __str__(self) -> str:
        return self.name

"""双公示: administrative licences (行政许可) and penalties (行政处罚) with the national
credit-data fields, their publication deadline, display period, withdrawal and credit repair.

Field names and order follow the national 双公示 data standard (信用中国 行政许可/行政处罚
信息数据标准, the columns of the reporting template; see :mod:`gongkai.credit.template`).

Life of a record (``state``):

    draft (待公示) ──publish──▶ published (已公示) ──expire──▶ expired (公示期满，已下线)
                                    │  └──repair──▶ repaired (已信用修复，已下线)
                                    └──withdraw──▶ withdrawn (已撤回：决定被变更、撤销或确认违法/无效)

Only ``published`` records whose display period has not ended appear on public pages; all
records are kept internally. Transitions declare who may run them (``permission=``) and
their preconditions (``conditions=``); services run them through
:func:`gongkai.core.transitions.run`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import permissions, privacy
from gongkai.core.models import Organisation, Role, User
from gongkai.core.transitions import condition


class PartyCategory(models.TextChoices):
    """行政相对人类别 (national standard codes)."""

    LEGAL_PERSON = "legal_person", _("法人及非法人组织")
    NATURAL_PERSON = "natural_person", _("自然人")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")


class IdType(models.TextChoices):
    """证件类型 of a natural person or a legal representative."""

    ID_CARD = "id_card", _("身份证")
    PASSPORT = "passport", _("护照号")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_RESIDENCE = "foreign_residence", _("外国人永久居留身份证")


class State(models.TextChoices):
    DRAFT = "draft", _("待公示")
    PUBLISHED = "published", _("已公示")
    EXPIRED = "expired", _("公示期满")
    REPAIRED = "repaired", _("已信用修复")
    WITHDRAWN = "withdrawn", _("已撤回")


class LicenceCategory(models.TextChoices):
    """许可类别 (行政许可法 art. 12)."""

    GENERAL = "general", _("普通")
    FRANCHISE = "franchise", _("特许")
    RECOGNITION = "recognition", _("认可")
    APPROVAL = "approval", _("核准")
    REGISTRATION = "registration", _("登记")
    OTHER = "other", _("其他")


class LicenceStatus(models.TextChoices):
    """当前状态 of a licence (national codes 1 有效 / 2 无效)."""

    VALID = "1", _("有效")
    INVALID = "2", _("无效")


class Severity(models.TextChoices):
    """Severity of the violation, which sets the penalty's display period (credit-repair rules)."""

    MINOR = "minor", _("轻微")
    ORDINARY = "ordinary", _("一般")
    SERIOUS = "serious", _("严重")


class PenaltyType(models.TextChoices):
    """处罚类别 (行政处罚法 art. 9)."""

    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_INCOME = "confiscate_income", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_ACTIVITY = "restrict_activity", _("限制开展生产经营活动")
    STOP_BUSINESS = "stop_business", _("责令停产停业")
    CLOSE = "close", _("责令关闭")
    RESTRICT_EMPLOYMENT = "restrict_employment", _("限制从业")
    DETENTION = "detention", _("行政拘留")
    OTHER = "other", _("其他")


class RevocationKind(models.TextChoices):
    """Why a published decision is withdrawn (行政处罚法 art. 48 第二款)."""

    CHANGED = "changed", _("依法变更")
    REVOKED = "revoked", _("依法撤销")
    CONFIRMED_ILLEGAL = "illegal", _("确认违法")
    CONFIRMED_VOID = "void", _("确认无效")


# --- who may do what ------------------------------------------------------------------


def may_edit(record, user) -> bool:
    """Editors and reviewers of the deciding unit enter and publish its records."""
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], record.unit)


def may_decide(record, user) -> bool:
    """Withdrawal and credit repair are signed off by a reviewer or the unit's leader."""
    return permissions.has_any_role(user, [Role.REVIEWER, Role.LEADER], record.unit)


@condition(_("决定日期晚于今天，不能公示"))
def decided_in_past(record) -> bool:
    return record.decided_on <= timezone.localdate()


@condition(_("轻微违法行为的处罚信息按规定不予公示（如需公示，请先设定公示截止期，最长3个月）"))
def displayable(record) -> bool:
    return getattr(record, "severity", None) != Severity.MINOR or record.display_until is not None


@condition(_("公示期尚未届满"))
def display_ended(record) -> bool:
    end = getattr(record, "display_until", None)
    return end is not None and end < timezone.localdate()


@condition(_("尚未达到信用修复的最短公示期限"))
def repair_period_passed(record) -> bool:
    from .deadlines import repair_earliest

    return repair_earliest(record) <= timezone.localdate()


# --- records ----------------------------------------------------------------------------


class CreditRecord(ConcurrentTransitionMixin, models.Model):
    """Fields shared by licences and penalties: the party (行政相对人), the deciding body,
    the data source, and the publication lifecycle."""

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定机关（本平台单位）")
    )
    # 行政相对人
    party_name = models.CharField(_("行政相对人名称"), max_length=200)
    party_category = models.CharField(
        _("行政相对人类别"), max_length=20, choices=PartyCategory.choices, default=PartyCategory.LEGAL_PERSON
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    registration_number = models.CharField(_("工商注册号"), max_length=50, blank=True)
    organisation_code = models.CharField(_("组织机构代码"), max_length=20, blank=True)
    tax_number = models.CharField(_("税务登记号"), max_length=30, blank=True)
    institution_number = models.CharField(_("事业单位证书号"), max_length=50, blank=True)
    social_org_number = models.CharField(_("社会组织登记证号"), max_length=50, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=60, blank=True)
    representative_id_type = models.CharField(
        _("法定代表人证件类型"), max_length=20, choices=IdType.choices, blank=True
    )
    representative_id_number = models.CharField(_("法定代表人证件号码"), max_length=40, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    # 决定机关 and 数据来源
    decided_on = models.DateField(_("决定日期"), db_index=True)
    authority_name = models.CharField(_("决定机关"), max_length=120)
    authority_code = models.CharField(_("决定机关统一社会信用代码"), max_length=18)
    source_unit_name = models.CharField(_("数据来源单位"), max_length=120)
    source_unit_code = models.CharField(_("数据来源单位统一社会信用代码"), max_length=18)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    # lifecycle
    state = FSMField(_("公示状态"), max_length=12, choices=State.choices, default=State.DRAFT, protected=True)
    publication_due = models.DateField(_("公示期限"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    revocation_kind = models.CharField(_("撤回原因类别"), max_length=10, choices=RevocationKind.choices, blank=True)
    revoked_on = models.DateField(_("决定被变更或撤销之日"), null=True, blank=True)
    withdrawal_due = models.DateField(_("撤回期限"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回说明"), blank=True)
    source = models.CharField(_("录入方式"), max_length=20, default="manual")  # manual / import / api
    external_id = models.CharField(_("业务系统编号"), max_length=64, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    # -- derived -------------------------------------------------------------------------

    @property
    def is_natural_person(self) -> bool:
        return self.party_category == PartyCategory.NATURAL_PERSON

    @property
    def public_party_name(self) -> str:
        """The name shown on public pages: a natural person's name is partly masked."""
        return privacy.mask_person_name(self.party_name) if self.is_natural_person else self.party_name

    @property
    def masked_id_number(self) -> str:
        return privacy.mask_id_number(self.id_number)

    @property
    def is_late(self) -> bool:
        """Published after the 7-working-day limit, or still unpublished after it."""
        if self.publication_due is None or self.state == State.WITHDRAWN:
            return False
        if self.published_at is not None:
            return timezone.localdate(self.published_at) > self.publication_due
        return self.state == State.DRAFT and timezone.localdate() > self.publication_due

    @property
    def withdrawal_late(self) -> bool:
        if self.withdrawal_due is None or self.withdrawn_at is None:
            return False
        return timezone.localdate(self.withdrawn_at) > self.withdrawal_due


class Licence(CreditRecord):
    """行政许可 (双公示 licence record)."""

    decision_document = models.CharField(_("行政许可决定文书名称"), max_length=200)
    decision_number = models.CharField(_("行政许可决定文书号"), max_length=100)
    category = models.CharField(_("许可类别"), max_length=20, choices=LicenceCategory.choices)
    certificate_name = models.CharField(_("许可证书名称"), max_length=200, blank=True)
    certificate_number = models.CharField(_("许可编号"), max_length=100, blank=True)
    content = models.TextField(_("许可内容"))
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    status = models.CharField(_("当前状态"), max_length=1, choices=LicenceStatus.choices, default=LicenceStatus.VALID)

    class Meta:
        verbose_name = _("行政许可")
        verbose_name_plural = _("行政许可")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "decided_on"]),
            models.Index(fields=["state", "decided_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "decision_number"], name="credit_licence_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.party_name}"

    kind = "licence"

    def get_absolute_url(self) -> str:
        return reverse("credit:licence", args=[self.pk])

    @property
    def display_until(self):
        return None

    @transition(
        field="state", source=State.DRAFT, target=State.PUBLISHED, permission=may_edit, conditions=[decided_in_past]
    )
    def publish(self):
        self.published_at = timezone.now()

    @transition(field="state", source=State.PUBLISHED, target=State.WITHDRAWN, permission=may_decide)
    def withdraw(self):
        self.withdrawn_at = timezone.now()
        self.status = LicenceStatus.INVALID


class Penalty(CreditRecord):
    """行政处罚 (双公示 penalty record)."""

    decision_number = models.CharField(_("行政处罚决定书文号"), max_length=100)
    violation_type = models.CharField(_("违法行为类型"), max_length=200)
    facts = models.TextField(_("违法事实"))
    basis = models.TextField(_("处罚依据"))
    penalty_types = models.JSONField(_("处罚类别"), default=list)
    content = models.TextField(_("处罚内容"))
    fine_amount = models.DecimalField(
        _("罚款金额（万元）"), max_digits=14, decimal_places=6, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    confiscated_amount = models.DecimalField(
        _("没收违法所得、没收非法财物的金额（万元）"),
        max_digits=14,
        decimal_places=6,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    licence_affected = models.CharField(_("暂扣或吊销证照名称及编号"), max_length=200, blank=True)
    severity = models.CharField(_("失信程度"), max_length=10, choices=Severity.choices, default=Severity.ORDINARY)
    display_until = models.DateField(_("公示截止期"), null=True, blank=True, db_index=True)
    repaired_at = models.DateTimeField(_("信用修复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政处罚")
        verbose_name_plural = _("行政处罚")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "decided_on"]),
            models.Index(fields=["state", "display_until"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "decision_number"], name="credit_penalty_unique_number"),
        ]

    kind = "penalty"

    def __str__(self) -> str:
        return f"{self.decision_number} {self.party_name}"

    def get_absolute_url(self) -> str:
        return reverse("credit:penalty", args=[self.pk])

    def penalty_type_labels(self) -> list[str]:
        labels = dict(PenaltyType.choices)
        return [str(labels.get(t, t)) for t in self.penalty_types or []]

    @property
    def is_displayed(self) -> bool:
        return (
            self.state == State.PUBLISHED
            and self.display_until is not None
            and self.display_until >= timezone.localdate()
        )

    @transition(
        field="state",
        source=State.DRAFT,
        target=State.PUBLISHED,
        permission=may_edit,
        conditions=[decided_in_past, displayable],
    )
    def publish(self):
        self.published_at = timezone.now()

    @transition(field="state", source=State.PUBLISHED, target=State.EXPIRED, conditions=[display_ended])
    def expire(self):
        pass

    @transition(
        field="state",
        source=State.PUBLISHED,
        target=State.REPAIRED,
        permission=may_decide,
        conditions=[repair_period_passed],
    )
    def repair(self):
        self.repaired_at = timezone.now()

    @transition(field="state", source=[State.PUBLISHED, State.EXPIRED], target=State.WITHDRAWN, permission=may_decide)
    def withdraw(self):
        self.withdrawn_at = timezone.now()


class CreditRepair(models.Model):
    """A credit-repair request (信用修复申请) accepted for a penalty, with its outcome."""

    penalty = models.ForeignKey(Penalty, on_delete=models.CASCADE, related_name="repairs", verbose_name=_("行政处罚"))
    applicant = models.CharField(_("申请人"), max_length=200)
    received_on = models.DateField(_("收到申请日期"))
    correction = models.TextField(_("失信行为纠正情况"))
    commitment = models.BooleanField(_("已作出信用承诺"), default=True)
    handled_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("信用修复")
        verbose_name_plural = _("信用修复")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.penalty} ← {self.applicant}"


def today() -> dt.date:
    return timezone.localdate()

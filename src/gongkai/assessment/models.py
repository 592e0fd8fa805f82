"""Assessment data: versioned indicator sets, periods with their assessed units and scores,
seeded samples, rectification (通报 → notice → response → re-check → closed or escalated),
yellow and red cards, 督办函, 约谈 records, result appeals, editable document templates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role
from gongkai.core.transitions import condition

from .storage import private_storage


def oversees(obj, user) -> bool:
    unit = obj.unit if hasattr(obj, "unit") else getattr(obj, "root", None)
    return unit is not None and permissions.oversees(user, unit)


def office_anywhere(obj, user) -> bool:
    return permissions.is_superuser(user) or permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).exists()


def unit_staff(obj, user) -> bool:
    """The unit's own staff (editor, reviewer or leader) answer for it."""
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER, Role.LEADER], obj.unit)


class UnitCategory(models.TextChoices):
    WEBSITE = "website", _("政府网站")
    NEW_MEDIA = "new_media", _("政务新媒体")
    DEPARTMENT = "department", _("县级部门")
    TOWNSHIP = "township", _("乡镇（街道）")
    INSTITUTION = "institution", _("公共企事业单位")


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


@condition(_("指标体系须至少包含一项指标，各计分指标的分值之和等于总分，分组分值等于其下级指标分值之和"))
def weights_add_up(s) -> bool:
    return s.weights_ok()


class IndicatorSet(ConcurrentTransitionMixin, models.Model):
    """A versioned set of indicators; a published set is immutable (edit a new version)."""

    name = models.CharField(_("名称"), max_length=120)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    year = models.PositiveSmallIntegerField(_("年度"))
    issuer = models.CharField(_("发布机关"), max_length=120)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    unit_category = models.CharField(_("适用对象"), max_length=12, choices=UnitCategory.choices)
    total_points = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=100)
    pass_mark = models.DecimalField(_("合格分"), max_digits=6, decimal_places=2, default=60)
    bonus_threshold = models.DecimalField(
        _("加分起算分"), max_digits=6, decimal_places=2, default=60, help_text=_("基础得分达到该分数时才计入加分")
    )
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=6, decimal_places=2, default=0)
    note = models.TextField(_("说明"), blank=True)
    status = FSMField(_("状态"), default=SetStatus.DRAFT, choices=SetStatus.choices, protected=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("指标体系")
        verbose_name_plural = _("指标体系")
        ordering = ["-year", "name", "-version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="assessment_set_version")]

    def __str__(self) -> str:
        return _("%(name)s（第%(v)s版）") % {"name": self.name, "v": self.version}

    def weights_ok(self) -> bool:
        """Top-level scored indicators add up to the total, and every group to its children."""
        items = list(self.indicators.all())
        scored = [i for i in items if i.method not in (Method.VETO, Method.BONUS)]
        top = [i for i in scored if i.parent_id is None]
        for group in (i for i in items if i.method == Method.GROUP):
            if sum(c.weight for c in scored if c.parent_id == group.pk) != group.weight:
                return False
        return bool(top) and sum(i.weight for i in top) == self.total_points

    @transition(
        field=status,
        source=SetStatus.DRAFT,
        target=SetStatus.PUBLISHED,
        permission=office_anywhere,
        conditions=[weights_add_up],
    )
    def publish(self):
        pass

    @transition(field=status, source=SetStatus.PUBLISHED, target=SetStatus.RETIRED, permission=office_anywhere)
    def retire(self):
        pass


class Method(models.TextChoices):
    GROUP = "group", _("分组（下级之和）")
    VETO = "veto", _("单项否决")
    DEDUCTION = "deduction", _("扣分")
    RATIO = "ratio", _("比率计分")
    BOOLEAN = "boolean", _("达标计分")
    MANUAL = "manual", _("人工评分")
    BONUS = "bonus", _("加分")


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("指标"), max_length=200)
    method = models.CharField(_("计分方法"), max_length=10, choices=Method.choices)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, default=0)
    per_item = models.DecimalField(_("每处扣分"), max_digits=6, decimal_places=2, default=0)
    cap = models.DecimalField(_("扣分上限"), max_digits=6, decimal_places=2, null=True, blank=True)
    source = models.CharField(
        _("数据来源"), max_length=200, blank=True, help_text=_("findings:规则,规则 / 平台指标代码 / 留空为人工")
    )
    verified = models.BooleanField(_("已核对原文"), default=True, help_text=_("未核对的扣分项及分值为可配置的默认值"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["indicator_set", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="assessment_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("评估中")
    RANKED = "ranked", _("已排名")
    PUBLISHED = "published", _("已公布")
    CLOSED = "closed", _("已结束")


@condition(_("请先计算排名"))
def has_ranking(p) -> bool:
    return p.ranked_at is not None


class Period(ConcurrentTransitionMixin, models.Model):
    """An assessment round (e.g. 2026年第四季度) of one indicator set over the units under ``root``."""

    name = models.CharField(_("名称"), max_length=100)
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.PROTECT, related_name="periods", verbose_name=_("指标体系")
    )
    root = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位"))
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"))
    seed = models.PositiveIntegerField(_("抽样种子"), default=0)
    status = FSMField(_("状态"), default=PeriodStatus.OPEN, choices=PeriodStatus.choices, protected=True)
    inputs_at = models.DateTimeField(_("取数时间"), null=True, blank=True)
    ranked_at = models.DateTimeField(_("排名时间"), null=True, blank=True)
    ranking_hash = models.CharField(max_length=64, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    appeal_due = models.DateField(_("申诉截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("评估周期")
        verbose_name_plural = _("评估周期")
        ordering = ["-end", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self):
        return self.root

    @transition(
        field=status, source=[PeriodStatus.OPEN, PeriodStatus.RANKED], target=PeriodStatus.RANKED, permission=oversees
    )
    def rank(self):
        pass

    @transition(
        field=status,
        source=PeriodStatus.RANKED,
        target=PeriodStatus.PUBLISHED,
        permission=oversees,
        conditions=[has_ranking],
    )
    def publish(self):
        pass

    @transition(field=status, source=PeriodStatus.PUBLISHED, target=PeriodStatus.CLOSED, permission=oversees)
    def close(self):
        pass


class Assessee(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assessees")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    category = models.CharField(_("排名类别"), max_length=12, choices=UnitCategory.choices)
    base = models.DecimalField(_("基础得分"), max_digits=7, decimal_places=2, null=True)
    bonus = models.DecimalField(_("加分"), max_digits=7, decimal_places=2, null=True)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, null=True)
    vetoed = models.BooleanField(_("单项否决"), default=False)
    veto_reasons = models.JSONField(default=list, blank=True)
    passed = models.BooleanField(_("合格"), null=True)
    rank = models.PositiveIntegerField(_("名次"), null=True)

    class Meta:
        ordering = ["period", "category", "rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="assessment_assessee_unique")]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit}"


class Score(models.Model):
    """One indicator's inputs and points for one assessed unit (stored inputs make rankings reproducible)."""

    assessee = models.ForeignKey(Assessee, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    inputs = models.JSONField(default=dict, blank=True)
    manual_points = models.DecimalField(_("人工评分"), max_digits=6, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    applicable = models.BooleanField(default=True)
    vetoed = models.BooleanField(default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)  # typed by the person who scored
    # how the system reached the points (a message of gongkai.core.messages, shown in the visitor's language)
    auto_note = models.JSONField(_("计分说明"), default=dict, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessee", "indicator"], name="assessment_score_unique")]

    def __str__(self) -> str:
        return f"{self.assessee} {self.indicator.code}={self.points}"


class Sample(models.Model):
    """A seeded random sample for human review: the same seed gives the same sample."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="samples")
    assessee = models.ForeignKey(Assessee, on_delete=models.CASCADE, related_name="samples")
    kind = models.CharField(_("抽样对象"), max_length=30, default="publications")
    seed = models.PositiveIntegerField()
    population = models.PositiveIntegerField(_("总体数量"))
    chosen = models.JSONField(_("抽中"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessee__unit__path"]

    def __str__(self) -> str:
        return f"{self.assessee} {self.kind} seed={self.seed}"


class RectStatus(models.TextChoices):
    NOTIFIED = "notified", _("待整改")
    RESPONDED = "responded", _("已反馈")
    RECHECKING = "rechecking", _("复查中")
    CLOSED = "closed", _("已销号")
    ESCALATED = "escalated", _("已升级督办")


@condition(_("请填写整改情况说明"))
def has_response(r) -> bool:
    return bool((r.response or "").strip())


class Bulletin(ConcurrentTransitionMixin, models.Model):
    """A 通报 naming units and their problems; issuing it sends each unit a rectification notice."""

    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="bulletins")
    root = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    intro = models.TextField(_("正文导语"), blank=True)
    status = FSMField(
        _("状态"), default="draft", choices=[("draft", _("草稿")), ("issued", _("已印发"))], protected=True
    )
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    docx = models.FileField(storage=private_storage, upload_to="assessment/bulletins/", blank=True)
    pdf = models.FileField(storage=private_storage, upload_to="assessment/bulletins/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self):
        return self.root

    @transition(
        field=status,
        source="draft",
        target="issued",
        permission=oversees,
        conditions=[condition(_("通报须至少点名一个单位"))(lambda b: b.entries.exists())],
    )
    def issue(self):
        pass


class BulletinEntry(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    problems = models.TextField(_("存在问题"))
    finding_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["bulletin", "unit__path"]

    def __str__(self) -> str:
        return f"{self.bulletin} · {self.unit}"


class Rectification(ConcurrentTransitionMixin, models.Model):
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications")
    bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("整改单位"))
    problems = models.TextField(_("存在问题"))
    finding_ids = models.JSONField(default=list, blank=True)
    issued_on = models.DateField(_("下发日期"))
    due_on = models.DateField(_("整改期限"))
    status = FSMField(_("状态"), default=RectStatus.NOTIFIED, choices=RectStatus.choices, protected=True)
    response = models.TextField(_("整改情况"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recheck_requested_at = models.DateTimeField(null=True, blank=True)
    recheck_due = models.DateField(_("复查期限"), null=True, blank=True)
    recheck_note = models.TextField(_("复查意见"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(_("升级原因"), max_length=200, blank=True)
    notice_pdf = models.FileField(storage=private_storage, upload_to="assessment/notices/", blank=True)
    notice_docx = models.FileField(storage=private_storage, upload_to="assessment/notices/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} 整改（{self.issued_on:%Y-%m-%d}）"

    @property
    def from_crawl(self) -> bool:
        return bool(self.finding_ids)

    @transition(
        field=status,
        source=RectStatus.NOTIFIED,
        target=RectStatus.RESPONDED,
        permission=unit_staff,
        conditions=[has_response],
    )
    def respond(self):
        pass

    @transition(field=status, source=RectStatus.RESPONDED, target=RectStatus.RECHECKING, permission=oversees)
    def recheck(self):
        pass

    @transition(field=status, source=RectStatus.RECHECKING, target=RectStatus.CLOSED, permission=oversees)
    def close(self):
        pass

    @transition(field=status, source=RectStatus.RECHECKING, target=RectStatus.NOTIFIED, permission=oversees)
    def reopen(self):
        pass

    @transition(
        field=status,
        source=[RectStatus.NOTIFIED, RectStatus.RESPONDED, RectStatus.RECHECKING],
        target=RectStatus.ESCALATED,
        permission=oversees,
    )
    def escalate(self):
        pass


class Evidence(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to="assessment/evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class CardColour(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


class Card(models.Model):
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="cards")
    colour = models.CharField(_("警示"), max_length=6, choices=CardColour.choices)
    reason = models.CharField(_("原因"), max_length=300)
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_colour_display()}"


class Letter(models.Model):
    """A 督办函 sent to a unit whose rectification was escalated."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="letters")
    number = models.CharField(_("文号"), max_length=60)
    issued_on = models.DateField()
    docx = models.FileField(storage=private_storage, upload_to="assessment/letters/")
    pdf = models.FileField(storage=private_storage, upload_to="assessment/letters/")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.number


class Interview(models.Model):
    """A 约谈 record (meeting with a unit's leaders about its problems)."""

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rectification = models.ForeignKey(
        Rectification, null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    held_on = models.DateField(_("约谈日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=300)
    summary = models.TextField(_("约谈内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.unit} {self.held_on}"


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待处理")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class ResultAppeal(ConcurrentTransitionMixin, models.Model):
    """A unit's appeal (申诉) against its published result, within the appeal window."""

    assessee = models.ForeignKey(Assessee, on_delete=models.CASCADE, related_name="appeals")
    reason = models.TextField(_("申诉理由"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_on = models.DateField()
    status = FSMField(default=AppealStatus.SUBMITTED, choices=AppealStatus.choices, protected=True)
    decision = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.assessee} 申诉"

    @property
    def unit(self):
        return self.assessee.period.root

    @transition(field=status, source=AppealStatus.SUBMITTED, target=AppealStatus.UPHELD, permission=oversees)
    def uphold(self):
        pass

    @transition(field=status, source=AppealStatus.SUBMITTED, target=AppealStatus.REJECTED, permission=oversees)
    def reject(self):
        pass


class TemplateKind(models.TextChoices):
    BULLETIN = "bulletin", _("通报")
    NOTICE = "notice", _("整改通知")
    LETTER = "letter", _("督办函")


class DocumentTemplate(models.Model):
    """Editable text of the generated documents (Django template syntax, plain paragraphs)."""

    kind = models.CharField(_("类型"), max_length=10, choices=TemplateKind.choices, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文模板"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self) -> str:
        return self.get_kind_display()

"""Service guides (办事指南), their everyday wording (语义转换), service points, life events, subscriptions.

* :class:`Guide` — one 政务服务事项 of a unit (its identity: 实施编码, unit, catalogue item 办事服务).
* :class:`GuideVersion` — the legal text of the guide with every element of the national
  implementation lists (政务服务事项实施清单 of the national integrated online service platform);
  a state machine draft → review → published → retired; publishing needs every required element
  (:data:`REQUIRED_ELEMENTS`).
* :class:`GuideWording` — everyday name, aliases and plain-language wording per element, versioned
  apart from the legal text (a new row per change; the newest is in force).
* :class:`ServicePoint` — a place where services are offered (WGS-84, source CRS recorded).
* :class:`LifeEvent` / :class:`LifeEventStep` — e导通: an event and its ordered steps.
* :class:`Subscription` — confirmed opt-in e-mail/SMS digests; :class:`GuideStat` — counters.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role
from gongkai.core.transitions import condition


class GuideKind(models.TextChoices):
    """事项类型: the ten kinds of administrative power, plus public service (公共服务)."""

    LICENCE = "licence", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    PAYMENT = "payment", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    RULING = "ruling", _("行政裁决")
    OTHER = "other", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


POWER_KINDS = [k for k in GuideKind.values if k != GuideKind.PUBLIC_SERVICE]


class VersionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    OPTIONAL = "optional", _("非必要")
    TOLERATED = "tolerated", _("容缺后补")


# Element name → label: the elements of a guide, in the order of the national lists.
ELEMENTS: dict[str, object] = {
    "name": _("事项名称"),
    "code": _("实施编码"),
    "kind": _("事项类型"),
    "legal_basis": _("设定依据"),
    "implementing_body": _("实施主体"),
    "service_objects": _("服务对象"),
    "conditions": _("受理条件"),
    "materials": _("申请材料"),
    "process": _("办理流程"),
    "legal_limit_days": _("法定办结时限"),
    "promised_limit_days": _("承诺办结时限"),
    "fees": _("收费"),
    "consultation": _("咨询方式"),
    "complaint": _("监督投诉方式"),
    "location_time": _("办理地点和时间"),
    "visits": _("到现场次数"),
    "online_url": _("在线办理地址"),
}

# Elements without which a guide may not be published (the online URL is only needed for
# guides handled online; fees may be "none" but must be stated: see GuideVersion.missing_elements).
REQUIRED_ELEMENTS = [
    "name",
    "code",
    "kind",
    "legal_basis",
    "implementing_body",
    "service_objects",
    "conditions",
    "materials",
    "process",
    "legal_limit_days",
    "promised_limit_days",
    "fees",
    "consultation",
    "complaint",
    "location_time",
    "visits",
]

# Texts that exports use for "nothing here"; an element holding only one of them is missing.
PLACEHOLDERS = {"", "无", "无。", "暂无", "/", "-", "—", "空"}

# Elements that carry plain-language wording (语义转换).
WORDING_ELEMENTS = ["conditions", "materials", "process", "fees", "location_time"]


def _may_edit(version, user) -> bool:
    return permissions.has_role(user, Role.EDITOR, version.guide.unit)


def _may_review(version, user) -> bool:
    return permissions.has_any_role(user, [Role.REVIEWER, Role.LEADER], version.guide.unit)


@condition(_("必填要素不全，不能发布"))
def _complete(version) -> bool:
    return not version.missing_elements()


class Guide(models.Model):
    """A 政务服务事项 of a unit; its text lives in versions, its everyday wording in wordings."""

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("实施单位"))
    code = models.CharField(_("实施编码"), max_length=80, blank=True, db_index=True)
    catalogue_item = models.ForeignKey(
        "catalogue.UnitItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("所属目录事项（办事服务）"),
    )
    current = models.ForeignKey(
        "GuideVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("现行版本"),
    )
    theme = models.CharField(_("主题分类"), max_length=200, blank=True)
    view_count = models.PositiveIntegerField(_("浏览次数"), default=0)
    publish_due = models.DateField(_("应发布日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")
        ordering = ["unit_id", "code", "pk"]
        indexes = [models.Index(fields=["unit", "code"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def latest(self) -> GuideVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def wording(self) -> GuideWording | None:
        """The wording in force (uses prefetched ``wordings`` when the list page prefetched them)."""
        return max(self.wordings.all(), key=lambda w: w.number, default=None)

    @property
    def display_name(self) -> str:
        version = self.current or self.latest
        return version.name if version else self.code

    @property
    def everyday_name(self) -> str:
        wording = self.wording
        return wording.everyday_name if wording else ""

    def get_absolute_url(self) -> str:
        return reverse("guides:detail", args=[self.pk])


class GuideVersion(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """The legal text of one version of a guide (every element of the implementation list)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    state = FSMField(_("状态"), default=VersionState.DRAFT, choices=VersionState.choices, protected=True)
    name = models.CharField(_("事项名称"), max_length=200)
    code = models.CharField(_("实施编码"), max_length=80, blank=True)
    kind = models.CharField(_("事项类型"), max_length=20, choices=GuideKind.choices, blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    implementing_body = models.CharField(_("实施主体"), max_length=200, blank=True)
    service_objects = models.JSONField(_("服务对象"), default=list, blank=True)  # ["自然人", "企业法人"]
    conditions = models.TextField(_("受理条件"), blank=True)
    # [{"name","necessity","form","copies","source","blank_form","sample"}]
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    process = models.JSONField(_("办理流程"), default=list, blank=True)  # ["受理", "审查", "决定", ...]
    legal_limit_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"), null=True, blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"), null=True, blank=True)
    no_fee = models.BooleanField(_("不收费"), default=False)
    fees = models.JSONField(_("收费项目"), default=list, blank=True)  # [{"item","standard","basis"}]
    consultation = models.CharField(_("咨询方式"), max_length=300, blank=True)
    complaint = models.CharField(_("监督投诉方式"), max_length=300, blank=True)
    location_time = models.TextField(_("办理地点和时间"), blank=True)
    visits = models.PositiveSmallIntegerField(_("到现场次数"), null=True, blank=True)
    online_url = models.URLField(_("在线办理地址"), max_length=500, blank=True)
    level = models.CharField(_("行使层级"), max_length=40, blank=True)
    responsibilities = models.TextField(_("责任事项"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    flagged_incomplete = models.BooleanField(_("导入时要素不全"), default=False)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    raw = models.JSONField(_("导入原始记录"), default=dict, blank=True)
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("指南版本")
        verbose_name_plural = _("指南版本")
        ordering = ["guide_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["guide", "number"], name="guides_version_unique_number")]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def unit(self) -> Organisation:
        return self.guide.unit

    def element_value(self, element: str):
        if element == "fees":
            return self.no_fee or bool(self.fees)
        return getattr(self, element)

    def missing_elements(self) -> list[str]:
        """Names of the required elements that are empty (in the order of :data:`REQUIRED_ELEMENTS`)."""
        missing = []
        for element in REQUIRED_ELEMENTS:
            value = self.element_value(element)
            if isinstance(value, str):
                value = "" if value.strip() in PLACEHOLDERS else value
            if value is None or value == "" or value == [] or value is False:
                missing.append(element)
        if self.materials and any(not (m.get("name") or "").strip() for m in self.materials):
            missing.append("materials")
        if (
            self.legal_limit_days is not None
            and self.promised_limit_days is not None
            and self.promised_limit_days > self.legal_limit_days
        ):
            missing.append("promised_limit_days")
        return list(dict.fromkeys(missing))

    def missing_labels(self) -> list[str]:
        return [str(ELEMENTS[e]) for e in self.missing_elements()]

    @property
    def visit_label(self) -> str:
        if self.visits is None:
            return ""
        if self.visits == 0:
            return str(_("不见面（全程网办）"))
        if self.visits == 1:
            return str(_("见一次面"))
        return str(_("到现场%(n)s次")) % {"n": self.visits}

    # --- state machine --------------------------------------------------------------

    @transition(field=state, source=VersionState.DRAFT, target=VersionState.REVIEW, permission=_may_edit)
    def submit(self):
        pass

    @transition(field=state, source=VersionState.REVIEW, target=VersionState.DRAFT, permission=_may_review)
    def send_back(self):
        pass

    @transition(
        field=state,
        source=VersionState.REVIEW,
        target=VersionState.PUBLISHED,
        permission=_may_review,
        conditions=[_complete],
    )
    def publish(self):
        pass

    @transition(field=state, source=VersionState.PUBLISHED, target=VersionState.RETIRED, permission=_may_review)
    def retire(self):
        pass

    @transition(field=state, source=VersionState.PUBLISHED, target=VersionState.RETIRED)
    def supersede(self):
        """Replaced by a newer published version (run by the publishing service, not a button)."""


class GuideWording(models.Model):
    """语义转换: everyday name, aliases and plain wording per element, versioned apart from the legal text."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="wordings")
    number = models.PositiveIntegerField(_("版本号"))
    everyday_name = models.CharField(_("通俗名称"), max_length=100, blank=True)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    plain = models.JSONField(_("通俗说明"), default=dict, blank=True)  # element -> plain text
    question_phrases = models.JSONField(_("常见问法"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通俗表述")
        verbose_name_plural = _("通俗表述")
        ordering = ["guide_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["guide", "number"], name="guides_wording_unique_number")]

    def __str__(self) -> str:
        return f"{self.everyday_name} v{self.number}"


class Crs(models.TextChoices):
    WGS84 = "wgs84", "WGS-84"
    GCJ02 = "gcj02", _("GCJ-02（国测局）")
    BD09 = "bd09", _("BD-09（百度）")
    CGCS2000 = "cgcs2000", "CGCS2000"


class ServicePoint(models.Model):
    """A place where people are served (政务服务中心, 便民服务中心, 窗口), on the map in WGS-84."""

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    township = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("所在乡镇（街道）"),
    )
    name = models.CharField(_("名称"), max_length=120)
    address = models.CharField(_("地址"), max_length=200)
    opening_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    services = models.JSONField(_("可办服务"), default=list, blank=True)
    guides = models.ManyToManyField(Guide, blank=True, related_name="points", verbose_name=_("可办事项"))
    barrier_free = models.JSONField(_("无障碍设施"), default=list, blank=True)
    lng = models.DecimalField(_("经度（WGS-84）"), max_digits=10, decimal_places=7, null=True, blank=True)
    lat = models.DecimalField(_("纬度（WGS-84）"), max_digits=10, decimal_places=7, null=True, blank=True)
    source_crs = models.CharField(_("原始坐标系"), max_length=10, choices=Crs.choices, default=Crs.WGS84)
    source_lng = models.DecimalField(_("原始经度"), max_digits=10, decimal_places=7, null=True, blank=True)
    source_lat = models.DecimalField(_("原始纬度"), max_digits=10, decimal_places=7, null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("服务网点")
        verbose_name_plural = _("服务网点")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="guides_point_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("guides:point", args=[self.pk])


class EventAudience(models.TextChoices):
    RESIDENT = "resident", _("个人")
    ENTERPRISE = "enterprise", _("企业")


class LifeEvent(models.Model):
    """e导通: a life event (我要生孩子) with the ordered steps it involves."""

    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=60)
    audience = models.CharField(_("对象"), max_length=12, choices=EventAudience.choices, default=EventAudience.RESIDENT)
    summary = models.TextField(_("简介"), blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)  # 孩子出生, 新生儿 ...
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("维护单位"))
    is_published = models.BooleanField(_("已发布"), default=False)
    view_count = models.PositiveIntegerField(_("浏览次数"), default=0)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人生事件")
        verbose_name_plural = _("人生事件")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guides:event", args=[self.slug])


class StepKind(models.TextChoices):
    GUIDE = "guide", _("办事指南")
    BENEFIT = "benefit", _("惠企利民事项")
    FAQ = "faq", _("常见问题")
    POINT = "point", _("服务网点")
    NOTE = "note", _("提示")


class LifeEventStep(models.Model):
    """One step of a life event: a guide, a benefit item, an FAQ entry, a service point or a note."""

    event = models.ForeignKey(LifeEvent, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"))
    kind = models.CharField(_("类型"), max_length=10, choices=StepKind.choices)
    title = models.CharField(_("步骤"), max_length=120)
    note = models.TextField(_("说明"), blank=True)
    guide = models.ForeignKey(Guide, null=True, blank=True, on_delete=models.CASCADE, related_name="event_steps")
    point = models.ForeignKey(ServicePoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    ref_id = models.PositiveIntegerField(_("关联记录编号"), null=True, blank=True)  # benefit item / FAQ entry

    class Meta:
        verbose_name = _("事件步骤")
        verbose_name_plural = _("事件步骤")
        ordering = ["event_id", "order"]
        constraints = [models.UniqueConstraint(fields=["event", "order"], name="guides_step_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class SubscriptionTopic(models.TextChoices):
    EVENT = "event", _("人生事件")
    DOMAIN = "domain", _("公开领域")
    UNIT = "unit", _("单位")


def _token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """A confirmed-opt-in subscription to a life event, a domain or a unit (daily digest)."""

    channel = models.CharField(_("方式"), max_length=6, choices=Channel.choices, default=Channel.EMAIL)
    address = models.CharField(_("邮箱或手机号"), max_length=254)
    topic = models.CharField(_("订阅内容"), max_length=8, choices=SubscriptionTopic.choices)
    event = models.ForeignKey(LifeEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(_("领域"), max_length=100, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(_("上次发送"), null=True, blank=True)

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        indexes = [models.Index(fields=["confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} → {self.get_channel_display()}"

    @property
    def topic_label(self) -> str:
        if self.topic == SubscriptionTopic.EVENT and self.event_id:
            return self.event.title
        if self.topic == SubscriptionTopic.UNIT and self.unit_id:
            return self.unit.name
        return self.domain


class StatKind(models.TextChoices):
    GUIDE_VIEW = "guide_view", _("指南浏览")
    EVENT_VIEW = "event_view", _("事件浏览")
    MISSED_SEARCH = "missed", _("未找到指南的搜索")
    MATCHER = "matcher", _("政策匹配")


class GuideStat(models.Model):
    """Daily counters for the office's statistics (no personal data)."""

    day = models.DateField()
    kind = models.CharField(max_length=12, choices=StatKind.choices)
    key = models.CharField(max_length=120)  # guide id, event slug, normalised query
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("服务统计")
        verbose_name_plural = _("服务统计")
        constraints = [models.UniqueConstraint(fields=["day", "kind", "key"], name="guides_stat_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.key}: {self.count}"

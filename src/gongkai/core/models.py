"""Core data: organisation tree, staff users and roles, audit events, calendar, numbering."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import credit_code


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP]


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    WATER = "water", _("供水企业")
    POWER = "power", _("供电企业")
    GAS = "gas", _("供气企业")
    TRANSPORT = "transport", _("公共交通")
    INSTITUTION = "institution", _("其他公共企事业单位")


PUBLIC_INSTITUTION_KINDS = {
    OrgKind.SCHOOL,
    OrgKind.HOSPITAL,
    OrgKind.WATER,
    OrgKind.POWER,
    OrgKind.GAS,
    OrgKind.TRANSPORT,
    OrgKind.INSTITUTION,
}


def validate_credit_code(value: str) -> None:
    try:
        credit_code.validate(value)
    except credit_code.CreditCodeError as exc:
        raise ValidationError(str(exc), code="credit_code") from exc


class Organisation(models.Model):
    """A unit: a level of government, a department, or a public institution.

    Governments form the province → city → county → township tree; departments
    and public institutions hang below any government (or another unit).
    ``path`` is a materialised path of zero-padded ids ("000001.000004.") so that
    "this unit and everything below it" is one indexed prefix query.
    """

    PATH_STEP = 7  # six digits and a dot

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级单位")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    division_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    website = models.URLField(_("网站"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "level"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_government(self) -> bool:
        return self.kind == OrgKind.GOVERNMENT

    @property
    def code(self) -> str:
        """Unit code used in index numbers: the credit code."""
        return self.credit_code

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.split(".") if p][:-1]

    def ancestors(self):
        return Organisation.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def descendants(self, include_self: bool = True):
        qs = Organisation.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def is_ancestor_of(self, other: Organisation) -> bool:
        return other.path.startswith(self.path) and other.pk != self.pk

    def government(self) -> Organisation:
        """The government this unit belongs to (itself if it is one)."""
        if self.is_government:
            return self
        return self.ancestors().filter(kind=OrgKind.GOVERNMENT).order_by("-depth").first() or self


class Role(models.TextChoices):
    EDITOR = "editor", _("信息员（编辑）")
    REVIEWER = "reviewer", _("审核员")
    LEADER = "leader", _("单位负责人")
    DISCLOSURE_OFFICE = "disclosure_office", _("政务公开办管理员")
    SYSADMIN = "sysadmin", _("系统管理员")


class User(AbstractUser):
    """A staff user. Citizens do not need accounts (they use tracking codes)."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name=_("所属单位")
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A role held by a user in a unit. A user may hold several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


AUDIT_RETENTION_DAYS_MINIMUM = 180  # 网络安全法 art. 21: network logs kept at least six months


class AuditEventQuerySet(models.QuerySet):
    def delete(self):
        # Bulk deletes (admin actions, cascades written by hand, shell sessions) are refused like
        # single ones; events past the retention period leave only through `gongkai audit purge`,
        # which archives them first and moves the chain's anchor.
        raise ValidationError(
            f"审计事件至少保存{AUDIT_RETENTION_DAYS_MINIMUM}天（《网络安全法》第二十一条），不能删除；"
            "超过保存期限的事件请用 gongkai audit purge 归档后清理"
        )


class AuditEvent(models.Model):
    """Append-only, hash-chained record of every state change.

    ``hash`` = HMAC (SHA-256, or SM3 under 国密) keyed with ``GONGKAI_AUDIT_KEY`` over the
    previous event's hash and this event's canonical content (see gongkai.core.audit).
    Events are inserted unchained (``chain_seq`` empty) and linked in order by the sequencer
    after commit. Changing or deleting any chained row breaks the chain, which
    ``gongkai audit verify`` detects; without the key nobody can re-chain edited rows.
    """

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    # Chain position (1, 2, 3 … without gaps), set by the sequencer; empty = not yet chained.
    chain_seq = models.BigIntegerField(null=True, blank=True, unique=True)
    # "hmac-sha256" or "hmac-sm3"; "sha256" marks an unkeyed event from before keying (`audit rekey`).
    hash_alg = models.CharField(max_length=16, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        AuditEvent.objects.filter(pk=self.pk).delete()  # refused, with the retention message


class AuditChainHead(models.Model):
    """Single row: the newest chained event (locked while chaining) and the chain's anchor.

    ``base_seq``/``base_hash`` are where the chain starts: 0 and the genesis hash, or the
    last event removed by ``gongkai audit purge`` (recorded in a signed checkpoint file).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
    last_seq = models.BigIntegerField(default=0)
    base_seq = models.BigIntegerField(default=0)
    base_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head #{self.last_event_id}"


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班日")


class CalendarYear(models.Model):
    """A year whose holiday schedule is known. Dates in other years raise an error."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Holiday(models.Model):
    """A public holiday (rest day) or a make-up working day (调休, a weekend day worked)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=HolidayKind.choices)
    name = models.CharField(_("名称"), max_length=40)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name} {self.get_kind_display()}"


class NumberSequence(models.Model):
    """A named counter (e.g. index numbers per unit/category/year), incremented under a row lock."""

    scope = models.CharField(max_length=200, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}={self.last_value}"


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    MONTHS = "months", _("个月")


class LegalPeriod(models.Model):
    """A legal or configured period (reply 20 working days, 双公示 7 …) as data.

    Every due date in the product is computed from one of these rows by
    :func:`gongkai.core.deadlines.due_date`; an administrator may change the
    length (audited), and a change recomputes every stored due date that uses it.
    """

    code = models.CharField(_("代码"), max_length=60, primary_key=True)
    name = models.CharField(_("名称"), max_length=80)
    app = models.CharField(_("所属业务"), max_length=30)
    length = models.PositiveSmallIntegerField(_("期限长度"))
    unit = models.CharField(_("计算单位"), max_length=15, choices=PeriodUnit.choices)
    starts_on = models.CharField(_("起算事件"), max_length=120)
    legal_basis = models.CharField(_("法律依据"), max_length=200)
    is_maximum = models.BooleanField(
        _("为上限"), default=False, help_text=_("长度是法定上限（如延期不超过20个工作日）")
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("法定期限")
        verbose_name_plural = _("法定期限")
        ordering = ["app", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.length}{self.get_unit_display()}）"


class PageView(models.Model):
    """Daily view counter of public record pages (most viewed catalogue items, guides …).

    Counted by the view that shows the record (:func:`gongkai.core.pageviews.record_view`);
    only counts, never who viewed.
    """

    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id", "day"], name="core_pageview_day")]
        indexes = [models.Index(fields=["object_type", "day"])]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} {self.day} ×{self.count}"

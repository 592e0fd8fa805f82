"""Open data: datasets with the core metadata of GB/T 21063.3 (政务信息资源目录体系 核心元数据)
and the public data catalogue guide, their resources (files or links) with versions, and
download counts. Read by the portal, the CKAN-compatible action API and the DCAT catalogue.

A dataset is ``draft`` until published; a published dataset may be withdrawn (kept, hidden).
"""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role, User
from gongkai.core.transitions import condition

SLUG = RegexValidator(r"^[a-z0-9][a-z0-9_-]{1,99}$", _("只能使用小写字母、数字、“-”和“_”，2到100个字符"))


class DataLicence(models.Model):
    """A licence a dataset may carry (CKAN ``license_list``)."""

    id = models.CharField(_("标识"), max_length=60, primary_key=True)
    title = models.CharField(_("名称"), max_length=120)
    url = models.URLField(_("文本地址"), blank=True)
    is_open = models.BooleanField(_("开放许可"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("数据许可协议")
        verbose_name_plural = _("数据许可协议")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A theme (主题分类) grouping datasets across publishers (CKAN ``group``)."""

    name = models.CharField(_("标识"), max_length=100, unique=True, validators=[SLUG])
    title = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.title


class Tag(models.Model):
    name = models.CharField(_("关键字"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("关键字")
        verbose_name_plural = _("关键字")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Frequency(models.TextChoices):
    """更新频率, with the EU frequency vocabulary used by DCAT-AP."""

    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    SEMIANNUAL = "semiannual", _("每半年")
    ANNUAL = "annual", _("每年")
    IRREGULAR = "irregular", _("不定期")
    NEVER = "never", _("不更新")


FREQUENCY_URIS = {
    "realtime": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "never": "NEVER",
}


class OpenType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件开放")
    CONDITIONAL = "conditional", _("有条件开放")


class DatasetState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已下线")


DOMAINS = [
    gettext_noop("综合政务"),
    gettext_noop("经济发展"),
    gettext_noop("财税金融"),
    gettext_noop("市场监管"),
    gettext_noop("资源环境"),
    gettext_noop("城建住房"),
    gettext_noop("交通运输"),
    gettext_noop("农业农村"),
    gettext_noop("教育科技"),
    gettext_noop("文化旅游"),
    gettext_noop("卫生健康"),
    gettext_noop("社会保障"),
    gettext_noop("民政服务"),
    gettext_noop("公共安全"),
    gettext_noop("信用服务"),
    gettext_noop("地理空间"),
]
DOMAIN_CHOICES = [(d, _(d)) for d in DOMAINS]  # stored in 简体, shown translated


def may_edit(dataset, user) -> bool:
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], dataset.unit)


def may_publish(dataset, user) -> bool:
    return permissions.has_any_role(user, [Role.REVIEWER, Role.LEADER], dataset.unit)


@condition(_("请先添加至少一个数据资源"))
def has_resources(dataset) -> bool:
    return dataset.resources.exists()


@condition(_("有条件开放的数据集须写明开放条件"))
def conditions_stated(dataset) -> bool:
    return dataset.open_type != OpenType.CONDITIONAL or bool(dataset.access_conditions.strip())


class Dataset(ConcurrentTransitionMixin, models.Model):
    """数据集 with GB/T 21063.3 core metadata (信息资源名称、摘要、提供方、分类、关键字、标识符…)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("英文标识"), max_length=100, unique=True, validators=[SLUG])
    identifier = models.CharField(_("信息资源标识符"), max_length=60, unique=True)
    title = models.CharField(_("信息资源名称"), max_length=200)
    description = models.TextField(_("信息资源摘要"))
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("信息资源提供方"))
    domain = models.CharField(_("信息资源分类（领域）"), max_length=20, choices=DOMAIN_CHOICES)
    themes = models.ManyToManyField(Theme, blank=True, related_name="datasets", verbose_name=_("主题"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets", verbose_name=_("关键字"))
    update_frequency = models.CharField(_("更新频率"), max_length=12, choices=Frequency.choices)
    open_type = models.CharField(_("开放类型"), max_length=14, choices=OpenType.choices, default=OpenType.UNCONDITIONAL)
    access_conditions = models.TextField(_("开放条件"), blank=True)
    licence = models.ForeignKey(DataLicence, on_delete=models.PROTECT, verbose_name=_("许可协议"))
    temporal_start = models.DateField(_("时间范围起"), null=True, blank=True)
    temporal_end = models.DateField(_("时间范围止"), null=True, blank=True)
    spatial = models.CharField(_("空间范围"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系部门"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    state = FSMField(_("状态"), max_length=10, choices=DatasetState.choices, default=DatasetState.DRAFT, protected=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    modified_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    download_count = models.PositiveIntegerField(_("下载次数"), default=0)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("数据集")
        verbose_name_plural = _("数据集")
        ordering = ["-modified_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "modified_at"]),
            models.Index(fields=["unit", "state"]),
            # the catalogue's default order (CKAN package_search, portal list): newest first, then by key
            models.Index(fields=["state", "-modified_at", "id"], name="opendata_ds_state_order_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opendata:dataset", args=[self.name])

    @property
    def is_public(self) -> bool:
        return self.state == DatasetState.PUBLISHED

    @transition(
        field=state,
        source=[DatasetState.DRAFT, DatasetState.WITHDRAWN],
        target=DatasetState.PUBLISHED,
        permission=may_publish,
        conditions=[has_resources, conditions_stated],
    )
    def publish(self):
        self.published_at = self.published_at or timezone.now()
        self.modified_at = timezone.now()

    @transition(field=state, source=DatasetState.PUBLISHED, target=DatasetState.WITHDRAWN, permission=may_publish)
    def withdraw(self):
        self.modified_at = timezone.now()


class Resource(models.Model):
    """A distribution of a dataset: an uploaded file (with versions) or a link."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("资源名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    format = models.CharField(_("格式"), max_length=20)
    url = models.URLField(_("外部链接"), max_length=500, blank=True)
    mimetype = models.CharField(_("媒体类型"), max_length=100, blank=True)
    size = models.BigIntegerField(_("大小（字节）"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64, blank=True)
    preview = models.JSONField(_("预览"), default=dict, blank=True)  # {"columns": [...], "rows": [[...]]}
    row_count = models.PositiveIntegerField(_("数据行数"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    download_count = models.PositiveIntegerField(_("下载次数"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("数据资源")
        verbose_name_plural = _("数据资源")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_upload(self) -> bool:
        return not self.url

    @property
    def is_tabular(self) -> bool:
        return bool(self.preview.get("columns"))

    def current_version(self):
        return self.versions.order_by("-number").first()

    def download_url(self) -> str:
        return reverse("opendata:download", args=[self.dataset.name, self.pk])


def version_path(instance, filename: str) -> str:
    import os

    ext = os.path.splitext(filename)[1].lower()
    return f"opendata/{instance.resource.dataset.uuid}/{instance.resource.uuid}/v{instance.number}{ext}"


class ResourceVersion(models.Model):
    """One uploaded version of a resource's file; the newest is the one served."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    file = models.FileField(_("文件"), upload_to=version_path, max_length=255)
    filename = models.CharField(_("文件名"), max_length=200)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64)
    mimetype = models.CharField(_("媒体类型"), max_length=100)
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    download_count = models.PositiveIntegerField(_("下载次数"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("资源版本")
        verbose_name_plural = _("资源版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="opendata_version_unique")]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"

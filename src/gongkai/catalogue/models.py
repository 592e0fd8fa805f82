"""Standard disclosure catalogues (基层政务公开标准目录).

- :class:`Domain` — a disclosure domain (领域): the 26 national pilot domains
  (国办发〔2019〕54号) plus local domains added by a disclosure office.
- :class:`ElementTemplate` / :class:`ElementDefinition` — a configurable set of
  elements (national guideline, Putuo 9 elements, Haizhu 8 elements, ...).
- :class:`Catalogue` — the standard catalogue of one domain for one kind and
  level of unit, owned by a disclosure office; :class:`CatalogueVersion`
  (draft → published; a published version never changes) holds
  :class:`CatalogueItem` rows with a stable ``item_key`` across versions.
- :class:`UnitList` / :class:`UnitItem` — each unit's own list, derived from a
  published version, plus the unit's local items.

Every state change goes through :mod:`gongkai.catalogue.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from gongkai.core import permissions
from gongkai.core.models import Level, Organisation, OrgKind, Role
from gongkai.core.transitions import condition


class Domain(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("领域名称"), max_length=60, unique=True)
    is_national = models.BooleanField(_("国家试点领域"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    description = models.TextField(_("说明"), blank=True)
    owner_unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("设立单位"),
        help_text=_("地方自选领域由哪个政务公开办设立；国家领域为空"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公开领域")
        verbose_name_plural = _("公开领域")
        ordering = ["-is_national", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ElementType(models.TextChoices):
    NAME = "name", _("事项名称")
    TEXT = "text", _("单行文本")
    LONGTEXT = "longtext", _("多行文本")
    CHOICE = "choice", _("单选")
    MULTICHOICE = "multichoice", _("多选（勾选）")
    TIMEFRAME = "timeframe", _("公开时限")


class ElementTemplate(models.Model):
    key = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("模板名称"), max_length=80)
    description = models.TextField(_("说明"), blank=True)
    is_builtin = models.BooleanField(_("内置模板"), default=False)
    owner_unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("设立单位")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("要素模板")
        verbose_name_plural = _("要素模板")
        ordering = ["-is_builtin", "id"]

    def __str__(self) -> str:
        return self.name

    def ordered_elements(self) -> list[ElementDefinition]:
        cached = getattr(self, "_elements_cache", None)
        if cached is None:
            cached = list(self.elements.order_by("order", "id"))
            self._elements_cache = cached
        return cached


class ElementDefinition(models.Model):
    template = models.ForeignKey(ElementTemplate, on_delete=models.CASCADE, related_name="elements")
    key = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("要素名称"), max_length=40)
    type = models.CharField(_("类型"), max_length=12, choices=ElementType.choices, default=ElementType.TEXT)
    required = models.BooleanField(_("必填"), default=False)
    allowed_values = models.JSONField(_("可选值"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    help_text = models.CharField(_("填写说明"), max_length=200, blank=True)
    aliases = models.JSONField(
        _("表头别名"), default=list, blank=True, help_text=_("导入时可识别的其他列名，如“公开时限”也写作“公开时间”")
    )

    class Meta:
        verbose_name = _("要素")
        verbose_name_plural = _("要素")
        ordering = ["template", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="uniq_element_key")]

    def __str__(self) -> str:
        return f"{self.template.name} · {self.name}"

    @property
    def is_column(self) -> bool:
        """Name and timeframe are stored in their own columns, not in ``elements``."""
        return self.type in (ElementType.NAME, ElementType.TIMEFRAME)


class Catalogue(models.Model):
    """The standard catalogue of one domain for one kind and level of unit."""

    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="catalogues", verbose_name=_("领域"))
    template = models.ForeignKey(
        ElementTemplate, on_delete=models.PROTECT, related_name="catalogues", verbose_name=_("要素模板")
    )
    title = models.CharField(_("目录名称"), max_length=120)
    target_kind = models.CharField(_("适用单位类型"), max_length=20, choices=OrgKind.choices)
    target_level = models.CharField(_("适用层级"), max_length=10, choices=Level.choices)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="owned_catalogues", verbose_name=_("编制单位")
    )
    description = models.TextField(_("说明"), blank=True)
    target_units = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("限定适用单位"),
        help_text=_("留空：编制单位下属所有该类型、该层级的单位；填写：只派生到这些单位（如领域牵头部门）"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("标准目录")
        verbose_name_plural = _("标准目录")
        ordering = ["domain__sort_order", "domain_id", "target_level", "target_kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "domain", "target_kind", "target_level"], name="uniq_catalogue_scope"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def latest_published(self) -> CatalogueVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()

    def current_draft(self) -> CatalogueVersion | None:
        return self.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


def may_keep_catalogue(version: CatalogueVersion, user) -> bool:
    """The disclosure office of the owning unit (or above)."""
    return permissions.has_any_role(user, [Role.DISCLOSURE_OFFICE], version.catalogue.owner)


@condition(_("草稿中没有事项，不能发布"))
def has_items(version: CatalogueVersion) -> bool:
    return version.items.exists()


@condition(_("草稿中有要素不完整的事项：请补全，或由政务公开办确认接受后再发布"))
def complete_or_accepted(version: CatalogueVersion) -> bool:
    return not version.unaccepted_incomplete().exists()


@condition(_("草稿中没有待确认的不完整事项"))
def has_unaccepted_incomplete(version: CatalogueVersion) -> bool:
    return version.unaccepted_incomplete().exists()


class CatalogueVersion(models.Model):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = FSMField(_("状态"), default=VersionStatus.DRAFT, choices=VersionStatus.choices, protected=True)
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("基于版本")
    )
    diff = models.JSONField(_("与上一版本的差异"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("确认接受不完整事项的时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_note = models.CharField(_("接受不完整事项的说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")
        ordering = ["catalogue", "-number"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "number"], name="uniq_catalogue_version")]

    #: set by the services for the audit record of a transition (not stored)
    derived = None
    accepted_items = None

    def __str__(self) -> str:
        return _("%(title)s 第%(n)s版") % {"title": self.catalogue.title, "n": self.number}

    @property
    def diff_summary(self) -> dict | None:
        return (self.diff or {}).get("summary")

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def incomplete_items(self):
        return self.items.filter(is_complete=False)

    def unaccepted_incomplete(self):
        return self.items.filter(is_complete=False, incomplete_accepted=False)

    @transition(
        field=status,
        source=VersionStatus.DRAFT,
        target=VersionStatus.PUBLISHED,
        permission=may_keep_catalogue,
        conditions=[has_items, complete_or_accepted],
    )
    def publish(self) -> None:
        """Run only by services.version_publish (through gongkai.core.transitions.run)."""

    @transition(
        field=status,
        source=VersionStatus.DRAFT,
        target=VersionStatus.DRAFT,
        permission=may_keep_catalogue,
        conditions=[has_unaccepted_incomplete],
    )
    def accept_incomplete(self) -> None:
        """The office accepts the draft's incomplete items as they are (services.version_accept_incomplete)."""


class CatalogueItem(models.Model):
    """One item of a standard catalogue version (immutable once the version is published)."""

    version = models.ForeignKey(CatalogueVersion, on_delete=models.CASCADE, related_name="items")
    item_key = models.CharField(_("事项标识"), max_length=64, help_text=_("跨版本稳定的标识，用于比较版本差异"))
    sort_order = models.PositiveIntegerField(_("序号"), default=0)
    level1 = models.CharField(_("一级事项"), max_length=200)
    name = models.CharField(_("二级事项"), max_length=200, blank=True)
    elements = models.JSONField(_("要素"), default=dict, blank=True)
    mandatory = models.BooleanField(_("必选事项"), default=True)
    timeframe_text = models.CharField(_("公开时限"), max_length=200, blank=True)
    timeframe_rule = models.JSONField(_("公开时限（结构化）"), default=dict, blank=True)
    is_complete = models.BooleanField(_("要素完整"), default=True, db_index=True)
    problems = models.JSONField(
        _("不完整之处"),
        default=list,
        blank=True,
        help_text=_("缺少的要素、未勾选的公开对象/方式/层级等，导入或编辑时记录"),
    )
    incomplete_accepted = models.BooleanField(
        _("已确认接受不完整"), default=False, help_text=_("政务公开办确认该事项按现状发布")
    )
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("标准目录事项")
        verbose_name_plural = _("标准目录事项")
        ordering = ["version", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "item_key"], name="uniq_version_item_key")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.level1} · {self.name}" if self.name else self.level1


class UnitList(models.Model):
    """A unit's own disclosure list for one standard catalogue."""

    unit = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="catalogue_lists", verbose_name=_("单位")
    )
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="unit_lists")
    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.PROTECT, related_name="unit_lists", verbose_name=_("采用版本")
    )
    adopted_at = models.DateTimeField(_("采用时间"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位公开目录")
        verbose_name_plural = _("单位公开目录")
        ordering = ["unit__path", "catalogue__domain__sort_order", "catalogue_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "catalogue"], name="uniq_unit_catalogue")]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.catalogue.domain.name}"


class RetiredKind(models.TextChoices):
    DROPPED = "dropped", _("本单位删除（非必选事项）")
    WITHDRAWN = "withdrawn", _("标准目录新版本已取消")


class UnitItem(models.Model):
    """An item of a unit's list: derived from a standard item, or a local item (is_local)."""

    unit_list = models.ForeignKey(UnitList, on_delete=models.CASCADE, related_name="items")
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    source_item = models.ForeignKey(
        CatalogueItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_items",
        verbose_name=_("标准事项"),
    )
    item_key = models.CharField(_("事项标识"), max_length=64)
    is_local = models.BooleanField(_("本单位自增事项"), default=False)
    mandatory = models.BooleanField(_("必选事项"), default=False)
    sort_order = models.PositiveIntegerField(_("序号"), default=0)
    level1 = models.CharField(_("一级事项"), max_length=200)
    name = models.CharField(_("二级事项"), max_length=200, blank=True)
    elements = models.JSONField(_("要素"), default=dict, blank=True)
    timeframe_text = models.CharField(_("公开时限"), max_length=200, blank=True)
    timeframe_rule = models.JSONField(_("公开时限（结构化）"), default=dict, blank=True)
    responsible_unit = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("责任单位"),
        help_text=_("负责该事项信息保障的单位或内设机构所在单位"),
    )
    column_name = models.CharField(_("公开栏目"), max_length=120, blank=True)
    note = models.CharField(_("细化说明"), max_length=500, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    retired_kind = models.CharField(_("停用类型"), max_length=12, choices=RetiredKind.choices, blank=True)
    retired_reason = models.CharField(_("停用原因"), max_length=200, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位目录事项")
        verbose_name_plural = _("单位目录事项")
        ordering = ["unit_list", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["unit_list", "item_key"], name="uniq_unit_item_key")]
        indexes = [
            models.Index(fields=["unit_list", "is_active", "sort_order"], name="cat_unititem_list_idx"),
            models.Index(fields=["unit", "is_active"], name="cat_unititem_unit_idx"),
            models.Index(fields=["is_local", "is_active"], name="cat_unititem_local_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.level1} · {self.name}" if self.name else self.level1

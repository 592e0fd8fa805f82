"""The service standard system (服务标准体系) of a unit, structured after GB/T 24421
(服务业组织标准化工作指南): 通用基础 / 保障 / 提供 sub-systems and their parts, with the
standards of each part by level (国家 / 行业 / 地方 / 团体 / 自制), number, title, status
and effective date.

Putuo (普陀区) built the first such system for disclosure in 2017: 169 standards, of which 46
national, 1 industry, 4 local and 118 of its own.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role, User


class Level(models.TextChoices):
    NATIONAL = "national", _("国家标准")
    INDUSTRY = "industry", _("行业标准")
    LOCAL = "local", _("地方标准")
    GROUP = "group", _("团体标准")
    OWN = "own", _("自制标准")


class Status(models.TextChoices):
    CURRENT = "current", _("现行")
    REPEALED = "repealed", _("废止")
    DRAFTING = "drafting", _("制定中")


def may_edit(standard, user) -> bool:
    return permissions.has_any_role(user, [Role.EDITOR, Role.REVIEWER], standard.system.unit)


class StandardSystem(models.Model):
    """One unit's standard system (e.g. 普陀区政府信息主动公开标准体系)."""

    unit = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    is_public = models.BooleanField(_("在门户公开"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("标准体系")
        verbose_name_plural = _("标准体系")
        ordering = ["unit__path"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("standards:system", args=[self.pk])


class Node(models.Model):
    """A sub-system or part of the system's structure (体系结构图的一个方框)."""

    system = models.ForeignKey(StandardSystem, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("编号"), max_length=20)  # 1, 1.1, 2.3 …
    name = models.CharField(_("名称"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("体系结构")
        verbose_name_plural = _("体系结构")
        ordering = ["sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="standards_node_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def attachment_path(instance, filename: str) -> str:
    import os

    return f"standards/{instance.system_id}/{timezone.now():%Y%m%d%H%M%S}{os.path.splitext(filename)[1].lower()}"


class Standard(models.Model):
    """A standard in a unit's system (national standards adopted, or the unit's own)."""

    system = models.ForeignKey(StandardSystem, on_delete=models.CASCADE, related_name="standards")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="standards", verbose_name=_("所属子体系"))
    level = models.CharField(_("标准层级"), max_length=10, choices=Level.choices)
    number = models.CharField(_("标准编号"), max_length=60)
    title = models.CharField(_("标准名称"), max_length=200)
    status = FSMField(_("状态"), max_length=10, choices=Status.choices, default=Status.CURRENT, protected=True)
    effective_on = models.DateField(_("实施日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    replaced_by = models.CharField(_("代替标准"), max_length=60, blank=True)
    attachment = models.FileField(_("标准文本"), upload_to=attachment_path, max_length=255, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("标准")
        verbose_name_plural = _("标准")
        ordering = ["node__sort_order", "level", "number"]
        constraints = [models.UniqueConstraint(fields=["system", "number"], name="standards_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("standards:standard", args=[self.pk])

    @transition(field=status, source=Status.DRAFTING, target=Status.CURRENT, permission=may_edit)
    def adopt(self):
        self.effective_on = self.effective_on or timezone.localdate()

    @transition(field=status, source=[Status.CURRENT, Status.DRAFTING], target=Status.REPEALED, permission=may_edit)
    def repeal(self):
        self.repealed_on = self.repealed_on or timezone.localdate()

"""Annual disclosure reports (政府信息公开工作年度报告), their adjustments, generation jobs and page views."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from gongkai.core.models import Organisation


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被更正版本替代")


NARRATIVE_FIELDS = [
    ("overview", "s1"),
    ("proactive_text", "s2"),
    ("requests_text", "s3"),
    ("appeals_text", "s4"),
    ("problems", "s5"),
    ("other_matters", "s6"),
]


class AnnualReport(FSMModelMixin, models.Model):
    """One version of a unit's annual report for a year.

    A draft's figures are recomputed from the records on demand; publishing freezes them
    (``figures`` is never written again). A correction of a published report is a new version
    (``supersedes`` → the old one, ``correction_note`` says what changed); when it is published,
    the old version becomes *superseded* but stays archived and readable.
    """

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("单位")
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = FSMField(_("状态"), default=ReportStatus.DRAFT, choices=ReportStatus.choices, protected=True)
    title = models.CharField(_("标题"), max_length=200)
    overview = models.TextField(_("一、总体情况"), blank=True)
    proactive_text = models.TextField(_("二、主动公开政府信息情况（说明）"), blank=True)
    requests_text = models.TextField(_("三、收到和处理政府信息公开申请情况（说明）"), blank=True)
    appeals_text = models.TextField(_("四、政府信息公开行政复议、行政诉讼情况（说明）"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    figures = models.JSONField(_("统计数字"), default=dict)
    checks = models.JSONField(_("核对结果"), default=list)
    sources = models.JSONField(_("数据来源状态"), default=list)
    unit_ids = models.JSONField(_("汇总的单位"), default=list)
    auto_texts = models.JSONField(_("系统生成的说明"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("统计时间"), null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("更正的版本"),
    )
    correction_note = models.TextField(_("更正说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "unit__path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "version"], name="reports_unique_version"),
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(status="draft"), name="reports_one_draft_per_year"
            ),
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(status="published"), name="reports_one_published_per_year"
            ),
        ]

    def __str__(self) -> str:
        suffix = _("（第%(v)s版）") % {"v": self.version} if self.version > 1 else ""
        return f"{self.title}{suffix}"

    @property
    def check_results(self) -> list[dict]:
        """The stored checks with their messages in the active language."""
        from gongkai.core.messages import render

        return [{**c, "message": render(c.get("message"))} for c in self.checks or []]

    @property
    def failing_count(self) -> int:
        return sum(1 for c in self.checks or [] if not c.get("ok"))

    @property
    def is_frozen(self) -> bool:
        return self.status != ReportStatus.DRAFT

    def narrative(self) -> list[tuple[str, str, str]]:
        from .tables import SECTION_LABELS

        return [(sec, SECTION_LABELS[sec], getattr(self, f)) for f, sec in NARRATIVE_FIELDS]

    @transition(field=status, source=ReportStatus.DRAFT, target=ReportStatus.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=ReportStatus.PUBLISHED, target=ReportStatus.SUPERSEDED)
    def supersede(self):
        pass


class FigureChangeKind(models.TextChoices):
    MANUAL = "manual", _("人工填报")
    ADJUST = "adjust", _("人工调整")
    RESET = "reset", _("撤销调整")


class FigureChange(models.Model):
    """Every manual entry or adjustment of a report figure, with its reason (also in the audit log)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("类型"), max_length=10, choices=FigureChangeKind.choices)
    table = models.CharField(_("表"), max_length=4)
    row = models.CharField(_("行"), max_length=40)
    col = models.CharField(_("列"), max_length=40)
    computed_value = models.CharField(_("系统统计值"), max_length=40, blank=True)
    old_value = models.CharField(_("原值"), max_length=40, blank=True)
    new_value = models.CharField(_("新值"), max_length=40, blank=True)
    reason = models.TextField(_("理由或来源"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("数字调整记录")
        verbose_name_plural = _("数字调整记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.table}/{self.row}/{self.col}: {self.old_value} → {self.new_value}"


class JobStatus(models.TextChoices):
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("部分失败")


class GenerationJob(models.Model):
    """Generating every unit's draft for a year in parallel (Celery group + chord)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    root = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("范围"))
    year = models.PositiveSmallIntegerField(_("报告年度"))
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # already published: never regenerated
    errors = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * (self.done + self.failed) / self.total)

    def __str__(self) -> str:
        return f"{self.year} {self.status} {self.done}/{self.total}"

"""The FAQ knowledge base: entries with versions, topic words and a review cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core.models import Organisation

from .. import access


class TopicWord(models.Model):
    """Controlled vocabulary of topic words (主题词) for FAQ entries."""

    name = models.CharField(_("主题词"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("主题词")
        verbose_name_plural = _("主题词")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FaqStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class FaqEntry(ConcurrentTransitionMixin, models.Model):
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("标准答复"))
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="faq_entries", verbose_name=_("责任单位")
    )
    domain = models.ForeignKey(
        "catalogue.Domain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("公开领域"),
    )
    domain_name = models.CharField(_("领域"), max_length=60, blank=True, help_text=_("选择公开领域时自动填写"))
    topics = models.ManyToManyField(TopicWord, blank=True, related_name="entries", verbose_name=_("主题词"))
    reviewed_on = models.DateField(_("最近复核日期"), default=timezone.localdate)
    review_date = models.DateField(_("复核日期"), help_text=_("到期未复核的答复会被标记为待复核"))
    review_date_manual = models.BooleanField(
        _("复核日期由编辑指定"),
        default=False,
        help_text=_("未指定时按“常见问题复核周期”从最近复核日期起算，复核周期调整后自动重算"),
    )
    status = FSMField(_("状态"), max_length=12, choices=FaqStatus.choices, default=FaqStatus.PUBLISHED, protected=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    source_appeal = models.ForeignKey(
        "Appeal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        verbose_name=_("来源留言"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "review_date"])]

    def __str__(self) -> str:
        return self.question

    @property
    def is_stale(self) -> bool:
        return self.review_date < timezone.localdate()

    # Transitions: run only by gongkai.interaction.services through gongkai.core.transitions.run.
    @transition(
        field=status, source=FaqStatus.PUBLISHED, target=FaqStatus.WITHDRAWN, permission=access.may_edit_content
    )
    def withdraw(self):
        """Take the answer off the portal (it stays in the workbench with its history)."""

    @transition(
        field=status, source=FaqStatus.WITHDRAWN, target=FaqStatus.PUBLISHED, permission=access.may_edit_content
    )
    def restore(self):
        """Publish a withdrawn answer again."""

    @transition(field=status, source=FaqStatus.PUBLISHED, target=None, permission=access.may_edit_content)
    def review(self):
        """The answer was checked and is still right (the state does not change)."""

    @transition(field=status, source="*", target=None, permission=access.may_edit_content)
    def edit(self):
        """A new version of question and answer (the state does not change)."""


class FaqVersion(models.Model):
    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("标准答复"))
    topics = models.CharField(_("主题词"), max_length=500, blank=True)
    domain_name = models.CharField(_("领域"), max_length=60, blank=True)
    review_date = models.DateField(_("复核日期"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("常见问题版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="uniq_faq_version")]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"

"""Public consultation on draft decisions (意见征集): drafts, comments, moderation, the feedback report.

Minimum comment period: the legal period ``consultation.minimum`` (重大行政决策程序暂行条例
art. 15: generally not less than 30 days; a shorter one must be explained), counted from the
day after opening: ``closes_on ≥ due_date(opens_on, "consultation.minimum")``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import deadlines
from gongkai.core.fields import EncryptedTextField
from gongkai.core.models import Organisation
from gongkai.core.transitions import condition

from .. import access

MINIMUM_PERIOD = "consultation.minimum"


def minimum_days() -> int:
    return deadlines.period(MINIMUM_PERIOD).length


def earliest_close(opens_on: dt.date) -> dt.date:
    """The first closing date that keeps the minimum comment period."""
    return deadlines.due_date(opens_on, MINIMUM_PERIOD)


def _short_period_message() -> str:
    return gettext("征集期不足%(days)s日（重大行政决策程序暂行条例第十五条），请说明缩短期限的理由") % {
        "days": minimum_days()
    }


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")
    REPORTED = "reported", _("已反馈")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class Adoption(models.TextChoices):
    UNDECIDED = "", _("未处理")
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


# --- preconditions ---------------------------------------------------------------------------


@condition(_("请填写征集开始和截止日期，截止日期应晚于开始日期"))
def has_period(c) -> bool:
    return bool(c.opens_on and c.closes_on and c.closes_on > c.opens_on)


@condition(lazy(_short_period_message, str)())
def period_long_enough(c) -> bool:
    if not (c.opens_on and c.closes_on):
        return True  # has_period reports it
    return c.closes_on >= earliest_close(c.opens_on) or bool((c.short_period_reason or "").strip())


@condition(_("截止日期已过，请修改征集期"))
def not_expired(c) -> bool:
    return c.closes_on is None or c.closes_on >= timezone.localdate()


@condition(_("还有待审核的意见，请先审核"))
def no_pending_comments(c) -> bool:
    return not c.comments.filter(status=CommentStatus.PENDING).exists()


@condition(_("还有意见未标明采纳情况"))
def every_comment_decided(c) -> bool:
    return not c.comments.filter(status=CommentStatus.APPROVED, adoption=Adoption.UNDECIDED).exists()


@condition(_("有未采纳或部分采纳的意见没有说明理由"))
def reasons_given(c) -> bool:
    return not c.comments.filter(
        status=CommentStatus.APPROVED, adoption__in=[Adoption.NOT_ADOPTED, Adoption.PARTLY], adoption_note=""
    ).exists()


class Consultation(ConcurrentTransitionMixin, models.Model):
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("起草单位")
    )
    title = models.CharField(_("标题"), max_length=150)
    summary = models.CharField(_("内容提要"), max_length=300, blank=True)
    draft = models.TextField(_("征求意见稿"), help_text=_("可使用简单的 HTML 格式，保存时会清理不安全的标记"))
    explanation = models.TextField(_("起草说明"))
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    short_period_reason = models.TextField(
        _("缩短征集期的理由"),
        blank=True,
        help_text=_("征集期短于法定最短期限（一般不少于30日）时必须填写，并向社会公开"),
    )
    status = FSMField(_("状态"), default=ConsultationStatus.DRAFT, choices=ConsultationStatus.choices, protected=True)
    feedback_report = models.TextField(_("意见采纳情况说明"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    contact = models.CharField(_("联系方式（机关）"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_on", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=ConsultationStatus.DRAFT, target=None, permission=access.may_edit_content)
    def edit(self):
        """Change the draft, its explanation, period or attachments (drafts only)."""

    @transition(
        field=status,
        source=ConsultationStatus.DRAFT,
        target=ConsultationStatus.OPEN,
        permission=access.may_approve_content,
        conditions=[has_period, period_long_enough, not_expired],
    )
    def open(self):
        """发布: the draft is published and comments are accepted until the closing date."""

    @transition(
        field=status,
        source=ConsultationStatus.OPEN,
        target=ConsultationStatus.CLOSED,
        permission=access.may_approve_content,
    )
    def close(self):
        """结束征集 (early by staff, or by the daily job after the closing date)."""

    @transition(
        field=status,
        source=ConsultationStatus.CLOSED,
        target=ConsultationStatus.REPORTED,
        permission=access.may_approve_content,
        conditions=[no_pending_comments, every_comment_decided, reasons_given],
    )
    def report(self):
        """发布意见采纳情况反馈."""

    @property
    def period_days(self) -> int | None:
        """Length of the comment period in days, counted from the day after opening (as the rule counts)."""
        if self.opens_on and self.closes_on:
            return (self.closes_on - self.opens_on).days
        return None

    @property
    def is_short(self) -> bool:
        return bool(self.opens_on and self.closes_on) and self.closes_on < earliest_close(self.opens_on)

    @property
    def accepting_comments(self) -> bool:
        today = timezone.localdate()
        return self.status == ConsultationStatus.OPEN and self.opens_on <= today <= self.closes_on


def consultation_upload_to(instance, filename):
    return f"interaction/consultations/{instance.consultation_id}/{filename}"


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=150)
    file = models.FileField(_("文件"), upload_to=consultation_upload_to)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


@condition(_("反馈报告已发布，不能再修改意见的审核或采纳情况"))
def consultation_not_reported(comment) -> bool:
    return comment.consultation.status != ConsultationStatus.REPORTED


class Comment(ConcurrentTransitionMixin, models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    author_name = models.CharField(_("署名"), max_length=40, blank=True)
    contact = EncryptedTextField(_("联系方式"), max_length=100, blank=True)  # never public; encrypted at rest
    content = models.TextField(_("意见内容"))
    public_content = models.TextField(_("公开内容"), blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    status = FSMField(
        _("审核状态"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING, protected=True
    )
    reject_reason = models.CharField(_("未通过理由"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    adoption = models.CharField(_("采纳情况"), max_length=12, choices=Adoption.choices, blank=True, default="")
    adoption_note = models.CharField(_("采纳说明（未采纳的理由）"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征集意见")
        verbose_name_plural = _("征集意见")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def public_author(self) -> str:
        return (self.author_name[0] + "**") if self.author_name else str(_("匿名"))

    @transition(
        field=status,
        source=[CommentStatus.PENDING, CommentStatus.REJECTED],
        target=CommentStatus.APPROVED,
        permission=access.may_moderate,
        conditions=[consultation_not_reported],
    )
    def approve(self):
        """通过: shown on the portal with personal data masked."""

    @transition(
        field=status,
        source=[CommentStatus.PENDING, CommentStatus.APPROVED],
        target=CommentStatus.REJECTED,
        permission=access.may_moderate,
        conditions=[consultation_not_reported],
    )
    def reject(self):
        """不通过, with a reason; the comment is kept in the record."""

    @transition(
        field=status,
        source=CommentStatus.APPROVED,
        target=None,
        permission=access.may_moderate,
        conditions=[consultation_not_reported],
    )
    def adopt(self):
        """采纳情况 (采纳 / 部分采纳 / 未采纳 with a reason) for the feedback report."""

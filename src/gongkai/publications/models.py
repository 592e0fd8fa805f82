"""Proactive disclosure content (主动公开): publications, their review trail, attachments,
repeal/amendment links between normative documents, and per-unit review policies.

One table holds every content type (``doc_type``): they share the public information
index (信息索引) and the review workflow; type-specific fields are nullable.
State changes happen only through :mod:`gongkai.publications.services`, which run the
transitions below through :func:`gongkai.core.transitions.run` (``state`` is a protected FSM
field). Every transition names who may run it and what must hold first (:mod:`.guards`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from gongkai.core import workdays
from gongkai.core.models import Organisation
from gongkai.core.storage import private_storage

from . import guards
from .choices import (  # noqa: F401 - re-exported: other apps import them from here
    INDEX_CATEGORY,
    INTERPRETABLE_TYPES,
    NORMATIVE_TYPES,
    REVIEW_STATES,
    Attribute,
    BudgetKind,
    DocType,
    InterpretationForm,
    LegalStatus,
    LinkKind,
    Source,
    State,
    Step,
    Topic,
    WithholdGround,
)


class Publication(FSMModelMixin, models.Model):
    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="publications", verbose_name=_("发布单位")
    )
    doc_type = models.CharField(_("信息类型"), max_length=20, choices=DocType.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True, help_text=_("支持基本排版（段落、标题、列表、表格、链接）"))
    # --- 信息索引 ---
    index_number = models.CharField(_("索引号"), max_length=80, unique=True, null=True, blank=True)
    topic = models.CharField(_("主题分类"), max_length=20, choices=Topic.choices, default=Topic.GENERAL)
    issuer = models.CharField(_("发文机关"), max_length=200, blank=True)
    document_number = models.CharField(_("发文字号"), max_length=100, blank=True, db_index=True)
    made_on = models.DateField(_("成文日期"), null=True, blank=True)
    changed_on = models.DateField(
        _("变更日期"), null=True, blank=True, help_text=_("信息内容发生变更的日期；公开时限自变更之日起重新计算")
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # --- standard catalogue ---
    unit_item = models.ForeignKey(
        "catalogue.UnitItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        verbose_name=_("公开目录事项"),
        help_text=_("本信息对应的标准目录事项；公开时限按该事项计算"),
    )
    domain = models.ForeignKey(
        "catalogue.Domain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        verbose_name=_("公开领域"),
    )
    # --- normative documents ---
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    expires_on = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("自该日起失效；有效期届满的次日"))
    # --- interpretations ---
    interprets = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
        verbose_name=_("所解读的政策文件"),
    )
    interpretation_form = models.CharField(_("解读形式"), max_length=10, choices=InterpretationForm.choices, blank=True)
    video_url = models.URLField(_("视频链接"), blank=True)
    needs_interpretation = models.BooleanField(
        _("需要政策解读"), default=False, help_text=_("需要解读的政策文件须与解读材料同步发布")
    )
    interpretation_waiver = models.TextField(
        _("不同步解读的理由"), blank=True, help_text=_("由审核员填写；填写后政策文件可先于解读发布")
    )
    # --- draft major decision / budget ---
    drafting_notes = models.TextField(_("起草说明"), blank=True)
    comment_until = models.DateField(_("意见征集截止日期"), null=True, blank=True)
    short_comment_reason = models.CharField(_("征求意见期少于30日的说明"), max_length=500, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("预决算年度"), null=True, blank=True)
    budget_kind = models.CharField(_("预算或决算"), max_length=10, choices=BudgetKind.choices, blank=True)
    # --- workflow ---
    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    attribute = models.CharField(_("公开属性"), max_length=20, choices=Attribute.choices, default=Attribute.PROACTIVE)
    attribute_ground = models.CharField(
        _("不主动公开的依据"), max_length=30, choices=WithholdGround.choices, blank=True
    )
    attribute_reason = models.TextField(_("不主动公开的理由"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由（公开）"), blank=True)
    # --- timeliness ---
    due_on = models.DateField(_("应公开日期"), null=True, blank=True, db_index=True)
    is_late = models.BooleanField(_("逾期发布"), default=False)
    # --- bookkeeping ---
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.WORKFLOW)
    original_url = models.URLField(_("原网址"), max_length=500, blank=True)
    plain_text = models.TextField(editable=False, blank=True)  # body as text, for search and feeds
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "state", "doc_type"], name="pub_unit_state_type_idx"),
            models.Index(fields=["state", "doc_type", "published_on"], name="pub_state_type_date_idx"),
        ]

    #: the reviewer's comment of the transition being run, for its audit record (not stored here:
    #: the review trail keeps it)
    review_comment = ""

    def __str__(self) -> str:
        return self.title

    # --- derived values -------------------------------------------------
    @property
    def is_normative(self) -> bool:
        return self.doc_type in NORMATIVE_TYPES

    @property
    def is_public(self) -> bool:
        return self.state in (State.PUBLISHED, State.WITHDRAWN)

    def legal_status(self, today: dt.date | None = None) -> str | None:
        from .status import legal_status

        return legal_status(self, today)

    def get_legal_status_display(self, today: dt.date | None = None) -> str:
        value = self.legal_status(today)
        return LegalStatus(value).label if value else ""

    @property
    def event_date(self) -> dt.date | None:
        """The day the information was made or last changed (start of the 20-working-day period)."""
        return self.changed_on or self.made_on

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", args=[self.pk])

    def compute_due_on(self, calendar: workdays.Calendar | None = None) -> dt.date | None:
        """应公开日期: the one computation of when this item is due (None when it cannot be known).

        Counted from the day the information was made or changed, by the timeframe of the
        catalogue item it fulfils, or 政府信息公开条例 art. 26 (the ``disclosure.proactive``
        period) without one; a year without holiday data gives no date rather than a wrong one.
        """
        from gongkai.catalogue import selectors as catalogue

        event = self.event_date
        if event is None:
            return None
        rule = self.unit_item.timeframe_rule if self.unit_item_id else None
        try:
            return catalogue.disclosure_due_date(rule, event, calendar=calendar)
        except workdays.CalendarMissing:
            return None

    def compute_is_late(self) -> bool:
        return bool(self.due_on and self.published_on and self.published_on > self.due_on)

    # --- transitions: run only by the services, through gongkai.core.transitions.run ---------
    @transition(field=state, source=State.DRAFT, target=None, permission=guards.may_edit)
    def edit(self):
        """Guard of draft editing (fields, attachments, deletion); the state stays."""

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.ATTRIBUTE_REVIEW,
        permission=guards.may_edit,
        conditions=guards.SUBMIT_CONDITIONS,
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=State.ATTRIBUTE_REVIEW,
        target=RETURN_VALUE(State.CONFIDENTIALITY_REVIEW, State.SIGNOFF, State.PUBLISHED),
        permission=guards.may_review,
        conditions=guards.PUBLISH_CONDITIONS,
    )
    def approve_attribute(self, next_state):
        return next_state

    @transition(field=state, source=State.ATTRIBUTE_REVIEW, target=State.RETAINED, permission=guards.may_review)
    def retain(self):
        pass

    @transition(
        field=state,
        source=State.CONFIDENTIALITY_REVIEW,
        target=RETURN_VALUE(State.SIGNOFF, State.PUBLISHED),
        permission=guards.may_review,
        conditions=guards.PUBLISH_CONDITIONS,
    )
    def approve_confidentiality(self, next_state):
        return next_state

    @transition(
        field=state,
        source=State.SIGNOFF,
        target=State.PUBLISHED,
        permission=guards.may_review,
        conditions=guards.PUBLISH_CONDITIONS,
    )
    def sign_off(self):
        pass

    @transition(field=state, source=list(REVIEW_STATES), target=State.DRAFT, permission=guards.may_review)
    def reject(self):
        pass

    @transition(
        field=state,
        source=list(REVIEW_STATES),
        target=None,
        permission=guards.may_review,
        conditions=[guards.interpretation_waivable],
    )
    def waive_interpretation(self):
        """The reviewer records why a policy is published without its interpretation; the state stays."""

    @transition(field=state, source=State.RETAINED, target=State.DRAFT, permission=guards.may_reopen)
    def reopen(self):
        pass

    @transition(field=state, source=State.PUBLISHED, target=State.WITHDRAWN, permission=guards.may_withdraw)
    def withdraw(self):
        pass

    @transition(
        field=state,
        source=State.PUBLISHED,
        target=None,
        permission=guards.may_record_legal_link,
        conditions=[guards.is_normative],
    )
    def record_legal_link(self):
        """Guard of recording a repeal or amendment of this document; the state stays."""

    @transition(field=state, source="*", target=None, permission=guards.may_link_unit_item)
    def link_unit_item(self):
        """Guard of (re)linking the catalogue item this fulfils; the state stays."""


class Transition(models.Model):
    """The review trail of one publication (what the workbench shows as 流转记录).

    The hash-chained audit event written in the same transaction is the legal record;
    this table keeps the reviewers' comments in a form that is cheap to list.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="transitions")
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    from_state = models.CharField(_("原状态"), max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.step} {self.to_state}"


class LegalLink(models.Model):
    """A repeal or amendment of a regulation/normative document, effective from a date.

    ``by`` is the publication that repeals/amends ``target`` (null when the repeal was
    decided without a published instrument, e.g. a clean-up list not on this platform).
    """

    kind = models.CharField(_("类型"), max_length=10, choices=LinkKind.choices)
    target = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="legal_links_in", verbose_name=_("被废止/修改的文件")
    )
    by = models.ForeignKey(
        Publication,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_links_out",
        verbose_name=_("依据文件"),
    )
    effective_on = models.DateField(_("生效日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("废止/修改记录")
        verbose_name_plural = _("废止/修改记录")
        ordering = ["effective_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "target", "by"], name="pub_uniq_legal_link"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_id} ({self.effective_on})"


class ReviewPolicy(models.Model):
    """Which review layers a unit requires (分级审核). Units without a row use the defaults.

    The disclosure-attribute review is always required (every item needs a legal
    determination of its disclosure attribute, 政府信息公开条例 art. 13–16).
    """

    unit = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="review_policy")
    require_confidentiality = models.BooleanField(_("需要保密审查"), default=True)
    require_signoff = models.BooleanField(_("需要单位负责人签发"), default=True)
    separate_reviewer = models.BooleanField(
        _("审核人不得为起草人"), default=True, help_text=_("起草人不能审核或签发自己起草的信息")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("审核流程设置")
        verbose_name_plural = _("审核流程设置")

    def __str__(self) -> str:
        return _("%(unit)s 审核流程") % {"unit": self.unit}


def attachment_path(instance: Attachment, filename: str) -> str:
    today = dt.date.today()
    return f"publications/{today:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """A file attached to a publication (stored under a content hash), or an external link
    (imported items whose files stay on the old website)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=255)
    # Private storage in every mode: a draft's file is never reachable by path (/media/...).
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255, blank=True, storage=private_storage)
    external_url = models.URLField(_("外部链接"), max_length=1000, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    text = models.TextField(_("提取的文本"), blank=True, editable=False)
    sort_order = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_link(self) -> bool:
        return bool(self.external_url) and not self.file

    def get_absolute_url(self) -> str:
        if self.is_link:
            return self.external_url
        return reverse("publications:attachment", args=[self.pk])

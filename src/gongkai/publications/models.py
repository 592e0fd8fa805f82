"""Proactive disclosure content (主动公开): publications, their review trail, attachments,
repeal/amendment links between normative documents, and per-unit review policies.

One table holds every content type (``doc_type``): they share the public information
index (信息索引) and the review workflow; type-specific fields are nullable.
State changes happen only through :mod:`gongkai.publications.services`
(``state`` is a protected FSM field).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from gongkai.core.models import Organisation


class DocType(models.TextChoices):
    POLICY = "policy", _("政策文件")
    REGULATION = "regulation", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    INTERPRETATION = "interpretation", _("政策解读")
    NOTICE = "notice", _("通知公告")
    BUDGET = "budget", _("财政预决算")
    DRAFT_DECISION = "draft_decision", _("重大行政决策草案")
    GENERAL = "general", _("其他公开信息")


#: 索引号 category code per content type (the middle part of the index number).
INDEX_CATEGORY = {
    DocType.POLICY: "ZC",
    DocType.REGULATION: "GZ",
    DocType.NORMATIVE: "GF",
    DocType.INTERPRETATION: "JD",
    DocType.NOTICE: "TZ",
    DocType.BUDGET: "YJS",
    DocType.DRAFT_DECISION: "JC",
    DocType.GENERAL: "QT",
}

#: Types with legal effect: 施行日期 / 失效日期 / repeal and amendment links / derived status.
NORMATIVE_TYPES = (DocType.REGULATION, DocType.NORMATIVE)


class Topic(models.TextChoices):
    """主题分类 (the State Council's subject classification of government documents)."""

    ORGANISATION = "organisation", _("政府机构")
    GENERAL = "general", _("综合政务")
    ECONOMY = "economy", _("国民经济管理、国有资产监管")
    FINANCE = "finance", _("财政、金融、审计")
    LAND = "land", _("国土资源、能源")
    AGRICULTURE = "agriculture", _("农业、林业、水利")
    INDUSTRY = "industry", _("工业、交通")
    COMMERCE = "commerce", _("商贸、海关、旅游")
    MARKET = "market", _("市场监管、安全生产监管")
    CONSTRUCTION = "construction", _("城乡建设、环境保护")
    SCIENCE = "science", _("科技、教育")
    CULTURE = "culture", _("文化、广电、新闻出版")
    HEALTH = "health", _("卫生、体育")
    POPULATION = "population", _("人口与计划生育、妇女儿童工作")
    LABOUR = "labour", _("劳动、人事、监察")
    SECURITY = "security", _("公安、安全、司法")
    CIVIL = "civil", _("民政、扶贫、救灾")
    ETHNIC = "ethnic", _("民族、宗教")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ATTRIBUTE_REVIEW = "attribute_review", _("待公开属性审查")
    CONFIDENTIALITY_REVIEW = "confidentiality_review", _("待保密审查")
    SIGNOFF = "signoff", _("待负责人签发")
    PUBLISHED = "published", _("已发布")
    RETAINED = "retained", _("不予主动公开（已存档）")
    WITHDRAWN = "withdrawn", _("已撤回")


REVIEW_STATES = (State.ATTRIBUTE_REVIEW, State.CONFIDENTIALITY_REVIEW, State.SIGNOFF)


class Attribute(models.TextChoices):
    """公开属性 (政府信息公开条例 art. 13–16)."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class WithholdGround(models.TextChoices):
    """Legal grounds for not disclosing proactively (政府信息公开条例)."""

    STATE_SECRET = "art14_secret", _("第十四条：国家秘密")
    LAW_FORBIDS = "art14_law", _("第十四条：法律、行政法规禁止公开")
    SECURITY = "art14_security", _("第十四条：危及国家安全、公共安全、经济安全、社会稳定")
    THIRD_PARTY = "art15", _("第十五条：商业秘密、个人隐私等第三方合法权益")
    INTERNAL = "art16_internal", _("第十六条第一款：内部事务信息")
    PROCESS = "art16_process", _("第十六条第二款：过程性信息")
    ENFORCEMENT = "art16_enforcement", _("第十六条第二款：行政执法案卷信息")
    ON_REQUEST_ONLY = "on_request", _("仅涉及特定对象，适宜依申请公开（第二十七条）")
    OTHER_LAW = "other_law", _("其他法律、法规规定")


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图文解读")
    VIDEO = "video", _("视频解读")


class BudgetKind(models.TextChoices):
    BUDGET = "budget", _("预算")
    FINAL = "final", _("决算")


class LegalStatus(models.TextChoices):
    """Status of a regulation/normative document, DERIVED from dates and links (never stored)."""

    VALID = "valid", _("有效")
    INVALID = "invalid", _("失效")
    NOT_YET = "not_yet", _("尚未生效")
    AMENDED = "amended", _("已修改")


class Source(models.TextChoices):
    WORKFLOW = "workflow", _("本平台审核发布")
    IMPORT = "import", _("历史数据导入")


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

    # --- transitions (called only from services) ------------------------
    @transition(field=state, source=State.DRAFT, target=State.ATTRIBUTE_REVIEW)
    def submit(self):
        pass

    @transition(
        field=state,
        source=State.ATTRIBUTE_REVIEW,
        target=RETURN_VALUE(State.CONFIDENTIALITY_REVIEW, State.SIGNOFF, State.PUBLISHED),
    )
    def approve_attribute(self, next_state):
        return next_state

    @transition(field=state, source=State.ATTRIBUTE_REVIEW, target=State.RETAINED)
    def retain(self):
        pass

    @transition(field=state, source=State.CONFIDENTIALITY_REVIEW, target=RETURN_VALUE(State.SIGNOFF, State.PUBLISHED))
    def approve_confidentiality(self, next_state):
        return next_state

    @transition(field=state, source=State.SIGNOFF, target=State.PUBLISHED)
    def sign_off(self):
        pass

    @transition(field=state, source=list(REVIEW_STATES), target=State.DRAFT)
    def reject(self):
        pass

    @transition(field=state, source=State.RETAINED, target=State.DRAFT)
    def reopen(self):
        pass

    @transition(field=state, source=State.PUBLISHED, target=State.WITHDRAWN)
    def withdraw(self):
        pass


class Step(models.TextChoices):
    SUBMIT = "submit", _("提交审核")
    ATTRIBUTE = "attribute", _("公开属性审查")
    CONFIDENTIALITY = "confidentiality", _("保密审查")
    SIGNOFF = "signoff", _("负责人签发")
    PUBLISH = "publish", _("发布")
    REJECT = "reject", _("退回修改")
    RETAIN = "retain", _("不予主动公开")
    REOPEN = "reopen", _("重新编辑")
    WITHDRAW = "withdraw", _("撤回")
    IMPORT = "import", _("历史数据导入")


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


class LinkKind(models.TextChoices):
    REPEAL = "repeal", _("废止")
    AMEND = "amend", _("修改")


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
        return f"{self.unit} 审核流程"


def attachment_path(instance: Attachment, filename: str) -> str:
    today = dt.date.today()
    return f"publications/{today:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """A file attached to a publication (stored under a content hash), or an external link
    (imported items whose files stay on the old website)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255, blank=True)
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

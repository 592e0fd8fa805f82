"""Choices of the publications app: content types, states, attributes and the like.

Kept apart from the models so that the transition guards (:mod:`.guards`) can use them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
#: Types a policy interpretation (政策解读) can interpret.
INTERPRETABLE_TYPES = (DocType.POLICY, DocType.REGULATION, DocType.NORMATIVE, DocType.DRAFT_DECISION)
#: 重大行政决策程序暂行条例 art. 15: public comment on a draft decision lasts at least 30 days.
MIN_COMMENT_DAYS = 30


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
    WAIVE = "waive", _("不同步解读")


class LinkKind(models.TextChoices):
    REPEAL = "repeal", _("废止")
    AMEND = "amend", _("修改")

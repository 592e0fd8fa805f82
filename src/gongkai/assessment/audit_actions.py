"""Audit action names of the assessment app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import audit


@audit.register_actions
class AuditAction(models.TextChoices):
    SET_VERSION = "assessment.set.version", _("新建指标体系版本")
    SET_PUBLISH = "assessment.set.publish", _("发布指标体系")
    SET_RETIRE = "assessment.set.retire", _("停用指标体系")
    INDICATOR_UPDATE = "assessment.indicator.update", _("修改指标")
    PERIOD_CREATE = "assessment.period.create", _("新建评估周期")
    PERIOD_INPUTS = "assessment.period.inputs", _("评估取数")
    PERIOD_RANK = "assessment.period.rank", _("计算得分与排名")
    PERIOD_PUBLISH = "assessment.period.publish", _("公布评估结果")
    PERIOD_CLOSE = "assessment.period.close", _("结束评估周期")
    SCORE_MANUAL = "assessment.score.manual", _("人工评分")
    SAMPLE_DRAW = "assessment.sample.draw", _("随机抽样")
    BULLETIN_DRAFT = "assessment.bulletin.draft", _("起草通报")
    BULLETIN_ISSUE = "assessment.bulletin.issue", _("印发通报")
    RECT_CREATE = "assessment.rectification.create", _("下发整改通知")
    RECT_RESPOND = "assessment.rectification.respond", _("反馈整改情况")
    RECT_RECHECK = "assessment.rectification.recheck", _("发起复查")
    RECT_CLOSE = "assessment.rectification.close", _("整改销号")
    RECT_REOPEN = "assessment.rectification.reopen", _("退回重新整改")
    RECT_ESCALATE = "assessment.rectification.escalate", _("升级督办")
    RECT_DUE = "assessment.rectification.due", _("重算整改期限")
    CARD_ISSUE = "assessment.card.issue", _("亮牌警示")
    LETTER_ISSUE = "assessment.letter.issue", _("发出督办函")
    INTERVIEW_RECORD = "assessment.interview.record", _("记录约谈")
    APPEAL_SUBMIT = "assessment.appeal.submit", _("提出申诉")
    APPEAL_DECIDE = "assessment.appeal.decide", _("处理申诉")
    TEMPLATE_UPDATE = "assessment.template.update", _("修改文书模板")

"""Audit action names of the interaction app (registered with :func:`gongkai.core.audit.register_actions`).

Services pass a member (``AuditAction.APPEAL_ACCEPT``), never a literal, so ``grep`` finds
every place an action is recorded.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import audit


@audit.register_actions
class AuditAction(models.TextChoices):
    APPEAL_SUBMIT = "interaction.appeal.submit", _("提交留言")
    APPEAL_SUPPLEMENT = "interaction.appeal.supplement", _("留言人补充材料")
    APPEAL_RATE = "interaction.appeal.rate", _("留言人评价")
    APPEAL_REOPEN = "interaction.appeal.reopen", _("留言人申请重新办理")
    APPEAL_ACCEPT = "interaction.appeal.accept", _("受理留言")
    APPEAL_REJECT = "interaction.appeal.reject", _("不予受理留言")
    APPEAL_ASSIGN = "interaction.appeal.assign", _("分拨留言")
    APPEAL_REASSIGN = "interaction.appeal.reassign", _("改派留言")
    APPEAL_SEND_BACK = "interaction.appeal.send_back", _("退回留言")
    APPEAL_START = "interaction.appeal.start", _("开始处置留言")
    APPEAL_NOTE = "interaction.appeal.note", _("填写会办意见")
    APPEAL_ANSWER = "interaction.appeal.answer", _("答复留言")
    APPEAL_CLOSE = "interaction.appeal.close", _("办结留言")
    APPEAL_PUBLISH = "interaction.appeal.publish", _("公开留言")
    APPEAL_UNPUBLISH = "interaction.appeal.unpublish", _("撤回公开留言")
    APPEAL_PROMOTE = "interaction.appeal.promote", _("留言收入常见问题库")
    APPEAL_REMIND = "interaction.appeal.remind", _("留言催办")
    APPEAL_DUE_RECOMPUTED = "interaction.appeal.due_recomputed", _("重新计算留言办理期限")
    APPEAL_TYPE_CREATE = "interaction.appeal_type.create", _("新建留言类型")
    APPEAL_TYPE_UPDATE = "interaction.appeal_type.update", _("修改留言类型")
    FAQ_CREATE = "interaction.faq.create", _("新建常见问题")
    FAQ_UPDATE = "interaction.faq.update", _("修改常见问题")
    FAQ_REVIEW = "interaction.faq.review", _("确认复核常见问题")
    FAQ_WITHDRAW = "interaction.faq.withdraw", _("撤回常见问题")
    FAQ_RESTORE = "interaction.faq.restore", _("重新发布常见问题")
    FAQ_REVIEW_DATE_RECOMPUTED = "interaction.faq.review_date_recomputed", _("重新计算常见问题复核日期")
    CONSULTATION_CREATE = "interaction.consultation.create", _("新建意见征集")
    CONSULTATION_UPDATE = "interaction.consultation.update", _("修改意见征集")
    CONSULTATION_ATTACH = "interaction.consultation.attach", _("上传意见征集附件")
    CONSULTATION_OPEN = "interaction.consultation.open", _("发布意见征集")
    CONSULTATION_CLOSE = "interaction.consultation.close", _("结束意见征集")
    CONSULTATION_REPORT = "interaction.consultation.report", _("发布意见采纳情况反馈")
    COMMENT_SUBMIT = "interaction.comment.submit", _("提交征集意见")
    COMMENT_APPROVE = "interaction.comment.approve", _("通过征集意见")
    COMMENT_REJECT = "interaction.comment.reject", _("不通过征集意见")
    COMMENT_ADOPTION = "interaction.comment.adoption", _("标明意见采纳情况")

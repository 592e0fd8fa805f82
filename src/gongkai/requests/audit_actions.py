"""Audit action names of the requests app (values are stored in the audit log; grep finds them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import audit


@audit.register_actions
class AuditAction(models.TextChoices):
    REQUEST_CREATE = "requests.request.create", _("登记依申请公开件")
    REQUEST_ASSIGN = "requests.request.assign", _("分配承办人")
    REQUEST_NOTE = "requests.request.note", _("添加内部备注")
    CORRECTION_NOTICE = "requests.request.correction_notice", _("发出补正告知")
    CORRECTION_RECEIVED = "requests.request.correction_received", _("登记收到补正")
    DEEMED_WITHDRAWN = "requests.request.deemed_withdrawn", _("逾期未补正视为放弃申请")
    WITHDRAW = "requests.request.withdraw", _("申请人撤回申请")
    CONSULTATION_SENT = "requests.request.consultation_sent", _("征求意见")
    CONSULTATION_ANSWERED = "requests.request.consultation_answered", _("登记征求意见结果")
    TRANSFER = "requests.request.transfer", _("转交办理")
    EXTENSION_REQUEST = "requests.extension.request", _("申请延期")
    EXTENSION_APPROVED = "requests.request.extension_approved", _("同意延期")
    EXTENSION_REJECTED = "requests.request.extension_rejected", _("不同意延期")
    REPLY = "requests.request.reply", _("作出答复")
    REPLY_SUBMITTED = "requests.request.reply_submitted", _("答复报签")
    REPLY_APPROVED = "requests.request.reply_approved", _("签发答复")
    REPLY_RETURNED = "requests.request.reply_returned", _("退回答复稿")
    CLOSE = "requests.request.close", _("办结归档")
    PERSONAL_DATA_VIEW = "requests.request.personal_data_view", _("查看申请人个人信息")
    DUE_RECOMPUTED = "requests.request.due_recomputed", _("重新计算答复期限")
    LETTER_ISSUE = "requests.letter.issue", _("出具文书")
    REVIEW_CASE_CREATE = "requests.review_case.create", _("登记复议诉讼")
    REVIEW_CASE_UPDATE = "requests.review_case.update", _("登记复议诉讼结果")
    POLICY_UPDATE = "requests.policy.update", _("修改依申请公开设置")

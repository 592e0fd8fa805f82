"""Audit action names of the publications app (stored as ``publications.<entity>.<verb>``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import audit


@audit.register_actions
class AuditAction(models.TextChoices):
    CREATE = "publications.publication.create", _("起草公开信息")
    UPDATE = "publications.publication.update", _("修改草稿")
    DELETE = "publications.publication.delete", _("删除草稿")
    LINK_UNIT_ITEM = "publications.publication.link_unit_item", _("关联目录事项")
    SUBMIT = "publications.publication.submit", _("提交审核")
    ATTRIBUTE = "publications.publication.attribute", _("公开属性审查通过")
    RETAIN = "publications.publication.retain", _("不予主动公开")
    WAIVE_INTERPRETATION = "publications.publication.waive_interpretation", _("登记不同步解读的理由")
    CONFIDENTIALITY = "publications.publication.confidentiality", _("保密审查通过")
    SIGN_OFF = "publications.publication.sign_off", _("负责人签发")
    PUBLISH = "publications.publication.publish", _("发布")
    REJECT = "publications.publication.reject", _("退回修改")
    REOPEN = "publications.publication.reopen", _("恢复为草稿")
    WITHDRAW = "publications.publication.withdraw", _("撤回")
    IMPORT = "publications.publication.import", _("导入历史公开信息")
    DUE_RECOMPUTED = "publications.publication.due_recomputed", _("重新计算应公开日期")
    ATTACHMENT_ADD = "publications.attachment.add", _("上传附件")
    ATTACHMENT_REMOVE = "publications.attachment.remove", _("删除附件")
    LEGAL_LINK_REPEAL = "publications.legal_link.repeal", _("登记废止")
    LEGAL_LINK_AMEND = "publications.legal_link.amend", _("登记修改")
    REVIEW_POLICY_UPDATE = "publications.review_policy.update", _("修改审核流程设置")

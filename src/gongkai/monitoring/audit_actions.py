"""Audit action names of the monitoring app (registered with the core audit log)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core import audit


@audit.register_actions
class AuditAction(models.TextChoices):
    SITE_REGISTER = "monitoring.site.register", _("登记网站")
    SITE_UPDATE = "monitoring.site.update", _("修改网站信息")
    SITE_PAUSE = "monitoring.site.pause", _("暂停监测网站")
    SITE_RESUME = "monitoring.site.resume", _("恢复监测网站")
    SITE_CLOSE = "monitoring.site.close", _("网站关停")
    COLUMN_PROPOSE = "monitoring.column.propose", _("识别栏目")
    COLUMN_ADD = "monitoring.column.add", _("添加栏目")
    COLUMN_CONFIRM = "monitoring.column.confirm", _("确认栏目")
    COLUMN_REJECT = "monitoring.column.reject", _("排除栏目")
    ACCOUNT_REGISTER = "monitoring.account.register", _("登记政务新媒体账号")
    ACCOUNT_SUSPEND = "monitoring.account.suspend", _("账号暂停更新")
    ACCOUNT_REACTIVATE = "monitoring.account.reactivate", _("账号恢复运营")
    ACCOUNT_CLOSE = "monitoring.account.close", _("账号关停")
    CRAWL_FINISH = "monitoring.crawl.finish", _("完成网站巡检")
    FINDING_CONFIRM = "monitoring.finding.confirm", _("确认监测发现")
    FINDING_DISMISS = "monitoring.finding.dismiss", _("标记误报")
    FINDING_FIXED = "monitoring.finding.fixed", _("复查确认已整改")
    FINDING_GONE = "monitoring.finding.gone", _("问题已消失")
    WORDLIST_CREATE = "monitoring.wordlist.create", _("新建词表")
    WORD_ADD = "monitoring.word.add", _("添加词语")
    PHRASE_ALLOW = "monitoring.phrase.allow", _("添加允许词语")
    ACCESSIBILITY_CHECK = "monitoring.accessibility.check", _("无障碍抽检")

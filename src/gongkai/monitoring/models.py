"""Monitoring data: the registry of websites, their columns and new-media accounts; probes,
crawls, findings and their review; word lists (规范表述, confusable pairs, sensitive words).

Rules and thresholds come from the national inspection indicators (国办秘函〔2019〕19号, RULES.md);
every period (freshness windows, interaction windows) is a ``core.LegalPeriod`` row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role
from gongkai.core.transitions import condition

from .storage import private_storage


def oversees(obj, user) -> bool:
    """The disclosure office over the record's unit (or a sysadmin for unassigned records)."""
    unit = getattr(obj, "unit", None)
    if unit is None:
        return permissions.is_configuration_admin(user)
    return permissions.oversees(user, unit)


class SiteStatus(models.TextChoices):
    ACTIVE = "active", _("运行中")
    PAUSED = "paused", _("暂停监测")
    CLOSED = "closed", _("已关停")


class SiteKind(models.TextChoices):
    PORTAL = "portal", _("政府门户网站")
    DEPARTMENT = "department", _("部门网站")
    OTHER = "other", _("其他网站")


class Site(ConcurrentTransitionMixin, models.Model):
    """A government website (政府网站) registered for monitoring."""

    name = models.CharField(_("网站名称"), max_length=100)
    home_url = models.URLField(_("首页地址"), max_length=300, unique=True)
    domain = models.CharField(_("域名"), max_length=200, db_index=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    police_number = models.CharField(_("公安机关备案号"), max_length=60, blank=True)
    unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位")
    )
    kind = models.CharField(_("网站类型"), max_length=12, choices=SiteKind.choices, default=SiteKind.DEPARTMENT)
    is_own_portal = models.BooleanField(_("本平台门户"), default=False)
    status = FSMField(_("状态"), default=SiteStatus.ACTIVE, choices=SiteStatus.choices, protected=True)
    last_crawled_at = models.DateTimeField(_("最近巡检"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("网站")
        verbose_name_plural = _("网站")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @transition(field=status, source=SiteStatus.ACTIVE, target=SiteStatus.PAUSED, permission=oversees)
    def pause(self):
        pass

    @transition(field=status, source=SiteStatus.PAUSED, target=SiteStatus.ACTIVE, permission=oversees)
    def resume(self):
        pass

    @transition(
        field=status, source=[SiteStatus.ACTIVE, SiteStatus.PAUSED], target=SiteStatus.CLOSED, permission=oversees
    )
    def close(self):
        pass


class ColumnKind(models.TextChoices):
    NEWS = "news", _("动态/要闻")
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    INTERACTION = "interaction", _("互动交流")
    SERVICE = "service", _("办事服务")
    DISCLOSURE = "disclosure", _("信息公开")
    OTHER = "other", _("其他栏目")


class ColumnStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已排除")


class Column(ConcurrentTransitionMixin, models.Model):
    """A typed column (栏目) of a site: proposed from the navigation, confirmed by staff."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(_("栏目名称"), max_length=60)
    kind = models.CharField(_("栏目类型"), max_length=16, choices=ColumnKind.choices)
    list_url = models.URLField(_("列表页地址"), max_length=500)
    item_selector = models.CharField(
        _("条目选择器"), max_length=200, blank=True, help_text=_("可选的 CSS 选择器，留空时自动识别列表条目")
    )
    status = FSMField(_("状态"), default=ColumnStatus.PROPOSED, choices=ColumnStatus.choices, protected=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_item_on = models.DateField(_("最近更新"), null=True, blank=True)
    item_count = models.PositiveIntegerField(_("条目数"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("最近检查"), null=True, blank=True)

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["site", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "list_url"], name="monitoring_column_unique_url")]

    def __str__(self) -> str:
        return f"{self.site} · {self.name}"

    @property
    def unit(self):
        return self.site.unit

    @transition(
        field=status,
        source=[ColumnStatus.PROPOSED, ColumnStatus.REJECTED],
        target=ColumnStatus.CONFIRMED,
        permission=oversees,
    )
    def confirm(self):
        pass

    @transition(
        field=status,
        source=[ColumnStatus.PROPOSED, ColumnStatus.CONFIRMED],
        target=ColumnStatus.REJECTED,
        permission=oversees,
    )
    def reject(self):
        pass


class Platform(models.TextChoices):
    WECHAT = "wechat", _("微信公众号")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    TOUTIAO = "toutiao", _("今日头条")
    KUAISHOU = "kuaishou", _("快手")
    CHANNELS = "channels", _("微信视频号")
    APP = "app", _("移动客户端")
    OTHER = "other", _("其他平台")


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("运营中")
    SUSPENDED = "suspended", _("暂停更新")
    CLOSED = "closed", _("已关停")


class Account(ConcurrentTransitionMixin, models.Model):
    """A government new-media account (政务新媒体) with its status history."""

    platform = models.CharField(_("平台"), max_length=12, choices=Platform.choices)
    name = models.CharField(_("账号名称"), max_length=100)
    account_id = models.CharField(_("账号ID"), max_length=100)
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("主办单位"))
    feed_url = models.URLField(
        _("内容列表地址"), max_length=500, blank=True, help_text=_("可选：能列出发文日期的公开页面")
    )
    last_post_on = models.DateField(_("最近发文"), null=True, blank=True)
    status = FSMField(_("状态"), default=AccountStatus.ACTIVE, choices=AccountStatus.choices, protected=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("政务新媒体账号")
        verbose_name_plural = _("政务新媒体账号")
        ordering = ["unit", "platform", "name"]
        constraints = [models.UniqueConstraint(fields=["platform", "account_id"], name="monitoring_account_unique_id")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.name}"

    @transition(field=status, source=AccountStatus.ACTIVE, target=AccountStatus.SUSPENDED, permission=oversees)
    def suspend(self):
        pass

    @transition(field=status, source=[AccountStatus.SUSPENDED], target=AccountStatus.ACTIVE, permission=oversees)
    def reactivate(self):
        pass

    @transition(
        field=status,
        source=[AccountStatus.ACTIVE, AccountStatus.SUSPENDED],
        target=AccountStatus.CLOSED,
        permission=oversees,
    )
    def close(self):
        pass


class AccountStatusChange(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12)
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.from_status}→{self.to_status}"


class Probe(models.Model):
    """One availability probe of a site's home page (planned at a random time of the day)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="probes")
    planned_at = models.DateTimeField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ok = models.BooleanField(null=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["planned_at"]
        indexes = [models.Index(fields=["site", "done_at"])]

    def __str__(self) -> str:
        return f"{self.site_id}@{self.planned_at:%Y-%m-%d %H:%M}"


class Crawl(models.Model):
    """One crawl of a site: what was fetched, when, and the figures of the pass."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="crawls")
    as_of = models.DateField(_("检查基准日"))
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    findings = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=40, default="daily")
    error = models.CharField(max_length=300, blank=True)
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.site} {self.started_at:%Y-%m-%d %H:%M}"


class Rule(models.TextChoices):
    """The fixed rule vocabulary of findings (documented in docs/monitoring.md)."""

    SITE_UNREACHABLE = "site_unreachable", _("站点无法访问")
    HOME_NOT_UPDATED = "home_not_updated", _("首页不更新")
    COLUMN_NOT_UPDATED = "column_not_updated", _("栏目不更新")
    COLUMN_BLANK = "column_blank", _("空白栏目")
    DEAD_LINK = "dead_link", _("不可用链接")
    PERSONAL_DATA = "personal_data", _("泄露个人信息")
    WRONG_EXPRESSION = "wrong_expression", _("错误表述")
    SENSITIVE_WORD = "sensitive_word", _("敏感词")
    FOOTER_MISSING = "footer_missing", _("网站标识缺失")
    META_MISSING = "meta_missing", _("元数据缺失")
    INTERACTION_UNANSWERED = "interaction_unanswered", _("留言未回复")
    HTTPS_MISSING = "https_missing", _("未支持HTTPS")
    IPV6_MISSING = "ipv6_missing", _("未支持IPv6")
    ACCESSIBILITY = "accessibility", _("无障碍问题")
    ACCOUNT_NOT_UPDATED = "account_not_updated", _("新媒体账号不更新")
    ACCOUNT_DUPLICATE = "account_duplicate", _("同一平台重复开设账号")


#: rules whose evidence is page content: they get a screenshot
CONTENT_RULES = {Rule.PERSONAL_DATA, Rule.WRONG_EXPRESSION, Rule.SENSITIVE_WORD}


class Severity(models.TextChoices):
    VETO = "veto", _("单项否决")
    DEDUCTION = "deduction", _("扣分")
    NOTICE = "notice", _("提示")


class FindingStatus(models.TextChoices):
    NEW = "new", _("待审核")
    CONFIRMED = "confirmed", _("已确认")
    DISMISSED = "dismissed", _("误报")
    FIXED = "fixed", _("已整改")
    GONE = "gone", _("已消失")


def may_review(finding, user) -> bool:
    """The office over the unit reviews; never whoever created the rule (e.g. the word list)."""
    if finding.rule_creator_id is not None and finding.rule_creator_id == getattr(user, "pk", None):
        return False
    return oversees(finding, user)


@condition(_("误报须说明理由"))
def has_dismiss_reason(finding) -> bool:
    return bool((finding.dismiss_reason or "").strip())


class Finding(ConcurrentTransitionMixin, models.Model):
    """A problem found by a check, with its evidence; counts only once a person confirmed it."""

    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE, related_name="findings")
    column = models.ForeignKey(Column, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings")
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("规则"), max_length=30, choices=Rule.choices, db_index=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    confidence = models.FloatField(_("置信度"), default=1.0)
    url = models.URLField(_("页面地址"), max_length=1000, blank=True)
    column_name = models.CharField(_("栏目"), max_length=60, blank=True)
    evidence = models.TextField(_("证据"), blank=True)  # quoted text, shown as it is
    # what a check found, written by the system: a message of gongkai.core.messages, shown in the visitor's language
    evidence_msg = models.JSONField(_("证据说明"), default=dict, blank=True)
    context = models.TextField(_("上下文"), blank=True)
    html_sha256 = models.CharField(_("页面哈希"), max_length=64, blank=True)
    screenshot = models.FileField(
        _("截图"), upload_to="monitoring/screenshots/%Y/%m/", storage=private_storage, blank=True
    )
    fingerprint = models.CharField(max_length=64, db_index=True)
    rule_creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    word_entry = models.ForeignKey("WordEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_seen_at = models.DateTimeField(_("首次发现"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近发现"), default=timezone.now)
    observed_on = models.DateField(_("检查基准日"), default=timezone.localdate)
    crawl = models.ForeignKey(Crawl, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = FSMField(_("状态"), default=FindingStatus.NEW, choices=FindingStatus.choices, protected=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.CharField(_("误报理由"), max_length=300, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("监测发现")
        verbose_name_plural = _("监测发现")
        ordering = ["-last_seen_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["site", "fingerprint"])]

    @property
    def evidence_text(self) -> str:
        """The evidence in the active language (a system message translated, quoted text as it is)."""
        from gongkai.core.messages import render

        return render(self.evidence_msg) if self.evidence_msg else self.evidence

    def __str__(self) -> str:
        return f"{self.get_rule_display()} · {self.url or self.site or self.account}"

    @property
    def counts(self) -> bool:
        return self.status == FindingStatus.CONFIRMED

    @transition(field=status, source=FindingStatus.NEW, target=FindingStatus.CONFIRMED, permission=may_review)
    def confirm(self):
        pass

    @transition(
        field=status,
        source=[FindingStatus.NEW, FindingStatus.CONFIRMED],
        target=FindingStatus.DISMISSED,
        permission=may_review,
        conditions=[has_dismiss_reason],
    )
    def dismiss(self):
        pass

    @transition(field=status, source=FindingStatus.CONFIRMED, target=FindingStatus.FIXED)
    def mark_fixed(self):
        pass

    @transition(field=status, source=FindingStatus.NEW, target=FindingStatus.GONE)
    def mark_gone(self):
        pass


class WordKind(models.TextChoices):
    WRONG = "wrong", _("规范表述（错误写法）")
    CONFUSABLE = "confusable", _("易混淆词")
    SENSITIVE = "sensitive", _("敏感词")


class WordList(models.Model):
    """A configurable word list; its creator may not review the findings it produces."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=WordKind.choices)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("词表")
        verbose_name_plural = _("词表")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class WordEntry(models.Model):
    word_list = models.ForeignKey(WordList, on_delete=models.CASCADE, related_name="entries")
    text = models.CharField(_("词语"), max_length=60)
    correct = models.CharField(_("正确写法"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["word_list", "text"]
        constraints = [models.UniqueConstraint(fields=["word_list", "text"], name="monitoring_word_unique")]

    def __str__(self) -> str:
        return self.text


class AllowedPhrase(models.Model):
    """A phrase a site may use although it contains a listed word (e.g. a proper name)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="allowed_phrases")
    text = models.CharField(_("允许的词语"), max_length=100)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "text"], name="monitoring_allowed_unique")]

    def __str__(self) -> str:
        return self.text


__all__ = ["Role"]

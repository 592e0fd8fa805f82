"""From observations to findings: the inspection rules of 国办秘函〔2019〕19号 (RULES.md).

=====================  ========================================================  ==========
rule                   when                                                      severity
=====================  ========================================================  ==========
site_unreachable       ≥ 5 % of the probes of the last 7 days failed or took ≥15 s  veto
home_not_updated       newest date on the home page older than 2 weeks           veto
column_not_updated     news column > 2 weeks, notice/policy > 6 months, other    deduction;
                       > 6 months (undated = not updated); veto when ≥ 5 news/    veto at the
                       notice/policy columns or ≥ 10 columns in all are stale     thresholds
column_blank           0 items or 暂无信息; veto when ≥ 5 columns are blank       deduction/veto
dead_link              404/410/5xx/connection error (403/429 = blocked, not dead)  deduction
personal_data          ID number (check digit), mobile, bank card (Luhn)           deduction
wrong_expression       规范表述 or confusable pair from a word list                deduction
sensitive_word         sensitive word list                                        veto
footer_missing         主办单位 / 网站标识码 / ICP备案 / 公安备案 absent (or code ≠ registry)  deduction
meta_missing           SiteName, SiteDomain, SiteIDCode (+ColumnName, ArticleTitle, PubDate)  notice
interaction_unanswered unanswered > 3 months (veto); > 5 working days (deduction)  veto/deduction
https_missing          no TLS on the site's host                                  deduction
ipv6_missing           no IPv6 address that accepts a connection                  notice
accessibility          axe violations on sampled pages (tasks.accessibility)       notice
=====================  ========================================================  ==========

Periods (2 weeks, 6 months, 3 months, 5 working days) are ``core.LegalPeriod`` rows, passed in
as ``due(start, code)``; counts are :class:`Thresholds` (settings).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from gongkai.core.messages import N_, join, message, render

from . import extract
from .crawl import ColumnResult, SiteReport

Due = Callable[[dt.date, str], dt.date]

VETO, DEDUCTION, NOTICE = "veto", "deduction", "notice"

PERIOD_BY_KIND = {
    "news": "monitoring.column_news",
    "notice": "monitoring.column_notice",
    "policy": "monitoring.column_notice",
    "interpretation": "monitoring.column_other",
    "disclosure": "monitoring.column_other",
    "other": "monitoring.column_other",
}
NEWS_LIKE = {"news", "notice", "policy"}
HOME_META = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_META = (*HOME_META, "ColumnName")
ARTICLE_META = (*COLUMN_META, "ArticleTitle", "PubDate")


@dataclass(frozen=True)
class Thresholds:
    unreachable_ratio: float = 0.05
    news_stale_veto: int = 5
    stale_veto: int = 10
    blank_veto: int = 5

    @classmethod
    def from_settings(cls) -> Thresholds:
        from django.conf import settings

        return cls(
            unreachable_ratio=settings.GONGKAI_MONITORING_UNREACHABLE_RATIO,
            news_stale_veto=settings.GONGKAI_MONITORING_NEWS_STALE_VETO,
            stale_veto=settings.GONGKAI_MONITORING_STALE_VETO,
            blank_veto=settings.GONGKAI_MONITORING_BLANK_VETO,
        )


@dataclass
class FindingData:
    rule: str
    severity: str
    url: str = ""
    column: str = ""
    evidence: dict | str = ""  # a message (gongkai.core.messages), translated when shown
    context: str = ""
    confidence: float = 1.0
    key: str = ""
    sha256: str = ""
    column_id: int | None = None
    entry_id: int | None = None
    creator_id: int | None = None

    @property
    def evidence_text(self) -> str:
        return render(self.evidence)

    def fingerprint(self, site_key: str) -> str:
        raw = "\x1f".join([site_key, self.rule, self.key or "", self.url if self.rule in URL_BOUND else ""])
        return hashlib.sha256(raw.encode()).hexdigest()

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "url": self.url or None,
            "column": self.column or None,
            "evidence": self.evidence_text,
        }


#: rules whose identity includes the page (the same word on two pages = two findings)
URL_BOUND = {"personal_data", "wrong_expression", "sensitive_word", "meta_missing", "accessibility"}


@dataclass
class Availability:
    probes: int
    failed: int
    days: int = 7

    @property
    def ratio(self) -> float:
        return self.failed / self.probes if self.probes else 0.0


@dataclass
class Context:
    as_of: dt.date
    due: Due
    thresholds: Thresholds = field(default_factory=Thresholds)
    availability: Availability | None = None
    registered_code: str = ""
    interaction_rows: list[tuple[dt.date | None, dt.date | None, bool]] | None = None
    interaction_url: str = ""


def evaluate(report: SiteReport, ctx: Context) -> list[FindingData]:
    out: list[FindingData] = []
    out += availability(report, ctx)
    if report.unreachable:
        return out
    out += home_freshness(report, ctx)
    out += columns(report.columns, ctx)
    out += dead_links(report)
    out += footer(report, ctx)
    out += meta(report)
    out += content(report)
    out += interaction(report, ctx)
    out += transport(report)
    return out


def availability(report: SiteReport, ctx: Context) -> list[FindingData]:
    a = ctx.availability
    if a is None:
        if not report.unreachable:
            return []
        home = report.home
        why = (home.error if home and home.error else f"HTTP {home.status}") if home else message(N_("未访问"))
        return [
            FindingData(
                "site_unreachable",
                VETO,
                report.home_url,
                evidence=message(N_("首页无法访问（%(why)s）"), why=why),
                key="unreachable",
            )
        ]
    if a.probes and a.ratio >= ctx.thresholds.unreachable_ratio:
        pct = round(100 * a.ratio, 1)
        return [
            FindingData(
                "site_unreachable",
                VETO,
                report.home_url,
                evidence=message(
                    N_(
                        "近%(days)s天监测%(probes)s次，%(failed)s次无法访问或超过15秒（%(pct)s%%，达到%(limit)s否决标准）"
                    ),
                    days=str(a.days),
                    probes=str(a.probes),
                    failed=str(a.failed),
                    pct=str(pct),
                    limit=f"{ctx.thresholds.unreachable_ratio:.0%}",
                ),
                key="unreachable",
            )
        ]
    return []


def _newest(dates: Iterable[dt.date], as_of: dt.date) -> dt.date | None:
    past = [d for d in dates if d <= as_of]
    return max(past) if past else None


def column_newest(c: ColumnResult, as_of: dt.date) -> dt.date | None:
    """The newest item date on or before ``as_of`` (a future 施行日期 is not an update)."""
    return _newest(c.dates or ([c.latest] if c.latest else []), as_of)


def stale(latest: dt.date | None, code: str, ctx: Context) -> bool:
    """Not updated within the period after its newest item (an undated list is not updated)."""
    return latest is None or ctx.due(latest, code) < ctx.as_of


def home_freshness(report: SiteReport, ctx: Context) -> list[FindingData]:
    latest = _newest(report.home_dates, ctx.as_of)
    if not stale(latest, "monitoring.home_update", ctx):
        return []
    evidence = (
        message(N_("首页最新信息日期为%(date)s，超过2周未更新"), date=f"{latest:%Y-%m-%d}")
        if latest
        else message(N_("首页未发现带日期的信息（视为未更新）"))
    )
    return [
        FindingData("home_not_updated", VETO, report.home_url, evidence=evidence, key="home", sha256=report.home.sha256)
    ]


def columns(results: list[ColumnResult], ctx: Context) -> list[FindingData]:
    t = ctx.thresholds
    stale_cols, blank_cols, broken = [], [], []
    for c in results:
        if c.page is None:
            continue
        if not c.reachable:
            broken.append(c)
            continue
        if c.items == 0 or c.says_empty:
            blank_cols.append(c)
            continue
        code = PERIOD_BY_KIND.get(c.spec.kind)
        if code and stale(column_newest(c, ctx.as_of), code, ctx):
            stale_cols.append(c)
    news_like = sum(1 for c in stale_cols if c.spec.kind in NEWS_LIKE)
    stale_veto = news_like >= t.news_stale_veto or len(stale_cols) >= t.stale_veto
    blank_veto = len(blank_cols) >= t.blank_veto
    out = []
    for c in stale_cols:
        newest = column_newest(c, ctx.as_of)
        when = (
            message(N_("最新信息日期为%(date)s"), date=f"{newest:%Y-%m-%d}")
            if newest
            else message(N_("栏目条目均无日期（视为未更新）"))
        )
        window = message(N_("2周")) if c.spec.kind == "news" else message(N_("6个月"))
        summary = message(
            N_("；本站动态要闻/通知公告/政策文件类不更新栏目%(news)s个，不更新栏目共%(total)s个%(veto)s"),
            news=str(news_like),
            total=str(len(stale_cols)),
            veto=message(N_("（达到单项否决标准）")) if stale_veto else "",
        )
        out.append(
            FindingData(
                "column_not_updated",
                VETO if stale_veto else DEDUCTION,
                c.spec.list_url,
                c.spec.name,
                message(
                    N_("“%(column)s”%(when)s，超过%(window)s未更新%(summary)s"),
                    column=c.spec.name,
                    when=when,
                    window=window,
                    summary=summary,
                ),
                key=f"column:{c.spec.list_url}",
                sha256=c.page.sha256,
                column_id=c.spec.column_id,
            )
        )
    for c in blank_cols:
        why = message(N_("显示“暂无信息”")) if c.says_empty else message(N_("没有任何条目"))
        summary = message(
            N_("；本站空白栏目共%(total)s个%(veto)s"),
            total=str(len(blank_cols)),
            veto=message(N_("（达到单项否决标准）")) if blank_veto else "",
        )
        out.append(
            FindingData(
                "column_blank",
                VETO if blank_veto else DEDUCTION,
                c.spec.list_url,
                c.spec.name,
                message(N_("“%(column)s”%(why)s%(summary)s"), column=c.spec.name, why=why, summary=summary),
                key=f"blank:{c.spec.list_url}",
                sha256=c.page.sha256,
                column_id=c.spec.column_id,
            )
        )
    for c in broken:
        why = c.page.error or f"HTTP {c.page.status}"
        out.append(
            FindingData(
                "dead_link",
                DEDUCTION,
                c.spec.list_url,
                c.spec.name,
                message(N_("栏目列表页无法打开（%(why)s）"), why=why),
                key=f"link:{c.spec.list_url}",
                column_id=c.spec.column_id,
            )
        )
    return out


def dead_links(report: SiteReport) -> list[FindingData]:
    out = []
    home = report.home_url.rstrip("/")
    for d in report.dead_links:
        on_home = d.page_url.rstrip("/") == home
        what = {"image": N_("图片"), "attachment": N_("附件")}.get(d.kind, N_("链接"))
        why = d.error or f"HTTP {d.status}"
        out.append(
            FindingData(
                "dead_link",
                DEDUCTION,
                d.page_url,
                evidence=message(
                    N_("首页%(what)s不可用：%(url)s（%(why)s）")
                    if on_home
                    else N_("页面%(what)s不可用：%(url)s（%(why)s）"),
                    what=message(what),
                    url=d.url,
                    why=why,
                ),
                key=f"link:{d.url}",
            )
        )
    return out


def footer(report: SiteReport, ctx: Context) -> list[FindingData]:
    out = []
    for key, label in extract.FOOTER_LABELS.items():
        if key not in report.footer:
            out.append(
                FindingData(
                    "footer_missing",
                    DEDUCTION,
                    report.home_url,
                    evidence=message(N_("网站底部未标注%(label)s"), label=message(label)),
                    key=f"footer:{key}",
                )
            )
    code = report.footer.get("site_code")
    if code and ctx.registered_code and code != ctx.registered_code:
        out.append(
            FindingData(
                "footer_missing",
                DEDUCTION,
                report.home_url,
                evidence=message(
                    N_("网站标识码%(code)s与登记的%(registered)s不符"), code=code, registered=ctx.registered_code
                ),
                key="footer:site_code_mismatch",
            )
        )
    return out


def meta(report: SiteReport) -> list[FindingData]:
    out = []
    pages = [(report.home, HOME_META)] if report.home else []
    pages += [(c.page, COLUMN_META) for c in report.columns if c.page and c.reachable]
    for page, wanted in pages:
        missing = [m for m in wanted if not page.meta.get(m)]
        if missing:
            names = join(missing, N_("、"))
            evidence = (
                message(N_("首页缺少元数据：%(names)s"), names=names)
                if page.kind == "home"
                else message(N_("栏目页“%(column)s”缺少元数据：%(names)s"), column=page.column, names=names)
            )
            out.append(FindingData("meta_missing", NOTICE, page.url, page.column, evidence, key="meta"))
    articles = [p for p in report.pages if not p.error and (p.status or 0) < 400]
    lacking = [(p, [m for m in ARTICLE_META if not p.meta.get(m)]) for p in articles]
    lacking = [(p, m) for p, m in lacking if m]
    if lacking:
        first, missing = lacking[0]
        out.append(
            FindingData(
                "meta_missing",
                NOTICE,
                first.url,
                first.column,
                message(
                    N_("%(count)s篇文章页缺少元数据（如：%(names)s）"),
                    count=str(len(lacking)),
                    names=join(missing, N_("、")),
                ),
                key="meta:articles",
            )
        )
    return out


def content(report: SiteReport) -> list[FindingData]:
    severity = {"personal_data": DEDUCTION, "wrong_expression": DEDUCTION, "sensitive_word": VETO}
    out, seen = [], set()
    for h in report.hits:
        if (h.rule, h.url, h.key) in seen:
            continue
        seen.add((h.rule, h.url, h.key))
        out.append(
            FindingData(
                h.rule,
                severity[h.rule],
                h.url,
                h.column,
                h.evidence,
                h.context,
                h.confidence,
                h.key,
                h.sha256,
                entry_id=h.entry_id,
                creator_id=h.creator_id,
            )
        )
    return out


def interaction(report: SiteReport, ctx: Context) -> list[FindingData]:
    sources = [(c.spec, c.rows) for c in report.columns if c.spec.kind == "interaction" and c.rows]
    if ctx.interaction_rows is not None:
        from .crawl import ColumnSpec

        sources.append(
            (ColumnSpec("本平台留言咨询", "interaction", ctx.interaction_url or report.home_url), ctx.interaction_rows)
        )
    out = []
    for spec, rows in sources:
        veto, slow = interaction_counts(rows, ctx)
        if veto:
            out.append(
                FindingData(
                    "interaction_unanswered",
                    VETO,
                    spec.list_url,
                    spec.name,
                    message(N_("“%(column)s”有%(count)s条留言超过3个月未回复"), column=spec.name, count=str(veto)),
                    key=f"interaction:veto:{spec.list_url}",
                    column_id=spec.column_id,
                )
            )
        if slow:
            out.append(
                FindingData(
                    "interaction_unanswered",
                    DEDUCTION,
                    spec.list_url,
                    spec.name,
                    message(
                        N_("“%(column)s”有%(count)s条留言超过5个工作日未回复或答复"), column=spec.name, count=str(slow)
                    ),
                    key=f"interaction:slow:{spec.list_url}",
                    column_id=spec.column_id,
                )
            )
    return out


def interaction_counts(rows, ctx: Context) -> tuple[int, int]:
    """(unanswered beyond 3 months, answered or pending beyond 5 working days but not vetoed)."""
    veto = slow = 0
    for asked, replied, unanswered in rows:
        if asked is None:
            continue
        if unanswered and replied is None:
            if ctx.due(asked, "monitoring.interaction_veto") < ctx.as_of:
                veto += 1
            elif ctx.due(asked, "monitoring.interaction_reply") < ctx.as_of:
                slow += 1
        elif replied is not None and ctx.due(asked, "monitoring.interaction_reply") < replied:
            slow += 1
    return veto, slow


def transport(report: SiteReport) -> list[FindingData]:
    out = []
    if report.https is False:
        out.append(
            FindingData(
                "https_missing", DEDUCTION, report.home_url, evidence=message(N_("网站未提供HTTPS访问")), key="https"
            )
        )
    if report.ipv6 is False:
        out.append(
            FindingData(
                "ipv6_missing", NOTICE, report.home_url, evidence=message(N_("网站域名无可连接的IPv6地址")), key="ipv6"
            )
        )
    return out

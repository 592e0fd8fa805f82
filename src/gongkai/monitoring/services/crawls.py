"""Probes (availability), crawls and their findings, the one-off check, accessibility results."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from gongkai.core import aio, audit, deadlines, transitions
from gongkai.core.messages import N_, is_message, join, message
from gongkai.core.models import Organisation

from ..audit_actions import AuditAction
from ..engine import crawl as engine
from ..engine import rules
from ..engine.fetch import Limits
from ..models import (
    Column,
    ColumnStatus,
    Crawl,
    Finding,
    FindingStatus,
    Probe,
    Site,
    SiteStatus,
)
from .registry import columns_propose, normalise_url, scanner, site_register

log = logging.getLogger(__name__)


@transaction.atomic
def probes_plan(*, day: dt.date, per_day: int | None = None, seed: int | None = None) -> int:
    """Plan ``per_day`` probes at random times of ``day`` for every active site (idempotent per day)."""
    per_day = per_day or settings.GONGKAI_MONITORING_PROBES_PER_DAY
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    created = 0
    for site in Site.objects.filter(status=SiteStatus.ACTIVE):
        if Probe.objects.filter(site=site, planned_at__gte=start, planned_at__lt=start + dt.timedelta(days=1)).exists():
            continue
        rng = random.Random(f"{seed}:{site.pk}:{day}" if seed is not None else None)
        seconds = sorted(rng.randrange(86400) for _ in range(per_day))
        Probe.objects.bulk_create([Probe(site=site, planned_at=start + dt.timedelta(seconds=s)) for s in seconds])
        created += per_day
    return created


def probe_run(probe: Probe, *, limits: Limits | None = None) -> Probe:
    """Fetch the home page once (15 s budget); ≥ 15 s or an error or HTTP ≥ 400 is a failure."""
    from ..engine.fetch import Fetcher

    limits = limits or Limits.from_settings()
    url = probe.site.home_url  # read before the event loop: the ORM is not used inside it

    async def go():
        async with Fetcher(limits) as f:
            return await f.fetch(url, html=False, max_bytes=256 * 1024)

    got = aio.run(go())
    ok = got.ok and got.elapsed < settings.GONGKAI_MONITORING_TIMEOUT
    Probe.objects.filter(pk=probe.pk).update(
        done_at=timezone.now(), ok=ok, status_code=got.status, elapsed_ms=int(got.elapsed * 1000), error=got.error[:200]
    )
    probe.refresh_from_db()
    return probe


def availability(site: Site, *, until: dt.datetime | None = None, days: int = 7) -> rules.Availability | None:
    until = until or timezone.now()
    qs = Probe.objects.filter(
        site=site, done_at__isnull=False, done_at__gt=until - dt.timedelta(days=days), done_at__lte=until
    )
    total = qs.count()
    if not total:
        return None
    return rules.Availability(probes=total, failed=qs.filter(ok=False).count(), days=days)


def spec_for(site: Site, *, propose: bool = True) -> engine.SiteSpec:
    confirmed = site.columns.filter(status=ColumnStatus.CONFIRMED)
    cols = [engine.ColumnSpec(c.name, c.kind, c.list_url, c.item_selector, c.pk) for c in confirmed]
    if not cols and propose:
        cols = [
            engine.ColumnSpec(c.name, c.kind, c.list_url, c.item_selector, c.pk)
            for c in site.columns.filter(status=ColumnStatus.PROPOSED)
        ]
    return engine.SiteSpec(
        home_url=site.home_url,
        site_id=site.pk,
        columns=cols,
        propose_columns=not site.columns.exclude(status=ColumnStatus.REJECTED).exists(),
        allowed=tuple(site.allowed_phrases.values_list("text", flat=True)),
    )


def _due(start: dt.date, code: str) -> dt.date:
    return deadlines.due_date(start, code)


def crawl_sites(
    site_ids, *, as_of: dt.date | None = None, reason: str = "daily", limits: Limits | None = None, actor=None
) -> list[tuple[Crawl, list[Finding]]]:
    """Crawl sites concurrently, then persist each report (one transaction per site)."""
    sites = list(Site.objects.filter(pk__in=list(site_ids)).select_related("unit"))
    if not sites:
        return []
    limits = limits or Limits.from_settings()
    as_of = as_of or timezone.localdate()
    specs = [spec_for(s) for s in sites]
    reports = aio.run(engine.crawl_sites(specs, limits, scanner()))
    out = []
    for site, report in zip(sites, reports, strict=True):
        try:
            out.append(crawl_persist(site=site, report=report, as_of=as_of, reason=reason, actor=actor))
        except Exception:
            log.exception("persisting the crawl of %s failed", site.home_url)
    return out


def _interaction_rows(site: Site):
    if not site.is_own_portal:
        return None
    from gongkai.interaction import selectors as interaction_selectors

    return interaction_selectors.consult_reply_rows()


@transaction.atomic
def crawl_persist(
    *, site: Site, report: engine.SiteReport, as_of: dt.date, reason: str = "daily", actor=None
) -> tuple[Crawl, list[Finding]]:
    site = Site.objects.select_for_update().get(pk=site.pk)
    now = timezone.now()
    crawl = Crawl.objects.create(
        site=site,
        as_of=as_of,
        started_at=now - dt.timedelta(seconds=report.elapsed),
        finished_at=now,
        pages=report.fetched,
        reason=reason,
        error=("timed out" if report.timed_out else ""),
        stats={
            "bytes": report.bytes,
            "elapsed": round(report.elapsed, 3),
            "links_checked": report.links_checked,
            "blocked_links": report.blocked_links,
            "attachments": len(report.attachments),
            "timed_out": report.timed_out,
        },
    )
    if report.proposed and not site.columns.exists():
        columns_propose(actor=None, site=site, proposed=report.proposed)
    column_ids = {c.list_url: c.pk for c in site.columns.all()}
    for c in report.columns:
        cid = c.spec.column_id or column_ids.get(c.spec.list_url)
        if cid and c.reachable:
            newest = rules.column_newest(c, as_of)
            Column.objects.filter(pk=cid).update(last_item_on=newest, item_count=c.items, last_checked_at=now)
    ctx = rules.Context(
        as_of=as_of,
        due=_due,
        thresholds=rules.Thresholds.from_settings(),
        availability=availability(site),
        registered_code=site.site_code,
        interaction_rows=_interaction_rows(site),
        interaction_url=site.home_url,
    )
    data = rules.evaluate(report, ctx)
    findings, fingerprints = [], set()
    for fd in data:
        fd.column_id = fd.column_id or column_ids.get(fd.url)
        finding = _upsert(site, crawl, fd, now, as_of)
        fingerprints.add(finding.fingerprint)
        findings.append(finding)
    resolved = _resolve_missing(site, report, fingerprints, now)
    crawl.findings = len(findings)
    crawl.stats["resolved"] = resolved
    crawl.save(update_fields=["findings", "stats"])
    site.last_crawled_at = now
    site.save(update_fields=["last_crawled_at"])
    audit.record(
        actor=actor,
        action=AuditAction.CRAWL_FINISH,
        obj=crawl,
        unit=site.unit,
        after={
            "site": site.pk,
            "reason": reason,
            "pages": report.fetched,
            "findings": len(findings),
            "resolved": resolved,
        },
    )
    fresh = [
        f.pk
        for f in findings
        if f.first_seen_at == now and f.rule in ("personal_data", "wrong_expression", "sensitive_word")
    ]
    if fresh and settings.GONGKAI_MONITORING_SCREENSHOTS:
        from .. import tasks

        transaction.on_commit(lambda: tasks.screenshot_findings.delay(fresh))
    return crawl, findings


def _source_label(label) -> str:
    """A choice label in 简体 (its msgid), to be stored in a message and translated when shown."""
    with translation.override("zh-hans"):
        return str(label())


def _evidence_fields(fd: rules.FindingData) -> dict:
    """A message goes to ``evidence_msg`` (translated when shown); plain text stays in ``evidence``."""
    if is_message(fd.evidence):
        return {"evidence": "", "evidence_msg": fd.evidence}
    return {"evidence": fd.evidence or "", "evidence_msg": {}}


def _upsert(site: Site, crawl: Crawl, fd: rules.FindingData, now, as_of) -> Finding:
    fp = fd.fingerprint(str(site.pk))
    existing = Finding.objects.filter(site=site, fingerprint=fp).order_by("-pk").first()
    if existing is not None and existing.status in (
        FindingStatus.NEW,
        FindingStatus.CONFIRMED,
        FindingStatus.DISMISSED,
    ):
        fields = {"last_seen_at": now, "crawl": crawl, "observed_on": as_of}
        if existing.status != FindingStatus.DISMISSED:
            fields.update(
                severity=fd.severity,
                **_evidence_fields(fd),
                context=fd.context,
                html_sha256=fd.sha256,
                confidence=fd.confidence,
            )
        Finding.objects.filter(pk=existing.pk).update(**fields)
        existing.refresh_from_db()
        return existing
    return Finding.objects.create(
        site=site,
        unit=site.unit,
        column_id=fd.column_id,
        rule=fd.rule,
        severity=fd.severity,
        confidence=fd.confidence,
        url=fd.url[:1000],
        column_name=fd.column[:60],
        **_evidence_fields(fd),
        context=fd.context,
        html_sha256=fd.sha256,
        fingerprint=fp,
        rule_creator_id=fd.creator_id,
        word_entry_id=fd.entry_id,
        first_seen_at=now,
        last_seen_at=now,
        observed_on=as_of,
        crawl=crawl,
    )


def _checked_urls(report: engine.SiteReport) -> set[str]:
    urls = {report.home_url}
    urls |= {c.spec.list_url for c in report.columns if c.page is not None and c.reachable}
    urls |= {p.url for p in report.pages if not p.error}
    urls |= set(report.attachments)
    return urls


def _resolve_missing(site: Site, report: engine.SiteReport, seen: set[str], now) -> int:
    """Open findings this crawl looked for and did not find again: confirmed → fixed, new → gone.

    A crawl that timed out or could not reach the site resolves nothing; page-bound findings are
    resolved only when their page was fetched again.
    """
    if report.timed_out or report.unreachable:
        return 0
    checked = _checked_urls(report)
    resolved = 0
    for f in Finding.objects.filter(site=site, status__in=[FindingStatus.NEW, FindingStatus.CONFIRMED]).exclude(
        fingerprint__in=seen
    ):
        if f.rule in rules.URL_BOUND and f.url and f.url not in checked:
            continue
        if f.rule == "accessibility":
            continue  # checked by its own task
        name, action = (
            ("mark_fixed", AuditAction.FINDING_FIXED)
            if f.status == FindingStatus.CONFIRMED
            else ("mark_gone", AuditAction.FINDING_GONE)
        )
        transitions.run(
            f,
            name,
            actor=None,
            action=action,
            update=lambda x: setattr(x, "resolved_at", now),
            snapshot_fields=["status"],
        )
        resolved += 1
    return resolved


def check_once(
    url: str,
    *,
    as_of: dt.date | None = None,
    max_pages: int | None = None,
    unit: Organisation | None = None,
    actor=None,
) -> tuple[Site, Crawl, list[Finding]]:
    """The one-off check: register the site if new, propose its columns, crawl once."""
    url = normalise_url(url)
    site = Site.objects.filter(home_url=url).first() or site_register(actor=actor, home_url=url, unit=unit)
    limits = Limits.from_settings(max_pages=max_pages)
    results = crawl_sites([site.pk], as_of=as_of, reason="check", limits=limits, actor=actor)
    if not results:
        raise RuntimeError("the crawl could not be saved")
    crawl, findings = results[0]
    return site, crawl, findings


@transaction.atomic
def accessibility_record(*, site: Site, results: list[tuple[str, list[dict]]], as_of: dt.date) -> list[Finding]:
    now = timezone.now()
    crawl = Crawl.objects.create(site=site, as_of=as_of, finished_at=now, pages=len(results), reason="accessibility")
    out = []
    for url, violations in results:
        if not violations:
            continue
        ids = join(
            [
                message(
                    N_("%(rule)s（%(impact)s，%(count)s处）"),
                    rule=v["id"],
                    impact=v.get("impact") or "-",
                    count=str(len(v.get("nodes", []))),
                )
                for v in violations[:8]
            ],
            N_("、"),
        )
        fd = rules.FindingData(
            "accessibility",
            rules.NOTICE,
            url,
            evidence=message(N_("axe 检出 %(count)s 类问题：%(rules)s"), count=str(len(violations)), rules=ids),
            key="axe",
        )
        out.append(_upsert(site, crawl, fd, now, as_of))
    audit.record(
        actor=None,
        action=AuditAction.ACCESSIBILITY_CHECK,
        obj=crawl,
        unit=site.unit,
        after={"pages": len(results), "findings": len(out)},
    )
    return out


def accounts_check(*, as_of: dt.date | None = None, limits: Limits | None = None) -> list[Finding]:
    """New-media accounts: the second active account of a unit on a platform (国办发〔2018〕123号)
    and, where a public list page (``feed_url``) gives post dates, no post within the period
    ``monitoring.account_update`` (2 weeks, 国办秘函〔2019〕19号 — the new-media rules are unverified)."""
    from ..engine import extract
    from ..engine.fetch import Fetcher
    from ..models import Account, AccountStatus
    from ..selectors import duplicate_account_ids

    as_of = as_of or timezone.localdate()
    limits = limits or Limits.from_settings()
    accounts = list(Account.objects.filter(status=AccountStatus.ACTIVE).select_related("unit"))
    feeds = {a.pk: a.feed_url for a in accounts if a.feed_url}

    async def fetch_all():
        async with Fetcher(limits) as f:
            got = await asyncio.gather(*(f.fetch(url) for url in feeds.values()))
        return dict(zip(feeds, got, strict=True))

    pages = aio.run(fetch_all()) if feeds else {}
    duplicates = duplicate_account_ids()
    out = []
    for account in accounts:
        found: list[rules.FindingData] = []
        if account.pk in duplicates:
            found.append(
                rules.FindingData(
                    "account_duplicate",
                    rules.DEDUCTION,
                    account.feed_url,
                    evidence=message(
                        N_("%(unit)s在%(platform)s已有运营中的账号，“%(account)s”为重复开设"),
                        unit=account.unit.name,
                        platform=message(_source_label(account.get_platform_display)),
                        account=account.name,
                    ),
                    key="duplicate",
                )
            )
        got = pages.get(account.pk)
        if got is not None and got.ok and got.is_html:
            dates = [d for d in extract.find_dates(extract.visible_text(extract.parse(got.text))) if d <= as_of]
            newest = max(dates) if dates else None
            Account.objects.filter(pk=account.pk).update(last_post_on=newest)
            if newest is None or _due(newest, "monitoring.account_update") < as_of:
                when = (
                    message(N_("最近发文日期为%(date)s"), date=f"{newest:%Y-%m-%d}")
                    if newest
                    else message(N_("内容页面未发现发文日期"))
                )
                found.append(
                    rules.FindingData(
                        "account_not_updated",
                        rules.VETO,
                        account.feed_url,
                        evidence=message(N_("“%(account)s”%(when)s，超过2周未更新"), account=account.name, when=when),
                        key="stale",
                    )
                )
        with transaction.atomic():
            for fd in found:
                out.append(_upsert_account(account, fd, as_of))
    return out


def _upsert_account(account, fd: rules.FindingData, as_of: dt.date) -> Finding:
    now = timezone.now()
    fp = fd.fingerprint(f"account:{account.pk}")
    existing = Finding.objects.filter(account=account, fingerprint=fp).order_by("-pk").first()
    if existing is not None and existing.status in (
        FindingStatus.NEW,
        FindingStatus.CONFIRMED,
        FindingStatus.DISMISSED,
    ):
        Finding.objects.filter(pk=existing.pk).update(last_seen_at=now, observed_on=as_of)
        existing.refresh_from_db()
        return existing
    return Finding.objects.create(
        account=account,
        unit=account.unit,
        rule=fd.rule,
        severity=fd.severity,
        url=fd.url[:1000],
        **_evidence_fields(fd),
        fingerprint=fp,
        first_seen_at=now,
        last_seen_at=now,
        observed_on=as_of,
    )

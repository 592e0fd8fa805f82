"""Every state change of the monitoring app: registry, columns, accounts, crawls, findings, word lists.

Crawls run the network part outside any transaction (``crawl_sites``) and persist each site's
report in its own transaction (``crawl_persist``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, deadlines, permissions, transitions
from gongkai.core.models import Organisation, Role

from .audit_actions import AuditAction
from .engine import crawl as engine
from .engine import rules
from .engine.fetch import Limits
from .engine.words import Entry, Scanner
from .models import (
    Account,
    AccountStatusChange,
    AllowedPhrase,
    Column,
    ColumnKind,
    ColumnStatus,
    Crawl,
    Finding,
    FindingStatus,
    Probe,
    Site,
    SiteStatus,
    WordEntry,
    WordList,
)

log = logging.getLogger(__name__)

SITE_FIELDS = ("name", "home_url", "site_code", "icp_number", "police_number", "unit", "kind", "is_own_portal")


def _require_office(actor, unit: Organisation | None) -> None:
    if actor is None:  # the system (a command, a scheduled task)
        return
    if unit is None:
        if not permissions.is_sysadmin(actor):
            raise PermissionDenied(_("只有系统管理员可以管理未指定主办单位的网站"))
        return
    permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], unit)


def normalise_url(url: str) -> str:
    url = (url or "").strip()
    if url and "://" not in url:
        url = "http://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"home_url": _("请输入有效的网址（http:// 或 https://）")}) from None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


# --- registry -----------------------------------------------------------------------------


@transaction.atomic
def site_register(*, actor, home_url: str, name: str = "", unit: Organisation | None = None, **data) -> Site:
    _require_office(actor, unit)
    url = normalise_url(home_url)
    if Site.objects.filter(home_url=url).exists():
        raise ValidationError({"home_url": _("该网站已登记")})
    unknown = set(data) - set(SITE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    site = Site(home_url=url, name=(name or urlsplit(url).netloc)[:100], unit=unit, domain=urlsplit(url).hostname or "", **data)
    site.created_by = actor if getattr(actor, "pk", None) else None
    site.full_clean(exclude=["status"])
    site.save()
    audit.record(actor=actor, action=AuditAction.SITE_REGISTER, obj=site, unit=unit, after=audit.snapshot(site))
    return site


@transaction.atomic
def site_update(*, actor, site: Site, **data) -> Site:
    site = Site.objects.select_for_update().get(pk=site.pk)
    _require_office(actor, site.unit)
    if "unit" in data:
        _require_office(actor, data["unit"])
    before = audit.snapshot(site)
    for key, value in data.items():
        if key not in SITE_FIELDS:
            raise TypeError(f"unknown field {key}")
        setattr(site, key, normalise_url(value) if key == "home_url" else value)
    site.domain = urlsplit(site.home_url).hostname or ""
    site.full_clean(exclude=["status"])
    site.save()
    audit.record(actor=actor, action=AuditAction.SITE_UPDATE, obj=site, unit=site.unit, before=before, after=audit.snapshot(site))
    return site


def _site_transition(name: str, action: str):
    @transaction.atomic
    def run(*, actor, site: Site) -> Site:
        return transitions.run(site, name, actor=actor, action=action, snapshot_fields=["status"])

    return run


site_pause = _site_transition("pause", AuditAction.SITE_PAUSE)
site_resume = _site_transition("resume", AuditAction.SITE_RESUME)
site_close = _site_transition("close", AuditAction.SITE_CLOSE)


@transaction.atomic
def ensure_own_portal(*, actor=None, url: str | None = None) -> Site | None:
    """Register gongkai's own portal (``GONGKAI_PORTAL_URL``) like any other site."""
    url = url or settings.GONGKAI_PORTAL_URL
    if not url:
        return None
    url = normalise_url(url)
    existing = Site.objects.filter(home_url=url).first() or Site.objects.filter(is_own_portal=True).first()
    if existing:
        return existing
    from gongkai.core.models import OrgKind

    root = Organisation.objects.filter(kind=OrgKind.GOVERNMENT).order_by("depth", "pk").last()
    county = Organisation.objects.filter(kind=OrgKind.GOVERNMENT, level="county").order_by("pk").first() or root
    return site_register(actor=actor, home_url=url, name=settings.GONGKAI_SITE_NAME, unit=county, kind="portal", is_own_portal=True)


# --- columns ----------------------------------------------------------------------------------


@transaction.atomic
def columns_propose(*, actor, site: Site, proposed) -> list[Column]:
    """Store the columns found in the navigation as proposals (known list URLs are kept)."""
    _require_office(actor, site.unit)
    known = set(site.columns.values_list("list_url", flat=True))
    created = []
    for p in proposed:
        if p.url in known or len(p.url) > 500:
            continue
        known.add(p.url)
        created.append(Column.objects.create(site=site, name=p.name[:60], kind=p.kind, list_url=p.url))
    if created:
        audit.record(
            actor=actor,
            action=AuditAction.COLUMN_PROPOSE,
            obj=site,
            unit=site.unit,
            after={"columns": [{"name": c.name, "kind": c.kind, "url": c.list_url} for c in created]},
        )
    return created


@transaction.atomic
def column_add(*, actor, site: Site, name: str, kind: str, list_url: str, item_selector: str = "") -> Column:
    _require_office(actor, site.unit)
    url = normalise_url(list_url)
    if site.columns.filter(list_url=url).exists():
        raise ValidationError({"list_url": _("该栏目地址已登记")})
    column = Column(site=site, name=name, kind=kind, list_url=url, item_selector=item_selector)
    column.full_clean(exclude=["status"])
    column.save()
    column = transitions.run(column, "confirm", actor=actor, action=AuditAction.COLUMN_ADD, unit=site.unit, update=lambda c: setattr(c, "confirmed_by", actor if getattr(actor, "pk", None) else None))
    return column


@transaction.atomic
def column_confirm(*, actor, column: Column, kind: str = "", name: str = "", item_selector: str | None = None) -> Column:
    if kind and kind not in ColumnKind.values:
        raise ValidationError({"kind": _("未知的栏目类型")})

    def update(c: Column) -> None:
        c.kind = kind or c.kind
        c.name = name or c.name
        if item_selector is not None:
            c.item_selector = item_selector
        c.confirmed_by = actor

    return transitions.run(column, "confirm", actor=actor, action=AuditAction.COLUMN_CONFIRM, unit=column.site.unit, update=update)


@transaction.atomic
def column_reject(*, actor, column: Column) -> Column:
    return transitions.run(column, "reject", actor=actor, action=AuditAction.COLUMN_REJECT, unit=column.site.unit)


# --- new-media accounts ----------------------------------------------------------------------


@transaction.atomic
def account_register(*, actor, unit: Organisation, platform: str, name: str, account_id: str, feed_url: str = "") -> Account:
    _require_office(actor, unit)
    if Account.objects.filter(platform=platform, account_id=account_id).exists():
        raise ValidationError({"account_id": _("该平台已登记此账号")})
    account = Account(unit=unit, platform=platform, name=name, account_id=account_id, feed_url=feed_url)
    account.full_clean(exclude=["status"])
    account.save()
    AccountStatusChange.objects.create(account=account, to_status=account.status, reason=_("登记"), actor=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action=AuditAction.ACCOUNT_REGISTER, obj=account, unit=unit, after=audit.snapshot(account))
    return account


_ACCOUNT_ACTIONS = {
    "suspend": AuditAction.ACCOUNT_SUSPEND,
    "reactivate": AuditAction.ACCOUNT_REACTIVATE,
    "close": AuditAction.ACCOUNT_CLOSE,
}


@transaction.atomic
def account_change_status(*, actor, account: Account, transition: str, reason: str = "") -> Account:
    if transition not in _ACCOUNT_ACTIONS:
        raise ValidationError(_("未知的状态变更"))
    before = account.status

    def step(a: Account) -> None:
        AccountStatusChange.objects.create(account=a, from_status=before, to_status=a.status, reason=reason, actor=actor)

    return transitions.run(account, transition, actor=actor, action=_ACCOUNT_ACTIONS[transition], step=step, snapshot_fields=["status"])


# --- word lists ---------------------------------------------------------------------------------


@transaction.atomic
def wordlist_create(*, actor, name: str, kind: str, source: str = "") -> WordList:
    if not (permissions.is_sysadmin(actor) or permissions.units_with_role(actor, Role.DISCLOSURE_OFFICE).exists()):
        raise PermissionDenied(_("只有政务公开办管理员可以维护词表"))
    wl = WordList(name=name, kind=kind, source=source, created_by=actor)
    wl.full_clean()
    wl.save()
    audit.record(actor=actor, action=AuditAction.WORDLIST_CREATE, obj=wl, after=audit.snapshot(wl))
    return wl


@transaction.atomic
def word_add(*, actor, word_list: WordList, text: str, correct: str = "", note: str = "") -> WordEntry:
    if not (permissions.is_sysadmin(actor) or permissions.units_with_role(actor, Role.DISCLOSURE_OFFICE).exists()):
        raise PermissionDenied(_("只有政务公开办管理员可以维护词表"))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写词语")})
    if word_list.entries.filter(text=text).exists():
        raise ValidationError({"text": _("词表中已有该词语")})
    entry = WordEntry.objects.create(word_list=word_list, text=text, correct=correct.strip(), note=note)
    audit.record(actor=actor, action=AuditAction.WORD_ADD, obj=entry, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def phrase_allow(*, actor, site: Site, text: str, reason: str = "") -> AllowedPhrase:
    _require_office(actor, site.unit)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写允许的词语")})
    phrase, _created = AllowedPhrase.objects.get_or_create(site=site, text=text, defaults={"reason": reason, "created_by": actor})
    audit.record(actor=actor, action=AuditAction.PHRASE_ALLOW, obj=site, unit=site.unit, after={"text": text, "reason": reason})
    return phrase


def scanner() -> Scanner:
    entries = [
        Entry(e.text, e.word_list.kind, e.correct, e.pk, e.word_list.created_by_id)
        for e in WordEntry.objects.filter(word_list__is_active=True).select_related("word_list")
    ]
    return Scanner(entries)


# --- findings review ----------------------------------------------------------------------------


@transaction.atomic
def finding_confirm(*, actor, finding: Finding) -> Finding:
    def update(f: Finding) -> None:
        f.reviewed_by, f.reviewed_at = actor, timezone.now()

    return transitions.run(finding, "confirm", actor=actor, action=AuditAction.FINDING_CONFIRM, update=update, snapshot_fields=["status", "reviewed_by"])


@transaction.atomic
def finding_dismiss(*, actor, finding: Finding, reason: str) -> Finding:
    """A false positive: it stays dismissed for that page and text (same fingerprint)."""
    reason = (reason or "").strip()
    # the transition's condition reads the reason being given; a refusal rolls this back
    Finding.objects.filter(pk=finding.pk).update(dismiss_reason=reason[:300])

    def update(f: Finding) -> None:
        f.reviewed_by, f.reviewed_at = actor, timezone.now()

    return transitions.run(
        finding, "dismiss", actor=actor, action=AuditAction.FINDING_DISMISS, update=update, snapshot_fields=["status", "dismiss_reason"]
    )


# --- probes (availability) -----------------------------------------------------------------------


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
    from .engine.fetch import Fetcher

    limits = limits or Limits.from_settings()
    url = probe.site.home_url  # read before the event loop: the ORM is not used inside it

    async def go():
        async with Fetcher(limits) as f:
            return await f.fetch(url, html=False, max_bytes=256 * 1024)

    got = asyncio.run(go())
    ok = got.ok and got.elapsed < settings.GONGKAI_MONITORING_TIMEOUT
    Probe.objects.filter(pk=probe.pk).update(
        done_at=timezone.now(), ok=ok, status_code=got.status, elapsed_ms=int(got.elapsed * 1000), error=got.error[:200]
    )
    probe.refresh_from_db()
    return probe


def availability(site: Site, *, until: dt.datetime | None = None, days: int = 7) -> rules.Availability | None:
    until = until or timezone.now()
    qs = Probe.objects.filter(site=site, done_at__isnull=False, done_at__gt=until - dt.timedelta(days=days), done_at__lte=until)
    total = qs.count()
    if not total:
        return None
    return rules.Availability(probes=total, failed=qs.filter(ok=False).count(), days=days)


# --- crawls ------------------------------------------------------------------------------------


def spec_for(site: Site, *, propose: bool = True) -> engine.SiteSpec:
    confirmed = site.columns.filter(status=ColumnStatus.CONFIRMED)
    cols = [engine.ColumnSpec(c.name, c.kind, c.list_url, c.item_selector, c.pk) for c in confirmed]
    if not cols and propose:
        cols = [engine.ColumnSpec(c.name, c.kind, c.list_url, c.item_selector, c.pk) for c in site.columns.filter(status=ColumnStatus.PROPOSED)]
    return engine.SiteSpec(
        home_url=site.home_url,
        site_id=site.pk,
        columns=cols,
        propose_columns=not site.columns.exclude(status=ColumnStatus.REJECTED).exists(),
        allowed=tuple(site.allowed_phrases.values_list("text", flat=True)),
    )


def _due(start: dt.date, code: str) -> dt.date:
    return deadlines.due_date(start, code)


def crawl_sites(site_ids, *, as_of: dt.date | None = None, reason: str = "daily", limits: Limits | None = None, actor=None) -> list[tuple[Crawl, list[Finding]]]:
    """Crawl sites concurrently, then persist each report (one transaction per site)."""
    sites = list(Site.objects.filter(pk__in=list(site_ids)).select_related("unit"))
    if not sites:
        return []
    limits = limits or Limits.from_settings()
    as_of = as_of or timezone.localdate()
    specs = [spec_for(s) for s in sites]
    reports = asyncio.run(engine.crawl_sites(specs, limits, scanner()))
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
def crawl_persist(*, site: Site, report: engine.SiteReport, as_of: dt.date, reason: str = "daily", actor=None) -> tuple[Crawl, list[Finding]]:
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
            Column.objects.filter(pk=cid).update(last_item_on=c.latest, item_count=c.items, last_checked_at=now)
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
        after={"site": site.pk, "reason": reason, "pages": report.fetched, "findings": len(findings), "resolved": resolved},
    )
    fresh = [f.pk for f in findings if f.first_seen_at == now and f.rule in ("personal_data", "wrong_expression", "sensitive_word")]
    if fresh and settings.GONGKAI_MONITORING_SCREENSHOTS:
        from . import tasks

        transaction.on_commit(lambda: tasks.screenshot_findings.delay(fresh))
    return crawl, findings


def _upsert(site: Site, crawl: Crawl, fd: rules.FindingData, now, as_of) -> Finding:
    fp = fd.fingerprint(str(site.pk))
    existing = Finding.objects.filter(site=site, fingerprint=fp).order_by("-pk").first()
    if existing is not None and existing.status in (FindingStatus.NEW, FindingStatus.CONFIRMED, FindingStatus.DISMISSED):
        fields = {"last_seen_at": now, "crawl": crawl, "observed_on": as_of}
        if existing.status != FindingStatus.DISMISSED:
            fields.update(severity=fd.severity, evidence=fd.evidence, context=fd.context, html_sha256=fd.sha256, confidence=fd.confidence)
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
        evidence=fd.evidence,
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
    for f in Finding.objects.filter(site=site, status__in=[FindingStatus.NEW, FindingStatus.CONFIRMED]).exclude(fingerprint__in=seen):
        if f.rule in rules.URL_BOUND and f.url and f.url not in checked:
            continue
        if f.rule == "accessibility":
            continue  # checked by its own task
        name, action = ("mark_fixed", AuditAction.FINDING_FIXED) if f.status == FindingStatus.CONFIRMED else ("mark_gone", AuditAction.FINDING_GONE)
        transitions.run(f, name, actor=None, action=action, update=lambda x: setattr(x, "resolved_at", now), snapshot_fields=["status"])
        resolved += 1
    return resolved


def check_once(url: str, *, as_of: dt.date | None = None, max_pages: int | None = None, unit: Organisation | None = None, actor=None) -> tuple[Site, Crawl, list[Finding]]:
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
        ids = "、".join(f"{v['id']}（{v.get('impact') or '-'}，{len(v.get('nodes', []))}处）" for v in violations[:8])
        fd = rules.FindingData("accessibility", rules.NOTICE, url, evidence=f"axe 检出 {len(violations)} 类问题：{ids}", key="axe")
        out.append(_upsert(site, crawl, fd, now, as_of))
    audit.record(actor=None, action=AuditAction.ACCESSIBILITY_CHECK, obj=crawl, unit=site.unit, after={"pages": len(results), "findings": len(out)})
    return out

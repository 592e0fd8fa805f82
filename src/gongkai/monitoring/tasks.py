"""Celery tasks of the monitoring app; each calls the services.

The daily pass splits the active sites into batches of ``GONGKAI_MONITORING_SITES_PER_TASK``
and enqueues one ``crawl_batch`` per batch, so the pass spreads over all workers; inside a
batch one asyncio client crawls the sites concurrently under the per-host limits.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .models import Finding, Probe, Site, SiteStatus

log = logging.getLogger(__name__)


@shared_task(name="monitoring.crawl_batch")
def crawl_batch(site_ids: list[int], as_of: str | None = None, reason: str = "daily") -> int:
    day = dt.date.fromisoformat(as_of) if as_of else None
    return len(services.crawl_sites(site_ids, as_of=day, reason=reason))


@shared_task(name="monitoring.daily_pass")
def daily_pass() -> int:
    services.ensure_own_portal()
    ids = list(Site.objects.filter(status=SiteStatus.ACTIVE).order_by("pk").values_list("pk", flat=True))
    size = max(1, settings.GONGKAI_MONITORING_SITES_PER_TASK)
    for i in range(0, len(ids), size):
        crawl_batch.delay(ids[i : i + size])
    accounts_check.delay()
    return len(ids)


@shared_task(name="monitoring.accounts_check")
def accounts_check() -> int:
    return len(services.accounts_check())


@shared_task(name="monitoring.accessibility_all")
def accessibility_all() -> int:
    """Queue the axe check of sampled pages of every active site (weekly on beat)."""
    ids = list(Site.objects.filter(status=SiteStatus.ACTIVE).values_list("pk", flat=True))
    for pk in ids:
        accessibility.delay(pk)
    return len(ids)


@shared_task(name="monitoring.recheck_findings")
def recheck_findings(finding_ids: list[int]) -> int:
    """Re-crawl the sites of these findings now (rectification re-check)."""
    site_ids = sorted(
        set(Finding.objects.filter(pk__in=finding_ids, site__isnull=False).values_list("site_id", flat=True))
    )
    return len(services.crawl_sites(site_ids, reason="recheck")) if site_ids else 0


@shared_task(name="monitoring.plan_probes")
def plan_probes() -> int:
    return services.probes_plan(day=timezone.localdate() + dt.timedelta(days=1))


@shared_task(name="monitoring.run_due_probes")
def run_due_probes() -> int:
    due = Probe.objects.filter(done_at__isnull=True, planned_at__lte=timezone.now()).select_related("site")[:500]
    n = 0
    for probe in due:
        services.probe_run(probe)
        n += 1
    return n


@shared_task(name="monitoring.accessibility")
def accessibility(site_id: int, urls: list[str] | None = None) -> int:
    from . import browser

    site = Site.objects.get(pk=site_id)
    urls = urls or browser.sample_pages(site)
    results = browser.axe_pages(urls)
    return len(services.accessibility_record(site=site, results=results, as_of=timezone.localdate()))


@shared_task(name="monitoring.screenshot_findings")
def screenshot_findings(finding_ids: list[int]) -> int:
    from . import browser

    return browser.screenshot_findings(finding_ids)

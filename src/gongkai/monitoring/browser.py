"""Headless Debian chromium (Playwright) for axe accessibility checks on sampled pages and for
screenshots of content findings. Nothing here downloads a browser: ``GONGKAI_CHROMIUM``
(default ``/usr/bin/chromium``) must exist, else the step is skipped and logged.
"""

from __future__ import annotations

import logging
import os
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from .models import Column, ColumnStatus, Finding, Site

log = logging.getLogger(__name__)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Mask ID numbers, mobile numbers and long card-like digit runs in the page's text before a screenshot.
MASK_JS = r"""() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const id = /(^|[^0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;
  const card = /(^|[^\d-])((?:62|4\d|5[1-5])\d{2})([\d \-]{8,13})(\d{4})(?![\d-])/g;
  const mobile = /(^|[^\d-])(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;
  let node;
  while ((node = walker.nextNode())) {
    let t = node.nodeValue;
    t = t.replace(id, (m, a, b, c, d) => a + b.slice(0, 4) + "**********" + d.slice(-4));
    t = t.replace(card, (m, a, b, c, d) => a + b + " **** **** " + d);
    t = t.replace(mobile, (m, a, b, c, d) => a + b + "****" + d);
    if (t !== node.nodeValue) { node.nodeValue = t; if (node.parentElement) node.parentElement.style.outline = "3px solid #c00"; }
  }
}"""


def chromium() -> str | None:
    path = os.environ.get("GONGKAI_CHROMIUM") or os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def sample_pages(site: Site, *, k: int | None = None, seed: str | None = None) -> list[str]:
    """The home page plus a seeded random sample of column pages (same seed, same sample)."""
    from django.conf import settings

    k = k if k is not None else settings.GONGKAI_MONITORING_A11Y_PAGES
    columns = sorted(Column.objects.filter(site=site, status=ColumnStatus.CONFIRMED).values_list("list_url", flat=True))
    rng = random.Random(seed or f"{site.pk}:{timezone.localdate()}")
    return [site.home_url, *rng.sample(columns, min(max(k - 1, 0), len(columns)))]


def _with_browser(fn):
    exe = chromium()
    if exe is None:
        log.warning("chromium not found: accessibility checks and screenshots are skipped")
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            return fn(context)
        finally:
            browser.close()


def axe_pages(urls: list[str]) -> list[tuple[str, list[dict]]]:
    from axe_playwright_python.sync_playwright import Axe

    def run(context):
        out = []
        page = context.new_page()
        page.set_default_timeout(15000)
        for url in urls:
            try:
                page.goto(url, wait_until="load")
                result = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
                out.append((url, result.response.get("violations", [])))
            except Exception as exc:  # a page that cannot load is the crawler's dead-link finding
                log.info("axe skipped %s: %s", url, exc)
        return out

    return _with_browser(run) or []


def screenshot_findings(finding_ids: list[int]) -> int:
    """Screenshots (numbers masked in the page first) of content findings; DB work stays outside
    the browser's event loop."""
    targets = list(Finding.objects.filter(pk__in=finding_ids, screenshot="").values_list("pk", "url"))
    if not targets:
        return 0

    def run(context):
        page = context.new_page()
        page.set_default_timeout(15000)
        shots = []
        for pk, url in targets:
            try:
                page.goto(url, wait_until="load")
                page.evaluate(MASK_JS)  # the screenshot never shows a full number either
                shots.append((pk, page.screenshot(full_page=False)))
            except Exception as exc:
                log.info("screenshot of %s failed: %s", url, exc)
        return shots

    done = 0
    for pk, png in _with_browser(run) or []:
        f = Finding.objects.get(pk=pk)
        f.screenshot.save(f"finding-{pk}.png", ContentFile(png), save=False)
        Finding.objects.filter(pk=pk).update(screenshot=f.screenshot.name)
        done += 1
    return done

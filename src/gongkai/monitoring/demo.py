"""Demo data for the demo county (松阳县): three department and township websites served on
loopback from files under ``DATA_DIR/demo-sites`` (``gongkai monitoring serve-demo``), crawled
once so that the office finds a site veto (西屏街道: home page not updated), a stale column
(西屏街道: 通知公告) and a leaked mobile number (县民政局: an article), plus new-media accounts
with a duplicate on one platform. The sites are generated (fictitious pages, numbers and names).

Fixing the leak for the walk-through: edit ``DATA_DIR/demo-sites/mz/dt/0.html`` (or run
``gongkai monitoring serve-demo`` and use :func:`fix_leak`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import loopback, services
from .models import Account, Site

log = logging.getLogger(__name__)
LEAK = "经办人：李娜，手机13957812345"
FIXED = "咨询电话：0578-8061234"


def port() -> int:
    return int(os.environ.get("GONGKAI_DEMO_SITES_PORT", "8870"))


def sites_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo-sites"


def base() -> str:
    return f"http://127.0.0.1:{port()}"


SITES = [
    # (prefix, unit name, site name, spec options)
    ("/mz", "松阳县民政局", "松阳县民政局网站", {"extra_article": f"<p>{LEAK}</p>"}),
    ("/xp", "西屏街道", "松阳县西屏街道网站", {"home_age": 20, "age_days": {"tzgg": 230}, "blank": {"zcjd"}}),
    ("/rs", "松阳县人力资源和社会保障局", "松阳县人力资源和社会保障局网站", {}),
]


def write_sites(today) -> None:
    farm = loopback.Farm.__new__(loopback.Farm)  # only for write(): no server
    for prefix, _unit, name, options in SITES:
        spec = loopback.SiteSpec(prefix, name=name, as_of=today, **options)
        loopback.Farm.write(farm, sites_dir(), loopback.gov_site(spec))


def fix_leak() -> None:
    page = sites_dir() / "mz" / "dt" / "0.html"
    page.write_text(page.read_text("utf-8").replace(LEAK, FIXED), "utf-8")


def load(ctx) -> None:
    units, office = ctx["units"], ctx["users"].get("gkb")
    today = timezone.localdate()
    if not sites_dir().exists():
        write_sites(today)
    created = []
    for prefix, unit_name, name, _options in SITES:
        url = f"{base()}{prefix}/"
        site = Site.objects.filter(home_url=url).first()
        if site is None:
            site = services.site_register(
                actor=office, home_url=url, name=name, unit=units[unit_name], site_code="3311240001"
            )
            created.append(site)
    for unit_name, platform, name, account_id in [
        ("松阳县民政局", "wechat", "松阳民政", "gh_sy_mz01"),
        ("松阳县民政局", "wechat", "松阳民政服务号", "gh_sy_mz02"),
        ("松阳县人力资源和社会保障局", "weibo", "松阳人社", "wb_sy_rs"),
    ]:
        if not Account.objects.filter(platform=platform, account_id=account_id).exists():
            services.account_register(
                actor=office, unit=units[unit_name], platform=platform, name=name, account_id=account_id
            )
    services.ensure_own_portal(actor=None)  # when GONGKAI_PORTAL_URL is set: checked like any other site
    if not created:
        return
    try:
        farm = loopback.Farm(port=port(), root=str(sites_dir())).start()
    except OSError:  # the demo sites are already being served (serve-demo): crawl them there
        farm = None
    try:
        results = services.crawl_sites([s.pk for s in created], as_of=today, reason="demo")
        content = [
            f.pk for _crawl, findings in results for f in findings if f.rule in ("personal_data", "wrong_expression")
        ]
        if farm is not None and content and settings.GONGKAI_MONITORING_SCREENSHOTS:
            from . import browser

            browser.screenshot_findings(content)  # while the sites are served
    finally:
        if farm is not None:
            farm.stop()

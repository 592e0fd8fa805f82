"""The crawler against loopback sites: findings end to end, charsets, politeness, hostile sites."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from gongkai.core import aio
from gongkai.core.messages import render
from gongkai.monitoring import loopback, services
from gongkai.monitoring.engine import crawl
from gongkai.monitoring.engine.fetch import Fetcher, Limits
from gongkai.monitoring.models import Column, ColumnStatus, Finding, Site

from .conftest import AS_OF, publish

pytestmark = pytest.mark.django_db

LIMITS = Limits(timeout=2.0, delay=0, site_seconds=10, max_bytes=200_000, user_agent="gongkai-monitor-test/1.0")


def test_check_registers_proposes_columns_and_finds_problems(farm, tree):
    url = publish(
        farm,
        loopback.SiteSpec("/xp", age_days={"tzgg": 400}, blank={"zcjd"}, extra_article="<p>经办人电话13905781234</p>"),
    )
    site, crawl_, findings = services.check_once(url, as_of=AS_OF)
    assert site.home_url == url and site.unit is None
    assert sorted(Column.objects.filter(site=site).values_list("kind", flat=True)) == [
        "interaction",
        "interpretation",
        "news",
        "notice",
        "policy",
    ]
    assert set(Column.objects.filter(site=site).values_list("status", flat=True)) == {ColumnStatus.PROPOSED}
    got = {(f.rule, f.column_name) for f in findings}
    assert ("column_not_updated", "通知公告") in got and ("column_blank", "政策解读") in got
    leak = next(f for f in findings if f.rule == "personal_data")
    assert "139****1234" in leak.evidence_text and "13905781234" not in leak.evidence_text + leak.context
    assert leak.url.endswith("/xp/dt/0.html") and len(leak.html_sha256) == 64
    assert ("home_not_updated", "") not in got and not any(f.rule == "footer_missing" for f in findings)
    assert crawl_.pages >= 15


def test_gbk_site_and_wrong_charset_are_decoded(farm):
    url = publish(farm, loopback.SiteSpec("/gbk", charset="gbk", age_days={"dt": 40}))
    report = crawl.crawl_one(crawl.SiteSpec(url), LIMITS)
    news = next(c for c in report.columns if c.spec.kind == "news")
    assert news.spec.name == "工作动态" and news.latest == AS_OF - dt.timedelta(days=40)
    # a server that says UTF-8 but sends GBK
    farm.add(
        "/liar/",
        loopback.Page(
            "<html><body><ul><li><a href='/liar/1'>通知公告</a> 2026-11-19</li></ul></body></html>".encode("gbk"),
            content_type="text/html; charset=utf-8",
        ),
    )
    items = crawl.crawl_one(
        crawl.SiteSpec(farm.url("/liar/"), columns=[crawl.ColumnSpec("通知", "notice", farm.url("/liar/"))]), LIMITS
    )
    assert items.columns[0].latest == dt.date(2026, 11, 19)


def test_robots_txt_and_user_agent_are_respected(farm):
    url = publish(farm, loopback.SiteSpec("/xp"))
    farm.add("/robots.txt", loopback.Page(b"User-agent: *\nDisallow: /xp/tzgg/\n", content_type="text/plain"))
    seen = []

    class Spy(loopback._Handler):
        def _page(self):
            seen.append(self.headers.get("User-Agent"))
            return super()._page()

    farm.server.RequestHandlerClass = Spy
    report = crawl.crawl_one(crawl.SiteSpec(url), LIMITS)
    assert farm.hits.get("/xp/tzgg/", 0) == 0 and farm.hits.get("/robots.txt") == 1
    assert set(seen) == {"gongkai-monitor-test/1.0"}
    assert not any("/xp/tzgg/" in d.url for d in report.dead_links)  # disallowed is not dead


def test_blocked_links_are_not_dead(farm):
    farm.add(
        "/s/",
        "<html><body><a href='/s/403'>a</a><a href='/s/429'>b</a><a href='/s/404'>c</a><img src='/s/gone.png'></body></html>",
    )
    farm.add("/s/403", loopback.Page(b"no", status=403))
    farm.add("/s/429", loopback.Page(b"slow down", status=429))
    report = crawl.crawl_one(crawl.SiteSpec(farm.url("/s/"), propose_columns=False), LIMITS)
    assert sorted(d.url.rsplit("/", 1)[1] for d in report.dead_links) == ["404", "gone.png"]
    assert report.blocked_links == 2


def test_hostile_sites_never_crash_a_pass_or_hold_up_others(farm):
    good = publish(farm, loopback.SiteSpec("/ok"))
    farm.add("/slow/", loopback.Page(b"<html>late</html>", delay=3.5))
    farm.add("/loop/", loopback.Page(b"", status=302, headers={"Location": "/loop/"}))
    farm.add("/huge/", loopback.Page(endless=True))
    farm.add("/bin/", loopback.Page(b"\x89PNG\r\n\x1a\n\x00\x00binary", content_type="text/html"))
    farm.add(
        "/bad/",
        loopback.Page(
            "<html><body><ul><li><a href='/bad/1'>栏目<li><a href=x>2026-11-19<table><tr><td>未闭合".encode()
        ),
    )
    specs = [crawl.SiteSpec(farm.url(p)) for p in ("/slow/", "/loop/", "/huge/", "/bin/", "/bad/")] + [
        crawl.SiteSpec(good)
    ]
    reports = aio.run(crawl.crawl_sites(specs, LIMITS))
    slow, loop, huge, binary, bad, ok = reports
    assert slow.home.error == "timeout" and slow.unreachable
    assert loop.home.error == "too many redirects"
    assert huge.bytes <= LIMITS.max_bytes + 64 * 1024 and not huge.unreachable
    assert not binary.unreachable and binary.columns == [] and binary.home_dates == []
    assert not bad.unreachable
    assert len(ok.columns) == 5 and ok.fetched > 10


def test_site_time_budget_keeps_partial_results(farm):
    farm.add("/t/", "<html><body><nav><a href='/t/dt/'>工作动态</a></nav><p>2026-11-19</p></body></html>")
    farm.add("/t/dt/", loopback.Page(b"<html></html>", delay=2.5))
    limits = Limits(timeout=5, delay=0, site_seconds=1.0)
    report = crawl.crawl_one(crawl.SiteSpec(farm.url("/t/"), check_https=False, check_ipv6=False), limits)
    assert report.timed_out and report.home is not None and report.home_dates == [dt.date(2026, 11, 19)]


def test_per_host_concurrency_and_delay(farm):
    for i in range(6):
        farm.add(f"/p/{i}", loopback.Page(b"<html></html>", delay=0.2))
    limits = Limits(timeout=5, delay=0.0, per_host=2, respect_robots=False)

    async def run():
        async with Fetcher(limits) as f:
            gate = f.gate(farm.url("/p/0"))
            peak = 0

            async def one(i):
                nonlocal peak
                got = await f.fetch(farm.url(f"/p/{i}"))
                return got

            original = gate.semaphore.acquire

            async def counting():
                nonlocal peak
                await original()
                peak = max(peak, 2 - gate.semaphore._value)

            gate.semaphore.acquire = counting
            results = await asyncio.gather(*(one(i) for i in range(6)))
            return peak, results

    peak, results = aio.run(run())
    assert peak == 2 and all(r.ok for r in results)


def test_confirmed_columns_are_used_and_item_selector_applies(farm, tree):
    farm.add("/c/", "<html><body><p>2026-11-19</p></body></html>")
    farm.add(
        "/c/list/",
        "<html><body><div class='x'><span class='it'><a href='/c/1'>条目</a> 2026-01-02</span></div></body></html>",
    )
    site = services.site_register(actor=tree.office, home_url=farm.url("/c/"), name="测试站", unit=tree.dept_a)
    services.column_add(
        actor=tree.office,
        site=site,
        name="通知公告",
        kind="notice",
        list_url=farm.url("/c/list/"),
        item_selector="span.it",
    )
    _crawl, findings = services.crawl_sites([site.pk], as_of=AS_OF)[0]
    column = Column.objects.get(site=site)
    assert column.last_item_on == dt.date(2026, 1, 2) and column.item_count == 1
    assert any(f.rule == "column_not_updated" and f.column_id == column.pk for f in findings)
    assert Site.objects.get(pk=site.pk).last_crawled_at is not None


def test_attachment_with_personal_data(farm):
    import io

    from docx import Document

    doc = Document()
    doc.add_paragraph("低保名单：张三 13800138000")
    buf = io.BytesIO()
    doc.save(buf)
    farm.add("/a/", "<html><body><nav><a href='/a/tz/'>通知公告</a></nav><p>2026-11-19</p></body></html>")
    farm.add("/a/tz/", "<html><body><ul><li><a href='/a/1.html'>公示</a> 2026-11-19</li></ul></body></html>")
    farm.add("/a/1.html", "<html><body><a href='/a/list.docx'>附件</a></body></html>")
    farm.add("/a/list.docx", loopback.Page(buf.getvalue(), content_type="application/octet-stream"))
    report = crawl.crawl_one(crawl.SiteSpec(farm.url("/a/")), LIMITS)
    assert [(h.url.rsplit("/", 1)[1], render(h.evidence)) for h in report.hits] == [
        ("list.docx", "手机号码：138****8000")
    ]


def test_finding_rows_are_unique_per_fingerprint_across_crawls(farm, tree):
    url = publish(farm, loopback.SiteSpec("/xp", age_days={"tzgg": 400}))
    services.check_once(url, as_of=AS_OF)
    first = Finding.objects.count()
    services.check_once(url, as_of=AS_OF)
    assert Finding.objects.count() == first

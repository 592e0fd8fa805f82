"""Website monitoring benchmark (issue 15, item 8): a full daily pass over a loopback farm.

Generates 500 county-style government sites (≈22 pages each, ≈11,000 pages: home, five typed
columns, three articles per column; 10 % GBK-encoded, 2 % slow (every response delayed),
2 % broken (500 home page, redirect loop, binary served as HTML, malformed HTML)) and serves
them from a separate process on loopback, one host name per site (127.0.x.y, all bound by one
server), so the per-host politeness limits apply per site as they would on the internet.

Then, in the same run:

* **gongkai** — the real crawler and checks (``gongkai.monitoring.engine``: robots.txt, per-host
  concurrency 2 and the production 0.5 s spacing between requests to a host, link checks, word
  lists, personal data, every rule) over the whole farm, split into batches of
  ``--sites-per-task`` handled by ``--workers`` processes, as Celery workers run the daily pass;
* **naive** — a sequential ``httpx.Client`` loop fetching the same pages (no checks, no politeness)
  over ``--baseline-sites`` sites, with its full-pass time extrapolated to all sites.

Prints pages/s and the full-pass time of both, the ratio, and the peak RSS of the crawler
processes. Goal (issue 15): a full pass of 500 sites in under 10 minutes on 2 cores.

    python bench/monitoring_crawl.py                  # 500 sites
    python bench/monitoring_crawl.py --smoke          # 6 sites, seconds
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
AS_OF = dt.date(2026, 11, 20)


def django_setup() -> None:
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gk-monitoring-bench-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()


def host(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def kind_of(i: int, n: int) -> str:
    """Deterministic mix: every 50th site slow, every 50th (offset) broken, every 10th GBK."""
    if n >= 20 and i % 50 == 7:
        return "slow"
    if n >= 20 and i % 50 == 23:
        return "broken"
    if n < 20 and i == n - 1:
        return "broken"
    return "gbk" if i % 10 == 3 else "plain"


def build_routes(n: int, slow_delay: float):
    from gongkai.monitoring import loopback

    routes, urls = {}, {}
    for i in range(n):
        kind = kind_of(i, n)
        prefix = f"/s{i}"
        spec = loopback.SiteSpec(
            prefix,
            name=f"测试县第{i}号网站",
            as_of=AS_OF,
            items=3,
            charset="gbk" if kind == "gbk" else "utf-8",
            age_days={"tzgg": 400} if i % 7 == 0 else {},
            extra_article="<p>联系人13905781234</p>" if i % 9 == 0 else "",
        )
        pages = loopback.gov_site(spec)
        if kind == "slow":
            for p in pages.values():
                p.delay = slow_delay
        if kind == "broken":
            variant = i % 4
            home = prefix + "/"
            if variant == 0:
                pages[home] = loopback.Page(b"<html>Internal Server Error</html>", status=500)
            elif variant == 1:
                pages[home] = loopback.Page(b"", status=302, headers={"Location": home})
            elif variant == 2:
                pages[home] = loopback.Page(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary" * 100, content_type="text/html")
            else:
                pages[home] = loopback.Page(
                    "<html><body><nav><a href='dt/'>工作动态<a href='tzgg/'>通知公告<table><tr><td>2026-11-19".encode()
                )
        routes.update(pages)
        urls[i] = [p for p in pages if not p.endswith(".png")]
    return routes, urls


def serve(n: int, slow_delay: float, ready, port_value) -> None:
    django_setup()
    from gongkai.monitoring import loopback

    routes, _urls = build_routes(n, slow_delay)
    farm = loopback.Farm(host="0.0.0.0", port=0)  # noqa: S104 - loopback addresses only (127.0.x.y)
    farm.routes = routes
    port_value.value = farm.server.server_address[1]
    farm.start()
    ready.set()
    while True:
        time.sleep(3600)


def crawl_batch(args) -> tuple[int, int, int, float]:
    """One worker's batch: returns (sites, pages, findings, peak RSS MB)."""
    site_ids, port, delay, timeout = args
    django_setup()
    import json

    from gongkai.monitoring.engine import crawl, rules
    from gongkai.monitoring.engine.fetch import Limits
    from gongkai.monitoring.engine.words import Entry, Scanner

    words = json.loads((ROOT / "src/gongkai/monitoring/data/words.json").read_text("utf-8"))
    scanner = Scanner([Entry(t, w["kind"], c) for w in words for t, c, _n in w["entries"]])
    limits = Limits(
        delay=delay,
        timeout=timeout,
        per_host=2,
        concurrency=64,
        site_seconds=300,
        user_agent="gongkai-monitor-bench/1.0",
    )
    specs = [crawl.SiteSpec(f"http://{host(i)}:{port}/s{i}/", check_ipv6=False) for i in site_ids]
    reports = asyncio.run(crawl.crawl_sites(specs, limits, scanner))
    days = {
        "monitoring.home_update": 14,
        "monitoring.column_news": 14,
        "monitoring.column_notice": 183,
        "monitoring.column_other": 183,
        "monitoring.interaction_veto": 92,
        "monitoring.interaction_reply": 7,
    }
    ctx = rules.Context(as_of=AS_OF, due=lambda d, code: d + dt.timedelta(days=days[code]))
    findings = sum(len(rules.evaluate(r, ctx)) for r in reports)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return len(reports), sum(r.fetched + r.links_checked for r in reports), findings, rss


def naive(urls: dict[int, list[str]], sample: list[int], port: int, timeout: float) -> tuple[int, float]:
    import httpx

    pages = 0
    start = time.perf_counter()
    with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5, trust_env=False) as client:
        for i in sample:
            for path in urls[i]:
                try:
                    client.get(f"http://{host(i)}:{port}{path}")
                except httpx.HTTPError:
                    pass
                pages += 1
    return pages, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="crawler processes (Celery workers)")
    parser.add_argument("--sites-per-task", type=int, default=100, help="GONGKAI_MONITORING_SITES_PER_TASK")
    parser.add_argument(
        "--delay", type=float, default=0.5, help="seconds between requests to one host (production default)"
    )
    parser.add_argument("--slow-delay", type=float, default=1.0, help="delay of every response of a slow site")
    parser.add_argument("--baseline-sites", type=int, default=40)
    parser.add_argument("--smoke", action="store_true", help="6 sites, short delays (for the test suite)")
    a = parser.parse_args()
    if a.smoke:
        a.sites, a.baseline_sites, a.delay, a.slow_delay, a.sites_per_task = 6, 2, 0.05, 0.2, 3
    django_setup()
    _routes, urls = build_routes(a.sites, a.slow_delay)
    total_pages = sum(len(u) for u in urls.values())
    ctx = mp.get_context("spawn")
    ready, port_value = ctx.Event(), ctx.Value("i", 0)
    server = ctx.Process(target=serve, args=(a.sites, a.slow_delay, ready, port_value), daemon=True)
    server.start()
    if not ready.wait(120):
        sys.exit("the loopback farm did not start")
    port = port_value.value
    kinds = [kind_of(i, a.sites) for i in range(a.sites)]
    print(
        f"farm: {a.sites} sites, {total_pages} pages ({kinds.count('gbk')} GBK, {kinds.count('slow')} slow, {kinds.count('broken')} broken) on 127.0.x.y:{port}"
    )
    try:
        ids = list(range(a.sites))
        batches = [(ids[i : i + a.sites_per_task], port, a.delay, 15.0) for i in range(0, len(ids), a.sites_per_task)]
        start = time.perf_counter()
        with ctx.Pool(a.workers, maxtasksperchild=None) as pool:
            results = pool.map(crawl_batch, batches, chunksize=1)
        elapsed = time.perf_counter() - start
        sites = sum(r[0] for r in results)
        requests = sum(r[1] for r in results)
        findings = sum(r[2] for r in results)
        rss = max(r[3] for r in results)
        sample = [i for i in range(a.sites) if i % max(1, a.sites // a.baseline_sites) == 0][: a.baseline_sites]
        base_pages, base_time = naive(urls, sample, port, 15.0)
    finally:
        server.terminate()
    base_rate = base_pages / base_time if base_time else 0
    full_naive = total_pages / base_rate if base_rate else float("inf")
    print(
        f"gongkai  : {sites} sites, {requests} requests (pages + link checks) in {elapsed:.1f} s = {requests / elapsed:.0f} requests/s, "
        f"{total_pages / elapsed:.0f} site pages/s; {findings} findings; workers={a.workers}, delay={a.delay}s per host"
    )
    print(
        f"naive    : {len(sample)} sites, {base_pages} pages in {base_time:.1f} s = {base_rate:.0f} pages/s (sequential, no checks, no politeness); "
        f"full pass extrapolated: {full_naive:.0f} s"
    )
    print(
        f"full daily pass: gongkai {elapsed:.0f} s vs naive {full_naive:.0f} s (×{full_naive / elapsed:.1f}); goal < 600 s: {'met' if elapsed < 600 else 'NOT met'}"
    )
    print(
        f"peak RSS of a crawler worker: {rss:.0f} MB; this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()

"""Benchmark: the portal home page (issue 20: "renders within 100 ms p95 on the demo data").

Loads the demo county (``gongkai load_demo``: 44 units, publications, consultations, appeals,
requests) into a fresh database, then requests ``/`` through Django's full request/response path
(middleware, context processors, templates) and times, in the same run:

- **uncached** (baseline): every block of the page rendered from the database on every view
  (``gongkai.portal.home.sections(use_cache=False)``);
- **cold**: the cache emptied before every view (the first view after something was published:
  the freshness query, every block rendered and stored);
- **cached**: the steady state (one freshness query, blocks from the cache);
- cached, per tab (``?tab=notice`` …) and in English and 繁體 (繁體 converts the whole page with OpenCC).

Prints p50/p95/max per case, the ratio against the uncached baseline, the database queries of one
view of each case, and the peak RSS.

Usage::

    python bench/portal_home.py [--views 300] [--db sqlite|postgres://.../gk_portal_bench] [--smoke]

``--smoke`` skips the demo data (an empty site: the welcome page) and times 20 views per case.
The given PostgreSQL database is emptied (schema dropped) first; by default a temporary SQLite
file is used.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TARGET_P95_MS = 100.0


def setup_django(db: str, data_dir: Path) -> None:
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    if db != "sqlite":
        os.environ["DATABASE_URL"] = db
    import django

    django.setup()


def reset_postgres() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def load(smoke: bool) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not smoke:
        t = time.perf_counter()
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - discarded output
        print(f"demo data loaded in {time.perf_counter() - t:.1f} s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(client, url: str, views: int, *, before=None, headers=None) -> tuple[list[float], int]:
    from django.db import connection, reset_queries

    headers = headers or {}
    for _ in range(3):  # warm-up (templates compiled, connection open)
        if before:
            before()
        client.get(url, **headers)
    times = []
    for _ in range(views):
        if before:
            before()
        t = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.status_code
    from django.conf import settings

    settings.DEBUG = True  # count the queries of one more view
    reset_queries()
    if before:
        before()
    client.get(url, **headers)
    queries = len(connection.queries)
    settings.DEBUG = False
    return times, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=300, help="timed views per case")
    parser.add_argument("--db", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL to empty")
    parser.add_argument("--smoke", action="store_true", help="empty site, 20 views per case")
    args = parser.parse_args()
    views = 20 if args.smoke else args.views

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        setup_django(args.db, Path(tmp))
        from django.conf import settings
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        from gongkai.portal import home

        settings.DEBUG = False
        if connection.vendor == "postgresql":
            reset_postgres()
        load(args.smoke)
        cache.clear()
        client = Client()
        print(
            f"database: {connection.vendor}; {views} timed views per case; cache: {settings.CACHES['default']['BACKEND']}"
        )

        original = home.sections
        results = {}

        def uncached(tab, *, use_cache=True):
            return original(tab, use_cache=False)

        home.sections = uncached
        try:
            results["uncached (baseline)"] = measure(client, "/", views)
        finally:
            home.sections = original
        results["cold (cache emptied)"] = measure(client, "/", views, before=cache.clear)
        results["cached"] = measure(client, "/", views)
        results["cached, ?tab=notice"] = measure(client, "/?tab=notice", views)
        results["cached, English"] = measure(client, "/", views, headers={"HTTP_ACCEPT_LANGUAGE": "en"})
        results["cached, 繁體"] = measure(client, "/", views, headers={"HTTP_ACCEPT_LANGUAGE": "zh-hant"})

        base_p95 = percentile(results["uncached (baseline)"][0], 95)
        print(f"\n{'case':<24}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'p95 vs uncached':>17}")
        for name, (times, queries) in results.items():
            p95 = percentile(times, 95)
            print(
                f"{name:<24}{statistics.median(times):>9.1f}{p95:>9.1f}{max(times):>9.1f}{queries:>9}"
                f"{p95 / base_p95:>16.2f}x"
            )
        cached_p95 = percentile(results["cached"][0], 95)
        verdict = "met" if cached_p95 < TARGET_P95_MS else "NOT met"
        print(f"\ntarget: cached p95 < {TARGET_P95_MS:.0f} ms: {verdict} ({cached_p95:.1f} ms)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {peak:.0f} MB")
        return 0 if args.smoke or cached_p95 < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())

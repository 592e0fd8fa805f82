"""Load test of the public portal: gunicorn app servers on PostgreSQL and Redis, driven by locust.

Issue 18, items 6 and 7. Builds a generated county in a PostgreSQL database (the demo county of
``gongkai load_demo`` plus ``--docs`` generated publications, indexed with the PostgreSQL search
backend), starts 1 and then 2 app server processes (``gunicorn --workers W`` each, the same
settings as docs/deploy/gongkai-web.service, Redis cache and sessions) and runs locust as a
library against them at each ``--users`` count. Simulated visitors are spread over the servers
round-robin (the load balancer) and each does, with a think time of 0.2–1.0 s:

    home (weight 4) · search (3, queries from the generated vocabulary) · a publication (4)
    · the request form GET (2) · the request form POST (1, at most once per visitor and run)

The POST is a complete, valid application (human check answered, a real write with its audit
event), limited to one per simulated visitor so that writes and the throttle do not dominate. All
visitors come from 127.0.0.1, so the per-address limits (``GONGKAI_PUBLIC_FORM_RATE``,
``GONGKAI_SEARCH_RATE``) are raised for the app servers of this benchmark; in production they
stay at their defaults.

Prints, per (servers, users): requests/s, p50/p95 per page and overall, failures, the peak RSS of
the app servers (sum over the gunicorn processes' peaks) and of the load generator, and the
scaling ratio requests/s(2 servers) / requests/s(1 server) per user count.

Usage::

    pip install -e '.[bench]'
    python bench/load_test.py [--db postgres://postgres@127.0.0.1:5432/gk_load] [--docs 3000]
        [--users 50,200] [--servers 1,2] [--workers 2] [--duration 30] [--smoke] [--json]

The database is migrated and the previous run's generated documents replaced (``--fresh`` drops
its schema first). ``--smoke``: 60 documents, no demo county, 1 server, 5 users for 3 seconds
(about 30 s once the database is migrated and the static files collected: the first run migrates
and runs ``collectstatic`` with the production storage, minutes on 2 cores; the collected files are
kept in var/bench-static and reused until the project's static files change).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# = gongkai.core.crypto.DEV_DATA_KEYS (not imported: Django stays out of the load generator)
DEV_DATA_KEYS = "dev1:" + base64.b64encode(hashlib.sha256(b"gongkai public demo data key 1").digest()).decode()
PAGES = ["home", "search", "publication", "request form", "request submit"]


# --- data (in a subprocess: Django and psycopg stay out of the gevent-patched load generator) -----


def prepare(db: str, docs: int, demo: bool, fresh: bool) -> dict:
    import datetime as dt
    import random

    os.environ.update(
        {
            "GONGKAI_DEMO": "1",
            "DATABASE_URL": db,
            "GONGKAI_SEARCH_BACKEND": "postgres",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    import search_bench as vocab  # the benchmarks' government vocabulary
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from gongkai.core.models import Organisation
    from gongkai.publications.models import Publication, State
    from gongkai.requests import identity

    t0 = time.perf_counter()
    if fresh:
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    Publication.objects.filter(index_number__startswith="LOAD-").delete()  # a previous run's documents
    if demo:
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - discarded output
    units = list(Organisation.objects.order_by("path")[:40])
    if not units:
        root = Organisation.objects.create(name="松阳县人民政府", kind="government", level="county")
        units = [root]
    rng = random.Random(18)
    today = timezone.localdate()
    topics = [(domain, t) for domain, ts in vocab.DOMAINS.items() for t in ts]
    rows = []
    for i in range(docs):
        domain, topic = rng.choice(topics)
        unit = rng.choice(units)
        day = today - dt.timedelta(days=rng.randrange(0, 1500))
        title = f"关于{rng.choice(vocab.VERBS)}{day.year}年{topic}工作的{rng.choice(vocab.DOC_KINDS)}"
        paragraphs = [
            f"为{rng.choice(vocab.VERBS)}{topic}工作，根据《{rng.choice(vocab.LAWS)}》，结合本县实际，"
            f"现就{domain}有关事项通知如下。",
            *(
                f"{n}、各{rng.choice(vocab.PLACES)}要{rng.choice(vocab.VERBS)}{rng.choice(topics)[1]}，"
                f"明确责任分工，{rng.choice(vocab.VERBS)}资金保障和监督检查，按时报送工作进展。"
                for n in "一二三四五"
            ),
        ]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        rows.append(
            Publication(
                unit=unit,
                doc_type=rng.choice(["policy", "notice", "general"]),
                title=title,
                body=body,
                plain_text="\n".join(paragraphs),
                index_number=f"LOAD-{i:07d}",
                issuer=unit.name,
                document_number=f"松{i % 97}发〔{day.year}〕{i % 200 + 1}号",
                made_on=day,
                published_on=day,
                published_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
                state=State.PUBLISHED,
            )
        )
    Publication.objects.bulk_create(rows, batch_size=1000)
    built = time.perf_counter()
    call_command("reindex", stdout=open(os.devnull, "w"))  # noqa: SIM115 - discarded output
    ids = list(Publication.objects.filter(state=State.PUBLISHED).values_list("pk", flat=True))
    queries = [t for _domain, t in topics] + vocab.BROAD + [f"{rng.choice(vocab.VERBS)}{t}" for _d, t in topics[:20]]
    people = []
    for n in range(2000):
        first17 = f"3311251985{(n // 28) % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        people.append(first17 + identity.resident_id_check(first17))
    intake = units[0].pk
    return {
        "publications": ids,
        "queries": queries,
        "id_numbers": people,
        "unit": intake,
        "seconds": {"data": round(built - t0, 1), "index": round(time.perf_counter() - built, 1)},
    }


# --- app servers --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    def __init__(self, n: int, workers: int, env: dict, tmp: Path):
        self.procs, self.urls = [], []
        for i in range(n):
            port = free_port()
            log = open(tmp / f"server{i}.log", "wb")  # noqa: SIM115 - closed with the process
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", str(workers), "--timeout", "60", "--graceful-timeout", "5"]
                + ["--max-requests", "0", "--backlog", "2048"],
                cwd=ROOT,
                env={**env, "GONGKAI_DATA_DIR": str(tmp / f"server{i}")},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.procs.append(proc)
            self.urls.append(f"http://127.0.0.1:{port}")

    def wait(self, timeout: float = 60) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        for url in self.urls:
            while True:
                try:
                    with urllib.request.urlopen(url + "/staff/login/", timeout=5) as r:  # noqa: S310 - our server
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline or any(p.poll() is not None for p in self.procs):
                    raise SystemExit(f"app server {url} did not start (see its log)")
                time.sleep(0.3)

    def peak_rss_mb(self) -> float:
        import psutil

        total = 0
        for proc in self.procs:
            try:
                master = psutil.Process(proc.pid)
                for p in [master, *master.children(recursive=True)]:
                    with open(f"/proc/{p.pid}/status") as fh:
                        for line in fh:
                            if line.startswith("VmHWM:"):
                                total += int(line.split()[1])
            except (psutil.Error, OSError):
                continue
        return total / 1024

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


# --- locust -------------------------------------------------------------------------------------


def run_load(urls: list[str], users: int, duration: float, data: dict, warmup: float) -> dict:
    import itertools
    import random
    from urllib.parse import quote

    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    counter = itertools.count()
    ids = data["publications"]
    queries = data["queries"]
    people = data["id_numbers"]

    class Visitor(FastHttpUser):
        host = urls[0]
        wait_time = between(0.2, 1.0)

        def on_start(self):
            n = next(counter)
            self.base = urls[n % len(urls)]
            self.id_number = people[n % len(people)]
            self.submitted = False

        @task(4)
        def home(self):
            self.client.get(self.base + "/", name="home")

        @task(3)
        def search(self):
            self.client.get(self.base + "/search/?q=" + quote(random.choice(queries)), name="search")

        @task(4)
        def publication(self):
            self.client.get(f"{self.base}/publications/{random.choice(ids)}/", name="publication")

        @task(2)
        def request_form(self):
            self.client.get(self.base + "/requests/", name="request form")

        @task(1)
        def request_submit(self):
            if self.submitted:
                return self.request_form()
            self.submitted = True
            page = self.client.get(self.base + "/requests/", name="request form")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
            question = re.search(r"(\d+) 加 (\d+) 等于多少", page.text or "")
            if not (token and question):
                return
            form = {
                "csrfmiddlewaretoken": token.group(1),
                "unit": str(data["unit"]),
                "applicant_type": "person",
                "name": "王小明",
                "id_type": "resident",
                "id_number": self.id_number,
                "phone": "13905781234",
                "email": "wxm@example.cn",
                "address": "浙江省丽水市松阳县西屏街道长松路18号",
                "postcode": "323400",
                "description": "请公开2025年度城乡居民最低生活保障资金发放情况（分乡镇汇总）",
                "preferred_format": "email",
                "delivery": "email",
                "confirm": "on",
                "human": str(int(question.group(1)) + int(question.group(2))),
            }
            with self.client.post(
                self.base + "/requests/",
                data=form,
                name="request submit",
                allow_redirects=False,
                catch_response=True,
                headers={"Referer": self.base + "/requests/"},
            ) as r:
                if r.status_code == 302:
                    r.success()
                else:
                    r.failure(f"submission not accepted: {r.status_code}")

    env = Environment(user_classes=[Visitor])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(users / 3, 1))
    gevent.sleep(warmup)  # all users spawned, connections open: measure the steady state
    env.stats.reset_all()
    started = time.perf_counter()
    gevent.sleep(duration)
    elapsed = time.perf_counter() - started
    stats = env.stats
    out = {
        "rps": stats.total.num_requests / elapsed,
        "requests": stats.total.num_requests,
        "failures": stats.total.num_failures,
        "p50_ms": stats.total.get_response_time_percentile(0.5),
        "p95_ms": stats.total.get_response_time_percentile(0.95),
        "pages": {
            name: {
                "n": e.num_requests,
                "p50_ms": e.get_response_time_percentile(0.5),
                "p95_ms": e.get_response_time_percentile(0.95),
            }
            for (name, _method), e in stats.entries.items()
        },
        "errors": {f"{e.name}: {e.error}"[:160]: e.occurrences for e in stats.errors.values()},
    }
    runner.quit()
    return out


def generate(args, tmp: Path) -> dict:
    t = time.perf_counter()
    prep = [sys.executable, __file__, "--prepare", "--db", args.db, "--docs", str(args.docs)]
    prep += ["--no-demo"] if args.smoke else []
    prep += ["--fresh"] if args.fresh else []
    out = subprocess.run(
        prep, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "GONGKAI_DATA_DIR": str(tmp)}
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit("data generation failed")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"data: {len(data['publications'])} published documents (generated), built in {time.perf_counter() - t:.0f} s "
        f"({data['seconds']})",
        flush=True,
    )
    return data


def server_env(args) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        "SECRET_KEY": "load-test-" + uuid.uuid4().hex,
        "GONGKAI_AUDIT_KEY": "load-test-audit-" + uuid.uuid4().hex,  # production mode needs its own audit key
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": args.db,
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": "gk-load-" + uuid.uuid4().hex[:8],
        "CELERY_TASK_ALWAYS_EAGER": "1",  # no worker in this benchmark: on-commit tasks run in the app server
        "GONGKAI_SEARCH_BACKEND": "postgres",
        "GONGKAI_PUBLIC_FORM_RATE": "1000000/h",  # every simulated visitor is 127.0.0.1
        "GONGKAI_SEARCH_RATE": "1000000/m",
        "DEBUG": "0",
        "GONGKAI_DEMO": "0",
        "LOG_LEVEL": "WARNING",
        # Personal data at rest: a production key first, the demo key (which prepared the data) to read.
        "GONGKAI_DATA_KEYS": "lt1:" + base64.b64encode(os.urandom(32)).decode() + "," + DEV_DATA_KEYS,
        "GONGKAI_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
    }


def collect_static(env: dict) -> str:
    """collectstatic with the production storage (hashed, compressed: minutes on 2 cores), kept in
    var/bench-static and redone only when the project's static files change."""
    import hashlib

    target = ROOT / "var" / "bench-static"
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted((ROOT / "src").glob("gongkai/*/static/**/*")):
        if path.is_file():
            digest.update(f"{path.relative_to(ROOT)}:{path.stat().st_size}:{path.stat().st_mtime_ns}".encode())
    stamp = target / ".sources"
    if stamp.exists() and stamp.read_text() == digest.hexdigest() and (target / "staticfiles.json").exists():
        return str(target)
    t = time.perf_counter()
    collected = subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--clear", "-v", "0"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": str(target)},
        capture_output=True,
        text=True,
    )
    if collected.returncode:
        sys.stderr.write(collected.stderr)
        raise SystemExit("collectstatic failed")
    stamp.write_text(digest.hexdigest())
    print(f"collectstatic (production storage) in {time.perf_counter() - t:.0f} s", flush=True)
    return str(target)


def print_run(n: int, workers: int, u: int, r: dict) -> None:
    print(
        f"{n} server(s) x {workers} workers, {u:4d} users: {r['rps']:7.1f} req/s  "
        f"p50 {r['p50_ms']:6.0f} ms  p95 {r['p95_ms']:6.0f} ms  failures {r['failures']}/{r['requests']}  "
        f"servers' peak RSS {r['server_peak_rss_mb']:.0f} MB",
        flush=True,
    )
    for page in PAGES:
        p = r["pages"].get(page)
        if p:
            print(f"      {page:15s} n={p['n']:6d}  p50 {p['p50_ms']:6.0f} ms  p95 {p['p95_ms']:6.0f} ms")
    for err, count in list(r["errors"].items())[:5]:
        print(f"      error x{count}: {err}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/gk_load")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--users", default="50,200")
    ap.add_argument("--servers", default="1,2")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server process")
    ap.add_argument("--duration", type=float, default=30.0, help="seconds measured per run")
    ap.add_argument("--warmup", type=float, default=5.0)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="drop the database's schema first (else: migrate, replace)")
    ap.add_argument("--json", action="store_true", help="print one JSON object at the end")
    ap.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)  # internal: the data subprocess
    ap.add_argument("--no-demo", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.db, args.docs, demo=not args.no_demo, fresh=args.fresh)))
        return 0
    if not args.db.startswith("postgres"):
        raise SystemExit("--db must be a PostgreSQL URL (the app servers share it)")
    if args.smoke:
        args.docs, args.users, args.servers, args.duration, args.warmup = 60, "5", "1", 3.0, 1.0
    users = [int(u) for u in args.users.split(",")]
    server_counts = [int(s) for s in args.servers.split(",")]

    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="gk-load-"))
    data = generate(args, tmp)
    env = server_env(args)
    env["STATIC_ROOT"] = collect_static(env)

    results = {}
    for n in server_counts:
        servers = Servers(n, args.workers, env, tmp)
        try:
            servers.wait()
            for u in users:
                r = run_load(servers.urls, u, args.duration, data, args.warmup)
                r["server_peak_rss_mb"] = servers.peak_rss_mb()
                results[(n, u)] = r
                print_run(n, args.workers, u, r)
        finally:
            servers.stop()

    print("\nscaling (req/s with 2 servers / with 1 server, baseline = 1 server):")
    for u in users:
        if (1, u) in results and (2, u) in results:
            one, two = results[(1, u)], results[(2, u)]
            print(
                f"  {u:4d} users: {two['rps'] / one['rps']:.2f}x   (p95 {one['p95_ms']:.0f} -> {two['p95_ms']:.0f} ms)"
            )
    generator_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load generator peak RSS: {generator_rss:.0f} MB")
    if args.json:
        runs = [
            {"servers": n, "users": u, **{k: v for k, v in r.items() if k != "errors"}} for (n, u), r in results.items()
        ]
        print(json.dumps({"docs": len(data["publications"]), "runs": runs, "generator_peak_rss_mb": generator_rss}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

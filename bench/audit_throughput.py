"""Benchmark: audited service writes per second with 1 and 16 concurrent writers (issue 18 item 5).

Usage:
    python bench/audit_throughput.py --db postgres://postgres@127.0.0.1:5432/gk_audit_bench [--json]
    python bench/audit_throughput.py --db … --no-worker       # no Celery worker: writers link themselves
    python bench/audit_throughput.py --db … --hold-ms 20     # transactions that stay open 20 ms longer
    python bench/audit_throughput.py --smoke                  # seconds; SQLite in a temp dir unless --db is given

What it does: migrates the database, creates one staff account per writer, then has each
writer call ``core.services.user_update`` — a real service: row lock on the account,
validation, save, and its audit event in one transaction, the chaining after commit — on its
own account, so the only shared resource is the audit chain. Writers are separate
**processes** (forked after the parent closed its connections, one database connection
each), as app servers are (gunicorn workers): threads in one interpreter would share one GIL
and measure Python's lock instead of the database's. It measures writes/s with 1 writer and
with ``--writers`` (16) writers in the deferred chaining mode (events inserted without the
chain lock, linked after commit by the sequencer), and, as the baseline in the same run, with
16 writers in the inline mode (every writer holds the chain-head lock until commit). At the
end it links anything pending and verifies the whole chain (``audit.verify``): the chain must
stay linear and intact, and no event may be lost.

The sequencer: as in production with ``REDIS_URL``, a real Celery worker (``--pool solo``, its
own queue on the Redis given by ``--redis``) runs the sequencer task that the writers queue
after commit (at most one run per second, ``audit.wake_sequencer``); its CPU, plus the parent's
linking of the last window at the end of a phase, is reported beside the writers'. With
``--no-worker`` (or without Redis) Celery is eager and each writer runs the coalesced linking
pass itself after its commit, as the embedded install does.

CPU per write: each writer reports its own CPU time and, when PostgreSQL runs on this host,
the CPU time of its server backend (``/proc/<pid>/stat``; the WAL writer and other background
processes are not included), so the ceiling the cores put on the rate can be computed:
``cores / (app CPU + database CPU per write)``. The share of the whole machine that one writer
keeps busy (``machine_busy_pct_1``: its Python, its backend, the commit) bounds the scaling
ratio on this machine: ``ratio_ceiling_of_these_cores`` = 100 / that share.

Figures depend on the machine: on the 2-core development machine the writers, PostgreSQL and
other jobs share the same two cores.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WARM_UP = 2  # writes per writer process before the clock starts (connection, first queries)


def _proc_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) of process ``pid`` on this host, or None if not readable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return float(sum(values) - idle), float(sum(values))


def _writer(user_pk: int, n: int, tag: str, hold: float, barrier, results) -> None:
    """One writer process: warm up, wait for the start, write ``n`` times, report its CPU."""
    from django.db import connection, connections, transaction

    from gongkai.core import services
    from gongkai.core.models import User

    try:
        user = User.objects.get(pk=user_pk)

        def write(i: int) -> None:
            if hold:  # the service plus more work inside the same transaction
                with transaction.atomic():
                    services.user_update(actor=None, user=user, phone=f"1390578{i % 10000:04d}", full_name=f"{tag}{i}")
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(%s)", [hold])
            else:  # as a view calls it: the service's own transaction
                services.user_update(actor=None, user=user, phone=f"1390578{i % 10000:04d}", full_name=f"{tag}{i}")

        for i in range(WARM_UP):
            write(-1 - i)
        backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        barrier.wait()
        cpu0, db0 = time.process_time(), _proc_cpu_s(backend) if backend else None
        for i in range(n):
            write(i)
        t_end = time.perf_counter()
        cpu = time.process_time() - cpu0
        db1 = _proc_cpu_s(backend) if backend else None
        db = (db1 - db0) if (db0 is not None and db1 is not None) else None
        results.put({"ok": True, "end": t_end, "cpu": cpu, "db_cpu": db})
    except BaseException as exc:  # reported by the parent
        results.put({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        connections.close_all()


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _start_worker() -> subprocess.Popen:
    """A Celery worker on this run's queue (environment as the parent's), once it answers a ping."""
    from gongkai.celery import app

    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "gongkai", "worker", "--pool", "solo", "--loglevel", "WARNING"]
        + ["--without-gossip", "--without-mingle", "-Q", os.environ["CELERY_QUEUE"]],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the Celery worker exited at start")
        # Its own connection, closed here: a pooled broker connection in the parent would be
        # inherited by the forked writers, whose after-fork cleanup then blocks on its socket.
        with app.connection_for_write() as conn:
            answered = app.control.ping(timeout=0.5, connection=conn)
        if answered:
            return proc
    proc.terminate()
    raise SystemExit("the Celery worker did not answer within 60 s")


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (PostgreSQL for real figures)")
    parser.add_argument("--writers", type=int, default=16, help="concurrent writer processes (default 16)")
    parser.add_argument("--single", type=int, default=3000, help="writes for the one-writer run (default 3000)")
    parser.add_argument(
        "--per-writer", type=int, default=300, help="writes per writer in the concurrent runs (default 300)"
    )
    parser.add_argument(
        "--hold-ms",
        type=float,
        default=0.0,
        help="extra time each transaction stays open after the service (pg_sleep): models services that do "
        "more work after their audit event, or a slow commit; 0 = the bare service",
    )
    parser.add_argument("--no-inline", action="store_true", help="skip the inline-mode baseline")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="Redis for the cache and the Celery broker of the sequencer worker",
    )
    parser.add_argument("--no-worker", action="store_true", help="no Celery worker: each writer links after commit")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--smoke", action="store_true", help="tiny run (seconds); works on SQLite")
    args = parser.parse_args()
    if args.smoke:
        args.single, args.per_writer = 10, 5
    return args


def _configure(args: argparse.Namespace) -> bool:
    """The environment of the run (inherited by the forked writers and the worker); True: with a worker."""
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    worker = not (args.smoke or args.no_worker) and _redis_up(args.redis)
    if worker:
        os.environ["REDIS_URL"] = args.redis
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
        os.environ["CELERY_QUEUE"] = f"gk-audit-bench-{os.getpid()}"
    else:
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ.setdefault("DEBUG", "0")  # production's setting: no query log in the writers
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="audit-bench-"))
    os.environ.setdefault("GONGKAI_AUDIT_CHECKPOINT_DIR", tempfile.mkdtemp(prefix="audit-bench-cp-"))
    return worker


def main() -> int:
    args = _parse_args()
    if not (args.db or args.smoke):
        print("Give --db postgres://… (or run --smoke)", file=sys.stderr)
        return 2
    worker = _configure(args)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        if not args.smoke:
            print("This benchmark needs PostgreSQL (--db postgres://…), or run --smoke", file=sys.stderr)
            return 2
        args.writers = 2  # SQLite serialises writers: the smoke run checks the code path only
    call_command("migrate", verbosity=0)

    from gongkai.core import audit
    from gongkai.core.models import AuditEvent, User

    run = time.strftime("%H%M%S")
    users = [
        User.objects.get_or_create(username=f"bench_audit_{i:02d}", defaults={"full_name": f"基准测试员{i}"})[0]
        for i in range(max(args.writers, 1))
    ]
    audit.chain_pending()
    sequencer = _start_worker() if worker else None
    hold = args.hold_ms / 1000 if connection.vendor == "postgresql" else 0
    ctx = mp.get_context("fork")

    def phase(mode: str, writers: int, per_writer: int) -> dict:
        settings.GONGKAI_AUDIT_CHAINING = mode  # inherited by the forked writers
        connections.close_all()  # never share a connection with a child
        gc.collect()
        gc.freeze()  # as gunicorn with preload: the children do not copy the parent's heap on first touch
        barrier, results = ctx.Barrier(writers + 1), ctx.Queue()
        procs = [
            ctx.Process(
                target=_writer, args=(users[w].pk, per_writer, f"{run}-{mode}-{writers}-", hold, barrier, results)
            )
            for w in range(writers)
        ]
        for p in procs:
            p.start()
        barrier.wait(timeout=600)
        t0 = time.perf_counter()
        busy0, total0 = _machine_busy()
        seq0 = _proc_cpu_s(sequencer.pid) if sequencer else None
        reports = [results.get(timeout=3600) for _ in procs]
        for p in procs:
            p.join()
        failed = [r["error"] for r in reports if not r["ok"]]
        if failed:
            raise SystemExit(f"writer failed ({mode}, {writers} writers): {failed[0]}")
        tail0 = time.process_time()
        audit.chain_pending()  # whatever is still pending is part of the cost (a worker's run of the last window)
        elapsed = time.perf_counter() - t0
        busy1, total1 = _machine_busy()
        seq1 = _proc_cpu_s(sequencer.pid) if sequencer else None
        if seq1 is not None:
            seq1 += time.process_time() - tail0
        n = writers * per_writer
        db = [r["db_cpu"] for r in reports]
        return {
            "per_s": n / elapsed,
            "sequencer_cpu_ms": (1000 * (seq1 - seq0) / n) if (seq0 is not None and seq1 is not None) else None,
            "app_cpu_ms": 1000 * sum(r["cpu"] for r in reports) / n,
            "db_cpu_ms": (1000 * sum(db) / n) if all(v is not None for v in db) else None,
            "machine_busy_pct": 100 * (busy1 - busy0) / (total1 - total0) if total1 > total0 else None,
        }

    before = AuditEvent.objects.count()
    load0 = os.getloadavg()
    try:
        one = phase("deferred", 1, args.single)
        many = phase("deferred", args.writers, args.per_writer)
        inline_many = None if args.no_inline else phase("inline", args.writers, args.per_writer)
    finally:
        if sequencer:
            sequencer.terminate()
            sequencer.wait(timeout=30)
    settings.GONGKAI_AUDIT_CHAINING = "deferred"
    written = AuditEvent.objects.count() - before
    phases = 1 if args.no_inline else 2
    expected = (WARM_UP + args.single) + (WARM_UP + args.per_writer) * args.writers * phases
    result = audit.verify()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cores = os.cpu_count() or 1

    def rounded(value, digits=2):
        return None if value is None else round(value, digits)

    def ceiling(p: dict) -> float | None:
        if p["db_cpu_ms"] is None:
            return None
        return round(cores * 1000 / (p["app_cpu_ms"] + p["db_cpu_ms"] + (p["sequencer_cpu_ms"] or 0)), 1)

    figures = {
        "database": connection.vendor,
        "writers": args.writers,
        "writer_kind": "processes",
        "hold_ms": args.hold_ms if hold else 0,
        "sequencer": "celery worker" if sequencer else "writers (eager Celery)",
        "writers_1_per_s": round(one["per_s"], 1),
        "writers_16_per_s": round(many["per_s"], 1),
        "scaling_ratio": round(many["per_s"] / one["per_s"], 2),
        "baseline_inline_writers_16_per_s": rounded(inline_many and inline_many["per_s"], 1),
        "ratio_vs_inline": rounded(inline_many and many["per_s"] / inline_many["per_s"]),
        "app_cpu_ms_per_write_1": rounded(one["app_cpu_ms"]),
        "db_cpu_ms_per_write_1": rounded(one["db_cpu_ms"]),
        "app_cpu_ms_per_write_16": rounded(many["app_cpu_ms"]),
        "db_cpu_ms_per_write_16": rounded(many["db_cpu_ms"]),
        "sequencer_cpu_ms_per_write_1": rounded(one["sequencer_cpu_ms"]),
        "sequencer_cpu_ms_per_write_16": rounded(many["sequencer_cpu_ms"]),
        "cpu_ceiling_per_s_16": ceiling(many),
        # One writer kept this share of the machine busy: with no more cores, 16 writers can at most
        # reach 100 / busy % of its rate, however little they wait for each other.
        "ratio_ceiling_of_these_cores": rounded(one["machine_busy_pct"] and 100 / one["machine_busy_pct"]),
        "cores": cores,
        "machine_busy_pct_1": rounded(one["machine_busy_pct"], 0),
        "machine_busy_pct_16": rounded(many["machine_busy_pct"], 0),
        "load_average_at_start": [round(v, 2) for v in load0],
        "events_written": written,
        "events_expected": expected,
        "chain_ok": result.ok,
        "chain_pending": result.pending,
        "peak_rss_mb": round(peak_mb, 1),
        "peak_rss_mb_writer": round(child_peak_mb, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:34} {value}")
    return 0 if (result.ok and written == expected) else 1


if __name__ == "__main__":
    sys.exit(main())

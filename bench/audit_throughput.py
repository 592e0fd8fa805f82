"""Benchmark: audited service writes per second with 1 and 16 concurrent writers (issue 18 item 5).

Usage:
    python bench/audit_throughput.py --db postgres://postgres@127.0.0.1:5432/gk_audit_bench [--json]
    python bench/audit_throughput.py --smoke            # seconds; SQLite in a temp dir unless --db is given

What it does: migrates the database, creates one staff account per writer, then has each
writer thread (one database connection each) call ``core.services.user_update`` — a real
service: row lock on the account, validation, save, and its audit event in one transaction —
on its own account, so the only shared resource is the audit chain. It measures writes/s
with 1 writer and with ``--writers`` (16) writers in the deferred chaining mode (events
inserted without the chain lock, linked after commit by the sequencer), and, as the
baseline in the same run, with 16 writers in the old inline mode (every writer holds the
chain-head lock until commit). At the end it links anything pending and verifies the whole
chain (``audit.verify``): the chain must stay linear and intact.

Figures depend on the machine: on the 2-core development machine the writers, PostgreSQL and
other jobs share the same two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (PostgreSQL for real figures)")
    parser.add_argument("--writers", type=int, default=16, help="concurrent writers (default 16)")
    parser.add_argument("--single", type=int, default=400, help="writes for the one-writer run (default 400)")
    parser.add_argument("--per-writer", type=int, default=80, help="writes per writer in the concurrent runs")
    parser.add_argument(
        "--hold-ms",
        type=float,
        default=0.0,
        help="extra time each transaction stays open after the service (pg_sleep): models services that do "
        "more work after their audit event, or a slow commit; 0 = the bare service",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--smoke", action="store_true", help="tiny run (seconds); works on SQLite")
    args = parser.parse_args()
    if args.smoke:
        args.single, args.per_writer = 10, 5
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    elif not args.smoke:
        print("Give --db postgres://… (or run --smoke)", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="audit-bench-"))
    os.environ.setdefault("GONGKAI_AUDIT_CHECKPOINT_DIR", tempfile.mkdtemp(prefix="audit-bench-cp-"))

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

    from gongkai.core import audit, services
    from gongkai.core.models import AuditEvent, User

    run = time.strftime("%H%M%S")
    users = [
        User.objects.get_or_create(username=f"bench_audit_{i:02d}", defaults={"full_name": f"基准测试员{i}"})[0]
        for i in range(max(args.writers, 1))
    ]
    audit.chain_pending()

    from django.db import transaction

    hold = args.hold_ms / 1000 if connection.vendor == "postgresql" else 0

    def write(user: User, n: int, tag: str) -> None:
        try:
            for i in range(n):
                with transaction.atomic():
                    services.user_update(actor=None, user=user, phone=f"1390578{i % 10000:04d}", full_name=f"{tag}{i}")
                    if hold:
                        with connection.cursor() as cursor:
                            cursor.execute("SELECT pg_sleep(%s)", [hold])
        finally:
            connections.close_all()

    def phase(mode: str, writers: int, per_writer: int) -> float:
        settings.GONGKAI_AUDIT_CHAINING = mode
        threads = [
            threading.Thread(target=write, args=(users[w], per_writer, f"{run}-{mode}-{writers}-"))
            for w in range(writers)
        ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        audit.chain_pending()  # whatever is still pending is part of the cost
        return writers * per_writer / (time.perf_counter() - t0)

    before = AuditEvent.objects.count()
    write(users[0], 5, "warm-")
    one = phase("deferred", 1, args.single)
    many = phase("deferred", args.writers, args.per_writer)
    inline_many = phase("inline", args.writers, args.per_writer)
    written = AuditEvent.objects.count() - before
    expected = 5 + args.single + 2 * args.writers * args.per_writer
    result = audit.verify()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "database": connection.vendor,
        "writers": args.writers,
        "hold_ms": args.hold_ms if hold else 0,
        "writers_1_per_s": round(one, 1),
        "writers_16_per_s": round(many, 1),
        "scaling_ratio": round(many / one, 2),
        "baseline_inline_writers_16_per_s": round(inline_many, 1),
        "ratio_vs_inline": round(many / inline_many, 2),
        "events_written": written,
        "events_expected": expected,
        "chain_ok": result.ok,
        "chain_pending": result.pending,
        "peak_rss_mb": round(peak_mb, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:34} {value}")
    return 0 if (result.ok and written == expected) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: information requests submitted concurrently against PostgreSQL.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_requests \\
        PYTHONPATH=src python bench/requests_concurrency.py [--n 1000] [--workers 16] [--baseline 200]
    python bench/requests_concurrency.py --smoke      # tiny run (8 requests); works on SQLite too

On SQLite (the embedded default) only ``--smoke`` runs, with one writer thread: SQLite
serialises writers, so there is no concurrency to measure there.

What it does: migrates the database, creates a bench unit, then submits
``--baseline`` requests sequentially (the baseline) and ``--n`` requests from a
pool of ``--workers`` threads, each through ``services.request_submit`` (the same
code path as the portal form and the API: validation, tracking code with retry on
collision, due-date computation, step history and the hash-chained audit event in
one transaction). It then counts what was stored: lost = submitted − stored,
duplicates = tracking codes stored more than once (both must be 0), and checks the
audit chain.

Why the service layer from threads rather than HTTP: the failure modes this
guards against (lost writes, duplicate codes, a broken audit chain under parallel
appends) live in the transaction, not in the web server; threads with one
PostgreSQL connection each give real parallel transactions while keeping the
figures about the database path. HTTP throughput depends on the WSGI server and
the number of app processes and is measured separately in deployment.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEMO", "1")
os.environ.setdefault("GONGKAI_DATA_DIR", "/tmp/requests-bench-data")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="concurrent submissions (default 1000)")
    parser.add_argument("--workers", type=int, default=16, help="threads (default 16)")
    parser.add_argument("--baseline", type=int, default=200, help="sequential submissions for the baseline")
    parser.add_argument("--smoke", action="store_true", help="a tiny run (4 + 8 requests) that also works on SQLite")
    args = parser.parse_args()
    if args.smoke:
        args.n, args.workers, args.baseline = 8, 2, 4

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        if not args.smoke:
            print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://… (or run --smoke)", file=sys.stderr)
            return 2
        args.workers = 1  # SQLite serialises writers: the smoke run checks the code path, not concurrency
    call_command("migrate", verbosity=0)
    from gongkai.core.workdays import current_calendar

    current_calendar()  # the holiday table is seeded by the migrations

    from django.db import transaction

    from gongkai.core import audit, credit_code
    from gongkai.core import services as core_services
    from gongkai.core.models import Level, Organisation, OrgKind
    from gongkai.requests import identity, services
    from gongkai.requests.models import InformationRequest

    unit = Organisation.objects.filter(name="基准测试县民政局").first()
    if unit is None:  # a department needs its government above it (core refuses a parentless department)
        with transaction.atomic():
            county = Organisation.objects.filter(
                name="基准测试县人民政府"
            ).first() or core_services.organisation_create(
                actor=None,
                parent=None,
                name="基准测试县人民政府",
                kind=OrgKind.GOVERNMENT,
                level=Level.COUNTY,
                credit_code=credit_code.make("11331124BCHGW0001"),
            )
            unit = core_services.organisation_create(
                actor=None,
                parent=county,
                name="基准测试县民政局",
                kind=OrgKind.DEPARTMENT,
                level=Level.COUNTY,
                credit_code=credit_code.make("11331124BCHDE0001"),
            )
    run = time.strftime("%H%M%S")

    def data(i: int, tag: str) -> services.ApplicantData:
        body = f"3311251985{(i % 12) + 1:02d}{(i % 28) + 1:02d}{i % 1000:03d}"
        return services.ApplicantData(
            applicant_type="person",
            name="基准测试",
            id_type="resident",
            id_number=body + identity.resident_id_check(body),
            phone=f"1{i:010d}",
            address="浙江省丽水市松阳县西屏街道",
            description=f"基准 {run} {tag} 第{i}号：请公开某文件",
            preferred_format="email",
            delivery="online",
        )

    def submit(i: int, tag: str) -> str:
        try:
            return services.request_submit(unit=unit, data=data(i, tag)).tracking_code
        finally:
            if tag == "conc":
                connections.close_all()

    def stored(tag: str):
        return list(
            InformationRequest.objects.filter(description__startswith=f"基准 {run} {tag} ").values_list(
                "tracking_code", flat=True
            )
        )

    # baseline: one writer
    t0 = time.perf_counter()
    base_codes = [submit(i, "seq") for i in range(args.baseline)]
    t_seq = time.perf_counter() - t0
    seq_rate = args.baseline / t_seq

    # concurrent
    t0 = time.perf_counter()
    errors = []

    def safe(i):
        try:
            return submit(i, "conc")
        except Exception as exc:  # noqa: BLE001 - counted and printed
            errors.append(repr(exc))
            return None

    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        codes = list(pool.map(safe, range(args.n)))
    t_conc = time.perf_counter() - t0
    conc_rate = args.n / t_conc

    got = stored("conc")
    returned = [c for c in codes if c]
    lost = args.n - len(set(got))
    dupes = len(got) - len(set(got))
    all_codes = list(InformationRequest.objects.values_list("tracking_code", flat=True))
    dupes_global = len(all_codes) - len(set(all_codes))
    chain = audit.verify()

    import resource

    engine = f"PostgreSQL {connection.pg_version // 10000}" if connection.vendor == "postgresql" else "SQLite (smoke)"
    print(f"{engine}, run {run}")
    print(
        f"baseline (sequential): {args.baseline} requests in {t_seq:.2f} s = {seq_rate:.1f} req/s "
        f"(stored {len(stored('seq'))}/{len(base_codes)})"
    )
    print(f"concurrent ({args.workers} threads): {args.n} requests in {t_conc:.2f} s = {conc_rate:.1f} req/s")
    print(f"ratio concurrent/baseline throughput: {conc_rate / seq_rate:.2f}")
    print(
        f"errors: {len(errors)}  returned: {len(returned)}  stored: {len(got)}  lost: {lost}  "
        f"duplicate tracking codes (run): {dupes}  (whole table): {dupes_global}"
    )
    print(f"audit chain: {'ok' if chain.ok else 'BROKEN at ' + str(chain.first_bad_id)} ({chain.checked} events)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for e in errors[:5]:
        print("  error:", e)
    return 0 if (lost == 0 and dupes == 0 and dupes_global == 0 and not errors and chain.ok) else 1


if __name__ == "__main__":
    sys.exit(main())

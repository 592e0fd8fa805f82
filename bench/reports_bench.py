"""Benchmark: annual-report tables 三 and 二 for every unit of a province-size year.

Builds (at ``--scale 1``) 2,000 units (1 province government, 99 county governments, 1,900
departments), 200,000 information requests (received 2024–2025, every outcome, every applicant
column) and 2,000,000 publications (1% 规章, 10% 行政规范性文件, the rest other kinds; 3% of the
normative documents repealed in 2025), then times, in the same run:

- **set-based**: ``gongkai.reports.record_sets.bulk_table3`` (ONE GROUP BY over all units) and
  ``bulk_normative`` (one GROUP BY for made/in force + one for repeals) for every unit;
- **naive baseline**: a per-unit Python loop over the ORM — for table 三, load each unit's requests
  as model instances and classify them in Python (``naive_table3``); for table 二, the publications
  app's per-unit ``normative_counts([unit], year)`` (3 queries per document type) — on a random
  sample of ``--sample`` units, extrapolated linearly to all units (stated in the output). The
  requests app's own per-unit ``annual_table3([unit], year)`` is timed too, for information;

and checks that all of them give identical tables for the sampled units.

Usage::

    python bench/reports_bench.py [--scale 0.01] [--sample 50] [--db sqlite|postgres://.../gk_reports_bench]
    python bench/reports_bench.py --smoke      # seconds: 20 units, 200 requests, 2,000 publications

The given PostgreSQL database is emptied (schema dropped) first; by default a temporary SQLite
file is used. Rows are inserted with COPY (PostgreSQL) or executemany (SQLite) from values
prepared by the models' own fields, so the data is what the apps would store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

YEAR = 2025


def setup_django(db: str, data_dir: Path) -> None:
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    if db != "sqlite":
        os.environ["DATABASE_URL"] = db
    import django

    django.setup()


def fast_insert(model, template: dict, varying: list[str], rows) -> int:
    """Insert many rows of ``model``: every concrete column from ``template`` (model field values,
    prepared by each field for the database) except the ``varying`` ones, given per row."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    probe = model(**template)
    fixed = {}
    for f in fields:
        if f.attname not in varying:
            value = getattr(probe, f.attname)
            if value is None and getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                value = dt.datetime(2025, 12, 31, tzinfo=dt.UTC)
            fixed[f.attname] = f.get_db_prep_save(value, connection)
    columns = [f.column for f in fields]
    by_attname = {f.attname: f for f in fields}
    table = model._meta.db_table
    n = 0
    if connection.vendor == "postgresql":
        cols = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cur:
            with cur.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[f.attname] if f.attname in row else fixed[f.attname] for f in fields])
                    n += 1
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) VALUES ({placeholders})'
        batch = []
        with connection.cursor() as cur:
            for row in rows:
                batch.append(
                    [
                        by_attname[f.attname].get_db_prep_save(row[f.attname], connection)
                        if f.attname in row
                        else fixed[f.attname]
                        for f in fields
                    ]
                )
                if len(batch) >= 5000:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
    return n


def build(scale: float, rnd: random.Random) -> list:
    from django.db import connection, transaction

    from gongkai.core.models import Organisation
    from gongkai.publications.models import LegalLink, Publication
    from gongkai.requests.models import InformationRequest, ReviewCase
    from gongkai.requests.stats import OUTCOME_ROWS

    n_units = max(int(2000 * scale), 20)
    n_counties = max(n_units // 20 - 1, 1)
    n_requests = int(200_000 * scale)
    n_pubs = int(2_000_000 * scale)
    t0 = time.perf_counter()
    with transaction.atomic():
        province = Organisation.objects.create(
            name="某省人民政府", kind="government", level="province", credit_code="11000000BENCH00000"
        )
        Organisation.objects.filter(pk=province.pk).update(path=f"{province.pk:06d}.", depth=0)
        province.refresh_from_db()
        units = [province]
        counties = []
        for i in range(n_counties):
            c = Organisation(
                parent=province,
                name=f"第{i + 1}县人民政府",
                kind="government",
                level="county",
                credit_code=f"11{i:06d}C000000000"[:18],
            )
            counties.append(c)
        Organisation.objects.bulk_create(counties, batch_size=1000)
        counties = list(Organisation.objects.filter(parent=province).order_by("pk"))
        for c in counties:
            c.path, c.depth = f"{province.path}{c.pk:06d}.", 1
        Organisation.objects.bulk_update(counties, ["path", "depth"], batch_size=1000)
        units += counties
        depts = []
        per = max(-(-(n_units - len(units)) // len(counties)), 1)  # ceil: exactly n_units in all
        for ci, c in enumerate(counties):
            for j in range(per):
                if len(units) + len(depts) >= n_units:
                    break
                depts.append(
                    Organisation(
                        parent=c,
                        name=f"第{ci + 1}县第{j + 1}局",
                        kind="department",
                        level="county",
                        credit_code=f"11{ci:05d}D{j:04d}00000"[:18],
                    )
                )
        Organisation.objects.bulk_create(depts, batch_size=2000)
        depts = list(Organisation.objects.filter(kind="department").select_related("parent").order_by("pk"))
        for d in depts:
            d.path, d.depth = f"{d.parent.path}{d.pk:06d}.", 2
        Organisation.objects.bulk_update(depts, ["path", "depth"], batch_size=2000)
        units += depts
    unit_ids = [u.pk for u in units]
    print(f"  units: {len(units):,} ({time.perf_counter() - t0:.1f} s)")

    outcomes = list(OUTCOME_ROWS)
    cols = [
        ("person", ""),
        ("organisation", "commercial"),
        ("organisation", "research"),
        ("organisation", "charity"),
        ("organisation", "legal"),
        ("organisation", "other"),
    ]
    weights = [70, 12, 3, 3, 8, 4]

    def requests():
        for i in range(n_requests):
            received = dt.date(2024, 7, 1) + dt.timedelta(days=rnd.randrange(548))  # mid-2024 .. 2025
            finished = received + dt.timedelta(days=rnd.randrange(5, 45))
            if finished > dt.date(2026, 1, 20) or rnd.random() < 0.03:
                finished = None
            atype, otype = rnd.choices(cols, weights)[0]
            yield {
                "unit_id": rnd.choice(unit_ids),
                "tracking_code": f"B{i:011d}",
                "applicant_type": atype,
                "org_type": otype,
                "received_on": received,
                "finished_on": finished,
                "outcome": rnd.choice(outcomes) if finished else "",
                "applicant_key": f"k{i % 50000}",
                "submitted_at": dt.datetime.combine(received, dt.time(9), tzinfo=dt.UTC),
                "due_date": received + dt.timedelta(days=28),
            }

    t0 = time.perf_counter()
    with transaction.atomic():
        n = fast_insert(
            InformationRequest,
            dict(
                unit_id=unit_ids[0],
                tracking_code="x",
                status="closed",
                applicant_type="person",
                name="申请人",
                phone="13900000000",
                address="某省某县某路1号",
                description="请公开某县2025年度城乡低保资金发放情况",
                preferred_format="email",
                delivery="email",
                submitted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                received_on=dt.date(2025, 1, 1),
                applicant_key="k",
            ),
            [
                "unit_id",
                "tracking_code",
                "applicant_type",
                "org_type",
                "received_on",
                "finished_on",
                "outcome",
                "applicant_key",
                "submitted_at",
                "due_date",
            ],
            requests(),
        )
    print(f"  requests: {n:,} ({time.perf_counter() - t0:.1f} s)")

    kinds = (
        ["regulation"] * 1
        + ["normative"] * 10
        + ["notice"] * 40
        + ["policy"] * 15
        + ["general"] * 24
        + ["budget"] * 5
        + ["interpretation"] * 5
    )

    def pubs():
        for i in range(n_pubs):
            published = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(2557))  # 2019 .. 2025
            yield {
                "unit_id": rnd.choice(unit_ids),
                "doc_type": rnd.choice(kinds),
                "published_on": published,
                "made_on": published,
                "effective_from": published,
                "title": f"关于做好第{i}项工作的通知",
                "document_number": f"某发〔{published.year}〕{i}号",
            }

    t0 = time.perf_counter()
    with transaction.atomic():
        n = fast_insert(
            Publication,
            dict(unit_id=unit_ids[0], doc_type="notice", title="x", state="published"),
            ["unit_id", "doc_type", "published_on", "made_on", "effective_from", "title", "document_number"],
            pubs(),
        )
    print(f"  publications: {n:,} ({time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    normative = list(
        Publication.objects.filter(doc_type__in=["normative", "regulation"], published_on__year__lt=2025).values_list(
            "pk", "unit_id"
        )
    )
    rnd.shuffle(normative)
    repeals = normative[: len(normative) * 3 // 100]
    by_unit = {}
    for pk, uid in normative:
        by_unit.setdefault(uid, pk)
    links = [
        LegalLink(kind="repeal", target_id=pk, by_id=by_unit[uid], effective_on=dt.date(2025, rnd.randint(1, 12), 1))
        for pk, uid in repeals
        if by_unit[uid] != pk
    ]
    LegalLink.objects.bulk_create(links, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    print(f"  repeal links: {len(links):,} ({time.perf_counter() - t0:.1f} s)")
    _ = ReviewCase
    return units


def naive_table3(unit, year: int) -> dict:
    """The naive baseline: load the unit's requests through the ORM and classify them in Python."""
    from django.db.models import Q

    from gongkai.reports import record_sets
    from gongkai.requests import stats as rstats
    from gongkai.requests.models import InformationRequest

    T = record_sets.T
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    t = {row: dict.fromkeys(T.T3_COL_KEYS, 0) for row in T.T3_ROW_KEYS}
    qs = InformationRequest.objects.filter(unit=unit, received_on__lte=end).filter(
        Q(finished_on__isnull=True) | Q(finished_on__gte=start)
    )
    for req in qs:
        col = record_sets._t3_col(rstats.column_of(req))
        keys = ["new" if req.received_on >= start else "carried_in"]
        if req.finished_on is not None and req.finished_on <= end:
            section, item = rstats.OUTCOME_ROWS.get(req.outcome, ("other", 3))
            keys += [record_sets._t3_row(f"{section}.{item}" if item else section), "result_total"]
        else:
            keys.append("carried_out")
        for k in keys:
            t[k][col] += 1
            t[k]["total"] += 1
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 2,000 units / 200k requests / 2M publications")
    parser.add_argument("--sample", type=int, default=50, help="units in the naive per-unit baseline sample")
    parser.add_argument("--db", default="sqlite", help="'sqlite' (fresh temp file) or a PostgreSQL DATABASE_URL")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--smoke", action="store_true", help="a tiny run (scale 0.001, 5 sampled units) for the test suite"
    )
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.sample = 0.001, 5

    tmp = Path(tempfile.mkdtemp(prefix="gk-reports-bench-"))
    setup_django(args.db, tmp)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    rnd = random.Random(args.seed)
    print(f"database: {connection.vendor}; scale {args.scale}")
    units = build(args.scale, rnd)

    from gongkai.core.models import Organisation
    from gongkai.publications.selectors import normative_counts
    from gongkai.reports import record_sets
    from gongkai.requests.stats import annual_table3

    all_units = Organisation.objects.filter(pk__in=[u.pk for u in units])
    t0 = time.perf_counter()
    t3_all = record_sets.bulk_table3(all_units, YEAR)
    set_t3 = time.perf_counter() - t0
    t0 = time.perf_counter()
    t2_all = record_sets.bulk_normative(all_units, YEAR)
    set_t2 = time.perf_counter() - t0

    sample = rnd.sample(units, min(args.sample, len(units)))
    t0 = time.perf_counter()
    naive3 = {u.pk: naive_table3(u, YEAR) for u in sample}
    naive_t3 = time.perf_counter() - t0
    t0 = time.perf_counter()
    owner3 = {u.pk: annual_table3([u], YEAR) for u in sample}
    owner_t3 = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive2 = {u.pk: normative_counts([u], YEAR) for u in sample}
    naive_t2 = time.perf_counter() - t0

    # both ways give the same tables
    from gongkai.reports import sources

    mismatches = 0
    empty3 = {r: dict.fromkeys(record_sets.T.T3_COL_KEYS, 0) for r in record_sets.T.T3_ROW_KEYS}
    for u in sample:
        theirs = sources.normalise_table3(owner3[u.pk])
        mine = t3_all.get(u.pk, empty3)
        for r in record_sets.T.T3_ROW_KEYS:
            for c in record_sets.T.T3_COL_KEYS:
                if mine[r][c] != naive3[u.pk][r][c]:
                    mismatches += 1
                v = theirs[r][c]["v"]
                if v is not None and mine[r][c] != v:  # (the owner's totals are derived by the report engine)
                    mismatches += 1
        lib = naive2[u.pk]
        mine2 = t2_all.get(
            u.pk,
            {
                "rules": {"made": 0, "repealed": 0, "in_force": 0},
                "normative": {"made": 0, "repealed": 0, "in_force": 0},
            },
        )
        for label, key in (("规章", "rules"), ("行政规范性文件", "normative")):
            if lib[label] != mine2[key]:
                mismatches += 1

    factor = len(units) / len(sample)
    est3, est2 = naive_t3 * factor, naive_t2 * factor
    print()
    print(f"units {len(units):,}; naive sample {len(sample)} units, extrapolated ×{factor:.1f}")
    print(f"table 三, all units, set-based (1 GROUP BY):          {set_t3:8.2f} s")
    print(
        f"table 三, all units, naive per-unit loop (estimated): {est3:8.2f} s  (sample {naive_t3:.2f} s)"
        f"  → ×{est3 / set_t3:.1f}"
    )
    print(f"  (the requests app's own annual_table3([unit]) per unit, estimated: {owner_t3 * factor:.2f} s)")
    print(f"table 二, all units, set-based (2 GROUP BY):          {set_t2:8.2f} s")
    print(
        f"table 二, all units, naive per-unit loop (estimated): {est2:8.2f} s  (sample {naive_t2:.2f} s)"
        f"  → ×{est2 / set_t2:.1f}"
    )
    print(
        f"both together: set-based {set_t3 + set_t2:.2f} s vs naive ≈ {est3 + est2:.2f} s "
        f"(×{(est3 + est2) / (set_t3 + set_t2):.1f})"
    )
    print(f"result check on the sample: {'identical' if not mismatches else f'{mismatches} cells differ'}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Benchmark: 双公示 import at scale and the CKAN ``package_search`` over many datasets.

1. Import: N penalty and licence rows (half each) generated in the national template's column
   order as CSV, imported with :class:`gongkai.credit.importer.Importer` (validation per row,
   ``COPY`` on PostgreSQL and ``bulk_create`` elsewhere, in chunks, all-or-nothing in one
   transaction), against two baselines measured
   in the same run on a subset: the same validated rows saved with one ORM ``save()`` per row in
   one transaction (the per-row ORM baseline), and the per-row service (what the case-system
   API does for each decision: validation, duplicate check, save, audit event).
2. Search: M published datasets (bulk-created with tags, themes and resources), then Q
   ``/api/3/action/package_search`` requests through Django's test client (q, fq on
   organization / tags / res_format, sort, rows, start); p50/p95 latency, against a baseline
   that answers the same queries by loading every dataset and filtering in Python.
3. Peak RSS of the process.

Usage::

    python bench/records_bench.py [--records 1000000] [--datasets 10000] [--queries 300]
                                  [--baseline 5000] [--db sqlite|URL] [--only import|search] [--smoke]

The baselines run on a sample (``--baseline`` rows for the per-row ORM, a 25th of that, at
most 500, for the per-row service) and report rows/s; the speed-up compares rates.

``--smoke`` runs a tiny size (2,000 records, 200 datasets) for the test suite. All data is
generated (fictitious parties with valid check characters).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

VIOLATIONS = [
    ("销售不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条第一款第（一）项", "警告;罚款"),
    ("未按规定公示食品经营许可证", "《中华人民共和国食品安全法》第一百二十六条第一款第（十一）项", "警告"),
    ("超限运输", "《公路安全保护条例》第六十四条", "罚款"),
    ("销售过期药品", "《中华人民共和国药品管理法》第一百一十七条第一款", "没收违法所得;罚款"),
    ("违反规定占道经营", "《城市市容和环境卫生管理条例》第三十六条第（二）项", "罚款"),
]
LICENCES = [
    ("食品经营许可决定书", "普通", "食品经营许可证", "预包装食品销售（含冷藏冷冻食品）"),
    ("道路运输经营许可决定书", "普通", "道路运输经营许可证", "道路普通货物运输"),
    ("公共场所卫生许可决定书", "普通", "卫生许可证", "住宿业（宾馆）"),
]
SHOPS = ["茶叶店", "餐饮店", "超市", "药房", "货运部", "农家乐", "五金店", "理发店", "粮油店", "服装店"]
TOWNS = ["西屏", "水南", "望松", "古市", "象溪", "大东坝", "新兴", "玉岩", "赤寿", "樟溪"]


def setup_django(db: str, data_dir: Path) -> None:
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DEBUG"] = "0"
    if db != "sqlite":
        os.environ["DATABASE_URL"] = db
    import django

    django.setup()


def codes(n: int) -> list[str]:
    """n distinct, checksum-valid unified social credit codes of individual businesses (92…)."""
    from gongkai.core import credit_code

    alphabet = credit_code.ALPHABET
    out = []
    for i in range(n):
        body, x = [], i
        for _ in range(9):
            body.append(alphabet[x % 31])
            x //= 31
        out.append(credit_code.make("92331124" + "".join(body)))
    return out


def make_csv(kind: str, n: int, start: int, pool: list[str], rng: random.Random) -> bytes:
    from gongkai.credit import template

    cols = template.columns(kind, with_severity=kind == "penalty")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c.header for c in cols])
    base = {"party_category": "个体工商户"}
    for i in range(start, start + n):
        town = TOWNS[i % len(TOWNS)]
        day = f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}"
        row = dict(base, party_name=f"松阳县{town}{SHOPS[i % len(SHOPS)]}{i}号", credit_code=pool[i % len(pool)])
        if kind == "penalty":
            violation, basis, types = VIOLATIONS[i % len(VIOLATIONS)]
            fine = rng.choice(["0", "0.2", "0.5", "1", "2", "5"])
            row.update(
                decision_number=f"松罚〔2026〕{i}号",
                violation_type=violation,
                facts=f"经查，当事人存在{violation}的行为。",
                basis=basis,
                penalty_types=types if fine != "0" else "警告",
                content=f"{types.replace(';', '、')}。",
                fine_amount=fine if fine != "0" else "",
                decided_on=day,
                severity="一般",
            )
        else:
            doc, category, cert, content = LICENCES[i % len(LICENCES)]
            row.update(
                decision_document=doc,
                decision_number=f"松许〔2026〕{i}号",
                category=category,
                certificate_name=cert,
                certificate_number=f"JY2331124{i:08d}",
                content=content,
                decided_on=day,
                valid_from=day,
                valid_to=f"2031-{1 + i % 11:02d}-{1 + i % 28:02d}",
                status="有效",
            )
        writer.writerow([row.get(c.field, "") for c in cols])
    return buf.getvalue().encode("utf-8-sig")


def import_bench(args, unit_bulk, unit_base, unit_svc, admin) -> None:
    from django.db import transaction

    from gongkai.credit import importer, services, validation
    from gongkai.credit.models import Licence, Penalty

    rng = random.Random(17)  # noqa: S311 - benchmark data
    pool = codes(50_000)
    half = args.records // 2
    t0 = time.perf_counter()
    files = {
        "penalty": make_csv("penalty", half, 0, pool, rng),
        "licence": make_csv("licence", args.records - half, 0, pool, rng),
    }
    gen = time.perf_counter() - t0
    mb = sum(len(f) for f in files.values()) / 1024 / 1024
    print(f"generated {args.records:,} rows ({mb:.0f} MB CSV) in {gen:.1f} s")

    t0, cpu0 = time.perf_counter(), time.process_time()
    total = 0
    for kind, data in files.items():
        result = importer.Importer(actor=admin, unit=unit_bulk, kind=kind, index=False).run(f"{kind}.csv", data)
        assert result.committed, [str(e) for e in result.errors[:3]]
        total += result.created
    bulk = time.perf_counter() - t0
    bulk_rate = total / bulk
    cpu = time.process_time() - cpu0
    print(
        f"import (bulk path): {total:,} rows in {bulk:.1f} s = {bulk_rate:,.0f} rows/s "
        f"(this process's CPU {cpu:.0f} s; the rest is the database server and waiting for a core)"
    )
    assert Penalty.objects.count() + Licence.objects.count() >= total

    # baseline 1: the same validated rows, one ORM save() per row, in one transaction
    n_base = min(args.baseline, args.records)
    sample = make_csv("penalty", n_base, 10_000_000, pool, rng)
    imp = importer.Importer(actor=admin, unit=unit_base, kind="penalty", index=False)
    rows = list(importer.read_rows("b.csv", sample))
    header = importer._header_map("penalty", rows[0])
    t0 = time.perf_counter()
    with transaction.atomic():
        for row in rows[1:]:
            raw = {col.field: row[i] for i, col in header.items()}
            values = imp._derive(validation.clean("penalty", raw))
            Penalty(unit=unit_base, source="import", state="published", **values).save()
    orm = time.perf_counter() - t0
    orm_rate = n_base / orm
    print(f"baseline per-row ORM ({n_base:,} rows): {orm:.1f} s = {orm_rate:,.0f} rows/s")

    # baseline 2: the per-row service (case-system API path), on a smaller subset
    n_svc = max(min(n_base // 25, 500), 20)
    t0 = time.perf_counter()
    for row in rows[1 : n_svc + 1]:
        raw = {col.field: row[i] for i, col in header.items()}
        raw["decision_number"] = "S" + raw["decision_number"]
        services.record_create(actor=admin, kind="penalty", unit=unit_svc, data=raw, publish=True)
    svc = time.perf_counter() - t0
    svc_rate = n_svc / svc
    print(f"baseline per-row service + publish ({n_svc:,} rows): {svc:.1f} s = {svc_rate:,.0f} rows/s")
    print(
        f"speed-up of the bulk import: ×{bulk_rate / orm_rate:.1f} over per-row ORM, ×{bulk_rate / svc_rate:.1f} over per-row service"
    )


def make_datasets(m: int, units) -> None:
    import uuid

    from django.utils import timezone

    from gongkai.opendata.models import DataLicence, Dataset, Resource, Tag, Theme

    rng = random.Random(23)  # noqa: S311 - benchmark data
    words = [
        "公交",
        "站点",
        "空气质量",
        "预算",
        "学校",
        "医院",
        "养老",
        "茶叶",
        "水位",
        "招聘",
        "景区",
        "公厕",
        "人口",
        "企业",
        "农业",
    ]
    tags = {w: Tag.objects.get_or_create(name=w)[0] for w in words}
    themes = list(Theme.objects.all())
    licence = DataLicence.objects.get(pk="cc-by-4.0")
    now = timezone.now()
    datasets = [
        Dataset(
            uuid=uuid.uuid4(),
            name=f"ds-{i:06d}",
            identifier=f"SJ-BENCH-{i:06d}",
            title=f"松阳县{TOWNS[i % len(TOWNS)]}{words[i % len(words)]}数据（{2015 + i % 11}年）",
            description=f"{words[i % len(words)]}相关统计数据，第{i}号。",
            unit=units[i % len(units)],
            domain="综合政务",
            update_frequency="annual",
            licence=licence,
            contact_name="松阳县大数据中心",
            state="published",
            published_at=now,
            modified_at=now,
            created_at=now,
        )
        for i in range(m)
    ]
    Dataset.objects.bulk_create(datasets, batch_size=2000)
    ids = list(Dataset.objects.order_by("pk").values_list("pk", flat=True))
    TagLink, ThemeLink = Dataset.tags.through, Dataset.themes.through
    TagLink.objects.bulk_create(
        [TagLink(dataset_id=pk, tag_id=tags[w].pk) for i, pk in enumerate(ids) for w in rng.sample(words, 3)],
        batch_size=5000,
        ignore_conflicts=True,
    )
    ThemeLink.objects.bulk_create(
        [ThemeLink(dataset_id=pk, theme_id=themes[i % len(themes)].pk) for i, pk in enumerate(ids)], batch_size=5000
    )
    formats = ["CSV", "XLSX", "JSON", "API"]
    Resource.objects.bulk_create(
        [
            Resource(
                dataset_id=pk,
                name=f"资源{j}",
                format=formats[(i + j) % 4],
                url=f"https://data.example.gov.cn/{pk}/{j}",
                size=1000 + i,
            )
            for i, pk in enumerate(ids)
            for j in range(2)
        ],
        batch_size=5000,
    )


def search_bench(args, units) -> None:
    from django.test import Client

    from gongkai.opendata import selectors
    from gongkai.opendata.models import Dataset

    t0 = time.perf_counter()
    make_datasets(args.datasets, units)
    print(
        f"created {args.datasets:,} published datasets (bulk, with tags, themes, 2 resources each) in {time.perf_counter() - t0:.1f} s"
    )
    orgs = [selectors.org_name(u) for u in units]
    rng = random.Random(5)  # noqa: S311 - benchmark data
    queries = []
    for i in range(args.queries):
        kind = i % 6
        q = {"rows": 10, "start": rng.choice([0, 0, 10, 100])}
        if kind == 0:
            q["q"] = rng.choice(["公交", "空气质量", "预算", "养老 数据", "2019年"])
        elif kind == 1:
            q["fq"] = f"organization:{rng.choice(orgs)}"
        elif kind == 2:
            q["fq"] = f"tags:{rng.choice(['公交', '学校', '茶叶'])}"
        elif kind == 3:
            q["fq"] = f"res_format:{rng.choice(['CSV', 'XLSX', 'JSON'])}"
            q["sort"] = "metadata_modified desc"
        elif kind == 4:
            q["q"] = "松阳县"
            q["fq"] = f"organization:{rng.choice(orgs)} res_format:CSV"
            q["sort"] = "name asc"
        else:
            q["rows"] = 100
        queries.append(q)
    client = Client()
    client.get("/api/3/action/package_search", {"rows": 1})  # warm up
    times, small = [], []
    for q in queries:
        t = time.perf_counter()
        r = client.get("/api/3/action/package_search", q)
        ms = (time.perf_counter() - t) * 1000
        times.append(ms)
        if q["rows"] <= 20:
            small.append(ms)
        assert r.status_code == 200, r.content[:200]
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
    print(f"package_search over {args.datasets:,} datasets, {len(queries)} queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    big = [ms for ms, q in zip(times, queries, strict=True) if q["rows"] > 20]
    print(
        f"  rows=10 ({len(small)} queries): p50 {statistics.median(small):.1f} ms, "
        f"p95 {statistics.quantiles(small, n=20)[18]:.1f} ms; "
        f"rows=100 ({len(big)} queries): p50 {statistics.median(big):.1f} ms"
    )

    # baseline: every dataset loaded with its tags, publisher and formats, filtered in Python
    n_naive = max(len(queries) // 10, 6)
    naive_times = []
    for q in queries[:n_naive]:
        t = time.perf_counter()
        rows = list(
            Dataset.objects.filter(state="published").select_related("unit").prefetch_related("tags", "resources")
        )
        term = q.get("q", "").split()[0] if q.get("q") else ""
        hits = [
            d
            for d in rows
            if not term or term in d.title or term in d.description or any(term == tg.name for tg in d.tags.all())
        ]
        hits.sort(key=lambda d: d.modified_at, reverse=True)
        _ = hits[q["start"] : q["start"] + q["rows"]]
        naive_times.append((time.perf_counter() - t) * 1000)
    print(f"baseline (load all and filter in Python, {n_naive} queries): p50 {statistics.median(naive_times):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline", type=int, default=5_000, help="rows for the per-row ORM baseline")
    parser.add_argument("--db", default="sqlite", help="'sqlite' (fresh temp file) or a DATABASE_URL")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    parser.add_argument("--only", choices=["import", "search"], help="run one part only")
    args = parser.parse_args()
    if args.smoke:
        args.records, args.datasets, args.queries, args.baseline = 2_000, 200, 30, 200

    tmp = Path(tempfile.mkdtemp(prefix="gk-records-bench-"))
    setup_django(args.db, tmp)
    from django.core.management import call_command
    from django.db import connection

    if args.db != "sqlite":
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)

    from gongkai.core import services as core_services
    from gongkai.core.models import Level, OrgKind, User
    from tests.factories import make_credit_code

    county = core_services.organisation_create(
        actor=None,
        parent=None,
        name="松阳县人民政府",
        kind=OrgKind.GOVERNMENT,
        level=Level.COUNTY,
        credit_code=make_credit_code(1),
    )
    units = [
        core_services.organisation_create(
            actor=None, parent=county, name=name, kind=OrgKind.DEPARTMENT, credit_code=make_credit_code(10 + i)
        )
        for i, name in enumerate(
            ["松阳县市场监督管理局", "松阳县交通运输局", "松阳县卫生健康局", "松阳县综合行政执法局"]
        )
    ]
    admin = User.objects.create_superuser("bench", "bench@example.invalid", "bench-pass-123")
    print(f"database: {connection.vendor}; load average {_load()}")
    if args.only != "search":
        import_bench(args, units[0], units[1], units[2], admin)
        print(f"load average {_load()}")
    if args.only != "import":
        search_bench(args, units)
        print(f"load average {_load()}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()

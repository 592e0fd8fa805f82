"""Benchmark: bulk import of already-published items (``gongkai import_publications``).

Generates N realistic Chinese items (titles and bodies from a government-document
vocabulary), writes them as JSON Lines, and imports them into a fresh database:

- bulk path: the importer as shipped (validation per row, bulk_create in batches of
  2,000, one index-number reservation and one audit event per batch);
- baseline: the same rows through the per-row path (one transaction, one index-number
  allocation, one audit event and single-row inserts per item), on a subset;
- search: the imported items indexed through the search backend's bulk path.

Usage::

    python bench/publications_import.py [--items 100000] [--baseline 2000] [--db sqlite|URL] [--no-search]
    python bench/publications_import.py --smoke      # seconds: does it still run?

By default a fresh SQLite database under a temporary directory is used; pass
``--db postgres://postgres@127.0.0.1:5432/gk_publications_bench`` for PostgreSQL
(the database is created/emptied by Django's test-database machinery).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.factories (credit codes)

UNITS = [
    "县民政局",
    "县人力社保局",
    "县教育局",
    "县卫生健康局",
    "县财政局",
    "县农业农村局",
    "县住建局",
    "县医保局",
    "县市场监管局",
    "县自然资源分局",
]
ACTIONS = ["印发", "进一步加强", "做好", "调整", "规范", "开展", "推进", "公布", "实施", "完善"]
TOPICS = [
    "城乡居民最低生活保障",
    "特困人员救助供养",
    "临时救助",
    "城乡居民基本医疗保险",
    "义务教育招生入学",
    "农村宅基地审批",
    "住房公积金缴存",
    "高龄津贴发放",
    "残疾人两项补贴",
    "退役军人优待",
    "就业创业补贴",
    "职业技能培训",
    "企业职工基本养老保险",
    "城镇老旧小区改造",
    "农村生活污水治理",
    "耕地地力保护补贴",
    "食品安全抽检",
    "安全生产专项整治",
    "文化惠民工程",
    "公共租赁住房保障",
    "医疗救助",
    "学生资助",
    "村级组织运转经费",
    "政府采购",
    "行政事业性收费",
]
KINDS = [
    ("notice", "通知"),
    ("policy", "实施意见"),
    ("normative", "管理办法"),
    ("normative", "实施细则"),
    ("interpretation", "政策解读"),
    ("budget", "部门预算"),
    ("general", "工作方案"),
    ("notice", "公告"),
]
SENTENCES = [
    "为深入贯彻落实党中央、国务院关于{t}工作的决策部署，切实保障困难群众基本生活，结合本县实际，制定本办法。",
    "本办法适用于本县行政区域内{t}的申请、审核、确认和监督管理工作。",
    "县{u}负责全县{t}工作的统筹协调和监督指导，乡镇人民政府（街道办事处）负责具体组织实施。",
    "申请人应当如实提供家庭人口、收入和财产状况等材料，并签署授权核对家庭经济状况的书面声明。",
    "乡镇人民政府（街道办事处）应当自受理申请之日起10个工作日内完成入户调查，并在村（居）务公开栏公示7天。",
    "对符合条件的，自批准之日起按月发放；对不符合条件的，应当书面告知申请人并说明理由。",
    "各单位要加强政策宣传解读，通过政府门户网站、政务新媒体和村（社区）公开栏及时公开{t}相关信息。",
    "本文件自印发之日起施行，有效期五年。此前有关规定与本文件不一致的，以本文件为准。",
    "2025年全县共保障对象3,215户5,402人，累计发放资金6,874.3万元，较上年增长4.6%。",
    "对违反规定骗取{t}资金的，依法追回并记入社会信用记录；构成犯罪的，依法追究刑事责任。",
    "资金来源包括中央和省级补助、市县财政配套资金，实行专户管理、专款专用。",
    "群众对{t}有疑问的，可拨打政务服务热线12345或到乡镇（街道）便民服务中心咨询。",
]


def make_rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        unit = rng.choice(UNITS)
        topic = rng.choice(TOPICS)
        doc_type, kind = rng.choice(KINDS)
        year = rng.randint(2016, 2025)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        title = f"松阳{unit}关于{rng.choice(ACTIONS)}{topic}{kind}（{year}年第{i % 97 + 1}号）"
        body = "".join(
            "<p>" + s.format(t=topic, u=unit.removeprefix("县")) + "</p>"
            for s in rng.sample(SENTENCES, rng.randint(4, 8))
        )
        row = {
            "type": doc_type,
            "title": title,
            "document_number": f"松{unit[1]}发〔{year}〕{i % 997 + 1}号",
            "issuer": "松阳" + unit,
            "made_on": f"{year}-{month:02d}-{day:02d}",
            "published_on": f"{year}-{month:02d}-{min(day + rng.randint(0, 3), 28):02d}",
            "body": body,
            "url": f"http://www.songyang.gov.cn/art/{year}/{month}/{day}/art_1229_{i}.html",
        }
        if doc_type == "normative":
            row["effective_from"] = f"{year}-{month:02d}-28"
            if rng.random() < 0.5:
                row["expires_on"] = f"{year + 5}-{month:02d}-28"
        if rng.random() < 0.2:
            row["attachments"] = [f"http://www.songyang.gov.cn/module/download/{i}.pdf"]
        yield row


def setup_django(db: str, data_dir: Path) -> None:
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DEBUG"] = "0"  # no SQL logging overhead
    if db != "sqlite":
        os.environ["DATABASE_URL"] = db
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=2_000, help="rows for the per-row baseline")
    parser.add_argument("--db", default="sqlite", help="'sqlite' (fresh temp file) or a DATABASE_URL")
    parser.add_argument("--no-search", action="store_true", help="skip the search indexing figure")
    parser.add_argument("--smoke", action="store_true", help="a tiny run (200 items) that only checks it still works")
    args = parser.parse_args()
    if args.smoke:
        args.items, args.baseline = 200, 10

    tmp = Path(tempfile.mkdtemp(prefix="gk-pub-bench-"))
    setup_django(args.db, tmp)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if args.db != "sqlite":  # empty the given PostgreSQL database
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    settings.GONGKAI_SEARCH_INDEX_DIR = tmp / "search-index"
    call_command("migrate", verbosity=0)

    from gongkai.core import services as core_services
    from gongkai.core.models import Level, OrgKind
    from gongkai.publications.importer import Importer
    from gongkai.publications.models import Publication
    from tests.factories import make_credit_code

    county = core_services.organisation_create(
        actor=None,
        parent=None,
        name="松阳县人民政府",
        kind=OrgKind.GOVERNMENT,
        level=Level.PROVINCE,
        credit_code=make_credit_code(1),
    )
    unit_bulk = core_services.organisation_create(
        actor=None, parent=county, name="松阳县民政局", kind=OrgKind.DEPARTMENT, credit_code=make_credit_code(2)
    )
    unit_naive = core_services.organisation_create(
        actor=None,
        parent=county,
        name="松阳县人力资源和社会保障局",
        kind=OrgKind.DEPARTMENT,
        credit_code=make_credit_code(3),
    )

    path = tmp / "items.jsonl"
    t0 = time.perf_counter()
    with path.open("w", encoding="utf-8") as fh:
        for row in make_rows(args.items):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    gen = time.perf_counter() - t0
    size_mb = path.stat().st_size / 1024 / 1024
    print(f"database: {connection.vendor}; generated {args.items:,} items ({size_mb:.0f} MB JSONL) in {gen:.1f} s")

    # Baseline: the same rows, one transaction + one index number + one audit event per row.
    n_base = min(args.baseline, args.items)
    with path.open(encoding="utf-8") as fh:
        subset = [next(fh) for _ in range(n_base)]
    t0 = time.perf_counter()
    report = Importer(unit=unit_naive, base_dir=tmp, batch_size=1).run(subset)
    naive = time.perf_counter() - t0
    assert report.imported == n_base, report.errors[:3]
    naive_rate = n_base / naive
    print(f"baseline (per-row path, {n_base:,} items): {naive:.1f} s = {naive_rate:,.0f} items/s")

    # Second baseline: a naive migration script calling the workflow services per row
    # (create → submit → attribute review → confidentiality review → sign-off).
    from gongkai.core.models import Role
    from gongkai.publications import services as pub_services
    from tests.factories import staff

    unit_svc = core_services.organisation_create(
        actor=None, parent=county, name="松阳县教育局", kind=OrgKind.DEPARTMENT, credit_code=make_credit_code(4)
    )
    editor, reviewer, leader = (staff(unit_svc, r) for r in (Role.EDITOR, Role.REVIEWER, Role.LEADER))
    n_svc = min(max(n_base // 5, 50), args.items)
    rows_svc = [json.loads(line) for line in subset[:n_svc]]
    t0 = time.perf_counter()
    for row in rows_svc:
        pub = pub_services.publication_create(
            actor=editor,
            unit=unit_svc,
            doc_type="notice",
            title=row["title"],
            body=row["body"],
            document_number=row["document_number"],
            issuer=row["issuer"],
            made_on=dt.date.fromisoformat(row["made_on"]),
        )
        pub = pub_services.publication_submit(actor=editor, publication=pub)
        pub = pub_services.publication_review_attribute(actor=reviewer, publication=pub, attribute="proactive")
        pub = pub_services.publication_review_confidentiality(actor=reviewer, publication=pub)
        pub_services.publication_sign_off(actor=leader, publication=pub)
    svc = time.perf_counter() - t0
    svc_rate = n_svc / svc
    print(f"baseline (workflow services per row, {n_svc:,} items): {svc:.1f} s = {svc_rate:,.0f} items/s")

    t0 = time.perf_counter()
    with path.open(encoding="utf-8") as fh:
        report = Importer(unit=unit_bulk, base_dir=tmp, batch_size=2000).run(fh)
    bulk = time.perf_counter() - t0
    assert report.imported == args.items, (report.imported, report.errors[:3])
    rate = args.items / bulk
    print(f"bulk import ({args.items:,} items, batches of 2,000): {bulk:.1f} s = {rate:,.0f} items/s")
    print(
        f"speed-up vs per-row path: {rate / naive_rate:.1f}x; per-row path would need {args.items / naive_rate / 60:.1f} min for {args.items:,}"
    )
    print(
        f"speed-up vs workflow services per row: {rate / svc_rate:.1f}x; that path would need {args.items / svc_rate / 60:.1f} min"
    )
    assert Publication.objects.filter(unit=unit_bulk).exclude(index_number=None).count() == args.items

    # stored due dates after a calendar change: nothing to change (idempotent pass), then a
    # period change that moves every due date (each change audited)
    from gongkai.core.models import LegalPeriod

    t0 = time.perf_counter()
    unchanged = pub_services.recompute_due_dates()
    idle = time.perf_counter() - t0
    LegalPeriod.objects.filter(code="disclosure.proactive").update(length=15)
    from gongkai.core import deadlines

    deadlines.invalidate()
    t0 = time.perf_counter()
    moved = pub_services.recompute_due_dates()
    busy = time.perf_counter() - t0
    print(
        f"due-date recompute over {unchanged.checked:,} items: {idle:.1f} s with nothing to change; "
        f"{busy:.1f} s changing {moved.changed:,} (each audited)"
    )

    if not args.no_search:
        try:
            from gongkai.publications import indexing
            from gongkai.search.backends import backend_name

            t0 = time.perf_counter()
            n = indexing.index_batch(report.ids)
            idx = time.perf_counter() - t0
            print(f"search indexing ({backend_name()}, bulk path): {n:,} items in {idx:.1f} s = {n / idx:,.0f} items/s")
        except ImportError:
            print("search: gongkai.search not installed, skipped")
    if not args.no_search:
        print(f"total import + index: {(bulk + idx) / 60:.1f} min")
    import resource

    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

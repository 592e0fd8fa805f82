"""Province-size catalogue benchmark (issue 4, item 8).

Generates a 4-level organisation tree (province → cities → counties → townships, plus county
departments; 2,000 units at --scale 1), standard catalogues for 10 domains owned by the
province's disclosure office, and derives every unit's list (≈500,000 unit-list items at
--scale 1). Prints:

* spreadsheet import throughput (rows/s) through the real path (parse the merged-header
  .xlsx → validate → bulk commit) against a naive per-row ORM insert baseline (validate and
  ``objects.create`` each row, autocommit) measured in the same run on a subset;
* publish/derive throughput (unit-list items/s) against a naive per-row ``UnitItem.objects.create``
  baseline on a subset;
* a revision publish (one domain, one item changed + one added) that updates every derived list;
* p50/p95 of the public unit list page (/catalogue/unit/<pk>/) and of a search page.

Usage::

    python bench/catalogue_scale.py --smoke                      # seconds: does it still run?
    python bench/catalogue_scale.py --scale 0.05                 # quick, SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_catalogue_bench python bench/catalogue_scale.py

With DATABASE_URL the named PostgreSQL database is DROPPED and re-created.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(database_url: str | None) -> None:
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gk-catalogue-bench-")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if database_url:
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t


def build_tree(n_units: int):
    """province → cities → counties → townships + county departments, ≈ n_units in total."""
    from gongkai.core import credit_code
    from gongkai.core.models import Level, Organisation, OrgKind

    counties = max(1, round(n_units / 20))
    cities = max(1, round(counties / 10))
    per_county_towns = 10
    spare = max(counties, n_units - 1 - cities - counties * (1 + per_county_towns))  # county departments
    seq = iter(range(1, 10**7))

    def code():
        body = f"{next(seq):08d}"
        org = "".join(credit_code.ALPHABET[int(c) + (i % 3) * 10] for i, c in enumerate(body)) + "0"
        return credit_code.make("11" + "330000" + org)

    def make(rows):
        objs = Organisation.objects.bulk_create(rows, batch_size=2000)
        if objs and objs[0].pk is None:  # backends without RETURNING
            objs = list(Organisation.objects.order_by("-id")[: len(rows)])[::-1]
        for o in objs:
            o.path = (o.parent.path if o.parent_id else "") + f"{o.pk:06d}."
            o.depth = o.parent.depth + 1 if o.parent_id else 0
        Organisation.objects.bulk_update(objs, ["path", "depth"], batch_size=2000)
        return objs

    (province,) = make(
        [Organisation(name="某省人民政府", kind=OrgKind.GOVERNMENT, level=Level.PROVINCE, credit_code=code())]
    )
    city_objs = make(
        [
            Organisation(
                parent=province, name=f"第{i}市人民政府", kind=OrgKind.GOVERNMENT, level=Level.CITY, credit_code=code()
            )
            for i in range(cities)
        ]
    )
    county_objs = make(
        [
            Organisation(
                parent=city_objs[i % cities],
                name=f"第{i}县人民政府",
                kind=OrgKind.GOVERNMENT,
                level=Level.COUNTY,
                credit_code=code(),
            )
            for i in range(counties)
        ]
    )
    rows = []
    for i, c in enumerate(county_objs):
        n_depts = spare // counties + (1 if i < spare % counties else 0)
        rows += [
            Organisation(
                parent=c,
                name=f"{c.name[:-4]}第{j}镇",
                kind=OrgKind.GOVERNMENT,
                level=Level.TOWNSHIP,
                credit_code=code(),
            )
            for j in range(per_county_towns)
        ]
        rows += [
            Organisation(
                parent=c, name=f"{c.name[:-4]}第{j}局", kind=OrgKind.DEPARTMENT, level=Level.COUNTY, credit_code=code()
            )
            for j in range(n_depts)
        ]
    make(rows)
    return province, Organisation.objects.count()


def item_rows(domain: str, n: int, *, level: str):
    from gongkai.catalogue.demo_data import CHANNEL
    from gongkai.catalogue.exporter import ExportRow

    timeframes = [
        "信息形成或变更之日起20个工作日内",
        "每季度结束后15日内",
        "实时",
        "每年1月31日前",
        "自作出决定之日起7个工作日内",
        "长期公开",
    ]
    out = []
    for i in range(n):
        out.append(
            ExportRow(
                f"{domain}事项类别{i // 5 + 1}",
                f"{domain}公开事项{i + 1}",
                {
                    "content": f"1.{domain}政策依据 2.办理条件 3.申请材料 4.办理流程 5.办理时限 6.咨询电话（第{i + 1}项）",
                    "basis": "《中华人民共和国政府信息公开条例》第十九条、第二十条",
                    "subject": "县级主管部门、乡镇人民政府（街道办事处）",
                    "channel": CHANNEL,
                    "audience": ["全社会"] if i % 3 else ["全社会", "特定群体"],
                    "mode": ["主动"],
                    "level": [level],
                    "stage": ["决策", "执行", "管理", "服务", "结果"][i % 5],
                    "nature": "公共服务清单" if i % 2 else "权责清单",
                },
                timeframes[i % len(timeframes)],
                [],
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 2,000 units and ≈500,000 unit-list items")
    parser.add_argument(
        "--import-rows", type=int, default=0, help="rows of the large import spreadsheet (default 20,000×scale)"
    )
    parser.add_argument("--pages", type=int, default=200, help="list pages to time")
    parser.add_argument(
        "--smoke", action="store_true", help="a tiny run (40 units, 200 rows, 5 pages) that only checks it still works"
    )
    args = parser.parse_args()
    if args.smoke:
        args.scale, args.import_rows, args.pages = 0.02, 200, 5
    setup(os.environ.get("DATABASE_URL"))

    from django.db import connection
    from django.test import Client

    from gongkai.catalogue import elements as el
    from gongkai.catalogue import exporter, importer, services
    from gongkai.catalogue.models import Catalogue, CatalogueItem, Domain, ElementTemplate, UnitItem, UnitList
    from gongkai.core.models import Level, Organisation, OrgKind

    rng = random.Random(4)
    n_units = max(40, int(2000 * args.scale))
    print(f"# catalogue_scale: scale={args.scale} database={connection.vendor}")
    (province, total_units), t = timed(build_tree, n_units)
    towns = Organisation.objects.filter(level=Level.TOWNSHIP).count()
    depts = Organisation.objects.filter(kind=OrgKind.DEPARTMENT).count()
    print(f"units: {total_units} (townships {towns}, county departments {depts}) built in {t:.1f}s")
    template = ElementTemplate.objects.get(key="national")
    domains = list(
        Domain.objects.filter(
            name__in=[
                "社会救助",
                "就业",
                "社会保险",
                "养老服务",
                "户籍管理",
                "义务教育",
                "卫生健康",
                "涉农补贴",
                "救灾",
                "保障性住房",
            ]
        )
    )
    target_items = 500_000 * args.scale
    per_town = max(5, round(target_items / 2 / max(1, towns) / len(domains)))
    per_dept = max(5, round(target_items / 2 / max(1, depts) / len(domains)))

    # 1. Import the province's standard catalogues from merged-header spreadsheets (real path).
    town_file = exporter.write_layout(
        [(d.name, f"某省乡镇{d.name}领域标准目录", item_rows(d.name, per_town, level="乡级")) for d in domains],
        template,
    )
    dept_file = exporter.write_layout(
        [(d.name, f"某省县级部门{d.name}领域标准目录", item_rows(d.name, per_dept, level="县级")) for d in domains],
        template,
    )
    t_total = 0.0
    n_rows = 0
    for data, kind, level in (
        (town_file, OrgKind.GOVERNMENT, Level.TOWNSHIP),
        (dept_file, OrgKind.DEPARTMENT, Level.COUNTY),
    ):
        report, t1 = timed(importer.parse, data, filename="bench.xlsx", template=template)
        assert report.ok, report.text()
        _, t2 = timed(importer.commit, report, actor=None, owner=province, target_kind=kind, target_level=level)
        t_total += t1 + t2
        n_rows += len(report.rows)
    print(f"standard catalogues: {n_rows} items in {len(domains) * 2} catalogues imported in {t_total:.2f}s")

    # 2. Import throughput on a large spreadsheet vs naive per-row insert.
    big_n = args.import_rows or max(500, int(20_000 * args.scale))
    local = services.domain_create(actor=None, owner_unit=province, name="基准测试领域")
    big = exporter.write_layout([(local.name, "基准测试", item_rows("基准", big_n, level="乡级"))], template)
    report, t_parse = timed(importer.parse, big, filename="big.xlsx", template=template)
    assert report.ok, report.text()[:2000]
    _, t_commit = timed(
        importer.commit, report, actor=None, owner=province, target_kind=OrgKind.INSTITUTION, target_level=Level.COUNTY
    )
    bulk_rate = big_n / (t_parse + t_commit)
    print(
        f"import (parse .xlsx + validate + bulk commit): {big_n} rows in {t_parse + t_commit:.2f}s "
        f"(parse {t_parse:.2f}s, commit {t_commit:.2f}s) = {bulk_rate:,.0f} rows/s"
    )
    base_n = min(big_n, max(200, int(2000 * args.scale)))
    base_cat = services.catalogue_create(
        actor=None,
        owner=province,
        domain=local,
        template=template,
        target_kind=OrgKind.INSTITUTION,
        target_level=Level.CITY,
    )
    draft = base_cat.current_draft()
    t = time.perf_counter()
    for n, r in enumerate(report.rows[:base_n], start=1):  # naive: one INSERT per (already validated) row, autocommit
        CatalogueItem.objects.create(
            version=draft,
            item_key=services.item_key_for(r.level1, r.name),
            sort_order=n,
            level1=r.level1,
            name=r.name,
            elements=r.elements,
            timeframe_text=r.timeframe_text,
            timeframe_rule=r.timeframe_rule,
            search_text=el.search_text(r.level1, r.name, r.elements, r.timeframe_text),
        )
    naive_rate = base_n / (time.perf_counter() - t)
    commit_rate = big_n / t_commit
    print(
        f"import baseline (naive per-row ORM insert of the validated rows, {base_n} rows): {naive_rate:,.0f} rows/s → "
        f"bulk commit {commit_rate:,.0f} rows/s is {commit_rate / naive_rate:.1f}× faster; "
        f"end to end incl. reading the .xlsx {bulk_rate / naive_rate:.1f}×"
    )

    # 3. Publish: derive every unit's list.
    t = time.perf_counter()
    derived = 0
    for catalogue in Catalogue.objects.filter(owner=province, domain__in=domains):
        result = services.version_publish(actor=None, version=catalogue.current_draft())
        derived += result["derived"]["items_created"]
    t_pub = time.perf_counter() - t
    total_items = UnitItem.objects.count()
    print(
        f"publish + derive: {derived:,} unit-list items for {UnitList.objects.values('unit').distinct().count()} units in {t_pub:.1f}s "
        f"= {derived / t_pub:,.0f} items/s (unit-list items in database: {total_items:,})"
    )
    # Baseline: naive per-row UnitItem insert on a subset.
    sample_list = UnitList.objects.filter(unit__level=Level.TOWNSHIP).first()
    src = list(sample_list.version.items.all())
    base_units = list(
        Organisation.objects.filter(level=Level.TOWNSHIP)[: max(2, int(4000 * args.scale) // max(1, len(src)) + 1)]
    )
    base_cat2 = Catalogue.objects.create(
        domain=local,
        template=template,
        title="基准",
        target_kind=OrgKind.WATER,
        target_level=Level.COUNTY,
        owner=province,
    )
    from django.utils import timezone

    n = 0
    t = time.perf_counter()
    for u in base_units:
        ul = UnitList.objects.create(
            unit=u, catalogue=base_cat2, version=sample_list.version, adopted_at=timezone.now()
        )
        for item in src:
            UnitItem.objects.create(
                unit_list=ul,
                unit=u,
                source_item=item,
                item_key=item.item_key,
                mandatory=item.mandatory,
                sort_order=item.sort_order,
                level1=item.level1,
                name=item.name,
                elements=item.elements,
                timeframe_text=item.timeframe_text,
                timeframe_rule=item.timeframe_rule,
                responsible_unit=u,
                search_text=item.search_text,
            )
            n += 1
    naive_derive = n / (time.perf_counter() - t)
    print(
        f"derive baseline (naive per-row UnitItem insert, {n:,} rows): {naive_derive:,.0f} items/s → bulk derive is {derived / t_pub / naive_derive:.1f}× faster"
    )

    # 4. Revision publish of one township catalogue (one item changed, one added).
    catalogue = Catalogue.objects.filter(owner=province, target_level=Level.TOWNSHIP, domain__in=domains).first()
    draft = services.version_start_draft(actor=None, catalogue=catalogue)
    first = draft.items.order_by("sort_order").first()
    services.item_update(actor=None, item=first, timeframe_text="信息形成或变更之日起10个工作日内")
    services.item_add(
        actor=None, version=draft, level1="新增类别", name="新增事项", elements=first.elements, timeframe_text="实时"
    )
    result, t_rev = timed(services.version_publish, actor=None, version=draft)
    d = result["derived"]
    print(
        f"revision publish ({catalogue.domain.name}, {d['units']} units): {d['items_updated']:,} items updated + {d['items_created']:,} created in {t_rev:.1f}s"
    )

    # 5. Page timings.
    client = Client()
    unit_ids = list(UnitList.objects.values_list("unit_id", flat=True).distinct())
    picks = [rng.choice(unit_ids) for _ in range(args.pages)]
    client.get(f"/catalogue/unit/{picks[0]}/")  # warm up
    times = []
    for pk in picks:
        t = time.perf_counter()
        r = client.get(f"/catalogue/unit/{pk}/", HTTP_HOST="localhost")
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    items_per_page = UnitItem.objects.filter(unit_id=picks[0], is_active=True).count()
    q = statistics.quantiles(times, n=20)
    print(
        f"unit list page (/catalogue/unit/<pk>/, ≈{items_per_page} items, all domains): p50 {statistics.median(times):.0f} ms, p95 {q[18]:.0f} ms over {len(times)} requests"
    )
    times = []
    for pk in picks[:50]:
        code = rng.choice(domains).code
        t = time.perf_counter()
        client.get(f"/catalogue/unit/{pk}/?domain={code}", HTTP_HOST="localhost")
        times.append((time.perf_counter() - t) * 1000)
    q = statistics.quantiles(times, n=20)
    print(f"unit list page, one domain: p50 {statistics.median(times):.0f} ms, p95 {q[18]:.0f} ms")
    times = []
    for term in ["社会救助公开事项1", "低保", "事项类别3", "就业", "特定群体"] * 4:
        t = time.perf_counter()
        client.get("/catalogue/search/", {"q": term}, HTTP_HOST="localhost")
        times.append((time.perf_counter() - t) * 1000)
    q = statistics.quantiles(times, n=20)
    print(
        f"search across {UnitItem.objects.filter(is_active=True).count():,} items (/catalogue/search/): p50 {statistics.median(times):.0f} ms, p95 {q[18]:.0f} ms"
    )
    import resource

    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

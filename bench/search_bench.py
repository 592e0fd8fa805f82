"""Search benchmark (issue 5, item 9).

Generates N realistic Chinese government documents, indexes them with the embedded
(tantivy) backend of ``gongkai.search``, and prints:

* index build rate (documents/s) and index size;
* p50/p95 latency over 1,000 mixed queries (single words, two words, quoted phrases,
  queries with facet filters / date ranges), each a full search as the portal runs it
  (ranking, total count, six facets, highlighted titles and snippets);
* the same queries answered by a PostgreSQL ``ILIKE '%…%'`` baseline (a plain table in
  PostgreSQL holding the same documents) in the same run, and the latency ratio;
* recall@10 for 200 known-item queries (title fragments a user remembers).

Vocabulary: the words and frequencies of jieba's dictionary (349k real words; word choice
weighted by corpus frequency, so function words are common and rare words rare), combined
with government-document phrase templates (units, domains, policy topics, document kinds).
Nothing is random characters.

Usage::

    PYTHONPATH=src python bench/search_bench.py --docs 20000
    PYTHONPATH=src python bench/search_bench.py --docs 1000000 --baseline-queries 100

``--baseline-queries``: ILIKE scans the whole table for every query (seconds each at 1M
documents), so at large scale the baseline answers a stratified sample of the 1,000
queries; the ratio compares both systems on exactly that sample.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gc
import os
import random
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gongkai.search.backends.tantivy import TantivyBackend  # noqa: E402
from gongkai.search.types import SearchDocument, SearchQuery  # noqa: E402

# --- government vocabulary -------------------------------------------------------------------

UNITS = [
    "县人民政府办公室",
    "县发展和改革委员会",
    "县教育体育局",
    "县科技和工业信息化局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县生态环境分局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县商务局",
    "县文化和旅游局",
    "县卫生健康委员会",
    "县退役军人事务局",
    "县应急管理局",
    "县审计局",
    "县市场监督管理局",
    "县统计局",
    "县医疗保障局",
    "县林业局",
    "县乡村振兴局",
    "县数据资源局",
    "城关镇人民政府",
    "东关镇人民政府",
    "西河乡人民政府",
    "南山镇人民政府",
    "北塘乡人民政府",
    "青石镇人民政府",
    "柳林乡人民政府",
    "白马镇人民政府",
    "桃花乡人民政府",
]
DOMAINS = {
    "社会救助": ["城乡低保", "最低生活保障", "特困人员供养", "临时救助", "残疾人两项补贴", "孤儿基本生活保障"],
    "就业创业": ["就业补贴", "创业担保贷款", "职业技能培训", "公益性岗位", "高校毕业生就业", "农民工返乡创业"],
    "教育": ["义务教育", "学前教育", "学生资助", "营养改善计划", "校园安全", "教师招聘"],
    "医疗卫生": ["基本公共卫生服务", "家庭医生签约", "疫苗接种", "传染病防控", "乡村医生", "健康扶贫"],
    "医疗保障": ["城乡居民医保", "医保缴费", "大病保险", "医疗救助", "异地就医", "门诊慢特病"],
    "养老服务": ["居家养老服务", "高龄津贴", "养老机构", "农村互助养老", "老年人优待"],
    "住房保障": ["公租房", "农村危房改造", "棚户区改造", "老旧小区改造", "住房公积金"],
    "乡村振兴": ["产业帮扶", "防止返贫监测", "高标准农田", "农村人居环境整治", "美丽乡村建设"],
    "生态环境": ["大气污染防治", "河长制", "秸秆禁烧", "饮用水水源保护", "环境影响评价"],
    "安全生产": ["安全生产检查", "防汛抗旱", "森林防火", "燃气安全", "道路交通安全"],
    "财政预决算": ["部门预算", "部门决算", "三公经费", "政府债务", "财政专项资金"],
    "市场监管": ["食品安全", "药品安全", "价格监督检查", "特种设备安全", "营商环境"],
    "交通运输": ["农村公路", "客运班线", "公路养护", "城乡公交", "治超"],
    "自然资源": ["国土空间规划", "耕地保护", "土地征收", "不动产登记", "矿产资源"],
}
TYPES = [
    ("policy", 20),
    ("normative", 10),
    ("interpretation", 10),
    ("notice", 35),
    ("budget", 8),
    ("draft_decision", 2),
    ("general", 15),
]
DOC_KINDS = ["实施方案", "管理办法", "实施细则", "工作方案", "指导意见", "考核办法", "操作规程", "工作要点"]
VERBS = ["做好", "加强", "进一步规范", "开展", "推进", "落实", "深化", "完善", "全面实施", "切实做好"]
LAWS = [
    "中华人民共和国政府信息公开条例",
    "社会救助暂行办法",
    "中华人民共和国预算法",
    "中华人民共和国安全生产法",
    "中华人民共和国就业促进法",
    "中华人民共和国土地管理法",
    "优化营商环境条例",
]
PLACES = ["乡镇人民政府", "县直各单位", "各村（社区）", "各有关部门", "各学校"]


def load_vocabulary(min_freq: int = 3):
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    words, freqs, nouns, nfreqs = [], [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        tag = parts[2] if len(parts) > 2 else ""
        if freq < min_freq or not all("\u4e00" <= c <= "\u9fff" for c in word) or len(word) > 4:
            continue
        words.append(word)
        freqs.append(freq)
        if tag in {"n", "vn", "nz", "ns", "nt"} and 2 <= len(word) <= 4:
            nouns.append(word)
            nfreqs.append(freq**0.5)  # flatter: titles use many different nouns
    return words, list(accumulate(freqs)), nouns, list(accumulate(nfreqs))


@dataclass
class Generated:
    doc: SearchDocument
    key: str  # the distinctive part of the title (topic + nouns)


class WordPool:
    """Words drawn by frequency, in bulk with numpy (drawing one at a time is the slow part)."""

    def __init__(self, words: list[str], cum: list[float], seed: int, chunk: int = 1_000_000):
        import numpy as np

        self.np = np
        self.words = np.array(words, dtype=object)
        weights = np.diff(np.array([0.0, *cum], dtype=np.float64))
        self.p = weights / weights.sum()
        self.gen = np.random.default_rng(seed)
        self.chunk = chunk
        self.buf: list[str] = []
        self.pos = 0

    def take(self, k: int) -> list[str]:
        if self.pos + k > len(self.buf):
            idx = self.gen.choice(len(self.words), size=self.chunk, p=self.p)
            self.buf = self.words[idx].tolist()
            self.pos = 0
        out = self.buf[self.pos : self.pos + k]
        self.pos += k
        return out


class Corpus:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words, self.cw, self.nouns, self.ncw = load_vocabulary()
        self.word_pool = WordPool(self.words, self.cw, seed)
        self.noun_pool = WordPool(self.nouns, self.ncw, seed + 1, chunk=200_000)
        self.types = [t for t, _ in TYPES]
        self.type_cw = list(accumulate(w for _, w in TYPES))
        self.domains = list(DOMAINS)

    def pick(self, k: int) -> list[str]:
        return self.word_pool.take(k)

    def pick_nouns(self, k: int) -> list[str]:
        return self.noun_pool.take(k)

    def sentence(self, topic: str) -> str:
        r = self.rng.random()
        if r < 0.25:
            n = self.pick_nouns(2)
            return f"各{self.rng.choice(PLACES)}要{self.rng.choice(VERBS)}{n[0]}{topic}工作，确保{n[1]}落到实处。"
        if r < 0.35:
            return f"根据《{self.rng.choice(LAWS)}》等有关规定，结合我县实际，制定本{self.rng.choice(DOC_KINDS)}。"
        words = self.pick(self.rng.randint(8, 22))
        mid = len(words) // 2
        return "".join(words[:mid]) + "，" + "".join(words[mid:]) + "。"

    def document(self, i: int) -> Generated:
        rng = self.rng
        domain = rng.choice(self.domains)
        topic = rng.choice(DOMAINS[domain])
        unit_id = rng.randrange(len(UNITS))
        unit = UNITS[unit_id]
        doc_type = self.types[bisect.bisect_left(self.type_cw, rng.random() * self.type_cw[-1])]
        published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(365 * 11))
        nouns = self.pick_nouns(rng.choice((1, 2, 2, 3)))
        key = topic + "".join(nouns)
        year = published.year
        if doc_type == "interpretation":
            title = f"《{unit}关于{key}的{rng.choice(DOC_KINDS)}》政策解读"
        elif doc_type == "budget":
            title = f"{unit}{year}年{key}{rng.choice(['部门预算', '部门决算', '资金使用情况'])}公开"
        elif doc_type in ("policy", "normative"):
            title = f"{unit}关于印发{key}{rng.choice(DOC_KINDS)}的通知"
        elif doc_type == "draft_decision":
            title = f"关于公开征求《{key}{rng.choice(DOC_KINDS)}（征求意见稿）》意见的公告"
        else:
            title = f"关于{rng.choice(VERBS)}{year}年{key}工作的通知"
        body = "".join(self.sentence(topic) for _ in range(rng.randint(7, 13)))
        number = f"{unit[1:3]}发〔{year}〕{rng.randint(1, 150)}号" if doc_type in ("policy", "normative") else ""
        status = ""
        if doc_type == "normative":
            status = rng.choice(["有效", "有效", "有效", "失效", "已修改"])
        doc = SearchDocument(
            id=f"publication:{i}",
            kind="publication",
            title=title,
            body=body,
            url=f"/publications/{i}/",
            unit_id=unit_id + 1,
            unit_name=unit,
            doc_type=doc_type,
            domain=domain,
            year=year,
            status=status,
            published_on=published,
            index_number=f"11341122{unit_id:03d}-{year}-{i:07d}",
            document_number=number,
        )
        return Generated(doc, key)


# --- queries ---------------------------------------------------------------------------------


def make_queries(corpus: Corpus, sample: list[Generated], n: int, rng: random.Random) -> list[tuple[str, SearchQuery]]:
    topics = [t for ts in DOMAINS.values() for t in ts]
    common = [
        "通知",
        "公示",
        "政策解读",
        "预算",
        "补贴",
        "资金",
        "申请",
        "办法",
        "低保",
        "医保",
        "民政",
        "就业",
        "养老",
        "教育",
        "培训",
        "安全",
        "检查",
        "税",
        "农村",
        "乡镇",
        "改造",
        "监管",
        "项目",
        "标准",
    ]

    def word() -> str:
        r = rng.random()
        if r < 0.35:
            return rng.choice(common)
        if r < 0.65:
            return rng.choice(topics)
        return corpus.pick_nouns(1)[0]

    out: list[tuple[str, SearchQuery]] = []
    for i in range(n):
        kind = ("single", "two", "phrase", "facet")[i % 4 if i % 20 else 0]
        if kind == "single":
            q = SearchQuery(text=word(), per_page=10)
        elif kind == "two":
            q = SearchQuery(text=f"{word()} {word()}", per_page=10)
        elif kind == "phrase":
            g = rng.choice(sample)
            text = g.doc.body
            cut = [s for s in text.replace("。", "，").split("，") if len(s) >= 6]
            piece = rng.choice(cut) if cut else text[:8]
            start = rng.randrange(0, max(1, len(piece) - 6))
            q = SearchQuery(text=f'"{piece[start : start + rng.randint(4, 8)]}"', per_page=10)
        else:
            filters: dict[str, list[str]] = {}
            r = rng.random()
            if r < 0.4:
                filters["unit"] = [rng.choice(UNITS)]
            elif r < 0.7:
                filters["type"] = [rng.choice([t for t, _ in TYPES])]
            else:
                filters["year"] = [str(rng.randint(2015, 2025))]
            date_from = date_to = None
            if rng.random() < 0.3:
                date_from = dt.date(rng.randint(2015, 2023), 1, 1)
                date_to = date_from + dt.timedelta(days=730)
            text = word() if rng.random() < 0.6 else f"{word()} {word()}"
            q = SearchQuery(text=text, filters=filters, date_from=date_from, date_to=date_to, per_page=10)
        out.append((kind, q))
    return out


def known_item_queries(sample: list[Generated], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(doc id, fragment): a contiguous piece of the title covering its distinctive part."""
    out = []
    for g in rng.sample(sample, n):
        title, key = g.doc.title, g.key
        start = title.index(key)
        # The fragment a user remembers: the distinctive words, sometimes with a little context.
        lo = max(0, start - rng.choice((0, 0, 1, 2)))
        hi = min(len(title), start + len(key) + rng.choice((0, 0, 1, 2)))
        frag = title[lo:hi]
        if len(frag) > 14:  # long keys: a 10–14 character window inside the key
            width = rng.randint(10, 14)
            off = rng.randrange(0, len(frag) - width + 1)
            frag = frag[off : off + width]
        out.append((g.doc.id, frag))
    return out


# --- PostgreSQL ILIKE baseline ---------------------------------------------------------------


def pg_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def pg_load(conn, docs: list[SearchDocument]) -> float:
    started = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_search_docs")
        cur.execute(
            "CREATE UNLOGGED TABLE bench_search_docs (id text PRIMARY KEY, title text, body text, unit_name text, "
            "doc_type text, domain text, year int, status text, published_on date, index_number text)"
        )
        with cur.copy(
            "COPY bench_search_docs (id, title, body, unit_name, doc_type, domain, year, status, published_on, "
            "index_number) FROM STDIN"
        ) as copy:
            for d in docs:
                copy.write_row(
                    (
                        d.id,
                        d.title,
                        d.body,
                        d.unit_name,
                        d.doc_type,
                        d.domain,
                        d.year,
                        d.status,
                        d.published_on,
                        d.index_number,
                    )
                )
        cur.execute("CREATE INDEX ON bench_search_docs (published_on)")
        cur.execute("ANALYZE bench_search_docs")
    return time.perf_counter() - started


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def ilike_sql(q: SearchQuery) -> tuple[str, list]:
    """The naive implementation: every whitespace-separated term (or quoted phrase) must
    occur in the title or the body; filters as equality; newest first."""
    where, params = [], []
    text = q.text
    terms: list[str] = []
    parts = text.split('"')
    for i, p in enumerate(parts):
        if i % 2 == 1:
            terms.append(p)
        else:
            terms.extend(p.split())
    for t in terms:
        pat = f"%{_like_escape(t)}%"
        where.append("(title ILIKE %s OR body ILIKE %s)")
        params += [pat, pat]
    col = {"unit": "unit_name", "type": "doc_type", "year": "year::text", "domain": "domain", "status": "status"}
    for key, values in q.filters.items():
        where.append(f"{col[key]} = ANY(%s)")
        params.append(values)
    if q.date_from:
        where.append("published_on >= %s")
        params.append(q.date_from)
    if q.date_to:
        where.append("published_on <= %s")
        params.append(q.date_to)
    sql = (
        "SELECT id, title, count(*) OVER () FROM bench_search_docs WHERE "
        + (" AND ".join(where) or "TRUE")
        + " ORDER BY published_on DESC LIMIT 10"
    )
    return sql, params


# --- running -----------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_pg_fts(args, docs, queries, known) -> None:
    """The multi-server backend: same documents, same queries, through PostgresBackend."""
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ["DATABASE_URL"] = args.pg_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.search.backends.postgres import PostgresBackend

    call_command("migrate", "search", verbosity=0)
    backend = PostgresBackend()
    backend.clear()
    t0 = time.perf_counter()
    backend.index(docs, batch=1000)
    build_s = time.perf_counter() - t0
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE search_searchentry")
    print(f"PG FTS BUILD: {len(docs) / build_s:,.0f} docs/s ({build_s:.1f} s)")
    lat = []
    for _kind, q in queries:
        t = time.perf_counter()
        backend.search(q)
        lat.append((time.perf_counter() - t) * 1000)
    print(f"PG FTS backend {len(lat)} mixed queries: p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms")
    found = sum(
        1
        for doc_id, frag in known
        if doc_id in [h.id for h in backend.search(SearchQuery(text=frag, per_page=10)).hits]
    )
    print(f"PG FTS RECALL@10 known-item: {found / len(known):.3f}")
    if not args.keep:
        backend.clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--known", type=int, default=200)
    ap.add_argument(
        "--baseline-queries",
        type=int,
        default=None,
        help="how many of the queries the ILIKE baseline answers (default: all up to 50k docs, else 100)",
    )
    ap.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL")
        or (os.environ.get("DATABASE_URL") if "postgres" in os.environ.get("DATABASE_URL", "") else None)
        or "postgres://postgres@127.0.0.1:5432/gk_search",
    )
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--index-dir", default="/tmp/gongkai-search-bench")
    ap.add_argument("--threads", type=int, default=1, help="tantivy indexing threads")
    ap.add_argument("--heap-mb", type=int, default=512)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--keep", action="store_true", help="keep the index and the PG table")
    ap.add_argument(
        "--pg-fts",
        action="store_true",
        help="also measure gongkai's PostgreSQL full-text backend (SearchEntry) on the same documents",
    )
    args = ap.parse_args()

    rng = random.Random(args.seed)
    print(f"# gongkai search benchmark: {args.docs:,} documents, {args.queries} queries, {args.known} known items")
    print(f"# machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")

    t0 = time.perf_counter()
    corpus = Corpus(args.seed)
    generated = [corpus.document(i) for i in range(1, args.docs + 1)]
    docs = [g.doc for g in generated]
    gen_s = time.perf_counter() - t0
    avg_title = statistics.fmean(len(d.title) for d in docs[:10000])
    avg_body = statistics.fmean(len(d.body) for d in docs[:10000])
    print(
        f"generated {len(docs):,} documents in {gen_s:.1f} s "
        f"(vocabulary {len(corpus.words):,} words; avg title {avg_title:.0f} chars, body {avg_body:.0f} chars)"
    )
    print("example:", docs[0].title, "|", docs[0].body[:60], "…")

    # --- index build
    index_dir = Path(args.index_dir)
    shutil.rmtree(index_dir, ignore_errors=True)
    backend = TantivyBackend(index_dir)
    gc.collect()
    t0 = time.perf_counter()

    def progress(n: int) -> None:
        if n % 50_000 == 0:
            el = time.perf_counter() - t0
            print(f"  indexed {n:,} in {el:.0f} s ({n / el:,.0f} docs/s)", file=sys.stderr, flush=True)

    backend.index(docs, replace=False, heap=args.heap_mb * 1_000_000, threads=args.threads, progress=progress)
    build_s = time.perf_counter() - t0
    assert backend.count() == len(docs), backend.count()
    size = dir_size(index_dir)
    print(f"INDEX BUILD: {len(docs) / build_s:,.0f} docs/s ({build_s:.1f} s; index {size / 1e6:,.0f} MB on disk)")

    # --- mixed queries
    queries = make_queries(corpus, generated, args.queries, rng)
    for _kind, q in queries[:20]:  # warm up
        backend.search(q)
    lat: list[float] = []
    by_kind: dict[str, list[float]] = {}
    totals = []
    for kind, q in queries:
        t = time.perf_counter()
        res = backend.search(q)
        ms = (time.perf_counter() - t) * 1000
        lat.append(ms)
        by_kind.setdefault(kind, []).append(ms)
        totals.append(res.total)
    print(
        f"EMBEDDED (tantivy) {len(lat)} mixed queries: p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms, "
        f"p99 {pct(lat, 99):.1f} ms, max {max(lat):.1f} ms; median hits {int(statistics.median(totals)):,}"
    )
    for kind, values in by_kind.items():
        print(f"  {kind:6s} n={len(values):4d}  p50 {pct(values, 50):6.1f} ms  p95 {pct(values, 95):6.1f} ms")

    # --- known items
    known = known_item_queries(generated, args.known, rng)
    found = 0
    misses = []
    klat = []
    for doc_id, frag in known:
        t = time.perf_counter()
        res = backend.search(SearchQuery(text=frag, per_page=10))
        klat.append((time.perf_counter() - t) * 1000)
        if doc_id in [h.id for h in res.hits]:
            found += 1
        else:
            misses.append((frag, res.total))
    recall = found / len(known)
    print(f"RECALL@10 known-item (title fragments): {recall:.3f} ({found}/{len(known)}); p95 {pct(klat, 95):.1f} ms")
    for frag, total in misses[:5]:
        print(f"  miss: {frag!r} ({total:,} matching documents)")

    # --- baseline
    if not args.no_baseline:
        n_base = args.baseline_queries
        if n_base is None:
            n_base = len(queries) if args.docs <= 50_000 else 100
        n_base = min(n_base, len(queries))
        step = len(queries) / n_base
        # Spread over the run and rotate through the four kinds (the mix cycles every 4 queries).
        subset_idx = sorted({min(len(queries) - 1, int(i * step) // 4 * 4 + i % 4) for i in range(n_base)})
        try:
            conn = pg_connect(args.pg_url)
        except Exception as exc:  # noqa: BLE001
            print(f"BASELINE skipped: cannot connect to PostgreSQL ({exc})")
            return
        load_s = pg_load(conn, docs)
        print(f"baseline table loaded in {load_s:.1f} s (COPY + ANALYZE)")
        base_lat, emb_lat = [], []
        with conn.cursor() as cur:
            cur.execute("SET statement_timeout = '120s'")
            sql, params = ilike_sql(queries[0][1])
            cur.execute(sql, params)  # warm the cache
            cur.fetchall()
            for i in subset_idx:
                sql, params = ilike_sql(queries[i][1])
                t = time.perf_counter()
                cur.execute(sql, params)
                cur.fetchall()
                base_lat.append((time.perf_counter() - t) * 1000)
                emb_lat.append(lat[i])
        b50, b95 = pct(base_lat, 50), pct(base_lat, 95)
        e50, e95 = pct(emb_lat, 50), pct(emb_lat, 95)
        print(
            f"BASELINE PostgreSQL ILIKE '%…%' on the same {len(base_lat)} queries: p50 {b50:.1f} ms, p95 {b95:.1f} ms"
        )
        print(f"  embedded on those queries: p50 {e50:.1f} ms, p95 {e95:.1f} ms")
        print(f"RATIO (ILIKE / embedded): p50 {b50 / e50:.1f}x, p95 {b95 / e95:.1f}x")
        if not args.keep:
            with conn.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS bench_search_docs")
        conn.close()

    if args.pg_fts:
        run_pg_fts(args, docs, queries, known)

    target = "met" if pct(lat, 95) < 50 else "NOT met"
    print(f"TARGETS: p95 < 50 ms {target}; recall@10 >= 0.95 {'met' if recall >= 0.95 else 'NOT met'}")
    if not args.keep:
        shutil.rmtree(index_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

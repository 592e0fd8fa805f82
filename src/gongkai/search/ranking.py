"""BM25 as the embedded index computes it, re-done in Python over a bounded candidate set.

The PostgreSQL backend selects candidates with its GIN indexes and ranks them here, with the
formula tantivy uses (k1 1.2, b 0.75; a needle — a word matched as contiguous text — scores
like tantivy's phrase query: the sum of its tokens' idf times the saturated phrase frequency;
title matches ×4; a term scores the sum of its alternatives, as tantivy's boolean query does;
each matched free term adds :func:`coordination_weight`), so both backends put the same
documents first. Document frequencies come from the backend (PostgreSQL: the planner's
statistics of the token column, see ``backends.postgres``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from . import analysis

K1 = 1.2
B = 0.75
TITLE_BOOST = 4.0
# Coordination (issue 19): every free term a document matches adds this share of ln(1 + N) —
# about the idf of a rare word in an index of N documents — so a long document holding most of a
# question's words outranks a short one holding two of them (BM25 alone favours the short one:
# its length normalisation is strong). Every hit matches at least ``min_should_match`` terms, so
# only the terms beyond it change the order. Measured on the tuning half of the
# natural-language questions (``bench/search_bench.py``).
COORDINATION = 3.5


def coordination_weight(parsed: analysis.ParsedQuery, docs: int) -> float:
    """The score a document gains for each free term it matches (0 for fewer than two terms
    and when every term is required: every hit matches all of them, so a bonus would raise
    every score alike and cost the embedded index a second pass over the terms)."""
    if len(parsed.terms) < 2 or parsed.strict:
        return 0.0
    return COORDINATION * math.log(1 + max(docs, 1))


# Occurrences are counted in the first part of a body (normalising very long bodies — full
# regulations, attachments — for every candidate would cost more than the rest of a search).
SCORED_BODY_CHARS = 6000


@dataclass
class Stats:
    """Corpus statistics: number of documents, average field lengths (tokens), and a document
    frequency estimate per index token."""

    docs: int
    avg_title: float
    avg_body: float
    df: Callable[[str], float]
    # Document frequency among titles: the embedded index keeps title and body in separate
    # fields, each with its own statistics (a word in few titles weighs more there).
    df_title: Callable[[str], float] | None = None

    def idf(self, token: str) -> float:
        return self._idf(self.df(token))

    def idf_title(self, token: str) -> float:
        return self._idf(self.df_title(token)) if self.df_title else self.idf(token)

    def _idf(self, df: float) -> float:
        df = min(max(df, 0.5), self.docs)
        return math.log(1 + (self.docs - df + 0.5) / (df + 0.5))


def needle_tokens(needle: analysis.Needle) -> list[str]:
    return [token for _kind, tokens in needle.part_queries() for _offset, token in tokens]


def _scored_parts(needle: analysis.Needle, stats: Stats) -> list[tuple[str, float, float]]:
    """``[(run, title idf, body idf)]`` for each run of a needle."""
    out = []
    for (_is_cjk, run), (_kind, tokens) in zip(needle.parts, needle.part_queries(), strict=True):
        out.append((run, sum(stats.idf_title(t) for _o, t in tokens), sum(stats.idf(t) for _o, t in tokens)))
    return out


def _bm25(tf: int, length: int, avg: float) -> float:
    if not tf:
        return 0.0
    norm = K1 * (1 - B + B * length / max(avg, 1.0))
    return tf * (K1 + 1) / (tf + norm)


@dataclass
class Scored:
    score: float
    matched_terms: int
    phrases_ok: bool


def score(
    parsed: analysis.ParsedQuery, title: str, body: str, title_len: int, body_len: int, stats: Stats, idf_cache: dict
) -> Scored:
    """Score one document (normalised ``title`` and ``body``) for ``parsed``."""

    def needle_score(needle: analysis.Needle) -> float:
        parts = idf_cache.get(needle.text)
        if parts is None:
            parts = idf_cache[needle.text] = _scored_parts(needle, stats)
        if len(parts) == 1:
            text, idf_title, idf_body = parts[0]
            tf_title = title.count(text)
            tf_body = body.count(text)
            if not tf_title and not tf_body:
                return 0.0
            return idf_title * TITLE_BOOST * _bm25(tf_title, title_len, stats.avg_title) + idf_body * _bm25(
                tf_body, body_len, stats.avg_body
            )
        # Several runs (2025年, a-b): each must occur in the field, each scores (as tantivy's
        # boolean query of the parts in one field does).
        total = 0.0
        tfs = [title.count(text) for text, _t, _b in parts]
        if all(tfs):
            total += TITLE_BOOST * sum(
                p[1] * _bm25(tf, title_len, stats.avg_title) for p, tf in zip(parts, tfs, strict=True)
            )
        tfs = [body.count(text) for text, _t, _b in parts]
        if all(tfs):
            total += sum(p[2] * _bm25(tf, body_len, stats.avg_body) for p, tf in zip(parts, tfs, strict=True))
        return total

    total = 0.0
    phrases_ok = True
    for needle in parsed.phrases:
        s = needle_score(needle)
        phrases_ok = phrases_ok and s > 0
        total += s
    matched = 0
    for term in parsed.terms:
        s = sum(needle_score(n) for n in term.needles)
        if s > 0:
            matched += 1
            total += s
    total += sum(needle_score(n) for n in parsed.optional)
    total += matched * coordination_weight(parsed, stats.docs)
    return Scored(total, matched, phrases_ok)


def rank(
    parsed: analysis.ParsedQuery, candidates: list, stats: Stats, *, fields: Callable, normalised: bool = False
) -> list[tuple[float, object]]:
    """``[(score, candidate)]`` of the candidates that really match (contiguous needles,
    ``min_should_match`` of the terms, every phrase), best first. ``fields(candidate)`` returns
    ``(title, body, title_len, body_len, published_on, pk)`` with title and body as stored, or
    already normalised (``normalised=True``: the whole body is scored, as the embedded index does)."""
    idf_cache: dict = {}
    out = []
    for cand in candidates:
        title, body, title_len, body_len, published, pk = fields(cand)
        if normalised:
            title, body = title or "", body or ""
        else:
            title = analysis.normalise(title or "")
            body = analysis.normalise((body or "")[:SCORED_BODY_CHARS])
            body_len = min(body_len or 1, SCORED_BODY_CHARS)
        s = score(parsed, title, body, title_len or 1, body_len or 1, stats, idf_cache)
        if not s.phrases_ok or s.matched_terms < parsed.min_should_match:
            continue
        out.append((s.score, -(published.toordinal() if published else 0), -pk, cand))
    out.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [(row[0], row[3]) for row in out]

"""Text analysis for the search index, in one place, shared by every backend.

Indexing
    Text is normalised (NFKC, 繁→简, lower case: ``gongkai.core.chinese.normalise``) and cut
    into *runs*: runs of CJK characters and runs of other letters/digits. Each CJK run becomes
    its overlapping character bigrams (县民政局 → 县民 民政 政局; a one-character run stays a
    unigram), each other run one token. Positions are consecutive, so a phrase of bigrams
    matches contiguous text. A second stream holds every CJK character (unigrams) so a
    one-character query works. This is the classic CJK bigram scheme: any 2-character word
    (民政, 低保, 医保) is found wherever it occurs, including inside longer words that a
    precise-mode segmenter keeps whole (人民政府, 县民政局).

Querying (``parse_query``, shared by both backends and the FAQ suggester)
    Quoted phrases ("…") must occur contiguously and ``-词`` excludes: both stay strict. Free
    text is normalised like the index, names of the everyday ↔ official dictionary are
    recognised first (longest match) and expanded to their group (房产证 → 不动产权证书,
    不动产登记), the rest is segmented with rjieba (precise mode), and question words and
    fillers (``data/stopwords.txt``, configurable) are dropped. A document must contain
    ``min_should_match`` of the remaining terms (all of 1–2 terms, 60 % of longer questions);
    the contiguous chunk and adjacent word pairs are optional needles that rank matches with
    the words together higher. Every needle is matched as contiguous text (a bigram phrase).
"""

from __future__ import annotations

import bisect
import html
import math
import operator
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import rjieba

from gongkai.core.chinese import to_simplified

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{CJK_CLASS}]+)|([^\W_{CJK_CLASS}]+)")
_CJK_CHAR = re.compile(rf"[{CJK_CLASS}]")

MAX_QUERY_LENGTH = 200
DATA_DIR = Path(__file__).parent / "data"


# --- index side -----------------------------------------------------------------


def normalise(text: str) -> str:
    """Same result as ``gongkai.core.chinese.normalise`` (NFKC, 繁→简, lower case), with a
    quick check that skips the NFKC pass for text that is already normalised (most Chinese
    text: the pass costs more than the rest of the analysis together)."""
    if not text:
        return ""
    # Full-width ASCII forms (，（）：) are what usually keeps Chinese text from being NFKC:
    # map them (their NFKC form is the ASCII character) and check the rest quickly.
    text = text.translate(_FULLWIDTH)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return to_simplified(text).lower()


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def runs(normalised_text: str) -> list[tuple[bool, str]]:
    """``[(is_cjk, run), ...]`` for already-normalised text."""
    return [(bool(m.group(1)), m.group(0)) for m in _RUN.finditer(normalised_text)]


def run_tokens(is_cjk: bool, run: str) -> list[str]:
    if is_cjk and len(run) > 1:
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run]


def bigram_tokens(text: str, *, normalised: bool = False) -> list[str]:
    """The positional token stream (CJK bigrams + other words) of ``text``."""
    text = text if normalised else normalise(text)
    out: list[str] = []
    for m in _RUN.finditer(text):
        run = m.group(0)
        if m.group(1) and len(run) > 1:
            out.extend(map(operator.add, run, run[1:]))
        else:
            out.append(run)
    return out


def unigram_tokens(text: str, *, normalised: bool = False) -> list[str]:
    text = text if normalised else normalise(text)
    return _CJK_CHAR.findall(text)


@dataclass
class Analysed:
    """A document field analysed for indexing: space-joined token streams."""

    bigrams: str
    unigrams: str


def analyse(text: str, *, normalised: bool = False) -> Analysed:
    norm = (text or "") if normalised else normalise(text or "")
    bigrams: list[str] = []
    cjk: list[str] = []
    for m in _RUN.finditer(norm):
        run = m.group(0)
        if m.group(1):
            cjk.append(run)
            if len(run) > 1:
                bigrams.extend(map(operator.add, run, run[1:]))
                continue
        bigrams.append(run)
    return Analysed(" ".join(bigrams), " ".join("".join(cjk)))


# --- query side -----------------------------------------------------------------


@dataclass(frozen=True)
class Needle:
    """A normalised string that must occur contiguously. ``parts`` are its runs:
    each part is matched as a bigram phrase / single term / unigram."""

    text: str
    parts: tuple[tuple[bool, str], ...]

    def part_queries(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """For each part: ``("uni", [(0, char)])`` for a lone CJK character, else
        ``("bi", [(offset, token), ...])``: one token is a term query, several a phrase.

        A phrase of overlapping bigrams is fully determined by every other bigram plus the
        last one (农村危房改造 → 农村@0 危房@2 改造@4): half the posting lists to intersect."""
        out = []
        for is_cjk, run in self.parts:
            if is_cjk and len(run) == 1:
                out.append(("uni", [(0, run)]))
            elif is_cjk:
                last = len(run) - 2
                offsets = list(range(0, last + 1, 2))
                if offsets[-1] != last:
                    offsets.append(last)
                out.append(("bi", [(i, run[i : i + 2]) for i in offsets]))
            else:
                out.append(("bi", [(0, run)]))
        return out


@dataclass(frozen=True)
class Term:
    """One concept of a free-text query: the word as typed and its dictionary alternatives
    (房产证 → 房产证 | 不动产权证书 | 不动产登记). A document matches the term when it contains
    any alternative contiguously."""

    text: str
    needles: tuple[Needle, ...]


# Why a query has nothing to search for (the page explains it; the term is not logged).
ISSUE_ONLY_STOPWORDS = "only_stopwords"
ISSUE_NO_TEXT = "no_text"


@dataclass
class ParsedQuery:
    """A query understood: strict phrases, free terms of which ``min_should_match`` must
    match, ranking-only needles (contiguous chunks, adjacent word pairs), exclusions."""

    phrases: list[Needle] = field(default_factory=list)  # quoted: must occur contiguously
    terms: list[Term] = field(default_factory=list)
    optional: list[Needle] = field(default_factory=list)  # ranking only
    excluded: list[Needle] = field(default_factory=list)
    min_should_match: int = 0
    ignored: list[str] = field(default_factory=list)  # question words and fillers removed
    issue: str = ""
    truncated: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to match: browse (no text) or an empty state (``issue``)."""
        return not self.phrases and not self.terms

    @property
    def strict(self) -> bool:
        """Every free term must match (1–2 terms, or a relaxed copy that says so)."""
        return self.min_should_match >= len(self.terms)

    @property
    def required(self) -> list[Needle]:
        """Needles every hit contains: phrases, and the terms when all must match (their first
        alternative; used for suggestions and simple callers)."""
        out = list(self.phrases)
        if self.strict:
            out += [t.needles[0] for t in self.terms]
        return out

    def all_needles(self) -> list[Needle]:
        out = list(self.phrases)
        for t in self.terms:
            out += list(t.needles)
        return out

    def highlight_terms(self) -> list[str]:
        """Strings to highlight, longest first."""
        terms = {n.text for n in self.all_needles() + self.optional}
        return sorted(terms, key=len, reverse=True)

    def relaxed(self) -> ParsedQuery | None:
        """The looser query used when this one finds nothing: one term is enough. ``None`` when
        nothing can be loosened (a single term, or phrases only)."""
        if len(self.terms) < 2 or self.min_should_match <= 1:
            return None
        return replace(self, min_should_match=1)


def min_should_match(n: int, *, question: bool = False) -> int:
    """How many of ``n`` free terms a document must contain: all of 1–2 terms, then 60 % —
    rounded up for keywords (3 → 2, 4 → 3), rounded down for a question, whose words carry
    more noise (3 → 1, 4 → 2, 5 → 3; ``bench/search_bench.py`` measures both kinds)."""
    if n <= 2:
        return n
    share = n * MIN_SHOULD_MATCH_SHARE
    return max(1, math.floor(share) if question else math.ceil(share))


MIN_SHOULD_MATCH_SHARE = 0.6


def make_needle(text: str) -> Needle | None:
    norm = normalise(text)
    parts = tuple(runs(norm))
    if not parts:
        return None
    # The contiguous string as it appears in normalised text (punctuation between runs kept).
    return Needle(norm.strip(), parts)


def _split(text: str) -> list[tuple[str, str]]:
    """``[(kind, chunk)]`` with kind in {"phrase", "words", "not"}. Tolerates unbalanced quotes."""
    text = text.replace("“", '"').replace("”", '"').replace("「", '"').replace("」", '"')
    chunks: list[tuple[str, str]] = []
    pieces = text.split('"')
    for i, piece in enumerate(pieces):
        if i % 2 == 1 and i < len(pieces) - 1:  # inside a closed pair of quotes
            if piece.strip():
                chunks.append(("phrase", piece.strip()))
            continue
        for word in piece.split():
            if word.startswith("-") and len(word) > 1:
                chunks.append(("not", word[1:]))
            else:
                chunks.append(("words", word))
    return chunks


@lru_cache(maxsize=1)
def _shipped_stopwords() -> frozenset[str]:
    words = set()
    for line in (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(normalise(line))
    return frozenset(words)


def stopwords() -> frozenset[str]:
    """Question words and fillers removed from free text: the shipped list
    (``data/stopwords.txt``) plus ``settings.GONGKAI_SEARCH_STOPWORDS``, minus
    ``settings.GONGKAI_SEARCH_KEEPWORDS``."""
    from django.conf import settings

    extra = getattr(settings, "GONGKAI_SEARCH_STOPWORDS", None) or ()
    keep = getattr(settings, "GONGKAI_SEARCH_KEEPWORDS", None) or ()
    if not extra and not keep:
        return _shipped_stopwords()
    return (_shipped_stopwords() | {normalise(w) for w in extra}) - {normalise(w) for w in keep}


def _dictionary():
    from . import dictionary

    return dictionary.current()


@dataclass
class _Word:
    text: str
    start: int  # position in the normalised chunk
    end: int
    in_dictionary: bool = False


def _chunk_words(norm: str, dictionary) -> list[_Word]:
    """Dictionary names first (longest match), rjieba precise-mode words for the rest."""
    out: list[_Word] = []
    pos = 0

    def segment(lo: int, hi: int) -> None:
        offset = lo
        for w in rjieba.cut(norm[lo:hi]):
            out.append(_Word(w, offset, offset + len(w)))
            offset += len(w)

    for start, end, name in dictionary.find(norm):
        if start > pos:
            segment(pos, start)
        out.append(_Word(name, start, end, in_dictionary=True))
        pos = end
    if pos < len(norm):
        segment(pos, len(norm))
    return out


def _term(word: str, dictionary, expand: bool) -> Term | None:
    names = dictionary.alternatives(word) if expand else (word,)
    needles = tuple(n for n in (make_needle(x) for x in names) if n is not None)
    return Term(needles[0].text, needles) if needles else None


def parse_query(text: str, *, expand: bool = True) -> ParsedQuery:
    """Understand a query (shared by every backend and the FAQ suggester).

    * ``"…"`` phrases must occur contiguously; ``-词`` excludes; both stay strict.
    * Free text: normalised (NFKC, 繁→简, lower case), dictionary names recognised first
      (longest match) and expanded to their group (低保 → 最低生活保障 …), the rest segmented
      with rjieba; question words and fillers (:func:`stopwords`) removed.
    * ``min_should_match`` of the free terms must match (:func:`min_should_match`); the
      contiguous chunk and adjacent word pairs rank higher (proximity), never required.
    """
    raw = text or ""
    parsed = ParsedQuery(truncated=len(raw) > MAX_QUERY_LENGTH)
    text = raw[:MAX_QUERY_LENGTH]
    dictionary = _dictionary()
    stop = stopwords()
    seen: set[str] = set()
    weak: list[Term] = []

    def add_optional(raw_text: str) -> None:
        needle = make_needle(raw_text)
        if needle and needle.text not in seen:
            seen.add(needle.text)
            parsed.optional.append(needle)

    for kind, chunk in _split(text):
        if kind == "phrase":
            needle = make_needle(chunk)
            if needle and needle.text not in seen:
                seen.add(needle.text)
                parsed.phrases.append(needle)
        elif kind == "not":
            needle = make_needle(chunk)
            if needle:
                parsed.excluded.append(needle)
        else:
            _parse_chunk(chunk, parsed, dictionary, stop, seen, weak, expand, add_optional)
    strong = [t for t in parsed.terms if len(t.text) > 1 or not _CJK_CHAR.match(t.text)]
    if len(strong) >= 2 and weak:
        # Single characters left over from a question (证, 赔 …) rank but are not counted.
        parsed.terms = [t for t in parsed.terms if t not in weak]
        for t in weak:
            for n in t.needles:
                if n.text not in {o.text for o in parsed.optional}:
                    parsed.optional.append(n)
    # A question (question words or fillers were dropped) needs fewer of its words than keywords.
    parsed.min_should_match = min_should_match(len(parsed.terms), question=bool(parsed.ignored))
    if parsed.empty and raw.strip() and not parsed.excluded:
        parsed.issue = ISSUE_ONLY_STOPWORDS if parsed.ignored else ISSUE_NO_TEXT
    return parsed


def _parse_chunk(chunk, parsed, dictionary, stop, seen, weak, expand, add_optional) -> None:
    norm = normalise(chunk)
    words = [w for w in _chunk_words(norm, dictionary) if _RUN.search(w.text)]
    kept: list[_Word] = []
    for w in words:
        if not w.in_dictionary and w.text in stop:
            if w.text not in parsed.ignored:
                parsed.ignored.append(w.text)
            continue
        kept.append(w)
    if len(words) > 1 and kept:
        add_optional(chunk)  # the contiguous chunk as typed ranks higher (titles, known items)
    previous: _Word | None = None
    for i, w in enumerate(kept):
        # A number cut off at the chunk's edge ("8年…" from "2018年…") may be a partial token:
        # it ranks but is not required.
        partial_edge = len(words) > 1 and (i == 0 or i == len(kept) - 1) and w.text.isdigit() and len(w.text) < 4
        if partial_edge:
            add_optional(w.text)
        elif w.text not in seen:
            term = _term(w.text, dictionary, expand)
            if term is not None:
                seen.add(w.text)
                parsed.terms.append(term)
                if len(w.text) == 1 and _CJK_CHAR.match(w.text):
                    weak.append(term)
        if previous is not None and previous.end == w.start:
            add_optional(norm[previous.start : w.end])  # adjacent words: proximity boost
        previous = w


# --- highlighting ---------------------------------------------------------------


@lru_cache(maxsize=65536)
def _norm_char(ch: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", ch)).lower()


def _normalised_with_map(text: str) -> tuple[str, list[int] | None]:
    """Normalise ``text``; ``offsets[i]`` = index in ``text`` of normalised char ``i``
    (``None`` when normalisation kept every character in place, the usual case)."""
    norm = normalise(text)
    if len(norm) == len(text):
        return norm, None
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        n = _norm_char(ch)
        out.append(n)
        offsets.extend([i] * len(n))
    return "".join(out), offsets


@lru_cache(maxsize=4096)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    # Needles keep punctuation between runs; match tolerant of whitespace differences.
    patterns = []
    for term in terms:
        term = term.strip()
        if term:
            patterns.append(r"\s*".join(re.escape(c) for c in term if not c.isspace()))
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True)), re.IGNORECASE)


# Normalising a long text character by character (needed when NFKC or 繁→简 changes it) is the
# slow part of highlighting; beyond this many characters only the matches found in the text
# as written are highlighted.
SLOW_PATH_CHARS = 20_000


def _match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans (in ``text`` coordinates) where any term occurs.

    Fast path: most text is already in normalised form (简体, half-width), so the terms are
    first looked for in the text as written. Only when that finds nothing is the text
    normalised (繁體, full-width letters) with a map back to the original positions."""
    if not text or not terms:
        return []
    rx = _terms_pattern(tuple(terms))
    if rx is None:
        return []
    spans = [(m.start(), m.end()) for m in rx.finditer(text) if m.end() > m.start()]
    if spans:
        return spans
    norm, offsets = _normalised_with_map(text[:SLOW_PATH_CHARS])
    for m in rx.finditer(norm):
        if m.end() == m.start():
            continue
        if offsets is None:
            start, end = m.start(), m.end()
        else:
            start, end = offsets[m.start()], offsets[m.end() - 1] + 1
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    parts = []
    pos = 0
    for start, end in spans:
        parts.append(html.escape(text[pos:start]))
        parts.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


def highlight(text: str, terms: list[str]) -> str:
    """The whole ``text``, HTML-escaped, with every occurrence of a term wrapped in <mark>."""
    return _render(text or "", _match_spans(text or "", terms))


_WS = re.compile(r"\s+")


def snippet(text: str, terms: list[str], *, length: int = 160) -> str:
    """An HTML-escaped excerpt of about ``length`` characters around the best cluster of
    matches, matches wrapped in <mark>; the text's beginning when nothing matches. Whitespace
    runs are shown as one space (only the excerpt is processed: bodies can be long)."""
    text = (text or "").strip()
    if not text:
        return ""
    spans = _match_spans(text, terms)
    if not spans:
        cut = _WS.sub(" ", text[: length * 2]).strip()
        return html.escape(cut[:length]) + ("…" if len(text) > length else "")
    # Window with the most distinct matched strings, starting a little before a match.
    best_start, best_score = spans[0][0], -1
    starts = [a for a, _b in spans]
    for i, (s, _e) in enumerate(spans[:200]):
        window_end = s + length
        window = [(a, b) for a, b in spans[i : bisect.bisect_right(starts, window_end)] if b <= window_end]
        score = len({text[a:b].lower() for a, b in window}) * 100 + len(window)
        if score > best_score:
            best_start, best_score = s, score
    start = 0 if best_start < length * 2 // 3 else best_start - 20
    end = min(len(text), start + length)
    inner = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
    body = _WS.sub(" ", _render(text[start:end], inner))
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


# --- suggestions ----------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _pinyin(word: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    full = lazy_pinyin(word, errors="ignore")
    initials = lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(full), "".join(initials)


def pinyin_keys(title: str) -> str:
    """Space-separated pinyin keys for a title: for each precise-mode CJK word, full toneless
    pinyin and initials (民政局 → minzhengju mzj), plus the same for the title's first four
    words run together so a typed pinyin prefix can continue across words."""
    norm = normalise(title or "")
    words = [w for w in rjieba.cut(norm) if _CJK_CHAR.search(w)][:12]
    keys: list[str] = []
    pinyins = [_pinyin(w) for w in words]
    for full, initials in pinyins:
        if full:
            keys.append(full)
        if len(initials) > 1:
            keys.append(initials)
    if len(pinyins) > 1:
        keys.append("".join(p[0] for p in pinyins[:4]))
        keys.append("".join(p[1] for p in pinyins[:4]))
    return " ".join(k for k in keys if k.isascii() and k.isalnum())


_PINYIN_QUERY = re.compile(r"^[a-z]+$")


def is_pinyin_prefix(text: str) -> bool:
    return bool(_PINYIN_QUERY.match(normalise(text).replace(" ", "")))

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

Querying
    A query is split into quoted phrases ("…") and free words. Free text is segmented with
    rjieba (precise mode) into words; every word is a required *needle* (matched as a
    contiguous string, i.e. a bigram phrase); the whole unquoted chunk is added as an optional
    needle so documents that contain it contiguously rank higher. A quoted phrase is one
    required needle. Needles are normalised the same way as the index, so 简/繁 queries
    find both.
"""

from __future__ import annotations

import html
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import rjieba

from gongkai.core.chinese import to_simplified

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{CJK_CLASS}]+)|([^\W_{CJK_CLASS}]+)")
_CJK_CHAR = re.compile(rf"[{CJK_CLASS}]")

MAX_QUERY_LENGTH = 200


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


def analyse(text: str) -> Analysed:
    norm = normalise(text or "")
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


@dataclass
class ParsedQuery:
    required: list[Needle] = field(default_factory=list)
    optional: list[Needle] = field(default_factory=list)
    excluded: list[Needle] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.required and not self.optional

    def highlight_terms(self) -> list[str]:
        """Strings to highlight, longest first."""
        terms = {n.text for n in self.required + self.optional}
        return sorted(terms, key=len, reverse=True)


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


def parse_query(text: str) -> ParsedQuery:
    text = (text or "")[:MAX_QUERY_LENGTH]
    parsed = ParsedQuery()
    seen: set[str] = set()

    def add(target: list[Needle], raw: str) -> None:
        needle = make_needle(raw)
        if needle and needle.text not in seen:
            seen.add(needle.text)
            target.append(needle)

    for kind, chunk in _split(text):
        if kind == "phrase":
            add(parsed.required, chunk)
        elif kind == "not":
            needle = make_needle(chunk)
            if needle:
                parsed.excluded.append(needle)
        else:
            norm = normalise(chunk)
            words = [w for w in rjieba.cut(norm) if _RUN.search(w)]
            if len(words) <= 1:
                add(parsed.required, chunk)
                continue
            for i, w in enumerate(words):
                # A number or latin word cut off at the chunk's edge ("8年…" from "2018年…") may be
                # a partial token: it ranks but is not required.
                partial_edge = (i == 0 or i == len(words) - 1) and w.isdigit() and len(w) < 4
                add(parsed.optional if partial_edge else parsed.required, w)
            add(parsed.optional, chunk)  # contiguous occurrence ranks higher
    return parsed


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


def _match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans (in ``text`` coordinates) where any term occurs."""
    if not text or not terms:
        return []
    norm, offsets = _normalised_with_map(text)
    # Needles keep punctuation between runs; match tolerant of whitespace differences.
    patterns = []
    for term in terms:
        term = term.strip()
        if not term:
            continue
        patterns.append(r"\s*".join(re.escape(c) for c in term if not c.isspace()))
    if not patterns:
        return []
    rx = re.compile("|".join(f"(?:{p})" for p in patterns))
    spans = []
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
    matches, matches wrapped in <mark>; the text's beginning when nothing matches."""
    text = _WS.sub(" ", text or "").strip()
    if not text:
        return ""
    spans = _match_spans(text, terms)
    if not spans:
        cut = text[:length]
        return html.escape(cut) + ("…" if len(text) > length else "")
    # Window with the most distinct matched strings, starting a little before a match.
    best_start, best_score = spans[0][0], -1
    for i, (s, _e) in enumerate(spans):
        window_end = s + length
        distinct = {text[a:b].lower() for a, b in spans[i:] if b <= window_end}
        score = len(distinct) * 100 + sum(1 for a, b in spans[i:] if b <= window_end)
        if score > best_score:
            best_start, best_score = s, score
        if i > 200:
            break
    start = 0 if best_start < length * 2 // 3 else best_start - 20
    end = min(len(text), start + length)
    inner = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
    body = _render(text[start:end], inner)
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

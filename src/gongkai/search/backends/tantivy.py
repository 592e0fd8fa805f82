"""Embedded backend: a tantivy index on local disk (the default install).

tantivy has no Chinese tokenizer, so text is analysed in Python (``..analysis``) and fed
to tantivy as whitespace-separated tokens. One writer at a time per index directory: every
write takes an exclusive file lock, so the web process, Celery workers and ``gongkai
reindex`` serialise their writes; readers reload when the index's meta file changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tantivy

from .. import analysis, ranking
from ..types import FACET_KEYS, Hit, SearchDocument, SearchQuery, SearchResults
from . import SearchBackend, empty_results

SCHEMA_VERSION = "4"
TITLE_BOOST = 4.0
FACET_SIZE = 50
# From this many documents a search runs as two halves of the index on two threads (below).
SPLIT_MIN_DOCS = 100_000
_FACET_FIELD = {
    "unit": "unit",
    "type": "doc_type",
    "year": "year",
    "domain": "domain",
    "status": "status",
    "kind": "kind",
}


_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _search_threads() -> ThreadPoolExecutor:
    """This process's threads for the parts of a search that run beside the calling thread:
    the facet pass, and the first half of a split search. tantivy releases the GIL while it
    searches and aggregates, so they use the other cores (issue 18 item 2: 1,000,000
    documents). Made per process: a pool created before a fork (gunicorn, Celery prefork)
    would have no threads in the child."""
    global _pool
    pid = os.getpid()
    with _pool_lock:
        if _pool is None or _pool[0] != pid:
            _pool = (pid, ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="search"))
        return _pool[1]


def _required(condition: tantivy.Query) -> tuple:
    """A boolean clause every hit must satisfy that adds nothing to the score (filters, the
    half of the index a split search covers, the guard bigram of a phrase)."""
    return (tantivy.Occur.Must, tantivy.Query.const_score_query(condition, 0.0))


def _build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("kind", "unit", "unit_id", "doc_type", "year", "domain", "status"):
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_date_field("published", indexed=True, fast=True)
    # Write order (1, 2, 3 … per index): splits a search into two halves of the index.
    sb.add_unsigned_field("seq", fast=True)
    sb.add_text_field("title_bi", tokenizer_name="ws", index_option="position")
    sb.add_text_field("title_uni", tokenizer_name="ws", index_option="freq")
    sb.add_text_field("body_bi", tokenizer_name="ws", index_option="position")
    sb.add_text_field("body_uni", tokenizer_name="ws", index_option="freq")
    sb.add_text_field("py", tokenizer_name="ws", index_option="basic")
    sb.add_bytes_field("payload", stored=True)
    return sb.build()


def _ws_analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.remove_long(80)).build()


def _to_datetime(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)


class _WriterGuard:
    """Holds the tantivy IndexWriter for the duration of one write; releasable on demand.
    Numbers every added document in write order (``seq``, after the highest in the index)."""

    __slots__ = ("writer", "next_seq")

    def __init__(self, writer: tantivy.IndexWriter, next_seq: int):
        self.writer = writer
        self.next_seq = next_seq

    def add_document(self, document: tantivy.Document) -> None:
        document.add_unsigned("seq", self.next_seq)
        self.next_seq += 1
        self.writer.add_document(document)

    def __getattr__(self, name):
        if self.writer is None:
            raise RuntimeError("the index writer has been released")
        return getattr(self.writer, name)

    def release(self) -> None:
        self.writer = None


class TantivyBackend(SearchBackend):
    name = "tantivy"

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.schema = _build_schema()
        self._index: tantivy.Index | None = None
        self._meta_mtime = 0.0
        self._open_lock = threading.RLock()
        self.split_min_docs = SPLIT_MIN_DOCS
        self._middle: tuple[float, int] | None = None  # (index generation, median seq)

    # --- index lifecycle -------------------------------------------------------

    def _open(self) -> tantivy.Index:
        with self._open_lock:
            if self._index is None:
                self.path.mkdir(parents=True, exist_ok=True)
                version_file = self.path / "gongkai-schema"
                if (self.path / "meta.json").exists() and (
                    not version_file.exists() or version_file.read_text().strip() != SCHEMA_VERSION
                ):
                    # Older layout: start afresh (``gongkai reindex`` rebuilds the content).
                    with self._write_lock():
                        for child in self.path.iterdir():
                            if child.name != ".writer.lock":
                                shutil.rmtree(child) if child.is_dir() else child.unlink()
                index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
                index.register_tokenizer("ws", _ws_analyzer())
                version_file.write_text(SCHEMA_VERSION)
                self._index = index
                self._meta_mtime = self._current_mtime()
            return self._index

    def _current_mtime(self) -> float:
        try:
            return (self.path / "meta.json").stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def _searcher(self) -> tantivy.Searcher:
        index = self._open()
        mtime = self._current_mtime()
        if mtime != self._meta_mtime:  # another process committed
            index.reload()
            self._meta_mtime = mtime
        return index.searcher()

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".writer.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _writer(self, heap: int = 64_000_000, threads: int = 1) -> Iterator[_WriterGuard]:
        index = self._open()
        with self._write_lock():
            index.reload()  # another process may have committed since our last look
            top = index.searcher().aggregate(tantivy.Query.all_query(), {"top": {"max": {"field": "seq"}}})
            guard = _WriterGuard(index.writer(heap_size=heap, num_threads=threads), int(top["top"]["value"] or 0) + 1)
            try:
                yield guard
                guard.writer.commit()
                guard.writer.wait_merging_threads()
            except BaseException:
                with contextlib.suppress(Exception):
                    guard.writer.rollback()
                raise
            finally:
                # Drop the native writer (and with it tantivy's directory lock) now, even if a
                # traceback or a caller's frame still refers to the guard: otherwise one failed
                # write would leave every later write failing with "LockBusy".
                guard.release()
            index.reload()
            self._meta_mtime = self._current_mtime()

    # --- writing ---------------------------------------------------------------

    def _document(self, doc: SearchDocument) -> tantivy.Document:
        td = tantivy.Document()
        td.add_text("id", doc.id)
        facets = doc.facet_values()
        td.add_text("kind", doc.kind)
        for key, field in _FACET_FIELD.items():
            if key != "kind" and facets[key]:
                td.add_text(field, facets[key])
        if doc.unit_id is not None:
            td.add_text("unit_id", str(doc.unit_id))
        if doc.published_on:
            td.add_date("published", _to_datetime(doc.published_on))
        title = analysis.analyse(doc.title)
        # Index number and document number are searchable like the title.
        extra = " ".join(x for x in (doc.document_number, doc.index_number) if x)
        body = analysis.analyse(doc.body + ("\n" + extra if extra else ""))
        td.add_text("title_bi", title.bigrams)
        td.add_text("title_uni", title.unigrams)
        td.add_text("body_bi", body.bigrams)
        td.add_text("body_uni", body.unigrams)
        keys = analysis.pinyin_keys(doc.title)
        if keys:
            td.add_text("py", keys)
        td.add_bytes("payload", json.dumps(doc.to_dict(), ensure_ascii=False).encode())
        return td

    def index(
        self,
        docs: Iterable[SearchDocument],
        *,
        replace: bool = True,
        heap: int = 64_000_000,
        threads: int = 1,
        progress=None,
    ) -> int:
        n = 0
        it = iter(docs)
        first = next(it, None)
        if first is None:
            return 0
        with self._writer(heap=heap, threads=threads) as writer:
            for doc in _chain(first, it):
                if replace:
                    writer.delete_documents_by_term("id", doc.id)
                writer.add_document(self._document(doc))
                n += 1
                if progress and n % 1000 == 0:
                    progress(n)
        return n

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._writer() as writer:
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)

    def delete_kind(self, kind: str) -> None:
        with self._writer() as writer:
            writer.delete_documents_by_term("kind", kind)

    def clear(self) -> None:
        with self._writer() as writer:
            writer.delete_all_documents()

    def count(self) -> int:
        return self._searcher().num_docs

    # --- reading ---------------------------------------------------------------

    def _field_query(self, prefix: str, needle: analysis.Needle) -> tantivy.Query:
        clauses = []
        for kind, tokens in needle.part_queries():
            field = f"{prefix}_{kind}"
            if len(tokens) == 1:
                q = tantivy.Query.term_query(self.schema, field, tokens[0][1])
            else:
                q = tantivy.Query.phrase_query(self.schema, field, tokens)
                guard = self._rarest_gap(field, tokens)
                if guard:
                    # Every document holding the run holds this bigram too: a second required
                    # clause (scoring 0, so the phrase's score is unchanged) that tantivy leads
                    # the intersection with, checking positions only where it occurs.
                    q = tantivy.Query.boolean_query(
                        [(tantivy.Occur.Must, q), _required(tantivy.Query.term_query(self.schema, field, guard))]
                    )
            clauses.append(q)
        if len(clauses) == 1:
            return clauses[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in clauses])

    def _rarest_gap(self, field: str, tokens: list[tuple[int, str]]) -> str | None:
        """A phrase of every other bigram (农村@0 危房@2 改造@4) skips the bigrams between them
        (村危, 房改). For common words the skipped ones are often far rarer (安全生产检查: 安全,
        生产, 检查 in most documents, 产检 in few): the rarest of them when it is rarer than
        every bigram of the phrase, else ``None``."""
        gaps = [a[1][1] + b[1][0] for a, b in zip(tokens, tokens[1:], strict=False) if b[0] - a[0] == 2]
        if not gaps:
            return None
        searcher = self._searcher()
        gap_df = {gap: searcher.doc_freq(field, gap) for gap in gaps}
        rarest = min(gap_df, key=gap_df.__getitem__)
        if gap_df[rarest] < min(searcher.doc_freq(field, t) for _o, t in tokens):
            return rarest
        return None

    def _needle_query(self, needle: analysis.Needle) -> tantivy.Query:
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.boost_query(self._field_query("title", needle), TITLE_BOOST)),
                (tantivy.Occur.Should, self._field_query("body", needle)),
            ]
        )

    def _filter_clauses(self, q: SearchQuery) -> list[tuple]:
        clauses = []
        for key, values in (q.filters or {}).items():
            values = [str(v) for v in values if str(v)]
            if key not in _FACET_FIELD or not values:
                continue
            sub = tantivy.Query.term_set_query(self.schema, _FACET_FIELD[key], values)
            if key == "unit":
                sub = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Should, sub),
                        (tantivy.Occur.Should, tantivy.Query.term_set_query(self.schema, "unit_id", values)),
                    ]
                )
            clauses.append(_required(sub))
        if q.date_from or q.date_to:
            rq = tantivy.Query.range_query(
                self.schema,
                "published",
                tantivy.FieldType.Date,
                _to_datetime(q.date_from) if q.date_from else None,
                _to_datetime(q.date_to) if q.date_to else None,
            )
            clauses.append(_required(rq))
        return clauses

    def _term_query(self, term: analysis.Term) -> tantivy.Query:
        if len(term.needles) == 1:
            return self._needle_query(term.needles[0])
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, self._needle_query(n)) for n in term.needles])

    def build_query(self, q: SearchQuery, parsed: analysis.ParsedQuery, docs: int | None = None) -> tantivy.Query:
        clauses: list[tuple] = []
        for needle in parsed.phrases:
            clauses.append((tantivy.Occur.Must, self._needle_query(needle)))
        if len(parsed.terms) == 1 or (parsed.terms and parsed.strict):
            # Every term required: an intersection, led by the rarest term (tantivy seeks the
            # others to its documents instead of visiting all of theirs).
            clauses += [(tantivy.Occur.Must, self._term_query(t)) for t in parsed.terms]
        elif parsed.terms:
            # min_should_match of the free terms (60 % of longer questions). Coordination: each
            # matched term adds a constant (``ranking.coordination_weight``; the PostgreSQL
            # backend adds the same) — inside the term's own clause, so tantivy evaluates every
            # term once (a separate constant-score clause per term doubled the work).
            weight = ranking.coordination_weight(parsed, self._searcher().num_docs if docs is None else docs)
            bonus = tantivy.Query.const_score_query(tantivy.Query.all_query(), weight)
            terms = [
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boolean_query(
                        [(tantivy.Occur.Must, self._term_query(t)), (tantivy.Occur.Should, bonus)]
                    ),
                )
                for t in parsed.terms
            ]
            clauses.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.boolean_query(terms, minimum_number_should_match=parsed.min_should_match),
                )
            )
        for needle in parsed.optional:
            clauses.append((tantivy.Occur.Should, self._needle_query(needle)))
        for needle in parsed.excluded:
            clauses.append((tantivy.Occur.MustNot, self._needle_query(needle)))
        clauses.extend(self._filter_clauses(q))
        if parsed.empty:
            clauses.append(_required(tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def search(self, q: SearchQuery, parsed: analysis.ParsedQuery | None = None) -> SearchResults:
        started = time.perf_counter()
        parsed = parsed or analysis.parse_query(q.text)
        if parsed.issue:
            return empty_results(q, parsed, started)
        searcher = self._searcher()
        query = self.build_query(q, parsed, docs=searcher.num_docs)
        per_page = max(1, min(q.per_page, 100))
        offset = (max(q.page, 1) - 1) * per_page
        pool = _search_threads()
        facets = pool.submit(self._facets, searcher, query)
        by_date = q.sort == "date" or parsed.empty
        total, found = self._top(searcher, query, per_page, offset, by_date, pool)
        terms = parsed.highlight_terms()
        hits = []
        for key, address in found:
            stored = searcher.doc(address)
            doc = SearchDocument.from_dict(json.loads(bytes(stored.get_first("payload"))))
            score = 0.0 if by_date else float(key)
            hits.append(
                Hit(
                    id=doc.id,
                    score=score,
                    title_html=analysis.highlight(doc.title, terms),
                    snippet_html=analysis.snippet(doc.body, terms),
                    document=doc,
                )
            )
        return SearchResults(
            total=total,
            hits=hits,
            facets=facets.result(),
            took_ms=(time.perf_counter() - started) * 1000,
            query=q,
            parsed=parsed,
        )

    def _top(self, searcher, query, limit: int, offset: int, by_date: bool, pool) -> tuple[int, list]:
        """Total and one page of ``(order key, address)``, best first. A large index is searched
        as two halves (``seq`` up to the median, and above it) on two threads — tantivy releases
        the GIL and skips the other half's documents — and the pages merged: the same scores
        (statistics are the whole index's; the half filter scores 0), so the same page."""
        order = {"order_by_field": "published"} if by_date else {}
        middle = self._median_seq(searcher)
        if middle is None:
            result = searcher.search(query, limit=limit, offset=offset, **order)
            return result.count or 0, result.hits
        halves = [
            tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, query),
                    _required(tantivy.Query.range_query(self.schema, "seq", tantivy.FieldType.Unsigned, lo, hi)),
                ]
            )
            for lo, hi in ((None, middle), (middle + 1, None))
        ]
        first = pool.submit(searcher.search, halves[0], limit=offset + limit, **order)
        second = searcher.search(halves[1], limit=offset + limit, **order)
        first = first.result()
        hits = sorted(first.hits + second.hits, key=lambda h: (-h[0], h[1].segment_ord, h[1].doc))
        return (first.count or 0) + (second.count or 0), hits[offset : offset + limit]

    def _median_seq(self, searcher: tantivy.Searcher) -> int | None:
        """The median ``seq`` of the index (once per index generation), or ``None`` below
        ``split_min_docs`` documents (two threads would cost more than they save)."""
        if searcher.num_docs < max(self.split_min_docs, 2):
            return None
        generation = self._meta_mtime
        if self._middle is None or self._middle[0] != generation:
            raw = searcher.aggregate(
                tantivy.Query.all_query(), {"m": {"percentiles": {"field": "seq", "percents": [50]}}}
            )
            self._middle = (generation, int((raw["m"]["values"] or {}).get("50.0") or 0))
        return self._middle[1]

    def _facets(self, searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, list[tuple[str, int]]]:
        spec = {key: {"terms": {"field": field, "size": FACET_SIZE}} for key, field in _FACET_FIELD.items()}
        raw = searcher.aggregate(query, spec)
        facets: dict[str, list[tuple[str, int]]] = {}
        for key in FACET_KEYS:
            buckets = (raw.get(key) or {}).get("buckets", [])
            items = [(str(b["key"]), int(b["doc_count"])) for b in buckets if str(b["key"])]
            if key == "year":
                items.sort(key=lambda kv: kv[0], reverse=True)
            facets[key] = items
        return facets

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = (prefix or "").strip()[: analysis.MAX_QUERY_LENGTH]
        if not prefix:
            return []
        searcher = self._searcher()
        if analysis.is_pinyin_prefix(prefix):
            key = analysis.normalise(prefix).replace(" ", "")
            query = tantivy.Query.regex_query(self.schema, "py", f"{key}.*")
        else:
            needle = analysis.make_needle(prefix)
            if needle is None:
                return []
            query = self._field_query("title", needle)
        result = searcher.search(query, limit=limit * 3)
        titles: list[str] = []
        for _score, address in result.hits:
            payload = json.loads(bytes(searcher.doc(address).get_first("payload")))
            title = payload.get("title", "")
            if title and title not in titles:
                titles.append(title)
            if len(titles) >= limit:
                break
        return titles


def _chain(first, rest):
    yield first
    yield from rest

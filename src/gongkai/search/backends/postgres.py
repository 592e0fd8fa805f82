"""PostgreSQL full-text backend (``GONGKAI_SEARCH_BACKEND=postgres``) for multi-server installs.

PostgreSQL has no Chinese parser here, so the same analysis as the embedded backend produces
CJK bigram/unigram tokens, and ``to_tsvector('simple', ...)`` indexes them in
``search_searchentry.tsv`` (title weight A, body weight D; GIN) and the title's alone in
``title_tsv`` (kept inline). A search runs in three steps, all bounded:

1. matching: the GIN index answers the query; free words are matched as bags of their
   bigrams (no ``<->``), which needs no recheck of the stored vectors, so counting and
   facets never read the (out-of-line) vectors or bodies; quoted phrases stay exact (``<->``);
2. facets and total: one ``GROUPING SETS`` over the matches (a narrow heap);
3. ranking: a candidate pool — the matches whose titles match best (``ts_rank_cd`` over the
   inline ``title_tsv``) plus the newest matches overall — is scored in Python with the embedded backend's BM25
   (``..ranking``), which also drops bag-of-bigram false positives; later pages continue by date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import time
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.translation import gettext as _

from .. import analysis, ranking
from ..types import FACET_KEYS, Hit, SearchDocument, SearchQuery, SearchResults
from . import SearchBackend, SearchUnavailable, empty_results

# tsvector positions stop at 16383 and a tsvector is at most 1 MB: index the first part
# of very long bodies (attachments) only.
MAX_BODY_CHARS = 30_000
FACET_SIZE = 50
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A (title suggestions)
# Up to this many index matches, every match is verified and ranked (exact: the embedded
# backend's total, facets and order). Beyond, the answer is approximate (``results.approximate``):
# a pool — the best title matches and the newest — is ranked by BM25 (``..ranking``), later
# pages continue with the other matches by date (verified in chunks), and total and facets
# count the index matches (bags of bigrams: can be a little high).
EXACT_LIMIT = 2000
POOL_TITLE = 300
POOL_TITLE_ANY = 100
POOL_NEWEST = 50
TITLE_RANK_NORMALISATION = 2  # ts_rank_cd divided by the title's length, like BM25's
DATE_CHUNK = 200
DATE_CHUNKS = 5
_MIN_DATE = dt.date.min
_DATE_ORDER = "published_on DESC NULLS LAST, id DESC"
STATS_TTL = 300  # seconds
EXACT_STATS_BELOW = 20_000  # documents: count document frequencies exactly
_stats_cache: dict = {}
_exact_cache: dict = {}
_FACET_COLUMN = {
    "unit": "unit_name",
    "type": "doc_type",
    "year": "year",
    "domain": "domain",
    "status": "status",
    "kind": "kind",
}
_COLUMNS = (
    "doc_id, kind, title, body, url, unit_id, unit_name, doc_type, domain, year, status, "
    "published_on, index_number, document_number, extra"
)


def _tok(token: str, weight: str = "") -> str:
    # Tokens are CJK characters or [^\W_]+ runs: no quotes or operators inside.
    return f"'{token}'" + (f":{weight}" if weight else "")


def needle_tsquery(needle: analysis.Needle, weight: str = "", *, exact: bool = True) -> str:
    """A needle as a tsquery: exact (``<->`` chains of bigrams) or, with ``exact=False``, the
    bag of its tokens (no positions: the GIN index answers it without rechecking vectors)."""
    if not exact:
        return "(" + " & ".join(_tok(t, weight) for t in ranking.needle_tokens(needle)) + ")"
    parts = []
    for _kind, tokens in needle.part_queries():
        if len(tokens) == 1:
            parts.append(_tok(tokens[0][1], weight))
        else:
            chain = _tok(tokens[0][1], weight)
            for (prev, _), (offset, token) in zip(tokens, tokens[1:], strict=False):
                chain += f" <{offset - prev}> " + _tok(token, weight)
            parts.append("(" + chain + ")")
    return "(" + " & ".join(parts) + ")"


def term_tsquery(term: analysis.Term, weight: str = "", *, exact: bool = True) -> str:
    """Any alternative of a term (房产证 | 不动产权证书 …)."""
    if len(term.needles) == 1:
        return needle_tsquery(term.needles[0], weight, exact=exact)
    return "(" + " | ".join(needle_tsquery(n, weight, exact=exact) for n in term.needles) + ")"


# At most this many AND-combinations spell out "k of n terms" inside one tsquery (the GIN
# index then answers it directly); longer questions use OR plus a per-row count.
MAX_COMBINATIONS = 64


def match_conditions(
    parsed: analysis.ParsedQuery, *, exact: bool = True, bag_phrases: bool = False
) -> tuple[list[str], list]:
    """SQL conditions (and their parameters) for the phrases and the min_should_match of terms.
    With ``exact=False`` free words are bags of bigrams, with ``bag_phrases`` quoted phrases too
    (the GIN index answers without reading the stored vectors; the caller verifies)."""
    where: list[str] = []
    params: list = []
    musts = [needle_tsquery(n, exact=not bag_phrases) for n in parsed.phrases]
    terms = [term_tsquery(t, exact=exact) for t in parsed.terms]
    k = parsed.min_should_match
    if terms and k >= len(terms):
        musts += terms
    elif terms:
        combos = math.comb(len(terms), k)
        if combos <= MAX_COMBINATIONS:
            musts.append("(" + " | ".join("(" + " & ".join(c) + ")" for c in itertools.combinations(terms, k)) + ")")
        else:
            musts.append("(" + " | ".join(terms) + ")")
            if not bag_phrases:  # else the caller counts the terms of each candidate
                count = " + ".join(["(tsv @@ to_tsquery('simple', %s))::int"] * len(terms))
                where.append(f"({count}) >= {int(k)}")
                params += terms
    musts += ["!" + needle_tsquery(n) for n in parsed.excluded]
    if parsed.phrases or parsed.terms:
        where.insert(0, "tsv @@ to_tsquery('simple', %s)")
        params.insert(0, " & ".join(musts))
    elif parsed.excluded:
        where.append("NOT (tsv @@ to_tsquery('simple', %s))")
        params.append(" | ".join(needle_tsquery(n) for n in parsed.excluded))
    return where, params


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self):
        self._check()

    def _check(self) -> None:
        if connection.vendor != "postgresql":
            raise SearchUnavailable(
                _(
                    "PostgreSQL 全文检索后端需要 PostgreSQL 数据库（当前数据库为 %(vendor)s）；"
                    "请设置 DATABASE_URL 为 PostgreSQL，或使用内嵌检索后端 GONGKAI_SEARCH_BACKEND=tantivy。"
                )
                % {"vendor": connection.vendor}
            )

    # --- writing ---------------------------------------------------------------

    def _row(self, doc: SearchDocument) -> tuple:
        norm_title = analysis.normalise(doc.title or "")
        extra = " ".join(x for x in (doc.document_number, doc.index_number) if x)
        norm_body = analysis.normalise((doc.body or "")[:MAX_BODY_CHARS] + ("\n" + extra if extra else ""))
        title = analysis.analyse(norm_title, normalised=True)
        body = analysis.analyse(norm_body, normalised=True)
        return (
            doc.id,
            doc.kind,
            doc.title,
            doc.body or "",
            doc.url or "",
            doc.unit_id,
            doc.unit_name or "",
            doc.doc_type or "",
            doc.domain or "",
            doc.year,
            doc.status or "",
            doc.published_on,
            doc.index_number or "",
            doc.document_number or "",
            json.dumps(doc.extra or {}, ensure_ascii=False),
            f"{title.bigrams} {title.unigrams}",
            f"{body.bigrams} {body.unigrams}",
            f"{title.bigrams} {title.unigrams}",
            len(title.bigrams.split()),
            len(body.bigrams.split()),
            analysis.pinyin_keys(doc.title),
            norm_title,
            norm_body,
        )

    _UPSERT = (
        f"INSERT INTO search_searchentry ({_COLUMNS}, tsv, title_tsv, title_len, body_len, py, rank_title, rank_body) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, "
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D'), "
        "to_tsvector('simple', %s), %s, %s, to_tsvector('simple', %s), %s, %s) "
        "ON CONFLICT (doc_id) DO UPDATE SET "
        + ", ".join(
            f"{c} = EXCLUDED.{c}"
            for c in [
                *(c.strip() for c in _COLUMNS.split(",")),
                *("tsv", "title_tsv", "title_len", "body_len", "py", "rank_title", "rank_body"),
            ]
            if c != "doc_id"
        )
    )

    def index(self, docs: Iterable[SearchDocument], *, batch: int = 500, progress=None, **_ignored) -> int:
        self._check()
        n = 0
        rows: list[tuple] = []

        def flush():
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(self._UPSERT, rows)
            rows.clear()

        for doc in docs:
            rows.append(self._row(doc))
            n += 1
            if len(rows) >= batch:
                flush()
                if progress:
                    progress(n)
        if rows:
            flush()
        return n

    def delete(self, ids: Iterable[str]) -> None:
        self._check()
        ids = list(ids)
        if ids:
            with connection.cursor() as cur:
                cur.execute("DELETE FROM search_searchentry WHERE doc_id = ANY(%s)", [ids])

    def delete_kind(self, kind: str) -> None:
        self._check()
        with connection.cursor() as cur:
            cur.execute("DELETE FROM search_searchentry WHERE kind = %s", [kind])

    def clear(self) -> None:
        self._check()
        with connection.cursor() as cur:
            cur.execute("TRUNCATE search_searchentry")

    def count(self) -> int:
        self._check()
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM search_searchentry")
            return cur.fetchone()[0]

    # --- reading ---------------------------------------------------------------

    def _where(
        self, q: SearchQuery, parsed: analysis.ParsedQuery, *, bags: bool = True, exact: bool = False
    ) -> tuple[str, list]:
        where, params = match_conditions(parsed, exact=exact, bag_phrases=bags)
        for key, values in (q.filters or {}).items():
            values = [str(v) for v in values if str(v)]
            if key not in _FACET_COLUMN or not values:
                continue
            column = _FACET_COLUMN[key]
            if key == "unit":
                where.append("(unit_name = ANY(%s) OR unit_id::text = ANY(%s))")
                params += [values, values]
            elif key == "year":
                where.append("year::text = ANY(%s)")
                params.append(values)
            else:
                where.append(f"{column} = ANY(%s)")
                params.append(values)
        if q.date_from:
            where.append("published_on >= %s")
            params.append(q.date_from)
        if q.date_to:
            where.append("published_on <= %s")
            params.append(q.date_to)
        return (" AND ".join(where) or "TRUE"), params

    def search(self, q: SearchQuery, parsed: analysis.ParsedQuery | None = None) -> SearchResults:
        self._check()
        started = time.perf_counter()
        parsed = parsed or analysis.parse_query(q.text)
        if parsed.issue:
            return empty_results(q, parsed, started)
        per_page = max(1, min(q.per_page, 100))
        offset = (max(q.page, 1) - 1) * per_page
        approximate = False
        with transaction.atomic(), connection.cursor() as cur:
            if parsed.empty:  # browsing (filters only): newest first
                where, params = self._where(q, parsed)
                total, facets = self._facets(cur, where, params)
                page = [(pk, 0.0) for pk in self._by_date(cur, where, params, per_page, offset)] if total else []
            else:
                stats = self._stats(cur)  # (small tables count exactly: before seqscans are off)
                # The planner prices a sequential scan of the token vectors far too low.
                cur.execute("SET LOCAL enable_seqscan = off")
                where, params = self._where(q, parsed)
                cols = ", ".join(_FACET_COLUMN[k] + "::text" for k in FACET_KEYS)
                cur.execute(
                    f"SELECT id, {cols} FROM search_searchentry WHERE {where} LIMIT %s", [*params, EXACT_LIMIT + 1]
                )
                matches = cur.fetchall()
                if len(matches) <= EXACT_LIMIT:
                    total, facets, order = self._exact(cur, q, parsed, matches, stats)
                    page = order[offset : offset + per_page]
                else:
                    approximate = True
                    total, facets = self._facets(cur, where, params)
                    page = self._approximate_page(cur, q, parsed, where, params, per_page, offset, stats)
            rows = self._rows(cur, [pk for pk, _s in page])
        terms = parsed.highlight_terms()
        hits = []
        for pk, sc in page:
            row = rows.get(pk)
            if row is None:
                continue
            doc = _doc(row[1:])
            hits.append(
                Hit(
                    id=doc.id,
                    score=float(sc),
                    title_html=analysis.highlight(doc.title, terms),
                    snippet_html=analysis.snippet(doc.body, terms),
                    document=doc,
                )
            )
        return SearchResults(
            total=total,
            hits=hits,
            facets=facets,
            took_ms=(time.perf_counter() - started) * 1000,
            query=q,
            parsed=parsed,
            approximate=approximate,
        )

    # --- the steps of a search ------------------------------------------------------

    def _exact(self, cur, q, parsed, matches: list[tuple], stats) -> tuple[int, dict, list[tuple[int, float]]]:
        """At most ``EXACT_LIMIT`` index matches: each is verified (contiguous needles, phrases,
        ``min_should_match``) and ranked in Python, and the total and the facets counted over the
        verified ones — the embedded backend's answer."""
        cands = self._rank_rows(cur, [m[0] for m in matches])
        order = ranking.rank(parsed, cands, stats, fields=_rank_fields, normalised=True)
        keep = {r[0] for _s, r in order}
        facets = _count_facets([m[1:] for m in matches if m[0] in keep])
        if q.sort == "date":
            order.sort(key=lambda sr: (sr[1][5] or _MIN_DATE, sr[1][0]), reverse=True)
            return len(keep), facets, [(r[0], 0.0) for _s, r in order]
        return len(keep), facets, [(r[0], sc) for sc, r in order]

    def _approximate_page(self, cur, q, parsed, where: str, params: list, per_page: int, offset: int, stats):
        """More than ``EXACT_LIMIT`` matches: rank a bounded pool — the matches whose titles
        match best (``ts_rank`` per title length; every required word, shortest titles first)
        and the newest matches — then continue with the other matches by date, each verified in Python before
        it is shown."""
        order: list[tuple[float, tuple]] = []
        pool_ids: list[int] = []
        if q.sort != "date":
            # Title candidates, verified in Python: title matches by how often they hold the
            # query's tokens per title length (ts_rank over the inline title_tsv), titles holding
            # every required word shortest first (BM25 is highest in short titles), and the
            # newest matches for body-only relevance.
            all_q = " & ".join(term_tsquery(t, exact=False) for t in parsed.terms)
            all_q = " & ".join(x for x in [all_q, *(needle_tsquery(n, exact=False) for n in parsed.phrases)] if x)
            any_q = " | ".join(needle_tsquery(n, exact=False) for n in parsed.all_needles())
            # Titles with a word twice, or several alternatives of a term, score higher: rank
            # the title matches by how often they hold the query's tokens, per title length.
            rank_q = " | ".join(needle_tsquery(n) for n in parsed.all_needles() + parsed.optional)
            cur.execute(
                f"(SELECT id FROM search_searchentry WHERE {where} AND title_tsv @@ to_tsquery('simple', %s) "
                f"ORDER BY ts_rank(title_tsv, to_tsquery('simple', %s), {TITLE_RANK_NORMALISATION}) DESC, "
                f"title_len, id LIMIT {POOL_TITLE}) UNION "
                f"(SELECT id FROM search_searchentry WHERE {where} AND title_tsv @@ to_tsquery('simple', %s) "
                f"ORDER BY title_len, id LIMIT {POOL_TITLE_ANY}) UNION "
                f"(SELECT id FROM search_searchentry WHERE {where} ORDER BY {_DATE_ORDER} LIMIT {POOL_NEWEST})",
                [*params, any_q, rank_q, *params, all_q, *params],
            )
            pool_ids = [r[0] for r in cur.fetchall()]
            order = ranking.rank(parsed, self._rank_rows(cur, pool_ids), stats, fields=_rank_fields, normalised=True)
        page = [(r[0], sc) for sc, r in order[offset : offset + per_page]]
        if len(page) < per_page:
            # The rest by date, verified chunk by chunk (bounded), skipping the ranked pool.
            skip = max(0, offset - len(order))
            seen = 0
            exclude = pool_ids
            for chunk in range(DATE_CHUNKS):
                ids = self._by_date(cur, where, params, DATE_CHUNK, chunk * DATE_CHUNK, exclude=exclude)
                if not ids:
                    break
                verified = ranking.rank(parsed, self._rank_rows(cur, ids), stats, fields=_rank_fields, normalised=True)
                ok = {r[0] for _s, r in verified}
                for pk in ids:
                    if pk not in ok:
                        continue
                    seen += 1
                    if seen > skip:
                        page.append((pk, 0.0))
                    if len(page) >= per_page:
                        return page
        return page

    def _facets(self, cur, where: str, params: list) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        cols = [_FACET_COLUMN[k] for k in FACET_KEYS]
        cur.execute(
            f"SELECT {', '.join(c + '::text' for c in cols)}, {', '.join(f'GROUPING({c})' for c in cols)}, count(*) "
            f"FROM search_searchentry WHERE {where} GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in cols)}, ())",
            params,
        )
        n = len(cols)
        total = 0
        buckets: dict[str, list[tuple[str, int]]] = {k: [] for k in FACET_KEYS}
        for row in cur.fetchall():
            values, grouping, count = row[:n], row[n : 2 * n], row[-1]
            if all(grouping):
                total = count
                continue
            i = list(grouping).index(0)
            if values[i] not in (None, ""):
                buckets[FACET_KEYS[i]].append((values[i], count))
        return total, _sorted_facets(buckets)

    def _by_date(self, cur, where, params, limit: int, offset: int, exclude=()) -> list[int]:
        extra = " AND NOT (id = ANY(%s))" if exclude else ""
        cur.execute(
            f"SELECT id FROM search_searchentry WHERE {where}{extra} ORDER BY {_DATE_ORDER} LIMIT %s OFFSET %s",
            [*params, *([list(exclude)] if exclude else []), limit, offset],
        )
        return [r[0] for r in cur.fetchall()]

    def _rank_rows(self, cur, ids: list[int]) -> list[tuple]:
        """What the ranking reads: ``(pk, normalised title, normalised body, title_len, body_len,
        published_on, title, body)``; title and body only for rows indexed before the normalised
        columns existed (then normalised here)."""
        if not ids:
            return []
        cur.execute(
            "SELECT id, rank_title, rank_body, title_len, body_len, published_on, "
            "CASE WHEN rank_title = '' THEN title END, CASE WHEN rank_title = '' THEN body END "
            "FROM search_searchentry WHERE id = ANY(%s)",
            [list(ids)],
        )
        return cur.fetchall()

    def _rows(self, cur, ids: list[int]) -> dict[int, tuple]:
        """``{pk: (pk, *_COLUMNS)}`` for the page."""
        if not ids:
            return {}
        cur.execute(f"SELECT id, {_COLUMNS} FROM search_searchentry WHERE id = ANY(%s)", [list(ids)])
        return {row[0]: row for row in cur.fetchall()}

    def _stats(self, cur) -> ranking.Stats:
        """Document count, average field lengths and document frequencies for the ranking, from
        the planner's statistics (refreshed by ANALYZE/autovacuum), cached for a few minutes.
        Small tables (tests, a new install) count exactly instead."""
        now = time.monotonic()
        cached = _stats_cache.get("stats")
        if cached is not None and now - _stats_cache["at"] < STATS_TTL:
            return cached
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'search_searchentry'::regclass")
        estimate = cur.fetchone()[0]
        if estimate is None or estimate < EXACT_STATS_BELOW:
            stats = self._exact_stats(cur)
        else:
            stats = self._planner_stats(cur, estimate)
            _stats_cache.update(stats=stats, at=now)
        return stats

    def _exact_stats(self, cur) -> ranking.Stats:
        cur.execute(
            "SELECT count(*), coalesce(avg(title_len), 1), coalesce(avg(body_len), 1), coalesce(max(id), 0) "
            "FROM search_searchentry"
        )
        docs, avg_title, avg_body, last = cur.fetchone()
        key = (docs, last, float(avg_title), float(avg_body))
        if _exact_cache.get("key") != key or time.monotonic() - _exact_cache.get("at", 0) > STATS_TTL:
            _exact_cache.update(key=key, at=time.monotonic(), df={})
        cache: dict[str, float] = _exact_cache["df"]  # kept while the table is unchanged

        def counter(column: str):
            def df(token: str) -> float:
                key = (column, token)
                if key not in cache:
                    cur.execute(
                        f"SELECT count(*) FROM search_searchentry WHERE {column} @@ to_tsquery('simple', %s)",
                        [_tok(token)],
                    )
                    cache[key] = cur.fetchone()[0]
                return cache[key]

            return df

        return ranking.Stats(max(docs, 1), float(avg_title), float(avg_body), counter("tsv"), counter("title_tsv"))

    def _planner_stats(self, cur, docs: int) -> ranking.Stats:
        cur.execute(
            "SELECT coalesce(avg(title_len), 1), coalesce(avg(body_len), 1) FROM search_searchentry TABLESAMPLE SYSTEM (1)"
        )
        avg_title, avg_body = cur.fetchone()
        return ranking.Stats(
            docs, float(avg_title), float(avg_body), _element_df(cur, "tsv", docs), _element_df(cur, "title_tsv", docs)
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        self._check()
        prefix = (prefix or "").strip()[: analysis.MAX_QUERY_LENGTH]
        if not prefix:
            return []
        if analysis.is_pinyin_prefix(prefix):
            key = analysis.normalise(prefix).replace(" ", "")
            sql = "SELECT title FROM search_searchentry WHERE py @@ to_tsquery('simple', %s) ORDER BY published_on DESC NULLS LAST LIMIT %s"
            params = [f"'{key}':*", limit * 3]
        else:
            needle = analysis.make_needle(prefix)
            if needle is None:
                return []
            tsq = needle_tsquery(needle)
            sql = (
                "SELECT title FROM search_searchentry WHERE title_tsv @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank_cd(title_tsv, to_tsquery('simple', %s), 1) DESC LIMIT %s"
            )
            params = [tsq, tsq, limit * 3]
        with connection.cursor() as cur:
            cur.execute(sql, params)
            titles: list[str] = []
            for (title,) in cur.fetchall():
                if title not in titles:
                    titles.append(title)
        return titles[:limit]


def _element_df(cur, column: str, docs: int):
    """Document frequencies of a token column from the planner's statistics: the most common
    elements with their frequencies; a token not among them is rarer than the rarest of them."""
    cur.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = 'search_searchentry' AND attname = %s",
        [column],
    )
    row = cur.fetchone()
    freqs: dict[str, float] = {}
    floor = 0.0005
    if row and row[0]:
        elems, values = row
        freqs = dict(zip(elems, values[: len(elems)], strict=False))
        if len(values) > len(elems):
            floor = values[len(elems)]  # the least frequency among the common elements
    return lambda token: freqs.get(token, floor / 2) * docs


def _rank_fields(row) -> tuple:
    """``ranking.rank``'s view of a ``_rank_rows`` row: normalised title and body (normalised
    here for a row indexed before the normalised columns existed), lengths, date, primary key."""
    pk, title, body, title_len, body_len, published, raw_title, raw_body = row
    if raw_title is not None:
        title = analysis.normalise(raw_title)
        body = analysis.normalise((raw_body or "")[:MAX_BODY_CHARS])
    return title, body, title_len, body_len, published, pk


def _count_facets(rows: list[tuple]) -> dict[str, list[tuple[str, int]]]:
    """Facet counts of ``rows`` (the facet columns in ``FACET_KEYS`` order, as text)."""
    buckets: dict[str, list[tuple[str, int]]] = {}
    for i, key in enumerate(FACET_KEYS):
        counts = Counter(r[i] for r in rows if r[i] not in (None, ""))
        buckets[key] = list(counts.items())
    return _sorted_facets(buckets)


def _sorted_facets(buckets: dict[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, int]]]:
    for key, items in buckets.items():
        if key == "year":
            items.sort(key=lambda kv: kv[0], reverse=True)
        else:
            items.sort(key=lambda kv: (-kv[1], kv[0]))
        buckets[key] = items[:FACET_SIZE]
    return buckets


def _doc(row) -> SearchDocument:
    extra = row[14]
    if isinstance(extra, str):
        extra = json.loads(extra or "{}")
    return SearchDocument(
        id=row[0],
        kind=row[1],
        title=row[2],
        body=row[3],
        url=row[4],
        unit_id=row[5],
        unit_name=row[6],
        doc_type=row[7],
        domain=row[8],
        year=row[9],
        status=row[10],
        published_on=row[11],
        index_number=row[12],
        document_number=row[13],
        extra=extra or {},
    )

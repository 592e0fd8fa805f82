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

import itertools
import json
import math
import time
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
# The ranking pool: the newest matches with a query word in the title, and the newest matches;
# they are ranked by BM25 (``..ranking``), later pages continue with the other matches by date.
POOL_TITLE = 200
POOL_NEWEST = 100
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


def match_conditions(parsed: analysis.ParsedQuery, *, exact: bool = True) -> tuple[list[str], list]:
    """SQL conditions (and their parameters) for the phrases and the min_should_match of terms.
    With ``exact=False`` free words are bags of bigrams (phrases stay exact)."""
    where: list[str] = []
    params: list = []
    musts = [needle_tsquery(n) for n in parsed.phrases]
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
            where.append("(" + " + ".join(["(tsv @@ to_tsquery('simple', %s))::int"] * len(terms)) + f") >= {int(k)}")
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
        title = analysis.analyse(doc.title)
        extra = " ".join(x for x in (doc.document_number, doc.index_number) if x)
        body = analysis.analyse((doc.body or "")[:MAX_BODY_CHARS] + ("\n" + extra if extra else ""))
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
        )

    _UPSERT = (
        f"INSERT INTO search_searchentry ({_COLUMNS}, tsv, title_tsv, title_len, body_len, py) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, "
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D'), "
        "to_tsvector('simple', %s), %s, %s, to_tsvector('simple', %s)) "
        "ON CONFLICT (doc_id) DO UPDATE SET "
        + ", ".join(
            f"{c} = EXCLUDED.{c}"
            for c in [*(c.strip() for c in _COLUMNS.split(",")), "tsv", "title_tsv", "title_len", "body_len", "py"]
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

    def _where(self, q: SearchQuery, parsed: analysis.ParsedQuery) -> tuple[str, list]:
        where, params = match_conditions(parsed, exact=False)
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
        where, params = self._where(q, parsed)
        per_page = max(1, min(q.per_page, 100))
        offset = (max(q.page, 1) - 1) * per_page
        ranked = not parsed.empty and q.sort != "date"
        with transaction.atomic(), connection.cursor() as cur:
            if not parsed.empty:
                # The planner prices a sequential scan of the token vectors far too low.
                cur.execute("SET LOCAL enable_seqscan = off")
            total, facets = self._facets(cur, where, params)
            page: list[tuple[int, float]] = []
            scored: dict[int, tuple] = {}
            if ranked and total:
                pool = self._pool(cur, where, params, parsed)
                order = ranking.rank(parsed, pool, self._stats(cur), fields=_ranking_fields)
                scored = {r[0]: r for _s, r in order}
                page = [(r[0], sc) for sc, r in order[offset : offset + per_page]]
                if len(page) < per_page and offset + per_page > len(order):
                    rest_offset = max(0, offset - len(order))
                    page += [
                        (pk, 0.0)
                        for pk in self._by_date(
                            cur, where, params, per_page - len(page), rest_offset, exclude=[r[0] for r in pool]
                        )
                    ]
            elif total:
                page = [(pk, 0.0) for pk in self._by_date(cur, where, params, per_page, offset)]
            rows = self._rows(cur, [pk for pk, _s in page if pk not in scored])
        terms = parsed.highlight_terms()
        hits = []
        for pk, sc in page:
            row = rows.get(pk) or scored.get(pk)
            if row is None:
                continue
            doc = _doc(row[7:])
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
        )

    # --- the steps of a search ------------------------------------------------------

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
        for key, items in buckets.items():
            if key == "year":
                items.sort(key=lambda kv: kv[0], reverse=True)
            else:
                items.sort(key=lambda kv: (-kv[1], kv[0]))
            buckets[key] = items[:FACET_SIZE]
        return total, buckets

    def _pool(self, cur, where: str, params: list, parsed: analysis.ParsedQuery) -> list[tuple]:
        """The ranking candidates, with every column: the newest matches with a query word in the
        title, then the newest matches overall."""
        needles = parsed.all_needles() + parsed.optional
        title_q = " | ".join(needle_tsquery(n, exact=False) for n in needles)
        # Title candidates by how well the title matches (exact needles, the chunk as typed and
        # adjacent words count): the title tokens are stored inline, so this reads no vectors.
        rank_q = " | ".join(needle_tsquery(n) for n in needles)
        cur.execute(
            f"(SELECT id FROM search_searchentry WHERE {where} AND title_tsv @@ to_tsquery('simple', %s) "
            f"ORDER BY ts_rank_cd(title_tsv, to_tsquery('simple', %s)) DESC, {_DATE_ORDER} LIMIT {POOL_TITLE}) UNION "
            f"(SELECT id FROM search_searchentry WHERE {where} ORDER BY {_DATE_ORDER} LIMIT {POOL_NEWEST})",
            [*params, title_q, rank_q, *params],
        )
        ids = [r[0] for r in cur.fetchall()]
        rows = self._rows(cur, ids)
        return [rows[i] for i in ids if i in rows]

    def _by_date(self, cur, where, params, limit: int, offset: int, exclude=()) -> list[int]:
        extra = " AND NOT (id = ANY(%s))" if exclude else ""
        cur.execute(
            f"SELECT id FROM search_searchentry WHERE {where}{extra} ORDER BY {_DATE_ORDER} LIMIT %s OFFSET %s",
            [*params, *([list(exclude)] if exclude else []), limit, offset],
        )
        return [r[0] for r in cur.fetchall()]

    def _rows(self, cur, ids: list[int]) -> dict[int, tuple]:
        """``{pk: (pk, title, body, title_len, body_len, published_on, pk, *_COLUMNS)}``: what
        ``ranking.rank`` (``row[1:7]``) and ``_doc`` (``row[7:]``) read."""
        if not ids:
            return {}
        cur.execute(
            f"SELECT id, title, body, title_len, body_len, published_on, id, {_COLUMNS} "
            "FROM search_searchentry WHERE id = ANY(%s)",
            [list(ids)],
        )
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

        def df(token: str) -> float:
            if token not in cache:
                cur.execute(
                    "SELECT count(*) FROM search_searchentry WHERE tsv @@ to_tsquery('simple', %s)", [_tok(token)]
                )
                cache[token] = cur.fetchone()[0]
            return cache[token]

        return ranking.Stats(max(docs, 1), float(avg_title), float(avg_body), df)

    def _planner_stats(self, cur, docs: int) -> ranking.Stats:
        cur.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'search_searchentry' AND attname = 'tsv'"
        )
        row = cur.fetchone()
        freqs: dict[str, float] = {}
        floor = 0.0005
        if row and row[0]:
            elems, values = row
            freqs = dict(zip(elems, values[: len(elems)], strict=False))
            if len(values) > len(elems):
                floor = values[len(elems)]  # the least frequency among the common elements
        cur.execute(
            "SELECT coalesce(avg(title_len), 1), coalesce(avg(body_len), 1) FROM search_searchentry TABLESAMPLE SYSTEM (1)"
        )
        avg_title, avg_body = cur.fetchone()
        # A token not among the common elements is rarer than the rarest of them.
        return ranking.Stats(docs, float(avg_title), float(avg_body), lambda token: freqs.get(token, floor / 2) * docs)

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


def _ranking_fields(row) -> tuple:
    """What the index holds of a ``_rows`` row for ranking: the body as indexed (document and
    index numbers appended), lengths, date and primary key."""
    title, body, title_len, body_len, published, pk = row[1:7]
    index_number, document_number = row[19], row[20]
    extra = " ".join(x for x in (document_number, index_number) if x)
    return title, (body or "")[:MAX_BODY_CHARS] + ("\n" + extra if extra else ""), title_len, body_len, published, pk


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

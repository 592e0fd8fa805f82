"""PostgreSQL full-text backend (``GONGKAI_SEARCH_BACKEND=postgres``) for multi-server installs.

PostgreSQL has no Chinese parser here, so the same analysis as the embedded backend
produces CJK bigram/unigram tokens, and ``to_tsvector('simple', ...)`` indexes them
(title weight A, body weight D) in ``search_searchentry.tsv`` with a GIN index. Phrases are
``<->`` chains of bigrams; ranking is ``ts_rank_cd``; facets are GROUP BY queries.
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils.translation import gettext as _

from .. import analysis
from ..types import FACET_KEYS, Hit, SearchDocument, SearchQuery, SearchResults
from . import SearchBackend, SearchUnavailable, empty_results

# tsvector positions stop at 16383 and a tsvector is at most 1 MB: index the first part
# of very long bodies (attachments) only.
MAX_BODY_CHARS = 30_000
FACET_SIZE = 50
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
# Broad queries: only the newest RANK_CANDIDATES matches are ranked by relevance (ranking
# reads every candidate's tsvector); later pages continue with the rest by date.
RANK_CANDIDATES = 1000  # D, C, B, A: a title match counts 10× a body match
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


def needle_tsquery(needle: analysis.Needle, weight: str = "") -> str:
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


def term_tsquery(term: analysis.Term, weight: str = "") -> str:
    """Any alternative of a term (房产证 | 不动产权证书 …)."""
    if len(term.needles) == 1:
        return needle_tsquery(term.needles[0], weight)
    return "(" + " | ".join(needle_tsquery(n, weight) for n in term.needles) + ")"


# At most this many AND-combinations spell out "k of n terms" inside one tsquery (the GIN
# index then answers it directly); longer questions use OR plus a per-row count.
MAX_COMBINATIONS = 64


def match_conditions(parsed: analysis.ParsedQuery) -> tuple[list[str], list]:
    """SQL conditions (and their parameters) for the phrases and the min_should_match of terms."""
    where: list[str] = []
    params: list = []
    musts = [needle_tsquery(n) for n in parsed.phrases]
    terms = [term_tsquery(t) for t in parsed.terms]
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
            analysis.pinyin_keys(doc.title),
        )

    _UPSERT = (
        f"INSERT INTO search_searchentry ({_COLUMNS}, tsv, py) VALUES "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, "
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D'), "
        "to_tsvector('simple', %s)) "
        "ON CONFLICT (doc_id) DO UPDATE SET "
        + ", ".join(
            f"{c} = EXCLUDED.{c}" for c in [*(c.strip() for c in _COLUMNS.split(",")), "tsv", "py"] if c != "doc_id"
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
        where, params = match_conditions(parsed)
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
        cols = [_FACET_COLUMN[k] for k in FACET_KEYS]
        date_order = "published_on DESC NULLS LAST, id DESC"
        # One statement evaluates the match once (a phrase re-checks positions in every
        # candidate's TOASTed tsvector, the expensive part): ``m`` holds the matches' facet
        # columns; facets + total come from GROUPING SETS over ``m``; the page's ids from
        # ranking the newest RANK_CANDIDATES matches (relevance needs each candidate's
        # tsvector), or by date. Page rows are fetched afterwards by id.
        ctes = [f"m AS MATERIALIZED (SELECT id, published_on, {', '.join(cols)} FROM search_searchentry WHERE {where})"]
        parts = []
        sql_params: list = list(params)
        if ranked and offset < RANK_CANDIDATES:
            rank_q = " | ".join(needle_tsquery(n) for n in parsed.all_needles() + parsed.optional)
            ctes.append(f"c AS (SELECT id, published_on FROM m ORDER BY {date_order} LIMIT {RANK_CANDIDATES})")
            ctes.append(
                f"h AS (SELECT c.id, c.published_on, ts_rank_cd('{RANK_WEIGHTS}', s.tsv, to_tsquery('simple', %s), 1) AS score "
                f"FROM c JOIN search_searchentry s ON s.id = c.id "
                f"ORDER BY score DESC, c.published_on DESC NULLS LAST, c.id DESC LIMIT %s OFFSET %s)"
            )
            sql_params += [rank_q, min(per_page, RANK_CANDIDATES - offset), offset]
            parts.append(("1, id, published_on, score", "h"))
            if offset + per_page > RANK_CANDIDATES:
                ctes.append(f"d AS (SELECT id, published_on FROM m ORDER BY {date_order} LIMIT %s OFFSET %s)")
                sql_params += [offset + per_page - RANK_CANDIDATES, RANK_CANDIDATES]
                parts.append(("2, id, published_on, 0.0", "d"))
        else:
            ctes.append(f"d AS (SELECT id, published_on FROM m ORDER BY {date_order} LIMIT %s OFFSET %s)")
            sql_params += [per_page, offset]
            parts.append(("2, id, published_on, 0.0", "d"))
        null_cols = ", ".join(["NULL::text"] * len(cols) + ["0"] * len(cols))
        hit_selects = [f"SELECT {cols_}, {null_cols}, 0 FROM {src}" for cols_, src in parts]
        facet_select = (
            f"SELECT 0, NULL::bigint, NULL::date, NULL::float, {', '.join(c + '::text' for c in cols)}, "
            f"{', '.join(f'GROUPING({c})' for c in cols)}, count(*) FROM m "
            f"GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in cols)}, ())"
        )
        sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join([facet_select, *hit_selects])
        with transaction.atomic(), connection.cursor() as cur:
            if not parsed.empty:
                # The planner prices a sequential scan of the (TOASTed) tsvector column far too
                # low; the GIN bitmap scan is 20x faster for broad terms.
                cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute(sql, sql_params)
            result = cur.fetchall()
            total, facets, page_ids = _split_result(result, len(cols))
            rows = []
            if page_ids:
                cur.execute(
                    f"SELECT {_COLUMNS}, id FROM search_searchentry WHERE id = ANY(%s)", [[i for i, _ in page_ids]]
                )
                by_id = {row[-1]: row for row in cur.fetchall()}
                rows = [(*by_id[i][:-1], score) for i, score in page_ids if i in by_id]
        terms = parsed.highlight_terms()
        hits = []
        for row in rows:
            doc = _doc(row)
            hits.append(
                Hit(
                    id=doc.id,
                    score=float(row[-1]),
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
            tsq = needle_tsquery(needle, "A")
            sql = (
                "SELECT title FROM search_searchentry WHERE tsv @@ to_tsquery('simple', %s) "
                f"ORDER BY ts_rank_cd('{RANK_WEIGHTS}', tsv, to_tsquery('simple', %s), 1) DESC LIMIT %s"
            )
            params = [tsq, tsq, limit * 3]
        with connection.cursor() as cur:
            cur.execute(sql, params)
            titles: list[str] = []
            for (title,) in cur.fetchall():
                if title not in titles:
                    titles.append(title)
        return titles[:limit]


def _split_result(result, n: int):
    """Split the combined result: facet rows (part 0), ranked hits (1), date-ordered hits (2)."""
    total = 0
    buckets: dict[str, list[tuple[str, int]]] = {k: [] for k in FACET_KEYS}
    ranked, dated = [], []
    for row in result:
        part, doc_pk, published, score = row[:4]
        if part == 0:
            values, grouping, count = row[4 : 4 + n], row[4 + n : 4 + 2 * n], row[-1]
            if all(grouping):
                total = count
                continue
            i = list(grouping).index(0)
            if values[i] not in (None, ""):
                buckets[FACET_KEYS[i]].append((values[i], count))
        elif part == 1:
            ranked.append((doc_pk, published, float(score)))
        else:
            dated.append((doc_pk, published, 0.0))
    for key, items in buckets.items():
        if key == "year":
            items.sort(key=lambda kv: kv[0], reverse=True)
        else:
            items.sort(key=lambda kv: (-kv[1], kv[0]))
        buckets[key] = items[:FACET_SIZE]
    # Same orders as in SQL: score, then newest first, then id; dated rows newest first.
    ranked.sort(key=lambda h: (-h[2], -(h[1].toordinal() if h[1] else 0), -h[0]))
    dated.sort(key=lambda h: (-(h[1].toordinal() if h[1] else 0), -h[0]))
    return total, buckets, [(pk, score) for pk, _, score in ranked + dated]


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

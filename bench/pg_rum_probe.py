"""Probe: does the RUM index give the PostgreSQL backend ranked top-10 answers fast enough (issue 18 item 2)?

Issue 18 names the RUM index (Debian ``postgresql-15-rum``) as a candidate for ranked index
scans of the PostgreSQL backend: ``WHERE tsv @@ q ORDER BY tsv <=> q LIMIT k`` reads the top k
from the index (positions and weights are stored in it) instead of ranking every match. This
script measures it on the corpus and queries of ``bench/search_bench.py`` (same seed: the same
documents and the same 1,200 mixed queries) against the embedded index in the same run:

* ``embedded``: the embedded (tantivy) backend's full search (total, facets, top 10) — the baseline;
* ``rum_top10``: the RUM-ordered top 10 (RUM's own ``ts_rank``-like distance, title weight A,
  body D), no total, no facets;
* ``rum_pool_bm25``: the RUM-ordered top ``--pool`` (100), re-ranked with gongkai's BM25 as
  the PostgreSQL backend ranks (``ranking.rank``), top 10;
* ``count``: what a page's total costs on top of either (``count(*)`` over the matches).

For each: p50/p95 per query kind, and recall@10 against the embedded top 10 (tie-aware, as
``search_bench.py`` computes it). It reuses the index and table a ``search_bench.py --docs N
--pg-fts --keep`` run left (same ``--index-dir`` and database), builds what is missing itself,
and creates the RUM index (timed) if there is none (``--drop-rum`` removes it at the end).

Usage::

    PYTHONPATH=src python bench/pg_rum_probe.py --docs 100000 --index-dir /path/of/kept/index [--json]

Needs the ``rum`` extension on the database server (``apt install postgresql-15-rum``); prints
a clear message and exits 2 without it.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _ordered(cur, where: str, params: list, rank_q: str, limit: int) -> list[int]:
    """The ``limit`` best matches by RUM's distance (an ordered index scan)."""
    cur.execute(
        f"SELECT id FROM search_searchentry WHERE {where} "  # noqa: S608 - the backend's own SQL
        "ORDER BY tsv <=> to_tsquery('simple', %s) LIMIT %s",
        [*params, rank_q, limit],
    )
    return [r[0] for r in cur.fetchall()]


def _doc_ids(cur, backend, pks: list[int]) -> list[str]:
    rows = backend._rows(cur, pks)
    return [rows[pk][1] for pk in pks if pk in rows]


def _probe(cur, backend, queries, pool_size: int) -> tuple[dict, dict]:
    """Per query: the RUM-ordered top 10, the RUM pool re-ranked with BM25, and the count (timed)."""
    from gongkai.search import analysis, ranking
    from gongkai.search.backends import postgres as pgb

    lat: dict[str, dict[str, list[float]]] = {"rum_top10": {}, "rum_pool_bm25": {}, "count": {}}
    top10: dict[str, list[list[str]]] = {"rum_top10": [], "rum_pool_bm25": []}
    stats = backend._stats(cur)
    cur.execute("SET enable_seqscan = off")
    for kind, q in queries:
        parsed = analysis.parse_query(q.text)
        if parsed.issue or parsed.empty:
            for key in top10:
                top10[key].append([])
            continue
        # Exact conditions (phrases as <-> chains): RUM keeps positions, so the index answers them.
        where, params = backend._where(q, parsed, bags=False, exact=True)
        rank_q = " | ".join(pgb.needle_tsquery(n) for n in parsed.all_needles() + parsed.optional)

        started = time.perf_counter()
        ids = _doc_ids(cur, backend, _ordered(cur, where, params, rank_q, 10))
        lat["rum_top10"].setdefault(kind, []).append(_ms_since(started))
        top10["rum_top10"].append(ids)

        started = time.perf_counter()
        cands = backend._rank_rows(cur, _ordered(cur, where, params, rank_q, pool_size))
        order = ranking.rank(parsed, cands, stats, fields=pgb._rank_fields, normalised=True)
        ids = _doc_ids(cur, backend, [r[0] for _s, r in order[:10]])
        lat["rum_pool_bm25"].setdefault(kind, []).append(_ms_since(started))
        top10["rum_pool_bm25"].append(ids)

        started = time.perf_counter()
        cur.execute(f"SELECT count(*) FROM search_searchentry WHERE {where}", params)  # noqa: S608
        cur.fetchone()
        lat["count"].setdefault(kind, []).append(_ms_since(started))
    return lat, top10


def _parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=1200)
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("--pool", type=int, default=100, help="RUM candidates re-ranked with BM25")
    ap.add_argument("--index-dir", default="/tmp/gongkai-search-bench")
    ap.add_argument("--pg-url", "--db", default="postgres://postgres@127.0.0.1:5432/gk_search")
    ap.add_argument("--drop-rum", action="store_true", help="drop the RUM index at the end")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="1,000 documents, 60 queries, built here (seconds)")
    args = ap.parse_args()
    if args.smoke:
        args.docs, args.queries, args.drop_rum = 1000, 60, True
        args.index_dir = tempfile.mkdtemp(prefix="rum-probe-")
    return args


def _build_missing(docs, embedded, backend, log) -> None:
    """Index the corpus where the kept index or table does not hold it (as search_bench.py --keep would)."""
    from django.core.management import call_command

    call_command("migrate", "search", verbosity=0)
    if embedded.count() != len(docs):
        log(f"building the embedded index of {len(docs):,} documents …")
        embedded.clear()
        embedded.index(docs, replace=False)
    if backend.count() != len(docs):
        log(f"building the PostgreSQL table of {len(docs):,} documents …")
        backend.clear()
        backend.index(docs, batch=1000)


def _rum_index(cursor, log) -> tuple[float, float | None] | None:
    """(size in MB, build seconds or None if it existed); None without the extension."""
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    if not cursor.fetchone():
        log("The rum extension is not installed on the database server (apt install postgresql-15-rum)")
        return None
    cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'bench_search_entry_tsv_rum'")
    build_s = None
    if not cursor.fetchone():
        log("building the RUM index …")
        t = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("CREATE INDEX bench_search_entry_tsv_rum ON search_searchentry USING rum (tsv rum_tsvector_ops)")
        build_s = time.perf_counter() - t
    cursor.execute("SELECT pg_relation_size('bench_search_entry_tsv_rum')")
    size_mb = cursor.fetchone()[0] / 1e6
    cursor.execute("VACUUM ANALYZE search_searchentry")
    return size_mb, build_s


def main() -> int:
    args = _parse_args()
    import search_bench as sb  # this script's directory is on sys.path

    out = sys.stderr if args.json else sys.stdout

    def log(msg: str) -> None:
        print(msg, file=out, flush=True)

    sb.setup_django(args.pg_url)
    from django.db import connection

    from gongkai.search.backends import postgres as pgb
    from gongkai.search.backends.tantivy import TantivyBackend

    rng = random.Random(args.seed)
    corpus, _real, generated, docs = sb.build_corpus(args.docs, args.seed)
    queries = sb.make_queries(corpus, generated, args.queries, rng, sb.load_questions())
    embedded = TantivyBackend(Path(args.index_dir))
    backend = pgb.PostgresBackend()
    _build_missing(docs, embedded, backend, log)
    with connection.cursor() as cur:
        rum = _rum_index(cur, log)
    if rum is None:
        return 2
    rum_mb, build_s = rum
    log(f"RUM index: {rum_mb:.0f} MB" + (f", built in {build_s:.0f} s" if build_s else " (existing)"))

    emb = sb.measure("embedded", embedded, queries, [], [], {})
    with connection.cursor() as cur:
        lat, top10 = _probe(cur, backend, queries, args.pool)

    def figures(by_kind: dict[str, list[float]]) -> dict:
        every = [v for values in by_kind.values() for v in values]
        return {
            "p50_ms": round(sb.pct(every, 50), 2),
            "p95_ms": round(sb.pct(every, 95), 2),
            "by_kind": {
                k: {"p50_ms": round(sb.pct(v, 50), 2), "p95_ms": round(sb.pct(v, 95), 2)} for k, v in by_kind.items()
            },
        }

    result = {
        "docs": len(docs),
        "queries": len(queries),
        "rum_index_mb": round(rum_mb, 1),
        "rum_build_s": round(build_s, 1) if build_s else None,
        "embedded": {k: emb[k] for k in ("p50_ms", "p95_ms", "by_kind")},
    }
    for key in ("rum_top10", "rum_pool_bm25"):
        other = {"_top10": top10[key], "_approx": [False] * len(queries), "_totals": [None] * len(queries)}
        agree = sb.agreement(embedded, queries, emb, other)
        result[key] = figures(lat[key]) | {
            "recall_at_10_vs_embedded": agree["recall_at_10_vs_embedded"],
            "recall_at_10_vs_embedded_ties": agree["recall_at_10_vs_embedded_ties"],
            "recall_vs_embedded_by_kind": {k: v["ties"] for k, v in agree["recall_vs_embedded_by_kind"].items()},
        }
        result[key]["ratio_p95_vs_embedded"] = round(result[key]["p95_ms"] / max(emb["p95_ms"], 1e-9), 2)
    result["count"] = figures(lat["count"])
    result["peak_rss_mb"] = round(sb.peak_rss_mb(), 1)
    if args.drop_rum:
        with connection.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS bench_search_entry_tsv_rum")
    if args.smoke:
        backend.clear()
        shutil.rmtree(args.index_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key:16} {json.dumps(value, ensure_ascii=False)}")
    median_gap = statistics.median(lat["count"].get("broad", [0.0]))
    log(f"(a page's total on broad words costs {median_gap:.0f} ms at the median on top of the ranked top 10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

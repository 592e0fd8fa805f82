"""Natural-language questions over real State Council regulations (tests/search/data, source in
its README): the answer is on the first page on both backends, and the backends agree."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from django.db import connection

from gongkai.search import SearchDocument, SearchQuery, services
from gongkai.search.backends import get_backend, reset_backends

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
OTHERS = 40  # regulations that answer no question: distractors


def load():
    with gzip.open(DATA / "state_council_regulations.jsonl.gz", "rt", encoding="utf-8") as fh:
        regulations = [json.loads(line) for line in fh]
    questions = [
        line.split("\t")
        for line in (DATA / "nl_questions.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    wanted = {title for _q, title, _s in questions}
    chosen = [r for r in regulations if r["title"] in wanted]
    chosen += [r for r in regulations if r["title"] not in wanted][::15][:OTHERS]
    docs = [
        SearchDocument(
            id=f"publication:{i}",
            kind="publication",
            title=r["title"],
            body=(r["info"] + "\n" + r["body"])[:8000],
            url=f"/publications/{i}/",
            unit_id=1,
            unit_name="国务院",
            doc_type="regulation",
            domain="",
            year=int(r["date"][:4]),
            status="有效",
            published_on=dt.date.fromisoformat(r["date"]),
        )
        for i, r in enumerate(chosen, 1)
    ]
    return docs, questions


def first_page(question: str) -> list[str]:
    res = services.run_search(SearchQuery(text=question, per_page=10), log_terms=False, with_help=False)
    return [h.document.title for h in res.hits]


def test_questions_find_their_regulation(backend):
    docs, questions = load()
    backend.index(docs)
    assert "不动产登记暂行条例" in first_page("新房子怎么办房产证")
    assert "快递暂行条例" in first_page("网购的快递被弄丢了谁来赔")
    found = sum(title in first_page(q) for q, title, _split in questions)
    assert found / len(questions) >= 0.9


def test_both_backends_put_the_same_documents_first(settings, db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for the second backend")
    docs, questions = load()
    tops = {}
    for name in ("tantivy", "postgres"):
        settings.GONGKAI_SEARCH_BACKEND = name
        reset_backends()
        get_backend().index(docs)
        tops[name] = [first_page(q)[:1] for q, _t, _s in questions]
    same = sum(a == b for a, b in zip(tops["tantivy"], tops["postgres"], strict=True))
    assert same / len(questions) >= 0.8

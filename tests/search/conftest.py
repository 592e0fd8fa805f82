from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection

from gongkai.search import SearchDocument, get_backend
from gongkai.search.backends import reset_backends

_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    """Every test gets its own index, and the source registry as other apps left it."""
    from gongkai.search import registry

    saved = dict(registry._sources)
    settings.GONGKAI_SEARCH_BACKEND = "tantivy"
    settings.GONGKAI_SEARCH_INDEX_DIR = tmp_path / "search-index"
    reset_backends()
    yield
    reset_backends()
    registry._sources.clear()
    registry._sources.update(saved)


@pytest.fixture(params=["tantivy", "replicated", "postgres"])
def backend(request, settings, db):
    """Each behaviour test runs on the embedded backend, the replicated one (journal in the
    database, local index) and, on PostgreSQL, on the PG backend."""
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL backend: run with DATABASE_URL=postgres://...")
    settings.GONGKAI_SEARCH_BACKEND = request.param
    reset_backends()
    return get_backend()


def make_doc(title: str, body: str = "", **kw) -> SearchDocument:
    n = next(_ids)
    data = dict(
        id=f"publication:{n}",
        kind="publication",
        title=title,
        body=body,
        url=f"/publications/{n}/",
        unit_id=1,
        unit_name="县民政局",
        doc_type="policy",
        domain="社会救助",
        year=2024,
        status="有效",
        published_on=dt.date(2024, 3, 1),
        index_number=f"11340000-2024-{n:05d}",
        document_number="",
    )
    data.update(kw)
    return SearchDocument(**data)


@pytest.fixture
def doc():
    return make_doc

"""Test helpers for apps that index through gongkai.search.

In a pytest fixture::

    @pytest.fixture(autouse=True)
    def search_index(settings, tmp_path):
        from gongkai.search.testing import isolated_index
        yield from isolated_index(settings, tmp_path)
"""

from __future__ import annotations

from .backends import reset_backends


def isolated_index(settings, tmp_path, backend: str = "tantivy"):
    """Point the search backend at a fresh index under ``tmp_path`` for one test."""
    settings.GONGKAI_SEARCH_BACKEND = backend
    settings.GONGKAI_SEARCH_INDEX_DIR = tmp_path / "search-index"
    reset_backends()
    yield
    reset_backends()

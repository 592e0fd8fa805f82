"""Search backends behind one interface; ``get_backend()`` picks the configured one."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.conf import settings

from ..types import SearchDocument, SearchQuery, SearchResults


class SearchUnavailable(RuntimeError):
    """The configured backend cannot run here (e.g. the PostgreSQL backend on SQLite)."""


class SearchBackend:
    """Interface every backend implements."""

    name = "base"

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents (by id). Returns the number indexed."""
        raise NotImplementedError

    def delete(self, ids: Iterable[str]) -> None:
        raise NotImplementedError

    def search(self, q: SearchQuery) -> SearchResults:
        raise NotImplementedError

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def delete_kind(self, kind: str) -> None:
        """Remove every document of one source kind."""
        while True:
            res = self.search(SearchQuery(text="", filters={"kind": [kind]}, per_page=100, sort="date"))
            if not res.hits:
                return
            self.delete([h.id for h in res.hits])


_lock = threading.Lock()
_cache: dict[tuple, SearchBackend] = {}


def backend_name() -> str:
    return (getattr(settings, "GONGKAI_SEARCH_BACKEND", "") or "tantivy").lower()


def get_backend(name: str | None = None) -> SearchBackend:
    name = (name or backend_name()).lower()
    if name == "tantivy":
        key = (name, str(settings.GONGKAI_SEARCH_INDEX_DIR))
    elif name == "postgres":
        key = (name,)
    else:
        raise SearchUnavailable(f"未知的检索后端：{name}（可选 tantivy、postgres）")
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            if name == "tantivy":
                from .tantivy import TantivyBackend

                backend = TantivyBackend(settings.GONGKAI_SEARCH_INDEX_DIR)
            else:
                from .postgres import PostgresBackend

                backend = PostgresBackend()
            _cache[key] = backend
        return backend


def reset_backends() -> None:
    """Forget cached backend instances (tests that change the index directory)."""
    with _lock:
        _cache.clear()

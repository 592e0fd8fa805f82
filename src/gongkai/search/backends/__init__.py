"""Search backends behind one interface; ``get_backend()`` picks the configured one."""

from __future__ import annotations

import functools
import logging
import threading
import uuid
from collections.abc import Iterable

from django.conf import settings

from ..types import FACET_KEYS, SearchDocument, SearchQuery, SearchResults


class SearchUnavailable(RuntimeError):
    """The configured backend cannot run here (e.g. the PostgreSQL backend on SQLite)."""


log = logging.getLogger(__name__)

# The index generation: a token in the shared cache that changes after every write to the index
# (every app server and worker sees the same one), so cached search results (``services.run_search``
# with ``use_cache``) are keyed by it and never outlive a publication, change or withdrawal.
GENERATION_KEY = "search:generation"


def index_generation() -> str:
    from django.core.cache import cache

    generation = cache.get(GENERATION_KEY)
    if generation is None:  # first use, or evicted: a new token (never one that keyed older results)
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    return generation


def index_changed() -> None:
    """A new generation now and again once the current transaction commits (a search between
    the two may cache what it read before the commit). Never raises: with the cache down,
    cached results expire by their time to live."""
    from django.core.cache import cache
    from django.db import transaction

    def bump():
        try:
            cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
        except Exception:
            log.warning("search: could not renew the index generation; cached results expire by themselves")

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def _announcing(write):
    @functools.wraps(write)
    def wrapper(self, *args, **kwargs):
        try:
            return write(self, *args, **kwargs)
        finally:
            index_changed()

    return wrapper


class SearchBackend:
    """Interface every backend implements. Its writes (``index``, ``delete``, ``clear``,
    ``delete_kind``) renew the index generation when they return."""

    name = "base"
    WRITES = ("index", "delete", "clear", "delete_kind")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.WRITES:
            if name in cls.__dict__:
                setattr(cls, name, _announcing(cls.__dict__[name]))

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents (by id). Returns the number indexed."""
        raise NotImplementedError

    def delete(self, ids: Iterable[str]) -> None:
        raise NotImplementedError

    def search(self, q: SearchQuery, parsed=None) -> SearchResults:
        """Run ``q``; ``parsed`` (an ``analysis.ParsedQuery``) overrides the parsing of
        ``q.text`` (the relaxed retry of a question uses it)."""
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


def empty_results(q: SearchQuery, parsed, started: float) -> SearchResults:
    """No search at all: the query text had nothing to search for (only question words, only
    punctuation). Never "every document"."""
    import time

    return SearchResults(
        total=0,
        hits=[],
        facets={k: [] for k in FACET_KEYS},
        took_ms=(time.perf_counter() - started) * 1000,
        query=q,
        parsed=parsed,
    )


_lock = threading.Lock()
_cache: dict[tuple, SearchBackend] = {}


def backend_name() -> str:
    return (getattr(settings, "GONGKAI_SEARCH_BACKEND", "") or "tantivy").lower()


def get_backend(name: str | None = None) -> SearchBackend:
    name = (name or backend_name()).lower()
    if name in ("tantivy", "replicated"):
        key = (name, str(settings.GONGKAI_SEARCH_INDEX_DIR))
    elif name == "postgres":
        key = (name,)
    else:
        raise SearchUnavailable(f"未知的检索后端：{name}（可选 tantivy、replicated、postgres）")
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            if name == "tantivy":
                from .tantivy import TantivyBackend

                backend = TantivyBackend(settings.GONGKAI_SEARCH_INDEX_DIR)
            elif name == "replicated":
                from .replicated import ReplicatedBackend

                backend = ReplicatedBackend(settings.GONGKAI_SEARCH_INDEX_DIR)
            else:
                from .postgres import PostgresBackend

                backend = PostgresBackend()
            _cache[key] = backend
        return backend


def reset_backends() -> None:
    """Forget cached backend instances (tests that change the index directory)."""
    with _lock:
        _cache.clear()

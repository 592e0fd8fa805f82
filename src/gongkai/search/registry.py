"""Source registry: each app that feeds the index registers how to list all of its
documents (for ``gongkai reindex``) and how to fetch one by id (for the index tasks)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .types import SearchDocument


@dataclass(frozen=True)
class Source:
    kind: str
    iter_all: Callable[[], Iterable[SearchDocument]]
    get: Callable[[str], SearchDocument | None]  # receives the pk part of "kind:pk"


_sources: dict[str, Source] = {}


def register_source(
    kind: str,
    iter_all: Callable[[], Iterable[SearchDocument]],
    get: Callable[[str], SearchDocument | None],
) -> None:
    """Register (or replace) a document source. Call from the source app's ``AppConfig.ready()``.

    ``get(pk)`` returns the document if it should be publicly searchable, else ``None``
    (unpublished, withdrawn, deleted): the index task then removes it from the index.
    """
    if not kind or ":" in kind:
        raise ValueError("kind must be a non-empty string without ':'")
    _sources[kind] = Source(kind, iter_all, get)


def unregister_source(kind: str) -> None:
    _sources.pop(kind, None)


def sources() -> dict[str, Source]:
    return dict(_sources)


def get_source(kind: str) -> Source | None:
    return _sources.get(kind)


def split_id(doc_id: str) -> tuple[str, str]:
    kind, sep, pk = doc_id.partition(":")
    if not sep or not kind or not pk:
        raise ValueError(f"invalid search document id: {doc_id!r} (expected 'kind:pk')")
    return kind, pk


def fetch(doc_id: str) -> SearchDocument | None:
    kind, pk = split_id(doc_id)
    source = _sources.get(kind)
    if source is None:
        return None
    return source.get(pk)

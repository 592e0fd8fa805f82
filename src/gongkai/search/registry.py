"""Source registry: each app that feeds the index registers how to list all of its
documents (for ``gongkai reindex``) and how to fetch one by id (for the index tasks)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .types import SearchDocument


@dataclass(frozen=True)
class Source:
    kind: str
    iter_all: Callable[[], Iterable[SearchDocument]]
    get: Callable[[str], SearchDocument | None]  # receives the pk part of "kind:pk"
    label: Any = ""  # display name of the kind (facet 来源), e.g. _("常见问题")
    list_url: Any = ""  # the public page listing this kind (a str or reverse_lazy), e.g. "/interaction/faq/"
    order: int = 50  # position in the 来源 facet and the kind choices


_sources: dict[str, Source] = {}


def register_source(
    kind: str,
    iter_all: Callable[[], Iterable[SearchDocument]],
    get: Callable[[str], SearchDocument | None],
    *,
    label: Any = "",
    list_url: str = "",
    order: int = 50,
) -> None:
    """Register (or replace) a document source. Call from the source app's ``AppConfig.ready()``.

    ``get(pk)`` returns the document if it should be publicly searchable, else ``None``
    (unpublished, withdrawn, deleted): the index task then removes it from the index.
    ``label`` names the kind in the 来源 facet, the API and ``gongkai search --kind``;
    ``list_url`` is its public listing page. Kinds are only what is registered: there is no
    list of kinds in the search app.
    """
    if not kind or ":" in kind:
        raise ValueError("kind must be a non-empty string without ':'")
    _sources[kind] = Source(kind, iter_all, get, label=label, list_url=list_url, order=order)


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


def kind_label(kind: str) -> str:
    """The registered label of a kind ('' when unknown)."""
    source = _sources.get(kind)
    return str(source.label) if source is not None and source.label else ""


def kinds() -> list[tuple[str, str, str]]:
    """``[(kind, label, list_url)]`` of every registered source, in facet order."""
    return [
        (s.kind, str(s.label or s.kind), s.list_url) for s in sorted(_sources.values(), key=lambda s: (s.order, s.kind))
    ]

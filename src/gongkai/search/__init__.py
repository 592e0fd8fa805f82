"""gongkai.search — one searchable library ("一网通查") over every public document.

Source apps build :class:`SearchDocument` objects, register a source with
:func:`register_source`, and schedule ``gongkai.search.tasks.index_document(doc_id)``
/ ``remove_document(doc_id)`` through ``transaction.on_commit`` when content changes.
"""

from .backends import SearchBackend, SearchUnavailable, get_backend
from .registry import register_source, sources, unregister_source
from .types import FACET_KEYS, Hit, SearchDocument, SearchQuery, SearchResults

__all__ = [
    "FACET_KEYS",
    "Hit",
    "SearchBackend",
    "SearchDocument",
    "SearchQuery",
    "SearchResults",
    "SearchUnavailable",
    "get_backend",
    "register_source",
    "sources",
    "unregister_source",
]

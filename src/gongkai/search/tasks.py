"""Index maintenance tasks. Source apps call :func:`schedule_index` / :func:`schedule_remove`
from their services (or ``transaction.on_commit(lambda: index_document.delay(doc_id))``).

A failing index update is retried with exponential backoff by Celery; scheduling never raises
into the caller, so publishing is never blocked by the search index.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from . import registry
from .backends import get_backend

log = logging.getLogger(__name__)

RETRY = dict(
    autoretry_for=(Exception,),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)


@shared_task(name="search.index_document", **RETRY)
def index_document(doc_id: str) -> str:
    """(Re)index one document from its registered source; removes it when the source
    says it is no longer public (``get`` returned ``None``)."""
    kind, _pk = registry.split_id(doc_id)
    if registry.get_source(kind) is None:
        log.warning("search: no source registered for %s", doc_id)
        return "unknown-kind"
    doc = registry.fetch(doc_id)
    backend = get_backend()
    if doc is None:
        backend.delete([doc_id])
        return "removed"
    backend.index([doc])
    return "indexed"


@shared_task(name="search.remove_document", **RETRY)
def remove_document(doc_id: str) -> str:
    get_backend().delete([doc_id])
    return "removed"


def _safe_delay(task, doc_id: str) -> None:
    try:
        task.delay(doc_id)
    except Exception:  # broker down, or an eager run that exhausted its retries
        log.exception("search: could not run %s for %s; run `gongkai reindex` to repair", task.name, doc_id)


def schedule_index(doc_id: str) -> None:
    """Queue an index update after the current transaction commits. Never raises."""
    transaction.on_commit(lambda: _safe_delay(index_document, doc_id))


def schedule_remove(doc_id: str) -> None:
    """Queue a removal after the current transaction commits. Never raises."""
    transaction.on_commit(lambda: _safe_delay(remove_document, doc_id))

"""Index maintenance tasks. Source apps call :func:`schedule_index` / :func:`schedule_remove`
from their services (they wrap ``transaction.on_commit``), or use the tasks directly:
``transaction.on_commit(lambda: index_document.delay(doc_id))``.

A failing index update is retried by Celery with exponential backoff; when it still fails
it is recorded in :class:`IndexFailure` and retried by the periodic ``retry_failed_updates``
job. Scheduling never raises into the caller, so publishing is never blocked by the index.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import transaction

from . import registry
from .backends import get_backend

log = logging.getLogger(__name__)


class IndexTask(Task):
    autoretry_for = (Exception,)
    dont_autoretry_for = (ValueError,)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 6
    operation = "index"

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if args and not isinstance(exc, ValueError):
            record_failure(args[0], self.operation, exc)

    def on_success(self, retval, task_id, args, kwargs):
        if args:
            clear_failure(args[0])


class RemoveTask(IndexTask):
    operation = "remove"


def record_failure(doc_id: str, operation: str, exc: BaseException) -> None:
    from django.db.models import F

    from .models import IndexFailure

    log.error(
        "search: %s %s failed after retries: %s; it will be retried (or run `gongkai reindex`)", operation, doc_id, exc
    )
    try:
        updated = IndexFailure.objects.filter(doc_id=doc_id).update(
            operation=operation, error=str(exc)[:2000], attempts=F("attempts") + 1
        )
        if not updated:
            IndexFailure.objects.create(doc_id=doc_id, operation=operation, error=str(exc)[:2000])
    except Exception:
        log.exception("search: could not record the failed index update of %s", doc_id)


def clear_failure(doc_id: str) -> None:
    from .models import IndexFailure

    try:
        IndexFailure.objects.filter(doc_id=doc_id).delete()
    except Exception:
        log.exception("search: could not clear the failure record of %s", doc_id)


@shared_task(base=IndexTask, name="search.index_document")
def index_document(doc_id: str) -> str:
    """(Re)index one document from its registered source; removes it when the source
    says it is no longer public (``get`` returned ``None``: withdrawn, unpublished, deleted)."""
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


@shared_task(base=RemoveTask, name="search.remove_document")
def remove_document(doc_id: str) -> str:
    registry.split_id(doc_id)
    get_backend().delete([doc_id])
    return "removed"


@shared_task(name="search.retry_failed_updates")
def retry_failed_updates(limit: int = 500) -> int:
    """Periodic: run the updates that failed after their retries once more."""
    from .models import IndexFailure

    n = 0
    for failure in IndexFailure.objects.order_by("updated_at")[:limit]:
        task = remove_document if failure.operation == "remove" else index_document
        _run(task, failure.doc_id)
        n += 1
    return n


def _run(task, doc_id: str) -> None:
    try:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            # In-process (embedded install): retries run at once; a final failure is recorded.
            result = task.apply(args=[doc_id], throw=False)
            if result.failed():
                log.error("search: %s %s failed: %s", task.name, doc_id, result.result)
        else:
            task.delay(doc_id)
    except Exception as exc:  # broker down, or anything unexpected
        log.exception("search: could not run %s for %s; run `gongkai reindex` to repair", task.name, doc_id)
        record_failure(doc_id, "remove" if task is remove_document else "index", exc)


def schedule_index(doc_id: str) -> None:
    """Queue an index update after the current transaction commits. Never raises."""
    transaction.on_commit(lambda: _run(index_document, doc_id))


def schedule_remove(doc_id: str) -> None:
    """Queue a removal after the current transaction commits. Never raises."""
    transaction.on_commit(lambda: _run(remove_document, doc_id))


@shared_task(base=IndexTask, name="search.index_documents")
def index_documents(doc_ids: list[str]) -> int:
    """(Re)index many documents in one backend write (a published catalogue version): each is
    fetched from its source; those no longer public are removed."""
    docs, gone = [], []
    for doc_id in doc_ids:
        kind, _pk = registry.split_id(doc_id)
        if registry.get_source(kind) is None:
            continue
        doc = registry.fetch(doc_id)
        (gone if doc is None else docs).append(doc_id if doc is None else doc)
    backend = get_backend()
    if gone:
        backend.delete(gone)
    return backend.index(docs) if docs else 0


def schedule_index_many(doc_ids) -> None:
    """Queue one bulk index update of ``doc_ids`` after the current transaction commits."""
    ids = list(doc_ids)
    if not ids:
        return

    def run():
        try:
            if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
                result = index_documents.apply(args=[ids], throw=False)
                if result.failed():
                    log.error("search: bulk index of %d documents failed: %s", len(ids), result.result)
            else:
                index_documents.delay(ids)
        except Exception:  # broker down: the documents stay as they were until `gongkai reindex`
            log.exception("search: could not queue the bulk index of %d documents; run `gongkai reindex`", len(ids))

    transaction.on_commit(run)


@shared_task(name="search.embed_texts", acks_late=True)
def embed_texts(namespace: str) -> dict:
    """Embed new or changed texts of a namespace (optional extra ``semantic``); idempotent."""
    from . import semantic

    return semantic.embed_namespace(namespace)


@shared_task(name="search.prune_visits")
def prune_visits() -> int:
    """Daily: delete visitor hashes older than yesterday (gongkai.search.services.prune_visits)."""
    from . import services

    return services.prune_visits()


@shared_task(name="search.compact_journal")
def compact_journal() -> int:
    """Daily (replicated backend): delete all but the newest ``GONGKAI_SEARCH_JOURNAL_KEEP``
    journal entries; an app server that had not applied them rebuilds its index."""
    from .backends import backend_name

    if backend_name() != "replicated":
        return 0
    return get_backend().compact(keep=int(getattr(settings, "GONGKAI_SEARCH_JOURNAL_KEEP", 100_000)))

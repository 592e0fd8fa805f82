"""Search integration: how a publication looks to ``gongkai.search`` and when it is (re)indexed.

Only publicly visible items are searchable: ``get`` returns None for drafts, items in
review, items kept as not proactive and withdrawn items, so the index task removes them.
Index updates are queued after commit and never block or fail a publishing transaction.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

KIND = "publication"


def doc_id(pk: int) -> str:
    return f"{KIND}:{pk}"


def _search():
    try:
        from gongkai.search.types import SearchDocument
    except ImportError:  # search app not installed
        return None
    return SearchDocument


def to_document(pub):
    SearchDocument = _search()
    if SearchDocument is None:
        return None
    parts = [pub.plain_text or ""]
    if pub.document_number:
        parts.insert(0, pub.document_number)
    for a in pub.attachments.all():
        parts.append(a.name)
        if a.text:
            parts.append(a.text)
    from django.utils import translation

    domain = getattr(pub, "domain", None)
    with translation.override(None):  # index the source (Simplified Chinese) labels, whatever the request language
        status = str(pub.get_legal_status_display()) if pub.is_normative else ""
        topic = str(pub.get_topic_display())
    return SearchDocument(
        id=doc_id(pub.pk),
        kind=KIND,
        title=pub.title,
        body="\n".join(parts),
        url=pub.get_absolute_url(),
        unit_id=pub.unit_id,
        unit_name=pub.unit.name,
        doc_type=pub.doc_type,
        domain=domain.name if domain else "",
        year=pub.published_on.year if pub.published_on else None,
        status=status,
        published_on=pub.published_on,
        index_number=pub.index_number or "",
        document_number=pub.document_number,
        extra={"issuer": pub.issuer, "topic": topic},
    )


def _public_qs():
    from .models import Publication, State

    qs = (
        Publication.objects.filter(state=State.PUBLISHED)
        .select_related("unit")
        .prefetch_related("attachments", "legal_links_in")
    )
    if any(f.name == "domain" for f in Publication._meta.get_fields()):
        qs = qs.select_related("domain")
    return qs


def get(pk: str):
    from .models import Publication

    try:
        pub = _public_qs().get(pk=int(pk))
    except (ValueError, Publication.DoesNotExist):
        return None
    return to_document(pub)


def iter_all():
    qs = _public_qs().order_by("pk")
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:2000])
        if not batch:
            return
        for pub in batch:
            yield to_document(pub)
        last = batch[-1].pk


def iter_ids(ids):
    """Documents for a batch of publication ids (bulk import)."""
    ids = sorted(ids)
    qs = _public_qs()
    for i in range(0, len(ids), 2000):
        for pub in qs.filter(pk__in=ids[i : i + 2000]):
            yield to_document(pub)


def register() -> None:
    if _search() is None:
        return
    from gongkai.search import register_source

    register_source(KIND, iter_all=iter_all, get=get)


def schedule(pub) -> None:
    """Queue (re)indexing of one publication after commit. Never raises."""
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    schedule_index(doc_id(pub.pk))


def schedule_now(pk: int) -> None:
    """Queue (re)indexing outside a transaction (periodic jobs). Never raises."""
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    schedule_index(doc_id(pk))  # on_commit runs at once when no transaction is open


def index_batch(ids) -> int:
    """Index many publications at once through the search backend's bulk path (the one
    ``gongkai reindex`` uses), not one task per item. Called after the import committed;
    a failure is logged and leaves the items unindexed (``gongkai reindex --kind publication``
    repairs it) rather than failing the import. Returns the number indexed."""
    if _search() is None or not ids:
        return 0
    try:
        from gongkai.search.backends import get_backend

        return get_backend().index(iter_ids(ids))
    except Exception:
        log.exception("search: bulk indexing of %d imported publications failed; run `gongkai reindex`", len(ids))
        return 0

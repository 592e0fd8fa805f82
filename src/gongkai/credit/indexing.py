"""Search integration (一网通查 kind ``credit``): only records on public display are searchable;
``get`` returns None for drafts, expired, repaired and withdrawn records, so the index task
removes them. Natural persons appear with masked names and never with ID numbers."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

KIND = "credit"


def doc_id(kind: str, pk: int) -> str:
    return f"{KIND}:{kind[0]}{pk}"  # credit:l12 (licence), credit:p7 (penalty)


def _doc_type():
    try:
        from gongkai.search.types import SearchDocument
    except ImportError:
        return None
    return SearchDocument


def to_document(record):
    SearchDocument = _doc_type()
    if SearchDocument is None:
        return None
    from django.utils import translation

    with translation.override(None):
        if record.kind == "licence":
            label = "行政许可"
            parts = [
                record.decision_document,
                record.decision_number,
                str(record.get_category_display()),
                record.certificate_name,
                record.content,
            ]
        else:
            label = "行政处罚"
            parts = [
                record.decision_number,
                record.violation_type,
                record.facts,
                record.basis,
                record.content,
                "、".join(record.penalty_type_labels()),
            ]
    name = record.public_party_name
    return SearchDocument(
        id=doc_id(record.kind, record.pk),
        kind=KIND,
        title=f"{label}：{name}（{record.decision_number}）",
        body="\n".join(p for p in [name, record.credit_code if not record.is_natural_person else "", *parts] if p),
        url=record.get_absolute_url(),
        unit_id=record.unit_id,
        unit_name=record.authority_name,
        doc_type=record.kind,
        domain="",
        year=record.decided_on.year,
        status=label,
        published_on=record.decided_on,
        document_number=record.decision_number,
        extra={"party": name},
    )


def get(pk: str):
    from . import selectors

    kind = {"l": "licence", "p": "penalty"}.get(pk[:1])
    if kind is None or not pk[1:].isdigit():
        return None
    record = selectors.public_records(kind).filter(pk=int(pk[1:])).first()
    return to_document(record) if record is not None else None


def iter_all():
    from . import selectors

    for kind in ("licence", "penalty"):
        qs = selectors.public_records(kind).order_by("pk")
        last = 0
        while True:
            batch = list(qs.filter(pk__gt=last)[:2000])
            if not batch:
                break
            for record in batch:
                yield to_document(record)
            last = batch[-1].pk


def register() -> None:
    if _doc_type() is None:
        return
    from gongkai.search import register_source

    register_source(KIND, iter_all=iter_all, get=get)


def schedule(record) -> None:
    """Queue (re)indexing of one record after commit. Never raises."""
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    schedule_index(doc_id(record.kind, record.pk))


def index_batch(kind: str, ids) -> int:
    """Index imported records through the backend's bulk path; a failure is logged
    (``gongkai reindex --kind credit`` repairs it)."""
    if _doc_type() is None or not ids:
        return 0
    from . import selectors

    def docs():
        qs = selectors.public_records(kind)
        ordered = sorted(ids)
        for i in range(0, len(ordered), 2000):
            for record in qs.filter(pk__in=ordered[i : i + 2000]):
                yield to_document(record)

    try:
        from gongkai.search.backends import get_backend

        return get_backend().index(docs())
    except Exception:
        log.exception("search: bulk indexing of %d imported credit records failed; run `gongkai reindex`", len(ids))
        return 0

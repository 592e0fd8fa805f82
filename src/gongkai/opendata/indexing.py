"""Search integration (一网通查 kind ``dataset``): published datasets are searchable with their
keywords, publisher and resource names; drafts and withdrawn datasets are removed."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

KIND = "dataset"


def doc_id(pk: int) -> str:
    return f"{KIND}:{pk}"


def _doc_type():
    try:
        from gongkai.search.types import SearchDocument
    except ImportError:
        return None
    return SearchDocument


def to_document(dataset):
    SearchDocument = _doc_type()
    if SearchDocument is None:
        return None
    tags = [t.name for t in dataset.tags.all()]
    resources = [f"{r.name}（{r.format}）" for r in dataset.resources.all()]
    return SearchDocument(
        id=doc_id(dataset.pk),
        kind=KIND,
        title=dataset.title,
        body="\n".join([dataset.description, " ".join(tags), *resources]),
        url=dataset.get_absolute_url(),
        unit_id=dataset.unit_id,
        unit_name=dataset.unit.name,
        doc_type="dataset",
        domain=dataset.domain,
        year=(dataset.published_at or dataset.created_at).year,
        status=str(dataset.get_open_type_display()),
        published_on=(dataset.published_at or dataset.created_at).date(),
        index_number=dataset.identifier,
        extra={"keywords": tags},
    )


def _qs():
    from . import selectors

    return selectors.with_details(selectors.public_datasets())


def get(pk: str):
    if not pk.isdigit():
        return None
    dataset = _qs().filter(pk=int(pk)).first()
    return to_document(dataset) if dataset else None


def iter_all():
    for dataset in _qs().order_by("pk").iterator(chunk_size=500):
        yield to_document(dataset)


def register() -> None:
    if _doc_type() is None:
        return
    from gongkai.search import register_source

    register_source(KIND, iter_all=iter_all, get=get)


def schedule(dataset) -> None:
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    schedule_index(doc_id(dataset.pk))

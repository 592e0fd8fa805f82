"""Search integration: published benefit items as documents of kind ``benefit`` in 一网通查."""

from __future__ import annotations

import logging

from django.utils import translation

log = logging.getLogger(__name__)

KIND = "benefit"


def doc_id(pk: int) -> str:
    return f"{KIND}:{pk}"


def _public_qs():
    from .models import BenefitItem, ItemState

    return BenefitItem.objects.filter(state=ItemState.PUBLISHED).select_related("policy__unit")


def to_document(item):
    from gongkai.search.types import SearchDocument

    with translation.override(None):
        category = str(item.get_category_display())
        audience = str(item.get_audience_display())
    body = "\n".join(
        p
        for p in [
            item.policy.title,
            item.policy.document_number,
            item.amount_text,
            item.payment,
            item.how_to_apply,
            item.policy.summary,
            " ".join(f"{c.attribute.label}{c.get_operator_display()}{c.value}" for c in item.criteria.all()),
        ]
        if p
    )
    published = item.published_at.date() if item.published_at else None
    return SearchDocument(
        id=doc_id(item.pk),
        kind=KIND,
        title=item.title,
        body=body,
        url=item.get_absolute_url(),
        unit_id=item.policy.unit_id,
        unit_name=item.policy.unit.name,
        doc_type=category,
        domain="",
        year=published.year if published else None,
        status=audience,
        published_on=published,
        document_number=item.policy.document_number,
        extra={"valid_until": item.valid_until.isoformat() if item.valid_until else ""},
    )


def get(pk: str):
    from .models import BenefitItem

    try:
        item = _public_qs().prefetch_related("criteria__attribute").get(pk=int(pk))
    except (ValueError, BenefitItem.DoesNotExist):
        return None
    return to_document(item)


def iter_all():
    for item in _public_qs().prefetch_related("criteria__attribute").order_by("pk").iterator(chunk_size=500):
        yield to_document(item)


def register() -> None:
    try:
        from gongkai.search import register_source
    except ImportError:
        return
    import inspect

    from django.urls import reverse_lazy
    from django.utils.translation import gettext_lazy as _

    meta = {"label": _("惠企利民"), "list_url": reverse_lazy("benefits:index"), "order": 31}
    accepted = inspect.signature(register_source).parameters  # older registries take no label
    register_source(KIND, iter_all=iter_all, get=get, **{k: v for k, v in meta.items() if k in accepted})


def schedule(pk: int) -> None:
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    try:
        schedule_index(doc_id(pk))
    except Exception:  # noqa: BLE001 - indexing never breaks a change
        log.exception("benefits: could not schedule indexing of item %s", pk)

"""Search integration: guides as documents of kind ``guide`` in 一网通查.

A guide is searchable while it has a published version. Its document carries the legal name
and elements, its everyday name, aliases, common questions, the names of the life events it
belongs to and the dictionary's other names for it, so it is found by 准生证, by 孩子出生后要办哪些证
and by 我要生孩子. Index updates are queued after commit and never fail a transaction.
"""

from __future__ import annotations

import inspect
import logging

from django.utils import translation

log = logging.getLogger(__name__)

KIND = "guide"


def doc_id(pk: int) -> str:
    return f"{KIND}:{pk}"


def _public_qs():
    from .models import Guide, VersionState

    return (
        Guide.objects.filter(current__state=VersionState.PUBLISHED)
        .select_related("current", "unit")
        .prefetch_related("wordings", "event_steps__event")
    )


def search_text(guide) -> tuple[str, list[str]]:
    """The body of a guide's search document and the extra names it is known by."""
    from . import naming

    version = guide.current
    wordings = sorted(guide.wordings.all(), key=lambda w: -w.number)
    wording = wordings[0] if wordings else None
    names: list[str] = []
    if wording:
        names += [wording.everyday_name, *wording.aliases]
    events = [s.event for s in guide.event_steps.all() if s.event.is_published]
    parts = list(names)
    if wording:
        parts += wording.question_phrases
        parts += list(wording.plain.values())
    for event in events:
        parts += [event.title, *event.keywords]
    parts += naming.alternatives(" ".join([version.name, *names]))
    materials = "；".join(m.get("name", "") for m in version.materials)
    parts += [version.conditions, materials, "；".join(str(p) for p in version.process), version.legal_basis]
    parts += [version.location_time, version.implementing_body]
    return "\n".join(p for p in parts if p), [n for n in names if n]


def to_document(guide):
    from gongkai.search.types import SearchDocument

    version = guide.current
    body, names = search_text(guide)
    title = version.name if not names else f"{version.name}（{names[0]}）"
    with translation.override(None):
        kind_label = str(version.get_kind_display()) if version.kind else ""
        visit = version.visit_label
    return SearchDocument(
        id=doc_id(guide.pk),
        kind=KIND,
        title=title,
        body=body,
        url=guide.get_absolute_url(),
        unit_id=guide.unit_id,
        unit_name=guide.unit.name,
        doc_type=kind_label,
        domain=guide.theme.split(",")[0].strip() if guide.theme else "",
        year=version.published_at.year if version.published_at else None,
        status=visit,
        published_on=version.published_at.date() if version.published_at else None,
        index_number=version.code,
        extra={"everyday_name": names[0] if names else "", "visits": version.visits},
    )


def get(pk: str):
    from .models import Guide

    try:
        guide = _public_qs().get(pk=int(pk))
    except (ValueError, Guide.DoesNotExist):
        return None
    return to_document(guide)


def iter_all():
    qs = _public_qs().order_by("pk")
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:1000])
        if not batch:
            return
        for guide in batch:
            yield to_document(guide)
        last = batch[-1].pk


def register() -> None:
    try:
        from gongkai.search import register_source
    except ImportError:
        return
    from django.urls import reverse_lazy
    from django.utils.translation import gettext_lazy as _

    _register(
        register_source, KIND, iter_all, get, label=_("办事指南"), list_url=reverse_lazy("guides:index"), order=30
    )


def _register(register_source, kind, iter_all_, get_, **meta) -> None:
    """Pass the label/list URL where the search app's registry accepts them (newer versions)."""
    params = inspect.signature(register_source).parameters
    register_source(kind, iter_all=iter_all_, get=get_, **{k: v for k, v in meta.items() if k in params})


def schedule(pk: int) -> None:
    """Queue (re)indexing of one guide after commit (the task removes it if unpublished). Never raises."""
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    try:
        schedule_index(doc_id(pk))
    except Exception:  # noqa: BLE001 - indexing never breaks a change
        log.exception("guides: could not schedule indexing of guide %s", pk)

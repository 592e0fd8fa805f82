"""Search integration (一网通查 kind ``standard``): standards of public systems."""

from __future__ import annotations

KIND = "standard"


def _doc_type():
    try:
        from gongkai.search.types import SearchDocument
    except ImportError:
        return None
    return SearchDocument


def to_document(standard):
    SearchDocument = _doc_type()
    if SearchDocument is None:
        return None
    system = standard.system
    return SearchDocument(
        id=f"{KIND}:{standard.pk}",
        kind=KIND,
        title=f"{standard.number} {standard.title}",
        body="\n".join([standard.title, standard.number, system.title, standard.node.name, standard.note]),
        url=standard.get_absolute_url(),
        unit_id=system.unit_id,
        unit_name=system.unit.name,
        doc_type="standard",
        domain="",
        year=standard.effective_on.year if standard.effective_on else None,
        status=str(standard.get_status_display()),
        published_on=standard.effective_on,
        document_number=standard.number,
        extra={"level": str(standard.get_level_display())},
    )


def _qs():
    from .models import Standard

    return Standard.objects.filter(system__is_public=True).select_related("system__unit", "node")


def get(pk: str):
    if not pk.isdigit():
        return None
    standard = _qs().filter(pk=int(pk)).first()
    return to_document(standard) if standard else None


def iter_all():
    for standard in _qs().order_by("pk").iterator(chunk_size=1000):
        yield to_document(standard)


def register() -> None:
    if _doc_type() is None:
        return
    from gongkai.search import register_source

    register_source(KIND, iter_all=iter_all, get=get)


def schedule(standard) -> None:
    try:
        from gongkai.search.tasks import schedule_index
    except ImportError:
        return
    schedule_index(f"{KIND}:{standard.pk}")

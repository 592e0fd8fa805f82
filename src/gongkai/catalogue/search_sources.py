"""What the catalogue app gives 一网通查 (``gongkai.search``): the items of every standard
catalogue's latest published version (what must be published, its basis, timeframe and
channels). Wired from ``CatalogueConfig.ready()``; ``version_publish`` calls
:func:`version_published` once (one bulk index update after commit, never raises)."""

from __future__ import annotations

from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

KIND = "catalogue_item"


def _search():
    try:
        from gongkai.search import types
    except ImportError:  # search app not installed
        return None
    return types


def _latest_published_ids() -> set[int]:
    from django.db.models import Max

    from .models import CatalogueVersion, VersionStatus

    latest = (
        CatalogueVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .values("catalogue_id")
        .annotate(number=Max("number"))
    )
    wanted = {(row["catalogue_id"], row["number"]) for row in latest}
    return {
        pk
        for pk, cat, number in CatalogueVersion.objects.filter(status=VersionStatus.PUBLISHED).values_list(
            "pk", "catalogue_id", "number"
        )
        if (cat, number) in wanted
    }


def _qs():
    from .models import CatalogueItem

    return CatalogueItem.objects.select_related("version__catalogue__domain", "version__catalogue__owner")


def to_document(item):
    SearchDocument = _search().SearchDocument
    version = item.version
    catalogue = version.catalogue
    day = version.published_at.date() if version.published_at else None
    values = []
    for value in (item.elements or {}).values():
        if isinstance(value, list | tuple):
            values.append("、".join(str(v) for v in value))
        elif value not in (None, "", True, False):
            values.append(str(value))
    body = "\n".join([catalogue.title, item.timeframe_text, *values])
    return SearchDocument(
        id=f"{KIND}:{item.pk}",
        kind=KIND,
        title=item.display_name,
        body=body,
        url=reverse("catalogue:standard", args=[catalogue.pk]),
        unit_id=catalogue.owner_id,
        unit_name=catalogue.owner.name,
        doc_type="",
        domain=catalogue.domain.name,
        year=day.year if day else None,
        status="",
        published_on=day,
    )


def get(pk: str):
    from .models import CatalogueItem, VersionStatus

    try:
        item = _qs().get(pk=int(pk))
    except (ValueError, CatalogueItem.DoesNotExist):
        return None
    latest = item.version.catalogue.latest_published()
    if item.version.status != VersionStatus.PUBLISHED or latest is None or latest.pk != item.version_id:
        return None  # a draft or a superseded version: not (or no longer) searchable
    return to_document(item)


def iter_all():
    versions = _latest_published_ids()
    qs = _qs().filter(version_id__in=versions).order_by("pk")
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:2000])
        if not batch:
            return
        for item in batch:
            yield to_document(item)
        last = batch[-1].pk


def register() -> None:
    if _search() is None:
        return
    from gongkai.search import register_source

    register_source(KIND, iter_all, get, label=_("公开目录事项"), list_url=reverse_lazy("catalogue:home"), order=60)


def version_published(version) -> None:
    """After a version is published: index its items and drop the previous version's items."""
    try:
        from gongkai.search.tasks import schedule_index_many
    except ImportError:
        return
    from .models import CatalogueItem

    previous = version.catalogue.versions.filter(number__lt=version.number).values_list("pk", flat=True)
    ids = CatalogueItem.objects.filter(version_id__in=[version.pk, *previous]).values_list("pk", flat=True)
    schedule_index_many(f"{KIND}:{pk}" for pk in ids)

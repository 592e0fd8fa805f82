"""Reads of open data: public datasets and their search (portal, CKAN API, DCAT), staff lists,
statistics. The only module other apps import."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from gongkai.core import permissions
from gongkai.core.models import Organisation

from .models import Dataset, DatasetState, Resource, Tag, Theme


def public_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(state=DatasetState.PUBLISHED)


def with_details(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return qs.select_related("unit", "licence").prefetch_related(
        "tags", "themes", Prefetch("resources", queryset=Resource.objects.order_by("position", "pk"))
    )


def staff_datasets(user) -> QuerySet[Dataset]:
    return permissions.scope(Dataset.objects.select_related("unit"), user)


def org_name(unit: Organisation) -> str:
    """A unit's CKAN organization name: its unified social credit code in lower case (stable, unique)."""
    return unit.credit_code.lower()


def unit_by_org_name(name: str) -> Organisation | None:
    name = (name or "").strip()
    if not re.fullmatch(r"[0-9a-zA-Z]{18}", name):
        return None
    return Organisation.objects.filter(credit_code=name.upper()).first()


def publishing_units() -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=public_datasets().values("unit_id")).order_by("path")


# --- search ---------------------------------------------------------------------------------


class SearchError(ValueError):
    """A search parameter the API cannot interpret (CKAN: 409 Search Query Error)."""


@dataclass
class Query:
    q: str = ""
    organization: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    res_format: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    domain: str = ""


_FQ = re.compile(r'([+-]?)(\w+):("(?:[^"\\]|\\.)*"|\S+)')
FQ_FIELDS = {"organization", "tags", "res_format", "groups", "name", "license_id"}


def parse_fq(fq: str) -> dict[str, list[str]]:
    """``organization:abc tags:"公交 站点" res_format:CSV`` → {field: [values]} (AND of clauses)."""
    out: dict[str, list[str]] = {}
    fq = (fq or "").strip()
    pos = 0
    for m in _FQ.finditer(fq):
        if fq[pos : m.start()].strip() not in ("", "AND"):
            raise SearchError(f"cannot parse fq near {fq[pos : m.start()].strip()!r}")
        sign, name, value = m.groups()
        if name not in FQ_FIELDS:
            raise SearchError(f"unsupported fq field {name!r} (supported: {', '.join(sorted(FQ_FIELDS))})")
        if sign == "-":
            raise SearchError("negative fq clauses are not supported")
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        out.setdefault(name, []).append(value)
        pos = m.end()
    if fq[pos:].strip() not in ("", "AND"):
        raise SearchError(f"cannot parse fq near {fq[pos:].strip()!r}")
    return out


SORT_FIELDS = {
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
    "name": "name",
    "title": "title",
    "title_string": "title",
    "score": None,
    "views_recent": "download_count",
}


def parse_sort(sort: str) -> list[str]:
    order = []
    for part in (sort or "").split(","):
        part = part.strip()
        if not part:
            continue
        bits = part.split()
        if len(bits) == 1:
            bits.append("asc")
        if len(bits) != 2 or bits[0] not in SORT_FIELDS or bits[1].lower() not in ("asc", "desc"):
            raise SearchError(f"invalid sort {part!r}")
        column = SORT_FIELDS[bits[0]]
        if column:
            order.append(("-" if bits[1].lower() == "desc" else "") + column)
    return [*order, "-modified_at", "pk"] if order else ["-modified_at", "pk"]


def search(
    q: str = "", fq: str = "", sort: str = "", *, extra: dict[str, list[str]] | None = None
) -> QuerySet[Dataset]:
    """Published datasets matching ``q`` (every word in title, description, keywords or publisher)
    and the ``fq`` filters; ordered by ``sort``. Raises :class:`SearchError`."""
    filters = parse_fq(fq)
    for k, v in (extra or {}).items():
        filters.setdefault(k, []).extend(v)
    qs = public_datasets()
    for term in (q or "").replace("*:*", " ").split()[:10]:
        if ":" in term and term.split(":", 1)[0] in FQ_FIELDS:
            name, value = term.split(":", 1)
            filters.setdefault(name, []).append(value.strip('"'))
            continue
        term = term.strip('"')
        tagged = Tag.objects.filter(name__icontains=term).values("datasets")
        qs = qs.filter(
            Q(title__icontains=term) | Q(description__icontains=term) | Q(unit__name__icontains=term) | Q(pk__in=tagged)
        )
    for value in filters.get("organization", []):
        unit = unit_by_org_name(value)
        qs = qs.filter(unit=unit) if unit else qs.none()
    for value in filters.get("tags", []):
        qs = qs.filter(pk__in=Tag.objects.filter(name=value).values("datasets"))
    for value in filters.get("res_format", []):
        qs = qs.filter(pk__in=Resource.objects.filter(format__iexact=value).values("dataset_id"))
    for value in filters.get("groups", []):
        qs = qs.filter(pk__in=Theme.objects.filter(name=value).values("datasets"))
    for value in filters.get("name", []):
        qs = qs.filter(name=value)
    for value in filters.get("license_id", []):
        qs = qs.filter(licence_id=value)
    return qs.order_by(*parse_sort(sort))


def facets(qs: QuerySet[Dataset], fields: list[str], limit: int = 50) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    ids = qs.values("pk")
    for name in fields:
        if name == "organization":
            rows = Organisation.objects.filter(pk__in=qs.values("unit_id"))
            counts = dict(qs.order_by().values_list("unit_id").annotate(n=Count("pk")))
            out[name] = {org_name(u): counts.get(u.pk, 0) for u in rows}
        elif name == "tags":
            rows = Tag.objects.filter(datasets__in=ids).values_list("name").annotate(n=Count("datasets")).order_by("-n")
            out[name] = dict(rows[:limit])
        elif name == "res_format":
            rows = (
                Resource.objects.filter(dataset__in=ids)
                .values_list("format")
                .annotate(n=Count("dataset", distinct=True))
            )
            out[name] = dict(rows[:limit])
        elif name == "groups":
            rows = Theme.objects.filter(datasets__in=ids).values_list("name").annotate(n=Count("datasets"))
            out[name] = dict(rows[:limit])
    return out


def public_tags(query: str = "") -> list[str]:
    qs = Tag.objects.filter(datasets__state=DatasetState.PUBLISHED)
    if query:
        qs = qs.filter(name__icontains=query)
    return list(qs.values_list("name", flat=True).distinct().order_by("name"))


def statistics(units) -> dict:
    qs = Dataset.objects.filter(unit__in=units)
    per_unit = list(
        qs.values("unit__name")
        .annotate(
            datasets=Count("pk", distinct=True),
            published=Count("pk", filter=Q(state=DatasetState.PUBLISHED), distinct=True),
            downloads=Sum("download_count"),
        )
        .order_by("unit__name")
    )
    top = list(qs.filter(state=DatasetState.PUBLISHED).order_by("-download_count")[:10])
    formats = list(Resource.objects.filter(dataset__in=qs).values("format").annotate(n=Count("pk")).order_by("-n"))
    return {
        "per_unit": per_unit,
        "top": top,
        "formats": formats,
        "total": qs.count(),
        "published": qs.filter(state=DatasetState.PUBLISHED).count(),
        "downloads": qs.aggregate(n=Sum("download_count"))["n"] or 0,
    }

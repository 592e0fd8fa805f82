"""The DCAT catalogue (DCAT-AP 2) at ``/catalog.ttl`` and ``/catalog.jsonld``, paged like CKAN's
ckanext-dcat (``?page=N``, 100 datasets a page, a ``hydra:PagedCollection`` node with the
first/last/next/previous page) and filterable with ``?modified_since=YYYY-MM-DD``.

One list of nodes is built and written in both syntaxes by small serialisers (no RDF library at
run time; the tests parse both outputs with rdflib).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .models import FREQUENCY_URIS, Dataset, OpenType

PAGE_SIZE = 100

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "locn": "http://www.w3.org/ns/locn#",
    "spdx": "http://spdx.org/rdf/terms#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "adms": "http://www.w3.org/ns/adms#",
}
EU = "http://publications.europa.eu/resource/authority/"


# --- a tiny RDF model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Iri:
    value: str


@dataclass(frozen=True)
class Lit:
    value: str
    lang: str = ""
    datatype: str = ""  # prefixed name, e.g. "xsd:date"


@dataclass
class Node:
    id: str
    types: list[str]
    props: list[tuple[str, object]] = field(default_factory=list)

    def add(self, pred: str, value) -> None:
        if value in (None, "") or (isinstance(value, Lit) and value.value in (None, "")):
            return
        self.props.append((pred, value))


_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def safe_iri(value: str) -> str:
    return _IRI_UNSAFE.sub(lambda m: quote(m.group(0)), value)


def zh(text: str) -> Lit:
    return Lit(text, lang="zh")


def date_lit(value: dt.date) -> Lit:
    return Lit(value.isoformat(), datatype="xsd:date")


def datetime_lit(value: dt.datetime) -> Lit:
    return Lit(
        value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"), datatype="xsd:dateTime"
    )


# --- building the catalogue --------------------------------------------------------------------


def _publisher(nodes: dict[str, Node], base: str, unit) -> Iri:
    iri = f"{base}/opendata/publishers/{selectors.org_name(unit)}"
    if iri not in nodes:
        node = Node(iri, ["foaf:Agent", "foaf:Organization"])
        node.add("foaf:name", zh(unit.name))
        node.add("dct:identifier", Lit(unit.credit_code))
        nodes[iri] = node
    return Iri(iri)


def _distribution(nodes: dict[str, Node], base: str, dataset: Dataset, resource, licence: Iri) -> Iri:
    landing = f"{base}{dataset.get_absolute_url()}"
    iri = f"{landing}resources/{resource.uuid}"
    node = Node(iri, ["dcat:Distribution"])
    node.add("dct:title", zh(resource.name))
    node.add("dct:description", zh(resource.description) if resource.description else None)
    download = resource.url or f"{base}{resource.download_url()}"
    node.add("dcat:accessURL", Iri(safe_iri(download if resource.url else landing)))
    if not resource.url or resource.format != "API":
        node.add("dcat:downloadURL", Iri(safe_iri(download)))
    node.add("dct:format", Lit(resource.format))
    if resource.mimetype:
        node.add("dcat:mediaType", Iri(f"https://www.iana.org/assignments/media-types/{resource.mimetype}"))
    if resource.size is not None:
        node.add("dcat:byteSize", Lit(str(resource.size), datatype="xsd:nonNegativeInteger"))
    if resource.sha256:
        checksum = Node(f"{iri}#checksum", ["spdx:Checksum"])
        checksum.add("spdx:algorithm", Iri("http://spdx.org/rdf/terms#checksumAlgorithm_sha256"))
        checksum.add("spdx:checksumValue", Lit(resource.sha256, datatype="xsd:hexBinary"))
        nodes[checksum.id] = checksum
        node.add("spdx:checksum", Iri(checksum.id))
    node.add("dct:license", licence)
    node.add("dct:issued", datetime_lit(resource.created_at))
    node.add("dct:modified", datetime_lit(resource.modified_at))
    nodes[iri] = node
    return Iri(iri)


def _dataset(nodes: dict[str, Node], base: str, dataset: Dataset) -> Iri:
    landing = f"{base}{dataset.get_absolute_url()}"
    node = Node(landing, ["dcat:Dataset"])
    node.add("dct:identifier", Lit(dataset.identifier))
    node.add("adms:identifier", Lit(str(dataset.uuid)))
    node.add("dct:title", zh(dataset.title))
    node.add("dct:description", zh(dataset.description))
    node.add("dct:publisher", _publisher(nodes, base, dataset.unit))
    for tag in sorted(dataset.tags.all(), key=lambda t: t.name):
        node.add("dcat:keyword", zh(tag.name))
    for theme in dataset.themes.all():
        node.add("dcat:theme", Iri(f"{base}/opendata/?theme={theme.name}"))
    node.add("dct:issued", datetime_lit(dataset.published_at or dataset.created_at))
    node.add("dct:modified", datetime_lit(dataset.modified_at))
    node.add("dct:accrualPeriodicity", Iri(f"{EU}frequency/{FREQUENCY_URIS[dataset.update_frequency]}"))
    public = dataset.open_type == OpenType.UNCONDITIONAL
    node.add("dct:accessRights", Iri(f"{EU}access-right/{'PUBLIC' if public else 'RESTRICTED'}"))
    node.add("dcat:landingPage", Iri(landing))
    node.add("dct:language", Iri(f"{EU}language/ZHO"))
    if dataset.spatial:
        spatial = Node(f"{landing}#spatial", ["dct:Location"])
        spatial.add("locn:geographicName", zh(dataset.spatial))
        nodes[spatial.id] = spatial
        node.add("dct:spatial", Iri(spatial.id))
    if dataset.temporal_start or dataset.temporal_end:
        period = Node(f"{landing}#temporal", ["dct:PeriodOfTime"])
        period.add("dcat:startDate", date_lit(dataset.temporal_start) if dataset.temporal_start else None)
        period.add("dcat:endDate", date_lit(dataset.temporal_end) if dataset.temporal_end else None)
        nodes[period.id] = period
        node.add("dct:temporal", Iri(period.id))
    contact = Node(f"{landing}#contact", ["vcard:Organization"])
    contact.add("vcard:fn", zh(dataset.contact_name))
    if dataset.contact_email:
        contact.add("vcard:hasEmail", Iri(f"mailto:{dataset.contact_email}"))
    if dataset.contact_phone:
        contact.add("vcard:hasTelephone", Lit(dataset.contact_phone))
    nodes[contact.id] = contact
    node.add("dcat:contactPoint", Iri(contact.id))
    licence = Iri(safe_iri(dataset.licence.url or f"{base}/opendata/licences/{dataset.licence_id}"))
    for resource in dataset.resources.all():
        node.add("dcat:distribution", _distribution(nodes, base, dataset, resource, licence))
    nodes[landing] = node
    return Iri(landing)


class BadRequest(ValueError):
    pass


def build(request, *, suffix: str) -> list[Node]:
    base = request.build_absolute_uri("/").rstrip("/")
    qs = selectors.public_datasets().order_by("-modified_at", "pk")
    since = request.GET.get("modified_since", "")
    if since:
        try:
            since_date = dt.date.fromisoformat(since[:10])
        except ValueError:
            raise BadRequest(_("modified_since 应为 YYYY-MM-DD 格式的日期")) from None
        qs = qs.filter(modified_at__date__gte=since_date)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise BadRequest(_("page 应为正整数")) from None
    if number < 1:
        raise BadRequest(_("page 应为正整数"))
    paginator = Paginator(qs, PAGE_SIZE)
    try:
        page = paginator.page(number)
    except EmptyPage:
        if number == 1:
            page = None
        else:
            raise BadRequest(_("没有第 %(n)s 页") % {"n": number}) from None
    nodes: dict[str, Node] = {}
    catalog = Node(f"{base}/catalog", ["dcat:Catalog"])
    catalog.add("dct:title", zh(f"{settings.GONGKAI_SITE_NAME} 政府数据开放目录"))
    catalog.add("dct:description", zh(_("本平台发布的政府开放数据集目录（DCAT-AP）")))
    catalog.add("foaf:homepage", Iri(f"{base}/opendata/"))
    catalog.add("dct:language", Iri(f"{EU}language/ZHO"))
    first = selectors.publishing_units().first()
    if first is not None:  # the government the publishers belong to (the county, in a county install)
        catalog.add("dct:publisher", _publisher(nodes, base, first.government() or first))
    latest = qs.first()
    catalog.add("dct:modified", datetime_lit(latest.modified_at if latest else timezone.now()))
    nodes[catalog.id] = catalog
    if page is not None:
        for dataset in selectors.with_details(Dataset.objects.filter(pk__in=[d.pk for d in page.object_list])).order_by(
            "-modified_at", "pk"
        ):
            catalog.add("dcat:dataset", _dataset(nodes, base, dataset))
    url = f"{base}/catalog.{suffix}"

    def page_url(n: int) -> Lit:
        extra = f"&modified_since={quote(since)}" if since else ""
        return Lit(f"{url}?page={n}{extra}")

    paging = Node(f"{url}?page={number}", ["hydra:PagedCollection"])
    paging.add("hydra:totalItems", Lit(str(paginator.count), datatype="xsd:integer"))
    paging.add("hydra:itemsPerPage", Lit(str(PAGE_SIZE), datatype="xsd:integer"))
    paging.add("hydra:firstPage", page_url(1))
    paging.add("hydra:lastPage", page_url(max(paginator.num_pages, 1)))
    if page is not None and page.has_next():
        paging.add("hydra:nextPage", page_url(number + 1))
    if page is not None and page.has_previous():
        paging.add("hydra:previousPage", page_url(number - 1))
    nodes[paging.id] = paging
    return list(nodes.values())


# --- serialisers --------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _ttl_term(value) -> str:
    if isinstance(value, Iri):
        return f"<{value.value}>"
    if value.lang:
        return f'"{_escape(value.value)}"@{value.lang}'
    if value.datatype:
        return f'"{_escape(value.value)}"^^{value.datatype}'
    return f'"{_escape(value.value)}"'


def to_turtle(nodes: list[Node]) -> str:
    lines = [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES.items()]
    lines.append("")
    for node in nodes:
        parts = [f"<{node.id}> a {', '.join(node.types)}"]
        grouped: dict[str, list] = {}
        for pred, value in node.props:
            grouped.setdefault(pred, []).append(value)
        for pred, values in grouped.items():
            parts.append(f"    {pred} {', '.join(_ttl_term(v) for v in values)}")
        lines.append(" ;\n".join(parts) + " .\n")
    return "\n".join(lines)


def _json_term(value):
    if isinstance(value, Iri):
        return {"@id": value.value}
    if value.lang:
        return {"@value": value.value, "@language": value.lang}
    if value.datatype:
        return {"@value": value.value, "@type": value.datatype}
    return value.value


def to_jsonld(nodes: list[Node]) -> str:
    graph = []
    for node in nodes:
        item: dict = {"@id": node.id, "@type": node.types}
        for pred, value in node.props:
            item.setdefault(pred, []).append(_json_term(value))
        graph.append(item)
    return json.dumps({"@context": PREFIXES, "@graph": graph}, ensure_ascii=False, indent=1)


def _view(request, suffix: str, serialise, content_type: str):
    try:
        nodes = build(request, suffix=suffix)
    except BadRequest as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(serialise(nodes), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalog_ttl(request):
    return _view(request, "ttl", to_turtle, "text/turtle; charset=utf-8")


@require_GET
def catalog_jsonld(request):
    return _view(request, "jsonld", to_jsonld, "application/ld+json; charset=utf-8")

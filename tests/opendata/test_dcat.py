"""The DCAT-AP catalogue in Turtle and JSON-LD, parsed with rdflib; paging and bad parameters."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from gongkai.opendata import dcat
from tests.opendata.factories import published_dataset

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
pytestmark = pytest.mark.django_db


def graph(client, url, fmt):
    r = client.get(url)
    assert r.status_code == 200, r.content[:300]
    g = Graph()
    g.parse(data=r.content.decode(), format=fmt)
    return g


@pytest.mark.parametrize(("suffix", "fmt"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_catalogue_parses_and_has_dcat_ap_core(tree, client, suffix, fmt):
    ds = published_dataset(tree.editor_a, tree.dept_a, description='含"引号"和\\反斜杠\n与换行的说明')
    g = graph(client, f"/catalog.{suffix}", fmt)
    catalog = next(g.subjects(RDF.type, DCAT.Catalog))
    assert "政府数据开放目录" in str(g.value(catalog, DCTERMS.title))
    assert g.value(catalog, DCTERMS.description) is not None
    publisher = g.value(catalog, DCTERMS.publisher)
    assert g.value(publisher, FOAF.name) is not None
    datasets = list(g.objects(catalog, DCAT.dataset))
    assert len(datasets) == 1
    d = datasets[0]
    assert str(d).endswith(f"/opendata/datasets/{ds.name}/")
    assert g.value(d, DCTERMS.title) == Literal("松阳县公交站点信息", lang="zh")
    assert str(g.value(d, DCTERMS.description)) == '含"引号"和\\反斜杠\n与换行的说明'
    assert str(g.value(g.value(d, DCTERMS.publisher), FOAF.name)) == tree.dept_a.name
    assert {str(k) for k in g.objects(d, DCAT.keyword)} == {"公交", "站点", "出行"}
    assert g.value(d, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
    )
    dists = list(g.objects(d, DCAT.distribution))
    assert len(dists) == 3
    access = {str(g.value(x, DCAT.accessURL)) for x in dists}
    assert "https://bus.example.gov.cn/api/arrivals" in access
    csv = next(x for x in dists if str(g.value(x, DCTERMS.format)) == "CSV")
    assert str(g.value(csv, DCAT.downloadURL)).endswith("/download/")
    assert int(g.value(csv, DCAT.byteSize)) > 0
    checksum = g.value(csv, SPDX.checksum)
    assert len(str(g.value(checksum, SPDX.checksumValue))) == 64
    paging = next(g.subjects(RDF.type, HYDRA.PagedCollection))
    assert int(g.value(paging, HYDRA.totalItems)) == 1
    assert g.value(paging, HYDRA.nextPage) is None


def test_paging_and_filters(tree, client, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 1)
    published_dataset(tree.editor_a, tree.dept_a)
    published_dataset(tree.editor_b, tree.dept_b, name="songyang-jobs", title="松阳县招聘岗位信息")
    g1 = graph(client, "/catalog.ttl", "turtle")
    paging = next(g1.subjects(RDF.type, HYDRA.PagedCollection))
    assert int(g1.value(paging, HYDRA.totalItems)) == 2
    assert str(g1.value(paging, HYDRA.nextPage)).endswith("/catalog.ttl?page=2")
    g2 = graph(client, "/catalog.ttl?page=2", "turtle")
    first = set(g1.objects(None, DCAT.dataset))
    second = set(g2.objects(None, DCAT.dataset))
    assert len(first) == len(second) == 1 and first != second
    assert str(g2.value(next(g2.subjects(RDF.type, HYDRA.PagedCollection)), HYDRA.previousPage)).endswith("page=1")
    empty = graph(client, "/catalog.jsonld?modified_since=2999-01-01", "json-ld")
    assert not list(empty.objects(None, DCAT.dataset))
    assert client.get("/catalog.ttl?page=abc").status_code == 400
    assert client.get("/catalog.ttl?page=0").status_code == 400
    assert client.get("/catalog.ttl?page=99").status_code == 400
    assert client.get("/catalog.jsonld?modified_since=yesterday").status_code == 400
    assert client.post("/catalog.ttl").status_code == 405


def test_empty_catalogue_is_valid(tree, client):
    g = graph(client, "/catalog.ttl", "turtle")
    assert next(g.subjects(RDF.type, DCAT.Catalog)) is not None

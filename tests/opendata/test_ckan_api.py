"""The CKAN-compatible read API, through the real ``ckanapi`` client against a live server,
and its error shapes (400/403/404/409, never 500) through the test client."""

from __future__ import annotations

import json

import pytest

from tests.factories import build_org_tree
from tests.opendata.factories import published_dataset


@pytest.fixture
def catalogue(transactional_db):
    tree = build_org_tree()
    a = published_dataset(tree.editor_a, tree.dept_a)
    b = published_dataset(
        tree.editor_b,
        tree.dept_b,
        name="songyang-jobs",
        title="松阳县招聘岗位信息",
        themes=("livelihood",),
        domain="社会保障",
        keywords="就业、招聘",
        description="松阳县企事业单位发布的招聘岗位、人数和薪资范围。",
        contact_name="松阳县人力资源和社会保障局",
    )
    return tree, a, b


@pytest.mark.django_db(transaction=True)
def test_ckanapi_harvests_the_catalogue(catalogue, live_server):
    import ckanapi

    tree, a, b = catalogue
    ckan = ckanapi.RemoteCKAN(live_server.url, user_agent="gongkai-tests/1.0")
    assert sorted(ckan.action.package_list()) == ["songyang-bus-stops", "songyang-jobs"]
    found = ckan.action.package_search(q="公交", rows=10)
    assert found["count"] == 1 and found["results"][0]["name"] == "songyang-bus-stops"
    org = tree.dept_b.credit_code.lower()
    by_org = ckan.action.package_search(fq=f"organization:{org}")
    assert [d["name"] for d in by_org["results"]] == ["songyang-jobs"]
    by_tag = ckan.action.package_search(fq='tags:"招聘"')
    assert by_tag["count"] == 1
    by_format = ckan.action.package_search(fq="res_format:XLSX", sort="name asc", rows=1, start=1)
    assert by_format["count"] == 2 and [d["name"] for d in by_format["results"]] == ["songyang-jobs"]
    pkg = ckan.action.package_show(id="songyang-bus-stops")
    assert pkg["id"] == str(a.uuid) and pkg["type"] == "dataset" and pkg["private"] is False
    assert pkg["license_id"] == "cc-by-4.0" and pkg["organization"]["title"] == tree.dept_a.name
    assert {t["name"] for t in pkg["tags"]} == {"公交", "站点", "出行"}
    res = pkg["resources"][0]
    assert (
        res["format"] == "CSV"
        and res["hash"].startswith("sha256:")
        and res["size"] > 0
        and res["mimetype"] == "text/csv"
    )
    assert res["url"].startswith(live_server.url) and res["created"] and res["last_modified"]
    assert pkg["resources"][2]["url"] == "https://bus.example.gov.cn/api/arrivals"
    assert ckan.action.package_show(id=str(a.uuid))["name"] == "songyang-bus-stops"
    assert sorted(ckan.action.organization_list()) == sorted([tree.dept_a.credit_code.lower(), org])
    shown = ckan.action.organization_show(id=org, include_datasets=True)
    assert shown["package_count"] == 1 and shown["packages"][0]["name"] == "songyang-jobs"
    assert "urban" in ckan.action.group_list()
    assert "招聘" in ckan.action.tag_list()
    assert {lic["id"] for lic in ckan.action.license_list()} >= {"cc-by-4.0", "cc-zero"}
    assert ckan.action.status_show()["ckan_version"].startswith("2.")
    rows = ckan.action.datastore_search(resource_id=res["id"], limit=2)
    assert rows["total"] == 6 and rows["records"][0]["站点名称"] == "县人民医院"
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows=1001)
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_create(name="x")
    # downloading a harvested resource URL works and is counted
    import urllib.request

    with urllib.request.urlopen(res["url"]) as fh:  # noqa: S310 - the live test server
        assert "县人民医院" in fh.read().decode()
    assert ckan.action.package_show(id="songyang-bus-stops")["resources"][0]["download_count"] == 1


@pytest.mark.django_db(transaction=True)
def test_ckanapi_command_line_dump(catalogue, live_server, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "datasets.jsonl"
    subprocess.run(  # noqa: S603 - the installed ckanapi CLI against the live test server
        [
            str(Path(sys.executable).parent / "ckanapi"),
            "dump",
            "datasets",
            "--all",
            "-r",
            live_server.url,
            "-O",
            str(out),
            "-q",
        ],
        check=True,
        timeout=120,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    names = sorted(json.loads(line)["name"] for line in out.read_text().splitlines())
    assert names == ["songyang-bus-stops", "songyang-jobs"]


def _err(response):
    body = response.json()
    assert body["success"] is False and "help" in body
    return body["error"]


@pytest.mark.django_db
def test_error_shapes(tree, client):
    published_dataset(tree.editor_a, tree.dept_a)
    r = client.get("/api/3/action/package_show?id=nothing")
    assert r.status_code == 404 and _err(r)["__type"] == "Not Found Error"
    r = client.get("/api/3/action/package_search?rows=abc")
    assert r.status_code == 409 and _err(r) == {"__type": "Validation Error", "rows": ["Invalid integer"]}
    r = client.get("/api/3/action/package_search?rows=5000")
    assert r.status_code == 409 and "1000" in _err(r)["rows"][0]
    r = client.get("/api/3/action/package_search?start=-1")
    assert r.status_code == 409
    r = client.get("/api/3/action/package_search?fq=colour:red")
    assert r.status_code == 409 and _err(r)["__type"] == "Search Query Error"
    r = client.get("/api/3/action/package_search?sort=popularity desc")
    assert r.status_code == 409
    r = client.get("/api/3/action/package_search?fq=organization:")
    assert r.status_code in (200, 409)
    r = client.get("/api/3/action/launch_rockets")
    assert r.status_code == 400 and "Action name not known" in _err(r)["message"]
    r = client.post("/api/3/action/package_search", data="{not json", content_type="application/json")
    assert r.status_code == 400 and "JSON Error" in _err(r)["message"]
    r = client.post("/api/3/action/package_search", data="[1, 2]", content_type="application/json")
    assert r.status_code == 400
    r = client.get("/api/3/action/package_show")
    assert r.status_code == 409 and "id" in _err(r)
    r = client.get("/api/3/action/organization_show?id=../../etc")
    assert r.status_code == 404
    r = client.get("/api/3/action/datastore_search?resource_id=zzz")
    assert r.status_code == 404
    r = client.get("/api/3/action/package_search?facet.field=[oops")
    assert r.status_code == 409
    r = client.put("/api/3/action/package_list")
    assert r.status_code == 405


@pytest.mark.django_db
def test_search_parameters(tree, client):
    published_dataset(tree.editor_a, tree.dept_a)
    published_dataset(
        tree.editor_b,
        tree.dept_b,
        name="songyang-jobs",
        title="松阳县招聘岗位信息",
        keywords="就业",
        description="松阳县企事业单位发布的招聘岗位。",
    )
    body = client.get(
        '/api/3/action/package_search?q=松阳&sort=title desc&facet.field=["organization","res_format"]'
    ).json()
    result = body["result"]
    assert body["success"] and result["count"] == 2
    assert [d["title"] for d in result["results"]] == sorted([d["title"] for d in result["results"]], reverse=True)
    assert result["facets"]["res_format"] == {"CSV": 2, "XLSX": 2, "API": 2}
    assert client.get("/api/3/action/package_search?rows=0").json()["result"]["results"] == []
    page = client.get("/api/3/action/package_search?rows=1000&start=1&sort=name asc").json()["result"]
    assert [d["name"] for d in page["results"]] == ["songyang-jobs"]
    assert client.get("/api/3/action/package_list?limit=1&offset=1").json()["result"] == ["songyang-jobs"]
    # withdrawn and draft datasets are not harvested
    from gongkai.opendata import services
    from gongkai.opendata.models import Dataset

    services.dataset_withdraw(actor=tree.reviewer_b, dataset=Dataset.objects.get(name="songyang-jobs"))
    assert client.get("/api/3/action/package_list").json()["result"] == ["songyang-bus-stops"]
    assert client.get("/api/3/action/package_show?id=songyang-jobs").status_code == 404

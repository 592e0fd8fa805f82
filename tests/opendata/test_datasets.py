"""Datasets and resources through the services, the workbench and the portal: metadata,
uploads checked by content, versions, checksums, previews, row API, download counts."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.actions import perform
from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.opendata import services
from gongkai.opendata.actions import DATASET_ACTIONS
from gongkai.opendata.models import Dataset, DatasetState, Resource
from tests.opendata.factories import BUS_STOPS, dataset_data, json_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_dataset_lifecycle_and_metadata(tree, client):
    ds = services.dataset_create(actor=tree.editor_a, unit=tree.dept_a, data=dataset_data())
    assert ds.identifier.startswith("SJ-") and ds.state == DatasetState.DRAFT
    assert sorted(t.name for t in ds.tags.all()) == ["公交", "出行", "站点"]
    with pytest.raises(TransitionRefused, match="添加至少一个数据资源"):
        services.dataset_publish(actor=tree.reviewer_a, dataset=ds)
    services.resource_add(actor=tree.editor_a, dataset=ds, name="站点", upload=("stops.csv", BUS_STOPS.encode()))
    with pytest.raises(PermissionDenied):
        services.dataset_publish(actor=tree.editor_a, dataset=ds)  # reviewers publish
    assert client.get(ds.get_absolute_url()).status_code == 404
    ds = services.dataset_publish(actor=tree.reviewer_a, dataset=ds)
    page = client.get(ds.get_absolute_url()).content.decode()
    assert "松阳县公交站点信息" in page and "紫荆路口" in page
    assert AuditEvent.objects.filter(action="opendata.dataset.publish").count() == 1
    ds = services.dataset_withdraw(actor=tree.reviewer_a, dataset=ds)
    assert client.get(ds.get_absolute_url()).status_code == 404


def test_conditional_open_needs_conditions(tree):
    ds = services.dataset_create(
        actor=tree.editor_a, unit=tree.dept_a, data=dataset_data(open_type="conditional", licence="gov-conditional")
    )
    services.resource_add(actor=tree.editor_a, dataset=ds, name="站点", upload=("stops.csv", BUS_STOPS.encode()))
    with pytest.raises(TransitionRefused, match="开放条件"):
        services.dataset_publish(actor=tree.reviewer_a, dataset=ds)


def test_resource_checks_by_content(tree):
    ds = services.dataset_create(actor=tree.editor_a, unit=tree.dept_a, data=dataset_data())
    r = services.resource_add(actor=tree.editor_a, dataset=ds, name="站点", upload=("stops.csv", BUS_STOPS.encode()))
    assert r.format == "CSV" and r.size == len(BUS_STOPS.encode()) and r.row_count == 6
    assert r.sha256 == hashlib.sha256(BUS_STOPS.encode()).hexdigest()
    assert r.preview["columns"][:2] == ["站点编号", "站点名称"] and r.preview["rows"][0][1] == "县人民医院"
    j = services.resource_add(
        actor=tree.editor_a, dataset=ds, name="JSON", upload=("s.json", json_bytes([{"a": 1, "b": "乙"}, {"a": 2}]))
    )
    assert j.preview == {"columns": ["a", "b"], "rows": [[1, "乙"], [2, None]]}
    x = services.resource_add(actor=tree.editor_a, dataset=ds, name="X", upload=("s.xlsx", xlsx_bytes([["甲"], [1]])))
    assert x.format == "XLSX" and x.row_count == 1
    with pytest.raises(ValidationError, match="扩展名与文件内容不符"):
        services.resource_add(actor=tree.editor_a, dataset=ds, name="Y", upload=("s.csv", xlsx_bytes([["甲"]])))
    with pytest.raises(ValidationError, match="不是有效的 JSON"):
        services.resource_add(actor=tree.editor_a, dataset=ds, name="Z", upload=("s.json", b"{oops"))
    with pytest.raises(ValidationError, match="不受支持"):
        services.resource_add(actor=tree.editor_a, dataset=ds, name="Z", upload=("s.exe", b"MZ\x90\x00" * 10))
    with pytest.raises(ValidationError, match="不支持的格式"):
        services.resource_add(actor=tree.editor_a, dataset=ds, name="Z", url="https://example.org/x", format="DOC")
    with pytest.raises(ValidationError, match="二选一"):
        services.resource_add(actor=tree.editor_a, dataset=ds, name="Z")
    with pytest.raises(PermissionDenied):
        services.resource_add(actor=tree.editor_b, dataset=ds, name="Z", upload=("s.csv", BUS_STOPS.encode()))


def test_versions_downloads_and_row_api(tree, client):
    ds = services.dataset_create(actor=tree.editor_a, unit=tree.dept_a, data=dataset_data())
    r = services.resource_add(actor=tree.editor_a, dataset=ds, name="站点", upload=("stops.csv", BUS_STOPS.encode()))
    services.dataset_publish(actor=tree.reviewer_a, dataset=ds)
    v2 = BUS_STOPS + "\nSY0007,象溪镇政府,象溪镇,119.49,28.45,城乡5"
    r = services.resource_new_version(
        actor=tree.editor_a, resource=r, upload=("stops-v2.csv", v2.encode()), note="新增象溪站"
    )
    assert r.versions.count() == 2 and r.row_count == 7
    with pytest.raises(ValidationError, match="新版本应为 CSV 格式"):
        services.resource_new_version(actor=tree.editor_a, resource=r, upload=("x.xlsx", xlsx_bytes([["a"]])))
    url = r.download_url()
    got = client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content).decode().endswith("城乡5")
    old = client.get(url + "?version=1")
    assert "象溪" not in b"".join(old.streaming_content).decode()
    r.refresh_from_db()
    assert r.download_count == 2 and Dataset.objects.get(pk=ds.pk).download_count == 2
    assert [v.download_count for v in r.versions.all()] == [1, 1]
    rows = client.get(f"/opendata/datasets/{ds.name}/resources/{r.pk}/rows.json?limit=2&offset=5").json()
    assert rows["total"] == 7 and rows["records"][1]["站点名称"] == "象溪镇政府" and len(rows["records"]) == 2
    assert client.get(f"/opendata/datasets/{ds.name}/resources/{r.pk}/rows.json?limit=x").status_code == 400
    assert client.get(f"/opendata/datasets/{ds.name}/resources/999/download/").status_code == 404


def test_portal_search_and_facets(tree, client):
    a = services.dataset_create(actor=tree.editor_a, unit=tree.dept_a, data=dataset_data())
    services.resource_add(actor=tree.editor_a, dataset=a, name="站点", upload=("stops.csv", BUS_STOPS.encode()))
    services.dataset_publish(actor=tree.reviewer_a, dataset=a)
    page = client.get("/opendata/?q=公交").content.decode()
    assert "松阳县公交站点信息" in page
    assert "松阳县公交站点信息" not in client.get("/opendata/?q=医保").content.decode()
    assert "松阳县公交站点信息" in client.get("/opendata/?res_format=CSV").content.decode()
    assert client.get("/opendata/?organization=nonsense").status_code == 200


def test_workbench_and_api_actions(tree, client_for, api_for):
    c = client_for(tree.editor_a)
    form = {"unit": tree.dept_a.pk, **dataset_data(), "licence": "cc-by-4.0"}
    bad = c.post("/workbench/opendata/new/", {**form, "name": "Bad Name"})
    assert bad.status_code == 400
    ok = c.post("/workbench/opendata/new/", form)
    assert ok.status_code == 302
    ds = Dataset.objects.get()
    detail = c.get(ok["Location"]).content.decode()
    assert f"/workbench/opendata/{ds.pk}/act/add-resource/" in detail
    from django.core.files.uploadedfile import SimpleUploadedFile

    up = SimpleUploadedFile("stops.csv", BUS_STOPS.encode(), content_type="text/csv")
    r = c.post(f"/workbench/opendata/{ds.pk}/act/add-resource/", {"add-resource-name": "站点", "add-resource-file": up})
    assert r.status_code == 302 and Resource.objects.count() == 1
    api = api_for(tree.reviewer_a)
    got = api.get(f"/api/v1/opendata/datasets/{ds.pk}/").json()
    assert [a["name"] for a in got["actions"]] == ["publish", "edit", "add-resource"]
    assert api.post(f"/api/v1/opendata/datasets/{ds.pk}/publish/", {}, format="json").json()["state"] == "published"
    assert api.post(f"/api/v1/opendata/datasets/{ds.pk}/publish/", {}, format="json").status_code == 409
    assert api_for(tree.editor_b).get(f"/api/v1/opendata/datasets/{ds.pk}/").status_code == 404
    assert client_for(tree.editor_b).get(f"/workbench/opendata/{ds.pk}/").status_code == 403
    created = api_for(tree.editor_a).post(
        "/api/v1/opendata/datasets/",
        {**dataset_data(name="songyang-parks", title="松阳县公园名录"), "licence": "cc-by-4.0", "unit": tree.dept_a.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert (
        perform(
            DATASET_ACTIONS.get("edit"),
            user=tree.editor_a,
            obj=Dataset.objects.get(name="songyang-parks"),
            data={**dataset_data(name="songyang-parks", title="松阳县城市公园名录"), "licence": "cc-by-4.0"},
        ).title
        == "松阳县城市公园名录"
    )

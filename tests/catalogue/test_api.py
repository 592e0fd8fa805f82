"""REST API: public reads, org-scoped staff writes through the services."""

from __future__ import annotations

import pytest

from gongkai.catalogue.models import UnitItem, UnitList

from .conftest import T20, national_elements

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalogue"


def test_public_reads(api_for, published, tree):
    api = api_for()
    assert len(api.get(f"{BASE}/domains/").json()) >= 26
    templates = api.get(f"{BASE}/templates/").json()
    national = next(t for t in templates if t["key"] == "national")
    assert [e["name"] for e in national["elements"]][:3] == ["事项名称", "公开内容（要素）", "公开依据"]
    cats = api.get(f"{BASE}/catalogues/").json()["results"]
    assert [c["id"] for c in cats] == [published.pk] and cats[0]["latest_version"] == 1
    items = api.get(f"{BASE}/items/", {"catalogue": published.pk}).json()["results"]
    assert len(items) == 3 and items[0]["timeframe_rule"]["kind"] == "working_days"
    lists = api.get(f"{BASE}/unit-lists/", {"unit": tree.town_a.pk}).json()["results"]
    assert len(lists) == 1 and lists[0]["domain"] == "社会救助"
    unit_items = api.get(f"{BASE}/unit-items/", {"unit": tree.town_a.pk}).json()["results"]
    assert len(unit_items) == 3


def test_drafts_hidden_from_public_and_other_units(api_for, township_catalogue, tree):
    assert api_for().get(f"{BASE}/catalogues/").json()["results"] == []
    assert api_for(tree.editor_b).get(f"{BASE}/catalogues/").json()["results"] == []
    assert api_for().get(f"{BASE}/items/").json()["results"] == []
    assert len(api_for(tree.office).get(f"{BASE}/catalogues/").json()["results"]) == 1


def test_office_creates_adds_items_and_publishes(api_for, tree, national):
    api = api_for(tree.office)
    from gongkai.catalogue.models import Domain

    r = api.post(
        f"{BASE}/catalogues/",
        {
            "owner": tree.county.pk,
            "domain": Domain.objects.get(name="就业").pk,
            "template": national.pk,
            "target_kind": "government",
            "target_level": "township",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    r = api.post(
        f"{BASE}/catalogues/{cid}/items/",
        {"level1": "就业服务", "name": "招聘信息", "elements": national_elements(), "timeframe_text": "实时"},
        format="json",
    )
    assert r.status_code == 201, r.content
    r = api.post(f"{BASE}/catalogues/{cid}/items/", {"level1": " ", "elements": {}}, format="json")
    assert r.status_code == 400 and "level1" in r.json()
    r = api.post(
        f"{BASE}/catalogues/{cid}/items/", {"level1": "缺要素", "elements": {}, "timeframe_text": T20}, format="json"
    )
    assert r.status_code == 201 and r.json()["is_complete"] is False and "公开依据" in str(r.json()["problems"])
    catalogue = api.get(f"{BASE}/catalogues/{cid}/").json()
    draft = catalogue["draft_version"]
    version = api.get(f"{BASE}/versions/{draft}/").json()
    assert version["incomplete_items"] == 1
    assert [a["name"] for a in version["actions"]] == ["accept-incomplete"]  # publish is not open yet
    r = api.post(f"{BASE}/versions/{draft}/publish/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "condition" and "不完整" in r.json()["detail"]
    r = api.post(f"{BASE}/versions/{draft}/accept-incomplete/", {}, format="json")
    assert r.status_code == 400 and "note" in r.json()
    r = api.post(f"{BASE}/versions/{draft}/accept-incomplete/", {"note": "按现状发布"}, format="json")
    assert r.status_code == 200 and [a["name"] for a in r.json()["actions"]] == ["publish"]
    r = api.post(f"{BASE}/versions/{draft}/publish/", {"note": "首版"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "published" and r.json()["note"] == "首版"
    assert UnitList.objects.filter(catalogue_id=cid).count() == 2
    r = api.post(f"{BASE}/versions/{draft}/publish/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "state"  # published already
    r = api.post(f"{BASE}/catalogues/{cid}/new-version/", {"note": "修订"}, format="json")
    assert r.status_code == 200 and r.json()["draft_version"] not in (None, draft)
    assert api.post(f"{BASE}/catalogues/{cid}/new-version/", {}, format="json").status_code == 409
    r = api.post(f"{BASE}/catalogues/{cid}/discard-draft/", {}, format="json")
    assert r.status_code == 200 and r.json()["draft_version"] is None


def test_staff_of_other_units_cannot_write(api_for, tree, published, national):
    from gongkai.catalogue.models import Domain

    api = api_for(tree.editor_a)
    r = api.post(
        f"{BASE}/catalogues/",
        {
            "owner": tree.county.pk,
            "domain": Domain.objects.get(name="就业").pk,
            "template": national.pk,
            "target_kind": "government",
            "target_level": "township",
        },
        format="json",
    )
    assert r.status_code == 403
    assert api.post(f"{BASE}/catalogues/{published.pk}/new-version/", {}, format="json").status_code == 404
    version = published.latest_published()
    assert api.post(f"{BASE}/versions/{version.pk}/publish/", {}, format="json").status_code == 404  # not its office
    assert api.post(f"{BASE}/versions/abc/publish/", {}, format="json").status_code == 404
    assert api.post(f"{BASE}/versions/{version.pk}/explode/", {}, format="json").status_code == 404
    item_b = UnitItem.objects.get(unit=tree.town_b, name="救助结果")
    assert (
        api_for(tree.town_editor).patch(f"{BASE}/unit-items/{item_b.pk}/", {"note": "x"}, format="json").status_code
        == 403
    )
    assert api_for(tree.town_editor).post(f"{BASE}/unit-items/{item_b.pk}/drop/", {}, format="json").status_code == 404
    assert api_for().post(f"{BASE}/unit-items/{item_b.pk}/drop/", {}, format="json").status_code in (401, 403)
    std_item = published.latest_published().items.first()
    r = api_for(tree.office).patch(f"{BASE}/items/{std_item.pk}/", {"name": "改"}, format="json")
    assert r.status_code == 409 and "已发布的版本不能修改" in r.json()["detail"]


def test_unit_staff_add_local_item_and_drop(api_for, tree, published):
    api = api_for(tree.town_editor)
    ul = UnitList.objects.get(unit=tree.town_a)
    r = api.post(
        f"{BASE}/unit-items/",
        {"unit_list": ul.pk, "level1": "结对帮扶", "elements": national_elements(), "timeframe_text": "每季度"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["is_local"] is True
    mandatory = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    r = api.post(f"{BASE}/unit-items/{mandatory.pk}/drop/", {}, format="json")
    assert r.status_code == 409 and "必选" in r.json()["detail"]
    optional = UnitItem.objects.get(unit=tree.town_a, name="救助结果")
    assert [a["name"] for a in api.get(f"{BASE}/unit-items/{optional.pk}/").json()["actions"]] == ["drop"]
    r = api.post(f"{BASE}/unit-items/{optional.pk}/drop/", {"reason": "不涉及"}, format="json")
    assert r.status_code == 200 and r.json()["is_active"] is False
    r = api.post(f"{BASE}/unit-items/{optional.pk}/restore/", {}, format="json")
    assert r.status_code == 200 and r.json()["is_active"] is True

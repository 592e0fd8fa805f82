"""Portal and workbench pages through HTTP."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.catalogue import services
from gongkai.catalogue.models import Catalogue, UnitItem, UnitList
from gongkai.catalogue.sample import PATH as SAMPLE

from .conftest import T20, national_elements

pytestmark = pytest.mark.django_db


def test_portal_browse_unit_item_and_search(client, tree, published):
    home = client.get("/catalogue/")
    assert home.status_code == 200 and "社会救助" in home.text and "西屏街道" in home.text
    unit = client.get(f"/catalogue/unit/{tree.town_a.pk}/")
    assert unit.status_code == 200 and "最低生活保障" in unit.text and "审核确认后5个工作日内" in unit.text
    item = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    page = client.get(f"/catalogue/item/{item.pk}/")
    assert page.status_code == 200
    for text in (
        "公开内容（要素）",
        "《社会救助暂行办法》",
        "责任单位",
        "西屏街道",
        "信息形成或变更之日起20个工作日内",
    ):
        assert text in page.text
    found = client.get("/catalogue/search/", {"q": "審核確認"})  # 繁體 query finds 简体 item
    assert "审核确认结果公示" in found.text and "找到 1 个事项" in found.text and "适用于 2 个单位" in found.text
    assert "找到 0 个事项" in client.get("/catalogue/search/", {"q": "审核确认", "level": "county"}).text
    in_unit = client.get("/catalogue/search/", {"q": "审核确认", "unit": tree.town_a.pk})
    assert (
        "找到 1 个事项" in in_unit.text
        and f"/catalogue/item/{UnitItem.objects.get(unit=tree.town_a, name='审核确认结果公示').pk}/" in in_unit.text
    )
    ul = UnitList.objects.get(unit=tree.town_b)
    services.unit_item_add_local(
        actor=tree.office, unit_list=ul, level1="困难群众走访", elements=national_elements(), timeframe_text=T20
    )
    local = client.get("/catalogue/search/", {"q": "走访"})
    assert "各单位自增事项" in local.text and "古市镇" in local.text
    assert client.get("/catalogue/domain/social-assistance/", {"level": "township"}).status_code == 200
    assert client.get(f"/catalogue/standard/{published.pk}/").status_code == 200
    printable = client.get(f"/catalogue/unit/{tree.town_a.pk}/print/")
    assert printable.status_code == 200 and "print-view" in printable.text
    xlsx = client.get(f"/catalogue/unit/{tree.town_a.pk}/export.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_portal_hides_drafts_and_inactive_items(client, tree, township_catalogue, published):
    draft_only = services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=township_catalogue.domain.__class__.objects.get(name="就业"),
        template=township_catalogue.template,
        target_kind="government",
        target_level="township",
    )
    assert client.get(f"/catalogue/standard/{draft_only.pk}/").status_code == 404
    item = UnitItem.objects.get(unit=tree.town_a, name="救助结果")
    services.unit_item_drop(actor=tree.town_editor, item=item)
    assert client.get(f"/catalogue/item/{item.pk}/").status_code == 404
    assert "救助结果" not in client.get(f"/catalogue/unit/{tree.town_a.pk}/").text


def test_portal_escapes_local_item_text(client, tree, published):
    ul = UnitList.objects.get(unit=tree.town_a)
    services.unit_item_add_local(
        actor=tree.town_editor,
        unit_list=ul,
        level1="<script>alert(1)</script>",
        elements=national_elements(),
        timeframe_text=T20,
    )
    text = client.get(f"/catalogue/unit/{tree.town_a.pk}/").text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text


def test_item_page_lists_published_content_through_the_publications_tag(client, tree, published):
    item = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    page = client.get(f"/catalogue/item/{item.pk}/")
    assert "已公开的信息" in page.text and "该事项下暂无已公开的信息" in page.text


def test_catalogue_has_no_hidden_coupling():
    """No importlib string contracts and no import of publications anywhere in the catalogue app."""
    from pathlib import Path

    import gongkai.catalogue

    root = Path(gongkai.catalogue.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text("utf-8")
        assert "importlib" not in text, path
        assert "gongkai.publications" not in text and "from ..publications" not in text, path


def test_workbench_catalogue_editing_through_services(client_for, tree, township_catalogue):
    client = client_for(tree.office)
    page = client.get(f"/workbench/catalogue/{township_catalogue.pk}/")
    assert page.status_code == 200 and "发布并派生到各单位" in page.text
    draft = township_catalogue.current_draft()
    r = client.post(
        f"/workbench/catalogue/versions/{draft.pk}/items/new/",
        {
            "level1": "医疗救助",
            "name": "办事指南",
            "el_content": "对象、标准",
            "el_basis": "《社会救助暂行办法》",
            "timeframe_text": T20,
            "el_subject": "县医保局",
            "el_channel": "政府网站",
            "el_audience": ["全社会"],
            "el_mode": ["主动"],
            "el_level": ["县级"],
            "mandatory": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(f"/workbench/catalogue/versions/{draft.pk}/items/new/", {"level1": "", "name": "无名"})
    assert r.status_code == 200 and "一级事项" in r.text  # an item needs a name
    # elements missing: saved as an incomplete item, which blocks publishing until completed or accepted
    r = client.post(
        f"/workbench/catalogue/versions/{draft.pk}/items/new/",
        {"level1": "缺要素", "timeframe_text": "看情况"},
        follow=True,
    )
    assert "该事项要素不完整" in r.text and "公开依据" in r.text
    incomplete = draft.items.get(level1="缺要素")
    assert not incomplete.is_complete and any("公开时限无法识别" in p for p in incomplete.problems)
    page = client.get(f"/workbench/catalogue/{township_catalogue.pk}/")
    assert "1 项要素不完整" in page.text and "确认接受不完整事项" in page.text
    r = client.post(f"/workbench/catalogue/versions/{draft.pk}/act/publish/", {"publish-note": "首版"})
    assert r.status_code == 409 and "要素不完整" in r.text
    r = client.post(
        f"/workbench/catalogue/versions/{draft.pk}/act/accept-incomplete/",
        {"accept-incomplete-note": "上级标准目录原文如此，待下一版修订"},
        follow=True,
    )
    assert "已确认接受不完整事项" in r.text
    r = client.post(f"/workbench/catalogue/versions/{draft.pk}/act/publish/", {"publish-note": "首版"}, follow=True)
    assert "已发布，各单位公开目录已更新" in r.text
    assert client.get(f"/workbench/catalogue/{township_catalogue.pk}/adoption/").status_code == 200
    version = Catalogue.objects.get(pk=township_catalogue.pk).latest_published()
    page = client.get(f"/workbench/catalogue/versions/{version.pk}/")
    assert "新增 5 项" in page.text and "待下一版修订" in page.text


def test_workbench_catalogue_pages_need_office(client_for, tree, township_catalogue):
    client = client_for(tree.editor_a)
    assert client.get("/workbench/catalogue/").status_code == 403
    assert client.get(f"/workbench/catalogue/{township_catalogue.pk}/").status_code == 404
    draft = township_catalogue.current_draft()
    assert client.post(f"/workbench/catalogue/versions/{draft.pk}/act/publish/").status_code == 404
    assert client.get("/workbench/catalogue/import/").status_code == 403


def test_unit_lists_scoped_to_own_unit(client_for, tree, published):
    client = client_for(tree.town_editor)
    mine = UnitList.objects.get(unit=tree.town_a)
    other = UnitList.objects.get(unit=tree.town_b)
    listing = client.get("/workbench/catalogue/lists/")
    assert "西屏街道" in listing.text and "古市镇" not in listing.text
    assert client.get(f"/workbench/catalogue/lists/{mine.pk}/").status_code == 200
    assert client.get(f"/workbench/catalogue/lists/{other.pk}/").status_code == 404
    item_b = other.items.first()
    assert client.get(f"/workbench/catalogue/unit-items/{item_b.pk}/").status_code == 404
    assert client.post(f"/workbench/catalogue/unit-items/{item_b.pk}/act/drop/").status_code == 404
    r = client.post(
        f"/workbench/catalogue/lists/{mine.pk}/items/new/",
        {
            "level1": "结对帮扶",
            "el_content": "名单",
            "el_basis": "方案",
            "timeframe_text": "每季度",
            "el_subject": "街道",
            "el_channel": "公示栏",
            "el_audience": ["特定群体"],
            "el_mode": ["主动"],
            "el_level": ["乡级"],
            "column_name": "社会救助",
        },
    )
    assert r.status_code == 302
    assert mine.items.filter(is_local=True, level1="结对帮扶").exists()
    mandatory = mine.items.get(name="办事指南")
    r = client.post(f"/workbench/catalogue/unit-items/{mandatory.pk}/act/drop/")
    assert r.status_code == 409 and "必选事项，不能删除" in r.text
    page = client.get(f"/workbench/catalogue/lists/{mine.pk}/")
    assert f"/unit-items/{mandatory.pk}/act/drop/" not in page.text  # no button for what the state forbids
    optional = mine.items.get(name="救助结果")
    r = client.post(f"/workbench/catalogue/unit-items/{optional.pk}/act/drop/", {"drop-reason": "本街道不涉及"})
    assert r.status_code == 302
    optional.refresh_from_db()
    assert not optional.is_active and optional.retired_reason == "本街道不涉及"
    assert f"/unit-items/{optional.pk}/act/restore/" in client.get(f"/workbench/catalogue/lists/{mine.pk}/").text
    assert client.post(f"/workbench/catalogue/unit-items/{optional.pk}/act/restore/").status_code == 302
    # the office overseeing both can see both
    assert client_for(tree.office).get(f"/workbench/catalogue/lists/{other.pk}/").status_code == 200


def test_import_wizard_preview_then_commit(client_for, tree, national):
    client = client_for(tree.office)
    upload = SimpleUploadedFile("样例.xlsx", SAMPLE.read_bytes())
    r = client.post(
        "/workbench/catalogue/import/",
        {
            "file": upload,
            "template": national.pk,
            "owner": tree.county.pk,
            "target_kind": "government",
            "target_level": "township",
        },
    )
    assert r.status_code == 302
    preview = client.get(r["Location"])
    assert preview.status_code == 200 and "全部事项要素完整" in preview.text and "社会救助" in preview.text
    assert not Catalogue.objects.exists()
    done = client.post(r["Location"], {"publish": "1"}, follow=True)
    assert "已导入并发布" in done.text
    assert UnitList.objects.filter(unit=tree.town_b).count() == 3


def test_import_wizard_shows_errors_and_refuses(client_for, tree, national):
    from .test_import import csv_bytes, plain_row

    client = client_for(tree.office)
    upload = SimpleUploadedFile("bad.csv", csv_bytes([plain_row(), plain_row(domain="火星开发", name="星际移民")]))
    r = client.post(
        "/workbench/catalogue/import/",
        {
            "file": upload,
            "template": national.pk,
            "owner": tree.county.pk,
            "target_kind": "government",
            "target_level": "township",
        },
    )
    preview = client.get(r["Location"])
    assert "未知领域“火星开发”" in preview.text and "确认导入" not in preview.text
    client.post(r["Location"])
    assert not Catalogue.objects.exists()
    other = client_for(tree.editor_a)
    assert other.get(r["Location"]).status_code == 404  # token lives in the office user's session


def test_workbench_targets_and_rederive(client_for, tree, national):
    from gongkai.catalogue.models import Domain

    catalogue = services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=Domain.objects.get(name="养老服务"),
        template=national,
        target_kind="department",
        target_level="county",
    )
    client = client_for(tree.office)
    r = client.post(
        f"/workbench/catalogue/{catalogue.pk}/act/targets/", {"targets-units": [tree.dept_a.pk]}, follow=True
    )
    assert "已保存适用单位" in r.text
    r = client.post(f"/workbench/catalogue/{catalogue.pk}/act/targets/", {"targets-units": [tree.dept_b.pk, 999999]})
    assert r.status_code == 400  # not a choice: the form refuses it
    services.item_add(
        actor=tree.office,
        version=catalogue.current_draft(),
        level1="养老机构名录",
        elements=national_elements(level=["县级"]),
        timeframe_text=T20,
    )
    services.version_publish(actor=tree.office, version=catalogue.current_draft())
    assert list(UnitList.objects.filter(catalogue=catalogue).values_list("unit__name", flat=True)) == ["松阳县民政局"]
    r = client.post(f"/workbench/catalogue/{catalogue.pk}/act/rederive/", follow=True)
    assert "已重新派生各单位公开目录" in r.text
    assert client_for(tree.editor_a).post(f"/workbench/catalogue/{catalogue.pk}/act/rederive/").status_code == 404


def test_workbench_templates_and_domains_pages(client_for, tree, national):
    client = client_for(tree.office)
    r = client.post(
        "/workbench/catalogue/templates/",
        {"name": "松阳县十要素", "owner_unit": tree.county.pk, "copy_from": national.pk},
    )
    assert r.status_code == 302
    detail = client.get(r["Location"])
    assert "公开渠道和载体" in detail.text and "添加要素" in detail.text
    r = client.post(r["Location"], {"name": "公开栏目", "type": "choice", "required": "on"})
    assert r.status_code == 200 and "必须列出可选值" in r.text
    assert client.get(f"/workbench/catalogue/templates/{national.pk}/").status_code == 200
    assert "内置模板只能由系统管理员修改" in client.get(f"/workbench/catalogue/templates/{national.pk}/").text
    r = client.post("/workbench/catalogue/domains/", {"name": "茶产业", "owner_unit": tree.county.pk}, follow=True)
    assert "已添加地方领域" in r.text
    r = client.post("/workbench/catalogue/domains/", {"name": "茶产业", "owner_unit": tree.county.pk})
    assert "已存在" in r.text
    check = client.get("/workbench/catalogue/timeframe-check/", {"timeframe_text": "每季度结束后15日内"})
    assert "识别为" in check.text and "期满后15日内" in check.text
    assert "未写明期限" in client.get("/workbench/catalogue/timeframe-check/", {"timeframe_text": "尽快"}).text
    assert "无法识别" in client.get("/workbench/catalogue/timeframe-check/", {"timeframe_text": "看心情"}).text


def test_workbench_unit_item_edit(client_for, tree, published):
    client = client_for(tree.town_editor)
    derived = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    page = client.get(f"/workbench/catalogue/unit-items/{derived.pk}/")
    assert "要素由政务公开办统一规定" in page.text and "el_basis" not in page.text
    r = client.post(
        f"/workbench/catalogue/unit-items/{derived.pk}/",
        {"responsible_unit": tree.town_a.pk, "column_name": "社会救助", "note": "社会事务办负责"},
    )
    assert r.status_code == 302
    derived.refresh_from_db()
    assert derived.note == "社会事务办负责"
    r = client.post(f"/workbench/catalogue/unit-items/{derived.pk}/", {"responsible_unit": tree.town_b.pk})
    assert r.status_code == 200  # not a unit below 西屏街道: the form refuses the choice
    ul = UnitList.objects.get(unit=tree.town_a)
    local = services.unit_item_add_local(
        actor=tree.town_editor, unit_list=ul, level1="结对帮扶", elements=national_elements(), timeframe_text=T20
    )
    data = {
        "level1": "结对帮扶走访",
        "el_content": "名单",
        "el_basis": "方案",
        "timeframe_text": "每季度",
        "el_subject": "街道",
        "el_channel": "公示栏",
        "el_audience": ["特定群体"],
        "el_mode": ["主动"],
        "el_level": ["乡级"],
    }
    assert client.post(f"/workbench/catalogue/unit-items/{local.pk}/", data).status_code == 302
    local.refresh_from_db()
    assert local.level1 == "结对帮扶走访" and local.timeframe_rule["period"] == "quarter"

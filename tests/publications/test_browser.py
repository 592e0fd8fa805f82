"""Done-when of issue 5, in a real browser: an editor drafts, a reviewer and a leader
approve, and the item appears on the portal (and in search); public pages pass axe."""

from __future__ import annotations

import pytest

from tests.conftest import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    from gongkai.search.testing import isolated_index

    yield from isolated_index(settings, tmp_path)


def _logout(page):
    page.click("form[action*='logout'] button")


@pytest.fixture
def login(page):
    """Log in through the real form. (The shared ``login_page`` fixture clicks the first
    ``button[type=submit]`` on the page, which is the language switch in the header.)"""

    def _login(username: str, password: str = PASSWORD):
        page.goto("/staff/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.press("#id_password", "Enter")
        page.wait_for_url("**/workbench/**")
        return page

    return _login


def test_editor_reviewer_leader_publish_and_portal(tree, page, login, live_server):
    title = "关于2026年冬季困难群众取暖补贴发放的通知"
    login("mz_editor")
    page.goto("/workbench/publications/new/?type=notice")
    page.fill("#id_title", title)
    page.select_option("#id_topic", "civil")
    page.fill("#id_made_on", "2026-11-20")
    page.fill("#id_body", "各乡镇（街道）：今冬取暖补贴标准为每户300元，于12月15日前发放到户。")
    page.click("button:has-text('保存草稿')")
    page.wait_for_url("**/edit/")
    page.click("text=返回信息详情")
    page.click("button:has-text('提交审核')")
    page.wait_for_selector("text=已提交公开属性审查")
    _logout(page)

    login("mz_reviewer")
    page.goto("/workbench/publications/queues/attribute_review/")
    page.click(f"text={title}")
    page.click("button:has-text('公开属性审查通过')")
    page.wait_for_selector("text=公开属性审查已完成")
    page.click("button:has-text('保密审查通过')")
    page.wait_for_selector("text=保密审查已通过")
    _logout(page)

    login("mz_leader")
    page.goto("/workbench/publications/queues/signoff/")
    page.click(f"text={title}")
    page.click("button:has-text('签发并发布')")
    page.wait_for_selector("text=已签发并发布")
    _logout(page)

    page.goto("/publications/")
    assert_accessible(page, context="publication list")
    page.click(f"text={title}")
    page.wait_for_selector("text=信息索引")
    assert "每户300元" in page.content()
    assert_accessible(page, context="publication page")
    page.goto("/publications/library/")
    assert_accessible(page, context="library")
    # …and in search (index updated by the Celery task, eager in tests)
    page.goto("/search/?q=取暖补贴")
    assert page.locator(f"text={title}").count() >= 1


def test_withdrawn_and_not_yet_effective_pages_accessible(tree, page, draft, publish):
    import datetime as dt

    from django.utils import timezone

    from gongkai.publications import services

    future = publish(
        draft(
            doc_type="normative",
            title="松阳县养老服务补贴管理办法",
            effective_from=timezone.localdate() + dt.timedelta(days=40),
        )
    )
    gone = publish(draft(doc_type="notice", title="关于社保缴费基数的通知（错误版本）"))
    services.publication_withdraw(actor=tree.leader_a, publication=gone, reason="数据有误，已发布更正通知")
    page.goto(future.get_absolute_url())
    assert "尚未生效" in page.content()
    assert_accessible(page, context="not yet effective")
    page.goto(gone.get_absolute_url())
    assert "本信息已撤回" in page.content() and "数据有误" in page.content()
    assert_accessible(page, context="withdrawn")
    page.goto(future.get_absolute_url() + "?print=1")
    assert_accessible(page, context="print view")


def test_draft_form_layout_and_grouped_catalogue_items(tree, page, login):
    """The draft form starts with 发布单位 and 标题 (not alphabetical by English field name);
    the catalogue-item dropdown shows one heading per domain."""
    from gongkai.catalogue import services as cat
    from gongkai.catalogue.models import Domain, ElementTemplate
    from gongkai.core.models import Level, OrgKind

    elements = {
        "content": "名单",
        "basis": "《社会救助暂行办法》",
        "subject": "县民政局",
        "channel": "■政府网站",
        "audience": ["全社会"],
        "mode": ["主动"],
        "level": ["县级"],
    }
    cat.ensure_reference_data()
    for domain, items in (("社会救助", ["低保审核确认结果", "临时救助结果"]), ("养老服务", ["养老服务补贴名单"])):
        catalogue = cat.catalogue_create(
            actor=tree.office,
            owner=tree.county,
            domain=Domain.objects.get(name=domain),
            template=ElementTemplate.objects.get(key="national"),
            target_kind=OrgKind.DEPARTMENT,
            target_level=Level.COUNTY,
        )
        for name in items:
            cat.item_add(
                actor=tree.office,
                version=catalogue.current_draft(),
                level1=name,
                elements=elements,
                timeframe_text="实时",
            )
        cat.version_publish(actor=tree.office, version=catalogue.current_draft())

    login("mz_editor")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/workbench/publications/new/?type=policy")
    labels = page.locator("main form .field label").all_inner_texts()
    assert [t.strip(" *") for t in labels[:2]] == ["发布单位", "标题"]
    title_box = page.locator("#id_title").bounding_box()
    body_box = page.locator("#id_body").bounding_box()
    assert title_box["y"] < 844 and title_box["y"] < body_box["y"]  # 标题 is on the first screen, above 正文
    groups = page.locator("#id_unit_item optgroup")
    assert groups.evaluate_all("gs => gs.map(g => g.label)") == ["社会救助", "养老服务"]
    assert page.locator("#id_unit_item optgroup[label='养老服务'] option").all_inner_texts() == ["养老服务补贴名单"]

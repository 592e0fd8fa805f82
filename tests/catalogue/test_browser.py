"""Done-when of issue 4, in a real browser: an administrator loads the national template,
imports the sample spreadsheet, publishes it and sees a township's list on the portal (axe-clean)."""

from __future__ import annotations

import re

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.sample import PATH as SAMPLE
from tests.conftest import assert_accessible
from tests.factories import PASSWORD, build_org_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module", autouse=True)
def _restore_migration_data_afterwards(django_db_blocker):
    """A transactional test ends with a flush, which also removes the rows the data migrations
    seeded (holidays, national domains, templates). Put them back once this module is done so
    that database tests scheduled after it on the same worker still find them."""
    yield
    from django.db import connection

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


def _login(page, username: str) -> None:
    # The shared ``login_page`` fixture clicks the first submit button on the page, which is the
    # language switcher in the toolbar; target the login form's own button instead.
    page.goto("/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/workbench/**")


def test_import_publish_and_browse(page):
    services.ensure_reference_data()
    tree = build_org_tree()
    _login(page, "gkb")

    page.goto("/workbench/catalogue/templates/")
    page.get_by_role("link", name="国家基层政务公开标准指引要素").click()
    assert page.locator("#elements").get_by_text("公开渠道和载体").is_visible()

    page.goto("/workbench/catalogue/import/")
    page.set_input_files("#id_file", str(SAMPLE))
    page.select_option("#id_owner", str(tree.county.pk))
    page.select_option("#id_target_kind", "government")
    page.select_option("#id_target_level", "township")
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url(re.compile(r".*/workbench/catalogue/import/[0-9a-f]+/"))
    assert page.get_by_text("全部事项要素完整").is_visible()
    assert page.locator("#preview-rows tbody tr").count() == 21
    page.check("#publish")
    page.get_by_role("button", name="确认导入").click()
    assert page.get_by_text("已导入并发布").is_visible()

    page.goto("/catalogue/")
    assert_accessible(page, context="catalogue home")
    page.get_by_role("link", name="西屏街道").first.click()
    assert page.get_by_role("heading", name="西屏街道政务公开事项目录").is_visible()
    assert page.get_by_role("heading", name="社会救助").is_visible()
    assert page.get_by_role("cell", name="最低生活保障").first.is_visible()
    assert_accessible(page, context="unit list")
    page.get_by_role("link", name="办事指南").first.click()
    assert page.get_by_text("责任单位").is_visible()
    assert_accessible(page, context="item page")
    page.goto("/catalogue/search/?q=低保")
    assert page.get_by_role("status").inner_text().startswith("找到")
    assert_accessible(page, context="search")
    page.goto("/catalogue/domain/social-assistance/")
    assert_accessible(page, context="domain page")

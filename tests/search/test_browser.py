"""The search page in a real browser: accessible (axe), works with and without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.search import get_backend
from tests.conftest import assert_accessible

from .conftest import make_doc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def indexed():
    get_backend().index(
        [
            make_doc(
                "关于2024年城乡低保标准的通知",
                "城乡低保标准提高。",
                doc_type="notice",
                published_on=dt.date(2024, 5, 6),
            ),
            make_doc(
                "低保资金发放情况公示",
                "低保资金按月发放。",
                doc_type="budget",
                status="失效",
                published_on=dt.date(2023, 5, 6),
                year=2023,
            ),
            make_doc("县人社局就业补贴政策解读", "就业补贴。", unit_name="县人社局", unit_id=7),
        ]
    )


def test_search_page_is_accessible_and_filters_live(page, indexed):
    page.goto("/search/?q=低保")
    assert page.locator("li.hit").count() == 2
    assert page.locator("li.hit mark").first.inner_text() == "低保"
    assert_accessible(page, context="results")
    # htmx: ticking a facet updates the results in place and the address bar
    page.get_by_label("财政预决算").check()
    page.wait_for_url("**type=budget**")
    page.wait_for_function("document.querySelectorAll('li.hit').length === 1")
    assert "资金发放" in page.locator("li.hit").inner_text()
    assert_accessible(page, context="filtered")
    page.goto("/search/?date_from=bad")
    assert_accessible(page, context="error")


def test_search_page_works_without_javascript(browser, live_server, indexed):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto("/search/")
        page.fill("#id_q", "就业")
        page.click("#search-form .search-box button")
        page.wait_for_url("**q=**")
        assert page.locator("li.hit").count() == 1
        page.get_by_label("县人社局").check()
        page.get_by_role("button", name="筛选").click()
        page.wait_for_url("**unit=**")
        assert page.locator("li.hit").count() == 1
    finally:
        context.close()


def test_on_a_phone_results_come_before_the_filters(page, indexed):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search/?q=低保")
    first_hit = page.locator("li.hit").first.bounding_box()
    facets = page.locator(".search-facets").bounding_box()
    assert first_hit["y"] < facets["y"]
    assert first_hit["y"] < 844  # the first result is on the first screen
    # no horizontal scrolling at 390 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="phone")
    # wide screens keep the filters in a column on the left
    page.set_viewport_size({"width": 1366, "height": 900})
    first_hit = page.locator("li.hit").first.bounding_box()
    facets = page.locator(".search-facets").bounding_box()
    assert facets["x"] < first_hit["x"] and abs(facets["y"] - first_hit["y"]) < 200


def test_an_empty_result_page_offers_help(page, indexed):
    page.goto("/search/?q=怎么")
    assert "疑问词" in page.locator(".search-help").inner_text()
    page.goto("/search/?q=底保")
    assert page.get_by_role("link", name="低保").count() >= 1
    assert_accessible(page, context="empty")

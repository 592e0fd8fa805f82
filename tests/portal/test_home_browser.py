"""The home page, the menu and the breadcrumbs in a real browser (Debian chromium) at 1366 px and 390 px."""

from __future__ import annotations

import pytest

from tests.conftest import assert_accessible

from .content import answered_appeal, open_consultation, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}  # a common phone's CSS viewport; "the first screen" is its height


@pytest.fixture
def content(tree):
    from tests.portal.content import ensure_appeal_types

    ensure_appeal_types()
    rule = publish(tree, title="松阳县养老服务补贴管理办法", doc_type="normative")
    pubs = [
        publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告", doc_type="notice"),
        rule,
        publish(tree, title="图解：养老服务补贴怎么申请", doc_type="interpretation", interprets=rule),
        publish(tree, title="松阳县支持高校毕业生等青年就业创业若干政策", doc_type="policy", unit=tree.dept_b),
    ]
    consultation = open_consultation(tree, title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）")
    answered_appeal(tree, title="我母亲想申请低保", publish_as="低保申请需要哪些材料")
    return {"pubs": pubs, "consultation": consultation}


@pytest.fixture
def context_for(browser, live_server):
    contexts = []

    def _make(viewport, *, javascript=True, locale="zh-CN"):
        ctx = browser.new_context(
            base_url=live_server.url, viewport=viewport, java_script_enabled=javascript, locale=locale
        )
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        return page

    yield _make
    for ctx in contexts:
        ctx.close()


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _bottom(page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    return box["y"] + box["height"]


def test_desktop_home_page_layout_and_axe(content, context_for):
    page = context_for(DESKTOP)
    page.goto("/")
    assert page.locator("main#main h1").count() == 1
    assert page.locator(".main-nav").is_visible() and not page.locator(".mobile-menu").is_visible()
    # search, tasks, latest list and the side lists are all above the fold's second screen
    assert _bottom(page, "#home-q") < DESKTOP["height"]
    assert _bottom(page, ".task.primary") < DESKTOP["height"]
    latest, side = page.locator("#latest").bounding_box(), page.locator(".home-side").bounding_box()
    assert side["x"] > latest["x"] + latest["width"] - 1  # two columns
    assert page.locator("#latest .news-list > li").count() == 4
    assert _no_horizontal_scroll(page)
    assert_accessible(page, context="home 1366")
    page.goto("/units/")
    assert_accessible(page, context="units 1366")


def test_tabs_switch_in_place_with_javascript(content, context_for):
    page = context_for(DESKTOP)
    page.goto("/")
    page.locator("#latest").get_by_role("link", name="政策解读").click()
    page.wait_for_url("**/?tab=interpretation")
    items = page.locator("#latest .news-list > li")
    assert items.count() == 1 and "图解：养老服务补贴怎么申请" in items.first.inner_text()
    assert page.locator("#latest [aria-current=page]").inner_text() == "政策解读"
    assert page.locator("#home-q").count() == 1  # the rest of the page stays
    assert_accessible(page, context="home, interpretation tab")


def test_tabs_work_without_javascript(content, context_for):
    page = context_for(DESKTOP, javascript=False)
    page.goto("/")
    page.locator("#latest").get_by_role("link", name="通知公告").click()
    assert page.locator("#latest .news-list > li").count() == 1
    assert "最低生活保障标准" in page.locator("#latest .news-list").inner_text()


def test_search_from_the_home_page(content, context_for):
    page = context_for(DESKTOP, javascript=False)
    page.goto("/")
    page.fill("#home-q", "低保")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator("main h1").inner_text() == "一网通查"


def test_one_click_to_a_consultation_and_an_information_request(content, context_for):
    page = context_for(PHONE)
    page.goto("/")
    page.get_by_role("link", name=content["consultation"].title).click()
    assert page.locator("main h1").inner_text() == content["consultation"].title
    page.goto("/")
    page.locator(".task.primary a").click()
    page.wait_for_url("**/requests/")
    assert page.locator("main form").count() >= 1


def test_phone_first_screen_has_search_and_latest_items(content, context_for):
    page = context_for(PHONE)
    page.goto("/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120  # it took 365 px before the menu folded away
    assert not page.locator(".main-nav").is_visible()
    assert not page.get_by_role("link", name="规范性文件库").is_visible()  # folded in the menu
    assert _bottom(page, "#home-q") < PHONE["height"]
    assert _bottom(page, "#latest .news-list > li") < PHONE["height"]  # the first items are on the first screen
    assert _no_horizontal_scroll(page)
    assert_accessible(page, context="home 390")


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_menu_opens_and_closes(tree, context_for, javascript):
    page = context_for(PHONE, javascript=javascript)
    page.goto("/accessibility/")
    menu = page.locator(".mobile-menu")
    assert menu.get_attribute("open") is None
    page.locator(".mobile-menu summary").click()
    assert page.locator(".mobile-nav").get_by_role("link", name="标准目录").is_visible()
    assert page.locator(".mobile-nav").get_by_role("link", name="公开主体").is_visible()
    if javascript:
        assert_accessible(page, context="open menu 390")
    page.locator(".mobile-nav").get_by_role("link", name="标准目录").click()
    page.wait_for_url("**/catalogue/")
    assert page.locator(".mobile-menu").get_attribute("open") is None  # a new page starts with the menu closed


def test_phone_large_text_and_english_keep_working(content, context_for):
    page = context_for(PHONE)
    page.goto("/")
    page.get_by_role("link", name="大字版（适老化）").click()
    page.wait_for_url("**/")
    assert "large-text" in page.locator("body").get_attribute("class")
    assert _bottom(page, "#home-q") < PHONE["height"]
    assert _no_horizontal_scroll(page)
    assert_accessible(page, context="home 390 large text")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#latest-heading").inner_text() == "What is new"
    assert page.locator(".mobile-menu summary").inner_text().strip() == "Menu"
    assert page.locator(".site-header").bounding_box()["height"] < 170  # large text, a longer site name
    assert _bottom(page, "#home-q") < PHONE["height"]
    assert _no_horizontal_scroll(page)
    assert_accessible(page, context="home 390 large text English")
    page.get_by_role("button", name="繁體中文").click()
    assert page.locator("#latest-heading").inner_text() == "最新公開"


def test_empty_site_home_page(context_for, db):
    page = context_for(PHONE)
    page.goto("/")
    assert page.get_by_role("heading", name="欢迎访问").is_visible()
    assert page.locator("#latest, .home-figures, .home-popular, .home-box").count() == 0
    assert_accessible(page, context="empty home 390")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_breadcrumbs_look_the_same_on_every_page(content, context_for, viewport):
    page = context_for(viewport)
    pub = content["pubs"][0]
    urls = ["/units/", "/catalogue/", "/publications/", pub.get_absolute_url(), "/requests/", "/interaction/faq/"]
    urls += [f"/interaction/consultations/{content['consultation'].pk}/", "/reports/", "/staff/login/"]
    first_box = None
    for url in urls:
        page.goto(url)
        trail = page.locator("main > nav.breadcrumbs")
        assert trail.count() == 1, url
        box = trail.bounding_box()
        first_box = first_box or box
        assert abs(box["x"] - first_box["x"]) < 1 and abs(box["y"] - first_box["y"]) < 1, url  # same place
        assert trail.locator("li").first.inner_text() == "首页", url
        assert box["x"] + box["width"] <= viewport["width"], url

"""Portal and workbench shells in a real browser (Debian chromium): axe, keyboard, large text, languages, print."""

from __future__ import annotations

import pytest

from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/units/", "/accessibility/", "/staff/login/"]


def test_public_pages_pass_axe(tree, page):
    for url in PUBLIC_PAGES:
        page.goto(url)
        assert page.locator("main#main h1").count() == 1
        assert_accessible(page, context=url)


def test_public_pages_pass_axe_in_large_text_and_english(tree, page):
    page.goto("/")
    page.get_by_role("link", name="大字版（适老化）").click()
    page.get_by_role("button", name="English").click()
    for url in PUBLIC_PAGES:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page, context=f"large text, English {url}")


def test_workbench_pages_pass_axe(tree, login_page):
    page = login_page("gkb")
    urls = [
        "/workbench/",
        "/staff/orgs/",
        f"/staff/orgs/{tree.dept_a.pk}/",
        f"/staff/orgs/{tree.county.pk}/new/",
        "/staff/audit/",
        "/staff/calendar/",
        "/staff/users/",
        f"/staff/users/{tree.editor_a.pk}/",
        "/staff/users/new/",
    ]
    for url in urls:
        page.goto(url)
        assert page.locator("main#main h1").count() == 1, url
        assert_accessible(page, context=url)


def test_calendar_page_passes_axe_for_sysadmin(tree, login_page):
    page = login_page("root_admin")
    page.goto("/staff/calendar/")
    assert page.get_by_role("heading", name="导入下一年度安排").is_visible()
    assert_accessible(page, context="calendar (editable)")


def test_form_errors_are_accessible(tree, login_page):
    page = login_page("gkb")
    page.goto(f"/staff/orgs/{tree.county.pk}/new/")
    page.fill("#id_name", "松阳县统计局")
    page.fill("#id_credit_code", "123")
    page.get_by_role("button", name="创建").click()
    assert page.get_by_text("统一社会信用代码应为18位，当前为3位").is_visible()
    assert_accessible(page, context="form with errors")


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, cls: document.activeElement.className,"
        " tag: document.activeElement.tagName, text: document.activeElement.textContent.trim()})"
    )


@pytest.mark.parametrize("url", ["/", "/staff/login/"])
def test_skip_link_is_first_and_moves_focus_to_main(tree, page, url):
    page.goto(url)
    page.keyboard.press("Tab")
    focused = _focused(page)
    assert focused["cls"] == "skip-link" and focused["text"] == "跳到主要内容"
    assert page.locator(".skip-link").is_visible()  # visible when focused
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    # The next stop is inside main, or after it when main has no links: never back in the header.
    after_skip = page.evaluate(
        "() => { const m = document.getElementById('main'), a = document.activeElement;"
        " return m.contains(a) || !!(m.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING); }"
    )
    assert after_skip


def test_skip_link_in_workbench(tree, login_page):
    page = login_page("mz_editor")
    page.goto("/staff/orgs/")
    page.keyboard.press("Tab")
    assert _focused(page)["cls"] == "skip-link"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"


def test_login_with_keyboard_only(tree, page):
    page.goto("/staff/login/")
    page.focus("#id_username")
    page.keyboard.type("gkb")
    page.keyboard.press("Tab")
    page.keyboard.type("pw-12345678")
    page.keyboard.press("Enter")
    page.wait_for_url("**/workbench/")
    assert page.get_by_role("heading", name="工作台", exact=True).is_visible()


def _root_font_px(page) -> float:
    return float(page.evaluate("() => getComputedStyle(document.documentElement).fontSize").rstrip("px"))


def _check_large_text_toggle(page):
    page.goto("/accessibility/")
    normal = _root_font_px(page)
    page.get_by_role("link", name="大字版（适老化）").click()
    page.wait_for_url("**/accessibility/")
    assert "large-text" in (page.locator("body").get_attribute("class") or "")
    assert _root_font_px(page) > normal * 1.2
    page.goto("/")  # the setting sticks across pages
    assert "large-text" in (page.locator("body").get_attribute("class") or "")
    page.get_by_role("link", name="标准字号").click()
    assert "large-text" not in (page.locator("body").get_attribute("class") or "")
    assert _root_font_px(page) == normal


def test_large_text_mode_toggles(tree, page):
    _check_large_text_toggle(page)


def test_large_text_mode_works_without_javascript(tree, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        _check_large_text_toggle(page)
        # The language switch is a plain form: it works without JavaScript as well.
        page.get_by_role("button", name="English").click()
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()


def test_language_switch(tree, page):
    page.goto("/accessibility/")
    page.get_by_role("button", name="繁體中文").click()
    page.wait_for_url("**/accessibility/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.get_by_role("heading", name="無障礙說明", level=1).is_visible()
    assert page.get_by_role("link", name="大字版（適老化）").is_visible()
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Accessibility", level=1).is_visible()
    assert page.get_by_role("link", name="Staff sign-in").is_visible()
    page.get_by_role("button", name="简体中文").click()
    assert page.get_by_role("heading", name="无障碍说明", level=1).is_visible()
    assert page.locator(".lang-switch [aria-current=true]").inner_text() == "简体中文"


def test_workbench_in_traditional_chinese(tree, login_page):
    page = login_page("gkb")
    page.get_by_role("button", name="繁體中文").click()
    page.goto("/staff/orgs/")
    assert page.get_by_role("heading", name="組織機構", level=1).is_visible()
    assert page.get_by_role("link", name="松陽縣民政局").is_visible()


def test_print_hides_navigation(tree, page):
    page.goto("/accessibility/")
    assert page.locator(".main-nav").count() == 1
    page.emulate_media(media="print")
    assert not page.locator(".site-header .toolbar").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator(".main-nav").is_visible()
    assert page.locator("main h1").is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".site-header .toolbar").is_visible()


def test_print_workbench_shows_content_only(tree, login_page):
    page = login_page("gkb")
    page.goto("/staff/audit/")
    page.emulate_media(media="print")
    assert not page.locator(".wb-nav").is_visible()
    assert not page.locator("form.filters").is_visible()
    assert page.locator("main table").is_visible()

"""Done-when: a request filed on the portal, corrected, consulted on, extended and answered with a generated
letter, with the right due date at each step; axe on the public form, receipt and status pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.conftest import assert_accessible
from tests.factories import PASSWORD
from tests.requests.conftest import resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CST = dt.timezone(dt.timedelta(hours=8))


def staff_page(browser, live_server, username):
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN")
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    pg.goto("/staff/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", PASSWORD)
    pg.press("#id_password", "Enter")  # (the first submit button on the page is the language switch)
    pg.wait_for_url("**/workbench/**")
    return pg


def act(pg, label: str, fields: dict, select: dict | None = None, check: tuple = ()):
    """Open the action's panel (its summary is the action's label), fill it in, press its button."""
    summ = pg.locator("summary", has_text=label).first
    box = summ.locator("..")
    if box.get_attribute("open") is None:
        summ.click()
    for sel, value in fields.items():
        pg.fill(sel, value)
    for sel, value in (select or {}).items():
        pg.select_option(sel, value)
    for sel in check:
        pg.check(sel)
    box.get_by_role("button", name=label, exact=True).click()
    pg.wait_for_load_state()


def due_on_page(pg) -> str:
    return pg.locator("#due-date").inner_text()


def test_request_lifecycle_in_browser(page, browser, live_server, tree, settings):
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600  # the server clock jumps weeks ahead below
    settings.GONGKAI_SESSION_IDLE_MINUTES = 365 * 24 * 60  # … so the idle timeout must not log staff out
    with time_machine.travel(dt.datetime(2026, 9, 17, 10, 0, tzinfo=CST), tick=True) as clock:
        # --- the applicant files on the portal -------------------------------------------
        page.goto("/requests/")
        assert_accessible(page, context="apply form")
        page.select_option("#id_unit", str(tree.dept_a.pk))
        page.check("#id_applicant_type_0")
        page.fill("#id_name", "王小明")
        page.select_option("#id_id_type", "resident")
        page.fill("#id_id_number", resident_id())
        page.fill("#id_phone", "13905781234")
        page.fill("#id_email", "wxm@example.cn")
        page.fill("#id_address", "浙江省丽水市松阳县西屏街道长松路18号")
        page.fill("#id_description", "请公开2025年度松阳县养老服务补贴发放情况")
        page.select_option("#id_preferred_format", "email")
        page.select_option("#id_delivery", "online")
        label = page.locator("label[for=id_human]").inner_text()
        a, b = map(int, re.search(r"(\d+) 加 (\d+)", label).groups())
        page.fill("#id_human", str(a + b))
        page.check("#id_confirm")
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_url("**/requests/receipt/")
        # received Thu 9/17: 9/18=1, 9/20(班)=2, 9/21–24=3..6, 9/28–30=7..9, 10/8–9=10,11, 10/10(班)=12,
        # 10/12–16=13..17, 10/19–21=18..20
        assert "2026年10月21日" in page.content()
        assert_accessible(page, context="receipt")
        code = page.locator(".tracking-code strong").inner_text()
        page.get_by_role("link", name="查看办理进度").click()
        assert_accessible(page, context="status")

        # --- the handler asks for a correction ---------------------------------------------
        ed = staff_page(browser, live_server, "mz_editor")
        ed.goto("/workbench/requests/")
        ed.get_by_role("link", name=code).click()
        assert "2026-10-21" in due_on_page(ed)
        act(ed, "分配承办人", {}, select={"#id_assign-handler": str(tree.editor_a.pk)})
        act(ed, "补正告知", {"#id_correction-items": "请写明所需补贴的类别和乡镇范围"})
        assert "已完成：补正告知" in ed.content() and "补正申请告知书" in ed.content()

        # --- corrected on Tue 9/22: the 20 days run again ----------------------------------
        clock.move_to(dt.datetime(2026, 9, 22, 10, 0, tzinfo=CST))
        ed.reload()
        act(ed, "登记收到补正", {"#id_corrected-corrected_on": "2026-09-22"})
        # 9/23–24=1,2, 9/28–30=3..5, 10/8–9=6,7, 10/10(班)=8, 10/12–16=9..13, 10/19–23=14..18, 10/26–27=19,20
        assert "2026-10-27" in due_on_page(ed)

        # --- consultation of a third party 9/24 → answer 10/9 (pause of 5 working days) -------
        clock.move_to(dt.datetime(2026, 9, 24, 10, 0, tzinfo=CST))
        ed.reload()
        act(
            ed,
            "征求意见",
            {
                "#id_consult-recipient": "松阳县康乐养老服务中心",
                "#id_consult-question": "是否同意公开贵单位获得的补贴金额",
                "#id_consult-sent_on": "2026-09-24",
            },
        )
        assert "2026-10-27" in due_on_page(ed) and "暂停计时" in due_on_page(ed)
        clock.move_to(dt.datetime(2026, 10, 9, 10, 0, tzinfo=CST))
        ed.reload()
        act(
            ed,
            "登记征求意见结果",
            {"#id_answer-answered_on": "2026-10-09", "#id_answer-answer": "同意公开"},
            select={"#id_answer-opinion": "agree"},
        )
        # paused 9/28, 9/29, 9/30, 10/8, 10/9 → 10/28, 10/29, 10/30, 11/2, 11/3
        assert "2026-11-03" in due_on_page(ed)

        # --- extension of 10 working days, approved by the leader ----------------------------
        act(ed, "申请延期", {"#id_extension-days": "10", "#id_extension-reason": "需汇总十个乡镇的数据"})
        url = ed.url
        ld = staff_page(browser, live_server, "mz_leader")
        ld.goto(url)
        act(ld, "审批延期", {}, check=("#id_extension_decide-decision_0",))
        # 11/4–6=1..3, 11/9–13=4..8, 11/16–17=9,10
        assert "2026-11-17" in due_on_page(ld)
        assert "延期答复告知书" in ld.content()

        # --- the reply: drafted by the handler, signed off by the reviewer, with its letter -------------
        clock.move_to(dt.datetime(2026, 10, 20, 10, 0, tzinfo=CST))
        ed.reload()
        assert ed.locator("summary", has_text="作出答复").count() == 0  # this unit's replies need sign-off
        act(
            ed,
            "答复报签",
            {"#id_submit_reply-reason": "现将2025年度养老服务补贴发放汇总表提供给您。"},
            select={"#id_submit_reply-outcome": "public"},
        )
        assert "答复待签发" in ed.content() and ed.locator("summary", has_text="签发答复").count() == 0
        rv = staff_page(browser, live_server, "mz_reviewer")
        rv.goto(url)
        assert "现将2025年度养老服务补贴发放汇总表提供给您" in rv.content()
        act(rv, "签发答复", {"#id_approve_reply-note": "同意"})
        assert "已答复" in rv.content() and "政府信息公开申请答复书" in rv.content()

        # --- the applicant sees the trail, the due date and the letters --------------------------
        page.reload()
        body = page.content()
        assert "已答复" in body and "补正告知" in body and "征求意见" in body and "延期答复" in body
        assert "政府信息公开申请答复书" in body and "补正申请告知书" in body and "延期答复告知书" in body
        assert "征求意见函" not in body  # the consultation letter went to the third party only
        assert "13905781234" not in body
        assert_accessible(page, context="status with letters")
        with page.expect_download() as dl:
            page.get_by_role("link", name="DOCX").last.click()
        assert dl.value.suggested_filename.endswith(".docx")


def test_queue_tabs_have_markup_and_an_active_state(browser, live_server, tree):
    """The queue's views are tabs: no bullets, separated, the current one marked (aria-current, style)."""
    from gongkai.requests import services
    from tests.requests.conftest import person

    services.request_submit(unit=tree.dept_a, data=person())
    pg = staff_page(browser, live_server, "mz_editor")
    for width in (1280, 390):
        pg.set_viewport_size({"width": width, "height": 900})
        pg.goto("/workbench/requests/?view=overdue")
        tabs = pg.locator("nav.tabs a")
        assert tabs.count() >= 7
        assert pg.eval_on_selector("nav.tabs ul", "ul => getComputedStyle(ul).listStyleType") == "none"
        current = pg.locator('nav.tabs a[aria-current="page"]')
        assert current.count() == 1 and current.inner_text() == "逾期"
        other = tabs.first
        style = "a => [getComputedStyle(a).fontWeight, getComputedStyle(a).color, getComputedStyle(a).borderTopStyle]"
        assert current.evaluate(style) != other.evaluate(style)
        first, second = tabs.nth(0).bounding_box(), tabs.nth(1).bounding_box()
        assert second["x"] >= first["x"] + first["width"]  # side by side, not glued
        assert abs(second["y"] - first["y"]) < 2
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
    pg.locator("nav.tabs a", has_text="全部在办").click()
    pg.wait_for_load_state()
    assert pg.locator('nav.tabs a[aria-current="page"]').inner_text() == "全部在办"
    pg.screenshot(path="/tmp/requests-queue-tabs.png")

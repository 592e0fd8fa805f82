"""Done-when flows in a real browser (Debian chromium), with axe checks on the public pages."""

import datetime as dt
import re

import pytest

from gongkai.interaction import services
from gongkai.interaction.models import Appeal, AppealStatus, FaqEntry
from tests.conftest import assert_accessible
from tests.factories import PASSWORD, build_org_tree

from .conftest import ensure_default_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_human_check(page):
    label = page.locator("label[for=id_human_check]").inner_text()
    a, b = map(int, re.findall(r"\d+", label)[:2])
    page.fill("#id_human_check", str(a + b))


def staff_page(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.goto("/staff/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", PASSWORD)
    pg.click("main button[type=submit]")
    pg.wait_for_url("**/workbench/**")
    return pg


def test_citizen_asks_follows_and_rates_department_answers_and_publishes(page, browser, live_server):
    tree = build_org_tree()
    ensure_default_types()
    services.faq_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        question="低保怎么申请？",
        answer="向户籍所在地乡镇（街道）提出书面申请，也可通过“浙里办”在线申请。",
        topics=["低保"],
    )
    # 1. the citizen starts typing and gets suggestions
    page.goto("/interaction/")
    assert_accessible(page, context="interaction index")
    page.click("text=提交留言")
    page.check("text=咨询")
    page.type("#id_title", "最低生活保障怎么申请", delay=20)
    page.wait_for_selector("#suggestions details summary:has-text('低保怎么申请？')")
    assert_accessible(page, context="submit form with suggestions")
    # 2. the answer does not cover it: submit an appeal
    page.fill("#id_content", "我母亲户籍在古市镇，但常住县城，可以在县城申请低保吗？")
    page.fill("#id_name", "吴秀英")
    page.fill("#id_phone", "13905781234")
    assert not page.is_checked("#id_publish_consent")  # an explicit, separate opt-in
    page.check("#id_publish_consent")
    answer_human_check(page)
    page.click("#submit-appeal")
    page.wait_for_selector("#tracking-code")
    code = page.locator("#tracking-code").inner_text()
    assert page.locator("#status").inner_text() == "已接收"
    assert_accessible(page, context="tracking page")
    appeal = Appeal.objects.get(tracking_code=code)

    # 3. the disclosure office accepts and assigns; the department answers, publishes and adds it to the FAQ
    office = staff_page(browser, live_server, "gkb")
    office.goto(f"/workbench/interaction/appeals/{appeal.pk}/")
    office.click("form[action$='/act/accept/'] button[type=submit]")
    office.click("summary:has-text('分拨')")
    office.select_option("#id_assign-unit", str(tree.dept_a.pk))
    office.click("form[action$='/act/assign/'] button[type=submit]")
    office.wait_for_selector("#status:has-text('已分拨')")
    dept = staff_page(browser, live_server, "mz_reviewer")
    dept.goto(f"/workbench/interaction/appeals/{appeal.pk}/")
    assert "13905781234" in dept.content()  # the assigned handler sees contact data
    dept.click("summary:has-text('答复')")
    dept.fill(
        "#id_answer-answer", "吴秀英您好：可以向经常居住地的西屏街道申请，需提供居住证明。联系电话13905781234已登记。"
    )
    dept.click("form[action$='/act/answer/'] button[type=submit]")
    dept.wait_for_selector("#status:has-text('已反馈')")

    # 4. the citizen follows it, sees the answer and rates it
    page.reload()
    assert "西屏街道申请" in page.locator("#answer").inner_text()
    page.check("#id_speed_0")
    page.check("#id_outcome_0")
    page.check("#id_attitude_1")
    page.click("text=提交评价")
    page.wait_for_selector("#status:has-text('已办结')")
    assert Appeal.objects.get(pk=appeal.pk).rating_attitude == 4

    # 5. the department publishes the masked answer and promotes it into the FAQ
    dept.goto(f"/workbench/interaction/appeals/{appeal.pk}/")
    dept.click("summary:has-text('在门户公开')")
    assert "13905781234" not in dept.input_value("#id_publish-public_answer")
    dept.click("form[action$='/act/publish/'] button[type=submit]")
    dept.wait_for_selector("text=已完成：在门户公开")
    dept.click("form[action$='/act/promote/'] button[type=submit]")
    dept.wait_for_selector("text=已收入常见问题库")
    entry = FaqEntry.objects.get(source_appeal=appeal)
    assert "13905781234" not in entry.answer and "吴秀英" not in entry.answer

    page.goto(f"/interaction/appeals/{appeal.pk}/")
    assert "13905781234" not in page.content() and "吴秀英" not in page.content()
    assert_accessible(page, context="published appeal")
    page.goto("/interaction/faq/?q=户籍不在本地能申请低保吗")
    assert_accessible(page, context="faq search")
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.CLOSED


def test_consultation_from_opening_to_feedback_report(page, browser, live_server):
    tree = build_org_tree()
    staff = staff_page(browser, live_server, "mz_editor")
    staff.goto("/workbench/interaction/consultations/new/")
    staff.select_option("#id_unit", str(tree.dept_a.pk))
    staff.fill("#id_title", "松阳县临时救助实施细则（征求意见稿）")
    staff.fill("#id_draft", "<p>第一条 为规范临时救助工作……</p>")
    staff.fill("#id_explanation", "<p>起草背景和主要内容……</p>")
    today = dt.date.today()
    staff.fill("#id_opens_on", today.isoformat())
    staff.fill("#id_closes_on", (today + dt.timedelta(days=30)).isoformat())
    staff.click("main form button[type=submit]")
    staff.wait_for_selector("#status:has-text('草稿')")
    c_url = staff.url
    leader = staff_page(browser, live_server, "mz_leader")
    leader.goto(c_url)
    leader.click("text=发布并开始征集")
    leader.wait_for_selector("#status:has-text('征集中')")

    page.goto("/interaction/consultations/")
    assert_accessible(page, context="consultation list")
    page.click("text=松阳县临时救助实施细则（征求意见稿）")
    page.fill("#id_content", "建议把因病致贫家庭纳入临时救助范围。")
    page.fill("#id_author_name", "陈明")
    answer_human_check(page)
    page.click("text=提交意见")
    page.wait_for_selector("text=意见已提交")
    assert_accessible(page, context="consultation detail")

    staff.goto("/workbench/interaction/moderation/")
    staff.click("button:has-text('通过')")
    staff.wait_for_selector("text=没有待审核的意见")
    leader.goto(c_url)
    leader.click("text=结束征集")
    leader.wait_for_selector("#status:has-text('已结束')")
    leader.click("#comments ~ table a:has-text('采纳情况')")
    leader.select_option("#id_adoption-adoption", "partly")
    leader.fill("#id_adoption-note", "因病致贫家庭已纳入，其他情形按现行规定办理")
    leader.click("main form button[type=submit]")
    leader.wait_for_selector("text=已保存采纳情况")
    leader.click("summary:has-text('发布反馈报告')")
    leader.fill("#id_report-report", "本次共收到意见1条，部分采纳1条。")
    leader.click("form[action$='/act/report/'] button[type=submit]")
    leader.wait_for_selector("#status:has-text('已反馈')")

    page.goto("/interaction/consultations/?state=reported")
    page.click("text=松阳县临时救助实施细则（征求意见稿）")
    assert "部分采纳 1 条" in page.locator("#report-figures").inner_text()
    assert "陈**" in page.content() and "因病致贫家庭已纳入" in page.content()
    assert_accessible(page, context="consultation with report")

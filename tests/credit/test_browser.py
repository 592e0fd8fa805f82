"""The acceptance scenario in headless Chromium: a penalty decided on 2026-02-13 shows its
publication due date 2026-03-02, is public during its display period and disappears from the
portal when the period ends; public pages of the three apps pass axe."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gongkai.credit import services as credit_services
from tests.conftest import assert_accessible
from tests.credit.factories import natural_person, penalty_data
from tests.factories import build_org_tree, unit_clerk
from tests.opendata.factories import published_dataset
from tests.standards import putuo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=True)


def test_penalty_due_date_and_end_of_display(page, login_page):
    tree = build_org_tree()
    with at("2026-02-27"):
        p = credit_services.record_create(
            actor=tree.editor_a,
            kind="penalty",
            unit=tree.dept_a,
            data=penalty_data(display_until="2026-06-01"),  # ordinary: at least 3 months (2026-05-13)
        )
        credit_services.record_create(
            actor=tree.editor_a,
            kind="penalty",
            unit=tree.dept_a,
            publish=True,
            data=penalty_data(decision_number="松市监处罚〔2026〕13号", **natural_person()),
        )
        login_page("mz_editor")
        page.goto(f"/workbench/credit/penalty/{p.pk}/")
        assert page.locator("#due").inner_text() == "2026-03-02"
        page.click("form[action$='/act/publish/'] button")
        assert page.locator("#state").inner_text() == "已公示"
    with at("2026-05-20"):
        page.goto("/credit/?kind=penalty")
        assert page.get_by_role("link", name="松阳县望松茶叶专业合作社").is_visible()
        assert page.get_by_role("link", name="欧**华").is_visible()
        assert_accessible(page, context="credit list")
        page.get_by_role("link", name="松阳县望松茶叶专业合作社").click()
        assert "2026-06-01" in page.locator("dl.facts").inner_text()
        assert_accessible(page, context="penalty detail")
    with at("2026-06-02"):
        page.goto("/credit/?kind=penalty")
        assert page.get_by_role("link", name="松阳县望松茶叶专业合作社").count() == 0
        assert page.goto(f"/credit/penalties/{p.pk}/").status == 404


def test_open_data_and_standards_pages(page):
    tree = build_org_tree()
    ds = published_dataset(tree.editor_a, tree.dept_a)
    putuo.build(unit_clerk(tree.county), tree.county)
    page.goto("/opendata/")
    assert page.get_by_role("link", name="松阳县公交站点信息").is_visible()
    assert_accessible(page, context="open data list")
    page.goto(ds.get_absolute_url())
    assert page.get_by_role("table", name="前几行预览").first.is_visible()
    assert_accessible(page, context="dataset")
    page.goto("/standards/")
    assert "国家标准 46 项" in page.locator("#counts").inner_text()
    assert_accessible(page, context="standard system")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/standards/")
    assert page.get_by_role("heading", name="普陀区政府信息主动公开标准体系").is_visible()

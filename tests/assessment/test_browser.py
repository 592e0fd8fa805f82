"""Browser tests (Debian chromium): the public results page passes axe; the office's dashboard
draws its charts with the vendored ECharts and keeps the table views."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from gongkai.assessment import services
from gongkai.assessment.models import IndicatorSet
from tests.conftest import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(tree):
    website = IndicatorSet.objects.get(name="政府网站检查指标", version=1)
    period = services.period_create(
        actor=tree.office,
        indicator_set=website,
        root=tree.county,
        name="2026年第四季度",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
        units=[tree.dept_a, tree.dept_b],
        seed=1,
    )
    services.period_refresh_inputs(actor=tree.office, period=period)
    a = period.assessees.get(unit=tree.dept_a)
    services.score_manual(actor=tree.office, assessee=a, indicator=website.indicators.get(code="2.1"), points=D(12))
    services.period_rank(actor=tree.office, period=period)
    return services.period_publish(actor=tree.office, period=period)


def test_public_results_are_accessible_and_link_the_csv(page, published, tree):
    page.goto("/assessment/")
    page.get_by_role("link", name="2026年第四季度 · 政府网站检查指标").click()
    page.wait_for_url(f"**/assessment/{published.pk}/")
    assert page.locator("table tbody tr").count() == 2
    assert page.get_by_role("link", name="下载 CSV").is_visible()
    assert_accessible(page, context="results")


def test_office_dashboard_draws_charts_with_table_views(page, tree):
    from gongkai.monitoring.models import Finding, Site

    site = Site.objects.create(
        name="县民政局网站", home_url="http://127.0.0.1:9/mz/", domain="127.0.0.1", unit=tree.dept_a
    )
    Finding.objects.create(
        site=site,
        unit=tree.dept_a,
        rule="home_not_updated",
        severity="veto",
        url=site.home_url,
        evidence="首页超过2周未更新",
        fingerprint="x",
    )
    page.goto("/staff/login/")
    page.fill("#id_username", tree.office.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/workbench/**")
    page.goto("/workbench/assessment/")
    assert page.get_by_role("heading", name="督查看板").is_visible()
    assert page.locator("text=今日单项否决问题").count() == 1
    page.wait_for_selector("#chart-units svg")  # vendored ECharts (reports app), no CDN
    page.get_by_text("表格视图").first.click()
    assert (
        page.get_by_role("row", name="松阳县民政局 1 0 1").count() == 1
        or page.locator("table:has-text('松阳县民政局')").count() >= 1
    )

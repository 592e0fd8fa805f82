"""Browser tests (Debian chromium): public pages pass axe, charts render, the officer's flow works."""

import pytest

from gongkai.reports import services
from tests.conftest import assert_accessible
from tests.factories import PASSWORD

from .conftest import fill_manual

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def published(tree, county_records):
    report = fill_manual(services.report_generate(actor=tree.office, unit=tree.county, year=2025), tree.office)
    return services.report_publish(actor=tree.office, report=report)


def test_public_archive_report_and_statistics_are_accessible(page, published):
    page.goto("/reports/")
    assert page.get_by_role("link", name=published.title).is_visible()
    assert_accessible(page, context="archive")
    page.get_by_role("link", name=published.title).click()
    page.wait_for_url(f"**/reports/{published.pk}/")
    assert page.locator("table.report-table").count() == 4 + 1 + 1
    assert_accessible(page, context="report")
    page.goto("/reports/statistics/?year=2025")
    # ECharts (vendored, no CDN) draws an SVG in each chart that has data
    page.wait_for_selector("#chart-requests_by_outcome svg")
    assert page.locator("#chart-requests_by_applicant svg").count() == 1
    assert page.get_by_role("link", name="下载 CSV").count() >= 2
    assert_accessible(page, context="statistics")


def login(page, username):
    # (the shared login_page fixture clicks the first submit button on the page, which is in the toolbar)
    page.goto("/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workbench/**")


def test_officer_reviews_traces_and_sees_dashboard(page, tree, county_records):
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    login(page, "gkb")
    page.goto(f"/workbench/reports/{report.pk}/")
    assert page.get_by_text("一＋二＝三（七）＋四").first.is_visible()
    page.locator(f"a[href='/workbench/reports/{report.pk}/trace/t3/open/natural/']").click()
    page.wait_for_url("**/trace/t3/open/natural/")
    assert page.locator("tbody tr").count() == 3
    page.goto("/workbench/reports/statistics/?year=2025")
    page.wait_for_selector("#chart-requests_by_outcome svg")

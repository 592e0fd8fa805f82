"""Every staff page of both apps renders for the office after a crawl, a period and a bulletin
(and refuses another unit's staff); the public pages render without personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.assessment import services
from gongkai.assessment.models import IndicatorSet
from gongkai.monitoring import loopback
from gongkai.monitoring import services as monitoring
from gongkai.monitoring.models import Finding
from tests.monitoring.conftest import AS_OF, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(farm, tree):
    url = publish(farm, loopback.SiteSpec("/mz", age_days={"tzgg": 400}, extra_article="<p>13905781234</p>"))
    site = monitoring.site_register(actor=tree.office, home_url=url, name="县民政局网站", unit=tree.dept_a)
    monitoring.crawl_sites([site.pk], as_of=AS_OF)
    for f in Finding.objects.filter(site=site, rule="personal_data"):
        monitoring.finding_confirm(actor=tree.office, finding=f)
    account = monitoring.account_register(
        actor=tree.office, unit=tree.dept_a, platform="wechat", name="松阳民政", account_id="gh1"
    )
    website = IndicatorSet.objects.get(name="政府网站检查指标", version=1)
    period = services.period_create(
        actor=tree.office,
        indicator_set=website,
        root=tree.county,
        name="Q4",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
    )
    services.period_refresh_inputs(actor=tree.office, period=period)
    services.period_rank(actor=tree.office, period=period)
    bulletin = services.bulletin_draft(actor=tree.office, root=tree.county, period=period, title="通报")
    rect = services.rectification_create(actor=tree.office, unit=tree.dept_a, problems="泄露手机号码")
    return {
        "site": site,
        "account": account,
        "period": period,
        "bulletin": bulletin,
        "rect": rect,
        "set": website,
        "finding": Finding.objects.filter(site=site).first(),
        "assessee": period.assessees.first(),
    }


def test_every_staff_page_renders_for_the_office(world, tree, client_for):
    c = client_for(tree.office)
    w = world
    urls = [
        "/workbench/monitoring/",
        f"/workbench/monitoring/sites/{w['site'].pk}/",
        "/workbench/monitoring/findings/",
        "/workbench/monitoring/findings/?status=confirmed&rule=personal_data&severity=deduction",
        f"/workbench/monitoring/findings/{w['finding'].pk}/",
        "/workbench/monitoring/accounts/",
        f"/workbench/monitoring/accounts/{w['account'].pk}/",
        "/workbench/monitoring/words/",
        "/workbench/assessment/",
        "/workbench/assessment/sets/",
        f"/workbench/assessment/sets/{w['set'].pk}/",
        "/workbench/assessment/periods/",
        f"/workbench/assessment/periods/{w['period'].pk}/",
        f"/workbench/assessment/assessees/{w['assessee'].pk}/",
        f"/workbench/assessment/bulletins/{w['bulletin'].pk}/",
        "/workbench/assessment/rectifications/",
        f"/workbench/assessment/rectifications/{w['rect'].pk}/",
        "/workbench/assessment/templates/?kind=letter",
        f"/workbench/assessment/periods/{w['period'].pk}/act/sample/",
        "/workbench/",
    ]
    for url in urls:
        r = c.get(url)
        assert r.status_code == 200, url
        assert "13905781234" not in r.content.decode(), url


def test_another_units_staff_are_refused(world, tree, client_for):
    c = client_for(tree.editor_b)
    w = world
    for url in [
        f"/workbench/monitoring/sites/{w['site'].pk}/",
        f"/workbench/monitoring/findings/{w['finding'].pk}/",
        f"/workbench/monitoring/accounts/{w['account'].pk}/",
        f"/workbench/assessment/rectifications/{w['rect'].pk}/",
        "/workbench/assessment/",
        "/workbench/assessment/sets/",
        "/workbench/monitoring/words/",
    ]:
        assert c.get(url).status_code == 403, url
    page = c.get("/workbench/monitoring/findings/").content.decode()
    assert "县民政局网站" not in page


def test_bad_input_is_a_clear_error_not_a_500(world, tree, client_for, api_for):
    c = client_for(tree.office)
    assert c.post("/workbench/monitoring/", {"name": "", "home_url": "not a url"}).status_code == 400
    assert (
        c.post("/workbench/assessment/periods/", {"name": "x", "start": "2026-12-31", "end": "2026-01-01"}).status_code
        == 400
    )
    assert (
        c.post(
            "/workbench/assessment/templates/", {"kind": "letter", "title": "督办函", "body": "{% if %}"}
        ).status_code
        == 400
    )
    assert c.get("/workbench/assessment/documents/bogus/1.pdf").status_code == 404
    assert c.get("/workbench/monitoring/findings/?site=abc").status_code == 200
    api = api_for(tree.office)
    assert (
        api.post(
            "/api/v1/monitoring/sites/", {"name": "x", "home_url": "ftp://x", "unit": tree.dept_a.pk}, format="json"
        ).status_code
        == 400
    )
    assert api.get("/api/v1/monitoring/findings/abc/").status_code == 404
    r = api.post(
        "/api/v1/monitoring/sites/",
        {"name": "县人社局网站", "home_url": "http://rs.example.cn", "unit": tree.dept_b.pk},
        format="json",
    )
    assert r.status_code == 201 and r.json()["home_url"] == "http://rs.example.cn/"

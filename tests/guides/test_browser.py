"""Issue 16 "done when", in a real browser (Debian chromium), with axe on every public page visited."""

import datetime as dt

import pytest

from gongkai.benefits import services as benefits
from gongkai.benefits.models import Attribute
from gongkai.guides import services
from tests.conftest import assert_accessible
from tests.factories import build_org_tree, unit_clerk

from .conftest import COMPLETE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    tree = build_org_tree()
    minzheng, county_clerk = unit_clerk(tree.dept_a), unit_clerk(tree.county)
    guide = services.guide_create(actor=minzheng, unit=tree.dept_a, data=COMPLETE)
    version = services.guide_version_submit(actor=minzheng, version=guide.versions.get())
    services.guide_version_publish(actor=minzheng, version=version)
    services.guide_wording_save(
        actor=minzheng,
        guide=guide,
        everyday_name="准生证",
        aliases=["生育服务证"],
        plain={"conditions": "准备生孩子的夫妻都可以登记"},
    )
    for name, lng, lat in [("县行政服务中心", 119.4836, 28.4506), ("古市镇便民服务中心", 119.40, 28.528)]:
        services.point_save(
            actor=county_clerk,
            unit=tree.county,
            data={"name": name, "address": name, "township": tree.town_b if "古市" in name else tree.town_a},
            lng=lng,
            lat=lat,
        )
    services.event_save(
        actor=tree.office,
        unit=tree.county,
        data={"slug": "have-a-baby", "title": "我要生孩子", "keywords": "孩子出生,新生儿", "is_published": True},
        steps=[
            {"kind": "guide", "guide": guide, "title": "先做生育登记"},
            {"kind": "note", "title": "其他", "note": "可咨询12345"},
        ],
    )
    policy = benefits.policy_save(actor=minzheng, unit=tree.dept_a, data={"title": "促进就业政策"})
    for title, criteria in [
        ("高新技术企业认定奖励", [("registered_in", "in", ["松阳县"]), ("high_tech", "eq", "是")]),
        ("技术改造补助", [("registered_in", "in", ["松阳县"]), ("annual_revenue", "ge", "2000")]),
    ]:
        item = benefits.item_save(
            actor=minzheng,
            policy=policy,
            data={
                "title": title,
                "category": "subsidy",
                "audience": "enterprise",
                "valid_until": dt.date.today() + dt.timedelta(days=90),
            },
        )
        for code, op, value in criteria:
            benefits.criterion_add(
                actor=minzheng, item=item, attribute=Attribute.objects.get(code=code), operator=op, value=value
            )
        benefits.item_publish(actor=minzheng, item=benefits.item_submit(actor=minzheng, item=item))
    return tree, guide


def test_resident_and_enterprise_done_when(page, county):
    _tree, guide = county
    page.goto("/guides/")
    assert_accessible(page, context="guides index")
    page.fill("#q", "准生证")
    page.click("form.guide-search button[type=submit]")
    page.click("ol.guide-hits a")
    assert "准生证" in page.inner_text("main") and "准备生孩子的夫妻都可以登记" in page.inner_text("main")
    assert_accessible(page, context="guide detail")
    pdf = page.request.get(page.locator("a[href$='short.pdf']").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    page.goto("/guides/")
    page.fill("#q", "孩子出生后要办哪些证")
    page.click("form.guide-search button[type=submit]")
    assert "生育登记" in page.inner_text("ol.guide-hits") and "我要生孩子" in page.inner_text("main")

    page.goto("/guides/events/have-a-baby/")
    assert page.inner_text("ol.event-steps").index("先做生育登记") < page.inner_text("ol.event-steps").index(
        "可咨询12345"
    )
    assert_accessible(page, context="life event")

    page.goto("/guides/points/")
    page.fill("#id_address", "古市镇")
    page.click("#point-filters button[type=submit]")
    first = page.locator("ol.point-list > li").first
    assert "古市镇便民服务中心" in first.inner_text() and "最近" in first.inner_text()
    page.wait_for_selector("#point-map .leaflet-interactive")  # the markers are drawn on the vendored Leaflet map
    assert_accessible(page, context="service-point map")

    page.goto("/benefits/match/")
    page.select_option("#f-registered_in", "松阳县")
    page.check("input[name=high_tech][value=是]")
    page.click("form.card button[type=submit]")
    results = page.inner_text("ol.match-results")
    assert "高新技术企业认定奖励" in results and "符合：高新技术企业 = 是" in results
    assert "需要补充：上年营业收入" in results
    assert_accessible(page, context="matcher results")

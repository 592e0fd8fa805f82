"""惠企利民: criteria as data, the matcher, item and batch state machines, masking, expiry, profiles."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.benefits import matcher, privacy, selectors, services
from gongkai.benefits.models import Attribute, BatchState, ItemState, Profile
from gongkai.core.transitions import TransitionRefused

pytestmark = pytest.mark.django_db


def A(code):
    return Attribute.objects.get(code=code)


@pytest.fixture
def item(tree):
    policy = services.policy_save(
        actor=tree.editor_a, unit=tree.dept_a, data={"title": "松阳县促进工业经济高质量发展若干政策"}
    )
    item = services.item_save(
        actor=tree.editor_a,
        policy=policy,
        data={
            "title": "小微企业吸纳就业社保补贴",
            "category": "subsidy",
            "audience": "enterprise",
            "valid_until": dt.date.today() + dt.timedelta(days=60),
        },
    )
    services.criterion_add(
        actor=tree.editor_a, item=item, attribute=A("registered_in"), operator="in", value=["松阳县"]
    )
    services.criterion_add(actor=tree.editor_a, item=item, attribute=A("employees"), operator="le", value="300")
    services.criterion_add(actor=tree.editor_a, item=item, attribute=A("years_founded"), operator="ge", value="2")
    services.criterion_add(actor=tree.editor_a, item=item, attribute=A("high_tech"), operator="eq", value="是")
    return item


def publish(tree, item):
    item = services.item_submit(actor=tree.editor_a, item=item)
    return services.item_publish(actor=tree.reviewer_a, item=item)


def test_matcher_answers_with_a_reason_per_criterion(tree, item):
    publish(tree, item)
    compiled = selectors.compiled_items("enterprise")
    eligible = matcher.match(
        compiled, {"registered_in": "松阳县", "employees": "45", "years_founded": "5", "high_tech": True}
    )
    assert eligible[0].status == matcher.ELIGIBLE and all(line.outcome == matcher.MET for line in eligible[0].lines)
    possible = matcher.match(compiled, {"registered_in": "松阳县", "employees": "45"})[0]
    assert possible.status == matcher.POSSIBLE and possible.missing == ["成立年限", "高新技术企业"]
    not_eligible = matcher.match(compiled, {"registered_in": "莲都区", "employees": "500", "years_founded": "5"})[0]
    assert not_eligible.status == matcher.NOT_ELIGIBLE
    assert [line.text for line in not_eligible.failed] == [
        "不符合：注册地 属于 松阳县（您填写的是 莲都区）",
        "不符合：从业人数 ≤ 300人（您填写的是 500人）",
    ]


def test_matcher_is_deterministic_and_status_only_agrees(tree, item):
    publish(tree, item)
    compiled = selectors.compiled_items()
    facts = {"registered_in": "松阳县", "employees": "300", "years_founded": "2", "high_tech": "是"}
    assert matcher.match(compiled, facts) == matcher.match(compiled, dict(facts))
    assert matcher.status_only(compiled, facts) == [(item.pk, matcher.ELIGIBLE)]


@pytest.mark.parametrize(
    "code,operator,value,message",
    [
        ("employees", "le", "三百", "不是数字"),
        ("high_tech", "eq", "大概", "不是“是”或“否”"),
        ("high_tech", "gt", "是", "只能用"),
        ("registered_in", "gt", "松阳县", "不能比较大小"),
        ("employees", "in", "1,2", "不能用“属于”"),
    ],
)
def test_impossible_criteria_are_refused(tree, item, code, operator, value, message):
    with pytest.raises(ValidationError, match=message):
        services.criterion_add(actor=tree.editor_a, item=item, attribute=A(code), operator=operator, value=value)


def test_resident_attribute_on_enterprise_item_is_refused(tree, item):
    with pytest.raises(ValidationError):
        services.criterion_add(actor=tree.editor_a, item=item, attribute=A("age"), operator="le", value="35")


def test_publish_needs_criteria_and_the_unit_reviewer(tree, item):
    policy = services.policy_save(actor=tree.editor_a, unit=tree.dept_a, data={"title": "政策"})
    bare = services.item_save(actor=tree.editor_a, policy=policy, data={"title": "无条件事项", "category": "right"})
    bare = services.item_submit(actor=tree.editor_a, item=bare)
    with pytest.raises(TransitionRefused, match="申请条件"):
        services.item_publish(actor=tree.reviewer_a, item=bare)
    item = services.item_submit(actor=tree.editor_a, item=item)
    with pytest.raises(PermissionDenied):
        services.item_publish(actor=tree.reviewer_b, item=item)


def test_expiring_items_are_unpublished_by_the_daily_job(tree, item):
    item = publish(tree, item)
    assert services.items_expire() == 0
    with time_machine.travel(dt.date.today() + dt.timedelta(days=61)):
        from gongkai.benefits.tasks import expire_items

        assert expire_items()["expired"] == 1
    item.refresh_from_db()
    assert item.state == ItemState.EXPIRED and not selectors.published_items().exists()


def test_recipients_masked_and_display_period_computed(tree, item, client):
    item = publish(tree, item)
    batch = services.batch_create(actor=tree.editor_a, item=item, title="2025年第一批", year=2025)
    bad = services.batch_import(
        actor=tree.editor_a, batch=batch, rows=[{"名称": "张三", "金额": "abc"}, {"名称": "", "金额": "1"}]
    )
    assert [n for n, _m in bad["errors"]] == [2, 3] and not batch.recipients.exists()
    services.batch_import(
        actor=tree.editor_a,
        batch=batch,
        rows=[
            {"名称": "欧阳娜娜", "类型": "个人", "证件号码": "332529199203151234", "金额": "3600"},
            {"名称": "浙江松阳茶叶机械有限公司", "类型": "单位", "证件号码": "91331124MA2A1B2C3D", "金额": "200000"},
        ],
    )
    batch = services.batch_submit(actor=tree.editor_a, batch=batch)
    with time_machine.travel(dt.datetime(2026, 9, 28, 10, tzinfo=dt.UTC)):
        batch = services.batch_publish(actor=tree.reviewer_a, batch=batch)
    assert batch.state == BatchState.PUBLISHED and batch.display_until == dt.date(2026, 10, 5)  # 7 calendar days
    page = client.get(f"/benefits/recipients/{batch.pk}/").content.decode()
    assert "欧**娜" in page and "3325**********1234" in page and "332529199203151234" not in page
    assert "91331124MA2A1B2C3D" in page
    funds = selectors.fund_totals()
    assert funds[0]["total"] == Decimal("203600.00") and funds[0]["count"] == 2
    assert privacy.mask_name("张三") == "张*"


def test_unit_b_cannot_see_or_act(tree, item, client_for, api_for):
    assert client_for(tree.editor_b).get(f"/workbench/benefits/items/{item.pk}/").status_code == 403
    assert api_for(tree.editor_b).post(f"/api/v1/benefits/items/{item.pk}/submit/").status_code == 404
    r = api_for(tree.editor_a).post(
        f"/api/v1/benefits/items/{item.pk}/add_criterion/",
        {"attribute": A("employees").pk, "operator": "le", "value": "很多"},
        format="json",
    )
    assert r.status_code == 400 and "不是数字" in str(r.json())
    r = client_for(tree.editor_a).post(f"/workbench/benefits/items/{item.pk}/act/submit/")
    assert r.status_code == 302


def test_matcher_page_keeps_profiles_only_with_consent(tree, item, client):
    publish(tree, item)
    form = {"audience": "enterprise", "registered_in": "松阳县", "employees": "45", "high_tech": "是"}
    page = client.post("/benefits/match/", form).content.decode()
    assert "可能符合" in page and "需要补充：成立年限" in page and not Profile.objects.exists()
    client.post("/benefits/match/", {**form, "consent": "1"})
    profile = Profile.objects.get()
    assert profile.facts["employees"] == "45"
    assert client.post(f"/benefits/profile/{profile.token}/delete/").status_code == 200
    assert not Profile.objects.exists()
    bad = client.post("/benefits/match/", {**form, "employees": "四十五"})
    assert bad.status_code == 400 and "请填写数字" in bad.content.decode()


def test_match_api(tree, item, api_for):
    publish(tree, item)
    r = api_for().post(
        "/api/v1/benefits/match/",
        {
            "audience": "enterprise",
            "facts": {"registered_in": "松阳县", "employees": 45, "years_founded": 3, "high_tech": "否"},
        },
        format="json",
    )
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "not_eligible"
    assert api_for().post("/api/v1/benefits/match/", {"audience": "alien"}, format="json").status_code == 400


def test_recipient_upload_in_gbk_is_refused(tree, item, client_for):
    item = publish(tree, item)
    batch = services.batch_create(actor=tree.editor_a, item=item, title="批次", year=2025)
    data = "名称,类型,证件号码,乡镇,金额\n张三,个人,1,古市镇,100\n".encode("gbk")
    r = client_for(tree.editor_a).post(
        f"/workbench/benefits/batches/{batch.pk}/act/import/", {"import-file": SimpleUploadedFile("r.csv", data)}
    )
    assert r.status_code == 400 and "UTF-8" in r.content.decode() and not batch.recipients.exists()

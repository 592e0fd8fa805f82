"""Built-in domains and element templates; configurable templates; local domains."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue import elements as el
from gongkai.catalogue import services
from gongkai.catalogue.builtin import NATIONAL_DOMAINS
from gongkai.catalogue.models import Domain, ElementTemplate
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_26_national_domains_preloaded():
    national = Domain.objects.filter(is_national=True)
    assert national.count() == 26
    assert set(national.values_list("name", flat=True)) == {n for _, n in NATIONAL_DOMAINS}
    assert {"城乡规划", "保障性住房", "国有土地上房屋征收", "义务教育"} <= set(national.values_list("name", flat=True))


def test_builtin_templates_have_the_published_elements():
    national = [e.name for e in ElementTemplate.objects.get(key="national").ordered_elements()]
    assert national[:9] == [
        "事项名称",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "公开方式",
        "公开层级",
    ]
    assert {"五公开类别", "事项性质"} <= set(national)
    putuo = ElementTemplate.objects.get(key="putuo-9").ordered_elements()
    assert [e.name for e in putuo if e.type != "name"] == [
        "公开主体",
        "公开属性",
        "部分公开情况",
        "公开理由",
        "公开依据",
        "公开形式",
        "公开时限",
        "公开平台",
        "公开载体",
    ]
    haizhu = ElementTemplate.objects.get(key="haizhu-8").ordered_elements()
    assert [e.name for e in haizhu] == [
        "事项名称",
        "设立依据",
        "内容要求",
        "公开主体",
        "公开方式",
        "公开时限",
        "“五公开”类别",
        "事项性质",
    ]
    audience = next(e for e in ElementTemplate.objects.get(key="national").ordered_elements() if e.key == "audience")
    assert audience.allowed_values == ["全社会", "特定群体"]


def test_office_creates_local_domain_audited(tree):
    domain = services.domain_create(actor=tree.office, owner_unit=tree.county, name="茶产业发展")
    assert not domain.is_national and domain.owner_unit == tree.county
    assert AuditEvent.objects.filter(action="catalogue.domain.create", object_id=str(domain.pk)).exists()
    with pytest.raises(ValidationError):
        services.domain_create(actor=tree.office, owner_unit=tree.county, name="茶产业发展")


def test_department_editor_cannot_create_domain(tree):
    with pytest.raises(PermissionDenied):
        services.domain_create(actor=tree.editor_a, owner_unit=tree.dept_a, name="殡葬服务")


def test_national_domain_only_sysadmin(tree):
    domain = Domain.objects.get(name="就业")
    with pytest.raises(PermissionDenied):
        services.domain_update(actor=tree.office, domain=domain, description="x")
    services.domain_update(actor=tree.sysadmin, domain=domain, description="就业创业")
    domain.refresh_from_db()
    assert domain.description == "就业创业"


def test_template_copy_and_configure(tree, national):
    template = services.template_create(
        actor=tree.office, owner_unit=tree.county, name="松阳县十要素", copy_from=national
    )
    assert [e.key for e in template.ordered_elements()] == [e.key for e in national.ordered_elements()]
    services.element_add(actor=tree.office, template=template, name="公开栏目", type="text", required=True)
    element = template.elements.get(key="audience")
    services.element_update(actor=tree.office, element=element, allowed_values="全社会、特定群体、企业")
    element.refresh_from_db()
    assert element.allowed_values == ["全社会", "特定群体", "企业"]
    services.element_remove(actor=tree.office, element=template.elements.get(key="nature"))
    assert not template.elements.filter(key="nature").exists()
    with pytest.raises(ValidationError):
        services.element_remove(actor=tree.office, element=template.elements.get(key="name"))
    with pytest.raises(ValidationError):
        services.element_add(actor=tree.office, template=template, name="公开方式2", type="choice")  # no allowed values


def test_builtin_template_not_editable_by_office(tree, national):
    with pytest.raises(PermissionDenied):
        services.element_add(actor=tree.office, template=national, name="备注", type="text")


def test_other_unit_cannot_edit_template(tree, national):
    template = services.template_create(actor=tree.office, owner_unit=tree.county, name="县模板", copy_from=national)
    with pytest.raises(PermissionDenied):
        services.element_add(actor=tree.editor_b, template=template, name="备注", type="text")


def test_element_check_validates_and_normalises(national):
    result = el.check(
        national,
        level1="最低生活保障",
        name="办事指南",
        elements={
            "content": "条件",
            "basis": "办法",
            "subject": "民政局",
            "channel": "网站",
            "audience": "全社会、特定群体",
            "mode": "主动公开",
            "level": ["乡级", "县级"],
            "stage": "服务",
        },
        timeframe_text="信息形成或变更之日起20个工作日内",
    )
    assert result.errors == [] and result.problems == []
    assert result.elements["audience"] == ["全社会", "特定群体"]
    assert result.elements["mode"] == ["主动"]
    assert result.elements["level"] == ["县级", "乡级"]
    assert result.timeframe_rule["kind"] == "working_days"
    bad = el.check(
        national, level1="", name="", elements={"audience": "外国人", "stage": "其他"}, timeframe_text="看情况"
    )
    assert bad.errors == ["缺少事项名称（“事项名称”）"]  # the only thing that refuses an item
    text = "；".join(bad.problems)  # the rest makes it incomplete
    assert (
        "公开内容（要素）" in text
        and "外国人" in text
        and "公开时限无法识别" in text
        and "五公开类别" in text
        and "公开对象" in text
    )
    flagged = el.check(national, level1="公开事项", name="", elements={}, timeframe_text="及时公开")
    assert flagged.timeframe_rule["legal_default"] is True and "条例第二十六条" in flagged.warnings[0]


@pytest.mark.parametrize(
    ("value", "option"),
    [("特定群众", "特定群体"), ("乡、村级", "乡级"), ("镇级", "乡级"), ("区级", "县级"), ("依申请公开", "依申请")],
)
def test_real_headers_match_template_options(value, option):
    from gongkai.catalogue.builtin import AUDIENCE, LEVEL, MODE

    assert el.match_allowed(value, AUDIENCE + MODE + LEVEL) == option

"""Organisation tree: creation through services, cycles, level rules, subtree moves, workbench pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core import services
from gongkai.core.models import AuditEvent, Level, Organisation, OrgKind
from tests.factories import make_credit_code

pytestmark = pytest.mark.django_db


def _dept(parent, name, actor=None, **extra):
    return services.organisation_create(
        actor=actor,
        parent=parent,
        name=name,
        kind=extra.pop("kind", OrgKind.DEPARTMENT),
        credit_code=extra.pop("credit_code", make_credit_code()),
        **extra,
    )


def test_tree_built_through_services_has_paths_and_depths(tree):
    assert tree.province.depth == 0 and tree.province.parent is None
    assert tree.county.depth == 2
    assert tree.school.path.startswith(tree.dept_a.path)
    assert tree.school.government() == tree.county
    assert list(tree.school.ancestors()) == [tree.province, tree.city, tree.county, tree.dept_a]
    below_county = set(tree.county.descendants())
    assert {tree.town_a, tree.town_b, tree.dept_a, tree.dept_b, tree.school} < below_county
    assert tree.city not in below_county
    assert tree.county.is_ancestor_of(tree.school)
    assert not tree.dept_a.is_ancestor_of(tree.dept_b)


def test_department_inherits_level_of_parent(tree):
    stats = _dept(tree.town_a, "西屏街道综合办公室")
    assert stats.level == Level.TOWNSHIP


def test_create_writes_one_audit_event(tree):
    before = AuditEvent.objects.count()
    org = _dept(tree.county, "松阳县统计局", actor=tree.office)
    events = AuditEvent.objects.filter(action="organisation.create", object_id=str(org.pk))
    assert AuditEvent.objects.count() == before + 1
    assert events.get().actor == tree.office
    assert events.get().after["name"] == "松阳县统计局"


@pytest.mark.parametrize(
    ("parent_attr", "level", "ok"),
    [
        ("county", Level.TOWNSHIP, True),
        ("county", Level.COUNTY, False),  # a county government under a county
        ("county", Level.CITY, False),
        ("city", Level.TOWNSHIP, False),  # skipping a level
        ("town_a", Level.TOWNSHIP, False),  # townships are the lowest government level
    ],
)
def test_government_level_rules(tree, parent_attr, level, ok):
    parent = getattr(tree, parent_attr)
    call = lambda: services.organisation_create(  # noqa: E731
        actor=None, parent=parent, name="新兴镇", kind=OrgKind.GOVERNMENT, level=level, credit_code=make_credit_code()
    )
    if ok:
        assert call().level == level
    else:
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert "政府层级应为上级政府的下一级" in str(excinfo.value)


def test_government_cannot_hang_below_a_department(tree):
    with pytest.raises(ValidationError, match="人民政府的上级单位必须是上一级人民政府"):
        services.organisation_create(
            actor=None,
            parent=tree.dept_a,
            name="某镇",
            kind=OrgKind.GOVERNMENT,
            level=Level.TOWNSHIP,
            credit_code=make_credit_code(),
        )


def test_department_level_must_match_parent(tree):
    with pytest.raises(ValidationError, match="层级应与上级单位相同"):
        _dept(tree.county, "错误层级的部门", level=Level.TOWNSHIP)


def test_department_needs_a_parent():
    with pytest.raises(ValidationError, match="必须有上级单位"):
        services.organisation_create(
            actor=None,
            parent=None,
            name="孤立部门",
            kind=OrgKind.DEPARTMENT,
            level=Level.PROVINCE,
            credit_code=make_credit_code(),
        )


def test_moving_under_itself_is_rejected(tree):
    with pytest.raises(ValidationError, match="会形成循环"):
        services.organisation_update(actor=tree.sysadmin, org=tree.dept_a, parent=tree.dept_a)


def test_moving_under_own_descendant_is_rejected(tree):
    with pytest.raises(ValidationError, match="会形成循环"):
        services.organisation_update(actor=tree.sysadmin, org=tree.dept_a, parent=tree.school)
    tree.dept_a.refresh_from_db()
    assert tree.dept_a.parent == tree.county


def test_moving_a_subtree_rewrites_all_descendant_paths(tree):
    clinic = _dept(tree.school, "松阳一中校医室", kind=OrgKind.HOSPITAL)
    # Move 县民政局 (with its school and the school's clinic) under 县人社局.
    services.organisation_update(actor=tree.office, org=tree.dept_a, parent=tree.dept_b)
    for obj in (tree.dept_a, tree.school, clinic):
        obj.refresh_from_db()
    assert tree.dept_a.path == tree.dept_b.path + f"{tree.dept_a.pk:06d}."
    assert tree.school.path == tree.dept_a.path + f"{tree.school.pk:06d}."
    assert clinic.path == tree.school.path + f"{clinic.pk:06d}."
    assert (tree.dept_a.depth, tree.school.depth, clinic.depth) == (4, 5, 6)
    assert set(tree.dept_b.descendants()) == {tree.dept_b, tree.dept_a, tree.school, clinic}
    event = AuditEvent.objects.filter(action="organisation.update", object_id=str(tree.dept_a.pk)).get()
    assert event.before["parent_id"] == tree.county.pk and event.after["parent_id"] == tree.dept_b.pk


def test_move_needs_authority_over_the_new_parent(tree):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=tree.office, org=tree.dept_a, parent=tree.city)  # city is above the office


def test_editor_cannot_change_units(tree):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=tree.editor_a, org=tree.dept_a, contact_phone="0578-1234567")
    with pytest.raises(PermissionDenied):
        _dept(tree.dept_a, "民政局下属中心", actor=tree.editor_a)


def test_only_sysadmin_creates_top_level_units(tree):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=tree.office,
            parent=None,
            name="江苏省人民政府",
            kind=OrgKind.GOVERNMENT,
            level=Level.PROVINCE,
            credit_code=make_credit_code(),
        )


def test_invalid_credit_code_gives_clear_error(tree):
    with pytest.raises(ValidationError) as excinfo:
        _dept(tree.county, "松阳县统计局", credit_code="12345")
    assert excinfo.value.message_dict["credit_code"] == ["统一社会信用代码应为18位，当前为5位"]


def test_duplicate_credit_code_rejected(tree):
    with pytest.raises(ValidationError) as excinfo:
        _dept(tree.county, "松阳县统计局", credit_code=tree.dept_a.credit_code)
    assert "credit_code" in excinfo.value.message_dict


def test_failed_create_leaves_nothing(tree):
    count, events = Organisation.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        _dept(tree.county, "", credit_code=make_credit_code())
    assert Organisation.objects.count() == count and AuditEvent.objects.count() == events


# --- Workbench pages ---------------------------------------------------------


def _form_data(**over):
    data = {
        "name": "松阳县统计局",
        "short_name": "县统计局",
        "kind": "department",
        "level": "county",
        "credit_code": make_credit_code(),
        "division_code": "",
        "contact_phone": "0578-8061111",
        "contact_email": "tjj@songyang.gov.cn",
        "address": "西屏街道紫荆路1号",
        "website": "https://www.songyang.gov.cn/",
        "office_hours": "工作日 8:30-17:00",
        "sort_order": "10",
        "is_active": "on",
    }
    data.update(over)
    return data


def test_office_creates_child_unit_in_workbench(tree, client_for):
    client = client_for(tree.office)
    url = reverse("core:org-create", args=[tree.county.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data())
    org = Organisation.objects.get(name="松阳县统计局")
    assert response.status_code == 302 and response["Location"] == reverse("core:org-detail", args=[org.pk])
    assert org.parent == tree.county
    assert AuditEvent.objects.filter(action="organisation.create", object_id=str(org.pk), actor=tree.office).exists()


def test_create_page_shows_credit_code_error(tree, client_for):
    client = client_for(tree.office)
    response = client.post(
        reverse("core:org-create", args=[tree.county.pk]), _form_data(credit_code="11331124MB12345670")
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    assert not Organisation.objects.filter(name="松阳县统计局").exists()


def test_create_page_shows_level_error_not_500(tree, client_for):
    client = client_for(tree.office)
    response = client.post(
        reverse("core:org-create", args=[tree.county.pk]), _form_data(kind="government", level="county")
    )
    assert response.status_code == 200
    assert "政府层级应为上级政府的下一级" in response.content.decode()


def test_editor_cannot_create_or_edit_in_workbench(tree, client_for):
    client = client_for(tree.editor_a)
    assert client.get(reverse("core:org-create", args=[tree.dept_a.pk])).status_code == 403
    assert client.post(reverse("core:org-create", args=[tree.dept_a.pk]), _form_data()).status_code == 403
    detail = client.get(reverse("core:org-detail", args=[tree.dept_a.pk]))
    assert detail.status_code == 200 and "编辑单位信息" not in detail.content.decode()
    response = client.post(reverse("core:org-detail", args=[tree.dept_a.pk]), _form_data(name="改名"))
    assert response.status_code == 403
    tree.dept_a.refresh_from_db()
    assert tree.dept_a.name == "松阳县民政局"


def test_office_edits_unit_in_workbench(tree, client_for):
    client = client_for(tree.office)
    url = reverse("core:org-detail", args=[tree.dept_a.pk])
    page = client.get(url).content.decode()
    assert "编辑单位信息" in page
    data = _form_data(name="松阳县民政局", credit_code=tree.dept_a.credit_code, contact_phone="0578-8069999")
    data["parent"] = str(tree.county.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    tree.dept_a.refresh_from_db()
    assert tree.dept_a.contact_phone == "0578-8069999"
    assert AuditEvent.objects.filter(action="organisation.update", object_id=str(tree.dept_a.pk)).count() == 1


def test_office_moves_unit_in_workbench_and_cycle_is_an_error(tree, client_for):
    client = client_for(tree.office)
    url = reverse("core:org-detail", args=[tree.dept_a.pk])
    data = _form_data(name="松阳县民政局", credit_code=tree.dept_a.credit_code)
    data["parent"] = str(tree.school.pk)  # own descendant: not even offered
    response = client.post(url, data)
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    data["parent"] = str(tree.dept_b.pk)
    assert client.post(url, data).status_code == 302
    tree.school.refresh_from_db()
    assert tree.school.path.startswith(tree.dept_b.path)


def test_office_can_add_units_below_its_own_unit_but_not_edit_it(tree, client_for):
    page = client_for(tree.office).get(reverse("core:org-detail", args=[tree.county.pk])).content.decode()
    assert reverse("core:org-create", args=[tree.county.pk]) in page  # 新增下级单位
    assert "编辑单位信息" not in page  # the county itself is edited by the city's office or a sysadmin

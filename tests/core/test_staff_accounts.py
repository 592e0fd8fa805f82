"""Staff account management in the workbench: create in a unit, grant and revoke roles, edit, deactivate."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.core import permissions, services
from gongkai.core.models import AuditEvent, Membership, Role, User
from gongkai.core.privacy import mask_phone
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13905781234", "139****1234"),
        ("+86 139 0578 1234", "+86 139 **** 1234"),
        ("0578-8061234", "0578-***1234"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_office_creates_user_with_roles(tree, client_for):
    client = client_for(tree.office)
    page = client.get(reverse("core:user-create") + f"?unit={tree.dept_b.pk}").content.decode()
    assert "系统管理员</label>" not in page  # the office cannot hand out the sysadmin role
    response = client.post(
        reverse("core:user-create"),
        {
            "username": "rs_editor2",
            "full_name": "赵丽",
            "unit": tree.dept_b.pk,
            "roles": ["editor", "reviewer"],
            "phone": "13905780011",
            "email": "zhaoli@songyang.gov.cn",
            "password": "Songyang-2026!",
        },
    )
    user = User.objects.get(username="rs_editor2")
    assert response.status_code == 302 and response["Location"] == reverse("core:user-detail", args=[user.pk])
    assert user.unit == tree.dept_b and user.check_password("Songyang-2026!")
    assert set(user.memberships.values_list("role", flat=True)) == {"editor", "reviewer"}
    actions = list(AuditEvent.objects.filter(actor=tree.office).order_by("id").values_list("action", flat=True))
    assert actions == ["user.create", "membership.grant", "membership.grant"]
    assert client.get(reverse("core:user-detail", args=[user.pk])).status_code == 200


def test_create_errors_are_shown(tree, client_for):
    client = client_for(tree.office)
    base = {"full_name": "赵丽", "unit": tree.dept_b.pk, "phone": "", "email": ""}
    page = client.post(reverse("core:user-create"), {**base, "username": "mz_editor", "password": ""}).content.decode()
    assert "账号 mz_editor 已存在" in page
    page = client.post(reverse("core:user-create"), {**base, "username": "new1", "password": "123"}).content.decode()
    assert "密码长度太短" in page or "This password is too short" in page
    page = client.post(reverse("core:user-create"), {**base, "username": "带 空格", "password": ""}).content.decode()
    assert "账号只能包含字母、数字和 @ . + - _" in page
    page = client.post(reverse("core:user-create"), {**base, "username": "new2", "unit": tree.city.pk}).content.decode()
    assert "选择一个有效的选项" in page  # units outside the office's oversight are not offered
    page = client.post(reverse("core:user-create"), {**base, "username": "new3", "phone": "电话"}).content.decode()
    assert "请输入有效的电话号码" in page
    assert not User.objects.filter(username__in=["new1", "new2", "new3", "带 空格"]).exists()


def test_user_without_password_cannot_log_in(tree, client):
    services.user_create(
        actor=tree.office, username="pending", password=None, full_name="待激活", unit=tree.dept_a, roles=[Role.EDITOR]
    )
    assert not User.objects.get(username="pending").has_usable_password()


def test_grant_and_revoke_in_workbench(tree, client_for):
    client = client_for(tree.office)
    url = reverse("core:user-detail", args=[tree.editor_a.pk])
    response = client.post(url, {"action": "grant", "g-unit": tree.dept_a.pk, "g-role": "reviewer"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=tree.editor_a, role="reviewer")
    assert permissions.has_role(User.objects.get(pk=tree.editor_a.pk), Role.REVIEWER, tree.dept_a)
    page = client.get(url).content.decode()
    assert "角色已授予" in page and "撤销“审核员”" in page
    response = client.post(url, {"action": "revoke", "membership": membership.pk})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert list(
        AuditEvent.objects.filter(object_type="core.membership", actor=tree.office)
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "membership.grant",
        "membership.revoke",
    ]


def test_office_cannot_grant_sysadmin_or_outside_units(tree, client_for):
    client = client_for(tree.office)
    url = reverse("core:user-detail", args=[tree.editor_a.pk])
    response = client.post(url, {"action": "grant", "g-unit": tree.dept_a.pk, "g-role": "sysadmin"})
    assert response.status_code == 200 and not Membership.objects.filter(user=tree.editor_a, role="sysadmin").exists()
    response = client.post(url, {"action": "grant", "g-unit": tree.city.pk, "g-role": "editor"})
    assert response.status_code == 200 and not Membership.objects.filter(user=tree.editor_a, unit=tree.city).exists()


def test_revoke_of_another_users_membership_is_404(tree, client_for):
    other = Membership.objects.get(user=tree.editor_b)
    response = client_for(tree.office).post(
        reverse("core:user-detail", args=[tree.editor_a.pk]), {"action": "revoke", "membership": other.pk}
    )
    assert response.status_code == 404


def test_edit_and_deactivate(tree, client_for):
    client = client_for(tree.office)
    url = reverse("core:user-detail", args=[tree.editor_a.pk])
    data = {"action": "edit", "e-full_name": "李娜", "e-unit": tree.dept_b.pk, "e-phone": "13905789999", "e-email": ""}
    assert client.post(url, data).status_code == 302  # is_active unchecked: deactivated
    user = User.objects.get(pk=tree.editor_a.pk)
    assert user.unit == tree.dept_b and user.phone == "13905789999" and not user.is_active
    event = AuditEvent.objects.get(action="user.update")
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert event.before["unit_id"] == tree.dept_a.pk and event.after["unit_id"] == tree.dept_b.pk
    # A deactivated account cannot sign in any more.
    from django.test import Client

    assert Client().post("/staff/login/", {"username": "mz_editor", "password": "pw-12345678"}).status_code == 200


def test_cannot_deactivate_yourself(tree):
    with pytest.raises(ValidationError, match="不能停用自己的账号"):
        services.user_update(actor=tree.office, user=tree.office, is_active=False)


def test_deactivated_user_gets_no_new_roles(tree):
    services.user_update(actor=tree.office, user=tree.editor_a, is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        services.membership_grant(
            actor=tree.office, user=User.objects.get(pk=tree.editor_a.pk), unit=tree.dept_a, role=Role.REVIEWER
        )


def test_security_admin_grants_sysadmin(tree):
    security = staff(tree.county, Role.SECURITY_ADMIN, username="aq_admin")
    services.membership_grant(actor=security, user=tree.office, unit=tree.county, role=Role.SYSADMIN)
    office = User.objects.get(pk=tree.office.pk)
    assert permissions.is_configuration_admin(office) and office.is_staff


def test_org_detail_links_to_staff_and_add(tree, client_for):
    page = client_for(tree.office).get(reverse("core:org-detail", args=[tree.dept_a.pk])).content.decode()
    assert reverse("core:user-detail", args=[tree.editor_a.pk]) in page
    assert f"{reverse('core:user-create')}?unit={tree.dept_a.pk}" in page
    page = client_for(tree.editor_a).get(reverse("core:org-detail", args=[tree.dept_a.pk])).content.decode()
    assert reverse("core:user-create") not in page

"""三员分立 (issue 13 item 3): the system, security and audit administrators are three accounts, each
doing its job and nothing else; role changes are audited; the superuser is for installation only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core import services
from gongkai.core.audit import AuditAction
from gongkai.core.models import AuditEvent, Membership, Role, User
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(tree):
    return {
        "security": staff(tree.county, Role.SECURITY_ADMIN, username="aq_admin", full_name="安全管理员"),
        "auditor": staff(tree.county, Role.AUDIT_ADMIN, username="sj_admin", full_name="审计管理员"),
    }


@pytest.mark.parametrize(
    ("held", "wanted"),
    [
        (Role.SYSADMIN, Role.SECURITY_ADMIN),
        (Role.SYSADMIN, Role.AUDIT_ADMIN),
        (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN),
        (Role.AUDIT_ADMIN, Role.SYSADMIN),
    ],
)
def test_no_account_combines_two_administrator_roles(tree, admins, held, wanted):
    person = staff(tree.county, held, username="someone")
    with pytest.raises(ValidationError, match="三员分立：该账号已是"):
        services.membership_grant(actor=admins["security"], user=person, unit=tree.county, role=wanted)
    # Not in another unit either: the rule is about the person, not the unit.
    with pytest.raises(ValidationError, match="三员分立"):
        services.membership_grant(actor=admins["security"], user=person, unit=tree.dept_a, role=wanted)
    assert set(Membership.objects.filter(user=person).values_list("role", flat=True)) == {held}


def test_separation_error_shown_in_the_workbench(client_for, tree, admins):
    response = client_for(admins["security"]).post(
        reverse("core:user-detail", args=[tree.sysadmin.pk]),
        {"action": "grant", "g-unit": tree.county.pk, "g-role": Role.AUDIT_ADMIN},
    )
    assert response.status_code == 200
    assert "三员分立：该账号已是系统管理员，不能同时担任审计管理员" in response.content.decode()


def test_only_the_security_admin_hands_out_administrator_roles(tree, admins):
    for actor in (tree.office, tree.sysadmin, admins["auditor"]):
        with pytest.raises(PermissionDenied):
            services.membership_grant(actor=actor, user=tree.editor_b, unit=tree.county, role=Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="不能给自己授予管理员角色"):
        services.membership_grant(
            actor=admins["security"], user=admins["security"], unit=tree.county, role=Role.SECURITY_ADMIN
        )
    services.membership_grant(actor=admins["security"], user=tree.editor_b, unit=tree.county, role=Role.AUDIT_ADMIN)
    event = AuditEvent.objects.filter(action=AuditAction.MEMBERSHIP_GRANT).latest("id")
    assert event.actor == admins["security"] and event.after["role"] == Role.AUDIT_ADMIN
    # The disclosure office no longer manages an account that holds an administrator role.
    with pytest.raises(PermissionDenied, match="管理员账号只能由安全管理员管理"):
        services.user_update(actor=tree.office, user=User.objects.get(pk=tree.editor_b.pk), full_name="改名")


def test_system_administrator_configures_but_does_not_manage_accounts(client_for, tree):
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.sysadmin, username="x1", password=None, unit=tree.dept_a)
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=tree.sysadmin, user=tree.editor_a, unit=tree.dept_a, role=Role.REVIEWER)
    client = client_for(tree.sysadmin)
    assert client.get(reverse("core:user-create")).status_code == 403
    assert client.get(reverse("core:audit-list")).status_code == 403
    assert client.get(reverse("core:lock-list")).status_code == 403
    # … and still does its own job: the calendar and the legal periods.
    data = {"h-date": "2026-12-31", "h-kind": "holiday", "h-name": "测试"}
    assert client.post(reverse("core:holiday-list"), data).status_code == 302


def test_security_administrator_manages_accounts_not_the_audit_log(client_for, tree, admins):
    client = client_for(admins["security"])
    response = client.post(
        reverse("core:user-create"),
        {"username": "rs_new", "full_name": "李强", "unit": tree.dept_b.pk, "roles": ["editor"], "password": ""},
    )
    assert response.status_code == 302 and User.objects.filter(username="rs_new").exists()
    assert client.get(reverse("core:lock-list")).status_code == 200
    assert client.get(reverse("core:audit-list")).status_code == 403
    assert client.get(reverse("core:audit-export")).status_code == 403
    assert client.post(reverse("core:holiday-list"), {"h-date": "2026-12-31", "h-kind": "holiday"}).status_code == 403


def test_audit_administrator_reads_and_exports_and_changes_nothing(client_for, api_for, tree, admins):
    services.user_update(actor=tree.office, user=tree.editor_a, full_name="王芳（民政）")
    client = client_for(admins["auditor"])
    page = client.get(reverse("core:audit-list")).content.decode()
    assert "user.update" in page and "导出全部审计事件" in page
    export = client.get(reverse("core:audit-export"))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv") and "user.update" in body
    assert AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_EXPORT, actor=admins["auditor"]).count() == 1
    assert api_for(admins["auditor"]).get("/api/v1/audit-events/").status_code == 200
    # Changes nothing: accounts, roles, units, calendar, periods.
    refused = [
        client.get(reverse("core:user-create")).status_code,
        client.post(
            reverse("core:user-detail", args=[tree.editor_a.pk]),
            {"action": "grant", "g-unit": tree.dept_a.pk, "g-role": "reviewer"},
        ).status_code,
        client.post(reverse("core:org-detail", args=[tree.dept_a.pk]), {"name": "改"}).status_code,
        client.post(reverse("core:holiday-list"), {"h-date": "2026-12-31"}).status_code,
        client.get(reverse("core:period-edit", args=["request.reply"])).status_code,
        client.get(reverse("core:lock-list")).status_code,
    ]
    assert refused == [403] * 6
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admins["auditor"], username="x2", password=None, unit=tree.dept_a)


def test_superuser_cannot_take_an_administrator_role(tree, admins):
    root = User.objects.create_superuser("install", "install@example.invalid", "Anzhuang-2026!", unit=tree.county)
    with pytest.raises(ValidationError, match="超级用户仅用于安装"):
        services.membership_grant(actor=admins["security"], user=root, unit=tree.county, role=Role.AUDIT_ADMIN)


def test_workbench_navigation_follows_the_roles(client_for, tree, admins):
    def nav(user):
        return client_for(user).get(reverse("workbench:home")).content.decode()

    assert reverse("core:lock-list") in nav(admins["security"])
    assert reverse("core:audit-list") not in nav(admins["security"])
    assert reverse("core:audit-list") in nav(admins["auditor"])
    assert reverse("core:lock-list") not in nav(tree.sysadmin)

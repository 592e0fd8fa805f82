"""Organisation-scoped authorisation of every core staff view, API endpoint and service.

A user of unit A (县民政局, dept_a) cannot list, read or change unit B's (县人社局, dept_b)
records; the county 公开办 sees the county, its departments and townships but not the
city or province; the system administrator sees everything; anonymous users are sent
to the login page (pages) or refused (API).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core import audit, permissions, services
from gongkai.core.models import AuditEvent, Membership, Role
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


# --- permissions module -------------------------------------------------------


def test_visible_units(tree):
    assert set(permissions.visible_units(tree.editor_a)) == {tree.dept_a}
    office_sees = set(permissions.visible_units(tree.office))
    assert {tree.county, tree.town_a, tree.town_b, tree.dept_a, tree.dept_b, tree.school} == office_sees
    # 三员分立: the system administrator configures; it sees no unit's business records.
    assert not permissions.visible_units(tree.sysadmin).exists()
    assert set(permissions.organisation_units(tree.sysadmin)) >= {tree.province, tree.city}
    assert not permissions.visible_units(UserFactory()).exists()


def test_roles_are_not_inherited_downwards_except_oversight(tree):
    assert permissions.has_role(tree.editor_a, Role.EDITOR, tree.dept_a)
    assert not permissions.has_role(tree.editor_a, Role.EDITOR, tree.school)  # below, but not the same unit
    assert not permissions.has_role(tree.editor_a, Role.EDITOR, tree.dept_b)
    assert permissions.has_role(tree.office, Role.DISCLOSURE_OFFICE, tree.school)
    assert not permissions.has_role(tree.office, Role.DISCLOSURE_OFFICE, tree.city)
    assert not permissions.has_role(tree.office, Role.EDITOR, tree.dept_a)  # oversight is not authorship
    assert not permissions.has_role(tree.sysadmin, Role.EDITOR, tree.province)
    assert not permissions.has_role(tree.sysadmin, Role.DISCLOSURE_OFFICE, tree.county)
    assert permissions.has_role(tree.sysadmin, Role.SYSADMIN, tree.province)  # configuration everywhere


def test_inactive_unit_gives_no_rights(tree):
    services.organisation_update(actor=None, org=tree.dept_b, is_active=False)
    fresh = type(tree.editor_b).objects.get(pk=tree.editor_b.pk)
    assert not permissions.can_view(fresh, tree.dept_b)


def test_scope_filters_querysets(tree):
    qs = Membership.objects.all()
    assert {m.unit for m in permissions.scope(qs, tree.editor_a)} == {tree.dept_a}
    assert tree.dept_b in {m.unit for m in permissions.scope(qs, tree.office)}


# --- workbench pages ------------------------------------------------------------

PAGE_CASES = [
    # (url name, args-attr, user-attr, expected status)
    ("core:org-detail", "dept_b", "editor_a", 403),
    ("core:org-detail", "dept_b", "leader_a", 403),
    ("core:org-detail", "dept_b", "town_editor", 403),
    ("core:org-detail", "dept_b", "editor_b", 200),
    ("core:org-detail", "dept_b", "office", 200),
    ("core:org-detail", "town_b", "office", 200),
    ("core:org-detail", "city", "office", 403),
    ("core:org-detail", "province", "office", 403),
    ("core:org-detail", "city", "sysadmin", 200),
    ("core:org-create", "dept_b", "editor_a", 403),
    ("core:org-create", "dept_b", "leader_b", 403),
    ("core:org-create", "dept_b", "office", 200),
    ("core:org-create", "city", "office", 403),
    ("core:org-create", "city", "sysadmin", 200),
    ("core:user-detail", "editor_b", "editor_a", 403),
    ("core:user-detail", "editor_b", "leader_a", 403),
    ("core:user-detail", "editor_b", "reviewer_b", 200),
    ("core:user-detail", "editor_b", "office", 200),
    ("core:user-detail", "editor_b", "sysadmin", 403),  # accounts are the security administrator's
]


@pytest.mark.parametrize(("name", "target", "who", "status"), PAGE_CASES)
def test_page_access_matrix(tree, client_for, name, target, who, status):
    client = client_for(getattr(tree, who))
    response = client.get(reverse(name, args=[getattr(tree, target).pk]))
    assert response.status_code == status


ANON_URLS = [
    ("workbench:home", []),
    ("core:org-list", []),
    ("core:audit-list", []),
    ("core:holiday-list", []),
    ("core:user-list", []),
    ("core:user-create", []),
]


@pytest.mark.parametrize(("name", "args"), ANON_URLS)
def test_anonymous_is_redirected_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_anonymous_detail_pages_redirect(tree, client):
    for name, target in [
        ("core:org-detail", tree.dept_a),
        ("core:org-create", tree.dept_a),
        ("core:user-detail", tree.editor_a),
    ]:
        response = client.get(reverse(name, args=[target.pk]))
        assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_user_without_role_is_refused(tree, client_for):
    nobody = staff(tree.dept_a, username="no_role")  # an account without any role
    client = client_for(nobody)
    assert client.get(reverse("workbench:home")).status_code == 403
    assert client.get(reverse("core:org-list")).status_code == 403


def _names(response):
    return response.content.decode()


def test_org_list_is_scoped(tree, client_for):
    page = _names(client_for(tree.editor_a).get(reverse("core:org-list")))
    assert "松阳县民政局" in page and "松阳县人力资源和社会保障局" not in page and "丽水市人民政府</a>" not in page
    page = _names(client_for(tree.office).get(reverse("core:org-list")))
    for name in [
        "松阳县人民政府",
        "西屏街道",
        "古市镇",
        "松阳县民政局",
        "松阳县人力资源和社会保障局",
        "松阳县第一中学",
    ]:
        assert f">{name}</a>" in page
    assert ">丽水市人民政府</a>" not in page and ">浙江省人民政府</a>" not in page
    page = _names(client_for(tree.sysadmin).get(reverse("core:org-list")))
    assert ">浙江省人民政府</a>" in page


def test_org_list_search_cannot_reach_other_units(tree, client_for):
    page = _names(client_for(tree.editor_a).get(reverse("core:org-list"), {"q": "人社"}))
    assert "松阳县人力资源和社会保障局" not in page


def test_editor_cannot_post_changes_to_other_unit(tree, client_for):
    client = client_for(tree.editor_a)
    response = client.post(reverse("core:org-detail", args=[tree.dept_b.pk]), {"name": "被篡改"})
    assert response.status_code == 403
    tree.dept_b.refresh_from_db()
    assert tree.dept_b.name == "松阳县人力资源和社会保障局"


def _event(unit, action="test.event"):
    from django.db import transaction

    with transaction.atomic():
        return audit.record(actor=None, action=action, object_type="test", object_id="1", unit=unit)


def test_audit_log_only_for_disclosure_office(tree, client_for):
    for who in ["editor_a", "reviewer_a", "leader_a", "town_editor"]:
        assert client_for(getattr(tree, who)).get(reverse("core:audit-list")).status_code == 403


def test_audit_log_scoped_to_overseen_units(tree, client_for):
    _event(tree.dept_b, "test.dept_b")
    _event(tree.city, "test.city")
    _event(tree.province, "test.province")
    page = _names(client_for(tree.office).get(reverse("core:audit-list")))
    assert "test.dept_b" in page
    assert "test.city" not in page and "test.province" not in page
    auditor = staff(tree.county, Role.AUDIT_ADMIN, username="sj_admin")
    page = _names(client_for(auditor).get(reverse("core:audit-list")))
    assert "test.city" in page and "test.province" in page
    # 三员分立: the system administrator does not read the audit log.
    assert client_for(tree.sysadmin).get(reverse("core:audit-list")).status_code == 403


def test_town_office_sees_only_its_township(tree, client_for):
    town_office = staff(tree.town_a, Role.DISCLOSURE_OFFICE, username="xp_gkb")
    _event(tree.town_a, "test.town_a")
    _event(tree.dept_a, "test.dept_a")
    page = _names(client_for(town_office).get(reverse("core:audit-list")))
    assert "test.town_a" in page and "test.dept_a" not in page
    # The unit filter offers only overseen units; choosing another one is a form error, not a leak.
    response = client_for(town_office).get(reverse("core:audit-list"), {"unit": tree.dept_a.pk})
    assert "test.dept_a" not in _names(response)


def test_calendar_visible_to_staff_but_editable_only_by_sysadmin(tree, client_for):
    assert client_for(tree.editor_a).get(reverse("core:holiday-list")).status_code == 200
    data = {"h-date": "2026-12-31", "h-kind": "holiday", "h-name": "测试"}
    assert client_for(tree.office).post(reverse("core:holiday-list"), data).status_code == 403
    assert client_for(tree.editor_a).post(reverse("core:holiday-list"), data).status_code == 403
    assert client_for(tree.sysadmin).post(reverse("core:holiday-list"), data).status_code == 302


# --- staff accounts -----------------------------------------------------------


def test_user_list_scoped_and_phones_masked(tree, client_for):
    tree.editor_a.phone = "13905781234"
    tree.editor_a.save()
    tree.editor_b.phone = "13905785678"
    tree.editor_b.save()
    page = _names(client_for(tree.reviewer_a).get(reverse("core:user-list")))
    assert "mz_editor" in page and "rs_editor" not in page
    assert "139****1234" in page and "13905781234" not in page
    page = _names(client_for(tree.office).get(reverse("core:user-list")))
    assert "13905781234" in page and "13905785678" in page
    page = _names(client_for(tree.sysadmin).get(reverse("core:user-list")))
    assert "mz_editor" not in page and "13905781234" not in page  # 三员分立: not the system administrator's


def test_user_detail_phone_masked_for_colleague(tree, client_for):
    tree.editor_a.phone = "13905781234"
    tree.editor_a.save()
    page = _names(client_for(tree.leader_a).get(reverse("core:user-detail", args=[tree.editor_a.pk])))
    assert "139****1234" in page and "授予角色" not in page


def test_only_office_or_sysadmin_manage_users(tree, client_for):
    for who in ["editor_a", "leader_a", "reviewer_b"]:
        client = client_for(getattr(tree, who))
        assert client.get(reverse("core:user-create")).status_code == 403
        response = client.post(
            reverse("core:user-detail", args=[tree.editor_a.pk]),
            {"action": "grant", "g-unit": tree.dept_a.pk, "g-role": "reviewer"},
        )
        assert response.status_code == 403
    assert not Membership.objects.filter(user=tree.editor_a, role="reviewer").exists()


def test_editor_cannot_revoke_other_units_roles(tree, client_for):
    m = Membership.objects.get(user=tree.editor_b)
    response = client_for(tree.editor_a).post(
        reverse("core:user-detail", args=[tree.editor_b.pk]), {"action": "revoke", "membership": m.pk}
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=m.pk).exists()


def test_service_rules_for_staff_accounts(tree):
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.editor_a, username="x1", password=None, unit=tree.dept_a)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.office, username="x2", password=None, unit=tree.city)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=tree.office, username="x3", password=None, unit=None)
    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=tree.office, user=tree.editor_a, unit=tree.dept_a, role=Role.SYSADMIN)
    city_user = staff(tree.city, Role.EDITOR, username="ls_editor")
    with pytest.raises(PermissionDenied):  # the county office does not manage city staff
        services.membership_grant(actor=tree.office, user=city_user, unit=tree.dept_a, role=Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.user_update(actor=tree.office, user=city_user, full_name="改名")
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=tree.leader_a, membership=Membership.objects.get(user=tree.editor_a))
    with pytest.raises(PermissionDenied):
        services.membership_revoke(actor=tree.office, membership=Membership.objects.get(user=tree.sysadmin))


# --- API --------------------------------------------------------------------


def test_api_anonymous_refused(tree, api_for):
    api = api_for()
    for url in [
        "/api/v1/organisations/",
        f"/api/v1/organisations/{tree.dept_a.pk}/",
        "/api/v1/audit-events/",
        "/api/v1/users/",
        "/api/v1/me/",
    ]:
        assert api.get(url).status_code in (401, 403), url


def test_api_user_without_role_refused(tree, api_for):
    api = api_for(UserFactory(unit=tree.dept_a))
    assert api.get("/api/v1/organisations/").status_code == 403
    assert api.get("/api/v1/users/").status_code == 403


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_api_organisations_scoped(tree, api_for):
    assert _ids(api_for(tree.editor_a).get("/api/v1/organisations/")) == {tree.dept_a.pk}
    assert api_for(tree.editor_a).get(f"/api/v1/organisations/{tree.dept_b.pk}/").status_code == 404
    office = _ids(api_for(tree.office).get("/api/v1/organisations/"))
    assert {tree.county.pk, tree.town_a.pk, tree.dept_b.pk, tree.school.pk} <= office
    assert tree.city.pk not in office and tree.province.pk not in office
    assert api_for(tree.office).get(f"/api/v1/organisations/{tree.city.pk}/").status_code == 404
    assert tree.province.pk in _ids(api_for(tree.sysadmin).get("/api/v1/organisations/"))


def test_api_organisations_read_only(tree, api_for):
    response = api_for(tree.office).patch(f"/api/v1/organisations/{tree.dept_b.pk}/", {"name": "改"}, format="json")
    assert response.status_code == 405
    assert api_for(tree.office).post("/api/v1/organisations/", {"name": "新"}, format="json").status_code == 405


def test_api_audit_events_only_for_office_and_scoped(tree, api_for):
    mine = _event(tree.dept_b, "test.dept_b")
    theirs = _event(tree.city, "test.city")
    assert api_for(tree.editor_b).get("/api/v1/audit-events/").status_code == 403
    assert api_for(tree.editor_b).get(f"/api/v1/audit-events/{mine.pk}/").status_code == 403
    ids = _ids(api_for(tree.office).get("/api/v1/audit-events/"))
    assert mine.pk in ids and theirs.pk not in ids
    assert api_for(tree.office).get(f"/api/v1/audit-events/{theirs.pk}/").status_code == 404
    auditor = staff(tree.county, Role.AUDIT_ADMIN, username="sj_admin")
    assert api_for(auditor).get(f"/api/v1/audit-events/{theirs.pk}/").status_code == 200
    assert api_for(tree.sysadmin).get(f"/api/v1/audit-events/{theirs.pk}/").status_code == 403
    assert api_for(tree.office).delete(f"/api/v1/audit-events/{mine.pk}/").status_code == 405


def test_api_users_scoped_and_masked(tree, api_for):
    tree.editor_b.phone = "13905785678"
    tree.editor_b.save()
    ids = _ids(api_for(tree.editor_a).get("/api/v1/users/"))
    assert tree.editor_a.pk in ids and tree.editor_b.pk not in ids
    assert api_for(tree.editor_a).get(f"/api/v1/users/{tree.editor_b.pk}/").status_code == 404
    colleague = api_for(tree.reviewer_b).get(f"/api/v1/users/{tree.editor_b.pk}/").json()
    assert colleague["phone"] == "139****5678"
    assert api_for(tree.office).get(f"/api/v1/users/{tree.editor_b.pk}/").json()["phone"] == "13905785678"


def test_api_me(tree, api_for):
    data = api_for(tree.office).get("/api/v1/me/").json()
    assert data["username"] == "gkb"
    assert data["roles"] == [{"unit": tree.county.pk, "unit_name": "松阳县人民政府", "role": "disclosure_office"}]


def test_audit_event_counts_untouched_by_refused_requests(tree, client_for):
    before = AuditEvent.objects.count()
    client_for(tree.editor_a).post(reverse("core:org-create", args=[tree.dept_b.pk]), {"name": "x"})
    assert AuditEvent.objects.count() == before


def test_breadcrumbs_do_not_link_to_units_the_user_cannot_see(tree, client_for):
    page = _names(client_for(tree.office).get(reverse("core:org-detail", args=[tree.dept_a.pk])))
    assert reverse("core:org-detail", args=[tree.city.pk]) not in page and "<li>丽水市人民政府</li>" in page
    assert reverse("core:org-detail", args=[tree.county.pk]) in page


def test_workbench_home_panels(tree, client_for):
    import time_machine

    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        page = _names(client_for(tree.office).get(reverse("workbench:home")))
        assert "公开办管理" in page and "所辖单位 6 个" in page
        assert "尚未录入2027年节假日安排" in page
        page = _names(client_for(tree.editor_a).get(reverse("workbench:home")))
        assert "公开办管理" not in page and "尚未录入2027年节假日安排" in page
    with time_machine.travel("2026-05-01 10:00 +0800", tick=False):
        assert "尚未录入" not in _names(client_for(tree.editor_a).get(reverse("workbench:home")))

"""三员分立 (等保 2.0 三级, 访问控制): each of the three administrators can do its job and nothing else.

The system administrator configures (calendar, legal periods, organisation tree, catalogue domains…)
and neither lists, reads nor changes a unit's requests, publications or appeals; the security
administrator manages accounts only; the audit administrator reads and exports the audit log only.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.catalogue.models import Domain
from gongkai.core import permissions
from gongkai.core.models import Holiday, Membership, Role, User
from gongkai.interaction import services as interaction
from gongkai.publications import services as publications
from gongkai.requests import services as requests
from tests.factories import staff
from tests.interaction.conftest import ensure_default_types
from tests.requests.conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(tree):
    return {
        "security": staff(tree.county, Role.SECURITY_ADMIN, username="aq_admin", full_name="安全管理员"),
        "auditor": staff(tree.county, Role.AUDIT_ADMIN, username="sj_admin", full_name="审计管理员"),
    }


@pytest.fixture
def records(tree, settings, tmp_path):
    """A request, a draft publication and an accepted appeal of the county's units."""
    settings.MEDIA_ROOT = tmp_path / "media"
    req = requests.request_submit(unit=tree.county, data=person())
    pub = publications.publication_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        doc_type="notice",
        title="松阳县民政局关于2026年度城乡低保标准调整的通知",
        body="经县政府同意，自2026年1月1日起调整城乡最低生活保障标准。",
    )
    types = ensure_default_types()
    appeal, _created = interaction.appeal_submit(
        appeal_type=types["consult"],
        target_unit=tree.county,
        title="低保申请需要哪些材料",
        content="我母亲一个人生活，收入很少，想问申请低保要准备什么材料？",
        name="吴秀英",
        phone="13905781234",
    )
    appeal = interaction.appeal_accept(actor=tree.office, appeal=appeal)
    return req, pub, appeal


def _html(response) -> str:
    return response.content.decode()


def test_sysadmin_cannot_list_read_or_change_business_records(tree, records, client_for, api_for):
    req, pub, appeal = records
    c = client_for(tree.sysadmin)
    # Requests: the queue lists nothing, the detail and the actions are refused.
    assert req.tracking_code not in _html(c.get(reverse("requests_wb:queue")))
    assert c.get(reverse("requests_wb:detail", args=[req.pk])).status_code in (403, 404)
    assert c.post(reverse("requests_wb:act", args=[req.pk, "note"]), {"note": "越权"}).status_code in (403, 404)
    assert not req.steps.filter(kind="note").exists()
    # Publications.
    assert pub.title not in _html(c.get(reverse("publications_wb:list")))
    assert c.get(reverse("publications_wb:detail", args=[pub.pk])).status_code in (403, 404)
    assert c.get(reverse("publications_wb:edit", args=[pub.pk])).status_code in (403, 404)
    # Appeals.
    assert appeal.title not in _html(c.get(reverse("interaction_wb:appeal-list")))
    assert c.get(reverse("interaction_wb:appeal-detail", args=[appeal.pk])).status_code in (403, 404)
    r = c.post(reverse("interaction_wb:appeal-act", args=[appeal.pk, "assign"]), {"unit": tree.dept_a.pk})
    assert r.status_code in (403, 404)
    appeal.refresh_from_db()
    assert appeal.unit_id is None

    api = api_for(tree.sysadmin)
    body = api.get("/api/v1/staff/requests/").json()
    assert body["count"] == 0 if "count" in body else body["results"] == []
    assert api.get(f"/api/v1/staff/requests/{req.pk}/").status_code in (403, 404)
    r = api.post(f"/api/v1/staff/requests/{req.pk}/transition/", {"action": "note", "note": "x"}, format="json")
    assert r.status_code in (403, 404)
    assert api.get(f"/api/v1/publications/{pub.pk}/").status_code in (403, 404)
    assert api.get("/api/v1/interaction/appeals/").json()["count"] == 0
    assert api.get(f"/api/v1/interaction/appeals/{appeal.pk}/").status_code in (403, 404)
    # The permission layer says the same.
    assert not permissions.can_view(tree.sysadmin, tree.county)
    assert not permissions.has_role(tree.sysadmin, Role.EDITOR, tree.dept_a)
    assert not permissions.scope(type(req).objects.all(), tree.sysadmin).exists()


def test_the_office_still_sees_the_same_records(tree, records, client_for):
    """The refusals above are the system administrator's, not a broken page."""
    req, pub, appeal = records
    c = client_for(tree.office)
    assert req.tracking_code in _html(c.get(reverse("requests_wb:queue")))
    assert pub.title in _html(c.get(reverse("publications_wb:list")))
    assert c.get(reverse("interaction_wb:appeal-detail", args=[appeal.pk])).status_code == 200


def test_sysadmin_with_a_business_membership_acts_there_only(tree, records, client_for):
    req, _pub, _appeal = records
    Membership.objects.create(user=tree.sysadmin, unit=tree.dept_b, role=Role.EDITOR)
    sysadmin = User.objects.get(pk=tree.sysadmin.pk)
    assert permissions.has_role(sysadmin, Role.EDITOR, tree.dept_b)
    assert not permissions.can_view(sysadmin, tree.county)
    assert client_for(sysadmin).get(reverse("requests_wb:detail", args=[req.pk])).status_code in (403, 404)


def test_sysadmin_configures_calendar_periods_domains_and_the_tree(tree, client_for):
    c = client_for(tree.sysadmin)
    r = c.post(reverse("core:holiday-list"), {"h-date": "2026-12-31", "h-kind": "holiday", "h-name": "测试假日"})
    assert r.status_code == 302 and Holiday.objects.filter(date=dt.date(2026, 12, 31)).exists()
    domain = Domain.objects.get(name="就业")
    r = c.post(reverse("catalogue_wb:domain-edit", args=[domain.pk]), {"name": "就业", "description": "就业创业"})
    assert r.status_code == 302
    domain.refresh_from_db()
    assert domain.description == "就业创业"
    r = c.post(
        reverse("catalogue_wb:domain-list"), {"name": "茶产业发展", "description": "", "owner_unit": tree.county.pk}
    )
    assert r.status_code == 302 and Domain.objects.filter(name="茶产业发展", owner_unit=tree.county).exists()
    assert c.get(reverse("core:org-detail", args=[tree.province.pk])).status_code == 200
    assert c.get(reverse("core:period-list")).status_code == 200


def test_sysadmin_workbench_shows_configuration_not_business_queues(tree, client_for):
    c = client_for(tree.sysadmin)
    page = c.get(reverse("workbench:home"))
    assert page.status_code == 200
    html = _html(page)
    for url in ("core:holiday-list", "core:period-list", "core:org-list", "catalogue_wb:domain-list"):
        assert f'href="{reverse(url)}"' in html, url
    for url in ("requests_wb:queue", "publications_wb:home", "interaction_wb:index", "core:user-list"):
        assert f'href="{reverse(url)}"' not in html, url
    assert f'href="{reverse("core:audit-list")}"' not in html


def test_security_admin_manages_accounts_only(tree, admins, records, client_for):
    req, pub, _appeal = records
    c = client_for(admins["security"])
    r = c.post(
        reverse("core:user-create"),
        {
            "username": "ls_editor",
            "full_name": "林松",
            "unit": tree.dept_b.pk,
            "role": "editor",
            "password1": "Songyang-2026!x",
            "password2": "Songyang-2026!x",
        },
    )
    assert r.status_code in (200, 302)
    assert c.get(reverse("core:user-list")).status_code == 200
    assert c.get(reverse("core:lock-list")).status_code == 200
    # Not the calendar, not the audit log, not the units' records.
    r = c.post(reverse("core:holiday-list"), {"h-date": "2026-12-30", "h-kind": "holiday", "h-name": "越权"})
    assert r.status_code == 403 and not Holiday.objects.filter(date=dt.date(2026, 12, 30)).exists()
    assert c.get(reverse("core:audit-list")).status_code == 403
    assert req.tracking_code not in _html(c.get(reverse("requests_wb:queue")))
    assert c.get(reverse("requests_wb:detail", args=[req.pk])).status_code in (403, 404)
    assert c.get(reverse("publications_wb:detail", args=[pub.pk])).status_code in (403, 404)


def test_audit_admin_reads_and_exports_the_audit_log_only(tree, admins, records, client_for):
    req, pub, _appeal = records
    c = client_for(admins["auditor"])
    assert c.get(reverse("core:audit-list")).status_code == 200
    export = c.get(reverse("core:audit-export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    # Changes nothing: no accounts, no calendar, no business records.
    assert c.get(reverse("core:user-create")).status_code == 403
    r = c.post(reverse("core:holiday-list"), {"h-date": "2026-12-29", "h-kind": "holiday", "h-name": "越权"})
    assert r.status_code == 403 and not Holiday.objects.filter(date=dt.date(2026, 12, 29)).exists()
    assert c.get(reverse("requests_wb:detail", args=[req.pk])).status_code in (403, 404)
    assert c.get(reverse("publications_wb:detail", args=[pub.pk])).status_code in (403, 404)

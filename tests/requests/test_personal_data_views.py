"""Every view of an applicant's unmasked personal data is an audit event (等保 2.0 安全审计; 个人信息保护法).

The handler and the unit's leader see the data in clear and each view is recorded (page, attachment, API);
a colleague who sees it masked leaves no such event, and another unit's staff see nothing at all.
"""

from __future__ import annotations

import pytest

from gongkai.core.models import AuditEvent
from gongkai.requests import services
from gongkai.requests.audit_actions import AuditAction

pytestmark = pytest.mark.django_db


def _views(req):
    return AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEW, object_id=str(req.pk))


@pytest.fixture
def assigned(tree, submit):
    req = submit(tree.dept_a)
    return services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_a)


def test_the_handlers_page_view_is_recorded(client_for, tree, assigned):
    page = client_for(tree.editor_a).get(f"/workbench/requests/{assigned.pk}/")
    assert page.status_code == 200
    assert assigned.phone in page.content.decode()  # shown in clear to the handler …
    event = _views(assigned).get()  # … and recorded once
    assert event.actor == tree.editor_a and event.after["where"] == "workbench"
    assert assigned.phone not in str(event.after)  # the event does not copy the data it records


def test_the_api_detail_is_recorded_but_a_masked_view_is_not(api_for, tree, assigned):
    assert api_for(tree.editor_a).get(f"/api/v1/staff/requests/{assigned.pk}/").status_code == 200
    assert _views(assigned).filter(after__where="api").count() == 1
    # the reviewer of the same unit sees the applicant masked: nothing to record
    response = api_for(tree.reviewer_a).get(f"/api/v1/staff/requests/{assigned.pk}/")
    assert response.status_code == 200 and response.json()["phone"] != assigned.phone
    assert not _views(assigned).filter(actor=tree.reviewer_a).exists()


def test_another_units_staff_see_nothing_and_nothing_is_recorded(client_for, api_for, tree, assigned):
    assert client_for(tree.editor_b).get(f"/workbench/requests/{assigned.pk}/").status_code in (403, 404)
    assert api_for(tree.editor_b).get(f"/api/v1/staff/requests/{assigned.pk}/").status_code in (403, 404)
    assert not _views(assigned).exists()

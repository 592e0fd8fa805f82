"""Unit A cannot list, read or change unit B's appeals (views and API); contact data only for assigned handlers."""

import pytest

from gongkai.interaction import services
from gongkai.interaction.models import Appeal, AppealStatus


@pytest.fixture
def appeal_b(tree, submit):
    appeal = submit(title="社保卡密码重置", content="父亲社保卡密码忘了", phone="13905786666", name="周丽")
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    return services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_b)


def test_unit_a_cannot_list_or_read_unit_b_appeals(tree, appeal_b, client_for):
    client = client_for(tree.editor_a)
    listing = client.get("/workbench/interaction/appeals/").content.decode()
    assert appeal_b.title not in listing
    assert client.get(f"/workbench/interaction/appeals/{appeal_b.pk}/").status_code == 403


def test_unit_a_cannot_change_unit_b_appeals(tree, appeal_b, client_for):
    client = client_for(tree.editor_a)
    for action, data in [
        ("start", {}),
        ("answer", {"answer-answer": "越权答复"}),
        ("close", {}),
        ("note", {"note-text": "x"}),
        ("accept", {}),
        ("reassign", {"reassign-unit": tree.dept_a.pk}),
        ("promote", {}),
        ("publish", {}),
    ]:
        r = client.post(f"/workbench/interaction/appeals/{appeal_b.pk}/act/{action}/", data)
        assert r.status_code == 403, action
    appeal = Appeal.objects.get(pk=appeal_b.pk)
    assert appeal.status == AppealStatus.ASSIGNED and appeal.answer == "" and appeal.unit == tree.dept_b


def test_api_is_scoped(tree, appeal_b, api_for):
    api = api_for(tree.editor_a)
    assert api.get("/api/v1/interaction/appeals/").json()["count"] == 0
    assert api.get(f"/api/v1/interaction/appeals/{appeal_b.pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/interaction/appeals/{appeal_b.pk}/answer/", {"answer": "x"}, format="json").status_code
        == 404
    )
    own = api_for(tree.editor_b)
    data = own.get(f"/api/v1/interaction/appeals/{appeal_b.pk}/").json()
    assert data["contact"]["phone"] == "13905786666"
    r = own.post(f"/api/v1/interaction/appeals/{appeal_b.pk}/answer/", {"answer": "已为您重置"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "answered"


def test_office_sees_all_but_not_contact_data(tree, appeal_b, client_for, api_for):
    page = client_for(tree.office).get(f"/workbench/interaction/appeals/{appeal_b.pk}/").content.decode()
    assert appeal_b.title in page and "13905786666" not in page and "联系方式仅对承办单位可见" in page
    data = api_for(tree.office).get(f"/api/v1/interaction/appeals/{appeal_b.pk}/").json()
    assert data["contact"] is None


def test_assigned_handler_sees_contact(tree, appeal_b, client_for):
    page = client_for(tree.editor_b).get(f"/workbench/interaction/appeals/{appeal_b.pk}/").content.decode()
    assert "13905786666" in page


def test_co_handling_unit_sees_appeal_and_contact(tree, appeal_b, client_for):
    services.appeal_assign(actor=tree.office, appeal=appeal_b, unit=tree.dept_b, co_units=[tree.dept_a])
    page = client_for(tree.editor_a).get(f"/workbench/interaction/appeals/{appeal_b.pk}/")
    assert page.status_code == 200 and "13905786666" in page.content.decode()


def test_unassigned_appeal_invisible_to_departments(tree, submit, client_for):
    appeal = submit(title="尚未分拨的留言")
    assert "尚未分拨的留言" not in client_for(tree.editor_a).get("/workbench/interaction/appeals/").content.decode()
    assert (
        "尚未分拨的留言"
        in client_for(tree.office).get("/workbench/interaction/appeals/?queue=received").content.decode()
    )
    assert client_for(tree.town_editor).get(f"/workbench/interaction/appeals/{appeal.pk}/").status_code == 403


def test_anonymous_user_is_sent_to_login(client, appeal_b):
    r = client.get(f"/workbench/interaction/appeals/{appeal_b.pk}/")
    assert r.status_code == 302 and "/staff/login/" in r["Location"]

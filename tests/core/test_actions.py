"""The core transition runner and action layer, through services, the workbench view and the API.

The subject is a small test-only state machine (tests/coreapp): new → open → done, or rejected.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.core import transitions
from gongkai.core.actions import perform
from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from tests.coreapp.actions import TICKET_ACTIONS
from tests.coreapp.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.coreapp.urls")]


@pytest.fixture
def ticket(tree):
    return Ticket.objects.create(unit=tree.dept_a, title="路灯不亮")


def names(user, obj):
    return [a.name for a in TICKET_ACTIONS.available(user, obj)]


def test_available_actions_follow_state_conditions_and_roles(tree, ticket):
    assert names(tree.editor_a, ticket) == ["open", "note"]
    assert names(tree.reviewer_a, ticket) == ["note", "reject"]
    assert names(tree.editor_b, ticket) == []  # another unit's staff see nothing
    ticket = perform(TICKET_ACTIONS.get("open"), user=tree.editor_a, obj=ticket)
    assert names(tree.reviewer_a, ticket) == ["note", "reject"]  # finish needs a note first
    ticket = perform(TICKET_ACTIONS.get("note"), user=tree.reviewer_a, obj=ticket, data={"note": "已派人检修"})
    assert names(tree.reviewer_a, ticket) == ["note", "finish", "reject"]
    assert transitions.available(ticket, tree.reviewer_a) == ["finish", "reject"]


def test_run_locks_checks_saves_and_audits(tree, ticket):
    ticket = perform(TICKET_ACTIONS.get("open"), user=tree.editor_a, obj=ticket)
    assert ticket.status == "open"
    event = AuditEvent.objects.filter(action="coreapp.ticket.open").get()
    assert event.before["status"] == "new" and event.after["status"] == "open"
    assert event.actor == tree.editor_a and event.unit == tree.dept_a


def test_refusals_are_one_error_type_each(tree, ticket):
    with pytest.raises(PermissionDenied):
        perform(TICKET_ACTIONS.get("open"), user=tree.reviewer_a, obj=ticket)  # wrong role
    ticket = perform(TICKET_ACTIONS.get("open"), user=tree.editor_a, obj=ticket)
    with pytest.raises(TransitionRefused, match="当前状态") as state:
        perform(TICKET_ACTIONS.get("open"), user=tree.editor_a, obj=ticket)  # wrong state
    assert state.value.code == "state"
    with pytest.raises(TransitionRefused, match="请先填写处理意见") as cond:
        perform(TICKET_ACTIONS.get("finish"), user=tree.reviewer_a, obj=ticket)  # unmet condition
    assert cond.value.code == "condition"
    assert AuditEvent.objects.filter(action__startswith="coreapp.").count() == 1


def test_stale_object_is_checked_after_locking(tree, ticket):
    stale = Ticket.objects.get(pk=ticket.pk)
    perform(TICKET_ACTIONS.get("reject"), user=tree.reviewer_a, obj=ticket, data={"reason": "重复"})
    with pytest.raises(TransitionRefused), transaction.atomic():
        transitions.run(stale, "open", actor=tree.editor_a, action="coreapp.ticket.open")
    assert Ticket.objects.get(pk=ticket.pk).status == "rejected"


@pytest.mark.django_db(transaction=True)
def test_run_refuses_outside_a_transaction(tree, ticket):
    with pytest.raises(RuntimeError):
        transitions.run(ticket, "open", actor=tree.editor_a, action="coreapp.ticket.open")


# --- workbench ------------------------------------------------------------------------


def test_workbench_action_view(tree, ticket, client_for):
    c = client_for(tree.reviewer_a)
    url = f"/tickets/{ticket.pk}/act/reject/"
    page = c.get(url)
    assert page.status_code == 200 and "理由" in page.content.decode()
    bad = c.post(url, {"reject-reason": ""})
    assert bad.status_code == 400 and bad.content.decode().count("该字段是必填项") == 1
    ok = c.post(url, {"reject-reason": "不属于本单位职责"})
    assert ok.status_code == 302 and ok["Location"] == f"/tickets/{ticket.pk}/"
    assert Ticket.objects.get(pk=ticket.pk).reason == "不属于本单位职责"
    again = c.post(url, {"reject-reason": "重复提交"})
    assert again.status_code == 409 and "当前状态" in again.content.decode()


def test_workbench_refusals(tree, ticket, client_for):
    assert client_for(tree.editor_b).post(f"/tickets/{ticket.pk}/act/open/").status_code == 403  # unit B
    assert client_for(tree.reviewer_a).post(f"/tickets/{ticket.pk}/act/open/").status_code == 403  # role
    assert client_for(tree.editor_a).post(f"/tickets/{ticket.pk}/act/explode/").status_code == 404
    assert client_for(tree.editor_a).post("/tickets/999999/act/open/").status_code == 404


# --- API -------------------------------------------------------------------------------


def test_api_action_routes(tree, ticket, api_for):
    api = api_for(tree.editor_a)
    detail = api.get(f"/api/tickets/{ticket.pk}/").json()
    assert [a["name"] for a in detail["actions"]] == ["open", "note"]
    assert detail["actions"][0]["url"].endswith(f"/api/tickets/{ticket.pk}/open/")
    r = api.post(f"/api/tickets/{ticket.pk}/open/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "open"
    r = api.post(f"/api/tickets/{ticket.pk}/open/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "state" and "当前状态" in r.json()["detail"]
    reviewer = api_for(tree.reviewer_a)
    r = reviewer.post(f"/api/tickets/{ticket.pk}/finish/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "condition"
    r = reviewer.post(f"/api/tickets/{ticket.pk}/note/", {"note": ""}, format="json")
    assert r.status_code == 400 and "note" in r.json()
    r = reviewer.post(f"/api/tickets/{ticket.pk}/note/", {"note": "已派人检修"}, format="json")
    assert r.status_code == 200
    r = reviewer.post(f"/api/tickets/{ticket.pk}/finish/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "done"


def test_api_form_validation_sees_the_object(tree, api_for):
    special = Ticket.objects.create(unit=tree.dept_a, title="拒收")
    r = api_for(tree.reviewer_a).post(f"/api/tickets/{special.pk}/reject/", {"reason": "测试"}, format="json")
    assert r.status_code == 400 and r.json() == {"reason": ["此工单不接受测试理由"]}


def test_api_refusals(tree, ticket, api_for):
    assert api_for(tree.editor_b).post(f"/api/tickets/{ticket.pk}/open/").status_code == 404  # unit B: not visible
    assert api_for(tree.reviewer_a).post(f"/api/tickets/{ticket.pk}/open/").status_code == 403
    assert api_for(tree.editor_a).post("/api/tickets/abc/open/").status_code == 404  # malformed id
    assert api_for(tree.editor_a).get("/api/tickets/12abc/").status_code == 404
    assert api_for(tree.editor_a).post(f"/api/tickets/{ticket.pk}/explode/").status_code == 404
    assert api_for().post(f"/api/tickets/{ticket.pk}/open/").status_code in (401, 403)
    # a body that is not an object is refused as input, never a 500
    r = api_for(tree.reviewer_a).post(f"/api/tickets/{ticket.pk}/reject/", ["x"], format="json")
    assert r.status_code == 400


def test_actions_are_documented_in_the_schema(tree):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="tests.coreapp.urls").get_schema(request=None, public=True)
    reject = schema["paths"]["/api/tickets/{id}/reject/"]["post"]
    assert reject["operationId"] == "ticket_reject" and reject["summary"] == "驳回"
    assert {"200", "400", "403", "404", "409"} <= set(reject["responses"])
    body = reject["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]
    assert component["required"] == ["reason"] and component["properties"]["reason"]["maxLength"] == 200
    assert "requestBody" not in schema["paths"]["/api/tickets/{id}/open/"]["post"]

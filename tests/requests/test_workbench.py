"""Workbench pages through HTTP: registration, actions with errors shown, queue views."""

from __future__ import annotations

import datetime as dt

import time_machine

from gongkai.requests.models import InformationRequest, Status
from tests.requests.conftest import resident_id


def reg_data(unit, **kw):
    data = {
        "unit": unit.pk,
        "applicant_type": "person",
        "name": "赵老伯",
        "id_type": "resident",
        "id_number": resident_id("33112519450808001"),
        "phone": "0578-8061234",
        "address": "松阳县象溪镇象溪村",
        "description": "请公开象溪镇2025年高龄津贴发放名单",
        "preferred_format": "paper",
        "delivery": "pickup",
        "channel": "in_person",
        "received_on": "2026-10-12",
    }
    data.update(kw)
    return data


def test_register_in_person(client_for, tree):
    with time_machine.travel(dt.datetime(2026, 10, 13, 9, 0), tick=False):
        c = client_for(tree.editor_a)
        assert c.get("/workbench/requests/register/").status_code == 200
        resp = c.post("/workbench/requests/register/", reg_data(tree.dept_a))
        assert resp.status_code == 302
        req = InformationRequest.objects.get()
        assert req.channel == "in_person" and req.received_on == dt.date(2026, 10, 12)
        assert req.created_by == tree.editor_a
        # ordinary mail needs the confirmation record (art. 31)
        resp = c.post("/workbench/requests/register/", reg_data(tree.dept_a, channel="post_ordinary"))
        assert resp.status_code == 200 and "确认" in resp.content.decode()
        # a unit the user does not belong to is not offered
        resp = c.post("/workbench/requests/register/", reg_data(tree.dept_b))
        assert resp.status_code == 200 and InformationRequest.objects.count() == 1


def test_action_errors_are_shown_not_500(client_for, tree, submit):
    req = submit(tree.dept_a)
    c = client_for(tree.editor_a)
    resp = c.post(
        f"/workbench/requests/{req.pk}/act/reply/",
        {"reply-outcome": "withheld_secret", "reply-replied_on": "2000-01-01"},
    )
    assert resp.status_code == 409 and "签发" in resp.content.decode()  # this unit's replies need sign-off
    resp = c.post(
        f"/workbench/requests/{req.pk}/act/submit_reply/", {"submit_reply-outcome": "withheld_secret"}
    )  # no reason given for withholding: the form comes back with the message
    assert resp.status_code == 400 and "不予公开的理由" in resp.content.decode()
    resp = c.post(f"/workbench/requests/{req.pk}/act/corrected/", {"corrected-corrected_on": "2026-01-01"})
    assert resp.status_code == 409 and "当前状态为“已登记”" in resp.content.decode()
    resp = c.post(f"/workbench/requests/{req.pk}/act/assign/", {"assign-handler": "abc"})
    assert resp.status_code == 400
    assert c.post(f"/workbench/requests/{req.pk}/act/nope/").status_code == 404
    assert c.post("/workbench/requests/999999/act/assign/").status_code == 404
    assert c.get("/workbench/requests/abc/").status_code == 404
    assert client_for(tree.leader_a).post(f"/workbench/requests/{req.pk}/act/assign/").status_code in (400, 200)
    req.refresh_from_db()
    assert req.status == Status.REGISTERED


def test_overdue_shows_days_past_due_not_negative(client_for, tree, submit):
    with time_machine.travel(dt.datetime(2026, 11, 5, 9, 0), tick=False):
        req = submit(tree.dept_a, received_on=dt.date(2026, 9, 18))  # due 2026-10-22 (test_deadlines "2026 国庆")
        c = client_for(tree.editor_a)
        queue = c.get("/workbench/requests/").content.decode()
        detail = c.get(f"/workbench/requests/{req.pk}/").content.decode()
    # 10/23, 10/26–30, 11/2–5: 10 working days past the due date
    for body in (queue, detail):
        assert "已逾期10个工作日" in body and "剩-" not in body


def test_queue_views_render(client_for, tree, submit):
    submit(tree.dept_a)
    c = client_for(tree.editor_a)
    for view in ("open", "due_soon", "overdue", "correction", "calendar_missing", "finished", "all", "bogus"):
        assert c.get(f"/workbench/requests/?view={view}&mine=1&q=YS").status_code == 200

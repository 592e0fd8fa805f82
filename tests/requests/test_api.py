"""Public API (create, status) and the staff API: every handling step through the action routes,
refusals as 400/403/404/409 with a message (never a 500), and the letters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gongkai.core.models import AuditEvent
from gongkai.requests.models import InformationRequest, LetterState, Status
from tests.requests.conftest import resident_id

CST = dt.timezone(dt.timedelta(hours=8))


def payload(unit, **kw):
    data = {
        "unit": unit.pk,
        "applicant_type": "person",
        "name": "赵丽",
        "id_type": "resident",
        "id_number": resident_id("33112519900101004"),
        "phone": "13757801234",
        "address": "松阳县古市镇广场路1号",
        "description": "请公开古市镇2025年农村危房改造补助名单",
        "preferred_format": "paper",
        "delivery": "post",
    }
    data.update(kw)
    return data


def test_public_create_and_status(api_for, tree):
    api = api_for()
    resp = api.post("/api/v1/requests/", payload(tree.town_b), format="json")
    assert resp.status_code == 201, resp.content
    code = resp.json()["tracking_code"]
    assert resp.json()["due_date"]
    assert "id_number" not in resp.json() and "phone" not in resp.json()
    bad = api.post("/api/v1/requests/status/", {"tracking_code": code, "phone_tail": "0000"}, format="json")
    assert bad.status_code == 404
    ok = api.post("/api/v1/requests/status/", {"tracking_code": code, "phone_tail": "1234"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == Status.REGISTERED
    assert ok.json()["steps"][0]["kind"] == "submitted"


def test_public_create_validation_errors_in_chinese(api_for, tree):
    resp = api_for().post("/api/v1/requests/", payload(tree.town_b, id_number="331125199001010040"), format="json")
    assert resp.status_code == 400 and "校验位" in str(resp.json()["id_number"])
    # a school does not take requests under the Regulations unless its policy says so
    resp = api_for().post("/api/v1/requests/", payload(tree.school), format="json")
    assert resp.status_code == 400 and "不受理" in str(resp.json()["unit"])
    assert InformationRequest.objects.count() == 0


def test_public_api_is_throttled(api_for, tree, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    # DRF reads the rates into this class attribute at import; monkeypatch puts the old dict back.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"public_form": "3/hour"})
    api = api_for()
    codes = [
        api.post(
            "/api/v1/requests/status/", {"tracking_code": "YS-0000-0000-0000", "phone_tail": "0000"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]


def act(api, req_id, name, data=None):
    return api.post(f"/api/v1/staff/requests/{req_id}/{name}/", data or {}, format="json")


def test_api_drives_a_request_from_receipt_to_closure(api_for, tree, django_capture_on_commit_callbacks):
    """Registered at the counter, corrected, consulted on, extended, replied with sign-off and letters,
    closed — through the API only, with the due date at each step."""
    ed, leader, reviewer = api_for(tree.editor_a), api_for(tree.leader_a), api_for(tree.reviewer_a)
    with time_machine.travel(dt.datetime(2025, 10, 20, 10, 0, tzinfo=CST), tick=False):
        reg = {**payload(tree.dept_a), "channel": "in_person", "received_on": "2025-09-22"}
        r = ed.post("/api/v1/staff/requests/", reg, format="json")
        assert r.status_code == 201, r.content
        pk = r.json()["id"]
        names = {a["name"] for a in r.json()["actions"]}
        assert {"assign", "correction", "consult", "submit_reply", "transfer", "note"} <= names
        assert "reply" not in names  # the unit's replies need sign-off (default policy)
        assert act(ed, pk, "assign", {"handler": tree.editor_a.pk}).json()["status"] == Status.IN_PROGRESS
        with django_capture_on_commit_callbacks(execute=True):
            r = act(ed, pk, "correction", {"items": "请写明危房改造的年度", "sent_on": "2025-09-24", "letter": True})
        assert r.status_code == 200 and r.json()["status"] == Status.CORRECTION
        assert [lt["state"] for lt in r.json()["letters"]] == [LetterState.PENDING]  # serialised before rendering
        # received Fri 9/26 after correction: 9/28(Sun 班)=1, 9/29–30=2,3, 10/9–10=4,5, 10/11(Sat 班)=6,
        # 10/13–17=7..11, 10/20–24=12..16, 10/27–30=17..20
        r = act(ed, pk, "corrected", {"corrected_on": "2025-09-26"})
        assert r.json()["due_date"] == "2025-10-30"
        r = act(ed, pk, "consult", {"kind": "third_party", "recipient": "某公司", "question": "是否同意公开"})
        assert r.json()["status"] == Status.CONSULTING
        cid = r.json()["consultations"][0]["id"]
        r = act(ed, pk, "answer", {"consultation": cid, "answered_on": "2025-10-20", "opinion": "agree"})
        assert r.json()["status"] == Status.IN_PROGRESS
        assert r.json()["due_date"] == "2025-10-30"  # consulted on 10/20 and answered the same day: no pause
        assert act(ed, pk, "extension", {"days": 5, "reason": "需区分处理"}).status_code == 200
        refused = act(ed, pk, "extension_decide", {"decision": "approve"})
        assert refused.status_code == 403 and refused.json()["detail"]
        with django_capture_on_commit_callbacks(execute=True):
            r = act(leader, pk, "extension_decide", {"decision": "approve", "letter": True})
        assert r.json()["due_date"] == "2025-11-06"  # 10/30 + 5: 10/31, 11/3–6
        r = act(ed, pk, "submit_reply", {"outcome": "public", "reason": "现将补助名单提供给您。", "letter": True})
        assert r.json()["status"] == Status.SIGNOFF
        assert act(ed, pk, "approve_reply").status_code == 403  # the drafter cannot sign off
        with django_capture_on_commit_callbacks(execute=True):
            r = act(reviewer, pk, "approve_reply", {"note": "同意"})
        assert r.status_code == 200 and r.json()["status"] == Status.REPLIED
        assert r.json()["finished_on"] == "2025-10-20"
        r = act(ed, pk, "close")
        assert r.json()["status"] == Status.CLOSED
        detail = ed.get(f"/api/v1/staff/requests/{pk}/").json()
    letters = {lt["kind"]: lt for lt in detail["letters"]}
    assert set(letters) == {"correction", "extension", "reply"}
    assert all(lt["state"] == LetterState.READY for lt in letters.values())
    pdf = ed.get(letters["reply"]["download"]["pdf"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    actions = set(AuditEvent.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    assert {"requests.request.reply_submitted", "requests.request.reply_approved", "requests.request.close"} <= actions


@pytest.mark.usefixtures("direct_replies")
def test_refusals_are_clear_and_never_500(api_for, tree, submit):
    req = submit(tree.dept_a, received_on=dt.date(2025, 9, 26))
    ed = api_for(tree.editor_a)
    # invalid input: 400 by field, in Chinese
    r = act(ed, req.pk, "reply", {"outcome": "withheld_process"})
    assert r.status_code == 400 and "理由" in str(r.json()["reason"])
    r = act(ed, req.pk, "reply", {"outcome": "nonsense"})
    assert r.status_code == 400 and "outcome" in r.json()
    r = act(ed, req.pk, "assign", {"handler": "abc"})
    assert r.status_code == 400
    # wrong state: 409 with the state named
    r = act(ed, req.pk, "corrected", {"corrected_on": "2025-09-30"})
    assert r.status_code == 409 and "已登记" in r.json()["detail"] and r.json()["code"] == "state"
    # an unmet precondition: 409 with its message
    r = act(ed, req.pk, "answer", {})
    assert r.status_code == 409
    # wrong role: 403
    assert act(ed, req.pk, "extension_decide", {"decision": "approve"}).status_code in (403, 409)
    # unknown action, malformed or unknown id, another unit's request: 404
    assert act(ed, req.pk, "nope").status_code == 404
    assert ed.post("/api/v1/staff/requests/abc/assign/", {}, format="json").status_code == 404
    assert act(ed, 999999, "assign", {"handler": tree.editor_a.pk}).status_code == 404
    assert act(api_for(tree.editor_b), req.pk, "note", {"note": "越权"}).status_code == 404
    assert not req.steps.filter(kind="note").exists()
    # anonymous: 401/403
    assert act(api_for(), req.pk, "note", {"note": "x"}).status_code in (401, 403)
    req.refresh_from_db()
    assert req.status == Status.REGISTERED


@pytest.mark.usefixtures("direct_replies")
def test_direct_reply_with_letter_is_one_step(api_for, tree, submit, django_capture_on_commit_callbacks):
    req = submit(tree.dept_a, received_on=dt.date(2025, 9, 26))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        data = {"outcome": "public_already", "reason": "已在县政府网站“政府信息公开”栏目公开。", "letter": True}
        r = act(api_for(tree.editor_a), req.pk, "reply", data)
    assert r.status_code == 200 and r.json()["status"] == Status.REPLIED
    from gongkai.core import audit

    letters = [c for c in callbacks if c is not audit.wake_sequencer]  # PostgreSQL also chains the audit log
    assert len(letters) == 1  # the letter renders after commit
    letter = req.letters.get()
    assert letter.state == LetterState.READY and letter.docx and letter.pdf


def test_policy_api(api_for, tree):
    url = f"/api/v1/staff/request-policies/{tree.dept_a.pk}/"
    assert api_for(tree.editor_a).get(url).json()["reply_signoff"] is True
    assert api_for(tree.editor_a).put(url, {"reply_signoff": False}, format="json").status_code == 403
    r = api_for(tree.leader_a).put(url, {"reply_signoff": False}, format="json")
    assert r.status_code == 200 and r.json()["reply_signoff"] is False
    assert api_for(tree.editor_b).get(url).status_code == 404
    assert api_for(tree.office).put(url, {"reply_signoff": True}, format="json").json()["reply_signoff"] is True
    assert AuditEvent.objects.filter(action="requests.policy.update").count() == 2

"""Public API (create, status) and staff transitions."""

from __future__ import annotations

import datetime as dt

from gongkai.core.models import AuditEvent
from gongkai.requests.models import InformationRequest, Status
from tests.requests.conftest import resident_id


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
    assert resp.status_code == 400 and "校验位" in str(resp.json())
    assert InformationRequest.objects.count() == 0


def test_public_api_is_throttled(api_for, tree, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public_form": "3/hour"}}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        api = api_for()
        codes = [
            api.post(
                "/api/v1/requests/status/", {"tracking_code": "YS-0000-0000-0000", "phone_tail": "0000"}, format="json"
            ).status_code
            for _ in range(4)
        ]
        assert codes[-1] == 429
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_staff_transitions(api_for, tree, submit):
    req = submit(tree.dept_a, received_on=dt.date(2025, 9, 26))
    api = api_for(tree.editor_a)
    r = api.post(
        f"/api/v1/staff/requests/{req.pk}/transition/", {"action": "assign", "handler": tree.editor_a.pk}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == Status.IN_PROGRESS
    r = api.post(
        f"/api/v1/staff/requests/{req.pk}/transition/",
        {"action": "reply", "outcome": "withheld_process"},
        format="json",
    )
    assert r.status_code == 400 and "理由" in str(r.json())
    r = api.post(
        f"/api/v1/staff/requests/{req.pk}/transition/",
        {"action": "reply", "outcome": "public_already", "reason": "已在县政府网站公开", "date": "2025-10-09"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == Status.REPLIED
    r = api.post(f"/api/v1/staff/requests/{req.pk}/transition/", {"action": "corrected"}, format="json")
    assert r.status_code == 400
    assert AuditEvent.objects.filter(action="requests.request.reply", object_id=str(req.pk)).exists()


def test_staff_api_consult_extension_flow(api_for, tree, submit):
    import time_machine

    with time_machine.travel(dt.datetime(2025, 10, 20, 10, 0), tick=False):
        req = submit(tree.dept_a, received_on=dt.date(2025, 9, 26))  # due 2025-10-30
        url = f"/api/v1/staff/requests/{req.pk}/transition/"
        ed = api_for(tree.editor_a)
        r = ed.post(
            url,
            {
                "action": "consult",
                "kind": "third_party",
                "recipient": "某公司",
                "question": "是否同意",
                "date": "2025-09-29",
            },
            format="json",
        )
        assert r.status_code == 200 and r.json()["status"] == "consulting"
        cid = req.consultations.get().pk
        r = ed.post(
            url,
            {"action": "answer", "consultation": cid, "date": "2025-10-13", "agrees": False, "note": "涉及商业秘密"},
            format="json",
        )
        assert r.json()["due_date"] == "2025-11-06"  # see test_deadlines row "征求意见暂停"
        r = ed.post(url, {"action": "extension", "days": 5, "reason": "需区分处理"}, format="json")
        assert r.status_code == 200
        ext = req.extensions.get().pk
        r = ed.post(url, {"action": "extension_decide", "extension": ext, "approve": True}, format="json")
        assert r.status_code == 403
        r = api_for(tree.leader_a).post(
            url, {"action": "extension_decide", "extension": ext, "approve": True}, format="json"
        )
        assert r.status_code == 200 and r.json()["due_date"] == "2025-11-13"  # 11/6 + 5: 11/7, 11/10–13

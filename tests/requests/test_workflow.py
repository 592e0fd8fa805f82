"""The request's life through the services: state machine, due date at each step, trail, audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from gongkai.core.models import AuditEvent
from gongkai.requests import services
from gongkai.requests.models import (
    ConsultationKind,
    InformationRequest,
    Outcome,
    RequestStep,
    Status,
    StepKind,
)

pytestmark = pytest.mark.usefixtures("direct_replies")  # replies without sign-off here (see test_signoff)

D = dt.date


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 10, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


def test_full_timeline_due_date_at_each_step(tree, submit, frozen):
    # received Fri 2026-09-18: due 2026-10-22 (see test_deadlines row "2026 国庆")
    req = submit(tree.dept_a, received_on=D(2026, 9, 18))
    assert req.status == Status.REGISTERED
    assert req.due_date == D(2026, 10, 22)
    assert req.correction_notice_due == D(2026, 9, 29)  # 9/20(班)=1, 9/21–24=2..5, 9/28=6, 9/29=7
    with pytest.raises(ValidationError):  # not before receipt
        services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_a, on=D(2026, 9, 17))
    req = services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_a, on=D(2026, 9, 18))
    assert req.status == Status.IN_PROGRESS

    req = services.request_correction_notice(
        actor=tree.editor_a, req=req, items="请写明资金发放的具体年份和乡镇", sent_on=D(2026, 9, 22)
    )
    assert req.status == Status.CORRECTION
    assert req.correction_deadline == D(2026, 10, 20)  # 15 wd: 9/23–24, 9/28–30, 10/8–9, 10/10(班), 10/12–16, 10/19–20
    with pytest.raises(ValidationError):  # only one correction notice (art. 30)
        services.request_correction_notice(actor=tree.editor_a, req=req, items="再补", sent_on=D(2026, 9, 23))

    # corrected on Fri 2026-10-09: the 20 days run again from that day (art. 30)
    req = services.request_receive_correction(actor=tree.editor_a, req=req, corrected_on=D(2026, 10, 9))
    # 10/10(班)=1, 10/12–16=2..6, 10/19–23=7..11, 10/26–30=12..16, 11/2–5=17..20
    assert req.due_date == D(2026, 11, 5)
    assert req.status == Status.IN_PROGRESS

    c = services.consultation_send(
        actor=tree.editor_a,
        req=req,
        kind=ConsultationKind.THIRD_PARTY,
        recipient="松阳县某养老服务公司",
        question="是否同意公开补贴发放明细",
        sent_on=D(2026, 10, 12),
    )
    assert c.reply_due == D(2026, 11, 2)  # 15 wd from 10/12: 10/13–16=4, 10/19–23=9, 10/26–30=14, 11/2=15
    req.refresh_from_db()
    assert req.status == Status.CONSULTING
    # open consultation: paused up to today (10/30): 10/13–16, 10/19–23, 10/26–30 = 14 working days
    assert req.due_date == D(2026, 11, 25)  # 11/5=20, +14: 11/6=21, 11/9–13=22..26, 11/16–20=27..31, 11/23–25=32..34

    services.consultation_answer(
        actor=tree.editor_a, consultation=c, answered_on=D(2026, 10, 20), answer="同意公开", agrees=True
    )
    req.refresh_from_db()
    assert req.status == Status.IN_PROGRESS
    # paused 10/13–16, 10/19–20 = 6 working days: 11/5=20, 11/6=21, 11/9–13=22..26
    assert req.due_date == D(2026, 11, 13)

    ext = services.extension_request(actor=tree.editor_a, req=req, days=10, reason="需要汇总十个乡镇的数据")
    with pytest.raises(PermissionDenied):  # only the leader approves (art. 33)
        services.extension_decide(actor=tree.editor_a, extension=ext, approve=True)
    services.extension_decide(actor=tree.leader_a, extension=ext, approve=True, on=D(2026, 10, 30))
    req.refresh_from_db()
    # +10: 11/16–20=27..31, 11/23–27=32..36 → 11/27
    assert req.extension_days == 10 and req.due_date == D(2026, 11, 27)
    with pytest.raises(ValidationError):  # once only
        services.extension_request(actor=tree.editor_a, req=req, days=5, reason="再延")

    req = services.request_reply(
        actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC, reason="现提供如下信息", replied_on=D(2026, 10, 30)
    )
    assert req.status == Status.REPLIED and req.finished_on == D(2026, 10, 30)
    assert "第三十六条第（二）项" in req.legal_basis
    req = services.request_close(actor=tree.editor_a, req=req)
    assert req.status == Status.CLOSED

    kinds = list(req.steps.values_list("kind", flat=True))
    assert kinds[:3] == [StepKind.SUBMITTED, StepKind.REGISTERED, StepKind.ASSIGNED]
    assert StepKind.EXTENSION_APPROVED in kinds and kinds[-1] == StepKind.CLOSED
    public = RequestStep.objects.filter(request=req, internal=False).values_list("kind", flat=True)
    assert StepKind.ASSIGNED not in public and StepKind.EXTENSION_REQUESTED not in public
    actions = set(
        AuditEvent.objects.filter(object_id=str(req.pk), object_type="requests.informationrequest").values_list(
            "action", flat=True
        )
    )
    assert {
        "requests.request.create",
        "requests.request.correction_notice",
        "requests.request.correction_received",
        "requests.request.consultation_sent",
        "requests.request.extension_approved",
        "requests.request.reply",
        "requests.request.close",
    } <= actions


def test_status_field_is_protected(tree, submit):
    req = submit(tree.dept_a)
    with pytest.raises(AttributeError):
        req.status = Status.REPLIED
    with pytest.raises(TransitionNotAllowed):
        req.receive_correction()


def test_deem_withdrawn_only_after_deadline(tree, submit, frozen):
    req = submit(tree.dept_a, received_on=D(2026, 10, 12))
    req = services.request_correction_notice(
        actor=tree.editor_a, req=req, items="请写明文件名称", sent_on=D(2026, 10, 13), deadline=D(2026, 10, 29)
    )
    with pytest.raises(ValidationError):
        services.request_deem_withdrawn(actor=tree.editor_a, req=req, on=D(2026, 10, 29))
    req = services.request_deem_withdrawn(actor=tree.editor_a, req=req, on=D(2026, 10, 30))
    assert req.status == Status.WITHDRAWN and req.outcome == Outcome.OTHER_NO_CORRECTION
    assert req.finished_on == D(2026, 10, 30)


def test_withheld_reply_needs_reason_and_open_consultations_block_reply(tree, submit, frozen):
    req = submit(tree.dept_a, received_on=D(2026, 10, 12))
    with pytest.raises(ValidationError):
        services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.WITHHELD_THIRD_PARTY, reason="")
    services.consultation_send(
        actor=tree.editor_a,
        req=req,
        kind=ConsultationKind.OTHER_BODY,
        recipient="县财政局",
        question="共同制作的信息是否同意公开",
        sent_on=D(2026, 10, 13),
    )
    with pytest.raises(ValidationError):
        services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC)


def test_other_unit_staff_cannot_act(tree, submit):
    req = submit(tree.dept_a)
    for fn, kwargs in [
        (services.request_assign, {"handler": tree.editor_b}),
        (services.request_add_note, {"note": "x"}),
        (services.request_correction_notice, {"items": "x"}),
        (services.request_reply, {"outcome": Outcome.PUBLIC}),
    ]:
        with pytest.raises(PermissionDenied):
            fn(actor=tree.editor_b, req=req, **kwargs)
    with pytest.raises(ValidationError):  # a handler from another unit cannot be assigned
        services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_b)


def test_transfer_moves_request_and_keeps_receipt_date(tree, submit):
    req = submit(tree.dept_a, received_on=D(2025, 9, 26))
    due = req.due_date
    req = services.request_transfer(actor=tree.editor_a, req=req, to_unit=tree.dept_b, note="养老保险归人社局")
    assert req.unit == tree.dept_b and req.due_date == due and req.handler is None
    with pytest.raises(PermissionDenied):
        services.request_add_note(actor=tree.editor_a, req=req, note="已转走")
    services.request_add_note(actor=tree.editor_b, req=req, note="已接收")


def test_staff_registration_receipt_date_rules(tree, frozen):
    from tests.requests.conftest import person

    with pytest.raises(ValidationError) as exc:
        services.request_register(
            actor=tree.editor_a, unit=tree.dept_a, data=person(), channel="post_ordinary", received_on=D(2026, 10, 20)
        )
    assert "receipt_evidence" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.request_register(
            actor=tree.editor_a, unit=tree.dept_a, data=person(), channel="in_person", received_on=D(2026, 11, 2)
        )  # future
    req = services.request_register(
        actor=tree.editor_a,
        unit=tree.dept_a,
        data=person(),
        channel="post_signed",
        received_on=D(2026, 9, 18),
        receipt_evidence="EMS 1234567890 签收",
    )
    assert req.received_on == D(2026, 9, 18) and req.due_date == D(2026, 10, 22)
    assert req.steps.filter(kind=StepKind.SUBMITTED).count() == 0
    with pytest.raises(PermissionDenied):
        services.request_register(
            actor=tree.editor_b, unit=tree.dept_a, data=person(), channel="in_person", received_on=D(2026, 10, 20)
        )


def test_invalid_applicants_are_rejected(tree):
    from tests.requests.conftest import organisation, person

    with pytest.raises(ValidationError) as exc:
        services.request_submit(unit=tree.dept_a, data=person(id_number="331125198503120021"))
    assert "id_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.request_submit(unit=tree.dept_a, data=organisation(credit_code="91331124MA2A12345X"))
    assert "credit_code" in exc.value.message_dict
    assert InformationRequest.objects.count() == 0


def test_audit_never_stores_full_id_number(tree, submit):
    req = submit(tree.dept_a)
    services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_a)
    events = list(AuditEvent.objects.filter(object_type="requests.informationrequest").order_by("id"))
    assert [e.action for e in events] == ["requests.request.create", "requests.request.assign"]
    for ev in events:
        text = str(ev.before) + str(ev.after)
        assert req.id_number not in text and req.phone not in text and req.address not in text
    assert "3311**********" in str(events[0].after)  # the creation event carries the masked ID
    assert "id_number" not in events[1].after  # transitions record no personal data at all


def test_duplicate_detection(tree, submit):
    from gongkai.requests import selectors
    from tests.requests.conftest import person

    first = submit(tree.dept_a)
    same = submit(tree.dept_a, data=person(description="请公开松阳县2024年度城乡居民最低生活保障资金发放情况"))
    other = submit(tree.dept_a, data=person(description="请公开县民政局2025年部门预算"))
    stranger = submit(tree.dept_a, data=person(id_number="11010519491231002X", phone="13800001111"))
    found = {o.pk: (score, likely) for o, score, likely in selectors.similar_requests(same)}
    assert found[first.pk][1] is True
    assert found[other.pk][1] is False
    assert stranger.pk not in found


def test_case_update_and_leader_panel(client_for, tree, submit, frozen):
    from gongkai.requests import selectors
    from gongkai.requests.models import ReviewOutcome

    req = submit(tree.dept_a, received_on=D(2026, 10, 12))
    services.extension_request(actor=tree.editor_a, req=req, days=5, reason="数据量大")
    titles = [label for panel in selectors.workbench_panels(tree.leader_a) for label, _ in panel["items"]]
    assert any("待审批延期" in t for t in titles)
    assert not any("待审批延期" in label for p in selectors.workbench_panels(tree.leader_b) for label, _ in p["items"])
    req = services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC, replied_on=D(2026, 10, 20))
    case = services.review_case_record(actor=tree.editor_a, req=req, kind="review", filed_on=D(2026, 10, 26))
    c = client_for(tree.editor_a)
    assert "登记复议/诉讼结果" in c.get(f"/workbench/requests/{req.pk}/").content.decode()
    resp = c.post(
        f"/workbench/requests/{req.pk}/act/case_update/",
        {"case_update-case": case.pk, "case_update-outcome": "upheld", "case_update-decided_on": "2026-10-29"},
    )
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.outcome == ReviewOutcome.UPHELD and case.decided_on == D(2026, 10, 29)

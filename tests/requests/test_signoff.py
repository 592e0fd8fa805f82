"""Reply sign-off (per-unit setting, on by default): an editor cannot send a formal reply letter
without a reviewer's or leader's sign-off; the drafter cannot sign off their own draft."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.requests import services
from gongkai.requests.models import DraftDecision, LetterKind, Outcome, RequestPolicy, Status, StepKind


def test_default_policy_requires_signoff(tree, submit):
    req = submit(tree.dept_a)
    assert RequestPolicy.for_unit(tree.dept_a).reply_signoff is True
    with pytest.raises(TransitionRefused, match="签发"):
        services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC, letter=True)
    req.refresh_from_db()
    assert req.status == Status.REGISTERED and not req.letters.exists()


def test_signoff_then_letter(tree, submit, django_capture_on_commit_callbacks, client):
    req = submit(tree.dept_a)
    draft = services.reply_submit(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC, reason="现将名单提供给您。")
    req.refresh_from_db()
    assert req.status == Status.SIGNOFF and req.outcome == "" and req.finished_on is None
    # the applicant sees no decision while the draft waits
    client.post("/requests/track/", {"code": req.tracking_code, "phone_tail": "1234"})
    body = client.get(f"/requests/track/{req.tracking_code}/").content.decode()
    assert "现将名单提供给您" not in body and str(StepKind.REPLY_SUBMITTED.label) not in body
    with pytest.raises(PermissionDenied):  # four eyes: not the drafter
        services.reply_approve(actor=tree.editor_a, req=req)
    with pytest.raises(PermissionDenied):  # not another unit's reviewer
        services.reply_approve(actor=tree.reviewer_b, req=req)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.reply_approve(actor=tree.reviewer_a, req=req, note="同意")
    assert req.status == Status.REPLIED and req.outcome == Outcome.PUBLIC and req.finished_on
    draft.refresh_from_db()
    assert draft.decision == DraftDecision.APPROVED and draft.decided_by == tree.reviewer_a
    letter = req.letters.get(kind=LetterKind.REPLY)
    assert letter.state == "ready" and letter.created_by == tree.reviewer_a


def test_return_for_changes(tree, submit):
    req = submit(tree.dept_a)
    services.reply_submit(actor=tree.editor_a, req=req, outcome=Outcome.UNAVAILABLE_NOT_HELD)
    with pytest.raises(Exception, match="退回意见"):
        services.reply_return(actor=tree.leader_a, req=req, note="")
    req = services.reply_return(actor=tree.leader_a, req=req, note="请写明建议咨询的机关及联系方式")
    assert req.status == Status.IN_PROGRESS
    assert req.reply_drafts.get().decision == DraftDecision.RETURNED
    with pytest.raises(TransitionRefused):  # nothing left to sign off
        services.reply_approve(actor=tree.reviewer_a, req=req)
    services.reply_submit(actor=tree.editor_a, req=req, outcome=Outcome.UNAVAILABLE_NOT_HELD, reason="建议咨询县卫健局")
    req = services.reply_approve(actor=tree.reviewer_a, req=req)
    assert req.status == Status.REPLIED and req.outcome_reason == "建议咨询县卫健局"
    actions = list(
        AuditEvent.objects.filter(object_id=str(req.pk), action__contains="reply").values_list("action", flat=True)
    )
    assert actions.count("requests.request.reply_submitted") == 2 and "requests.request.reply_returned" in actions


def test_policy_off_allows_direct_reply_and_is_audited(tree, submit, client_for):
    c = client_for(tree.leader_a)
    resp = c.post(f"/workbench/requests/settings/?unit={tree.dept_a.pk}", {"unit": tree.dept_a.pk})
    assert resp.status_code == 302  # unchecked box: sign-off off
    assert RequestPolicy.for_unit(tree.dept_a).reply_signoff is False
    assert AuditEvent.objects.filter(action="requests.policy.update").exists()
    req = submit(tree.dept_a)
    req = services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC)
    assert req.status == Status.REPLIED
    # an editor may not change the policy; another unit's leader may not either
    assert client_for(tree.editor_a).get("/workbench/requests/settings/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.policy_update(actor=tree.leader_b, unit=tree.dept_a, reply_signoff=True)


def test_signer_sees_pending_draft_on_home(tree, submit):
    from gongkai.requests import selectors

    req = submit(tree.dept_a)
    services.reply_submit(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC)
    labels = lambda user: [t for p in selectors.workbench_panels(user) for t, _u in p["items"]]  # noqa: E731
    assert any(req.tracking_code in t and "待签发" in t for t in labels(tree.reviewer_a))
    assert not any("待签发" in t for t in labels(tree.editor_a))
    assert not any("待签发" in t for t in labels(tree.reviewer_b))

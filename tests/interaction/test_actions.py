"""One action layer: the workbench and the API offer the same staff actions with the same checks.

Buttons and API links follow the transitions open to the user; refusals are 400 (input),
403 (role), 404 (unknown action, invisible record, malformed id) and 409 (state or condition),
never a 500, on both faces.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.core.audit import ACTION_LABELS
from gongkai.core.models import AuditEvent
from gongkai.interaction import services
from gongkai.interaction.actions import APPEAL_ACTIONS, COMMENT_ACTIONS, CONSULTATION_ACTIONS, FAQ_ACTIONS
from gongkai.interaction.audit_actions import AuditAction
from gongkai.interaction.models import Appeal, AppealStatus, FaqEntry, PublicStatus

API = "/api/v1/interaction"
WB = "/workbench/interaction"


def names(user, obj, action_set=APPEAL_ACTIONS):
    return [a.name for a in action_set.available(user, obj)]


def test_buttons_follow_state_and_role(tree, submit):
    appeal = submit()
    assert names(tree.office, appeal) == ["accept", "reject"]
    assert names(tree.editor_a, appeal) == []
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    assert names(tree.office, appeal) == ["assign"]
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a, co_units=[tree.dept_b])
    assert names(tree.office, appeal) == ["reassign"]
    assert names(tree.editor_a, appeal) == ["start", "answer", "send-back", "note"]
    assert names(tree.editor_b, appeal) == ["note"]  # co-handling unit: opinions only
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=appeal, answer="请到乡镇社会事务办申请。")
    assert names(tree.editor_a, appeal) == ["close", "promote"]  # no consent: publishing is not offered
    assert names(tree.office, appeal) == ["close", "promote"]


def test_workbench_detail_shows_only_open_actions(tree, assigned, client_for):
    page = client_for(tree.editor_a).get(f"{WB}/appeals/{assigned.pk}/").content.decode()
    assert f"/appeals/{assigned.pk}/act/answer/" in page and f"/appeals/{assigned.pk}/act/accept/" not in page
    office = client_for(tree.office).get(f"{WB}/appeals/{assigned.pk}/").content.decode()
    assert f"/appeals/{assigned.pk}/act/reassign/" in office and "/act/answer/" not in office


def test_workbench_action_refusals(tree, submit, client_for):
    appeal = submit()
    office = client_for(tree.office)
    assert office.get(f"{WB}/appeals/{appeal.pk}/act/reject/").status_code == 200  # the form
    bad = office.post(f"{WB}/appeals/{appeal.pk}/act/reject/", {"reject-reason": ""})
    assert bad.status_code == 400 and "请填写不予受理理由" in bad.content.decode()
    assert office.post(f"{WB}/appeals/{appeal.pk}/act/explode/").status_code == 404
    assert office.post(f"{WB}/appeals/99999999/act/accept/").status_code == 404
    assert office.get(f"{WB}/appeals/abc/act/accept/").status_code == 404
    assert client_for(tree.editor_a).post(f"{WB}/appeals/{appeal.pk}/act/accept/").status_code == 403
    office = client_for(tree.office)
    assert office.post(f"{WB}/appeals/{appeal.pk}/act/accept/").status_code == 302
    again = office.post(f"{WB}/appeals/{appeal.pk}/act/accept/")
    assert again.status_code == 409 and "当前状态为“已受理”" in again.content.decode()
    premature = office.post(f"{WB}/appeals/{appeal.pk}/act/close/")
    assert premature.status_code == 409
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.ACCEPTED


def test_api_drives_an_appeal_from_receipt_to_closure(tree, types, client, api_for):
    receipt = client.post(
        "/api/v1/open311/requests.json",
        {"service_code": "consult", "description": "低保申请需要哪些材料？", "phone": "13905781234"},
    )
    assert receipt.status_code == 201
    appeal = Appeal.objects.get(tracking_code=receipt.json()[0]["service_request_id"])
    office, editor = api_for(tree.office), api_for(tree.editor_a)
    detail = office.get(f"{API}/appeals/{appeal.pk}/").json()
    assert [a["name"] for a in detail["actions"]] == ["accept", "reject"]
    assert detail["actions"][0]["url"].endswith(f"/interaction/appeals/{appeal.pk}/accept/")

    def post(api, name, data=None):
        r = api.post(f"{API}/appeals/{appeal.pk}/{name}/", data or {}, format="json")
        assert r.status_code == 200, (name, r.content)
        return r.json()

    post(office, "accept")
    assert post(office, "assign", {"unit": tree.dept_a.pk, "co_units": [tree.town_a.pk]})["status"] == "assigned"
    post(editor, "note", {"text": "已联系古市镇核实家庭情况"})
    post(editor, "start")
    body = post(editor, "answer", {"answer": "请携带户口簿、收入证明到乡镇社会事务办申请。"})
    assert body["status"] == "answered" and body["answer"].startswith("请携带户口簿")
    assert body["contact"]["phone"] == "13905781234"  # the lead unit's handler
    assert post(editor, "close")["status"] == "closed"
    # GeoReport shows the closure; the requester never consented through GeoReport, so it stays private
    status = client.get(f"/api/v1/open311/requests/{appeal.tracking_code}.json").json()[0]
    assert status["status"] == "closed" and status["description"] is None
    r = office.post(
        f"{API}/appeals/{appeal.pk}/publish/",
        {"public_title": "t", "public_content": "c", "public_answer": "a"},
        format="json",
    )
    assert r.status_code == 409 and "未同意公开" in r.json()["detail"] and r.json()["code"] == "condition"
    promoted = post(editor, "promote")
    assert promoted["faq_entries"] and FaqEntry.objects.get(pk=promoted["faq_entries"][0]).source_appeal_id == appeal.pk
    recorded = set(AuditEvent.objects.filter(object_id=str(appeal.pk)).values_list("action", flat=True))
    assert {
        AuditAction.APPEAL_SUBMIT,
        AuditAction.APPEAL_ACCEPT,
        AuditAction.APPEAL_ASSIGN,
        AuditAction.APPEAL_NOTE,
        AuditAction.APPEAL_START,
        AuditAction.APPEAL_ANSWER,
        AuditAction.APPEAL_CLOSE,
        AuditAction.APPEAL_PROMOTE,
    } <= recorded


def test_api_publish_unpublish_send_back_reject(tree, submit, api_for):
    office, editor = api_for(tree.office), api_for(tree.reviewer_a)
    appeal = submit(publish_consent=True)
    rejected = submit(title="不属于受理范围", content="要求查询他人的犯罪记录")
    r = office.post(f"{API}/appeals/{rejected.pk}/reject/", {"reason": "不属于政务咨询范围"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    office.post(f"{API}/appeals/{appeal.pk}/accept/", {}, format="json")
    office.post(f"{API}/appeals/{appeal.pk}/assign/", {"unit": tree.dept_b.pk}, format="json")
    r = api_for(tree.editor_b).post(
        f"{API}/appeals/{appeal.pk}/send-back/", {"reason": "属于民政局职责"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["unit"] is None
    office.post(f"{API}/appeals/{appeal.pk}/assign/", {"unit": tree.dept_a.pk}, format="json")
    editor.post(
        f"{API}/appeals/{appeal.pk}/answer/", {"answer": "吴秀英您好，请联系13905781234的社工。"}, format="json"
    )
    leak = {"public_title": "低保", "public_content": "材料", "public_answer": "请联系13905781234"}
    r = editor.post(f"{API}/appeals/{appeal.pk}/publish/", leak, format="json")
    assert r.status_code == 400 and "public_answer" in r.json()
    masked = {
        "public_title": "低保申请材料",
        "public_content": "想问申请低保要准备什么材料？",
        "public_answer": "请到乡镇申请。",
    }
    r = editor.post(f"{API}/appeals/{appeal.pk}/publish/", masked, format="json")
    assert r.status_code == 200 and r.json()["public_status"] == PublicStatus.PUBLISHED
    r = editor.post(f"{API}/appeals/{appeal.pk}/unpublish/", {}, format="json")
    assert r.status_code == 200 and r.json()["public_status"] == PublicStatus.PRIVATE


def test_api_refusals_are_never_server_errors(tree, assigned, api_for):
    office, editor = api_for(tree.office), api_for(tree.editor_a)
    assert (
        api_for(tree.editor_b).post(f"{API}/appeals/{assigned.pk}/answer/", {"answer": "x"}, format="json").status_code
        == 404
    )
    assert office.post(f"{API}/appeals/{assigned.pk}/answer/", {"answer": "x"}, format="json").status_code == 403
    r = editor.post(f"{API}/appeals/{assigned.pk}/accept/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "state"
    assert editor.post(f"{API}/appeals/{assigned.pk}/answer/", {"answer": ""}, format="json").status_code == 400
    assert editor.post(f"{API}/appeals/{assigned.pk}/answer/", ["x"], format="json").status_code == 400
    assert editor.post(f"{API}/appeals/{assigned.pk}/explode/", {}, format="json").status_code == 404
    assert editor.post(f"{API}/appeals/abc/answer/", {}, format="json").status_code == 404
    assert editor.get(f"{API}/appeals/12abc/").status_code == 404
    r = office.post(f"{API}/appeals/{assigned.pk}/reassign/", {"unit": tree.province.pk}, format="json")
    assert r.status_code == 400 and "unit" in r.json()  # not a unit the office oversees
    r = office.post(f"{API}/appeals/{assigned.pk}/reassign/", {"unit": "民政局"}, format="json")
    assert r.status_code == 400
    assert api_for().post(f"{API}/appeals/{assigned.pk}/answer/", {"answer": "x"}, format="json").status_code in (
        401,
        403,
    )
    assert editor.get(f"{API}/appeals/", {"status": "nonsense"}).status_code == 400


def test_faq_through_the_api(tree, api_for):
    editor = api_for(tree.editor_a)
    r = editor.post(
        f"{API}/faq/",
        {
            "question": "低保怎么申请？",
            "answer": "向乡镇（街道）申请。",
            "unit": tree.dept_a.pk,
            "topics": ["低保", "社会救助"],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    entry = r.json()
    assert sorted(entry["topics"]) == ["低保", "社会救助"] and entry["version"] == 1
    assert [a["name"] for a in entry["actions"]] == ["review", "withdraw"]
    r = editor.patch(f"{API}/faq/{entry['id']}/", {"answer": "可通过“浙里办”在线申请。"}, format="json")
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["question"] == "低保怎么申请？"
    assert editor.post(f"{API}/faq/", {"question": "", "unit": tree.dept_a.pk}, format="json").status_code == 400
    other = editor.post(f"{API}/faq/", {"question": "q", "answer": "a", "unit": tree.dept_b.pk}, format="json")
    assert other.status_code == 400 and "unit" in other.json()
    assert api_for(tree.editor_b).get(f"{API}/faq/{entry['id']}/").status_code == 404
    assert (
        editor.post(f"{API}/faq/{entry['id']}/review/", {"review_date": "2000-01-01"}, format="json").status_code == 400
    )
    assert editor.post(f"{API}/faq/{entry['id']}/withdraw/", {}, format="json").json()["status"] == "withdrawn"
    assert editor.post(f"{API}/faq/{entry['id']}/withdraw/", {}, format="json").status_code == 409
    assert editor.post(f"{API}/faq/{entry['id']}/restore/", {}, format="json").json()["status"] == "published"


def test_consultation_and_moderation_through_the_api(tree, api_for, client):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    today = timezone.localdate()
    editor, leader = api_for(tree.editor_a), api_for(tree.leader_a)
    data = {
        "unit": tree.dept_a.pk,
        "title": "松阳县临时救助实施细则（征求意见稿）",
        "draft": "<p>第一条</p><script>alert(1)</script>",
        "explanation": "<p>起草说明</p>",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=10)).isoformat(),
    }
    r = editor.post(f"{API}/consultations/", data, format="json")
    assert r.status_code == 400 and "short_period_reason" in r.json()  # shorter than 30 days, no reason
    data["closes_on"] = (today + dt.timedelta(days=30)).isoformat()
    r = editor.post(f"{API}/consultations/", data, format="json")
    assert r.status_code == 201 and "<script>" not in r.json()["draft"]
    cid = r.json()["id"]
    pdf = SimpleUploadedFile("起草说明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    r = editor.post(f"{API}/consultations/{cid}/attach/", {"title": "起草说明", "upload": pdf}, format="multipart")
    assert r.status_code == 200 and r.json()["attachments"][0]["content_type"] == "application/pdf"
    fake = SimpleUploadedFile("附件.pdf", b"MZ\x90\x00 not a pdf")
    r = editor.post(f"{API}/consultations/{cid}/attach/", {"upload": fake}, format="multipart")
    assert r.status_code == 400 and "文件类型不受支持" in str(r.json())
    assert editor.post(f"{API}/consultations/{cid}/open/", {}, format="json").status_code == 403  # editors draft only
    assert leader.post(f"{API}/consultations/{cid}/open/", {}, format="json").json()["status"] == "open"
    assert editor.patch(f"{API}/consultations/{cid}/", {"title": "改"}, format="json").status_code == 409
    comment, _ = services.comment_submit(
        consultation=services_consultation(cid), content="建议扩大救助范围，联系13905781234"
    )
    r = editor.post(f"{API}/comments/{comment.pk}/approve/", {}, format="json")
    assert r.status_code == 200 and "13905781234" not in r.json()["public_content"]
    assert (
        editor.post(f"{API}/comments/{comment.pk}/adoption/", {"adoption": "partly"}, format="json").status_code == 400
    )
    leader.post(f"{API}/consultations/{cid}/close/", {}, format="json")
    r = leader.post(f"{API}/consultations/{cid}/report/", {"report": "<p>报告</p>"}, format="json")
    assert r.status_code == 409 and "未标明采纳情况" in r.json()["detail"]
    r = editor.post(
        f"{API}/comments/{comment.pk}/adoption/", {"adoption": "partly", "note": "部分情形已纳入"}, format="json"
    )
    assert r.status_code == 200 and r.json()["adoption"] == "partly"
    r = leader.post(f"{API}/consultations/{cid}/report/", {"report": "<p>报告</p>"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "reported"
    assert editor.post(f"{API}/comments/{comment.pk}/reject/", {"reason": "迟到"}, format="json").status_code == 409
    assert api_for(tree.editor_b).get(f"{API}/comments/{comment.pk}/").status_code == 404


def services_consultation(pk):
    from gongkai.interaction.models import Consultation

    return Consultation.objects.get(pk=pk)


@pytest.mark.parametrize("action_set", [APPEAL_ACTIONS, FAQ_ACTIONS, CONSULTATION_ACTIONS, COMMENT_ACTIONS])
def test_every_workbench_action_has_an_api_route(action_set):
    """API parity: the two faces are generated from the same list."""
    basename = {"appeal": "appeal", "faq": "faq", "consultation": "consultation", "comment": "comment"}[action_set.kind]
    wb_name = f"interaction_wb:{action_set.kind}-act"
    for action in action_set:
        assert reverse(f"interaction-{basename}-act-{action.name}", args=[1]).endswith(f"/1/{action.name}/")
        assert reverse(wb_name, args=[1, action.name]).endswith(f"/1/act/{action.name}/")


def test_actions_are_documented_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for action in APPEAL_ACTIONS:
        op = paths[f"/api/v1/interaction/appeals/{{id}}/{action.name}/"]["post"]
        assert {"200", "403", "404", "409"} <= set(op["responses"]), action.name
    assert "requestBody" in paths["/api/v1/interaction/appeals/{id}/assign/"]["post"]
    assert "/api/v1/interaction/faq/{id}/" in paths and "/api/v1/interaction/comments/{id}/approve/" in paths


def test_every_recorded_action_is_a_registered_name(tree, assigned):
    services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="答复")
    recorded = set(AuditEvent.objects.filter(action__startswith="interaction.").values_list("action", flat=True))
    assert recorded and recorded <= set(AuditAction.values)
    assert all(value in ACTION_LABELS for value in AuditAction.values)


@pytest.mark.parametrize("bad", [[None, None], {"a": 1}, ["2030-01-01", "x"], 12])
def test_json_values_of_the_wrong_shape_are_input_errors(tree, api_for, bad):
    """Found by schemathesis: a list where a form expects one date was a 500."""
    editor = api_for(tree.editor_a)
    entry = services.faq_create(actor=tree.editor_a, unit=tree.dept_a, question="低保怎么申请？", answer="向乡镇申请。")
    r = editor.post(f"{API}/faq/{entry.pk}/review/", {"review_date": bad}, format="json")
    assert r.status_code in (200, 400), r.content
    r = editor.post(
        f"{API}/faq/", {"question": "q", "answer": "a", "unit": tree.dept_a.pk, "review_date": bad}, format="json"
    )
    assert r.status_code in (201, 400), r.content
    c = {
        "unit": tree.dept_a.pk,
        "title": "t",
        "draft": "d",
        "explanation": "e",
        "opens_on": "2030-01-01",
        "closes_on": bad,
    }
    assert editor.post(f"{API}/consultations/", c, format="json").status_code == 400

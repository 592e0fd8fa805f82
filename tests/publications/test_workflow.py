"""The review workflow: every allowed and forbidden transition, through services and HTTP,
with the audit rows and review trail each one leaves."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.publications import services
from gongkai.publications.models import Publication, ReviewPolicy, State, Transition

pytestmark = pytest.mark.django_db


def actions(pub):
    return list(
        AuditEvent.objects.filter(object_type="publications.publication", object_id=str(pub.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_full_chain_publishes_with_index_number_and_audit(tree, draft):
    pub = draft()
    assert pub.state == State.DRAFT
    pub = services.publication_submit(actor=tree.editor_a, publication=pub, comment="请审核")
    assert pub.state == State.ATTRIBUTE_REVIEW
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    assert pub.state == State.CONFIDENTIALITY_REVIEW
    pub = services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub, comment="不涉密")
    assert pub.state == State.SIGNOFF
    assert pub.index_number is None
    pub = services.publication_sign_off(actor=tree.leader_a, publication=pub, comment="同意发布")
    assert pub.state == State.PUBLISHED
    assert pub.index_number.endswith(f"-ZC-{pub.published_on.year}-00001")
    assert pub.index_number.startswith(tree.dept_a.credit_code)
    assert pub.published_at is not None
    assert actions(pub) == [
        "publications.publication.create",
        "publications.publication.submit",
        "publications.publication.attribute",
        "publications.publication.confidentiality",
        "publications.publication.sign_off",
        "publications.publication.publish",
    ]
    publish_event = AuditEvent.objects.get(action="publications.publication.publish", object_id=str(pub.pk))
    assert publish_event.actor == tree.leader_a
    assert publish_event.after["index_number"] == pub.index_number
    steps = list(pub.transitions.values_list("step", "to_state", "comment"))
    assert steps[0] == ("submit", "attribute_review", "请审核")
    assert steps[-1] == ("signoff", "published", "同意发布")


def test_second_publication_gets_next_index_number(tree, draft, publish):
    a = publish(draft())
    b = publish(draft(title="松阳县临时救助实施细则"))
    assert a.index_number[-5:] == "00001" and b.index_number[-5:] == "00002"


@pytest.mark.parametrize("state_step", ["attribute_review", "confidentiality_review", "signoff"])
def test_reject_from_each_step_requires_comment_and_returns_to_draft(tree, draft, state_step):
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    if state_step in ("confidentiality_review", "signoff"):
        pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    if state_step == "signoff":
        pub = services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub)
    assert pub.state == state_step
    actor = tree.leader_a if state_step == "signoff" else tree.reviewer_a
    with pytest.raises(ValidationError):
        services.publication_reject(actor=actor, publication=pub, comment="   ")
    pub = services.publication_reject(actor=actor, publication=pub, comment="第三条表述不准确，请修改")
    assert pub.state == State.DRAFT
    last = AuditEvent.objects.filter(object_id=str(pub.pk)).order_by("-id").first()
    assert last.action == "publications.publication.reject"
    assert last.after["review_comment"] == "第三条表述不准确，请修改"
    assert last.before["state"] == state_step and last.after["state"] == "draft"
    assert Transition.objects.filter(publication=pub, step="reject").get().comment == "第三条表述不准确，请修改"
    # the editor can now change and resubmit
    services.publication_update(actor=tree.editor_a, publication=pub, title="松阳县最低生活保障审核确认办法（修改稿）")
    pub = services.publication_submit(actor=tree.editor_a, publication=pub)
    assert pub.state == State.ATTRIBUTE_REVIEW


def test_forbidden_transitions(tree, draft):
    pub = draft()
    # cannot review/sign/withdraw a draft
    with pytest.raises(ValidationError):
        services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    with pytest.raises(ValidationError):
        services.publication_sign_off(actor=tree.leader_a, publication=pub)
    with pytest.raises(ValidationError):
        services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="x")
    with pytest.raises(ValidationError):
        services.publication_reject(actor=tree.reviewer_a, publication=pub, comment="x")
    pub = services.publication_submit(actor=tree.editor_a, publication=pub)
    # submit twice, skip confidentiality, sign off early
    with pytest.raises(ValidationError):
        services.publication_submit(actor=tree.editor_a, publication=pub)
    with pytest.raises(ValidationError):
        services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub)
    with pytest.raises(ValidationError):
        services.publication_sign_off(actor=tree.leader_a, publication=pub)
    # an item in review cannot be edited
    with pytest.raises(ValidationError):
        services.publication_update(actor=tree.editor_a, publication=pub, title="改")
    # wrong roles
    with pytest.raises(PermissionDenied):
        services.publication_review_attribute(actor=tree.editor_a, publication=pub, attribute="proactive")
    with pytest.raises(PermissionDenied):
        services.publication_review_attribute(actor=tree.leader_a, publication=pub, attribute="proactive")
    pub.refresh_from_db()
    assert pub.state == State.ATTRIBUTE_REVIEW
    assert actions(pub) == ["publications.publication.create", "publications.publication.submit"]


def test_leader_role_needed_for_sign_off(tree, draft):
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    pub = services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub)
    with pytest.raises(PermissionDenied):
        services.publication_sign_off(actor=tree.reviewer_a, publication=pub)
    with pytest.raises(PermissionDenied):
        services.publication_sign_off(actor=tree.leader_b, publication=pub)


def test_not_proactive_requires_ground_and_reason_and_is_retained(tree, draft):
    pub = services.publication_submit(
        actor=tree.editor_a, publication=draft(title="关于某低保对象家庭收入核查情况的报告")
    )
    with pytest.raises(ValidationError) as err:
        services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="not_disclosed")
    assert set(err.value.message_dict) == {"ground", "reason"}
    pub = services.publication_review_attribute(
        actor=tree.reviewer_a,
        publication=pub,
        attribute="not_disclosed",
        ground="art15",
        reason="涉及低保对象个人收入等隐私",
    )
    assert pub.state == State.RETAINED
    assert pub.index_number is None
    ev = AuditEvent.objects.filter(object_id=str(pub.pk)).order_by("-id").first()
    assert ev.action == "publications.publication.retain" and ev.after["attribute_ground"] == "art15"
    assert Transition.objects.filter(publication=pub, step="retain").get().comment.startswith("不予公开：第十五条")
    pub = services.publication_reopen(actor=tree.editor_a, publication=pub)
    assert pub.state == State.DRAFT and pub.attribute == "proactive"


def test_withdraw_requires_public_reason(tree, draft, publish):
    pub = publish(draft())
    with pytest.raises(ValidationError):
        services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="")
    with pytest.raises(PermissionDenied):
        services.publication_withdraw(actor=tree.editor_a, publication=pub, reason="错误")
    pub = services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="文件内容有误，已重新发布更正版本")
    assert pub.state == State.WITHDRAWN
    assert pub.withdrawn_reason == "文件内容有误，已重新发布更正版本"
    assert actions(pub)[-1] == "publications.publication.withdraw"
    with pytest.raises(ValidationError):
        services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="再次")


def test_disclosure_office_may_withdraw(tree, draft, publish):
    pub = publish(draft())
    pub = services.publication_withdraw(
        actor=tree.office, publication=pub, reason="经县政务公开办核查，存在泄露个人信息风险"
    )
    assert pub.state == State.WITHDRAWN


def test_review_policy_skips_layers(tree, draft):
    services.review_policy_set(
        actor=tree.leader_a,
        unit=tree.dept_a,
        require_confidentiality=False,
        require_signoff=False,
        separate_reviewer=True,
    )
    assert AuditEvent.objects.filter(action="publications.review_policy.update").count() == 1
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    assert pub.state == State.PUBLISHED
    assert pub.index_number


def test_review_policy_signoff_only(tree, draft):
    ReviewPolicy.objects.create(unit=tree.dept_a, require_confidentiality=False, require_signoff=True)
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    assert pub.state == State.SIGNOFF


def test_review_policy_set_needs_leader_or_office(tree):
    with pytest.raises(PermissionDenied):
        services.review_policy_set(
            actor=tree.editor_a,
            unit=tree.dept_a,
            require_confidentiality=False,
            require_signoff=False,
            separate_reviewer=False,
        )
    with pytest.raises(PermissionDenied):
        services.review_policy_set(
            actor=tree.leader_b,
            unit=tree.dept_a,
            require_confidentiality=False,
            require_signoff=False,
            separate_reviewer=False,
        )
    services.review_policy_set(
        actor=tree.office, unit=tree.dept_a, require_confidentiality=True, require_signoff=False, separate_reviewer=True
    )


def test_separate_reviewer_blocks_self_review(tree, draft):
    from gongkai.core.models import Membership

    Membership.objects.create(user=tree.editor_a, unit=tree.dept_a, role="reviewer")
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    with pytest.raises(PermissionDenied):
        services.publication_review_attribute(actor=tree.editor_a, publication=pub, attribute="proactive")
    ReviewPolicy.objects.create(unit=tree.dept_a, separate_reviewer=False)
    tree.editor_a._gk_roles = None
    pub = services.publication_review_attribute(actor=tree.editor_a, publication=pub, attribute="proactive")
    assert pub.state == State.CONFIDENTIALITY_REVIEW


def test_submit_checks_completeness(tree, draft):
    pub = draft(doc_type="normative", document_number="", effective_from=None, title="松阳县农村宅基地管理办法")
    assert {"document_number", "effective_from"} == set(services.readiness_errors(pub))
    with pytest.raises(TransitionRefused) as err:
        services.publication_submit(actor=tree.editor_a, publication=pub)
    assert err.value.code == "condition"
    assert "发文字号" in err.value.messages[0] and "施行日期" in err.value.messages[0]
    empty = draft(body="", title="只有标题")
    assert set(services.readiness_errors(empty)) == {"body"}
    with pytest.raises(TransitionRefused, match="请填写正文或上传附件"):
        services.publication_submit(actor=tree.editor_a, publication=empty)
    with pytest.raises(PermissionDenied):  # complete, but not this user's unit
        services.publication_submit(actor=tree.editor_b, publication=draft())


def test_draft_decision_comment_period(tree, draft):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    pub = draft(
        doc_type="draft_decision",
        title="松阳县城区停车收费管理办法（征求意见稿）",
        drafting_notes="<p>一、起草背景……</p>",
        comment_until=today + dt.timedelta(days=10),
    )
    assert "comment_until" in services.readiness_errors(pub)
    with pytest.raises(TransitionRefused, match="第十五条"):
        services.publication_submit(actor=tree.editor_a, publication=pub)
    services.publication_update(
        actor=tree.editor_a, publication=pub, short_comment_reason="涉及春节前紧急事项，征求意见期缩短为10日"
    )
    pub = services.publication_submit(actor=tree.editor_a, publication=pub)
    assert pub.state == State.ATTRIBUTE_REVIEW


# --- HTTP -------------------------------------------------------------------------


def act(pub, name):
    return reverse("publications_wb:act", args=[pub.pk, name])


def test_http_full_chain(tree, client, draft):
    pub = draft()
    client.force_login(tree.editor_a)
    r = client.post(act(pub, "submit"), {"submit-comment": "请审核"})
    assert r.status_code == 302
    client.force_login(tree.reviewer_a)
    r = client.get(reverse("publications_wb:queue", args=["attribute_review"]))
    assert pub.title in r.content.decode()
    page = client.get(reverse("publications_wb:detail", args=[pub.pk])).content.decode()
    assert act(pub, "review-attribute") in page and act(pub, "retain") in page and act(pub, "reject") in page
    assert act(pub, "sign-off") not in page  # buttons come from the transitions open now
    assert client.post(act(pub, "review-attribute"), {}).status_code == 302
    client.post(act(pub, "review-confidentiality"), {"review-confidentiality-comment": "不涉密"})
    client.force_login(tree.leader_a)
    r = client.get(reverse("publications_wb:detail", args=[pub.pk]))
    assert "签发并发布" in r.content.decode()
    r = client.post(act(pub, "sign-off"), {"sign-off-comment": "同意"})
    assert r.status_code == 302
    pub.refresh_from_db()
    assert pub.state == State.PUBLISHED
    assert actions(pub)[-2:] == ["publications.publication.sign_off", "publications.publication.publish"]
    r = client.get(reverse("publications_wb:detail", args=[pub.pk]))
    html = r.content.decode()
    assert "流转记录" in html and "同意" in html and pub.index_number in html


def test_http_refusals_are_clear_and_change_nothing(tree, client, draft):
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    client.force_login(tree.leader_a)
    r = client.post(act(pub, "sign-off"))
    assert r.status_code == 409 and "当前状态为“待公开属性审查”" in r.content.decode()  # wrong state
    client.force_login(tree.editor_a)
    assert client.post(act(pub, "review-attribute")).status_code == 403  # wrong role
    assert client.post(act(pub, "explode")).status_code == 404  # unknown action
    assert client.post(reverse("publications_wb:act", args=[999999, "submit"])).status_code == 404
    client.force_login(tree.editor_b)
    assert client.post(act(pub, "reject"), {"reject-comment": "x"}).status_code == 404  # another unit's item
    pub.refresh_from_db()
    assert pub.state == State.ATTRIBUTE_REVIEW
    assert actions(pub) == ["publications.publication.create", "publications.publication.submit"]


def test_http_reject_without_comment_is_refused(tree, client, draft):
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    client.force_login(tree.reviewer_a)
    r = client.post(act(pub, "reject"), {"reject-comment": ""})
    assert r.status_code == 400 and "该字段是必填项" in r.content.decode()
    client.post(act(pub, "reject"), {"reject-comment": "请补充附件"})
    pub.refresh_from_db()
    assert pub.state == State.DRAFT


def test_http_submit_incomplete_lists_what_is_missing(tree, client, draft):
    pub = draft(body="", title="只有标题")
    client.force_login(tree.editor_a)
    page = client.get(reverse("publications_wb:detail", args=[pub.pk])).content.decode()
    assert "提交审核前还需完善" in page and "请填写正文或上传附件" in page
    assert act(pub, "submit") not in page
    r = client.post(act(pub, "submit"))
    assert r.status_code == 409 and "请填写正文或上传附件" in r.content.decode()


def test_http_create_edit_draft(tree, client):
    client.force_login(tree.editor_a)
    r = client.get(reverse("publications_wb:create") + "?type=notice")
    assert r.status_code == 200
    r = client.post(
        reverse("publications_wb:create") + "?type=notice",
        {
            "doc_type": "notice",
            "unit": tree.dept_a.pk,
            "title": "关于2026年度城乡低保标准调整的公告<script>alert(1)</script>",
            "topic": "civil",
            "issuer": "松阳县民政局",
            "made_on": "2026-11-02",
            "body": "自2026年12月1日起，全县城乡低保标准统一调整为每人每月1150元。\n特此公告。",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    pub = Publication.objects.get()
    assert pub.title == "关于2026年度城乡低保标准调整的公告"
    assert pub.body.count("<p>") == 2
    r = client.post(
        reverse("publications_wb:edit", args=[pub.pk]),
        {"title": "", "topic": "civil", "made_on": "2026-11-02", "body": "x"},
    )
    assert r.status_code == 200 and 'class="field has-error required"' in r.content.decode()
    pub.refresh_from_db()
    assert pub.title == "关于2026年度城乡低保标准调整的公告"
    r = client.post(
        reverse("publications_wb:edit", args=[pub.pk]),
        {"title": "关于调整城乡低保标准的公告", "topic": "civil", "made_on": "2099-01-01", "body": "x"},
    )
    assert "成文日期不能晚于今天" in r.content.decode()


def test_http_anonymous_redirected_to_login(client, tree, draft):
    pub = draft()
    r = client.get(reverse("publications_wb:detail", args=[pub.pk]))
    assert r.status_code == 302 and "/staff/login/" in r["Location"]


def test_workbench_home_panel_and_htmx_queue(tree, client, draft):
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    client.force_login(tree.reviewer_a)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "待公开属性审查 1 件" in html
    r = client.get(reverse("publications_wb:queue", args=["attribute_review"]), HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert pub.title in body and "<html" not in body  # partial for htmx
    client.force_login(tree.leader_b)
    assert "待公开属性审查" not in client.get(reverse("workbench:home")).content.decode()


def test_openapi_schema_builds(client, tree):
    r = client.get("/api/schema/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "/api/v1/staff/publications/{id}/sign-off/" in text and "/api/v1/publications/" in text
    assert "/api/v1/catalogue/versions/{id}/accept-incomplete/" in text


@pytest.mark.parametrize(
    "doc_type", ["policy", "regulation", "normative", "interpretation", "notice", "budget", "draft_decision", "general"]
)
def test_create_form_renders_for_every_type(tree, client, doc_type):
    client.force_login(tree.editor_a)
    r = client.get(reverse("publications_wb:create") + f"?type={doc_type}")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="title"' in html and 'name="body"' in html
    assert ('name="effective_from"' in html) == (doc_type in ("regulation", "normative"))
    assert ('name="drafting_notes"' in html) == (doc_type == "draft_decision")
    assert ('name="interprets"' in html) == (doc_type == "interpretation")


def test_editor_home_lists_drafts_and_items_in_review(tree, client, draft):
    d = draft(title="草稿甲")
    r = services.publication_submit(actor=tree.editor_a, publication=draft(title="送审乙"))
    client.force_login(tree.editor_a)
    html = client.get(reverse("publications_wb:home")).content.decode()
    assert d.title in html and r.title in html and "待公开属性审查" in html
    client.force_login(tree.editor_b)
    html = client.get(reverse("publications_wb:home")).content.decode()
    assert d.title not in html and r.title not in html


def test_http_review_errors_keep_what_the_reviewer_typed(tree, client, draft):
    pub = services.publication_submit(actor=tree.editor_a, publication=draft())
    client.force_login(tree.reviewer_a)
    r = client.post(
        act(pub, "retain"),
        {
            "retain-attribute": "not_disclosed",
            "retain-ground": "",
            "retain-reason": "涉及低保对象家庭收入等个人隐私信息",
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "该字段是必填项" in html
    assert "涉及低保对象家庭收入等个人隐私信息</textarea>" in html
    pub.refresh_from_db()
    assert pub.state == State.ATTRIBUTE_REVIEW

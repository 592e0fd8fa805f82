import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.interaction import services
from gongkai.interaction.models import Adoption, Comment, CommentStatus, Consultation, ConsultationStatus

from .conftest import human_answer

TODAY = dt.date.today()


@pytest.fixture
def draft(tree):
    return services.consultation_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）",
        draft='<p>第一条 为规范……</p><script>alert(1)</script><p onclick="x()">第二条</p>',
        explanation="<p>起草背景……</p>",
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=30),
    )


@pytest.fixture
def opened(tree, draft):
    return services.consultation_open(actor=tree.leader_a, consultation=draft)


def test_rich_text_is_sanitised(draft):
    assert "<script>" not in draft.draft and "onclick" not in draft.draft and "<p>第一条" in draft.draft


def test_period_below_30_days_needs_a_reason(tree, draft):
    services.consultation_update(actor=tree.editor_a, consultation=draft, closes_on=TODAY + dt.timedelta(days=20))
    with pytest.raises(ValidationError, match="第十五条"):
        services.consultation_open(actor=tree.leader_a, consultation=draft)
    services.consultation_update(
        actor=tree.editor_a, consultation=draft, short_period_reason="上级文件要求限期出台，紧急情况"
    )
    c = services.consultation_open(actor=tree.leader_a, consultation=draft)
    assert c.status == ConsultationStatus.OPEN


def test_editor_cannot_open_and_other_unit_cannot_manage(tree, draft, client_for):
    with pytest.raises(PermissionDenied):
        services.consultation_open(actor=tree.editor_a, consultation=draft)
    with pytest.raises(PermissionDenied):
        services.consultation_update(actor=tree.editor_b, consultation=draft, title="改标题")
    assert client_for(tree.editor_b).get(f"/workbench/interaction/consultations/{draft.pk}/").status_code == 403


def test_draft_is_not_public(client, draft):
    assert client.get(f"/interaction/consultations/{draft.pk}/").status_code == 404
    assert draft.title not in client.get("/interaction/consultations/").content.decode()


def test_comment_moderation_masks_and_keeps_rejected(tree, opened, client):
    url = f"/interaction/consultations/{opened.pk}/"
    client.get(url)
    r = client.post(
        url,
        {
            "content": "建议将护理费纳入刚性支出，我的电话13905781234",
            "author_name": "陈明",
            "contact": "13905781234",
            "human_check": human_answer(client, "comment"),
        },
    )
    assert r.status_code == 302
    client.get(url)
    client.post(url, {"content": "广告：代开发票", "human_check": human_answer(client, "comment")})
    good, spam = Comment.objects.order_by("pk")
    page = client.get(url).content.decode()
    assert "护理费" not in page  # not shown before moderation
    services.comment_moderate(actor=tree.editor_a, comment=good, approve=True)
    with pytest.raises(ValidationError):
        services.comment_moderate(actor=tree.editor_a, comment=spam, approve=False, reason="")
    services.comment_moderate(actor=tree.editor_a, comment=spam, approve=False, reason="广告信息")
    page = client.get(url).content.decode()
    assert "护理费" in page and "13905781234" not in page and "陈**" in page
    assert "代开发票" not in page
    spam = Comment.objects.get(pk=spam.pk)
    assert spam.status == CommentStatus.REJECTED and spam.reject_reason == "广告信息"  # kept, never deleted


def test_comment_bad_input_and_duplicates(opened, client):
    url = f"/interaction/consultations/{opened.pk}/"
    client.get(url)
    r = client.post(url, {"content": "", "human_check": human_answer(client, "comment")})
    assert r.status_code == 400 and "请填写意见内容" in r.content.decode()
    services.comment_submit(consultation=opened, content="同一条意见", contact="a@b.cn")
    _c, created = services.comment_submit(consultation=opened, content="同一条意见", contact="a@b.cn")
    assert not created and Comment.objects.count() == 1


def test_no_comments_after_closing(tree, opened):
    c = services.consultation_close(actor=tree.leader_a, consultation=opened)
    with pytest.raises(ValidationError):
        services.comment_submit(consultation=c, content="晚到的意见")


def test_feedback_report_requires_adoption_decisions(tree, opened, client):
    comment, _ = services.comment_submit(consultation=opened, content="建议延长渐退期")
    services.comment_moderate(actor=tree.editor_a, comment=comment, approve=True)
    with pytest.raises(ValidationError):
        services.consultation_report(actor=tree.leader_a, consultation=opened, report="报告")  # still open
    c = services.consultation_close(actor=tree.leader_a, consultation=opened)
    with pytest.raises(ValidationError, match="未标明采纳情况"):
        services.consultation_report(actor=tree.leader_a, consultation=c, report="报告")
    with pytest.raises(ValidationError):
        services.comment_set_adoption(actor=tree.editor_a, comment=comment, adoption=Adoption.NOT_ADOPTED, note="")
    services.comment_set_adoption(
        actor=tree.editor_a, comment=comment, adoption=Adoption.NOT_ADOPTED, note="与上位法规定不一致"
    )
    c = services.consultation_report(actor=tree.leader_a, consultation=c, report="<p>共收到意见1条，未采纳1条。</p>")
    assert c.status == ConsultationStatus.REPORTED
    page = client.get(f"/interaction/consultations/{c.pk}/").content.decode()
    assert "意见采纳情况反馈" in page and "与上位法规定不一致" in page and "未采纳 1 条" in page
    listing = client.get("/interaction/consultations/?state=reported").content.decode()
    assert c.title in listing


def test_attachment_types_are_sniffed(tree, draft, client):
    fake = SimpleUploadedFile("起草说明.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="文件类型不受支持"):
        services.consultation_add_attachment(actor=tree.editor_a, consultation=draft, title="起草说明", upload=fake)
    pdf = SimpleUploadedFile(
        "起草说明.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", content_type="application/octet-stream"
    )
    att = services.consultation_add_attachment(actor=tree.editor_a, consultation=draft, title="起草说明", upload=pdf)
    assert att.content_type == "application/pdf" and att.file.name.endswith(".pdf")
    c = services.consultation_open(actor=tree.leader_a, consultation=draft)
    r = client.get(f"/interaction/consultations/{c.pk}/attachments/{att.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_workbench_moderation_flow(tree, opened, client_for):
    comment, _ = services.comment_submit(consultation=opened, content="建议公开评议结果")
    client = client_for(tree.reviewer_a)
    assert "建议公开评议结果" in client.get("/workbench/interaction/moderation/").content.decode()
    r = client.post(f"/workbench/interaction/comments/{comment.pk}/act/approve/?next=moderation")
    assert r.status_code == 302 and r["Location"] == "/workbench/interaction/moderation/"
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    other = client_for(tree.editor_b)
    c2, _ = services.comment_submit(consultation=opened, content="另一条")
    assert other.post(f"/workbench/interaction/comments/{c2.pk}/act/approve/").status_code == 403


def test_expired_consultations_close_automatically(tree, opened):
    Consultation.objects.filter(pk=opened.pk).update(closes_on=TODAY - dt.timedelta(days=1))
    from gongkai.interaction.tasks import consultation_close_expired

    assert consultation_close_expired() == 1
    assert Consultation.objects.get(pk=opened.pk).status == ConsultationStatus.CLOSED

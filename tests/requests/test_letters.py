"""Letters rendered from editable DOCX templates to DOCX and PDF, filed and delivered."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from gongkai.requests import letters, services
from gongkai.requests.models import LetterKind, LetterTemplate, Outcome

pytestmark = pytest.mark.usefixtures("direct_replies")  # replies without sign-off here (see test_signoff)


def _text(field) -> str:
    with field.open("rb") as fh:
        return "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)


def test_reply_letter_docx_and_pdf(client, tree, submit):
    req = submit(tree.dept_a)
    services.request_reply(
        actor=tree.editor_a,
        req=req,
        outcome=Outcome.WITHHELD_THIRD_PARTY,
        reason="所申请信息含第三方个人隐私，第三方不同意公开。",
    )
    letter = services.letter_issue(actor=tree.editor_a, req=req, kind=LetterKind.REPLY)
    text = _text(letter.docx)
    assert "政府信息公开申请答复书" in text and req.tracking_code in text and "第十五条" in text
    assert "行政复议" in text and "行政诉讼" in text and "松阳县人民政府" in text  # remedies, review body
    assert letter.number.startswith("松阳县民政局依申答〔")
    with letter.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    # delivered to the applicant's tracking page
    client.post(reverse("requests:track"), {"code": req.tracking_code, "phone_tail": "1234"})
    page = client.get(reverse("requests:status", args=[req.tracking_code])).content.decode()
    assert letter.number in page
    pdf = client.get(reverse("requests:letter", args=[req.tracking_code, letter.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"


def test_consultation_letter_not_delivered_to_applicant(tree, submit):
    req = submit(tree.dept_a)
    c = services.consultation_send(
        actor=tree.editor_a,
        req=req,
        kind="third_party",
        recipient="松阳县某养老服务公司",
        question="是否同意公开贵公司的补贴领取金额",
    )
    letter = services.letter_issue(actor=tree.editor_a, req=req, kind=LetterKind.CONSULTATION, consultation=c)
    assert not letter.to_applicant
    text = _text(letter.docx)
    assert "松阳县某养老服务公司" in text and "第三十二条" in text and "15个工作日" in text
    assert req.id_number not in text and req.phone not in text


def test_edited_template_is_used(tree, submit):
    from docx import Document as NewDoc

    doc = NewDoc()
    doc.add_paragraph("{{ unit_name }} 自定义补正模板 {{ tracking_code }} 期限 {{ correction_deadline }}")
    buf = io.BytesIO()
    doc.save(buf)
    LetterTemplate.objects.create(kind=LetterKind.CORRECTION, docx=SimpleUploadedFile("c.docx", buf.getvalue()))
    req = submit(tree.dept_a)
    req = services.request_correction_notice(actor=tree.editor_a, req=req, items="请写明年份")
    letter = services.letter_issue(actor=tree.editor_a, req=req, kind=LetterKind.CORRECTION)
    text = _text(letter.docx)
    assert "自定义补正模板" in text and req.tracking_code in text


def test_placeholders_are_escaped(tree, submit):
    from tests.requests.conftest import person

    req = submit(tree.dept_a, data=person(description="<w:p>注入</w:p> & 测试"))
    services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC)
    letter = services.letter_issue(actor=tree.editor_a, req=req, kind=LetterKind.REPLY)
    assert "<w:p>注入</w:p> & 测试" in _text(letter.docx)


def test_default_templates_have_every_kind():
    for kind in LetterKind.values:
        assert letters.build_default_template(kind)[:2] == b"PK"


def test_multiline_reason_and_empty_optional_paragraphs(tree, submit):
    req = submit(tree.dept_a)
    services.request_reply(
        actor=tree.editor_a,
        req=req,
        outcome=Outcome.PUBLIC_ALREADY,
        reason="第一段：已于2026年5月公开。\n第二段：网址见县政府门户网站。",
    )
    letter = services.letter_issue(actor=tree.editor_a, req=req, kind=LetterKind.REPLY)
    text = _text(letter.docx)
    assert "第一段：已于2026年5月公开。\n第二段" in text
    assert "\n\n" not in text  # no blank paragraphs left by optional parts


def test_request_files_are_private(tree, submit, settings):
    from pathlib import Path

    import pytest

    req = submit(tree.dept_a)
    services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC)
    letter = services.letter_issue(actor=tree.editor_a, req=req, kind=LetterKind.REPLY)
    private = Path(settings.MEDIA_ROOT).parent / "private-media"
    assert Path(letter.pdf.path).is_relative_to(private)
    assert not Path(letter.pdf.path).is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        letter.pdf.url  # noqa: B018 - no public URL exists

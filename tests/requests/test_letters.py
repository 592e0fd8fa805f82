"""Letters: issued with their step, rendered after commit from editable DOCX templates to DOCX and
PDF (A4), worded for the applicant (您 / 贵单位), without doubled punctuation or form labels, the
signature kept with the last paragraph; a template with an unknown field refuses to render."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from gongkai.requests import letters, services
from gongkai.requests.admin import LetterTemplateForm
from gongkai.requests.models import LetterKind, LetterState, LetterTemplate, Outcome
from tests.requests.conftest import organisation, person

pytestmark = pytest.mark.usefixtures("direct_replies")  # replies without sign-off here (see test_signoff)

A4_EMU = (7560310, 10692130)  # 210 × 297 mm in EMU (python-docx Mm())
DOUBLED = re.compile(r"[。！？；][”’]?[。；]|，，|：：")


def _docx(field) -> Document:
    with field.open("rb") as fh:
        return Document(io.BytesIO(fh.read()))


def _text(field) -> str:
    return "\n".join(p.text for p in _docx(field).paragraphs)


def _pdf_pages(field) -> list[str]:
    with field.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return [page.extract_text() for page in reader.pages], reader.pages[0].mediabox


@pytest.fixture
def reply_letter(tree, submit, django_capture_on_commit_callbacks):
    def make(outcome=Outcome.PUBLIC, reason="", data=None, **kw):
        req = submit(tree.dept_a, data=data)
        with django_capture_on_commit_callbacks(execute=True):
            services.request_reply(actor=tree.editor_a, req=req, outcome=outcome, reason=reason, letter=True, **kw)
        letter = req.letters.get(kind=LetterKind.REPLY)
        assert letter.state == LetterState.READY, letter.error
        return req, letter

    return make


def test_reply_letter_docx_and_pdf_on_a4(client, reply_letter):
    req, letter = reply_letter(Outcome.WITHHELD_THIRD_PARTY, reason="所申请信息含第三方个人隐私，第三方不同意公开。")
    text = _text(letter.docx)
    assert "政府信息公开申请答复书" in text and req.tracking_code in text and "第十五条" in text
    assert "行政复议" in text and "行政诉讼" in text and "松阳县人民政府" in text  # remedies, review body
    assert letter.number.startswith("松阳县民政局依申答〔")
    section = _docx(letter.docx).sections[0]
    assert (section.page_width, section.page_height) == A4_EMU
    pages, box = _pdf_pages(letter.pdf)
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # delivered to the applicant's tracking page
    client.post(reverse("requests:track"), {"code": req.tracking_code, "phone_tail": "1234"})
    page = client.get(reverse("requests:status", args=[req.tracking_code])).content.decode()
    assert letter.number in page
    pdf = client.get(reverse("requests:letter", args=[req.tracking_code, letter.pk, "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"


def test_wording_follows_the_applicant(reply_letter):
    _req, to_citizen = reply_letter(Outcome.PUBLIC, reason="现将名单提供给您。")
    _req, to_firm = reply_letter(Outcome.PUBLIC, reason="现将文件提供给贵单位。", data=organisation())
    citizen, firm = _text(to_citizen.docx), _text(to_firm.docx)
    assert "收到您提出的" in citizen and "贵单位" not in citizen
    assert "收到贵单位提出的" in firm and "收到您" not in firm
    for text in (citizen, firm):
        assert "（单位）" not in text


@pytest.mark.parametrize("outcome", [o for o in Outcome.values if o != Outcome.OTHER_NO_CORRECTION])
def test_no_form_labels_or_doubled_punctuation(reply_letter, outcome):
    """The decision is a sentence, not the form's label; fields ending in 。 do not double it."""
    req, letter = reply_letter(
        outcome,
        reason="理由见下。",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条。",
        data=person(description="请公开“2025年低保名单”。"),
    )
    text = _text(letter.docx)
    label = str(Outcome(outcome).label)
    assert label not in text and "：同意公开" not in text
    assert letters.OUTCOME_TEXT[outcome].format(you="您") in text
    assert not DOUBLED.search(text), DOUBLED.search(text).group(0)
    pages, _box = _pdf_pages(letter.pdf)
    assert not DOUBLED.search("".join(pages))


def test_signature_stays_with_the_last_paragraph(reply_letter):
    """However long the reply, the unit and date never sit alone on the last page."""
    alone = 0
    for n in (8, 10, 12, 14, 16, 18):
        reason = "\n".join(f"第{i}项：该项信息已整理成表，随本答复书一并提供，共计若干页。" for i in range(1, n + 1))
        _req, letter = reply_letter(Outcome.PUBLIC, reason=reason)
        pages, _box = _pdf_pages(letter.pdf)
        last = pages[-1]
        assert "松阳县民政局" in last and "第五十一条" in last, (n, len(pages))
        alone += len(pages) > 1
    assert alone  # the longer replies do run onto a second page


def test_consultation_letter_not_delivered_to_applicant(tree, submit, django_capture_on_commit_callbacks):
    req = submit(tree.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_send(
            actor=tree.editor_a,
            req=req,
            kind="third_party",
            recipient="松阳县某养老服务公司",
            question="是否同意公开贵公司的补贴领取金额",
            letter=True,
        )
    letter = req.letters.get()
    assert not letter.to_applicant and letter.state == LetterState.READY
    text = _text(letter.docx)
    assert "松阳县某养老服务公司" in text and "第三十二条" in text
    assert req.id_number not in text and req.phone not in text


def _template(*paragraphs: str) -> bytes:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_edited_template_is_used(tree, submit, django_capture_on_commit_callbacks):
    data = _template("{{ unit_name }} 自定义补正模板 {{ tracking_code }} 期限 {{ correction_deadline }}")
    LetterTemplate.objects.create(kind=LetterKind.CORRECTION, docx=SimpleUploadedFile("c.docx", data))
    req = submit(tree.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_correction_notice(actor=tree.editor_a, req=req, items="请写明年份", letter=True)
    text = _text(req.letters.get().docx)
    assert "自定义补正模板" in text and req.tracking_code in text


def test_template_with_a_missing_field_refuses_to_render(tree, submit, django_capture_on_commit_callbacks):
    data = _template("{{ unit_name }}：{{ applicant_phone }}")
    LetterTemplate.objects.create(kind=LetterKind.CORRECTION, docx=SimpleUploadedFile("c.docx", data))
    req = submit(tree.dept_a)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_correction_notice(actor=tree.editor_a, req=req, items="请写明年份", letter=True)
    letter = req.letters.get()
    assert letter.state == LetterState.FAILED and "applicant_phone" in letter.error and not letter.docx
    assert req.status == "correction"  # the step itself stands
    # the administrator's upload is checked the same way
    form = LetterTemplateForm(
        data={"kind": LetterKind.REPLY, "note": ""},
        files={"docx": SimpleUploadedFile("r.docx", _template("{{ applicant_phone }} {{ tracking_code }}"))},
    )
    assert not form.is_valid() and "applicant_phone" in str(form.errors)
    good = LetterTemplateForm(
        data={"kind": LetterKind.REPLY, "note": ""},
        files={"docx": SimpleUploadedFile("r.docx", letters.build_default_template(LetterKind.REPLY))},
    )
    assert good.is_valid(), good.errors


def test_empty_required_field_names_it():
    context = {"applicant_name": "王小明", "outcome_text": "", "legal_basis": "第三十六条"}
    with pytest.raises(letters.LetterTemplateError, match="outcome_text"):
        letters.render_docx(LetterKind.REPLY, context)


def test_placeholders_are_escaped(reply_letter):
    _req, letter = reply_letter(data=person(description="<w:p>注入</w:p> & 测试"))
    assert "<w:p>注入</w:p> & 测试" in _text(letter.docx)


def test_default_templates_have_every_kind():
    for kind in LetterKind.values:
        data = letters.build_default_template(kind)
        assert data[:2] == b"PK"
        letters.check_template(data)  # uses only known fields


def test_multiline_reason_and_empty_optional_paragraphs(reply_letter):
    _req, letter = reply_letter(
        Outcome.PUBLIC_ALREADY, reason="第一段：已于2026年5月公开。\n第二段：网址见县政府门户网站。"
    )
    text = _text(letter.docx)
    assert "第一段：已于2026年5月公开。\n第二段" in text
    assert "\n\n" not in text  # no blank paragraphs left by optional parts


def test_request_files_are_private(reply_letter, settings):
    from pathlib import Path

    _req, letter = reply_letter()
    private = Path(settings.MEDIA_ROOT).parent / "private-media"
    assert Path(letter.pdf.path).is_relative_to(private)
    assert not Path(letter.pdf.path).is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        letter.pdf.url  # noqa: B018 - no public URL exists

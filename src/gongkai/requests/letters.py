"""Letters (答复书, 补正告知书, 延期答复告知书, 征求意见函) from editable DOCX templates.

Templates are DOCX files with docxtpl (Jinja) placeholders. An administrator can
upload a replacement per kind (:class:`LetterTemplate`, Django admin); otherwise
the default built here is used (download it from the admin as a starting point).
The rendered DOCX is the letter; the PDF is laid out from the same rendered
paragraphs with WeasyPrint (font: WenQuanYi Micro Hei), so both always agree.

Every letter states its legal basis and, for decisions, the applicant's remedies
(行政复议法 art. 20: 60 days; 行政诉讼法 art. 46: 6 months).
"""

from __future__ import annotations

import html
import io
import logging
from functools import lru_cache

from django.core.files.base import ContentFile
from django.utils import timezone

from gongkai.core import numbering

from .models import (
    ConsultationKind,
    IdType,
    InformationRequest,
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
)
from .services import cn_date

for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

REMEDIES = (
    "申请人对本{{ doc_name }}不服的，可以自收到之日起六十日内向{{ review_body }}申请行政复议，"
    "也可以自收到之日起六个月内向人民法院提起行政诉讼（《中华人民共和国行政复议法》第二十条、"
    "《中华人民共和国行政诉讼法》第四十六条、《中华人民共和国政府信息公开条例》第五十一条）。"
)

# (kind, title, number code, paragraphs). "{{ }}" are docxtpl placeholders.
DEFAULTS = {
    LetterKind.REPLY: (
        "政府信息公开申请答复书",
        "答",
        [
            "{{ applicant_name }}：",
            "本机关于{{ received_on }}收到您（单位）提出的政府信息公开申请（查询码：{{ tracking_code }}），"
            "申请获取：“{{ description }}”。{% if corrected_on %}您于{{ corrected_on }}补正了申请内容。{% endif %}",
            "经审查，现答复如下：{{ outcome_label }}。",
            "{%p if reason %}",
            "{{ reason }}",
            "{%p endif %}",
            "{%p if delivery_text %}",
            "{{ delivery_text }}",
            "{%p endif %}",
            "法律依据：{{ legal_basis }}。",
            REMEDIES,
        ],
    ),
    LetterKind.CORRECTION: (
        "补正申请告知书",
        "补",
        [
            "{{ applicant_name }}：",
            "本机关于{{ received_on }}收到您（单位）提出的政府信息公开申请（查询码：{{ tracking_code }}）。"
            "经审查，您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第二十九条、第三十条的规定，"
            "请您对以下事项作出补正：",
            "{{ correction_items }}",
            "请于{{ correction_deadline }}前补正。答复期限自本机关收到补正申请之日起计算。"
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
            "法律依据：《中华人民共和国政府信息公开条例》第三十条。",
            REMEDIES,
        ],
    ),
    LetterKind.EXTENSION: (
        "延期答复告知书",
        "延",
        [
            "{{ applicant_name }}：",
            "本机关于{{ received_on }}收到您（单位）提出的政府信息公开申请（查询码：{{ tracking_code }}）。"
            "因{{ extension_reason }}，本机关不能在规定期限内作出答复。",
            "经政府信息公开工作机构负责人同意，答复期限延长{{ extension_days }}个工作日，"
            "本机关将于{{ due_date }}前作出答复。",
            "法律依据：《中华人民共和国政府信息公开条例》第三十三条第二款。",
            REMEDIES,
        ],
    ),
    LetterKind.CONSULTATION: (
        "政府信息公开征求意见函",
        "征",
        [
            "{{ recipient }}：",
            "本机关于{{ received_on }}收到一份政府信息公开申请（查询码：{{ tracking_code }}），申请公开的信息可能涉及"
            "{% if third_party %}贵方的商业秘密、个人隐私等合法权益{% else %}贵机关的职责或与贵机关共同制作{% endif %}。"
            "征求意见事项如下：",
            "{{ question }}",
            "请于{{ consultation_due }}前（收到本函之日起15个工作日内）书面提出意见。"
            "{% if third_party %}逾期未提出意见的，由本机关依照条例规定决定是否公开。"
            "第三方不同意公开且有合理理由的，本机关不予公开；但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，"
            "并将决定公开的内容和理由书面告知第三方。{% else %}逾期未提出意见的视为同意公开。{% endif %}",
            "法律依据：《中华人民共和国政府信息公开条例》{% if third_party %}第三十二条{% else %}第三十四条{% endif %}。",
        ],
    ),
}

LETTER_CSS = """
@page { size: A4; margin: 28mm 26mm 26mm 28mm; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; font-size: 15pt; line-height: 1.8; }
h1 { text-align: center; font-size: 20pt; margin: 0 0 4mm; }
p.number { text-align: center; margin: 0 0 8mm; }
p { margin: 0 0 3mm; text-indent: 2em; }
p.salutation, p.plain { text-indent: 0; }
p.sign { text-align: right; text-indent: 0; margin-top: 12mm; }
"""


def build_default_template(kind: str) -> bytes:
    """The shipped default DOCX template for a letter kind (docxtpl placeholders)."""
    return _default_template(kind)


@lru_cache(maxsize=8)
def _default_template(kind: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    title, _code, paragraphs = DEFAULTS[kind]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "WenQuanYi Micro Hei"
    style.font.size = Pt(15)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Micro Hei")
    head = doc.add_paragraph("{{ unit_name }}")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    t = doc.add_paragraph(title)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    t.runs[0].bold = True
    t.runs[0].font.size = Pt(20)
    n = doc.add_paragraph("{{ number }}")
    n.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in paragraphs:
        doc.add_paragraph(text)
    s1 = doc.add_paragraph("{{ unit_name }}")
    s1.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    s2 = doc.add_paragraph("{{ issued_on }}")
    s2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def template_bytes(kind: str) -> bytes:
    custom = LetterTemplate.objects.filter(kind=kind).first()
    if custom and custom.docx:
        with custom.docx.open("rb") as fh:
            return fh.read()
    return build_default_template(kind)


def _d(value) -> str:
    return cn_date(value) if value else ""


def _review_body(req: InformationRequest) -> str:
    unit = req.unit
    if unit.is_government:
        parent = unit.parent
        return parent.government().name if parent else unit.name
    return unit.government().name


def context_for(req: InformationRequest, kind: str, *, number: str, consultation=None, issued_on=None) -> dict:
    from . import services

    ext = req.extensions.filter(status="approved").last()
    steps = req.steps.filter(kind="correction_requested").last()
    delivery_text = ""
    if req.outcome in (Outcome.PUBLIC, Outcome.PARTIAL):
        delivery_text = (
            f"所申请的信息将以{req.get_preferred_format_display()}形式、通过{req.get_delivery_display()}方式提供。"
        )
    items = ""
    if steps:
        items = steps.public_note.split("\n")[0].removeprefix("需补正事项：")
    return {
        "unit_name": req.unit.name,
        "number": number,
        "doc_name": {
            LetterKind.REPLY: "答复",
            LetterKind.CORRECTION: "告知",
            LetterKind.EXTENSION: "告知",
            LetterKind.CONSULTATION: "函",
        }[kind],
        "review_body": _review_body(req),
        "applicant_name": req.name,
        "id_type": IdType(req.id_type).label if req.id_type else "",
        "tracking_code": req.tracking_code,
        "received_on": _d(req.received_on),
        "corrected_on": _d(req.corrected_on),
        "description": req.description,
        "outcome_label": Outcome(req.outcome).label if req.outcome else "",
        "reason": req.outcome_reason,
        "legal_basis": req.legal_basis,
        "delivery_text": delivery_text,
        "correction_items": items,
        "correction_deadline": _d(req.correction_deadline),
        "extension_days": req.extension_days,
        "extension_reason": (ext.reason if ext else "").rstrip("。"),
        "due_date": _d(req.due_date),
        "recipient": consultation.recipient if consultation else "",
        "question": consultation.question if consultation else "",
        "consultation_due": _d(consultation.reply_due) if consultation else "",
        "third_party": bool(consultation and consultation.kind == ConsultationKind.THIRD_PARTY),
        "issued_on": _d(issued_on or services.today()),
    }


MULTILINE = ("description", "reason", "correction_items", "question")


def render_docx(kind: str, context: dict) -> bytes:
    from docxtpl import DocxTemplate, Listing

    context = {
        k: (Listing(v) if k in MULTILINE and isinstance(v, str) and "\n" in v else v) for k, v in context.items()
    }
    tpl = DocxTemplate(io.BytesIO(template_bytes(kind)))
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def docx_to_html(docx_bytes: bytes, title: str) -> str:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document(io.BytesIO(docx_bytes))
    parts = []
    seen_title = False
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text:
            continue
        esc = html.escape(text).replace("\n", "<br>")
        if not seen_title and text == title:
            parts.append(f"<h1>{esc}</h1>")
            seen_title = True
        elif p.alignment == WD_ALIGN_PARAGRAPH.CENTER:
            parts.append(f'<p class="number">{esc}</p>')
        elif p.alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            parts.append(f'<p class="sign">{esc}</p>')
        elif text.endswith("：") and len(text) < 60:
            parts.append(f'<p class="salutation">{esc}</p>')
        else:
            parts.append(f"<p>{esc}</p>")
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{LETTER_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def render_pdf(docx_bytes: bytes, title: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=docx_to_html(docx_bytes, title)).write_pdf()


def issue(*, req: InformationRequest, kind: str, actor, consultation=None, issued_on=None) -> Letter:
    title, code, _ = DEFAULTS[kind]
    issued_on = issued_on or timezone.localdate()
    year = issued_on.year
    seq = numbering.next_value(f"requests-letter:{req.unit_id}:{code}:{year}")
    short = req.unit.short_name or req.unit.name
    number = f"{short}依申{code}〔{year}〕{seq}号"
    ctx = context_for(req, kind, number=number, consultation=consultation, issued_on=issued_on)
    docx_bytes = render_docx(kind, ctx)
    pdf_bytes = render_pdf(docx_bytes, title)
    letter = Letter(
        request=req,
        kind=kind,
        number=number,
        consultation=consultation,
        to_applicant=kind != LetterKind.CONSULTATION,
        issued_on=issued_on,
        created_by=actor,
    )
    stem = f"{kind}-{year}-{seq}"
    letter.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
    letter.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    letter.save()
    return letter

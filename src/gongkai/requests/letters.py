"""Letters (答复书, 补正申请告知书, 延期答复告知书, 征求意见函) from editable DOCX templates.

Templates are DOCX files with docxtpl (Jinja) placeholders. An administrator can upload a
replacement per kind (:class:`~gongkai.requests.models.LetterTemplate`, Django admin; the
upload is checked against the fields below); otherwise the default built here is used
(download it from the admin as a starting point). The rendered DOCX (A4) is the letter; the
PDF (A4) is laid out from the same rendered paragraphs with WeasyPrint (font: WenQuanYi Micro
Hei), so both always agree, and the signature block stays on the page of the last paragraph.

Wording: the applicant is addressed as 您 (a citizen) or 贵单位 (an organisation); reply types
are written as sentences of the decision (never the form's labels); text entered by staff is
joined without doubled punctuation. A template that names a field that does not exist, or a
letter whose required field is empty, refuses to render with a message naming the field.

Every letter states its legal basis and, for decisions, the applicant's remedies
(行政复议法 art. 20: 60 days; 行政诉讼法 art. 46: 6 months).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import numbering

from .models import (
    ApplicantType,
    ConsultationKind,
    Delivery,
    ExtensionStatus,
    Format,
    InformationRequest,
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
    StepKind,
)

for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class LetterTemplateError(ValueError):
    """The template or the letter's content cannot produce a letter (the message names the field)."""


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


REMEDIES = (
    "{{ you }}如对本{{ doc_name }}不服，可以自收到本{{ doc_name }}之日起六十日内向{{ review_body }}申请行政复议，"
    "或者自收到本{{ doc_name }}之日起六个月内向人民法院提起行政诉讼（《中华人民共和国行政复议法》第二十条、"
    "《中华人民共和国行政诉讼法》第四十六条、《中华人民共和国政府信息公开条例》第五十一条）。"
)

# kind -> (title, number code, paragraphs). "{{ }}" are docxtpl placeholders; "{%p %}" whole-paragraph tags.
DEFAULTS = {
    LetterKind.REPLY: (
        "政府信息公开申请答复书",
        "答",
        [
            "{{ applicant_name }}：",
            "本机关于{{ received_on }}收到{{ you }}提出的政府信息公开申请（查询码：{{ tracking_code }}），"
            "申请获取“{{ description }}”。{% if corrected_on %}{{ you }}于{{ corrected_on }}补正了申请内容。{% endif %}",
            "{{ outcome_text }}",
            "{%p if reason %}",
            "{{ reason }}",
            "{%p endif %}",
            "{%p if delivery_text %}",
            "{{ delivery_text }}",
            "{%p endif %}",
            "本答复的法律依据：{{ legal_basis }}。",
            REMEDIES,
        ],
    ),
    LetterKind.CORRECTION: (
        "补正申请告知书",
        "补",
        [
            "{{ applicant_name }}：",
            "本机关于{{ received_on }}收到{{ you }}提出的政府信息公开申请（查询码：{{ tracking_code }}）。"
            "经审查，申请内容不明确，根据《中华人民共和国政府信息公开条例》第二十九条、第三十条的规定，"
            "请{{ you }}对以下事项作出补正：",
            "{{ correction_items }}",
            "请于{{ correction_deadline }}前补正。答复期限自本机关收到补正申请之日起计算。"
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
            "法律依据：《中华人民共和国政府信息公开条例》第三十条。",
        ],
    ),
    LetterKind.EXTENSION: (
        "延期答复告知书",
        "延",
        [
            "{{ applicant_name }}：",
            "本机关于{{ received_on }}收到{{ you }}提出的政府信息公开申请（查询码：{{ tracking_code }}）。"
            "因{{ extension_reason }}，本机关不能在规定期限内作出答复。",
            "经政府信息公开工作机构负责人同意，答复期限延长{{ extension_days }}个工作日，"
            "本机关将于{{ due_date }}前作出答复。",
            "法律依据：《中华人民共和国政府信息公开条例》第三十三条第二款。",
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
            "请于{{ consultation_due }}前书面提出意见。"
            "{% if third_party %}逾期未提出意见的，由本机关依照条例规定决定是否公开。"
            "第三方不同意公开且有合理理由的，本机关不予公开；但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，"
            "并将决定公开的内容和理由书面告知第三方。{% else %}逾期未提出意见的视为同意公开。{% endif %}",
            "法律依据：《中华人民共和国政府信息公开条例》{% if third_party %}第三十二条{% else %}第三十四条{% endif %}。",
        ],
    ),
}

# The fields a template may use (listed on the admin page), with what they contain.
FIELDS = {
    "unit_name": gettext_lazy("出具文书的机关名称"),
    "number": gettext_lazy("文号"),
    "you": gettext_lazy("对申请人的称呼：公民为“您”，法人或其他组织为“贵单位”"),
    "applicant_name": gettext_lazy("申请人姓名或名称"),
    "tracking_code": gettext_lazy("查询码"),
    "received_on": gettext_lazy("收到申请日期"),
    "corrected_on": gettext_lazy("收到补正日期（未补正为空）"),
    "description": gettext_lazy("所需信息的描述（已去掉末尾标点）"),
    "outcome_text": gettext_lazy("答复决定的表述（按答复类型生成的完整句子）"),
    "reason": gettext_lazy("答复内容或理由"),
    "legal_basis": gettext_lazy("法律依据（已去掉末尾标点）"),
    "delivery_text": gettext_lazy("提供信息的形式和方式（予以公开、部分公开时）"),
    "correction_items": gettext_lazy("需补正的事项"),
    "correction_deadline": gettext_lazy("补正期限"),
    "extension_days": gettext_lazy("延长的工作日数"),
    "extension_reason": gettext_lazy("延期理由（已去掉末尾标点）"),
    "due_date": gettext_lazy("答复期限"),
    "recipient": gettext_lazy("征求意见对象"),
    "question": gettext_lazy("征求意见事项"),
    "consultation_due": gettext_lazy("征求意见答复期限"),
    "third_party": gettext_lazy("是否征求第三方意见（真/假）"),
    "review_body": gettext_lazy("行政复议机关"),
    "doc_name": gettext_lazy("文书简称（答复、告知、函）"),
    "issued_on": gettext_lazy("出具日期"),
}

# A letter of this kind cannot be sent without these fields.
REQUIRED = {
    LetterKind.REPLY: ("applicant_name", "outcome_text", "legal_basis"),
    LetterKind.CORRECTION: ("applicant_name", "correction_items", "correction_deadline"),
    LetterKind.EXTENSION: ("applicant_name", "extension_reason", "extension_days", "due_date"),
    LetterKind.CONSULTATION: ("recipient", "question", "consultation_due"),
}

# The decision as a sentence of the letter (条例第三十六条 and the rows of annual report table 三).
OUTCOME_TEXT = {
    Outcome.PUBLIC_ALREADY: "经审查，{you}申请获取的政府信息本机关已经主动公开。",
    Outcome.PUBLIC: "经审查，{you}申请获取的政府信息属于公开范围，本机关决定予以公开。",
    Outcome.PARTIAL: "经审查，{you}申请获取的政府信息中含有不应当公开的内容，但能够作区分处理，"
    "本机关决定对可以公开的部分予以公开，其余部分不予公开。",
    Outcome.WITHHELD_SECRET: "经审查，{you}申请获取的政府信息属于国家秘密，依法不予公开。",
    Outcome.WITHHELD_LAW: "经审查，{you}申请获取的政府信息属于法律、行政法规禁止公开的信息，依法不予公开。",
    Outcome.WITHHELD_SAFETY: "经审查，{you}申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，"
    "依法不予公开。",
    Outcome.WITHHELD_THIRD_PARTY: "经审查，{you}申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
    "依法不予公开。",
    Outcome.WITHHELD_INTERNAL: "经审查，{you}申请获取的信息属于行政机关的人事管理、后勤管理、内部工作流程等内部事务信息，"
    "依法不予公开。",
    Outcome.WITHHELD_PROCESS: "经审查，{you}申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
    "磋商信函、请示报告等过程性信息，依法不予公开。",
    Outcome.WITHHELD_CASE_FILE: "经审查，{you}申请获取的信息属于行政执法案卷信息，依法不予公开。",
    Outcome.WITHHELD_QUERY: "经审查，{you}申请获取的信息属于法律、行政法规对信息的获取有特别规定的行政查询事项，"
    "请依照有关法律、行政法规的规定办理。",
    Outcome.UNAVAILABLE_NOT_HELD: "经检索查找，本机关未掌握{you}申请获取的政府信息。",
    Outcome.UNAVAILABLE_NOT_READY: "经审查，{you}申请获取的信息本机关没有现成信息，需要另行制作或者对现有政府信息进行加工、分析，"
    "本机关不予提供。",
    Outcome.UNAVAILABLE_UNCLEAR: "经补正后，{you}的申请内容仍不明确，本机关无法确定所需的政府信息，无法提供。",
    Outcome.NOT_HANDLED_PETITION: "经审查，{you}的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动，"
    "本机关不作为政府信息公开申请处理，{you}可以通过信访、投诉、举报渠道提出。",
    Outcome.NOT_HANDLED_REPEAT: "经审查，{you}已就相同的政府信息向本机关提出过申请，本机关已依法作出答复，"
    "对本次重复申请不予重复处理。",
    Outcome.NOT_HANDLED_PUBLICATION: "经审查，{you}申请获取的是公开出版物，本机关不作为政府信息公开申请处理，"
    "{you}可以通过公开出版物的发行渠道获取。",
    Outcome.NOT_HANDLED_EXCESSIVE: "经审查，{you}申请公开政府信息的数量、频次明显超过合理范围，且未说明合理理由，"
    "本机关不予处理。",
    Outcome.NOT_HANDLED_CONFIRM: "经审查，{you}的申请是要求本机关确认或者重新出具已获取的信息，本机关不作为政府信息公开申请处理。",
    Outcome.OTHER_NO_CORRECTION: "{you}未在补正期限内补正申请，视为放弃申请，本机关不再处理该政府信息公开申请。",
    Outcome.OTHER_NO_FEE: "{you}未在收费通知规定的期限内缴纳信息处理费，本机关不再处理该政府信息公开申请。",
    Outcome.OTHER: "本机关对{you}的申请处理如下。",
}

FORMAT_TEXT = {Format.PAPER: "纸质", Format.EMAIL: "电子文档", Format.DISC: "光盘", Format.USB: "U盘等存储介质"}
DELIVERY_TEXT = {
    Delivery.POST: "通过邮寄方式提供给{you}",
    Delivery.EMAIL: "发送至{you}填写的电子邮箱",
    Delivery.PICKUP: "请{you}持本答复书到本机关领取",
    Delivery.ONLINE: "{you}可凭查询码在本平台查询页面获取",
}

LETTER_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; font-size: 15pt; line-height: 1.65; }
h1 { text-align: center; font-size: 20pt; margin: 0 0 4mm; }
p.number { text-align: center; margin: 0 0 8mm; }
p { margin: 0 0 2mm; text-indent: 2em; orphans: 2; widows: 2; }
p.salutation, p.plain { text-indent: 0; }
p.sign { text-align: right; text-indent: 0; margin: 0; }
p.sign.first { margin-top: 10mm; }
p.last { widows: 3; }
div.sign-block { break-inside: avoid; break-before: avoid; page-break-before: avoid; }
"""

_TRAILING = "。．.，,；;：:！!？? \u3000\n\t"


def clause(text: str) -> str:
    """Text that the template follows with its own punctuation: no trailing punctuation."""
    return (text or "").strip().rstrip(_TRAILING)


def _no_doubles(text: str) -> str:
    """Collapse punctuation doubled where a field and the template meet ("。”。" → "。”")."""
    text = re.sub(r"([。！？；])([”’」』]?)[。；]", r"\1\2", text)
    return re.sub(r"([，、：])\1+", r"\1", text)


@lru_cache(maxsize=8)
def _default_template(kind: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    title, _code, paragraphs = DEFAULTS[kind]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4 (GB/T 9704 公文用纸)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
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
    body = [doc.add_paragraph(text) for text in paragraphs]
    body[-1].paragraph_format.keep_with_next = True  # the signature stays with the last paragraph
    s1 = doc.add_paragraph("{{ unit_name }}")
    s1.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    s1.paragraph_format.keep_with_next = True
    s1.paragraph_format.space_before = Pt(24)
    s2 = doc.add_paragraph("{{ issued_on }}")
    s2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def build_default_template(kind: str) -> bytes:
    """The shipped default DOCX template for a letter kind (docxtpl placeholders)."""
    return _default_template(kind)


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


def _delivery_text(req: InformationRequest, you: str) -> str:
    if req.outcome not in (Outcome.PUBLIC, Outcome.PARTIAL):
        return ""
    fmt = FORMAT_TEXT.get(req.preferred_format, "")
    how = DELIVERY_TEXT.get(req.delivery, "").format(you=you)
    return f"所申请的信息以{fmt}形式提供，{how}。" if fmt and how else ""


def context_for(req: InformationRequest, kind: str, *, number: str, consultation=None, issued_on=None) -> dict:
    """Everything a letter says, frozen when it is issued (stored with the letter as JSON)."""
    you = "您" if req.applicant_type == ApplicantType.PERSON else "贵单位"
    ext = req.extensions.filter(status=ExtensionStatus.APPROVED).last()
    notice = req.steps.filter(kind=StepKind.CORRECTION_REQUESTED).last()
    items = notice.public_note.split("\n")[0].removeprefix("需补正事项：") if notice else ""
    outcome_text = OUTCOME_TEXT.get(req.outcome, "").format(you=you) if req.outcome else ""
    return {
        "unit_name": req.unit.name,
        "number": number,
        "you": you,
        "doc_name": {
            LetterKind.REPLY: "答复",
            LetterKind.CORRECTION: "告知",
            LetterKind.EXTENSION: "告知",
            LetterKind.CONSULTATION: "函",
        }[kind],
        "review_body": _review_body(req),
        "applicant_name": req.name,
        "tracking_code": req.tracking_code,
        "received_on": _d(req.received_on),
        "corrected_on": _d(req.corrected_on),
        "description": clause(req.description),
        "outcome_text": outcome_text,
        "reason": (req.outcome_reason or "").strip(),
        "legal_basis": clause(req.legal_basis),
        "delivery_text": _delivery_text(req, you),
        "correction_items": (items or "").strip(),
        "correction_deadline": _d(req.correction_deadline),
        "extension_days": req.extension_days or "",
        "extension_reason": clause(ext.reason if ext else ""),
        "due_date": _d(req.due_date),
        "recipient": consultation.recipient if consultation else "",
        "question": consultation.question if consultation else "",
        "consultation_due": _d(consultation.reply_due) if consultation else "",
        "third_party": bool(consultation and consultation.kind == ConsultationKind.THIRD_PARTY),
        "issued_on": _d(issued_on or timezone.localdate()),
    }


MULTILINE = ("description", "reason", "correction_items", "question")


def _jinja_env():
    from jinja2 import Environment, StrictUndefined

    return Environment(undefined=StrictUndefined, autoescape=True)


def template_fields(data: bytes) -> set[str]:
    """The placeholders a DOCX template uses (raises LetterTemplateError if it cannot be read)."""
    from docxtpl import DocxTemplate

    try:
        return set(DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(_jinja_env()))
    except Exception as exc:
        raise LetterTemplateError(_("文书模板无法读取：%(error)s") % {"error": exc}) from exc


def check_template(data: bytes) -> None:
    """Refuse a template that names a field the letters do not have (the admin's upload check)."""
    unknown = sorted(template_fields(data) - set(FIELDS))
    if unknown:
        raise LetterTemplateError(
            _("文书模板引用了不存在的字段：%(fields)s。可用字段见模板列表页。") % {"fields": "、".join(unknown)}
        )


def render_docx(kind: str, context: dict) -> bytes:
    from docxtpl import DocxTemplate, Listing
    from jinja2 import TemplateSyntaxError, UndefinedError

    missing = [f for f in REQUIRED.get(kind, ()) if context.get(f) in ("", None)]
    if missing:
        raise LetterTemplateError(
            _("文书缺少必填内容“%(label)s”（%(field)s），无法生成。")
            % {"label": FIELDS.get(missing[0], missing[0]), "field": missing[0]}
        )
    values = {k: (Listing(v) if k in MULTILINE and isinstance(v, str) and "\n" in v else v) for k, v in context.items()}
    tpl = DocxTemplate(io.BytesIO(template_bytes(kind)))
    try:
        tpl.render(values, jinja_env=_jinja_env(), autoescape=True)
    except UndefinedError as exc:
        field = re.search(r"'([^']+)' is undefined", str(exc))
        raise LetterTemplateError(
            _("文书模板引用了不存在的字段“%(field)s”，请修改模板后重新生成。")
            % {"field": field.group(1) if field else exc}
        ) from exc
    except TemplateSyntaxError as exc:
        raise LetterTemplateError(
            _("文书模板格式有误（第%(line)s行）：%(error)s") % {"line": exc.lineno, "error": exc}
        ) from exc
    for paragraph in tpl.docx.paragraphs:
        for run in paragraph.runs:
            if run.text:
                run.text = _no_doubles(run.text)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _paragraph_html(p, text: str, title: str, seen_title: bool) -> tuple[str, bool]:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    esc = html.escape(text).replace("\n", "<br>")
    if not seen_title and text == title:
        return f"<h1>{esc}</h1>", True
    if p.alignment == WD_ALIGN_PARAGRAPH.CENTER:
        return f'<p class="number">{esc}</p>', seen_title
    if p.alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        return f'<p class="sign">{esc}</p>', seen_title
    if text.endswith("：") and len(text) < 60:
        return f'<p class="salutation">{esc}</p>', seen_title
    return f"<p>{esc}</p>", seen_title


def docx_to_html(docx_bytes: bytes, title: str) -> str:
    """The letter's paragraphs as HTML; the last body paragraph and the signature are kept together."""
    from docx import Document

    doc = Document(io.BytesIO(docx_bytes))
    parts: list[str] = []
    seen_title = False
    for p in doc.paragraphs:
        text = _no_doubles(p.text.strip())
        if text:
            part, seen_title = _paragraph_html(p, text, title, seen_title)
            parts.append(part)
    signs = 0
    while signs < len(parts) and parts[len(parts) - 1 - signs].startswith('<p class="sign">'):
        signs += 1
    if signs and len(parts) > signs:
        # The signature never starts a page: it follows at least the last lines of the last paragraph.
        first = len(parts) - signs
        parts[first] = parts[first].replace('<p class="sign">', '<p class="sign first">', 1)
        parts[first - 1] = parts[first - 1].replace("<p>", '<p class="last">', 1)
        parts[first:] = ['<div class="sign-block">' + "".join(parts[first:]) + "</div>"]
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{LETTER_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def render_pdf(docx_bytes: bytes, title: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=docx_to_html(docx_bytes, title)).write_pdf()


def render(kind: str, context: dict) -> tuple[bytes, bytes]:
    """(DOCX, PDF) of a letter; LetterTemplateError names what is wrong."""
    docx_bytes = render_docx(kind, context)
    return docx_bytes, render_pdf(docx_bytes, DEFAULTS[kind][0])


def prepare(*, req: InformationRequest, kind: str, actor, consultation=None, issued_on=None) -> Letter:
    """Number a letter and freeze its content (inside the issuing step's transaction)."""
    _title, code, _ = DEFAULTS[kind]
    issued_on = issued_on or timezone.localdate()
    year = issued_on.year
    seq = numbering.next_value(f"requests-letter:{req.unit_id}:{code}:{year}")
    short = req.unit.short_name or req.unit.name
    number = f"{short}依申{code}〔{year}〕{seq}号"
    return Letter.objects.create(
        request=req,
        kind=kind,
        number=number,
        consultation=consultation,
        to_applicant=kind != LetterKind.CONSULTATION,
        issued_on=issued_on,
        created_by=actor if getattr(actor, "pk", None) else None,
        context=context_for(req, kind, number=number, consultation=consultation, issued_on=issued_on),
    )

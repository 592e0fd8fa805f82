"""Generated documents (通报, 整改通知, 督办函) from editable templates, as DOCX and A4 PDF.

A template's body is Django template text (no custom tags) rendered with plain values (strings,
numbers, lists of dicts); each non-empty line becomes a paragraph. Layout follows the usual
official-document page (GB/T 9704: A4, margins 37/26/35/28 mm; 仿宋-like body text where the
font exists, WenQuanYi Micro Hei otherwise).
"""

from __future__ import annotations

import html
import io

from django.template import Context, Engine

_engine = Engine(debug=False, libraries={}, autoescape=False)

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; @bottom-center { content: "- " counter(page) " -"; font-size: 10pt; } }
body { font-family: "FangSong", "STFangsong", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; font-size: 15pt; line-height: 1.75; }
h1 { font-family: "SimHei", "WenQuanYi Micro Hei", sans-serif; font-size: 21pt; text-align: center; margin: 0 0 1em; font-weight: normal; }
p.number { text-align: center; margin: 0 0 1.5em; }
p { margin: 0; text-indent: 2em; }
p.right { text-align: right; text-indent: 0; }
"""


def render_text(body: str, context: dict) -> list[str]:
    text = _engine.from_string(body).render(Context(context, autoescape=False))
    return [line.strip() for line in text.splitlines() if line.strip()]


def to_pdf(title: str, number: str, paragraphs: list[str]) -> bytes:
    from weasyprint import HTML

    parts = [f"<h1>{html.escape(title)}</h1>"]
    if number:
        parts.append(f'<p class="number">{html.escape(number)}</p>')
    for p in paragraphs:
        cls = ' class="right"' if p.startswith(("（", "20")) and len(p) < 40 and p == paragraphs[-1] else ""
        parts.append(f"<p{cls}>{html.escape(p)}</p>")
    doc = f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{CSS}</style></head><body>{"".join(parts)}</body></html>'
    return HTML(string=doc).write_pdf()


def to_docx(title: str, number: str, paragraphs: list[str]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(37),
        Mm(35),
        Mm(28),
        Mm(26),
    )
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.font.size = Pt(21)
    if number:
        n = doc.add_paragraph(number)
        n.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in paragraphs:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        r = p.add_run(text)
        r.font.size = Pt(15)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


DEFAULTS = {
    "bulletin": (
        "关于{{ period }}政府网站和政务公开工作检查情况的通报",
        """各乡镇人民政府、街道办事处，县政府各部门：
根据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）和本县政务公开工作考核要求，{{ root }}政务公开办公室对{{ period }}全县政府网站、政务新媒体和政务公开工作进行了检查。现将有关情况通报如下。
{{ intro }}
一、存在的主要问题
{% for e in entries %}{{ forloop.counter }}. {{ e.unit }}：{{ e.problems }}
{% endfor %}二、整改要求
请被点名单位自收到本通报之日起{{ days }}个工作日内（{{ due }}前）完成整改，并通过政务公开平台反馈整改情况和佐证材料。逾期未整改或复查未通过的，将予以红牌警示并发出督办函。
{% if ranking %}三、评估结果
{% for r in ranking %}{{ r.rank }}. {{ r.unit }}（{{ r.category }}）{{ r.total }}分{% if r.vetoed %}，单项否决{% endif %}
{% endfor %}{% endif %}{{ root }}政务公开办公室
{{ date }}""",
    ),
    "notice": (
        "整改通知书",
        """{{ unit }}：
经检查，你单位存在以下问题：
{{ problems }}
请于{{ due }}前（{{ days }}个工作日内）完成整改，并通过政务公开平台反馈整改情况和佐证材料。本次点名为本评估周期内首次点名的，予以黄牌警示。
{{ root }}政务公开办公室
{{ date }}""",
    ),
    "letter": (
        "督办函",
        """{{ unit }}：
{{ issued }}下发的整改通知要求你单位于{{ due }}前完成整改。{{ reason }}，现予以红牌警示并督促办理。
存在问题：
{{ problems }}
请你单位主要负责同志高度重视，于收到本函之日起{{ days }}个工作日内完成整改并书面报告整改结果。
{{ root }}政务公开办公室
{{ date }}""",
    ),
}

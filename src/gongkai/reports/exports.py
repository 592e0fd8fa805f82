"""Report outputs: DOCX (official layout, python-docx), PDF (WeasyPrint), standalone HTML, JSON."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from functools import lru_cache

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from . import layout
from . import tables as T

# Official documents use 方正小标宋 (title), 黑体 (headings), 仿宋_GB2312 (body) and 宋体 (tables).
# The DOCX names those fonts (Word on the reader's machine has them) and records in its font table a
# fallback that exists on this server (Debian fonts-wqy-microhei); the PDF is rendered here with it.
FALLBACK_FONT = "WenQuanYi Micro Hei"
FONT_TITLE = "方正小标宋简体"
FONT_HEADING = "黑体"
FONT_BODY = "仿宋"
FONT_TABLE = "宋体"

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


@lru_cache(maxsize=1)
def installed_fonts() -> frozenset[str]:
    if not shutil.which("fc-list"):
        return frozenset()
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"],  # noqa: S607 - located with shutil.which above
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def filename(report, fmt: str) -> str:
    suffix = f"（第{report.version}版）" if report.version > 1 else ""
    status = "" if report.status != "draft" else "（草稿）"
    return f"{report.title}{suffix}{status}.{fmt}"


def response(report, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(_("不支持的格式"))
    data = render(report, fmt)
    resp = HttpResponse(data, content_type=FORMATS[fmt])
    if fmt != "html":
        resp["Content-Disposition"] = content_disposition_header(True, filename(report, fmt))
    return resp


def render(report, fmt: str) -> bytes:
    if fmt == "docx":
        return to_docx(report)
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "html":
        return to_html(report).encode()
    if fmt == "json":
        return json.dumps(to_json(report), ensure_ascii=False, indent=2).encode()
    raise ValueError(fmt)


def to_json(report) -> dict:
    return {
        "title": report.title,
        "unit": report.unit.name,
        "unit_code": report.unit.credit_code,
        "year": report.year,
        "version": report.version,
        "status": report.status,
        "published_at": report.published_at.isoformat() if report.published_at else None,
        "correction_note": report.correction_note,
        "sections": [{"heading": label, "text": text} for _k, label, text in report.narrative()],
        "tables": T.as_json_tables(report.figures),
        "notes": layout.manual_notes(report),
        "checks": report.check_results,
    }


def to_html(report, *, for_pdf: bool = False) -> str:
    return render_to_string(
        "reports/print.html",
        {
            "report": report,
            "tables": layout.all_tables(report),
            "notes": layout.manual_notes(report),
            "for_pdf": for_pdf,
            "font": FALLBACK_FONT,
        },
    )


def to_pdf(report) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(report, for_pdf=True)).write_pdf()


# ---------------------------------------------------------------------------------------------
# DOCX
def _set_font(run, east_asia: str, size_pt: float | None = None, bold: bool = False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = east_asia
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), east_asia)
    if size_pt:
        run.font.size = Pt(size_pt)
    run.font.bold = bold


def _register_fallbacks(doc) -> None:
    """Add the named fonts to the DOCX font table with an ``altName`` that exists on this machine."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None or not hasattr(part, "_element"):
        # python-docx loads the font table as a plain part: rewrite its XML
        if part is None:
            return
        from lxml import etree

        root = etree.fromstring(part.blob)
        ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        for name in (FONT_TITLE, FONT_HEADING, FONT_BODY, FONT_TABLE):
            font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
            etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": FALLBACK_FONT})
            etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})  # GB2312
            etree.SubElement(font, f"{{{ns}}}family", {f"{{{ns}}}val": "roman" if name != FONT_HEADING else "modern"})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return
    for name in (FONT_TITLE, FONT_HEADING, FONT_BODY, FONT_TABLE):
        part._element.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{FALLBACK_FONT}"/><w:charset w:val="86"/></w:font>'
            )
        )


def _para(doc, text, *, font=FONT_BODY, size=16, bold=False, align=None, indent=True, space_after=0):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)  # 固定值28磅, usual for 公文
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _set_font(p.add_run(text), font, size, bold)
    return p


def _cell_text(cell, text, *, bold=False, size=10.5, align="center"):
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    _set_font(p.add_run(text), FONT_TABLE, size, bold)


def _docx_table(doc, lay: layout.Layout, *, size=10.5):
    """Place a Layout (merged header + label cells) into a Word table with real merged cells."""
    nrows = len(lay.head) + len(lay.body)
    table = doc.add_table(rows=nrows, cols=lay.ncols)
    table.style = "Table Grid"
    occupied: set[tuple[int, int]] = set()

    def place(r, items, header):
        c = 0
        for item in items:
            while (r, c) in occupied:
                c += 1
            if isinstance(item, layout.HCell):
                r2, c2 = r + item.rowspan - 1, c + item.colspan - 1
                cell = table.cell(r, c)
                if (r2, c2) != (r, c):
                    cell = cell.merge(table.cell(r2, c2))
                _cell_text(cell, item.text, bold=header, size=size, align="center" if header else "left")
                for rr in range(r, r2 + 1):
                    for cc in range(c, c2 + 1):
                        occupied.add((rr, cc))
                c = c2 + 1
            else:
                _cell_text(table.cell(r, c), item.display, size=size)
                occupied.add((r, c))
                c += 1

    for i, hrow in enumerate(lay.head):
        place(i, hrow, True)
    for j, (labels, values) in enumerate(lay.body):
        place(len(lay.head) + j, list(labels) + list(values), False)
    # repeat the header rows on every page
    from docx.oxml.ns import qn

    for i in range(len(lay.head)):
        trpr = table.rows[i]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    return table


def to_docx(report) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _ = WD_ORIENT
    normal = doc.styles["Normal"]
    normal.font.name = FONT_BODY
    normal.font.size = Pt(16)
    _register_fallbacks(doc)

    _para(doc, report.title, font=FONT_TITLE, size=22, align="center", indent=False, space_after=12)
    if report.version > 1:
        _para(doc, f"（第{report.version}版 更正）", font=FONT_BODY, size=14, align="center", indent=False)
    if report.status == "draft":
        _para(doc, "（草稿，未发布）", font=FONT_BODY, size=14, align="center", indent=False)
    _para(
        doc,
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室"
        "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。",
        size=16,
    )
    tables = layout.all_tables(report)
    texts = dict((k, text) for k, _label, text in report.narrative())
    for key, label in T.SECTIONS:
        _para(doc, label, font=FONT_HEADING, size=16, indent=True)
        if key == "s2":
            for lay in tables["t2"]:
                _docx_table(doc, lay)
                doc.add_paragraph()
        elif key == "s3":
            _docx_table(doc, tables["t3"], size=9)
            doc.add_paragraph()
        elif key == "s4":
            _docx_table(doc, tables["t4"], size=9)
            doc.add_paragraph()
        for para in (texts.get(key) or "").split("\n"):
            if para.strip():
                _para(doc, para.strip())
    notes = layout.manual_notes(report)
    if notes:
        _para(doc, "数字说明：", size=12, indent=False)
        for n in notes:
            _para(doc, n, size=12, indent=False)
    if report.correction_note:
        _para(doc, f"更正说明：{report.correction_note}", size=14, indent=True)
    _para(doc, report.unit.name, align="right", indent=False)
    when = report.published_at or report.computed_at
    if when:
        from django.utils import timezone

        d = timezone.localtime(when).date()
        _para(doc, f"{d.year}年{d.month}月{d.day}日", align="right", indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

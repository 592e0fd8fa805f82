"""Excel export in the layout units use (title row, two-level merged headers, √ ticks, one sheet per domain).

The files re-import cleanly with :mod:`gongkai.catalogue.importer`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from . import elements as el
from .models import CatalogueVersion, ElementTemplate, ElementType, UnitList

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass
class ExportRow:
    level1: str
    name: str
    elements: dict
    timeframe_text: str
    extra: list[str]


def _sheet_title(name: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "目录"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]}({n})"
        n += 1
    used.add(title)
    return title


Column = tuple[str, "str | None", object]  # (top header, sub header or None, getter)
NAME_SUBS = (None, "一级事项", "二级事项")


def _plan_columns(template: ElementTemplate, extra_headers: list[str], tick: str) -> list[Column]:
    """The official layout's columns; the header words are the layout's own (not UI text), so
    the file re-imports whatever the interface language."""
    columns: list[Column] = [("序号", None, None)]
    columns.append(("公开事项", "一级事项", lambda r: r.level1))
    columns.append(("公开事项", "二级事项", lambda r: r.name))
    for d in template.ordered_elements():
        if d.type == ElementType.NAME:
            continue
        if d.type == ElementType.TIMEFRAME:
            columns.append((d.name, None, lambda r: r.timeframe_text))
        elif d.type == ElementType.MULTICHOICE and d.allowed_values:
            for value in d.allowed_values:
                columns.append(
                    (d.name, value, lambda r, k=d.key, v=value: tick if v in (r.elements.get(k) or []) else "")
                )
        else:
            columns.append((d.name, None, lambda r, k=d.key: el.display_value(r.elements.get(k))))
    for i, h in enumerate(extra_headers):
        columns.append((h, None, lambda r, i=i: r.extra[i] if i < len(r.extra) else ""))
    return columns


def _span(columns: list[Column], ci: int) -> int:
    """How many columns (1-based ``ci`` onwards) share the top header of a two-level group."""
    top, sub, _ = columns[ci - 1]
    span = 1
    while ci + span <= len(columns) and sub is not None:
        nxt_top, nxt_sub, _ = columns[ci + span - 1]
        if nxt_top != top or nxt_sub is None:
            break
        span += 1
    return span


def _write_headers(ws, columns: list[Column], title: str) -> None:
    width = len(columns)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    for c in range(1, width + 1):
        for r in (2, 3):
            cell = ws.cell(row=r, column=c)
            cell.border, cell.fill, cell.font, cell.alignment = BORDER, HEAD_FILL, Font(bold=True), CENTER
    ci = 1
    while ci <= width:
        top, sub, _ = columns[ci - 1]
        span = _span(columns, ci)
        ws.cell(row=2, column=ci, value=top)
        if sub is None:
            ws.merge_cells(start_row=2, start_column=ci, end_row=3, end_column=ci)
        else:
            if span > 1:
                ws.merge_cells(start_row=2, start_column=ci, end_row=2, end_column=ci + span - 1)
            for c in range(ci, ci + span):
                ws.cell(row=3, column=c, value=columns[c - 1][1])
        ci += span


def _write_rows(ws, columns: list[Column], rows: Iterable[ExportRow]) -> None:
    for n, row in enumerate(rows, start=1):
        for c, (_top, sub, getter) in enumerate(columns, start=1):
            cell = ws.cell(row=3 + n, column=c, value=n if getter is None else getter(row))
            cell.border = BORDER
            cell.alignment = CENTER if (getter is None or sub not in NAME_SUBS) else WRAP


def _set_layout(ws, columns: list[Column]) -> None:
    for c, (top, sub, _) in enumerate(columns, start=1):
        narrow = top == "序号" or (sub and sub not in NAME_SUBS)
        ws.column_dimensions[get_column_letter(c)].width = 7 if narrow else (18 if top == "公开事项" else 24)
    ws.freeze_panes = "D4"
    ws.print_title_rows = "2:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1


def _write_sheet(
    wb: Workbook,
    *,
    sheet_name: str,
    title: str,
    template: ElementTemplate,
    rows: Iterable[ExportRow],
    extra_headers: list[str],
    tick: str = "√",
    used: set[str],
) -> None:
    ws = wb.create_sheet(_sheet_title(sheet_name, used))
    columns = _plan_columns(template, extra_headers, tick)
    _write_headers(ws, columns, title)
    _write_rows(ws, columns, rows)
    _set_layout(ws, columns)


def export_versions(versions: Iterable[CatalogueVersion], *, title_suffix: str = "标准目录") -> bytes:
    """One sheet per domain catalogue version."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for version in versions:
        catalogue = version.catalogue
        rows = [
            ExportRow(i.level1, i.name, i.elements, i.timeframe_text, ["是" if i.mandatory else "否"])
            for i in version.items.order_by("sort_order", "id")
        ]
        _write_sheet(
            wb,
            sheet_name=catalogue.domain.name,
            title=f"{catalogue.title}（第{version.number}版）",
            template=catalogue.template,
            rows=rows,
            extra_headers=["必选事项"],
            used=used,
        )
    if not wb.worksheets:
        wb.create_sheet("目录")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_unit_lists(unit_lists: Iterable[UnitList]) -> bytes:
    """A unit's lists: one sheet per domain, with the responsible unit and source of each item."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for ul in unit_lists:
        rows = [
            ExportRow(
                i.level1,
                i.name,
                i.elements,
                i.timeframe_text,
                [
                    "本单位自增" if i.is_local else ("标准目录（必选）" if i.mandatory else "标准目录（可选）"),
                    i.responsible_unit.name if i.responsible_unit else ul.unit.name,
                    i.column_name,
                ],
            )
            for i in ul.items.filter(is_active=True)
            .select_related("responsible_unit")
            .order_by("is_local", "sort_order", "id")
        ]
        _write_sheet(
            wb,
            sheet_name=ul.catalogue.domain.name,
            title=f"{ul.unit.name}{ul.catalogue.domain.name}领域政务公开事项目录（依据第{ul.version.number}版标准目录）",
            template=ul.catalogue.template,
            rows=rows,
            extra_headers=["事项来源", "责任单位", "公开栏目"],
            used=used,
        )
    if not wb.worksheets:
        wb.create_sheet("目录")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_layout(
    sheets: list[tuple[str, str, list[ExportRow]]],
    template: ElementTemplate,
    *,
    tick: str = "√",
    extra_headers: list[str] | None = None,
) -> bytes:
    """Lower-level writer used by the sample generator and the benchmark."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet_name, title, rows in sheets:
        _write_sheet(
            wb,
            sheet_name=sheet_name,
            title=title,
            template=template,
            rows=rows,
            extra_headers=extra_headers or [],
            tick=tick,
            used=used,
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

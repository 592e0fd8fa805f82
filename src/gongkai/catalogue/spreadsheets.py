"""Reading uploaded catalogue files (.xlsx and .csv) into plain grids of text.

Everything here treats the file as untrusted: the type is sniffed from the content, the
number of rows is capped before a grid is built, XML inside a workbook is parsed with
``defusedxml`` (no entity expansion, no external entities), and every failure becomes a
``ValidationError`` with a message an office worker can act on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass
class RawSheet:
    name: str
    rows: list[list[str]]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row index, col index), 0-based


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        try:
            return f"{value.year}年{value.month}月{value.day}日"
        except AttributeError:
            return str(value)
    return str(value).replace("\r\n", "\n").strip()


def sniff(data: bytes) -> str:
    """'xlsx' | 'csv'; raises ValidationError with a clear message for anything else."""
    if not data:
        raise ValidationError(_("文件为空"))
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(_("这是旧版 Excel 97-2003（.xls）或 WPS 文件，请在 Excel/WPS 中“另存为” .xlsx 后再导入"))
    if data[:5] == b"%PDF-":
        raise ValidationError(_("这是 PDF 文件，无法导入；请上传 .xlsx 或 .csv 格式的目录表"))
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(_("文件类型无法识别（不是 Excel .xlsx 或 CSV 文本文件）"))
    if head.lstrip().lower().startswith((b"<!doctype", b"<html")):
        raise ValidationError(_("这是网页（HTML）文件，请上传 .xlsx 或 .csv 格式的目录表"))
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    for enc in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("CSV 文件编码无法识别（第%(n)s字节附近），请另存为“UTF-8”或“GBK”编码的 CSV") % {"n": exc.start}
        ) from exc


class TooManyRows(ValidationError):
    """The file has more rows than one import may hold."""


def too_many(limit: int, where: str, *, hint: bool) -> TooManyRows:
    message = _("%(where)s超过单次导入上限 %(limit)s 行，请按领域拆分为多个文件导入") % {
        "where": where,
        "limit": f"{limit:,}",
    }
    if hint:
        message += _("；更大的文件请由管理员用命令 gongkai import_catalogue 导入")
    return TooManyRows(message)


def read_csv(data: bytes, limit: int, *, hint: bool = False) -> tuple[list[RawSheet], list[str]]:
    text, encoding = decode_text(data)
    warnings = (
        [] if encoding.startswith("utf") else [_("CSV 文件为 %(enc)s 编码，已自动转换") % {"enc": encoding.upper()}]
    )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if i > limit + 20:
            raise too_many(limit, _("文件"), hint=hint)
        rows.append([c.strip() for c in row])
    formulas = {(ri, ci) for ri, row in enumerate(rows) for ci, c in enumerate(row) if c.startswith("=") and len(c) > 1}
    return [RawSheet("CSV", rows, formulas)], warnings


def _merged_ranges(zf: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, from a sheet's <mergeCells> (streamed, defused)."""
    from openpyxl.utils.cell import range_boundaries

    out = []
    with zf.open(path) as fh:
        for _event, elem in iterparse(fh, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(elem.get("ref") or "")
                except (ValueError, TypeError):
                    continue
                out.append((min_row, min_col, max_row, max_col))
            elif tag in ("row", "c", "v", "f", "is", "t"):
                elem.clear()  # keep memory flat while streaming past sheetData
    return out


def _apply_merges(grid: list[list[str]], merges) -> None:
    """Every cell of a merged range takes the top-left value (two-level headers, 一级事项 groups)."""
    for min_row, min_col, max_row, max_col in merges:
        if min_row - 1 >= len(grid):
            continue
        top_row = grid[min_row - 1]
        top = top_row[min_col - 1] if min_col - 1 < len(top_row) else ""
        for r in range(min_row - 1, min(max_row, len(grid))):
            row = grid[r]
            while len(row) < max_col:
                row.append("")
            for c in range(min_col - 1, max_col):
                row[c] = top


def _read_sheet(ws, limit: int, *, hint: bool) -> tuple[list[list[str]], set[tuple[int, int]]]:
    grid: list[list[str]] = []
    formulas: set[tuple[int, int]] = set()
    for ri, row in enumerate(ws.iter_rows(values_only=True)):
        if ri > limit + 20:
            raise too_many(limit, _("工作表“%(name)s”") % {"name": ws.title}, hint=hint)
        values = []
        for ci, v in enumerate(row):
            if isinstance(v, str) and v.startswith("=") and len(v) > 1:
                formulas.add((ri, ci))
            values.append(cell_text(v))
        grid.append(values)
    return grid, formulas


def read_xlsx(data: bytes, limit: int, *, hint: bool = False) -> list[RawSheet]:
    """Stream every visible sheet (read-only mode), then apply merged ranges read from the XML."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any failure to open means "not a usable workbook"
        raise ValidationError(_("无法打开该 Excel 文件（文件损坏，或不是 .xlsx 工作簿）")) from exc
    sheets = []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            if (ws.max_row or 0) > limit + 20:
                where = _("工作表“%(name)s”（%(n)s 行）") % {"name": ws.title, "n": f"{ws.max_row:,}"}
                raise too_many(limit, where, hint=hint)
            try:
                grid, formulas = _read_sheet(ws, limit, hint=hint)
                _apply_merges(grid, _merged_ranges(zf, ws._worksheet_path.lstrip("/")))
            except ValidationError:
                raise
            except Exception as exc:  # noqa: BLE001 - damaged XML, bad zip member, defused entity …
                raise ValidationError(_("工作表“%(name)s”无法读取（文件损坏）") % {"name": ws.title}) from exc
            sheets.append(RawSheet(ws.title, grid, formulas))
    finally:
        wb.close()
    return sheets

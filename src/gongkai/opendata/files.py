"""Resource files: type checks (binary formats through :func:`gongkai.core.uploads.check_file`,
text formats parsed), size and SHA-256, a preview of the first rows and row access for tabular
data (CSV, XLSX, JSON arrays of objects)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.core import uploads

PREVIEW_ROWS = 10
MAX_TABLE_ROWS = 200_000  # rows served through the tabular API per resource

FORMATS = {
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "JSON": "application/json",
    "PDF": "application/pdf",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TABULAR = {"CSV", "XLSX", "JSON"}
LINK_FORMATS = [*FORMATS, "API", "HTML", "XML", "ZIP", "SHP", "GEOJSON"]


@dataclass
class CheckedResource:
    name: str
    data: bytes
    format: str
    mimetype: str
    size: int
    sha256: str
    columns: list[str]
    rows: list[list]  # the preview rows
    row_count: int | None


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("“%(name)s”不是 UTF-8 或 GBK 编码的文本文件") % {"name": name})


def _cell(value) -> str | int | float | None:
    if value is None or isinstance(value, int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_table(fmt: str, data: bytes, name: str = "") -> tuple[list[str], list[list]]:
    """All rows of a tabular file (header, rows); ValidationError if it cannot be read."""
    if fmt == "CSV":
        text = _decode(data, name)
        if "\x00" in text[:4096]:
            raise ValidationError(_("“%(name)s”不是 CSV 文件") % {"name": name})
        rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
        if not rows:
            raise ValidationError(_("“%(name)s”没有数据") % {"name": name})
        return rows[0], rows[1 : MAX_TABLE_ROWS + 1]
    if fmt == "XLSX":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            it = wb.worksheets[0].iter_rows(values_only=True)
            header = [str(c) if c is not None else "" for c in next(it, [])]
            rows = []
            for row in it:
                if any(c is not None and str(c).strip() for c in row):
                    rows.append([_cell(c) for c in row])
                    if len(rows) >= MAX_TABLE_ROWS:
                        break
        finally:
            wb.close()
        if not header:
            raise ValidationError(_("“%(name)s”没有数据") % {"name": name})
        return header, rows
    if fmt == "JSON":
        try:
            doc = json.loads(_decode(data, name))
        except json.JSONDecodeError as exc:
            raise ValidationError(_("“%(name)s”不是有效的 JSON：%(error)s") % {"name": name, "error": exc.msg}) from exc
        if isinstance(doc, dict):  # {"data": [...]} / {"records": [...]}
            doc = next((v for v in doc.values() if isinstance(v, list)), None)
        if not isinstance(doc, list) or not doc or not all(isinstance(r, dict) for r in doc):
            return [], []
        header = list(dict.fromkeys(k for r in doc[:1000] for k in r))
        return header, [[_cell(r.get(k)) for k in header] for r in doc[:MAX_TABLE_ROWS]]
    return [], []


def check(name: str, data: bytes) -> CheckedResource:
    """Validate an uploaded resource file and describe it (format from the content)."""
    name = uploads.clean_filename(name)
    ext = os.path.splitext(name)[1].lower()
    if not data:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    if len(data) > uploads.max_bytes():
        raise ValidationError(
            _("“%(name)s”过大，单个文件不能超过 %(limit)s 字节。") % {"name": name, "limit": uploads.max_bytes()}
        )
    if ext in (".csv", ".json"):
        fmt = ext[1:].upper()
        if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
            raise ValidationError(_("“%(name)s”的扩展名与文件内容不符，请核对后重新上传。") % {"name": name})
        uploads.check_text_file(name, data)
    else:
        checked = uploads.check_file(name, data, allowed={"xlsx", "pdf", "docx"}, extract=False)
        fmt = checked.kind.upper()
    header, rows = read_table(fmt, data, name)
    return CheckedResource(
        name=name,
        data=data,
        format=fmt,
        mimetype=FORMATS[fmt],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        columns=[str(h) for h in header],
        rows=rows[:PREVIEW_ROWS],
        row_count=len(rows) if header else None,
    )


@lru_cache(maxsize=16)
def _cached_table(sha256: str, fmt: str, path: str) -> tuple[list[str], list[list]]:
    from django.core.files.storage import default_storage

    with default_storage.open(path, "rb") as fh:
        return read_table(fmt, fh.read(), path)


def table(version, fmt: str) -> tuple[list[str], list[list]]:
    """The rows of a stored version (cached by checksum: a new version is a new cache entry)."""
    return _cached_table(version.sha256, fmt, version.file.name)

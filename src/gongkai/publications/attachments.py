"""Attachment intake: size limit, type sniffed from the content (never trusted from the file
name or the browser's Content-Type), virus-scan hook, text extraction for search.

Virus scanning
--------------
``settings.GONGKAI_ATTACHMENT_SCANNER`` may name a callable ``scan(data: bytes, name: str)``
(dotted path). It must raise :class:`django.core.exceptions.ValidationError` (or any
exception, treated as "infected / could not scan") to reject the file. The default,
:func:`no_virus_scan`, accepts everything: **a production deployment that accepts files
from many units should plug in a scanner here**, e.g. a function that streams ``data`` to
clamd (``INSTREAM``) and raises on a ``FOUND`` reply.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

#: sniffed extension -> (MIME type, accepted file-name extensions)
ALLOWED = {
    "pdf": ("application/pdf", {".pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "jpg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
    "gif": ("image/gif", {".gif"}),
    "webp": ("image/webp", {".webp"}),
}
IMAGE_KINDS = {"jpg", "png", "gif", "webp"}
MAX_TEXT = 1_000_000  # characters of extracted text kept per file
ALLOWED_LABEL = "PDF、Word（.docx）、Excel（.xlsx）、图片（JPG、PNG、GIF、WebP）"


@dataclass
class CheckedFile:
    name: str
    data: bytes
    kind: str
    content_type: str
    extension: str
    sha256: str
    text: str

    @property
    def size(self) -> int:
        return len(self.data)


def no_virus_scan(data: bytes, name: str) -> None:
    """Default scanner: accepts every file. Replace via settings.GONGKAI_ATTACHMENT_SCANNER."""
    return None


def _scanner():
    path = getattr(settings, "GONGKAI_ATTACHMENT_SCANNER", "") or "gongkai.publications.attachments.no_virus_scan"
    return import_string(path)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def clean_filename(name: str) -> str:
    """The user-visible file name: no path parts, control or reserved characters; keeps Chinese."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/"))).strip()
    name = _UNSAFE_NAME.sub("_", name).strip(". ")
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    return name or "附件"


def max_bytes() -> int:
    return int(settings.GONGKAI_MAX_UPLOAD_BYTES)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_file(name: str, data: bytes) -> CheckedFile:
    """Validate one file; raise ValidationError with a Chinese message naming the file."""
    name = clean_filename(name)
    limit = max_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s”过大（%(size)s），单个附件不能超过 %(limit)s。")
            % {"name": name, "size": _human(len(data)), "limit": _human(limit)}
        )
    if not data:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    guess = filetype.guess(data[:8192] if len(data) > 8192 else data)
    if guess is None and data[:4] == b"PK\x03\x04":
        guess = filetype.guess(data)  # OOXML: the member list may lie beyond the first 8 KB
    kind = guess.extension if guess else None
    if kind == "jpeg":
        kind = "jpg"
    if kind not in ALLOWED:
        raise ValidationError(
            _("“%(name)s”的文件类型不受支持。可上传：%(allowed)s。") % {"name": name, "allowed": _(ALLOWED_LABEL)}
        )
    mime, extensions = ALLOWED[kind]
    ext = os.path.splitext(name)[1].lower()
    if ext not in extensions:
        raise ValidationError(
            _("“%(name)s”的扩展名与文件内容不符（文件实际为 %(kind)s 格式），请核对后重新上传。")
            % {"name": name, "kind": kind.upper()}
        )
    try:
        _scanner()(data, name)
    except ValidationError:
        raise
    except Exception as exc:  # a scanner failure must not let the file through
        log.warning("attachment scanner rejected %s: %s", name, exc)
        raise ValidationError(_("“%(name)s”未通过病毒扫描，不能上传。") % {"name": name}) from exc
    text = extract_text(kind, data, name)
    return CheckedFile(
        name=name,
        data=data,
        kind=kind,
        content_type=mime,
        extension=sorted(extensions)[0] if kind != "jpg" else ".jpg",
        sha256=hashlib.sha256(data).hexdigest(),
        text=text[:MAX_TEXT],
    )


def extract_text(kind: str, data: bytes, name: str = "") -> str:
    """Text of a PDF/DOCX/XLSX (for search); images have none. A file that cannot be
    parsed although its signature matched is rejected as damaged."""
    try:
        if kind == "pdf":
            return _pdf_text(data)
        if kind == "docx":
            return _docx_text(data)
        if kind == "xlsx":
            return _xlsx_text(data)
        if kind in IMAGE_KINDS:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as img:
                img.verify()
            return ""
    except Exception as exc:
        log.info("could not read %s (%s): %s", name, kind, exc)
        raise ValidationError(_("“%(name)s”已损坏或无法读取，请检查后重新上传。") % {"name": name}) from exc
    return ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, total = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > MAX_TEXT:
            break
    return "\n".join(parts).strip()


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                parts.append(" ".join(cells))
    return "\n".join(parts).strip()


def _xlsx_text(data: bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, total = [], 0
    try:
        for ws in wb.worksheets:
            parts.append(ws.title)
            for row in ws.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None and str(v).strip()]
                if cells:
                    line = " ".join(cells)
                    parts.append(line)
                    total += len(line)
                    if total > MAX_TEXT:
                        return "\n".join(parts)
    finally:
        wb.close()
    return "\n".join(parts).strip()


def content_disposition(name: str) -> str:
    """RFC 6266 / RFC 5987 header: an ASCII fallback plus the exact UTF-8 name (Chinese
    names survive in every current browser; old clients get a sane ASCII name)."""
    from urllib.parse import quote

    ext = os.path.splitext(name)[1]
    ascii_name = name.encode("ascii", "ignore").decode().strip() or ""
    if not ascii_name or ascii_name == ext:
        ascii_name = "attachment" + ext
    ascii_name = ascii_name.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"

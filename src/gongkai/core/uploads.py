"""Upload validation for every app: size limit, type sniffed from the content (never trusted
from the file name or the browser's Content-Type), limits on ZIP-based formats (DOCX, XLSX,
ODT) checked from the archive's directory before anything is extracted, the virus-scan hook,
and text extraction for search.

    checked = uploads.check_file(name, data, allowed=uploads.DOCUMENT_KINDS)   # raises ValidationError
    checked.kind, checked.content_type, checked.sha256, checked.text

Every upload of the product (publication attachments, request and appeal attachments,
consultation drafts, imports) goes through :func:`check_file`; the hook and the limits
apply to anonymous uploads exactly as to staff uploads.

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
KNOWN = {
    "pdf": ("application/pdf", {".pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "jpg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
    "gif": ("image/gif", {".gif"}),
    "webp": ("image/webp", {".webp"}),
    "odt": ("application/vnd.oasis.opendocument.text", {".odt"}),
}
IMAGE_KINDS = frozenset({"jpg", "png", "gif", "webp"})
ZIP_KINDS = frozenset({"docx", "xlsx", "odt"})
#: what publications accept (documents, spreadsheets and images)
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "jpg", "png", "gif", "webp"})
#: evidence a citizen attaches to a request or an appeal
EVIDENCE_KINDS = frozenset({"pdf", "jpg", "png"})
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word（.docx）",
    "xlsx": "Excel（.xlsx）",
    "odt": "ODT",
    "jpg": "JPG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WebP",
}
MAX_TEXT = 1_000_000  # characters of extracted text kept per file
# Limits for ZIP-based formats, checked on the archive's central directory before extraction.
MAX_ARCHIVE_MEMBERS = 5_000
MAX_COMPRESSION_RATIO = 100


def allowed_label(kinds) -> str:
    return "、".join(KIND_LABELS[k] for k in KIND_LABELS if k in kinds)


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
    path = getattr(settings, "GONGKAI_ATTACHMENT_SCANNER", "") or "gongkai.core.uploads.no_virus_scan"
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


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "GONGKAI_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024))


def check_archive(name: str, data: bytes) -> None:
    """Refuse a ZIP-based file whose directory promises too much (a "zip bomb") before any
    member is decompressed: member count, total uncompressed size and compression ratio.

    The declared sizes are a safe bound: :mod:`zipfile` never yields more bytes than a
    member's declared size (a lying header fails its CRC check instead).
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValidationError(_("“%(name)s”已损坏或无法读取，请检查后重新上传。") % {"name": name}) from exc
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if len(members) > MAX_ARCHIVE_MEMBERS or total > max_uncompressed_bytes() or total / packed > MAX_COMPRESSION_RATIO:
        log.warning("upload %s refused: %d members, %d bytes uncompressed from %d", name, len(members), total, packed)
        raise ValidationError(
            _("“%(name)s”解压后过大或结构异常（可能是压缩炸弹），不能上传。") % {"name": name}, code="archive"
        )


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_file(
    name: str, data: bytes, *, allowed=DOCUMENT_KINDS, limit: int | None = None, extract: bool = True
) -> CheckedFile:
    """Validate one file; raise ValidationError with a Chinese message naming the file.

    ``allowed``: the sniffed kinds accepted (see :data:`KNOWN`); ``limit``: bytes (default
    ``GONGKAI_MAX_UPLOAD_BYTES``); ``extract``: extract text for search (PDF/DOCX/XLSX).
    """
    name = clean_filename(name)
    limit = limit or max_bytes()
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
    if kind == "zip" and os.path.splitext(name)[1].lower() in {".docx", ".xlsx", ".odt"}:
        kind = os.path.splitext(name)[1].lower()[1:]  # an OOXML/ODF file that filetype could not tell apart
    if kind not in allowed or kind not in KNOWN:
        raise ValidationError(
            _("“%(name)s”的文件类型不受支持。可上传：%(allowed)s。") % {"name": name, "allowed": allowed_label(allowed)}
        )
    mime, extensions = KNOWN[kind]
    ext = os.path.splitext(name)[1].lower()
    if ext not in extensions:
        raise ValidationError(
            _("“%(name)s”的扩展名与文件内容不符（文件实际为 %(kind)s 格式），请核对后重新上传。")
            % {"name": name, "kind": kind.upper()}
        )
    if kind in ZIP_KINDS:
        check_archive(name, data)
        _check_zip_member(name, data, kind)
    try:
        _scanner()(data, name)
    except ValidationError:
        raise
    except Exception as exc:  # a scanner failure must not let the file through
        log.warning("attachment scanner rejected %s: %s", name, exc)
        raise ValidationError(_("“%(name)s”未通过病毒扫描，不能上传。") % {"name": name}) from exc
    text = extract_text(kind, data, name) if extract else ""
    return CheckedFile(
        name=name,
        data=data,
        kind=kind,
        content_type=mime,
        extension=sorted(extensions)[0] if kind != "jpg" else ".jpg",
        sha256=hashlib.sha256(data).hexdigest(),
        text=text[:MAX_TEXT],
    )


_ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}


def _check_zip_member(name: str, data: bytes, kind: str) -> None:
    """A DOCX/XLSX/ODT is a ZIP with a known main part; anything else is not what it claims."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if _ZIP_MARKERS[kind] not in archive.namelist():
            raise ValidationError(
                _("“%(name)s”的扩展名与文件内容不符（文件实际为 %(kind)s 格式），请核对后重新上传。")
                % {"name": name, "kind": "ZIP"}
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

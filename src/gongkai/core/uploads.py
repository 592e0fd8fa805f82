"""Upload validation for every app: size limit, type sniffed from the content (never trusted
from the file name or the browser's Content-Type), limits on ZIP-based formats (DOCX, XLSX,
PPTX, ODT, ZIP) checked from the archive's directory before anything is extracted, the
virus-scan hook, and text extraction for search in a resource-limited child process.

    checked = uploads.check_file(name, data, allowed=uploads.DOCUMENT_KINDS)   # raises ValidationError
    checked.kind, checked.content_type, checked.sha256, checked.text
    uploads.check_text_file(name, data, limit=...)   # CSV / JSON / JSONL imports: size, not binary, scanned

Every upload of the product (publication attachments, request and appeal attachments,
consultation drafts, standards texts, assessment evidence, catalogue/credit/opendata/guides/
benefits/holiday imports) goes through :func:`check_file` or :func:`check_text_file`; the hook
and the limits apply to anonymous uploads exactly as to staff uploads.

Virus scanning
--------------
The scanner is chosen from the environment, in this order:

- ``GONGKAI_ATTACHMENT_SCANNER``: dotted path of a callable ``scan(data: bytes, name: str)``;
- ``GONGKAI_CLAMD_SOCKET`` (a Unix socket path) or ``GONGKAI_CLAMD_HOST`` (``host:port``):
  ClamAV's daemon, through :func:`clamd_scan` (the ``INSTREAM`` command);
- otherwise :func:`no_virus_scan`, which accepts everything (a production deployment should
  set one of the above; ``manage.py check --deploy`` warns).

A scanner raises :class:`django.core.exceptions.ValidationError` for an infected file; any other
exception (clamd down, timeout) also refuses the file: scanning fails closed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import socket
import struct
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import extract_worker

log = logging.getLogger(__name__)

#: sniffed extension -> (MIME type, accepted file-name extensions)
KNOWN = {
    "pdf": ("application/pdf", {".pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {".xlsx"}),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", {".pptx"}),
    "jpg": ("image/jpeg", {".jpg", ".jpeg"}),
    "png": ("image/png", {".png"}),
    "gif": ("image/gif", {".gif"}),
    "webp": ("image/webp", {".webp"}),
    "odt": ("application/vnd.oasis.opendocument.text", {".odt"}),
    "zip": ("application/zip", {".zip"}),
}
IMAGE_KINDS = extract_worker.IMAGE_KINDS
ZIP_KINDS = frozenset({"docx", "xlsx", "pptx", "odt", "zip"})
_OFFICE_EXTENSIONS = {".docx", ".xlsx", ".pptx", ".odt"}
#: what publications accept (documents, spreadsheets and images)
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "jpg", "png", "gif", "webp"})
#: evidence a citizen attaches to a request or an appeal
EVIDENCE_KINDS = frozenset({"pdf", "jpg", "png"})
KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word（.docx）",
    "xlsx": "Excel（.xlsx）",
    "pptx": "PowerPoint（.pptx）",
    "odt": "ODT",
    "jpg": "JPG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WebP",
    "zip": "ZIP",
}
MAX_TEXT = extract_worker.MAX_TEXT  # characters of extracted text kept per file
# Limits for ZIP-based formats, checked on the archive's central directory before extraction
# (defaults; settings GONGKAI_MAX_ARCHIVE_MEMBERS, GONGKAI_MAX_UNCOMPRESSED_BYTES,
# GONGKAI_MAX_COMPRESSION_RATIO override them).
MAX_ARCHIVE_MEMBERS = 5_000
MAX_COMPRESSION_RATIO = 100
#: a single member larger than this must also keep to the ratio limit (so one bomb member
#: cannot hide behind large incompressible images); members' ratios may be up to twice the
#: whole archive's limit, since XML compresses well.
MEMBER_RATIO_FLOOR = 1024 * 1024


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
    """Default scanner: accepts every file. Replace via GONGKAI_ATTACHMENT_SCANNER or clamd."""
    return None


class ScannerUnavailable(RuntimeError):
    """clamd could not be reached or answered with an error: the file is refused (fail closed)."""


def _clamd_connect() -> socket.socket:
    timeout = float(getattr(settings, "GONGKAI_CLAMD_TIMEOUT", 30))
    path = getattr(settings, "GONGKAI_CLAMD_SOCKET", "")
    if path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(path)
        return sock
    host, _sep, port = str(getattr(settings, "GONGKAI_CLAMD_HOST", "")).rpartition(":")
    return socket.create_connection((host.strip("[]") or "127.0.0.1", int(port or 3310)), timeout=timeout)


CLAMD_CHUNK = 64 * 1024


def clamd_scan(data: bytes, name: str) -> None:
    """Scan with ClamAV's daemon: ``zINSTREAM``, then chunks each prefixed with its length as a
    4-byte big-endian integer, then a zero-length chunk; the reply is ``stream: OK`` or
    ``stream: <signature> FOUND`` (or ``… ERROR``, e.g. past clamd's StreamMaxLength)."""
    try:
        with _clamd_connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            view = memoryview(data)
            for offset in range(0, len(data), CLAMD_CHUNK):
                chunk = view[offset : offset + CLAMD_CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
                if len(reply) > 4096:
                    break
    except OSError as exc:
        raise ScannerUnavailable(f"clamd unreachable: {exc}") from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("FOUND"):
        signature = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        log.warning("upload %s refused: clamd found %s", name, signature)
        raise ValidationError(
            _("“%(name)s”含有恶意代码（%(signature)s），不能上传。") % {"name": name, "signature": signature},
            code="infected",
        )
    if not answer.endswith("OK"):
        raise ScannerUnavailable(f"clamd answered {answer!r}")


def scanner_path() -> str:
    """The dotted path of the scanner in use (see the module docstring)."""
    path = getattr(settings, "GONGKAI_ATTACHMENT_SCANNER", "")
    if path:
        return path
    if getattr(settings, "GONGKAI_CLAMD_SOCKET", "") or getattr(settings, "GONGKAI_CLAMD_HOST", ""):
        return "gongkai.core.uploads.clamd_scan"
    return "gongkai.core.uploads.no_virus_scan"


def _scanner():
    return import_string(scanner_path())


def scan(name: str, data: bytes) -> None:
    """Run the configured scanner on one file; ValidationError if infected or not scannable."""
    try:
        _scanner()(data, name)
    except ValidationError:
        raise
    except Exception as exc:  # a scanner failure must not let the file through
        log.warning("attachment scanner rejected %s: %s", name, exc)
        raise ValidationError(_("“%(name)s”未通过病毒扫描，不能上传。") % {"name": name}, code="scan") from exc


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


def _max_members() -> int:
    return int(getattr(settings, "GONGKAI_MAX_ARCHIVE_MEMBERS", MAX_ARCHIVE_MEMBERS))


def _max_ratio() -> float:
    return float(getattr(settings, "GONGKAI_MAX_COMPRESSION_RATIO", MAX_COMPRESSION_RATIO))


class ArchiveRefused(ValidationError):
    """A ZIP-based file over the limits ("zip bomb"); views answer 413 for it."""


def check_archive(name: str, data: bytes) -> None:
    """Refuse a ZIP-based file whose directory promises too much (a "zip bomb") before any
    member is decompressed: member count, total uncompressed size, the whole archive's
    compression ratio and, for members over 1 MB, each member's ratio.

    The declared sizes are a safe bound: :mod:`zipfile` never yields more bytes than a
    member's declared size (a lying header fails its CRC check instead), and text extraction
    runs in a memory-limited child process on top of that.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ValidationError(_("“%(name)s”已损坏或无法读取，请检查后重新上传。") % {"name": name}) from exc
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    ratio = _max_ratio()
    worst = max(
        (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > MEMBER_RATIO_FLOOR), default=0.0
    )
    if len(members) > _max_members() or total > max_uncompressed_bytes() or total / packed > ratio or worst > 2 * ratio:
        log.warning(
            "upload %s refused: %d members, %d bytes uncompressed from %d (worst member ratio %.0f)",
            name,
            len(members),
            total,
            packed,
            worst,
        )
        raise ArchiveRefused(
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
            % {"name": name, "size": _human(len(data)), "limit": _human(limit)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    guess = filetype.guess(data[:8192] if len(data) > 8192 else data)
    if guess is None and data[:4] == b"PK\x03\x04":
        guess = filetype.guess(data)  # OOXML: the member list may lie beyond the first 8 KB
    kind = guess.extension if guess else None
    if kind == "jpeg":
        kind = "jpg"
    if kind == "zip" and os.path.splitext(name)[1].lower() in _OFFICE_EXTENSIONS:
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
    scan(name, data)
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


def check_text_file(name: str, data: bytes, *, limit: int | None = None) -> str:
    """Validate a plain-text import (CSV, JSON, JSONL): size limit, not empty, not a binary or
    ZIP file in disguise, scanned like every other upload. Returns the cleaned file name."""
    name = clean_filename(name)
    limit = limit or max_bytes()
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s”过大（%(size)s），单个附件不能超过 %(limit)s。")
            % {"name": name, "size": _human(len(data)), "limit": _human(limit)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
        raise ValidationError(_("“%(name)s”不是文本文件（CSV/JSON），请核对后重新上传。") % {"name": name}, code="type")
    scan(name, data)
    return name


_ZIP_MARKERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
    "odt": "content.xml",
}


def _check_zip_member(name: str, data: bytes, kind: str) -> None:
    """A DOCX/XLSX/ODT is a ZIP with a known main part; anything else is not what it claims."""
    import zipfile

    if kind not in _ZIP_MARKERS:
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if _ZIP_MARKERS[kind] not in archive.namelist():
            raise ValidationError(
                _("“%(name)s”的扩展名与文件内容不符（文件实际为 %(kind)s 格式），请核对后重新上传。")
                % {"name": name, "kind": "ZIP"}
            )


def extract_text(kind: str, data: bytes, name: str = "") -> str:
    """Text of a PDF/DOCX/XLSX (for search); images are verified and have none. A file that
    cannot be parsed although its signature matched is rejected as damaged.

    Parsing runs in a child process (:mod:`gongkai.core.extract_worker`) limited to
    ``GONGKAI_EXTRACT_MEMORY_MB`` of address space and ``GONGKAI_EXTRACT_TIMEOUT`` seconds, so a
    file built to exhaust memory or CPU (a bomb the archive limits did not catch, a PDF with
    recursive objects) costs the web process nothing and is refused as too complex.
    ``GONGKAI_EXTRACT_ISOLATED=0`` parses in-process (only for a trusted, single-user setup)."""
    if kind not in {"pdf", "docx", "xlsx"} | IMAGE_KINDS:
        return ""
    if not getattr(settings, "GONGKAI_EXTRACT_ISOLATED", True):
        try:
            return extract_worker.extract(kind, data, MAX_TEXT)
        except Exception as exc:
            log.info("could not read %s (%s): %s", name, kind, exc)
            raise ValidationError(_("“%(name)s”已损坏或无法读取，请检查后重新上传。") % {"name": name}) from exc
    return _extract_isolated(kind, data, name)


class ExtractionLimit(ValidationError):
    """The file needed more memory or time than the extraction worker may use."""


def _extract_isolated(kind: str, data: bytes, name: str) -> str:
    import subprocess
    import sys

    memory = int(getattr(settings, "GONGKAI_EXTRACT_MEMORY_MB", 512)) * 1024 * 1024
    timeout = float(getattr(settings, "GONGKAI_EXTRACT_TIMEOUT", 20))
    too_complex = _("“%(name)s”内容过于复杂，超出了系统的处理限制（内存或时间），不能上传。请拆分或精简后重试。") % {
        "name": name
    }
    try:
        proc = subprocess.run(  # noqa: S603 - fixed argv: this interpreter and our own worker script
            [
                sys.executable,
                "-P",
                extract_worker.__file__,
                kind,
                str(MAX_TEXT),
                str(memory),
                str(max(1, int(timeout))),
            ],
            input=data,
            capture_output=True,
            timeout=timeout,
            close_fds=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONPATH": _worker_path()},
        )
    except subprocess.TimeoutExpired as exc:
        log.warning("upload %s refused: text extraction exceeded %.0f s", name, timeout)
        raise ExtractionLimit(too_complex, code="too_complex") from exc
    if proc.returncode == 0:
        return proc.stdout.decode("utf-8", "replace")
    if proc.returncode == 2:
        log.info("could not read %s (%s): %s", name, kind, proc.stderr.decode("utf-8", "replace").strip())
        raise ValidationError(_("“%(name)s”已损坏或无法读取，请检查后重新上传。") % {"name": name}, code="damaged")
    log.warning(
        "upload %s refused: extraction worker exit %s (%s)",
        name,
        proc.returncode,
        proc.stderr.decode("utf-8", "replace").strip()[-200:],
    )
    raise ExtractionLimit(too_complex, code="too_complex")


def _worker_path() -> str:
    """sys.path of this process, so the worker finds the same pypdf/python-docx/openpyxl."""
    import sys

    return os.pathsep.join(p for p in sys.path if p and os.path.isdir(p))


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

"""Uploads (等保 恶意代码防范): zip bombs refused from the archive's directory before anything
is extracted, cheaply; text extraction in a memory-limited child process; the virus scanner
chosen from the environment (a dotted path, or ClamAV's clamd spoken over its INSTREAM
protocol, tested against a small fake clamd); the same checks on anonymous uploads and on
plain-text imports."""

from __future__ import annotations

import io
import os
import socket
import struct
import tempfile
import threading
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core import uploads
from gongkai.publications import services as publications
from gongkai.publications.models import Attachment
from gongkai.requests.models import InformationRequest
from tests.publications.files import docx_bytes, pdf_bytes, png_bytes

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
BOMB_MB = 300


def _docx_with(member: str, size: int, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A well-formed DOCX whose ``member`` inflates to ``size`` bytes of XML whitespace."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info.filename, src.read(info.filename))
        head = (
            b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        )
        paragraph = "<w:p><w:r><w:t>低保</w:t></w:r></w:p>".encode()
        block = paragraph * (1024 * 1024 // len(paragraph))  # millions of small elements: a big tree
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(size // len(block)):
                f.write(block)
            f.write(b"</w:body></w:document>")
        for name, data in (extra or {}).items():
            out.writestr(zipfile.ZipInfo(name), data)  # stored: incompressible padding
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 300 KB on disk, 300 MB of document.xml once inflated."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as f:
            chunk = b" " * (1024 * 1024)
            for _ in range(BOMB_MB):
                f.write(chunk)
    return buf.getvalue()


def test_zip_bomb_docx_is_refused_from_its_directory_without_inflating(bomb):
    assert len(bomb) < 1024 * 1024  # a small file ...
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:  # ... that promises hundreds of MB
        assert sum(i.file_size for i in z.infolist()) >= BOMB_MB * 1024 * 1024
    tracemalloc.start()
    with pytest.raises(uploads.ArchiveRefused) as err:
        uploads.check_file("关于印发低保办法的通知.docx", bomb)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "压缩炸弹" in err.value.messages[0] and "关于印发低保办法的通知.docx" in err.value.messages[0]
    assert err.value.code == "archive"
    assert peak < 20 * 1024 * 1024  # nothing was inflated: memory stays near the file's own size


def test_bomb_member_hidden_behind_incompressible_padding_is_refused(settings):
    # 8 MB of random (stored) padding keeps the whole archive's ratio low; the one member that
    # inflates 40 MB from a few KB is still refused by the per-member ratio.
    data = _docx_with("word/document.xml", 40 * 1024 * 1024, extra={"word/media/scan.bin": os.urandom(8 * 1024 * 1024)})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    assert sum(i.file_size for i in infos) / sum(i.compress_size for i in infos) < uploads.MAX_COMPRESSION_RATIO
    with pytest.raises(uploads.ArchiveRefused):
        uploads.check_file("附件一.docx", data, extract=False)


def test_member_count_and_total_size_limits_come_from_settings(settings):
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(30):
            z.writestr(f"data/{i}.txt", "松阳县")
    settings.GONGKAI_MAX_ARCHIVE_MEMBERS = 20
    with pytest.raises(uploads.ArchiveRefused):
        uploads.check_file("材料.zip", many.getvalue(), allowed={"zip"}, extract=False)
    settings.GONGKAI_MAX_ARCHIVE_MEMBERS = 5000
    assert uploads.check_file("材料.zip", many.getvalue(), allowed={"zip"}, extract=False).kind == "zip"
    settings.GONGKAI_MAX_UNCOMPRESSED_BYTES = 1024
    with pytest.raises(uploads.ArchiveRefused):
        uploads.check_file("标准调整方案.docx", docx_bytes(), extract=False)


def test_bomb_through_the_staff_api_is_a_413_and_nothing_is_stored(tree, api_for, bomb):
    pub = publications.publication_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        doc_type="policy",
        title="松阳县最低生活保障审核确认办法",
        body="<p>正文</p>",
        issuer="松阳县民政局",
    )
    started = time.monotonic()
    r = api_for(tree.editor_a).post(
        f"/api/v1/staff/publications/{pub.pk}/attachments/",
        {"file": SimpleUploadedFile("低保办法.docx", bomb)},
        format="multipart",
    )
    elapsed = time.monotonic() - started
    assert r.status_code == 413, r.content
    assert "压缩炸弹" in r.json()["detail"]
    assert not Attachment.objects.exists()
    print(f"bomb refused in {elapsed:.2f} s")  # a figure for the docs, not asserted (no timing tests)


def test_text_is_extracted_in_a_child_process_and_a_parser_blow_up_is_refused(settings):
    settings.GONGKAI_EXTRACT_ISOLATED = True
    assert "最低生活保障" in uploads.check_file("方案.docx", docx_bytes()).text
    assert "Songyang" in uploads.check_file("办法.pdf", pdf_bytes()).text
    # With the archive limits opened wide, a 200 MB document.xml reaches the parser: the child
    # runs out of its address-space limit and the upload is refused; this process is untouched.
    settings.GONGKAI_MAX_COMPRESSION_RATIO = 100_000
    settings.GONGKAI_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
    settings.GONGKAI_EXTRACT_MEMORY_MB = 256
    data = _docx_with("word/document.xml", 200 * 1024 * 1024)
    tracemalloc.start()
    with pytest.raises(uploads.ExtractionLimit) as err:
        uploads.check_file("大文件.docx", data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.value.code == "too_complex" and "处理限制" in err.value.messages[0]
    assert peak < 40 * 1024 * 1024


def test_extraction_timeout_kills_the_child(settings, monkeypatch):
    settings.GONGKAI_EXTRACT_TIMEOUT = 0.01  # no real file parses this fast in a fresh interpreter
    with pytest.raises(uploads.ExtractionLimit):
        uploads.check_file("方案.docx", docx_bytes())


def test_damaged_file_is_reported_as_damaged_not_too_complex():
    broken = docx_bytes().replace(b"word/document.xml", b"word/documenX.xml")
    with pytest.raises(ValidationError) as err:
        uploads.check_file("损坏.pdf", b"%PDF-1.4\n" + b"garbage" * 100)
    assert "已损坏" in err.value.messages[0]
    with pytest.raises(ValidationError):
        uploads.check_file("改名.docx", broken)


# --- scanners -----------------------------------------------------------------------------


class FakeClamd:
    """A tiny clamd on a Unix socket: speaks INSTREAM, finds the EICAR test string."""

    def __init__(self, path: str, *, broken: bool = False):
        self.path = path
        self.broken = broken
        self.streams: list[bytes] = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(4)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            part = conn.recv(n - len(buf))
            if not part:
                raise ConnectionError("short read")
            buf += part
        return buf

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += self._read(conn, 1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (size,) = struct.unpack("!L", self._read(conn, 4))
                    if not size:
                        break
                    data += self._read(conn, size)
                self.streams.append(data)
                if self.broken:
                    conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")
                elif EICAR in data:
                    conn.sendall(b"stream: Eicar-Test-Signature FOUND\0")
                else:
                    conn.sendall(b"stream: OK\0")

    def close(self):
        self.sock.close()


@pytest.fixture
def clamd(settings):
    folder = tempfile.mkdtemp(prefix="clamd-")
    server = FakeClamd(os.path.join(folder, "clamd.sock"))
    settings.GONGKAI_ATTACHMENT_SCANNER = ""
    settings.GONGKAI_CLAMD_SOCKET = server.path
    yield server
    server.close()


def test_clamd_instream_accepts_clean_and_refuses_eicar(clamd, monkeypatch):
    monkeypatch.setattr(uploads, "CLAMD_CHUNK", 1000)  # several chunks per file
    assert uploads.scanner_path() == "gongkai.core.uploads.clamd_scan"
    data = docx_bytes()
    assert uploads.check_file("方案.docx", data, extract=False).kind == "docx"
    assert clamd.streams[-1] == data  # the whole file, reassembled from the chunks
    with pytest.raises(ValidationError) as err:
        uploads.check_text_file("名单.csv", b"name,phone\n" + EICAR + b"\n")
    assert err.value.code == "infected" and "Eicar-Test-Signature" in err.value.messages[0]


def test_clamd_down_or_erroring_refuses_the_file(settings, tmp_path):
    settings.GONGKAI_ATTACHMENT_SCANNER = ""
    settings.GONGKAI_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    with pytest.raises(ValidationError) as err:
        uploads.check_file("流程图.png", png_bytes(), extract=False)
    assert "未通过病毒扫描" in err.value.messages[0]
    server = FakeClamd(str(tmp_path / "broken.sock"), broken=True)
    settings.GONGKAI_CLAMD_SOCKET = server.path
    try:
        with pytest.raises(ValidationError):
            uploads.check_file("流程图.png", png_bytes(), extract=False)
    finally:
        server.close()


def test_clamd_over_tcp(settings):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    folder = tempfile.mkdtemp(prefix="clamd-")
    unix = FakeClamd(os.path.join(folder, "c.sock"))

    def relay():  # a TCP front for the fake, as clamd's TCPSocket would be
        srv = socket.create_server(("127.0.0.1", port))
        conn, _ = srv.accept()
        back = socket.socket(socket.AF_UNIX)
        back.connect(unix.path)
        data = b""
        while not data.endswith(struct.pack("!L", 0)) or len(data) < 14:
            data += conn.recv(65536)
        back.sendall(data)
        conn.sendall(back.recv(4096))
        conn.close()
        back.close()
        srv.close()

    t = threading.Thread(target=relay, daemon=True)
    t.start()
    time.sleep(0.05)
    settings.GONGKAI_ATTACHMENT_SCANNER = ""
    settings.GONGKAI_CLAMD_SOCKET = ""
    settings.GONGKAI_CLAMD_HOST = f"127.0.0.1:{port}"
    with pytest.raises(ValidationError) as err:
        uploads.check_file("办法.pdf", pdf_bytes() + EICAR, extract=False)
    assert err.value.code == "infected"
    unix.close()


def test_scanner_setting_is_read_from_the_environment():
    import subprocess
    import sys

    code = "import django; django.setup(); from gongkai.core import uploads; print(uploads.scanner_path())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.test_settings"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "GONGKAI_ATTACHMENT_SCANNER": "tests.core.test_upload_limits.refuse_all"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "tests.core.test_upload_limits.refuse_all"
    env.pop("GONGKAI_ATTACHMENT_SCANNER", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "GONGKAI_CLAMD_HOST": "clamav.internal:3310"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "gongkai.core.uploads.clamd_scan"


def refuse_all(data: bytes, name: str) -> None:
    raise ValidationError(f"“{name}”含有恶意代码（测试扫描器）")


def test_anonymous_request_upload_goes_through_the_scanner(tree, client, settings):
    settings.GONGKAI_ATTACHMENT_SCANNER = "tests.core.test_upload_limits.refuse_all"
    from gongkai.requests.services import intake

    with pytest.raises(ValidationError) as err:
        intake.check_attachment("身份证明.pdf", pdf_bytes())
    assert "测试扫描器" in err.value.messages[0]
    assert not InformationRequest.objects.exists()


def test_text_imports_are_checked(settings):
    with pytest.raises(ValidationError):
        uploads.check_text_file("名单.csv", docx_bytes())  # a ZIP in disguise
    with pytest.raises(ValidationError) as err:
        uploads.check_text_file("名单.csv", b"a,b\n" * 1000, limit=100)
    assert err.value.code == "too_large"
    assert uploads.check_text_file("../../名单.csv", "名称,金额\n松阳县,100\n".encode()) == "名单.csv"


def test_deploy_check_warns_without_a_scanner(settings):
    from gongkai.core import checks

    settings.GONGKAI_ATTACHMENT_SCANNER = ""
    settings.GONGKAI_CLAMD_SOCKET = ""
    settings.GONGKAI_CLAMD_HOST = ""
    assert [w.id for w in checks.upload_scanner_configured(None)] == ["gongkai.W001"]
    settings.GONGKAI_CLAMD_HOST = "clamav.internal:3310"
    assert checks.upload_scanner_configured(None) == []

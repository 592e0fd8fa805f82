"""Zip-bomb uploads (issue 13, item 7): how fast and how cheaply a bomb is refused.

Generates (no real data) a DOCX whose word/document.xml inflates to --mb megabytes (300 by
default; a few hundred KB on disk) and an XLSX bomb, then times ``gongkai.core.uploads.check_file``
on each and records this process's peak RSS. Baseline: checking (with text extraction) an
ordinary one-page DOCX in the same run. A third figure shows the second line of defence: with
the archive limits opened wide, a 200 MB document.xml reaches the extraction child, which hits
its address-space limit (GONGKAI_EXTRACT_MEMORY_MB) and is refused, while this process's RSS
stays flat.

Usage::

    python bench/upload_bomb.py --smoke      # seconds
    python bench/upload_bomb.py              # 300 MB bomb
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.test_settings")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bomb(template: bytes, member: str, mb: int, *, paragraphs: bool = False) -> bytes:
    """``member`` replaced by ``mb`` MB of spaces (or of small paragraphs: a huge XML tree)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info, src.read(info.filename))
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as f:
            if paragraphs:
                f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/')
                f.write(b'wordprocessingml/2006/main"><w:body>')
                p = "<w:p><w:r><w:t>低保</w:t></w:r></w:p>".encode()
                chunk = p * (1024 * 1024 // len(p))
            else:
                chunk = b" " * (1024 * 1024)
            for _ in range(mb):
                f.write(chunk)
            if paragraphs:
                f.write(b"</w:body></w:document>")
    return buf.getvalue()


def timed(fn):
    started = time.perf_counter()
    try:
        fn()
        outcome = "accepted"
    except Exception as exc:  # noqa: BLE001 - report what happened
        outcome = f"refused ({type(exc).__name__}: {str(exc)[:80]})"
    return time.perf_counter() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=300)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    mb = 20 if args.smoke else args.mb

    import django

    django.setup()
    from django.conf import settings

    from gongkai.core import uploads
    from tests.publications.files import docx_bytes, xlsx_bytes

    base_t, base_outcome = timed(lambda: uploads.check_file("方案.docx", docx_bytes()))
    print(f"baseline: ordinary DOCX checked with text extraction in {base_t * 1000:.0f} ms ({base_outcome})")
    for name, template, member in [
        ("bomb.docx", docx_bytes(), "word/document.xml"),
        ("bomb.xlsx", xlsx_bytes(), "xl/worksheets/sheet1.xml"),
    ]:
        data = bomb(template, member, mb)
        before = rss_mb()
        t, outcome = timed(lambda d=data, n=name: uploads.check_file(n, d))
        print(
            f"{name}: {len(data) / 1024:.0f} KB on disk, {mb} MB inflated: {outcome} in {t * 1000:.1f} ms "
            f"({t / base_t:.2f}x baseline); peak RSS {rss_mb():.0f} MB (before {before:.0f} MB)"
        )
    settings.GONGKAI_MAX_COMPRESSION_RATIO = 1e9
    settings.GONGKAI_MAX_UNCOMPRESSED_BYTES = 1 << 40
    big = bomb(docx_bytes(), "word/document.xml", min(mb, 200), paragraphs=True)
    before = rss_mb()
    t, outcome = timed(lambda: uploads.check_file("big.docx", big))
    print(
        f"archive limits off, {min(mb, 200)} MB document.xml to the extraction child "
        f"(limit {settings.GONGKAI_EXTRACT_MEMORY_MB} MB): {outcome} in {t:.2f} s; "
        f"peak RSS of this process {rss_mb():.0f} MB (before {before:.0f} MB)"
    )


if __name__ == "__main__":
    main()

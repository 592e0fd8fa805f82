"""Text extraction from uploaded PDF/DOCX/XLSX/PPTX files and image verification, meant to run
in a child process with memory and CPU limits (:func:`gongkai.core.uploads.extract_text`).

The module imports neither Django nor the ``gongkai`` package, so the child starts quickly:

    python extract_worker.py <kind> <max_chars> <memory_bytes> <cpu_seconds>   # file on stdin, text on stdout

The limits (address space ``RLIMIT_AS``, CPU time ``RLIMIT_CPU``, no core dumps) are set by the
child itself before it reads a byte of the file (``preexec_fn`` is not safe in a threaded
server); the parent adds a wall-clock timeout and kills the child when it passes.

Exit status 0 = text on stdout; 2 = the file could not be parsed (message on stderr);
3 = out of memory. A child killed by a signal (CPU limit) or the parent's timeout is treated
as "too complex" by the parent. The functions are also usable in-process.
"""

from __future__ import annotations

import io
import sys

MAX_TEXT = 1_000_000  # characters of extracted text kept per file
IMAGE_KINDS = frozenset({"jpg", "png", "gif", "webp"})


def pdf_text(data: bytes, max_chars: int = MAX_TEXT) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, total = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > max_chars:
            break
    return "\n".join(parts).strip()


def docx_text(data: bytes, max_chars: int = MAX_TEXT) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts, total = [], 0
    for p in document.paragraphs:
        if p.text.strip():
            parts.append(p.text)
            total += len(p.text)
            if total > max_chars:
                return "\n".join(parts).strip()
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                parts.append(" ".join(cells))
    return "\n".join(parts).strip()


def xlsx_text(data: bytes, max_chars: int = MAX_TEXT) -> str:
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
                    if total > max_chars:
                        return "\n".join(parts)
    finally:
        wb.close()
    return "\n".join(parts).strip()


def verify_image(data: bytes) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.verify()
    return ""


def extract(kind: str, data: bytes, max_chars: int = MAX_TEXT) -> str:
    """Text of one file of a sniffed ``kind`` ("" for kinds without text); raises on a damaged file."""
    if kind == "pdf":
        return pdf_text(data, max_chars)
    if kind == "docx":
        return docx_text(data, max_chars)
    if kind == "xlsx":
        return xlsx_text(data, max_chars)
    if kind in IMAGE_KINDS:
        return verify_image(data)
    return ""


def limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    kind = argv[1]
    max_chars = int(argv[2]) if len(argv) > 2 else MAX_TEXT
    limit_resources(int(argv[3]) if len(argv) > 3 else 0, int(argv[4]) if len(argv) > 4 else 0)
    data = sys.stdin.buffer.read()
    try:
        text = extract(kind, data, max_chars)
    except MemoryError:
        sys.stderr.write("memory limit\n")
        return 3
    except Exception as exc:  # noqa: BLE001 - any parse failure means "damaged"
        sys.stderr.write(f"{type(exc).__name__}: {exc}"[:500] + "\n")
        text = str(exc).lower()
        if "memory" in text or "resource limit" in text:  # lxml reports its own allocation failures
            return 3
        return 2
    sys.stdout.buffer.write(text[:max_chars].encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Builds ``samples/sample_catalogue.xlsx``: a township catalogue in the layout used by counties.

Title row, a 编制单位 row, two-level merged headers, ■/□ ticks, 一级事项 merged over
several rows, '同上' in repeated cells, a 备注 column, one sheet per domain.
Regenerate with ``python -m gongkai.catalogue.sample`` (needs Django settings).
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from .demo_data import CHANNEL, ITEMS, as_elements

SAMPLE_DOMAINS = ["社会救助", "养老服务", "就业"]
PATH = Path(__file__).parent / "samples" / "sample_catalogue.xlsx"

HEAD = [
    ("序号", None),
    ("公开事项", "一级事项"),
    ("公开事项", "二级事项"),
    ("公开内容（要素）", None),
    ("公开依据", None),
    ("公开时限", None),
    ("公开主体", None),
    ("公开渠道和载体", None),
    ("公开对象", "全社会"),
    ("公开对象", "特定群体"),
    ("公开方式", "主动"),
    ("公开方式", "依申请"),
    ("公开层级", "县级"),
    ("公开层级", "乡级"),
    ("备注", None),
]


def build() -> bytes:
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    wb.remove(wb.active)
    for domain in SAMPLE_DOMAINS:
        ws = wb.create_sheet(domain)
        width = len(HEAD)
        ws.cell(1, 1, f"松阳县乡镇（街道）{domain}领域基层政务公开标准目录").font = Font(bold=True, size=15)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.cell(1, 1).alignment = center
        ws.cell(2, 1, "编制单位：松阳县人民政府办公室（县政务公开办）　　　　2025年版")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        c = 1
        while c <= width:
            top, sub = HEAD[c - 1]
            span = 1
            while sub and c + span <= width and HEAD[c + span - 1][0] == top:
                span += 1
            ws.cell(3, c, top)
            if sub is None:
                ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
            else:
                ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + span - 1)
                for k in range(span):
                    ws.cell(4, c + k, HEAD[c + k - 1][1])
            c += span
        rows = [as_elements(r) for r in ITEMS[domain]]
        rows = [r for r in rows if "乡级" in r[2]["level"]]
        r = 5
        prev_subject = prev_channel = None
        group_start, prev_level1 = r, None
        for n, (level1, name, el, timeframe) in enumerate(rows, start=1):
            subject = el["subject"]
            channel = CHANNEL
            values = [
                n,
                level1 if level1 != prev_level1 else None,
                name,
                el["content"],
                el["basis"],
                timeframe,
                "同上" if subject == prev_subject else subject,
                "同上" if channel == prev_channel else channel,
                "■" if "全社会" in el["audience"] else "□",
                "■" if "特定群体" in el["audience"] else "□",
                "■" if "主动" in el["mode"] else "□",
                "■" if "依申请" in el["mode"] else "□",
                "■" if "县级" in el["level"] else "□",
                "■" if "乡级" in el["level"] else "□",
                "",
            ]
            if level1 != prev_level1:
                if prev_level1 is not None and r - 1 > group_start:
                    ws.merge_cells(start_row=group_start, start_column=2, end_row=r - 1, end_column=2)
                group_start = r
            for col, v in enumerate(values, start=1):
                if v is not None:
                    ws.cell(r, col, v)
            prev_subject, prev_channel, prev_level1 = subject, channel, level1
            r += 1
        if r - 1 > group_start:
            ws.merge_cells(start_row=group_start, start_column=2, end_row=r - 1, end_column=2)
        # An empty spacer row and a signature line at the bottom, as in real files.
        ws.cell(r + 1, 1, "")
        for row in ws.iter_rows(min_row=3, max_row=r - 1, max_col=width):
            for cell in row:
                cell.border = border
                cell.alignment = center
        for col, w in zip("ABCDEFGHIJKLMNO", [5, 14, 18, 30, 28, 20, 18, 26, 6, 6, 6, 6, 6, 6, 8], strict=True):
            ws.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(path: Path = PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build())
    return path


if __name__ == "__main__":
    print(write())

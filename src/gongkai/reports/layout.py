"""The official table layouts (merged header and label cells) as data, shared by HTML, PDF and DOCX."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from . import tables as T


@dataclass
class HCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class VCell:
    table: str
    row: str
    col: str
    v: object
    src: str
    note: str = ""
    trace_url: str = ""
    edit_url: str = ""

    @property
    def display(self) -> str:
        if self.v is None:
            return "—"
        if isinstance(self.v, str):
            d = Decimal(self.v)
            return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
        return str(self.v)

    @property
    def marker(self) -> str:
        return {"manual": _("人工填报"), "adjusted": _("人工调整"), "unwired": _("未接入")}.get(self.src, "")


@dataclass
class Layout:
    head: list[list[HCell]]
    body: list[tuple[list[HCell], list[VCell]]]
    ncols: int
    caption: str = ""
    notes: list[str] = field(default_factory=list)
    caption_hidden: bool = False  # the caption repeats the first header row (表二 blocks): for screen readers only


def _v(report, table, row, col, links: bool) -> VCell:
    c = report.figures[table][row][col]
    vc = VCell(table, row, col, c.get("v"), c.get("src", ""), c.get("note", ""))
    if links and report.pk:
        args = [report.pk, table, row, col]
        if c.get("src") not in ("manual", "unwired") and (c.get("traced") or c.get("src") == "derived" or c.get("url")):
            vc.trace_url = reverse("reports_wb:trace", args=args)
        if report.status == "draft" and not T.is_derived(table, row, col) and c.get("src") != "unwired":
            vc.edit_url = reverse("reports_wb:figure", args=args)
    return vc


def table2(report, links: bool = False) -> list[Layout]:
    out = []
    for b in T.T2_BLOCKS:
        head = [
            [HCell(b.heading, colspan=1 + len(b.cols))],
            [HCell(T.T2_CONTENT_LABEL)] + [HCell(c.label) for c in b.cols],
        ]
        body = [([HCell(r.label)], [_v(report, "t2", r.key, c.key, links) for c in b.cols]) for r in b.rows]
        out.append(Layout(head, body, 1 + len(b.cols), caption=b.heading, caption_hidden=True))
    return out


def table3(report, links: bool = False) -> Layout:
    head = [
        [
            HCell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
            HCell(T.T3_APPLICANT_HEADING, colspan=7),
        ],
        [HCell("自然人", rowspan=2), HCell("法人或其他组织", colspan=5), HCell("总计", rowspan=2)],
        [HCell(c.label) for c in T.T3_COLS if c.group],
    ]
    result_rows = [r for r in T.T3_ROWS if r.depth >= 1 and not r.header]
    group_size: dict[str, int] = {}
    for r in T.T3_ROWS:
        if r.depth == 2:
            group_size[T.T3_GROUP_OF[r.key]] = group_size.get(T.T3_GROUP_OF[r.key], 0) + 1
    body = []
    seen_groups: set[str] = set()
    first_result = True
    for r in T.T3_ROWS:
        if r.header:
            continue
        labels: list[HCell] = []
        if r.depth == 0:
            labels.append(HCell(r.label, colspan=3))
        else:
            if first_result:
                labels.append(HCell("三、本年度办理结果", rowspan=len(result_rows)))
                first_result = False
            if r.depth == 1:
                labels.append(HCell(r.label, colspan=2))
            else:
                g = T.T3_GROUP_OF[r.key]
                if g not in seen_groups:
                    labels.append(HCell(g, rowspan=group_size[g]))
                    seen_groups.add(g)
                labels.append(HCell(r.label))
        body.append((labels, [_v(report, "t3", r.key, c.key, links) for c in T.T3_COLS]))
    return Layout(head, body, 10, caption=T.TABLES["t3"])


def table4(report, links: bool = False) -> Layout:
    outcomes = [HCell(lbl) for _o, lbl in T.T4_OUTCOMES]
    head = [
        [HCell("行政复议", colspan=5), HCell("行政诉讼", colspan=10)],
        [HCell(lbl, rowspan=2) for _o, lbl in T.T4_OUTCOMES]
        + [HCell("未经复议直接起诉", colspan=5), HCell("复议后起诉", colspan=5)],
        outcomes + [HCell(lbl) for _o, lbl in T.T4_OUTCOMES],
    ]
    body = [([], [_v(report, "t4", T.T4_ROW, c, links) for c in T.T4_COL_KEYS])]
    return Layout(head, body, 15, caption=T.TABLES["t4"])


def all_tables(report, links: bool = False) -> dict:
    return {"t2": table2(report, links), "t3": table3(report, links), "t4": table4(report, links)}


def manual_notes(report) -> list[str]:
    """Footnotes for figures entered or adjusted by staff (shown under the tables in every output)."""
    notes = []
    for table in ("t2", "t3", "t4"):
        for r, cols in report.figures.get(table, {}).items():
            for c, cell in cols.items():
                if cell.get("src") == "manual" and cell.get("note"):
                    notes.append(
                        _("%(row)s（%(col)s）：人工填报，来源：%(note)s")
                        % {"row": T.row_label(table, r), "col": T.col_label(table, r, c), "note": cell["note"]}
                    )
                elif cell.get("src") == "adjusted":
                    notes.append(
                        _("%(table)s %(row)s（%(col)s）：系统统计 %(computed)s，调整为 %(value)s，理由：%(note)s")
                        % {
                            "table": T.TABLE_NUMBERS[table],
                            "row": T.row_label(table, r),
                            "col": T.col_label(table, r, c),
                            "computed": cell.get("computed"),
                            "value": cell.get("v"),
                            "note": cell.get("note"),
                        }
                    )
    return notes

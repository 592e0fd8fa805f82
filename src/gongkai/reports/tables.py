"""The national annual-report format (国办公开办函〔2021〕30号) as data, and its consistency checks.

Everything here is pure: a report's figures are a JSON-able dict

    {"t2": {row_key: {col_key: cell}}, "t3": {...}, "t4": {...}}

where a cell is ``{"v": number, "src": "computed"|"manual"|"adjusted"|"derived", "computed": number|None,
"ids": [record ids], "url": "filter URL in the owning app", "note": "..."}``.  The row and column
*labels* are exactly the official ones; the keys are stable identifiers used in URLs, JSON and the DB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gongkai.core.messages import N_, join, message, render

# ---------------------------------------------------------------------------------------------
# Sections
SECTIONS = [
    ("s1", "一、总体情况"),
    ("s2", "二、主动公开政府信息情况"),
    ("s3", "三、收到和处理政府信息公开申请情况"),
    ("s4", "四、政府信息公开行政复议、行政诉讼情况"),
    ("s5", "五、存在的主要问题及改进情况"),
    ("s6", "六、其他需要报告的事项"),
]
SECTION_LABELS = dict(SECTIONS)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    depth: int = 0  # indentation level in the official form
    header: bool = False  # a heading row without figures (e.g. 三、本年度办理结果)
    total: bool = False  # derived: sum of the leaves it covers


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    group: str = ""  # upper header spanning several columns
    total: bool = False


@dataclass(frozen=True)
class Block:
    """Table 二 is four small tables stacked; each block has its own heading and columns."""

    heading: str
    rows: tuple[Row, ...]
    cols: tuple[Col, ...]


# ---------------------------------------------------------------------------------------------
# Table 二 — 主动公开政府信息情况
#: the first column heading of every 表二 block (official wording)
T2_CONTENT_LABEL = "信息内容"

T2_BLOCKS = (
    Block(
        "第二十条第（一）项",
        (Row("rules", "规章"), Row("normative", "行政规范性文件")),
        (Col("made", "本年制发件数"), Col("repealed", "本年废止件数"), Col("in_force", "现行有效件数")),
    ),
    Block("第二十条第（五）项", (Row("licence", "行政许可"),), (Col("decisions", "本年处理决定数量"),)),
    Block(
        "第二十条第（六）项",
        (Row("penalty", "行政处罚"), Row("enforcement", "行政强制")),
        (Col("decisions", "本年处理决定数量"),),
    ),
    Block("第二十条第（八）项", (Row("fees", "行政事业性收费"),), (Col("amount", "本年收费金额（单位：万元）"),)),
)
# Rows computed from the regulations & normative documents library (publications app).
T2_LIBRARY_ROWS = ("rules", "normative")
# Rows no app records: figures entered by staff with a source note (clearly marked as manual).
T2_MANUAL_ROWS = ("licence", "penalty", "enforcement", "fees")
T2_CELLS = [(r.key, c.key) for b in T2_BLOCKS for r in b.rows for c in b.cols]

# ---------------------------------------------------------------------------------------------
# Table 三 — 收到和处理政府信息公开申请情况
T3_COLS = (
    Col("natural", "自然人"),
    Col("commercial", "商业企业", group="法人或其他组织"),
    Col("research", "科研机构", group="法人或其他组织"),
    Col("nonprofit", "社会公益组织", group="法人或其他组织"),
    Col("legal", "法律服务机构", group="法人或其他组织"),
    Col("other_org", "其他", group="法人或其他组织"),
    Col("total", "总计", total=True),
)
T3_COL_KEYS = [c.key for c in T3_COLS]
T3_APPLICANT_COLS = [c.key for c in T3_COLS if not c.total]

_W = "（三）不予公开"
_U = "（四）无法提供"
_N = "（五）不予处理"
_O = "（六）其他处理"
T3_ROWS = (
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_in", "二、上年结转政府信息公开申请数量"),
    Row("results", "三、本年度办理结果", header=True),
    Row("open", "（一）予以公开", depth=1),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", depth=1),
    Row("withheld", _W, depth=1, header=True),
    Row("withheld_secret", "1.属于国家秘密", depth=2),
    Row("withheld_law", "2.其他法律行政法规禁止公开", depth=2),
    Row("withheld_security", "3.危及“三安全一稳定”", depth=2),
    Row("withheld_third_party", "4.保护第三方合法权益", depth=2),
    Row("withheld_internal", "5.属于三类内部事务信息", depth=2),
    Row("withheld_process", "6.属于四类过程性信息", depth=2),
    Row("withheld_case_file", "7.属于行政执法案卷", depth=2),
    Row("withheld_query", "8.属于行政查询事项", depth=2),
    Row("unavailable", _U, depth=1, header=True),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", depth=2),
    Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", depth=2),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", depth=2),
    Row("not_handled", _N, depth=1, header=True),
    Row("not_handled_petition", "1.信访举报投诉类申请", depth=2),
    Row("not_handled_repeat", "2.重复申请", depth=2),
    Row("not_handled_publication", "3.要求提供公开出版物", depth=2),
    Row("not_handled_excessive", "4.无正当理由大量反复申请", depth=2),
    Row("not_handled_confirm", "5.要求行政机关确认或重新出具已获取信息", depth=2),
    Row("other", _O, depth=1, header=True),
    Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", depth=2),
    Row("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", depth=2),
    Row("other_other", "3.其他", depth=2),
    Row("result_total", "（七）总计", depth=1, total=True),
    Row("carried_out", "四、结转下年度继续办理"),
)
T3_ROW_KEYS = [r.key for r in T3_ROWS if not r.header]
T3_RESULT_LEAVES = [
    r.key for r in T3_ROWS if r.depth >= 1 and not r.header and not r.total
]  # the 23 outcome rows summed by （七）总计
T3_GROUP_OF = {}  # leaf row -> its parent heading label, for display ("（三）不予公开 / 1.属于国家秘密")
_parent = ""
for _r in T3_ROWS:
    if _r.header and _r.depth == 1:
        _parent = _r.label
    elif _r.depth <= 1:
        _parent = ""
    if _r.depth == 2:
        T3_GROUP_OF[_r.key] = _parent
T3_CELLS = [(r, c) for r in T3_ROW_KEYS for c in T3_COL_KEYS]

# ---------------------------------------------------------------------------------------------
# Table 四 — 政府信息公开行政复议、行政诉讼情况 (one row, 15 columns)
T4_OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_GROUPS = (
    ("review", "行政复议", ""),
    ("suit_direct", "未经复议直接起诉", "行政诉讼"),
    ("suit_after", "复议后起诉", "行政诉讼"),
)
T4_COLS = tuple(
    Col(f"{g}_{o}", label, group=glabel, total=(o == "total"))
    for g, glabel, _top in T4_GROUPS
    for o, label in T4_OUTCOMES
)
T4_COL_KEYS = [c.key for c in T4_COLS]
T4_ROW = "count"
T4_CELLS = [(T4_ROW, c) for c in T4_COL_KEYS]

TABLES = {
    "t2": "表二 主动公开政府信息情况",
    "t3": "表三 收到和处理政府信息公开申请情况",
    "t4": "表四 政府信息公开行政复议、行政诉讼情况",
}
#: the tables' official numbers (表二 …), as notes and checks name them
TABLE_NUMBERS = {key: label.split()[0] for key, label in TABLES.items()}
#: the heading over table 三's applicant columns (official wording)
T3_APPLICANT_HEADING = "申请人情况"


def row_label(table: str, row: str) -> str:
    if table == "t2":
        return next(r.label for b in T2_BLOCKS for r in b.rows if r.key == row)
    if table == "t3":
        label = next(r.label for r in T3_ROWS if r.key == row)
        return f"{T3_GROUP_OF[row]} {label}" if row in T3_GROUP_OF else label
    return "本年度"


def col_label(table: str, row: str, col: str) -> str:
    if table == "t2":
        return next(c.label for b in T2_BLOCKS if any(r.key == row for r in b.rows) for c in b.cols if c.key == col)
    if table == "t3":
        c = next(c for c in T3_COLS if c.key == col)
        return f"{c.group}·{c.label}" if c.group else c.label
    g, o = col.rsplit("_", 1)
    glabel = next(f"{top}·{lbl}" if top else lbl for k, lbl, top in T4_GROUPS if k == g)
    return f"{glabel}·{dict(T4_OUTCOMES)[o]}"


def valid_cell(table: str, row: str, col: str) -> bool:
    cells = {"t2": T2_CELLS, "t3": T3_CELLS, "t4": T4_CELLS}.get(table)
    return cells is not None and (row, col) in cells


def is_derived(table: str, row: str, col: str) -> bool:
    """Totals are computed from the other cells, never entered or adjusted."""
    if table == "t3":
        return col == "total" or row == "result_total"
    if table == "t4":
        return col.endswith("_total")
    return False


def is_manual(table: str, row: str) -> bool:
    return table == "t2" and row in T2_MANUAL_ROWS


def is_manual_cell(figures: dict, table: str, row: str, col: str) -> bool:
    """A manual row whose figure no module computed (the credit module computes licences and
    penalties for the units that use it; those cells are then adjusted, not typed in)."""
    if not is_manual(table, row):
        return False
    return figures.get(table, {}).get(row, {}).get(col, {}).get("src") not in ("computed", "adjusted")


# ---------------------------------------------------------------------------------------------
# Cells and figures
def cell(v=0, *, src="computed", ids=None, url="", note="", computed=None) -> dict:
    return {
        "v": v,
        "src": src,
        "computed": v if computed is None and src == "computed" else computed,
        "ids": list(ids or []),
        "url": url,
        "note": note,
    }


def value(figures: dict, table: str, row: str, col: str):
    c = figures.get(table, {}).get(row, {}).get(col)
    return None if c is None else c.get("v")


def empty_figures() -> dict:
    figs: dict = {"t2": {}, "t3": {}, "t4": {}}
    for r, c in T2_CELLS:
        figs["t2"].setdefault(r, {})[c] = cell(None, src="manual" if r in T2_MANUAL_ROWS else "computed")
    for r, c in T3_CELLS:
        figs["t3"].setdefault(r, {})[c] = cell(0)
    for r, c in T4_CELLS:
        figs["t4"].setdefault(r, {})[c] = cell(0)
    return figs


def derive_totals(figures: dict) -> dict:
    """Fill the 总计 column and the （七）总计 row of table 三 and the 总计 columns of table 四.

    Totals of the source (if it gave any) are kept as ``reported`` so that the sum checks can
    flag a source whose own totals disagree with its detail rows.
    """
    derive_t3_totals(figures["t3"])
    derive_t4_totals(figures["t4"][T4_ROW])
    return figures


def _as_computed(c: dict) -> int:
    """The value the source gave for a cell (before any manual adjustment)."""
    v = c.get("computed") if c.get("src") in ("adjusted", "derived") and c.get("computed") is not None else c.get("v")
    return int(v or 0)


def _total_cell(parts: list[dict], old: dict) -> dict:
    total = sum(int(p["v"] or 0) for p in parts)
    # a total's records are its parts' records (see cell_ids); not stored twice
    out = cell(total, src="derived", url=old.get("url", ""), computed=sum(_as_computed(p) for p in parts))
    # a source that sent its own total: it must equal the sum of its own detail cells
    if old.get("src") == "computed" and old.get("v") is not None:
        if int(old["v"]) != out["computed"]:
            out["reported"] = old["v"]
    elif old.get("reported") is not None:
        out["reported"] = old["reported"]
    return out


def derive_t3_totals(t3: dict) -> None:
    for r in T3_ROW_KEYS:
        if r != "result_total":
            t3[r]["total"] = _total_cell([t3[r][c] for c in T3_APPLICANT_COLS], t3[r].get("total") or {})
    for c in T3_COL_KEYS:
        t3.setdefault("result_total", {})[c] = _total_cell(
            [t3[r][c] for r in T3_RESULT_LEAVES], t3.get("result_total", {}).get(c) or {}
        )


def derive_t4_totals(t4: dict) -> None:
    for g, _l, _t in T4_GROUPS:
        parts = [t4[f"{g}_{o}"] for o, _ in T4_OUTCOMES if o != "total"]
        t4[f"{g}_total"] = _total_cell(parts, t4.get(f"{g}_total") or {})


def cell_ids(figures: dict, table: str, row: str, col: str) -> list:
    """The ids of the records behind a cell; for a derived total, those of the cells it adds up."""
    c = figures[table][row][col]
    if c.get("src") != "derived":
        return list(c.get("ids") or [])
    if table == "t3":
        if row == "result_total":
            rows = T3_RESULT_LEAVES
            cols = T3_APPLICANT_COLS if col == "total" else [col]
        else:
            rows, cols = [row], T3_APPLICANT_COLS
        return _merge_ids(figures["t3"][r][k] for r in rows for k in cols)
    if table == "t4":
        g = col.rsplit("_", 1)[0]
        return _merge_ids(figures["t4"][row][f"{g}_{o}"] for o, _ in T4_OUTCOMES if o != "total")
    return list(c.get("ids") or [])


def _merge_ids(cells) -> list:
    out: list = []
    for c in cells:
        out.extend(c.get("ids") or [])
    return out


# ---------------------------------------------------------------------------------------------
# Validation of manually entered figures
class FigureError(ValueError):
    pass


def parse_figure(raw, *, table: str, row: str, col: str):
    """Validate a figure typed by staff: a non-negative integer (an amount in 万元 may have 4 decimals)."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if text == "":
        raise FigureError("请填写数值")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FigureError(f"“{raw}”不是有效的数字") from None
    if not number.is_finite():
        raise FigureError(f"“{raw}”不是有效的数字")
    if number < 0:
        raise FigureError("数值不能为负数")
    if table == "t2" and col == "amount":
        if number.as_tuple().exponent < -4:
            raise FigureError("收费金额以万元为单位，最多保留四位小数")
        if number > Decimal("1e12"):
            raise FigureError("收费金额过大，请核对单位（万元）")
        return number.normalize() if number != number.to_integral() else number.quantize(Decimal(1))
    if number != number.to_integral_value():
        raise FigureError("件数必须是整数")
    if number > 10**9:
        raise FigureError("数值过大，请核对")
    return int(number)


# ---------------------------------------------------------------------------------------------
# Consistency checks (enforced before publishing)
@dataclass
class Check:
    code: str
    ok: bool
    msg: dict  # a stored message (gongkai.core.messages): translated when shown
    cells: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def message(self) -> str:
        """The check's text in the active language."""
        return render(self.msg)

    def as_dict(self) -> dict:
        return {"code": self.code, "ok": self.ok, "message": self.msg, "cells": [list(c) for c in self.cells]}


SEMI = N_("；")


def _num(v) -> Decimal:
    return Decimal(str(v)) if v is not None else Decimal(0)


def run_checks(
    figures: dict, *, library: dict | None = None, library_wired: bool = True, previous_carried_out: dict | None = None
) -> list[Check]:
    """All checks of a report's figures. ``library`` = the regulations library's live counts
    ({"rules": {"made", "repealed", "in_force"}, "normative": {...}}) for the table 二 check;
    ``previous_carried_out`` = the previous year's published 四、结转下年度继续办理 row, by column."""
    checks: list[Check] = []
    t3, t4, t2 = figures["t3"], figures["t4"][T4_ROW], figures["t2"]

    # every figure present, numeric and non-negative
    missing, negative = [], []
    for table, cells in (("t2", T2_CELLS), ("t3", T3_CELLS), ("t4", T4_CELLS)):
        for r, c in cells:
            v = figures[table][r][c].get("v")
            if v is None:
                missing.append((table, r, c))
            elif _num(v) < 0:
                negative.append((table, r, c))
    checks.append(
        Check(
            "complete",
            not missing,
            message(N_("所有数字均已填写"))
            if not missing
            else message(
                N_("以下数字尚未填写：%(cells)s"),
                cells=join([f"{TABLE_NUMBERS[t]} {row_label(t, r)}·{col_label(t, r, c)}" for t, r, c in missing], SEMI),
            ),
            missing,
        )
    )
    checks.append(
        Check(
            "non_negative", not negative, message(N_("没有负数")) if not negative else message(N_("存在负数")), negative
        )
    )

    # 一 + 二 = 三（七） + 四, for every column of table 三
    bad = []
    for c in T3_COL_KEYS:
        lhs = _num(t3["new"][c]["v"]) + _num(t3["carried_in"][c]["v"])
        rhs = _num(t3["result_total"][c]["v"]) + _num(t3["carried_out"][c]["v"])
        if lhs != rhs:
            bad.append((c, lhs, rhs))
    checks.append(
        Check(
            "t3_balance",
            not bad,
            message(N_("表三各列：一＋二＝三（七）＋四"))
            if not bad
            else message(
                N_("表三“一＋二＝三（七）＋四”不成立：%(columns)s"),
                columns=join(
                    [
                        message(
                            N_("%(col)s列 %(lhs)s ≠ %(rhs)s"), col=col_label("t3", "new", c), lhs=str(lhs), rhs=str(rhs)
                        )
                        for c, lhs, rhs in bad
                    ],
                    SEMI,
                ),
            ),
            [("t3", r, c) for c, _, _ in bad for r in ("new", "carried_in", "result_total", "carried_out")],
        )
    )

    # totals: 总计 column = sum of applicant columns; （七）总计 = sum of outcomes (incl. a source's own totals)
    bad_rows = [
        r
        for r in T3_ROW_KEYS
        if _num(t3[r]["total"]["v"]) != sum(_num(t3[r][c]["v"]) for c in T3_APPLICANT_COLS)
        or t3[r]["total"].get("reported") is not None
    ]
    bad_cols = [
        c
        for c in T3_COL_KEYS
        if _num(t3["result_total"][c]["v"]) != sum(_num(t3[r][c]["v"]) for r in T3_RESULT_LEAVES)
        or t3["result_total"][c].get("reported") is not None
    ]
    ok = not bad_rows and not bad_cols
    checks.append(
        Check(
            "t3_totals",
            ok,
            message(N_("表三“总计”列与“（七）总计”行等于各项之和"))
            if ok
            else message(
                N_("表三合计不等于各项之和：%(items)s"),
                items=join(
                    [message(N_("%(row)s行"), row=row_label("t3", r)) for r in bad_rows]
                    + [message(N_("%(col)s列"), col=col_label("t3", "new", c)) for c in bad_cols],
                    SEMI,
                ),
            ),
            [("t3", r, "total") for r in bad_rows] + [("t3", "result_total", c) for c in bad_cols],
        )
    )
    bad4 = [
        g
        for g, _l, _t in T4_GROUPS
        if _num(t4[f"{g}_total"]["v"]) != sum(_num(t4[f"{g}_{o}"]["v"]) for o, _ in T4_OUTCOMES if o != "total")
        or t4[f"{g}_total"].get("reported") is not None
    ]
    checks.append(
        Check(
            "t4_totals",
            not bad4,
            message(N_("表四各“总计”等于各项之和"))
            if not bad4
            else message(
                N_("表四“总计”不等于各项之和：%(columns)s"),
                columns=join([col_label("t4", T4_ROW, f"{g}_total") for g in bad4], SEMI),
            ),
            [("t4", T4_ROW, f"{g}_total") for g in bad4],
        )
    )

    # table 二 counts equal the library's counts
    if not library_wired or library is None:
        checks.append(
            Check(
                "t2_library",
                False,
                message(N_("规章和行政规范性文件库未接入，无法核对表二的件数")),
                [("t2", r, c) for r in T2_LIBRARY_ROWS for c in ("made", "repealed", "in_force")],
            )
        )
    else:
        diffs = []
        for r in T2_LIBRARY_ROWS:
            for c in ("made", "repealed", "in_force"):
                mine, theirs = t2[r][c]["v"], (library.get(r) or {}).get(c)
                if mine is None or theirs is None or _num(mine) != _num(theirs):
                    diffs.append((r, c, mine, theirs))
        checks.append(
            Check(
                "t2_library",
                not diffs,
                message(N_("表二规章、行政规范性文件件数与文件库一致"))
                if not diffs
                else message(
                    N_("表二与规范性文件库不一致：%(diffs)s"),
                    diffs=join(
                        [
                            message(
                                N_("%(cell)s 报告 %(mine)s，文件库 %(theirs)s"),
                                cell=f"{row_label('t2', r)}·{col_label('t2', r, c)}",
                                mine=str(m),
                                theirs=str(t),
                            )
                            for r, c, m, t in diffs
                        ],
                        SEMI,
                    ),
                ),
                [("t2", r, c) for r, c, _, _ in diffs],
            )
        )

    # manual figures carry a source note
    unnoted = [
        (r, c)
        for r in T2_MANUAL_ROWS
        for c in t2[r]
        if t2[r][c].get("src") == "manual" and t2[r][c].get("v") is not None and not t2[r][c].get("note")
    ]
    checks.append(
        Check(
            "t2_manual_notes",
            not unnoted,
            message(N_("人工填报的数字均注明了来源"))
            if not unnoted
            else message(
                N_("人工填报的数字须注明来源：%(rows)s"), rows=join([row_label("t2", r) for r, _ in unnoted], N_("、"))
            ),
            [("t2", r, c) for r, c in unnoted],
        )
    )

    # 二、上年结转 = last year's 四、结转下年度继续办理 (only when last year's report is in gongkai)
    if previous_carried_out is not None:
        bad_prev = [c for c in T3_COL_KEYS if _num(t3["carried_in"][c]["v"]) != _num(previous_carried_out.get(c))]
        checks.append(
            Check(
                "t3_carry_over",
                not bad_prev,
                message(N_("上年结转数与上年度报告的结转下年度数一致"))
                if not bad_prev
                else message(
                    N_("“二、上年结转”与上年度报告“四、结转下年度继续办理”不一致：%(columns)s"),
                    columns=join(
                        [
                            message(
                                N_("%(col)s列 本年 %(this)s，上年 %(last)s"),
                                col=col_label("t3", "new", c),
                                this=str(t3["carried_in"][c]["v"]),
                                last=str(previous_carried_out.get(c)),
                            )
                            for c in bad_prev
                        ],
                        SEMI,
                    ),
                ),
                [("t3", "carried_in", c) for c in bad_prev],
            )
        )
    return checks


def failing(checks: list[Check]) -> list[Check]:
    return [c for c in checks if not c.ok]


# ---------------------------------------------------------------------------------------------
# JSON export: every table as rows and columns with the official labels
def as_json_tables(figures: dict) -> dict:
    t2 = []
    for b in T2_BLOCKS:
        t2.append(
            {
                "heading": b.heading,
                "columns": [T2_CONTENT_LABEL] + [c.label for c in b.cols],
                "rows": [[r.label] + [_jsonnum(figures["t2"][r.key][c.key]["v"]) for c in b.cols] for r in b.rows],
                "manual": [r.key in T2_MANUAL_ROWS for r in b.rows],
                "notes": [
                    " ".join(figures["t2"][r.key][c.key].get("note") or "" for c in b.cols).strip() for r in b.rows
                ],
            }
        )
    t3_cols = [T3_APPLICANT_HEADING] + [f"{c.group}·{c.label}" if c.group else c.label for c in T3_COLS]
    t3_rows = []
    for r in T3_ROWS:
        if r.header:
            t3_rows.append([r.label] + [None] * len(T3_COLS))
        else:
            t3_rows.append([r.label] + [_jsonnum(figures["t3"][r.key][c.key]["v"]) for c in T3_COLS])
    t4_cols = [f"{top}·{lbl}·{o}" if top else f"{lbl}·{o}" for _g, lbl, top in T4_GROUPS for _k, o in T4_OUTCOMES]
    t4_rows = [[_jsonnum(figures["t4"][T4_ROW][c]["v"]) for c in T4_COL_KEYS]]
    return {
        "表二": {"title": TABLES["t2"], "blocks": t2},
        "表三": {"title": TABLES["t3"], "columns": t3_cols, "rows": t3_rows},
        "表四": {"title": TABLES["t4"], "columns": t4_cols, "rows": t4_rows},
    }


def _jsonnum(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral_value() else int(v)
    if isinstance(v, str):
        d = Decimal(v)
        return float(d) if d != d.to_integral_value() else int(d)
    return v

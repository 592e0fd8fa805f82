"""Real county catalogues (基层政务公开标准目录), transcribed from the governments' published pages.

Each table is the opening rows of a catalogue as published (text as on the page, including its
typos and stray characters); :func:`workbook` lays them out the way the offices' spreadsheets
are: a title row, the two-level header with merged cells (序号 and the single columns merged
down, 公开事项/公开对象/公开方式/公开层级 merged across their sub-columns) and an 一级事项
merged down over the rows it groups (``None`` in a data row = merged with the cell above).

Where a page shows ticks (√), their column is the one given here. Pages rendered as text
drop empty cells, so where a row shows fewer ticks than columns the positions follow the
national guideline for that domain (noted per row). Where the page shows no ticks at all, the
cells are left empty, as published.

Sources (pages read 2026-12-02; 公开时限 and tick cells checked against the text):

* FENGJIE — 重庆市奉节县 《奉节县重大建设项目领域基层政务公开标准目录》,
  http://cqfj.gov.cn/bm_168/fzhggwyh/zwgk_61467/zfxxgkml/zdxm/bzml14/202404/t20240408_13113279.html
* DEAN — 江西省德安县 《涉农资金领域基层政务公开标准目录》（乡镇）,
  http://www.dean.gov.cn/ztzl/zwgkzl/wszzt/gklw001/snxx/202302/t20230214_5934672.html
* HUICHANG — 江西省会昌县 《会昌县商务局政务公开标准目录》,
  http://www.huichang.gov.cn/hcxxxgk/swjzdgksx/202507/2976116347f345f38186d474aa99bc95.shtml
* SAIHAN — 内蒙古呼和浩特市赛罕区 基层政务公开平台《重大建设项目领域基层政务公开标准目录》,
  https://www.saihan.gov.cn/zwgk_new/jczwgk/xzjd/hhsz/bzml
* DAZHU — 四川省大竹县 《社会救助领域基层政务公开标准目录》（来源：县信息公开办，2022-09-28）,
  http://www.dazhu.gov.cn/xxgk-show-199777.html
* BAODI — 天津市宝坻区 《社会救助领域基层政务公开标准目录》（2020-12-16）,
  https://www.tjbd.gov.cn/zwgk/jczwgk/ly/shjzly/202012/t20201216_5039688.html
* KYQQ — 内蒙古兴安盟科尔沁右翼前旗 《科右前旗人民政府办公室主动公开事项目录》（2025-04-08）,
  http://kyqq.gov.cn/kyqq/2025-04/08/article_2025040814564333641.html

Held out (never used to tune the importer; see test_real_catalogues.py):

* JIANDE — 浙江省建德市 《重大建设项目领域基层政务公开标准目录》（2023-06-09）,
  http://www.jiande.gov.cn/col/col1229432950/index.html
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook

# Column layouts: (top header, [sub headers] or None)
OFFICIAL = [
    ("序号", None),
    ("公开事项", ["一级事项", "二级事项"]),
    ("公开内容（要素）", None),
    ("公开依据", None),
    ("公开时限", None),
    ("公开主体", None),
    ("公开渠道和载体", None),
    ("公开对象", ["全社会", "特定群体"]),
    ("公开方式", ["主动", "依申请"]),
    ("公开层级", ["县级", "乡级"]),
]

CHANNEL_FENGJIE_1 = (
    "■政府网站 □政府公报 □两微一端 □发布会/听证会 □广播电视 □纸质媒体 ■公开查阅点 ■政务服务中心 "
    "□便民服务站 □入户/现场 □社区/企事业单位/村公示栏（电子屏） □精准推送 ■投资项目在线审批监管平台"
)
CHANNEL_FENGJIE_2 = (
    "■政府网站 □政府公报 □两微一端 □发布会/听证会 □广播电视 □纸质媒体 □公开查阅点 ■政务服务中心 "
    "□便民服务站 □入户/现场 □社区/企事业单位/村公示栏（电子屏） □精准推送 ■投资项目在线审批监管平台"
)
BASIS_FENGJIE_1 = (
    "《关于全面推进政务公开工作的意见》（中办发〔2016〕8号）"
    "《关于推进重大建设项目批准和实施领域政务信息公开的意见》（国办发〔2017〕94号）"
)
BASIS_FENGJIE_2 = (
    "《政府信息公开条例》《关于全面推进政务公开工作的意见》《关于推进重大建设项目批准和实施领域政务信息公开的意见》"
)

FENGJIE = {
    "title": "奉节县重大建设项目领域基层政务公开标准目录",
    "sheet": "重大建设项目",
    "columns": OFFICIAL,
    # ticks: 序号 1 shows three (全社会, 主动, 县级); 序号 2 writes 项目单位 under 特定群体 and two ticks (主动, 县级)
    "rows": [
        [1, "批准服务信息", "办事指南", "申报材料清单、批准流程、办理时限、受理机构联系方式、申报要求等。", BASIS_FENGJIE_1,
         "实时公开", "相关审批部门", CHANNEL_FENGJIE_1, "√", "", "√", "", "√", ""],
        [2, None, "办理过程", "事项名称、事项办理部门、办理进展等", BASIS_FENGJIE_2,
         "及时公开", "相关审批部门", CHANNEL_FENGJIE_2, "", "项目单位", "√", "", "√", ""],
    ],
}  # fmt: skip

CHANNEL_DEAN = (
    "■政府网站  □政府公报 □两微一端 □发布会/听证会 □广播电视 □纸质媒体 ■公开查阅点□行政服务中心 "
    "□便民服务站□入户/现场 □社区/企事业单位/村公示栏(电子屏) □精准推送 □其他"
)
BASIS_DEAN = "《中华人民共和国政府信息公开条例》(国令第711号) 号"
T20_DEAN = "信息形成或者变更之日起20个工作日内"

DEAN = {
    "title": "涉农资金领域基层政务公开标准目录",
    "sheet": "涉农资金",
    # a township's catalogue: one 公开事项 column, 公开层级 has only 乡级
    "columns": [
        ("序号", None),
        ("公开事项", None),
        ("公开内容 (要素)", None),
        ("公开依据", None),
        ("公开时限", None),
        ("公开主体", None),
        ("公开渠道和载体", None),
        ("公开对象", ["全社会", "特定群体"]),
        ("公开方式", ["主动", "依申请"]),
        ("公开层级", ["乡级"]),
    ],
    # three ticks per row on the page: 全社会, 主动, 乡级
    "rows": [
        [1, "政策文件", "1、中央及地方政府下发涉农资金相关文件 2、我镇涉农资金相关文件", BASIS_DEAN, T20_DEAN,
         "镇级人民政府", CHANNEL_DEAN, "√", "", "√", "", "√"],
        [2, "资金明细", "涉农相关资金明细", BASIS_DEAN, T20_DEAN, "镇级人民政府", CHANNEL_DEAN, "√", "", "√", "", "√"],
    ],
}  # fmt: skip

CHANNEL_HUICHANG = (
    "■政府网站 口政府公报 口两微一端 口发布会 口广播电视 口纸质媒体 ■公开查阅点口政务公开专区 "
    "口便民服务站口入户/现场 口社区/企事业单位、村公示栏 (电子屏) 口精准推送口其他"
)
BASIS_HUICHANG = "《中华人民共和国政府信息 公开条例》(国务院令第 711号)"
T20_HUICHANG = "信息形成 或变更之 日起20个 工作日内"

HUICHANG = {
    "title": "会昌县商务局政务公开标准目录",
    "sheet": "商务局",
    "columns": [OFFICIAL[0], ("公开 类别", None), *OFFICIAL[1:]],
    # three ticks per row on the page: 全社会, 主动, 县级. "政策文生" is the page's own typo.
    "rows": [
        [1, "决策 公开", "政策文生", "上级政 策文件", "1.国家法律法规、政策文件 2.省市法律法规、政策文件", BASIS_HUICHANG,
         T20_HUICHANG, "县商务局", CHANNEL_HUICHANG, "√", "", "√", "", "√", ""],
        [2, None, None, "部门文件", "1.本部门制定的规范性文件 (需标注是否有效) 2.规范性文件定期清理情况 3.本部门制定的其他文件",
         BASIS_HUICHANG, T20_HUICHANG, "县商务局", CHANNEL_HUICHANG, "√", "", "√", "", "√", ""],
        [3, None, "重大决 策预公 开", "", "1.决策事项目录 2.意见征集 3.意见反馈", BASIS_HUICHANG, T20_HUICHANG,
         "县商务局", CHANNEL_HUICHANG, "√", "", "√", "", "√", ""],
    ],
}  # fmt: skip

BASIS_SAIHAN = (
    "《中华人民共和国政府信息公开条例》、《关于全面推进政务公开工作的意见》、"
    "《关于推进重大建设项目批准和实施领域政府信息公开的意见》"
)

SAIHAN = {
    "title": "重大建设项目领域基层政务公开标准目录",
    "sheet": "重大建设项目",
    "columns": [
        ("序号", None),
        ("公开事项", ["一级事项", "二级事项"]),
        ("公开内容(要素)", None),
        ("公开依据", None),
        ("公开时限", None),
        ("公开主体", None),
        ("公开渠道和载体", None),
        ("公开对象", ["全社会", "特定群众"]),
        ("公开方式", ["主动", "依申请公开"]),
    ],
    # no 公开层级 column; the page has no ticks in these rows; 序号 2 writes 项目单位 under 特定群众
    "rows": [
        [1, "批准服务信息", "办事指南", "申报材料清单、批准流程、办理时限、受理机构联系方式、申报要求等", BASIS_SAIHAN,
         "实时公开", "相关审批部门",
         "■政府网站    ■两微一端    ■纸质媒体    ■公开查阅点  ■政务服务中心■便民服务站\n■投资项目在线审批监管平台",
         "", "", "", ""],
        [2, None, "办理过程信息", "事项名称、事项办理部门、办理进展等", BASIS_SAIHAN, "及时公开", "相关审批部门",
         "■政府网站    ■两微一端\n■政务服务中心\n■投资项目在线审批监管平台", "", "项目单位", "", ""],
        [3, "招标投标信息", "招标投标", "招标公告、中标候选人公示、中标结果公示、合同订立及备案情况、招标投标违法处罚信息",
         BASIS_SAIHAN, "同上", "招标人及其招标代理机构或相关行政监督部门",
         "■政府网站    ■两微一端    ■发布会听证会\n■政务服务中心\n■公共资源交易平台\n■信用中国网站\n"
         "■招投标公共服务平台\n■投资项目在线审批监管平台", "", "", "", ""],
    ],
}  # fmt: skip

SOCIAL_ASSISTANCE = [
    ("序号", None),
    ("公开事项", ["一级事项", "二级事项"]),
    ("公开内容(要素)", None),
    ("公开依据", None),
    ("公开时限", None),
    ("公开主体", None),
    ("公开渠道和载体", None),
    ("公开对象", ["全社会", "特定群众"]),
    ("公开方式", ["主动", "依申请公开"]),
    ("公开层级", ["县级", "乡、村级"]),
]
T10 = "制定或获取信息之日起10个工作日内"
DAZHU_SUBJECT = "县民政局、各乡(镇)人民政府(街道办事处)"

DAZHU = {
    "title": "社会救助领域基层政务公开标准目录",
    "sheet": "社会救助",
    "columns": SOCIAL_ASSISTANCE,
    # the page shows no ticks in any of these rows
    "rows": [
        [1, "综合业务", "政策\n法规\n文件", "《社会救助暂行办法》\n各地配套政策法规文件", "《信息公开条例》及相关规定", T10,
         DAZHU_SUBJECT, "■政府网站\n■公开查阅点\n■政务服务中心", "", "", "", "", "", ""],
        [2, None, "监督\n检查", "社会救助信访通讯地址\n社会救助投诉举报电话", "《信息公开条例》及相关规定", T10,
         DAZHU_SUBJECT, "■政府网站\n■公开查阅点\n■政务服务中心\n■社区/企事业单位/村公示栏(电子屏)", "", "", "", "", "", ""],
        [3, "最低生活保障", "政策\n法规\n文件",
         "《国务院关于进一步加强和改进最低生活保障工作的意见》、《最低生活保障审核审批办法(试行)》、各地配套政策法规文件",
         "《信息公开条例》及相关规定", T10, DAZHU_SUBJECT, "■政府网站\n■公开查阅点\n■政务服务中心", "", "", "", "", "", ""],
        [4, None, "办事指南", "办理事项、办理条件、最低生活保障标准、申请材料、办理流程、办理时间、地点、联系方式",
         "《国务院关于进一步加强和改进最低生活保障工作的意见》、各地相关政策法规文件", T10, DAZHU_SUBJECT,
         "■政府网站\n■公开查阅点\n■政务服务中心", "", "", "", "", "", ""],
    ],
}  # fmt: skip

BAODI_SUBJECT = "县级政府民政部门、乡镇政府(街道办事处)"

BAODI = {
    "title": "社会救助领域基层政务公开标准目录",
    "sheet": "社会救助",
    "columns": SOCIAL_ASSISTANCE,
    # four ticks per row on the page: 全社会, 主动, 县级, 乡、村级
    "rows": [
        [1, "综合业务", "政策", "《社会救助暂行办法》", "《信息公开条例》及相关规定", T10, BAODI_SUBJECT, "■政府网站",
         "√", "", "√", "", "√", "√"],
        [2, None, "监督", "社会救助信访通讯地址", "《信息公开条例》及相关规定", T10, BAODI_SUBJECT, "■政府网站",
         "√", "", "√", "", "√", "√"],
        [3, "最低生活保障", "政策",
         "《国务院关于进一步加强和改进最低生活保障工作的意见》、《最低生活保障审核审批办法(试行)》、各地配套政策法规文件",
         "《信息公开条例》及相关规定", T10, BAODI_SUBJECT, "■政府网站", "√", "", "√", "", "√", "√"],
        [4, None, "办事 指南", "办理事项、办理条件、最低生活保障标准、申请材料、办理流程、办理时间、地点、联系方式",
         "《国务院关于进一步加强和改进最低生活保障工作的意见》、各地相关政策法规文件", T10, BAODI_SUBJECT, "■政府网站",
         "√", "", "√", "", "√", "√"],
    ],
}  # fmt: skip

KYQQ_SUBJECT = "科右前旗人民政府办公室"
KYQQ_T = "信息产生或变更之日起20个工作日内公开"

KYQQ = {
    "title": "科右前旗人民政府办公室主动公开事项目录",
    "sheet": "政府办",
    # a department's list: three name levels, no 公开依据/公开方式/公开层级 columns, a 责任科室 column
    "columns": [
        ("公开事项", ["一级事项", "二级事项", "三级事项"]),
        ("公开内容 (要素)", None),
        ("公开 时限", None),
        ("公开 主体", None),
        ("公开渠道和载体", None),
        ("公开对象", ["全社 会", "特定 群体"]),
        ("责任 科室", None),
    ],
    # one tick per row on the page (全社会); the 三级事项 cell is merged with the 二级事项 cell
    "rows": [
        ["政策法规", "行政规范性文件", "行政规范性文件",
         "1.部门印发的行政规范性文件; 2.现行有效规范性文件目录包括文件名称、文号、单位名称等信息; 3.规范性文件立改废情况。",
         KYQQ_T, KYQQ_SUBJECT, "■政府网站", "√", "", "综合组"],
        ["文件及解读", "政策文件", "政策文件",
         "印发的除规范性文件以外的主动公开属性的政策类文件,包括标题、发布日期、文号、正文等信息。",
         KYQQ_T, KYQQ_SUBJECT, "■政府网站 ■政府公报", "√", "", "综合组"],
        [None, "政府文件", "政府文件", "以政府、政府办公室名义印发的主动公开属性的文件,包括标题、发布日期、文号、正文等信息",
         KYQQ_T, KYQQ_SUBJECT, "■政府网站 ■政府公报", "√", "", "综合组"],
        [None, "其他文件", "其他文件", "印发的除规范性文件以外的主动公开属性的其他文件,包括标题、发布日期、文号、正文等信息。",
         KYQQ_T, KYQQ_SUBJECT, "■政府网站 ■政府公报", "√", "", "综合组"],
        [None, "政策解读", "政策解读", "部门印发的政策性文件的解读材料等信息(所发布信息与政策文件双向关联)。",
         "与政策文件同步发布,时间跨度不超过5个工作日", KYQQ_SUBJECT, "■政府网站", "√", "", "综合组"],
    ],
}  # fmt: skip

BASIS_JIANDE_2 = (
    "《中华人民共和国政府信息公开条例》(国务院令第711号)\n《关于全面推进政务公开工作意见》\n"
    "《关于推进重大建设项目批准和实施领域政府信息公开的意见》(国办发〔2017〕94 号)"
)

JIANDE = {
    "title": "重大建设项目领域基层政务公开标准目录",
    "sheet": "Sheet1",
    "columns": [
        ("序号", None),
        ("公开事项", ["一级事项", "二级事项", "三级事项"]),
        ("公开内容\n(要素)", None),
        ("公开依据", None),
        ("公开时限", None),
        ("公开主体", None),
        ("公开渠道和载体", None),
        ("公开对象", ["全社会", "特定群体"]),
        ("公开方式", ["主动", "依申请"]),
    ],
    # the page shows no ticks in these rows; 序号 2's channel list is cut off on the page after 村公示栏
    "rows": [
        [1, "批准服务信息", "办事指南", "", "申报材料清单、批准流程、办理时限、受理机构联系方式、申报要求等",
         "《关于全面推进政务公开工作意见》\n《关于推进重大建设项目批准和实施领域政府信息公开的意见》(国办发〔2017〕94 号)",
         "实时公开", "乡镇人民政府",
         "■政府网站    □政府公报\n■两微一端    □发布会听证会\n□广播电视    ■纸质媒体\n■公开查阅点  ■政务服务中心\n"
         "■便民服务站  □入户/现场\n□社区/企事业单位/村公示栏(电子屏)\n□精准推送    ■投资项目在线审批监管平台",
         "", "", "", ""],
        [2, "批准结果信息", "政府投资项目建议书审批", "",
         "审批结果、批复时间、批复文号、批复单位、项目名称、项目统一代码等", BASIS_JIANDE_2,
         "信息形成 20 个工作日内公开;其中行政许可、行政处罚事项应自作出行政决定之日起 7 个工作日内公示",
         "乡镇人民政府",
         "■政府网站    □政府公报\n■两微一端    ■发布会听证会\n□广播电视    □纸质媒体\n□公开查阅点  ■政务服务中心\n"
         "□便民服务站  □入户/现场\n□社区/企事业单位/村公示栏(电子屏)",
         "", "", "", ""],
    ],
}  # fmt: skip


@dataclass
class Sheet:
    name: str
    title: str
    columns: list
    rows: list = field(default_factory=list)


def sheet(spec: dict, rows: list | None = None) -> Sheet:
    return Sheet(spec["sheet"], spec["title"], spec["columns"], list(rows if rows is not None else spec["rows"]))


def _headers(ws, columns, top_row: int) -> int:
    """Write the one- or two-level header; returns the number of header rows."""
    two_level = any(sub for _t, sub in columns)
    col = 1
    for top, sub in columns:
        width = len(sub) if sub else 1
        ws.cell(top_row, col, top)
        if sub:
            for i, name in enumerate(sub):
                ws.cell(top_row + 1, col + i, name)
            if width > 1:
                ws.merge_cells(start_row=top_row, start_column=col, end_row=top_row, end_column=col + width - 1)
        elif two_level:
            ws.merge_cells(start_row=top_row, start_column=col, end_row=top_row + 1, end_column=col)
        col += width
    return 2 if two_level else 1


def _data(ws, rows, first_row: int) -> None:
    """Write data rows; ``None`` extends the merged range of the cell above (一级事项 groups)."""
    open_merge: dict[int, int] = {}  # column -> first row of the current group
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row, start=1):
            if value is None:
                open_merge.setdefault(c, r - 1)
                continue
            _close(ws, open_merge, c, r - 1)
            ws.cell(r, c, value)
    last = first_row + len(rows) - 1
    for c in list(open_merge):
        _close(ws, open_merge, c, last)


def _close(ws, open_merge: dict[int, int], column: int, end_row: int) -> None:
    start = open_merge.pop(column, None)
    if start is not None and end_row > start:
        ws.merge_cells(start_row=start, start_column=column, end_row=end_row, end_column=column)


def workbook(*sheets: Sheet) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.name)
        width = sum(len(sub) if sub else 1 for _t, sub in s.columns)
        ws.cell(1, 1, s.title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        header_rows = _headers(ws, s.columns, 2)
        _data(ws, s.rows, 2 + header_rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def twelve_row_workbook() -> bytes:
    """The issue's case: 12 rows from real county catalogues in the official two-level layout.

    重大建设项目: 奉节 序号 1–2 and 赛罕 序号 1–3 (赛罕 has no 公开层级 column: blank here);
    社会救助: 宝坻 序号 1–4 and 大竹 序号 1–3. Blank ticks: the three 赛罕 rows and the three
    大竹 rows; 公开时限 “及时公开” in 奉节 序号 2 and 赛罕 序号 2, “同上” in 赛罕 序号 3.
    """
    saihan = [[*row[:12], "", ""] for row in SAIHAN["rows"]]  # add the empty 公开层级 cells
    saihan[0][0], saihan[1][0], saihan[2][0] = 3, 4, 5
    major = sheet(FENGJIE, FENGJIE["rows"] + saihan)
    major.title = "重大建设项目领域基层政务公开标准目录（奉节县、赛罕区）"
    dazhu = [list(row) for row in DAZHU["rows"][:3]]
    dazhu[0][0], dazhu[1][0], dazhu[2][0] = 5, 6, 7
    social = sheet(BAODI, BAODI["rows"] + dazhu)
    social.title = "社会救助领域基层政务公开标准目录（宝坻区、大竹县）"
    return workbook(major, social)

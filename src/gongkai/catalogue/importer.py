"""Catalogue spreadsheet import: parse → preview report (row-level errors) → all-or-nothing commit.

Layouts understood (see docs/catalogue.md):

* the layout units really use: a title row, then two-level merged headers
  (序号 | 公开事项→一级事项/二级事项 | 公开内容（要素） | 公开依据 | 公开时限 | 公开主体 |
  公开渠道和载体 | 公开对象→全社会/特定群体 | 公开方式→主动/依申请 | 公开层级→县级/乡级),
  ticks written as √ or ■ (□ = not ticked), one sheet per domain (the sheet name
  or the title names the domain), '同上' meaning the cell above, merged cells
  for an 一级事项 spanning several rows;
* plain columns named after any template's elements (or their aliases), as
  .xlsx or .csv (UTF-8 or GB18030/GBK), optionally with a 领域 column.

Nothing is saved by :func:`parse`; :func:`commit` re-checks and saves everything in
one transaction or nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import chinese
from gongkai.core.models import Organisation, User

from . import elements as el
from . import services
from .models import Catalogue, Domain, ElementTemplate, ElementType

MAX_ROWS = getattr(settings, "GONGKAI_CATALOGUE_IMPORT_MAX_ROWS", 50_000)
# The browser wizard checks files within one request; larger files go through the command line.
WEB_MAX_ROWS = getattr(settings, "GONGKAI_CATALOGUE_IMPORT_WEB_MAX_ROWS", 10_000)
MAX_BYTES = getattr(settings, "GONGKAI_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
SAME_AS_ABOVE = {"同上", "同上。", "〃", "同前"}
IGNORED_HEADERS = {"序号", "编号", "备注", "说明", "事项来源", "责任单位", "公开栏目", "细化说明", "状态"}
LEVEL1_HEADERS = {"一级事项", "一级", "事项类别", "主项", "一级目录"}
LEVEL2_HEADERS = {"二级事项", "二级", "子项", "二级目录", "具体事项"}
NAME_TOP_HEADERS = {"公开事项", "事项名称", "事项", "信息名称"}
DOMAIN_HEADERS = {"领域", "公开领域", "所属领域", "试点领域"}
MANDATORY_HEADERS = {"必选事项", "是否必选", "必选"}


@dataclass
class RowResult:
    sheet: str
    row: int
    domain: str = ""
    domain_id: int | None = None
    level1: str = ""
    name: str = ""
    elements: dict = field(default_factory=dict)
    timeframe_text: str = ""
    timeframe_rule: dict = field(default_factory=dict)
    mandatory: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def display_name(self) -> str:
        return f"{self.level1} · {self.name}" if self.name else self.level1


@dataclass
class SheetReport:
    name: str
    domain: str = ""
    header_row: int | None = None
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    empty_rows: int = 0


@dataclass
class ImportReport:
    filename: str
    template: ElementTemplate
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows and bool(self.rows)

    def by_domain(self) -> dict[str, list[RowResult]]:
        out: dict[str, list[RowResult]] = {}
        for r in self.rows:
            out.setdefault(r.domain, []).append(r)
        return out

    def text(self) -> str:
        """The plain-text report printed by ``gongkai import_catalogue``."""
        lines = [f"文件：{self.filename}（模板：{self.template.name}）"]
        for e in self.file_errors:
            lines.append(f"错误：{e}")
        for s in self.sheets:
            lines.append(
                f"工作表“{s.name}”：领域 {s.domain or '（未识别）'}，表头在第{s.header_row or '?'}行，"
                f"数据 {s.rows} 行，跳过空行 {s.empty_rows} 行"
            )
            if s.ignored_columns:
                lines.append(f"  未识别的列（已忽略）：{'、'.join(s.ignored_columns)}")
        for w in self.warnings:
            lines.append(f"提示：{w}")
        for r in self.error_rows:
            lines.append(f"  [{r.sheet} 第{r.row}行] {r.display_name or '（无事项名称）'}：{'；'.join(r.errors)}")
        total, bad = len(self.rows), len(self.error_rows)
        lines.append(
            f"共 {total} 行事项，{total - bad} 行通过，{bad} 行有错误。" + ("" if self.ok else "未保存任何数据。")
        )
        return "\n".join(lines)


# --- reading files ---------------------------------------------------------------------


@dataclass
class RawSheet:
    name: str
    rows: list[list[str]]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row index, col index), 0-based


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        try:
            return value.strftime("%Y年%-m月%-d日")
        except Exception:  # noqa: BLE001
            return str(value)
    return str(value).replace("\r\n", "\n").strip()


def sniff(data: bytes, filename: str = "") -> str:
    """'xlsx' | 'csv'; raises ValidationError with a clear message for anything else."""
    if not data:
        raise ValidationError("文件为空")
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError("这是旧版 Excel 97-2003（.xls）或 WPS 文件，请在 Excel/WPS 中“另存为” .xlsx 后再导入")
    if data[:5] == b"%PDF-":
        raise ValidationError("这是 PDF 文件，无法导入；请上传 .xlsx 或 .csv 格式的目录表")
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("文件类型无法识别（不是 Excel .xlsx 或 CSV 文本文件）")
    if head.lstrip().lower().startswith((b"<!doctype", b"<html")):
        raise ValidationError("这是网页（HTML）文件，请上传 .xlsx 或 .csv 格式的目录表")
    return "csv"


def decode_text(data: bytes) -> tuple[str, str]:
    for enc in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"CSV 文件编码无法识别（第{exc.start}字节附近），请另存为“UTF-8”或“GBK”编码的 CSV"
        ) from exc


def _too_many(limit: int, where: str = "文件") -> ValidationError:
    hint = "；更大的文件请由管理员用命令 gongkai import_catalogue 导入" if limit < MAX_ROWS else ""
    return ValidationError(f"{where}超过单次导入上限 {limit:,} 行，请按领域拆分为多个文件导入{hint}")


def read_csv(data: bytes, limit: int | None = None) -> tuple[list[RawSheet], list[str]]:
    limit = limit or MAX_ROWS
    text, encoding = decode_text(data)
    warnings = [] if encoding.startswith("utf") else [f"CSV 文件为 {encoding.upper()} 编码，已自动转换"]
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if i > limit + 20:
            raise _too_many(limit)
        rows.append([c.strip() for c in row])
    formulas = {(ri, ci) for ri, row in enumerate(rows) for ci, c in enumerate(row) if c.startswith("=") and len(c) > 1}
    return [RawSheet("CSV", rows, formulas)], warnings


def _merged_ranges(zf, path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, from a sheet's <mergeCells> (streamed)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    out = []
    with zf.open(path) as fh:
        for _, elem in iterparse(fh, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                ref = elem.get("ref") or ""
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(ref)
                except (ValueError, TypeError):
                    continue
                out.append((min_row, min_col, max_row, max_col))
            elif tag in ("row", "c", "v", "f", "is", "t"):
                elem.clear()  # keep memory flat while streaming past sheetData
    return out


def read_xlsx(data: bytes, limit: int | None = None) -> list[RawSheet]:
    """Stream every visible sheet (read-only mode), then apply merged ranges read from the XML:
    every cell of a merged range takes the top-left value (two-level headers, 一级事项 groups)."""
    import zipfile

    import openpyxl

    limit = limit or MAX_ROWS
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any failure to open means "not a usable workbook"
        raise ValidationError("无法打开该 Excel 文件（文件损坏，或不是 .xlsx 工作簿）") from exc
    sheets = []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            if (ws.max_row or 0) > limit + 20:
                raise _too_many(limit, f"工作表“{ws.title}”（{ws.max_row:,} 行）")
            grid: list[list[str]] = []
            formulas: set[tuple[int, int]] = set()
            try:
                for ri, row in enumerate(ws.iter_rows(values_only=True)):
                    if ri > limit + 20:
                        raise _too_many(limit, f"工作表“{ws.title}”")
                    values = []
                    for ci, v in enumerate(row):
                        if isinstance(v, str) and v.startswith("=") and len(v) > 1:
                            formulas.add((ri, ci))
                        values.append(_cell_text(v))
                    grid.append(values)
                merges = _merged_ranges(zf, ws._worksheet_path.lstrip("/"))
            except ValidationError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise ValidationError(f"工作表“{ws.title}”无法读取（文件损坏）") from exc
            for min_row, min_col, max_row, max_col in merges:
                if min_row - 1 >= len(grid):
                    continue
                top_row = grid[min_row - 1]
                top = top_row[min_col - 1] if min_col - 1 < len(top_row) else ""
                for r in range(min_row - 1, min(max_row, len(grid))):
                    row = grid[r]
                    while len(row) < max_col:
                        row.append("")
                    for c in range(min_col - 1, max_col):
                        row[c] = top
            sheets.append(RawSheet(ws.title, grid, formulas))
    finally:
        wb.close()
    return sheets


# --- header mapping ------------------------------------------------------------------------


def _norm(h: str) -> str:
    h = chinese.normalise(h or "")
    return re.sub(r"[\s“”\"'（）()【】\[\]：:*＊]", "", h)


@dataclass
class ColumnMap:
    level1: int | None = None
    name: int | None = None
    timeframe: int | None = None
    domain: int | None = None
    mandatory: int | None = None
    element: dict[str, int] = field(default_factory=dict)  # element key -> column
    ticks: dict[str, dict[str, int]] = field(default_factory=dict)  # element key -> {value: column}
    ignored: list[str] = field(default_factory=list)
    header_rows: int = 1


def _element_lookup(template: ElementTemplate) -> dict[str, object]:
    lookup = {}
    for d in template.ordered_elements():
        for label in [d.name, *d.aliases]:
            lookup[_norm(label)] = d
    return lookup


SUB_HEADER_WORDS = (
    LEVEL1_HEADERS | LEVEL2_HEADERS | {"全社会", "特定群体", "主动", "依申请", "县级", "乡级", "主动公开", "依申请公开"}
)


def _find_header(rows: list[list[str]], lookup: dict) -> int | None:
    best, best_score = None, 0
    for i, row in enumerate(rows[:15]):
        score = 0
        for c in row:
            n = _norm(c)
            if n in lookup or n in {_norm(h) for h in NAME_TOP_HEADERS | LEVEL1_HEADERS | DOMAIN_HEADERS}:
                score += 1
        if score > best_score and score >= 2:
            best, best_score = i, score
    return best


def _two_level(top: list[str], sub: list[str]) -> bool:
    """A second header row: ≥2 sub-header words under merged (repeated) or blank top cells."""
    words = {_norm(w) for w in SUB_HEADER_WORDS}
    hits = [ci for ci, c in enumerate(sub) if _norm(c) in words]
    if len(hits) < 2:
        return False
    for ci in hits:
        t = top[ci] if ci < len(top) else ""
        left = top[ci - 1] if 0 < ci <= len(top) else None
        right = top[ci + 1] if ci + 1 < len(top) else None
        if not t or t == left or t == right:
            return True
    return False


def map_columns(top: list[str], sub: list[str] | None, template: ElementTemplate) -> ColumnMap:
    lookup = _element_lookup(template)
    cmap = ColumnMap(header_rows=2 if sub is not None else 1)
    width = max(len(top), len(sub or []))
    ignored_norm = {_norm(h) for h in IGNORED_HEADERS}
    last_top = ""
    for ci in range(width):
        t = top[ci] if ci < len(top) else ""
        s = (sub[ci] if sub is not None and ci < len(sub) else "") if sub is not None else ""
        if sub is not None and not t and s:
            t = last_top  # top header written once above several sub-columns, not merged
        last_top = t or last_top
        if s == t:
            s = ""  # vertically merged header
        nt, ns = _norm(t), _norm(s)
        if not nt and not ns:
            continue
        if ns in {_norm(h) for h in LEVEL1_HEADERS} or (not ns and nt in {_norm(h) for h in LEVEL1_HEADERS}):
            cmap.level1 = ci
            continue
        if ns in {_norm(h) for h in LEVEL2_HEADERS} or (not ns and nt in {_norm(h) for h in LEVEL2_HEADERS}):
            cmap.name = ci
            continue
        if not ns and nt in {_norm(h) for h in NAME_TOP_HEADERS}:
            cmap.level1 = ci if cmap.level1 is None else cmap.level1
            continue
        if nt in {_norm(h) for h in DOMAIN_HEADERS}:
            cmap.domain = ci
            continue
        if nt in {_norm(h) for h in MANDATORY_HEADERS}:
            cmap.mandatory = ci
            continue
        d = lookup.get(nt)
        if d is not None and d.type == ElementType.NAME:
            cmap.level1 = ci if cmap.level1 is None else cmap.level1
            continue
        if d is not None and d.type == ElementType.MULTICHOICE and ns:
            value = el._match_allowed(s, d.allowed_values)
            if value:
                cmap.ticks.setdefault(d.key, {})[value] = ci
                continue
        if d is not None and d.type == ElementType.TIMEFRAME:
            cmap.timeframe = ci
            continue
        if d is not None:
            cmap.element[d.key] = ci
            continue
        if nt in ignored_norm:
            continue
        cmap.ignored.append(t + (f"→{s}" if s else ""))
    return cmap


def _is_tick(value: str) -> bool | None:
    v = value.strip()
    if v in el.EMPTY_TICKS:
        return False
    if v in el.TICKS:
        return True
    return None


# --- parsing ------------------------------------------------------------------------------


def _domain_for(names: list[str], domains: dict[str, Domain]) -> Domain | None:
    for text in names:
        n = chinese.normalise(text or "").strip()
        if not n:
            continue
        if n in domains:
            return domains[n]
    for text in names:
        n = chinese.normalise(text or "")
        hits = [d for key, d in domains.items() if key and key in n]
        if hits:
            return max(hits, key=lambda d: len(d.name))
    return None


def parse(
    data: bytes,
    *,
    filename: str = "",
    template: ElementTemplate | None = None,
    domain: Domain | None = None,
    max_rows: int | None = None,
) -> ImportReport:
    """Read and validate a catalogue file; never saves anything."""
    limit = max_rows or MAX_ROWS
    template = template or ElementTemplate.objects.get(key="national")
    report = ImportReport(filename=filename or "（上传文件）", template=template)
    if len(data) > MAX_BYTES:
        report.file_errors.append(f"文件过大（{len(data) / 1024 / 1024:.1f} MB），上限 {MAX_BYTES // 1024 // 1024} MB")
        return report
    try:
        kind = sniff(data, filename)
        if kind == "xlsx":
            sheets = read_xlsx(data, limit)
        else:
            sheets, warnings = read_csv(data, limit)
            report.warnings.extend(warnings)
    except ValidationError as exc:
        report.file_errors.extend(exc.messages)
        return report

    domains = {chinese.normalise(d.name): d for d in Domain.objects.filter(is_active=True)}
    defs = template.ordered_elements()
    tick_defs = {d.key: d for d in defs if d.type == ElementType.MULTICHOICE}
    lookup = _element_lookup(template)
    seen: dict[tuple, tuple[str, int]] = {}
    for raw in sheets:
        rows = raw.rows
        if not any(any(c for c in r) for r in rows):
            continue
        sheet = SheetReport(name=raw.name)
        report.sheets.append(sheet)
        hi = _find_header(rows, lookup)
        if hi is None:
            report.file_errors.append(
                f"工作表“{raw.name}”：未找到表头。表头应包含模板“{template.name}”的要素名称，"
                f"如{'、'.join(d.name for d in defs[:5])}"
            )
            continue
        sheet.header_row = hi + 1
        top = rows[hi]
        nxt = rows[hi + 1] if hi + 1 < len(rows) else []
        two_level = _two_level(top, nxt)
        cmap = map_columns(top, nxt if two_level else None, template)
        sheet.ignored_columns = cmap.ignored
        sheet.columns = [c for c in top if c]
        if cmap.level1 is None:
            report.file_errors.append(f"工作表“{raw.name}”：找不到“事项名称”或“公开事项（一级事项）”列")
            continue
        missing = [
            d.name
            for d in defs
            if d.required
            and d.type not in (ElementType.NAME,)
            and not (
                (d.type == ElementType.TIMEFRAME and cmap.timeframe is not None)
                or d.key in cmap.element
                or d.key in cmap.ticks
            )
        ]
        if missing:
            report.file_errors.append(f"工作表“{raw.name}”：缺少必填要素列：{'、'.join(missing)}")
            continue
        title_texts = [c for r in rows[:hi] for c in r if c]
        sheet_domain = _domain_for([raw.name], domains) or _domain_for(title_texts, domains) or domain
        sheet.domain = sheet_domain.name if sheet_domain else ""
        start = hi + cmap.header_rows
        prev: dict[int, str] = {}
        prev_level1 = ""
        for ri in range(start, len(rows)):
            row = rows[ri]
            if not any(c.strip() for c in row):
                sheet.empty_rows += 1
                continue
            cells: dict[int, str] = {}

            def cell(ci: int | None) -> str:
                if ci is None:
                    return ""
                if ci in cells:
                    return cells[ci]
                value = row[ci] if ci < len(row) else ""
                if value in SAME_AS_ABOVE:
                    value = prev.get(ci, "")
                cells[ci] = value
                return value

            result = RowResult(sheet=raw.name, row=ri + 1)
            formula_cols = sorted(ci for (r, ci) in raw.formulas if r == ri)
            if formula_cols:
                result.errors.append(
                    "第" + "、".join(_col_letter(c) for c in formula_cols) + "列含公式，请复制后“粘贴为数值”再导入"
                )
            for ci in range(len(row)):
                v = row[ci]
                if v and v in SAME_AS_ABOVE and not prev.get(ci):
                    result.errors.append(f"第{_col_letter(ci)}列写“同上”，但上一行没有内容")
            level1 = cell(cmap.level1)
            name = cell(cmap.name)
            if not level1 and name and prev_level1:
                level1 = prev_level1  # 一级事项 left blank under a merged/continued group
            row_domain = (
                _domain_for([cell(cmap.domain)], domains)
                if cmap.domain is not None and cell(cmap.domain)
                else sheet_domain
            )
            if cmap.domain is not None and cell(cmap.domain) and row_domain is None:
                result.errors.append(f"未知领域“{cell(cmap.domain)}”（请先在“公开领域”中添加该地方领域）")
            elif row_domain is None:
                result.errors.append("无法确定所属领域：工作表名称或标题中应写明领域（如“社会救助”），或增加“领域”列")
            result.domain = row_domain.name if row_domain else cell(cmap.domain)
            result.domain_id = row_domain.pk if row_domain else None
            values: dict = {k: cell(ci) for k, ci in cmap.element.items()}
            for key, options in cmap.ticks.items():
                chosen = []
                for value, ci in options.items():
                    tick = _is_tick(cell(ci))
                    if tick is None:
                        result.errors.append(
                            f"“{tick_defs[key].name}→{value}”列应填写√或■（不选留空或□），实际为“{cell(ci)}”"
                        )
                    elif tick:
                        chosen.append(value)
                values[key] = chosen
            if cmap.mandatory is not None:
                m = cell(cmap.mandatory)
                result.mandatory = m not in ("否", "可选", "非必选", "N", "n", "0", "□")
            timeframe_text = cell(cmap.timeframe)
            checked = el.check(
                template, level1=level1, name=name, elements=values, timeframe_text=timeframe_text, definitions=defs
            )
            result.level1, result.name = level1.strip(), name.strip()
            result.elements = checked.elements
            result.timeframe_text = timeframe_text.strip()
            result.timeframe_rule = checked.timeframe_rule
            result.errors.extend(checked.errors)
            if result.level1:
                dup_key = (result.domain_id or result.domain, services.item_key_for(result.level1, result.name))
                if dup_key in seen:
                    s_name, s_row = seen[dup_key]
                    result.errors.append(f"事项重复：与工作表“{s_name}”第{s_row}行相同")
                else:
                    seen[dup_key] = (raw.name, ri + 1)
            report.rows.append(result)
            sheet.rows += 1
            for ci in range(len(row)):
                prev[ci] = cell(ci)
            if level1:
                prev_level1 = level1
            if len(report.rows) > limit:
                report.file_errors.extend(_too_many(limit, "事项").messages)
                return report
    if not report.sheets and not report.file_errors:
        report.file_errors.append("文件中没有任何内容")
    elif not report.rows and not report.file_errors:
        report.file_errors.append("表头下方没有任何事项行")
    return report


def _col_letter(ci: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(ci + 1)


# --- commit --------------------------------------------------------------------------------


@dataclass
class CommitResult:
    catalogues: list[tuple[Catalogue, int]]  # (catalogue, items imported)
    published: bool = False


@transaction.atomic
def commit(
    report: ImportReport,
    *,
    actor: User | None,
    owner: Organisation,
    target_kind: str,
    target_level: str,
    publish: bool = False,
) -> CommitResult:
    """Save every domain of a clean report as the draft of its catalogue (all or nothing)."""
    if not report.ok:
        raise ValidationError(
            "导入文件有错误，未保存任何数据："
            + "；".join(report.file_errors[:3] or [f"{len(report.error_rows)} 行有错误"])
        )
    template = report.template
    done = []
    for domain_name, rows in report.by_domain().items():
        domain = Domain.objects.filter(pk=rows[0].domain_id, is_active=True).first()
        if domain is None:
            raise ValidationError(f"领域“{domain_name}”已不存在或已停用，请重新上传")
        catalogue = Catalogue.objects.filter(
            owner=owner, domain=domain, target_kind=target_kind, target_level=target_level
        ).first()
        if catalogue is None:
            catalogue = services.catalogue_create(
                actor=actor,
                owner=owner,
                domain=domain,
                template=template,
                target_kind=target_kind,
                target_level=target_level,
            )
        elif catalogue.template_id != template.pk:
            raise ValidationError(
                f"“{catalogue.title}”使用要素模板“{catalogue.template.name}”，与导入时选择的模板“{template.name}”不一致"
            )
        version = catalogue.current_draft() or services.version_start_draft(
            actor=actor, catalogue=catalogue, note="导入"
        )
        count = services.items_replace(
            actor=actor,
            version=version,
            rows=[
                services.ItemRow(
                    level1=r.level1,
                    name=r.name,
                    elements=r.elements,
                    timeframe_text=r.timeframe_text,
                    timeframe_rule=r.timeframe_rule,
                    mandatory=r.mandatory,
                )
                for r in rows
            ],
            source=report.filename,
        )
        if publish:
            services.version_publish(actor=actor, version=version, note=f"导入自 {report.filename}"[:200])
        done.append((catalogue, count))
    return CommitResult(catalogues=done, published=publish)

"""Catalogue spreadsheet import: parse → preview report (row by row) → one-transaction commit.

Layouts understood (see docs/catalogue.md):

* the layout units really use: a title row, then two-level merged headers
  (序号 | 公开事项→一级事项/二级事项[/三级事项] | 公开内容（要素） | 公开依据 | 公开时限 | 公开主体 |
  公开渠道和载体 | 公开对象→全社会/特定群体 | 公开方式→主动/依申请 | 公开层级→县级/乡级),
  ticks written as √ or ■ (□ = not ticked), one sheet per domain (the sheet name
  or the title names the domain), '同上' meaning the cell above, merged cells
  for an 一级事项 spanning several rows;
* plain columns named after any template's elements (or their aliases), as
  .xlsx or .csv (UTF-8 or GB18030/GBK), optionally with a 领域 column.

What real catalogues do and how it is handled:

* rows with blank ticks, blank elements, values outside the options, timeframes that
  cannot be read, formulas, '同上' with nothing above, or a name repeated are imported as
  **incomplete items**, listed in the report with their sheet and row number; the catalogue
  can be saved and edited, and is published once they are completed or the office accepts them;
* timeframes that name no period (及时公开, 定期公开, 项目批准后 …) follow 政府信息公开条例
  art. 26 and are kept as written, with a note in the report;
* text written in a tick column (特定群体 → “项目单位”) counts as ticked, with a note;
* only unreadable files, sheets whose domain is unknown, and rows without a name are
  **refused**; a refused row blocks the commit (nothing is saved) and is listed by row number.

Nothing is saved by :func:`parse`; :func:`commit` re-checks and saves everything in
one transaction or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import chinese, uploads
from gongkai.core.models import Organisation, User

from . import elements as el
from . import services
from .headers import (
    NOT_MANDATORY,
    SAME_AS_ABOVE,
    ColumnMap,
    col_letter,
    domain_for,
    element_lookup,
    find_header,
    is_tick,
    map_columns,
    two_level,
)
from .models import Catalogue, Domain, ElementDefinition, ElementTemplate, ElementType
from .spreadsheets import RawSheet, read_csv, read_xlsx, sniff

MAX_ROWS = getattr(settings, "GONGKAI_CATALOGUE_IMPORT_MAX_ROWS", 50_000)
# The browser wizard checks files within one request; larger files go through the command line.
WEB_MAX_ROWS = getattr(settings, "GONGKAI_CATALOGUE_IMPORT_WEB_MAX_ROWS", 10_000)
MAX_BYTES = getattr(settings, "GONGKAI_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)


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
    errors: list[str] = field(default_factory=list)  # refused: nothing can be saved until fixed
    problems: list[str] = field(default_factory=list)  # incomplete: imported and listed
    warnings: list[str] = field(default_factory=list)  # notes (legal default timeframe, text as a tick)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def complete(self) -> bool:
        return not self.errors and not self.problems

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
    missing_columns: list[str] = field(default_factory=list)
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
        """Refused rows (no name, unknown domain): the file must be corrected."""
        return [r for r in self.rows if r.errors]

    @property
    def incomplete_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors and r.problems]

    @property
    def ok(self) -> bool:
        """The file can be saved (possibly with incomplete items)."""
        return not self.file_errors and not self.error_rows and bool(self.rows)

    def by_domain(self) -> dict[str, list[RowResult]]:
        out: dict[str, list[RowResult]] = {}
        for r in self.rows:
            out.setdefault(r.domain, []).append(r)
        return out

    def text(self) -> str:
        """The plain-text report printed by ``gongkai import_catalogue``."""
        lines = [_("文件：%(file)s（模板：%(template)s）") % {"file": self.filename, "template": self.template.name}]
        lines += [_("错误：%(e)s") % {"e": e} for e in self.file_errors]
        for s in self.sheets:
            lines.append(
                _("工作表“%(sheet)s”：领域 %(domain)s，表头在第%(header)s行，数据 %(rows)s 行，跳过空行 %(empty)s 行")
                % {
                    "sheet": s.name,
                    "domain": s.domain or _("（未识别）"),
                    "header": s.header_row or "?",
                    "rows": s.rows,
                    "empty": s.empty_rows,
                }
            )
            if s.ignored_columns:
                lines.append(_("  未识别的列（已忽略）：%(cols)s") % {"cols": "、".join(s.ignored_columns)})
            if s.missing_columns:
                lines.append(_("  缺少的要素列（各行记为不完整）：%(cols)s") % {"cols": "、".join(s.missing_columns)})
        lines += [_("提示：%(w)s") % {"w": w} for w in self.warnings]
        for label, rows, attr in (
            (_("不能导入"), self.error_rows, "errors"),
            (_("不完整"), self.incomplete_rows, "problems"),
        ):
            for r in rows:
                lines.append(
                    f"  [{r.sheet} {_('第%(n)s行') % {'n': r.row}}] {label} "
                    f"{r.display_name or _('（无事项名称）')}：{'；'.join(getattr(r, attr))}"
                )
        total, bad, incomplete = len(self.rows), len(self.error_rows), len(self.incomplete_rows)
        lines.append(
            _(
                "共 %(total)s 行事项：%(ok)s 行完整，%(incomplete)s 行不完整（可导入，发布前须补全或确认），%(bad)s 行不能导入。"
            )
            % {"total": total, "ok": total - bad - incomplete, "incomplete": incomplete, "bad": bad}
        )
        if not self.ok:
            lines.append(_("未保存任何数据。"))
        return "\n".join(lines)


# --- parsing ------------------------------------------------------------------------------


@dataclass
class _Context:
    """What stays the same for every sheet of one file."""

    template: ElementTemplate
    default_domain: Domain | None
    limit: int
    defs: list[ElementDefinition] = field(init=False)
    lookup: dict = field(init=False)
    domains: dict[str, Domain] = field(init=False)
    seen: dict[tuple, tuple[str, int]] = field(default_factory=dict)

    def __post_init__(self):
        self.defs = self.template.ordered_elements()
        self.lookup = element_lookup(self.template)
        self.domains = {chinese.normalise(d.name): d for d in Domain.objects.filter(is_active=True)}

    @property
    def tick_defs(self) -> dict[str, ElementDefinition]:
        return {d.key: d for d in self.defs if d.type == ElementType.MULTICHOICE}


class _Cells:
    """One data row: '同上' resolved from the row above; formula and '同上' problems collected."""

    def __init__(self, row: list[str], prev: dict[int, str]):
        self.row, self.prev, self.cache = row, prev, {}

    def __call__(self, ci: int | None) -> str:
        if ci is None:
            return ""
        if ci not in self.cache:
            value = self.row[ci] if ci < len(self.row) else ""
            self.cache[ci] = self.prev.get(ci, "") if value in SAME_AS_ABOVE else value
        return self.cache[ci]

    def same_as_above_without_value(self) -> list[int]:
        return [ci for ci, v in enumerate(self.row) if v and v in SAME_AS_ABOVE and not self.prev.get(ci)]

    def resolved(self) -> dict[int, str]:
        return {ci: self(ci) for ci in range(len(self.row))}


@dataclass
class _Sheet:
    raw: RawSheet
    report: SheetReport
    cmap: ColumnMap
    domain: Domain | None
    prev: dict[int, str] = field(default_factory=dict)
    prev_level1: str = ""


_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_BROKEN_LINE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def clean_name(value: str) -> str:
    """A name as written, without the line breaks and spaces that narrow cells put between
    Chinese characters (“政策\n法规\n文件”, “重大决 策预公 开”)."""
    return _BROKEN_LINE.sub("", (value or "").strip())


def _names(sheet: _Sheet, cells: _Cells) -> tuple[str, str]:
    cmap = sheet.cmap
    level1, name = clean_name(cells(cmap.level1)), clean_name(cells(cmap.name))
    level3 = clean_name(cells(cmap.level3))
    if level3 and level3 != name:
        name = f"{name} · {level3}" if name else level3
    if not level1 and name:
        if sheet.prev_level1:
            level1 = sheet.prev_level1  # 一级事项 left blank under a merged/continued group
        else:
            level1, name = name, ""
    return level1, name


def _row_domain(ctx: _Context, sheet: _Sheet, cells: _Cells, result: RowResult) -> None:
    written = cells(sheet.cmap.domain) if sheet.cmap.domain is not None else ""
    domain = domain_for([written], ctx.domains) if written else sheet.domain
    if written and domain is None:
        result.errors.append(_("未知领域“%(name)s”（请先在“公开领域”中添加该地方领域）") % {"name": written})
    elif domain is None:
        result.errors.append(_("无法确定所属领域：工作表名称或标题中应写明领域（如“社会救助”），或增加“领域”列"))
    result.domain = domain.name if domain else written
    result.domain_id = domain.pk if domain else None


def _tick_values(ctx: _Context, sheet: _Sheet, cells: _Cells, result: RowResult) -> dict:
    values: dict = {}
    tick_defs = ctx.tick_defs
    for key, options in sheet.cmap.ticks.items():
        chosen = []
        for value, ci in options.items():
            text = cells(ci)
            tick = is_tick(text)
            if tick is None:
                result.warnings.append(
                    _("“%(element)s→%(value)s”列填写了“%(text)s”，按已勾选处理")
                    % {"element": tick_defs[key].name, "value": value, "text": text}
                )
            if tick is not False:
                chosen.append(value)
        values[key] = chosen
    return values


def _cell_problems(raw: RawSheet, sheet: _Sheet, ri: int, cells: _Cells, result: RowResult) -> None:
    formula_cols = sorted(ci for (r, ci) in raw.formulas if r == ri)
    name_cols = {sheet.cmap.level1, sheet.cmap.name}
    if formula_cols:
        letters = "、".join(col_letter(c) for c in formula_cols)
        message = _("第%(cols)s列含公式，请复制后“粘贴为数值”再导入") % {"cols": letters}
        (result.errors if name_cols & set(formula_cols) else result.problems).append(message)
    for ci in cells.same_as_above_without_value():
        result.problems.append(_("第%(col)s列写“同上”，但上一行没有内容") % {"col": col_letter(ci)})


def _parse_row(ctx: _Context, sheet: _Sheet, ri: int, cells: _Cells) -> RowResult:
    cmap = sheet.cmap
    result = RowResult(sheet=sheet.raw.name, row=ri + 1)
    _cell_problems(sheet.raw, sheet, ri, cells, result)
    level1, name = _names(sheet, cells)
    _row_domain(ctx, sheet, cells, result)
    values: dict = {k: cells(ci) for k, ci in cmap.element.items()}
    values.update(_tick_values(ctx, sheet, cells, result))
    if cmap.mandatory is not None:
        result.mandatory = cells(cmap.mandatory) not in NOT_MANDATORY
    timeframe_text = cells(cmap.timeframe)
    checked = el.check(
        ctx.template, level1=level1, name=name, elements=values, timeframe_text=timeframe_text, definitions=ctx.defs
    )
    result.level1, result.name = level1, name
    result.elements = checked.elements
    result.timeframe_text = timeframe_text.strip()
    result.timeframe_rule = checked.timeframe_rule
    result.errors.extend(checked.errors)
    result.problems.extend(checked.problems)
    result.warnings.extend(checked.warnings)
    if result.level1:
        dup_key = (result.domain_id or result.domain, services.item_key_for(result.level1, result.name))
        if dup_key in ctx.seen:
            s_name, s_row = ctx.seen[dup_key]
            result.problems.append(
                _("与工作表“%(sheet)s”第%(row)s行的事项同名，请合并或删除") % {"sheet": s_name, "row": s_row}
            )
        else:
            ctx.seen[dup_key] = (sheet.raw.name, ri + 1)
    if level1:
        sheet.prev_level1 = level1
    sheet.prev = cells.resolved()
    return result


def _missing_columns(ctx: _Context, cmap: ColumnMap) -> list[str]:
    def present(d: ElementDefinition) -> bool:
        if d.type == ElementType.TIMEFRAME:
            return cmap.timeframe is not None
        return d.key in cmap.element or d.key in cmap.ticks

    return [d.name for d in ctx.defs if d.required and d.type != ElementType.NAME and not present(d)]


def _open_sheet(ctx: _Context, raw: RawSheet, report: ImportReport) -> _Sheet | None:
    rows = raw.rows
    sheet_report = SheetReport(name=raw.name)
    report.sheets.append(sheet_report)
    hi = find_header(rows, ctx.lookup)
    if hi is None:
        report.file_errors.append(
            _("工作表“%(sheet)s”：未找到表头。表头应包含模板“%(template)s”的要素名称，如%(names)s")
            % {"sheet": raw.name, "template": ctx.template.name, "names": "、".join(d.name for d in ctx.defs[:5])}
        )
        return None
    sheet_report.header_row = hi + 1
    top = rows[hi]
    nxt = rows[hi + 1] if hi + 1 < len(rows) else []
    cmap = map_columns(top, nxt if two_level(top, nxt) else None, ctx.template)
    sheet_report.ignored_columns = cmap.ignored
    sheet_report.columns = [c for c in top if c]
    if cmap.level1 is None:
        report.file_errors.append(
            _("工作表“%(sheet)s”：找不到“事项名称”或“公开事项（一级事项）”列") % {"sheet": raw.name}
        )
        return None
    sheet_report.missing_columns = _missing_columns(ctx, cmap)
    title_texts = [c for r in rows[:hi] for c in r if c]
    domain = domain_for([raw.name], ctx.domains) or domain_for(title_texts, ctx.domains) or ctx.default_domain
    if domain is None and cmap.domain is None:
        report.file_errors.append(
            _("工作表“%(sheet)s”：无法确定所属领域。工作表名称或标题中应写明领域（如“社会救助”），或增加“领域”列")
            % {"sheet": raw.name}
        )
        return None
    sheet_report.domain = domain.name if domain else ""
    return _Sheet(raw=raw, report=sheet_report, cmap=cmap, domain=domain)


def _parse_sheet(ctx: _Context, raw: RawSheet, report: ImportReport) -> bool:
    """Parse one sheet into ``report``; False when the row limit was exceeded."""
    sheet = _open_sheet(ctx, raw, report)
    if sheet is None:
        return True
    for ri in range(sheet.report.header_row - 1 + sheet.cmap.header_rows, len(raw.rows)):
        row = raw.rows[ri]
        if not any(c.strip() for c in row):
            sheet.report.empty_rows += 1
            continue
        report.rows.append(_parse_row(ctx, sheet, ri, _Cells(row, sheet.prev)))
        sheet.report.rows += 1
        if len(report.rows) > ctx.limit:
            report.file_errors.append(_("事项超过单次导入上限 %(n)s 行，请按领域拆分为多个文件导入") % {"n": ctx.limit})
            return False
    return True


def _read(data: bytes, limit: int, report: ImportReport) -> list[RawSheet] | None:
    if len(data) > MAX_BYTES:
        report.file_errors.append(
            _("文件过大（%(size)s MB），上限 %(limit)s MB")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024}
        )
        return None
    hint = limit < MAX_ROWS
    try:
        if sniff(data) == "xlsx":
            # zip-bomb limits and the scanner before openpyxl opens anything
            try:
                uploads.check_file("import.xlsx", data, allowed={"xlsx"}, limit=MAX_BYTES, extract=False)
            except ValidationError as exc:
                if {e.code for e in exc.error_list} & {"archive", "too_large", "scan", "infected"}:
                    raise
                raise ValidationError(_("无法打开该 Excel 文件（文件损坏，或不是 .xlsx 工作簿）")) from exc
            return read_xlsx(data, limit, hint=hint)
        uploads.check_text_file("import.csv", data, limit=MAX_BYTES)
        sheets, warnings = read_csv(data, limit, hint=hint)
    except ValidationError as exc:
        report.file_errors.extend(exc.messages)
        return None
    report.warnings.extend(warnings)
    return sheets


def parse(
    data: bytes,
    *,
    filename: str = "",
    template: ElementTemplate | None = None,
    domain: Domain | None = None,
    max_rows: int | None = None,
) -> ImportReport:
    """Read and check a catalogue file; never saves anything."""
    limit = max_rows or MAX_ROWS
    template = template or ElementTemplate.objects.get(key="national")
    report = ImportReport(filename=filename or _("（上传文件）"), template=template)
    sheets = _read(data, limit, report)
    if sheets is None:
        return report
    ctx = _Context(template=template, default_domain=domain, limit=limit)
    for raw in sheets:
        if any(any(c for c in r) for r in raw.rows) and not _parse_sheet(ctx, raw, report):
            return report
    if not report.sheets and not report.file_errors:
        report.file_errors.append(_("文件中没有任何内容"))
    elif not report.rows and not report.file_errors:
        report.file_errors.append(_("表头下方没有任何事项行"))
    return report


# --- commit --------------------------------------------------------------------------------


@dataclass
class CommitResult:
    catalogues: list[tuple[Catalogue, int]]  # (catalogue, items imported)
    published: bool = False
    incomplete: int = 0


def _catalogue_for(report: ImportReport, domain: Domain, *, actor, owner, target_kind, target_level) -> Catalogue:
    catalogue = Catalogue.objects.filter(
        owner=owner, domain=domain, target_kind=target_kind, target_level=target_level
    ).first()
    if catalogue is None:
        return services.catalogue_create(
            actor=actor,
            owner=owner,
            domain=domain,
            template=report.template,
            target_kind=target_kind,
            target_level=target_level,
        )
    if catalogue.template_id != report.template.pk:
        raise ValidationError(
            _("“%(title)s”使用要素模板“%(used)s”，与导入时选择的模板“%(chosen)s”不一致")
            % {"title": catalogue.title, "used": catalogue.template.name, "chosen": report.template.name}
        )
    return catalogue


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
    """Save every domain of a report as the draft of its catalogue (all or nothing).

    Incomplete rows become incomplete items. ``publish`` publishes at once, which the
    catalogue's ``publish`` transition allows only when no item is incomplete."""
    if not report.ok:
        reasons = report.file_errors[:3] or [_("%(n)s 行不能导入") % {"n": len(report.error_rows)}]
        raise ValidationError(_("导入文件有错误，未保存任何数据：%(reasons)s") % {"reasons": "；".join(reasons)})
    if publish and report.incomplete_rows:
        raise ValidationError(
            _("有 %(n)s 项要素不完整，不能导入后立即发布：请先保存为草稿，补全或确认后再发布")
            % {"n": len(report.incomplete_rows)}
        )
    done = []
    for domain_name, rows in report.by_domain().items():
        domain = Domain.objects.filter(pk=rows[0].domain_id, is_active=True).first()
        if domain is None:
            raise ValidationError(_("领域“%(name)s”已不存在或已停用，请重新上传") % {"name": domain_name})
        catalogue = _catalogue_for(
            report, domain, actor=actor, owner=owner, target_kind=target_kind, target_level=target_level
        )
        version = catalogue.current_draft() or services.version_start_draft(
            actor=actor, catalogue=catalogue, note=_("导入")
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
                    problems=r.problems,
                )
                for r in rows
            ],
            source=report.filename,
        )
        if publish:
            note = _("导入自 %(file)s") % {"file": report.filename}
            services.version_publish(actor=actor, version=version, note=note[:200])
        done.append((catalogue, count))
    return CommitResult(catalogues=done, published=publish, incomplete=len(report.incomplete_rows))

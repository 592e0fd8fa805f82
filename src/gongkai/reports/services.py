"""State changes of annual reports. Each function runs in one transaction and records an audit event."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit, permissions
from gongkai.core.models import Organisation, Role, User

from . import engine
from . import tables as T
from .models import NARRATIVE_FIELDS, AnnualReport, FigureChange, FigureChangeKind, ReportStatus

EDIT_ROLES = [Role.EDITOR, Role.REVIEWER, Role.LEADER, Role.DISCLOSURE_OFFICE]
PUBLISH_ROLES = [Role.LEADER, Role.DISCLOSURE_OFFICE]
MIN_REASON = 4


def _authorise(actor: User | None, roles, unit: Organisation) -> None:
    if actor is None:  # system: the generation task, the demo loader, the command line
        return
    permissions.require(actor, roles, unit)


def _ensure_draft(report: AnnualReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("已发布的报告数字和内容已冻结，不能修改；如需更正，请创建更正版本")


def default_title(unit: Organisation, year: int) -> str:
    return f"{unit.name}{year}年政府信息公开工作年度报告"


def previous_carried_out(unit: Organisation, year: int) -> dict | None:
    prev = AnnualReport.objects.filter(unit=unit, year=year - 1, status=ReportStatus.PUBLISHED).first()
    if prev is None or not prev.figures.get("t3"):
        return None
    return {c: prev.figures["t3"]["carried_out"][c]["v"] for c in T.T3_COL_KEYS}


def _compute(report: AnnualReport) -> tuple[dict, engine.TableData]:
    units = engine.report_units(report.unit)
    data = engine.fetch(units, report.year)
    figures = engine.build_figures(data, previous=report.figures or None)
    return figures, data


def _store(report: AnnualReport, figures: dict, data: engine.TableData) -> None:
    checks = engine.checks_for(figures, data, previous_carried_out(report.unit, report.year))
    report.figures = figures
    report.checks = [c.as_dict() for c in checks]
    from . import sources

    report.sources = sources.statuses()
    report.unit_ids = list(engine.report_units(report.unit).values_list("pk", flat=True))
    report.computed_at = timezone.now()


def _default_narrative(report: AnnualReport) -> None:
    """Starting text for the sections next to the tables, written from the figures. A text that
    staff have edited is never overwritten; an untouched generated text follows the figures."""
    f = report.figures
    year = report.year

    def v(t, r, c):
        x = T.value(f, t, r, c)
        return "—" if x is None else x

    texts = {
        "proactive_text": (
            f"{year}年，本机关制发规章{v('t2', 'rules', 'made')}件、行政规范性文件{v('t2', 'normative', 'made')}件，"
            f"废止规章{v('t2', 'rules', 'repealed')}件、行政规范性文件{v('t2', 'normative', 'repealed')}件；"
            f"截至年底，现行有效规章{v('t2', 'rules', 'in_force')}件、行政规范性文件{v('t2', 'normative', 'in_force')}件。"
        ),
        "requests_text": (
            f"{year}年，本机关新收政府信息公开申请{v('t3', 'new', 'total')}件，上年结转{v('t3', 'carried_in', 'total')}件；"
            f"本年度办结{v('t3', 'result_total', 'total')}件，其中予以公开{v('t3', 'open', 'total')}件、"
            f"部分公开{v('t3', 'partial', 'total')}件；结转下年度继续办理{v('t3', 'carried_out', 'total')}件。"
        ),
        "appeals_text": (
            f"{year}年，本机关因政府信息公开被申请行政复议{v('t4', 'count', 'review_total')}件，"
            f"被提起行政诉讼{_sum_or_dash(v('t4', 'count', 'suit_direct_total'), v('t4', 'count', 'suit_after_total'))}件。"
        ),
    }
    auto = dict(report.auto_texts or {})
    for field, text in texts.items():
        current = getattr(report, field)
        if not current.strip() or current == auto.get(field):
            setattr(report, field, text)
            auto[field] = text
    report.auto_texts = auto


def _sum_or_dash(a, b):
    return "—" if "—" in (a, b) else a + b


@transaction.atomic
def report_generate(*, actor: User | None, unit: Organisation, year: int) -> AnnualReport:
    """Create (or refresh) the unit's draft for ``year`` from the records."""
    _authorise(actor, EDIT_ROLES, unit)
    if year < 2000 or year > timezone.localdate().year:
        raise ValidationError("报告年度不正确")
    report = AnnualReport.objects.select_for_update().filter(unit=unit, year=year, status=ReportStatus.DRAFT).first()
    created = report is None
    if created:
        last = AnnualReport.objects.filter(unit=unit, year=year).order_by("-version").first()
        if last is not None:
            raise ValidationError("该年度报告已发布；如需更正，请在已发布的报告上创建更正版本")
        report = AnnualReport(unit=unit, year=year, title=default_title(unit, year), created_by=actor)
    before = {"figures_computed_at": report.computed_at}
    figures, data = _compute(report)
    _store(report, figures, data)
    _default_narrative(report)
    report.save()
    audit.record(
        actor=actor,
        action="reports.report.generate" if created else "reports.report.refresh",
        obj=report,
        unit=unit,
        before=before,
        after={
            "year": year,
            "version": report.version,
            "failing_checks": [c["code"] for c in report.checks if not c["ok"]],
        },
    )
    return report


@transaction.atomic
def report_update_text(*, actor: User | None, report: AnnualReport, title: str, **sections: str) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _authorise(actor, EDIT_ROLES, report.unit)
    _ensure_draft(report)
    fields = ["title"] + [f for f, _ in NARRATIVE_FIELDS]
    before = audit.snapshot(report, fields)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写报告标题"})
    report.title = title[:200]
    for f, _sec in NARRATIVE_FIELDS:
        if f in sections:
            setattr(report, f, (sections[f] or "").strip())
    report.save()
    audit.record(
        actor=actor,
        action="reports.report.update_text",
        obj=report,
        unit=report.unit,
        before=before,
        after=audit.snapshot(report, fields),
    )
    return report


def _rerun_checks(report: AnnualReport) -> None:
    data = engine.TableData(normative=None)
    # the library check needs the library's live counts; the other checks need only the figures
    from . import sources

    try:
        data.normative = sources.normative(engine.report_units(report.unit), report.year)
    except sources.SourceUnavailable:
        data.normative = None
    checks = engine.checks_for(report.figures, data, previous_carried_out(report.unit, report.year))
    report.checks = [c.as_dict() for c in checks]


def _cell_or_error(report: AnnualReport, table: str, row: str, col: str) -> dict:
    if not T.valid_cell(table, row, col):
        raise ValidationError("表格中没有这个位置")
    return report.figures[table][row][col]


@transaction.atomic
def report_set_manual_figure(
    *, actor: User | None, report: AnnualReport, row: str, col: str, value, note: str
) -> AnnualReport:
    """Enter a table 二 figure that no app records (licences, penalties, enforcement, fees)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _authorise(actor, EDIT_ROLES, report.unit)
    _ensure_draft(report)
    if not T.is_manual_cell(report.figures, "t2", row, col):
        raise ValidationError("该数字由系统根据记录统计，不能直接填写；如确需调整，请使用“调整”并说明理由")
    c = _cell_or_error(report, "t2", row, col)
    try:
        number = T.parse_figure(value, table="t2", row=row, col=col)
    except T.FigureError as exc:
        raise ValidationError({"value": str(exc)}) from None
    note = (note or "").strip()
    if len(note) < MIN_REASON:
        raise ValidationError({"note": "请注明数字来源（如：县行政审批局2025年度统计报表）"})
    old = c.get("v")
    stored = str(number) if col == "amount" else number
    report.figures["t2"][row][col] = T.cell(stored, src="manual", note=note[:500])
    _rerun_checks(report)
    report.save(update_fields=["figures", "checks", "updated_at"])
    FigureChange.objects.create(
        report=report,
        kind=FigureChangeKind.MANUAL,
        table="t2",
        row=row,
        col=col,
        old_value="" if old is None else str(old),
        new_value=str(stored),
        reason=note,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="reports.figure.manual",
        obj=report,
        unit=report.unit,
        before={"cell": ["t2", row, col], "value": old},
        after={"cell": ["t2", row, col], "value": stored, "note": note},
    )
    return report


@transaction.atomic
def report_adjust_figure(
    *, actor: User | None, report: AnnualReport, table: str, row: str, col: str, value, reason: str
) -> AnnualReport:
    """Override a computed figure. Allowed only with a recorded reason; totals follow automatically."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _authorise(actor, EDIT_ROLES, report.unit)
    _ensure_draft(report)
    c = _cell_or_error(report, table, row, col)
    if T.is_derived(table, row, col):
        raise ValidationError("合计数由各项数字自动求和，不能单独调整")
    if T.is_manual_cell(report.figures, table, row, col):
        raise ValidationError("该数字为人工填报项，请直接修改填报值")
    if c.get("src") == "unwired":
        raise ValidationError("该数据来源尚未接入，不能调整")
    try:
        number = T.parse_figure(value, table=table, row=row, col=col)
    except T.FigureError as exc:
        raise ValidationError({"value": str(exc)}) from None
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": "调整统计数字必须说明理由（至少4个字）"})
    computed = c.get("computed") if c.get("src") == "adjusted" else c.get("v")
    old = c.get("v")
    new = {**c, "v": number, "computed": computed, "note": reason[:500]}
    new["src"] = "computed" if number == computed else "adjusted"
    if new["src"] == "computed":
        new["note"] = ""
    report.figures[table][row][col] = new
    if table == "t3":
        T.derive_t3_totals(report.figures["t3"])
    elif table == "t4":
        T.derive_t4_totals(report.figures["t4"][T.T4_ROW])
    _rerun_checks(report)
    report.save(update_fields=["figures", "checks", "updated_at"])
    FigureChange.objects.create(
        report=report,
        kind=FigureChangeKind.ADJUST if new["src"] == "adjusted" else FigureChangeKind.RESET,
        table=table,
        row=row,
        col=col,
        computed_value="" if computed is None else str(computed),
        old_value="" if old is None else str(old),
        new_value=str(number),
        reason=reason,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="reports.figure.adjust",
        obj=report,
        unit=report.unit,
        before={"cell": [table, row, col], "value": old, "computed": computed},
        after={"cell": [table, row, col], "value": number, "reason": reason},
    )
    return report


def _values(figures: dict) -> dict:
    return {
        t: {r: {c: cell.get("v") for c, cell in cols.items()} for r, cols in rows.items()}
        for t, rows in figures.items()
    }


@transaction.atomic
def report_publish(
    *, actor: User | None, report: AnnualReport, published_at: dt.datetime | None = None
) -> AnnualReport:
    """Publish a draft: the figures are recomputed from the records; if they changed since the
    reviewer last saw them, or if any check fails, nothing is published and the page says why.

    ``published_at`` (default now) records when a report already published elsewhere went out,
    for reports migrated from an old website (and the demo's previous year); never in the future."""
    if published_at is not None and published_at > timezone.now():
        raise ValidationError("发布时间不能晚于当前时间")
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _authorise(actor, PUBLISH_ROLES, report.unit)
    _ensure_draft(report)
    figures, data = _compute(report)
    changed = _values(figures) != _values(report.figures)
    _store(report, figures, data)
    failing = [c for c in report.checks if not c["ok"]]
    # Refused publications roll back; the view then refreshes the draft (report_generate) so the
    # reviewer sees the current figures and the failing checks.
    if changed or failing:
        if changed:
            raise PublishBlocked(report, "自上次统计以来相关记录有变化，数字已按最新记录更新，请重新核对后再发布", [])
        raise PublishBlocked(report, "核对未通过，不能发布：", failing)
    if not report.overview.strip():
        raise PublishBlocked(report, "请先填写“一、总体情况”", [])
    previous = report.supersedes
    if previous is not None:
        previous = AnnualReport.objects.select_for_update().get(pk=previous.pk)
        previous.supersede()
        previous.save()
        audit.record(
            actor=actor,
            action="reports.report.supersede",
            obj=previous,
            unit=previous.unit,
            after={"superseded_by_version": report.version},
        )
    report.publish()
    report.published_at = published_at or timezone.now()
    report.published_by = actor
    report.save()
    audit.record(
        actor=actor,
        action="reports.report.publish",
        obj=report,
        unit=report.unit,
        after={
            "year": report.year,
            "version": report.version,
            "published_at": report.published_at.isoformat(),
            "figures": _values(report.figures),
        },
    )
    return report


class PublishBlocked(ValidationError):
    """Publishing refused; ``checks`` lists the failing checks (already saved on the draft)."""

    def __init__(self, report, message, checks):
        super().__init__(message)
        self.report = report
        self.failing = checks


@transaction.atomic
def report_correct(*, actor: User | None, report: AnnualReport, note: str) -> AnnualReport:
    """Start a correction of a published report: a new draft version with a correction note.

    The published version stays unchanged and public until the correction is published."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _authorise(actor, PUBLISH_ROLES, report.unit)
    if report.status != ReportStatus.PUBLISHED:
        raise ValidationError("只能更正当前已发布的版本")
    if AnnualReport.objects.filter(unit=report.unit, year=report.year, status=ReportStatus.DRAFT).exists():
        raise ValidationError("该年度已有一个更正草稿")
    note = (note or "").strip()
    if len(note) < MIN_REASON:
        raise ValidationError({"note": "请说明更正的内容和原因"})
    new = AnnualReport(
        unit=report.unit,
        year=report.year,
        version=report.version + 1,
        title=report.title,
        figures=copy.deepcopy(report.figures),
        supersedes=report,
        correction_note=note,
        created_by=actor,
        auto_texts=dict(report.auto_texts or {}),
        **{f: getattr(report, f) for f, _ in NARRATIVE_FIELDS},
    )
    figures, data = _compute(new)
    _store(new, figures, data)
    new.save()
    audit.record(
        actor=actor,
        action="reports.report.correct",
        obj=new,
        unit=new.unit,
        after={"corrects_version": report.version, "note": note},
    )
    return new


@transaction.atomic
def report_delete_draft(*, actor: User | None, report: AnnualReport) -> None:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _authorise(actor, PUBLISH_ROLES, report.unit)
    _ensure_draft(report)
    audit.record(
        actor=actor,
        action="reports.report.delete_draft",
        obj=report,
        unit=report.unit,
        before={"year": report.year, "version": report.version},
    )
    report.changes.all().delete()
    report.delete()

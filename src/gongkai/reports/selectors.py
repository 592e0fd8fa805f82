"""Read queries of the reports app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import pageviews, permissions
from gongkai.core.models import Organisation, Role

from . import engine
from . import tables as T
from .models import AnnualReport, FigureChange, GenerationJob, ReportStatus


def default_year() -> int:
    """Reports are written in January-March about the previous year."""
    return timezone.localdate().year - 1


def reports_for(user, *, year: int | None = None, status: str = "") -> QuerySet[AnnualReport]:
    qs = permissions.scope(AnnualReport.objects.select_related("unit"), user)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "unit__path", "-version")


def report_for(user, pk: int) -> AnnualReport:
    report = AnnualReport.objects.select_related("unit", "supersedes", "published_by").get(pk=pk)
    permissions.require_view(user, report.unit)
    return report


def editable_units(user) -> QuerySet[Organisation]:
    """Units whose report the user may draft (reporting units only)."""
    ids = set()
    for role in (Role.EDITOR, Role.REVIEWER, Role.LEADER, Role.DISCLOSURE_OFFICE):
        ids.update(permissions.units_with_role(user, role).values_list("pk", flat=True))
    return Organisation.objects.filter(pk__in=ids, is_active=True, kind__in=["government", "department"]).order_by(
        "path"
    )


def oversight_roots(user) -> QuerySet[Organisation]:
    """The governments whose disclosure office this user is (top-most first)."""
    if permissions.is_superuser(user):
        return Organisation.objects.filter(kind="government", is_active=True).order_by("depth", "path")[:1]
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.DISCLOSURE_OFFICE, is_active=True
    ).order_by("depth")


@dataclass
class UnitProgress:
    unit: Organisation
    deadline: dt.date
    days_left: int
    report: AnnualReport | None  # the current draft or published version
    published: bool
    published_late: bool

    @property
    def state(self) -> str:
        if self.published:
            return _("逾期发布") if self.published_late else _("已发布")
        if self.days_left < 0:
            return _("已逾期未发布")
        return _("草稿中") if self.report else _("未开始")

    @property
    def badge(self) -> str:
        if self.published:
            return "warn" if self.published_late else "ok"
        return "danger" if self.days_left < 0 or self.days_left <= 7 else "warn" if self.report else ""


def progress(root: Organisation, year: int, *, today: dt.date | None = None) -> list[UnitProgress]:
    """Which reporting units under ``root`` have (not) published their ``year`` report, and days left."""
    today = today or timezone.localdate()
    units = list(engine.reporting_units(root))
    by_unit: dict[int, AnnualReport] = {}
    for r in (
        AnnualReport.objects.filter(unit__in=units, year=year)
        .exclude(status=ReportStatus.SUPERSEDED)
        .order_by("version")
    ):
        # a published version wins over a correction draft for the published flag
        cur = by_unit.get(r.unit_id)
        if cur is None or cur.status != ReportStatus.PUBLISHED:
            by_unit[r.unit_id] = r
    first_published = {
        u: p
        for u, p in AnnualReport.objects.filter(
            unit__in=units, year=year, version=1, published_at__isnull=False
        ).values_list("unit_id", "published_at")
    }
    out = []
    for u in units:
        deadline = engine.legal_deadline(u, year)
        rep = by_unit.get(u.pk)
        published = rep is not None and rep.status == ReportStatus.PUBLISHED
        first = first_published.get(u.pk)
        late = bool(first and timezone.localtime(first).date() > deadline)
        out.append(UnitProgress(u, deadline, (deadline - today).days, rep, published, late))
    return out


def changes_for(report: AnnualReport, table: str = "", row: str = "", col: str = "") -> QuerySet[FigureChange]:
    qs = report.changes.select_related("actor")
    if table:
        qs = qs.filter(table=table, row=row, col=col)
    return qs


def published_reports(*, year: int | None = None) -> QuerySet[AnnualReport]:
    qs = AnnualReport.objects.filter(status__in=[ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED]).select_related(
        "unit"
    )
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "unit__path", "-version")


def latest_published_report() -> AnnualReport | None:
    """The newest published annual report, of the highest unit (the county government before its
    departments) — the one the portal home page links to."""
    return (
        AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
        .select_related("unit")
        .order_by("-year", "unit__depth", "unit__path", "-version")
        .first()
    )


def change_marker() -> QuerySet:
    """When a report last changed: a one-value query the portal runs as a subquery to key its caches."""
    return AnnualReport.objects.order_by("-updated_at").values("updated_at")[:1]


def published_archive() -> list[tuple[int, list[AnnualReport]]]:
    by_year: dict[int, list[AnnualReport]] = {}
    for r in published_reports().filter(status=ReportStatus.PUBLISHED):
        by_year.setdefault(r.year, []).append(r)
    return sorted(by_year.items(), reverse=True)


def latest_job(user) -> GenerationJob | None:
    return GenerationJob.objects.filter(requested_by=user).first() if user.is_authenticated else None


def workbench_panels(user) -> list[dict]:
    year = default_year()
    panels = []
    for root in oversight_roots(user)[:1]:
        rows = progress(root, year)
        pending = [p for p in rows if not p.published]
        items = [
            (
                _("%(unit)s：%(state)s，距法定期限%(days)s天")
                % {"unit": p.unit.display_name, "state": p.state, "days": p.days_left}
                if p.days_left >= 0
                else _("%(unit)s：%(state)s，已逾期%(days)s天")
                % {"unit": p.unit.display_name, "state": p.state, "days": -p.days_left},
                reverse("reports_wb:oversight") + f"?year={year}",
            )
            for p in pending[:6]
        ]
        panels.append(
            {
                "title": _("%(year)s年度报告发布进度（%(done)s/%(all)s 已发布）")
                % {"year": year, "done": len(rows) - len(pending), "all": len(rows)},
                "items": items,
                "empty": _("所有单位均已发布年度报告"),
            }
        )
    drafts = reports_for(user, status=ReportStatus.DRAFT)[:5]
    if drafts:
        panels.append(
            {
                "title": _("年度报告草稿"),
                "items": [(str(r), reverse("reports_wb:detail", args=[r.pk])) for r in drafts],
                "empty": "",
            }
        )
    return panels


def top_viewed(object_type: str, *, since: dt.date, limit: int = 10) -> list[tuple[str, int]]:
    return pageviews.most_viewed(object_type, since=since, limit=limit)


def cell_info(report: AnnualReport, table: str, row: str, col: str) -> dict:
    c = report.figures[table][row][col]
    return {"table": T.TABLES[table], "row": T.row_label(table, row), "col": T.col_label(table, row, col), **c}

"""Public pages: the archive of published annual reports, each report as HTML, PDF and DOCX."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import exports, layout, selectors
from .models import AnnualReport, ReportStatus

PUBLIC_STATES = [ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED]


def index(request):
    return render(request, "reports/portal_index.html", {"archive": selectors.published_archive()})


def _public(pk) -> AnnualReport:
    try:
        return AnnualReport.objects.select_related("unit").get(pk=pk, status__in=PUBLIC_STATES)
    except AnnualReport.DoesNotExist:
        raise Http404(_("报告不存在或尚未发布")) from None


def detail(request, pk):
    report = _public(pk)
    current = None
    if report.status == ReportStatus.SUPERSEDED:
        current = AnnualReport.objects.filter(unit=report.unit, year=report.year, status=ReportStatus.PUBLISHED).first()
    versions = AnnualReport.objects.filter(unit=report.unit, year=report.year, status__in=PUBLIC_STATES).order_by(
        "version"
    )
    return render(
        request,
        "reports/portal_detail.html",
        {
            "report": report,
            "tables": layout.all_tables(report),
            "notes": layout.manual_notes(report),
            "current": current,
            "versions": versions,
        },
    )


def download(request, pk, fmt):
    if fmt not in ("pdf", "docx", "json"):
        raise Http404(_("不支持的格式"))
    return exports.response(_public(pk), fmt)

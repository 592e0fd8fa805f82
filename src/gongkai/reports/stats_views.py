"""Dashboards: /workbench/reports/statistics/ (staff, any unit they may see) and /reports/statistics/ (public)."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation

from . import selectors, stats


def _year(request) -> int:
    try:
        y = int(request.GET.get("year") or stats.current_year())
    except ValueError:
        y = stats.current_year()
    return min(max(y, 2008), stats.current_year())


def _staff_root(request) -> Organisation:
    visible = permissions.visible_units(request.user)
    unit_id = request.GET.get("unit")
    if unit_id:
        try:
            unit = visible.get(pk=int(unit_id))
        except (Organisation.DoesNotExist, ValueError):
            raise PermissionDenied(_("您无权查看该单位的统计")) from None
        return unit
    roots = list(selectors.oversight_roots(request.user))
    if roots:
        return roots[0]
    if request.user.unit and permissions.can_view(request.user, request.user.unit):
        return request.user.unit
    unit = visible.order_by("depth").first()
    if unit is None:
        raise PermissionDenied(_("您没有可查看的单位"))
    return unit


def _cell(v):
    """Neutralise spreadsheet formulas in text cells (search terms come from the public)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _csv(chart: stats.Chart, name: str) -> HttpResponse:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    w = csv.writer(buf)
    w.writerow([chart.title])
    w.writerow(chart.columns)
    for row in chart.rows:
        w.writerow(["" if v is None else _cell(v) for v in row])
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = content_disposition_header(True, f"{name}-{chart.title}.csv")
    return resp


@staff_required
def workbench_statistics(request):
    root, year = _staff_root(request), _year(request)
    charts = stats.dashboard(root, year, public=False)
    units = permissions.visible_units(request.user).filter(kind__in=["government", "department"]).order_by("path")[:300]
    return render(
        request,
        "reports/wb_statistics.html",
        {"charts": charts, "root": root, "year": year, "units": units, "years": range(stats.current_year(), 2017, -1)},
    )


@staff_required
def workbench_csv(request, chart):
    root, year = _staff_root(request), _year(request)
    found = next((c for c in stats.dashboard(root, year, public=False) if c.key == chart), None)
    if found is None:
        raise Http404(_("没有这个图表"))
    return _csv(found, f"{root.name}{year}")


def _public_root(request):
    """The public dashboard covers a government (the deployment's county by default, or one of its townships)."""
    default = stats.public_root()
    choices = list(default.descendants().filter(kind="government", is_active=True).order_by("path")) if default else []
    wanted = request.GET.get("unit")
    root = next((g for g in choices if str(g.pk) == wanted), default)
    return root, choices


def public_statistics(request):
    (root, choices), year = _public_root(request), _year(request)
    charts = stats.dashboard(root, year, public=True) if root else []
    return render(
        request,
        "reports/portal_statistics.html",
        {
            "charts": charts,
            "root": root,
            "year": year,
            "units": choices,
            "unit_param": True,
            "years": range(stats.current_year(), 2017, -1),
        },
    )


def public_csv(request, chart):
    root, year = _public_root(request)[0], _year(request)
    found = next((c for c in stats.dashboard(root, year, public=True) if c.key == chart), None) if root else None
    if found is None:
        raise Http404(_("没有这个图表"))
    return _csv(found, f"{root.name}{year}")

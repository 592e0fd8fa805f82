"""Public results: the published assessment periods, each with its ranking and a CSV."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from . import selectors
from .models import Period


def index(request):
    return render(request, "assessment/public_index.html", {"periods": selectors.public_periods()})


def _published(pk) -> Period:
    period = get_object_or_404(selectors.public_periods(), pk=pk)
    return period


def results(request, pk):
    period = _published(pk)
    rows = selectors.public_results(period)
    groups: dict[str, list] = {}
    for a in rows:
        groups.setdefault(a.get_category_display(), []).append(a)
    return render(request, "assessment/public_results.html", {"period": period, "groups": groups.items()})


def results_csv(request, pk):
    period = _published(pk)
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    w.writerow(["评估周期", "类别", "名次", "单位", "基础得分", "加分", "总分", "单项否决", "是否合格"])
    for a in selectors.public_results(period):
        w.writerow(
            [
                period.name,
                a.get_category_display(),
                a.rank or "",
                a.unit.name,
                a.base,
                a.bonus,
                a.total,
                "是" if a.vetoed else "否",
                "合格" if a.passed else "不合格",
            ]
        )
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = content_disposition_header(True, f"{period.name}-评估结果.csv")
    return resp


__all__ = ["Http404", "index", "results", "results_csv"]

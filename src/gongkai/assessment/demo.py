"""Demo data for the assessment app: the current quarter's website assessment of the demo
county (open: the office takes the inputs, ranks, reviews findings and issues the 通报 in the
walk-through) and the county's disclosure assessment for departments."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import services
from .models import IndicatorSet, Period


def quarter(today: dt.date) -> tuple[str, dt.date, dt.date]:
    q = (today.month - 1) // 3
    start = dt.date(today.year, 3 * q + 1, 1)
    end = dt.date(today.year + (q == 3), (3 * q + 3) % 12 + 1, 1) - dt.timedelta(days=1)
    return f"{today.year}年第{'一二三四'[q]}季度", start, end


def load(ctx) -> None:
    county = ctx["county"]
    office = ctx["users"].get("gkb")
    name, start, end = quarter(timezone.localdate())
    website = IndicatorSet.objects.filter(name="政府网站检查指标", status="published").order_by("-version").first()
    if website and not Period.objects.filter(name=name, indicator_set=website, root=county).exists():
        services.period_create(
            actor=office, indicator_set=website, root=county, name=name, start=start, end=end, seed=2026
        )
    departments = (
        IndicatorSet.objects.filter(name="县级政务公开工作考核指标（示例）", status="published")
        .order_by("-version")
        .first()
    )
    if departments and not Period.objects.filter(name=name, indicator_set=departments, root=county).exists():
        services.period_create(
            actor=office, indicator_set=departments, root=county, name=name, start=start, end=end, seed=2026
        )

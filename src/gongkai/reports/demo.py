"""Demo content: last year's annual reports, computed from the demo records of the other apps.

The demo county is seen in December: last year's reports were due on 31 January (条例 art. 50),
so most units published theirs in January, one published late, one still has a draft and one has
not started — the states the office's progress page distinguishes. Runs after every other app's
demo (``ReportsConfig.demo_after_others``) so that the tables count their records.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

OVERVIEW = (
    "{year}年，{unit}深入贯彻《中华人民共和国政府信息公开条例》，以基层政务公开标准化规范化为抓手，"
    "编制并动态更新公开事项标准目录，畅通依申请公开渠道，围绕惠企利民政策、重大行政决策、"
    "财政预决算等重点领域加大公开力度。"
)
PROBLEMS = "部分政策解读形式较单一，个别事项主动公开及时性有待提高。下一步将加强业务培训和日常督查。"


def _text(services, report, unit, year):
    services.report_update_text(
        actor=None,
        report=report,
        title=report.title,
        overview=OVERVIEW.format(year=year, unit=unit.name),
        problems=PROBLEMS,
        other_matters="本机关未收取信息处理费。",
    )


def _manual_figures(services, report, i: int) -> None:
    """Table 二 figures that no app records here (enforcement, fees, and licences or penalties of
    units without 双公示 records), entered as the unit's staff would from their own statistics."""
    from . import tables as T

    values = {"licence": 3 + i % 9, "penalty": i % 4, "enforcement": i % 3, "fees": "0"}
    for row, value in values.items():
        col = "amount" if row == "fees" else "decisions"
        if T.is_manual_cell(report.figures, "t2", row, col) and report.figures["t2"][row][col].get("v") is None:
            report = services.report_set_manual_figure(
                actor=None, report=report, row=row, col=col, value=value, note="本单位年度行政执法统计报表"
            )


def load(ctx) -> None:
    from . import engine, selectors, services
    from .models import AnnualReport

    county = ctx["county"]
    year = selectors.default_year()  # the report written this winter: last year (2025 in the 2026 demo)
    if AnnualReport.objects.filter(unit=county, year=year).exists():
        return
    units = list(engine.reporting_units(county))
    late = ctx["units"].get("松阳县交通运输局")
    draft_only = ctx["units"].get("西屏街道")
    not_started = ctx["units"].get("赤寿乡")
    tz = timezone.get_current_timezone()
    for i, unit in enumerate(units):
        if unit == not_started:
            continue
        report = services.report_generate(actor=None, unit=unit, year=year)
        _text(services, report, unit, year)
        _manual_figures(services, report, i)
        if unit == draft_only:
            continue
        day = dt.date(year + 1, 2, 6) if unit == late else dt.date(year + 1, 1, 8 + i % 20)
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + i % 8, 30)), tz)
        if when < timezone.now():
            services.report_publish(actor=None, report=report, published_at=when)

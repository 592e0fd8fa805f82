"""Demo content: the county's 2025 draft report, generated from the demo records of the other apps."""

from __future__ import annotations


def load(ctx) -> None:
    from . import selectors, services
    from .models import AnnualReport

    county = ctx["county"]
    year = selectors.default_year()  # the report written this winter: last year (2025 in the 2026 demo)
    if AnnualReport.objects.filter(unit=county, year=year).exists():
        return
    report = services.report_generate(actor=None, unit=county, year=year)
    if not report.overview:
        services.report_update_text(
            actor=None,
            report=report,
            title=report.title,
            overview=(
                f"{year}年，{county.name}深入贯彻《中华人民共和国政府信息公开条例》，以基层政务公开标准化规范化为抓手，"
                "编制并动态更新覆盖26个试点领域的标准目录，畅通依申请公开渠道，"
                "围绕惠企利民政策、重大行政决策、财政预决算等重点领域加大公开力度。"
            ),
            problems="部分乡镇政策解读形式较单一，个别部门主动公开及时性有待提高。下一步将加强业务培训和日常督查。",
            other_matters="本机关未收取信息处理费。",
        )

"""gongkai annual_report --unit CODE --year YYYY --format docx|pdf|html|json --output FILE"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organisation
from gongkai.reports import exports, services
from gongkai.reports.models import AnnualReport, ReportStatus


class Command(BaseCommand):
    help = "生成某单位某年度的政府信息公开工作年度报告（已发布的报告输出发布版本，否则生成或更新草稿）。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位的统一社会信用代码（或单位全称）")
        parser.add_argument("--year", required=True, type=int, help="报告年度，如 2025")
        parser.add_argument("--format", default="docx", choices=sorted(exports.FORMATS), dest="fmt")
        parser.add_argument("--output", required=True, help="输出文件路径（- 表示标准输出，仅 json/html）")

    def handle(self, *args, unit, year, fmt, output, **options):
        org = (
            Organisation.objects.filter(credit_code=unit.strip().upper()).first()
            or Organisation.objects.filter(name=unit.strip()).first()
        )
        if org is None:
            raise CommandError(f"找不到单位：{unit}")
        report = AnnualReport.objects.filter(unit=org, year=year, status=ReportStatus.PUBLISHED).first()
        if report is None:
            try:
                report = services.report_generate(actor=None, unit=org, year=year)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        data = exports.render(report, fmt)
        if output == "-":
            if fmt not in ("json", "html"):
                raise CommandError("二进制格式请用 --output 指定文件")
            self.stdout.write(data.decode())
        else:
            Path(output).write_bytes(data)
            failing = [c["message"] for c in report.check_results if not c["ok"]]
            self.stderr.write(f"{report}（{report.get_status_display()}）→ {output}")
            for msg in failing:
                self.stderr.write(f"  核对未通过：{msg}")

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongkai.core import services


class Command(BaseCommand):
    help = "导入节假日安排：holiday-cn 格式的 JSON 文件，或 CSV（date,kind,name）。全部成功才保存。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="JSON or CSV files")
        parser.add_argument("--dry-run", action="store_true", help="check only, save nothing")

    def handle(self, *args, files=(), dry_run=False, **options):
        files = [*args, *files]
        reports = []
        failed = False
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"文件不存在：{name}")
            report = services.parse_holiday_file(path.read_bytes(), path.name)
            for error in report.errors:
                self.stderr.write(f"{name}: {error}")
            failed |= not report.ok
            reports.append((path, report))
        if failed:
            raise CommandError("导入失败，未保存任何记录（见上方错误）")
        if dry_run:
            for path, report in reports:
                self.stdout.write(
                    f"{path.name}: {len(report.rows)} 条记录，年份 {sorted(report.years)}（试运行，未保存）"
                )
            return
        try:
            with transaction.atomic():  # several files: all of them or none
                for path, report in reports:
                    services.holidays_import(actor=None, report=report, source=path.name)
        except ValidationError as exc:
            raise CommandError(f"导入失败，未保存任何记录：{'；'.join(exc.messages)}") from exc
        for path, report in reports:
            self.stdout.write(
                f"{path.name}: 新增 {report.created} 条，更新 {report.updated} 条，年份 {sorted(report.years)}"
            )

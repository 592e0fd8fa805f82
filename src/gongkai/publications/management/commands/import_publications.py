"""``gongkai import_publications FILE.jsonl --unit CODE``: bulk-import already-published items."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from gongkai.core.models import Organisation
from gongkai.publications.importer import import_file


class Command(BaseCommand):
    help = "批量导入已发布的历史公开信息（JSON Lines，每行一条），逐行报告错误"

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL 文件；附件路径相对于该文件所在目录")
        parser.add_argument("--unit", required=True, help="发布单位：统一社会信用代码或单位全称")
        parser.add_argument("--batch-size", type=int, default=2000, help="每批写入条数（默认 2000）")
        parser.add_argument("--no-index", action="store_true", help="不更新检索索引（之后运行 gongkai reindex）")
        parser.add_argument("--errors", help="把出错的行写入此 CSV 文件（行号、标题、原因）")

    def handle(self, *args, file, unit, batch_size, no_index, errors, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        org = Organisation.objects.filter(Q(credit_code=unit.strip().upper()) | Q(name=unit.strip())).first()
        if org is None:
            raise CommandError(f"找不到单位：{unit}（请使用统一社会信用代码或单位全称）")
        if batch_size < 1:
            raise CommandError("--batch-size 必须大于 0")
        started = time.perf_counter()
        report = import_file(path, unit=org, batch_size=batch_size, index=not no_index)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{org.name}：共 {report.total} 行，导入 {report.imported} 条，跳过已导入 {report.skipped} 条，"
            f"错误 {len(report.errors)} 行；检索索引更新 {report.indexed} 条；用时 {elapsed:.1f} 秒"
        )
        for err in report.errors[:200]:
            self.stdout.write(
                self.style.WARNING(f"  第 {err.line} 行{('（' + err.title + '）') if err.title else ''}：{err.message}")
            )
        if len(report.errors) > 200:
            self.stdout.write(
                self.style.WARNING(f"  …… 另有 {len(report.errors) - 200} 行错误（使用 --errors 导出全部）")
            )
        if errors:
            with open(errors, "w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(["行号", "标题", "错误原因"])
                for err in report.errors:
                    writer.writerow([err.line, err.title, err.message])
        if report.errors:
            raise CommandError(f"有 {len(report.errors)} 行未导入，请修改后重新运行（已导入的行会自动跳过）")
        self.stdout.write(self.style.SUCCESS("导入完成"))

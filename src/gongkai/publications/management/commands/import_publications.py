"""``gongkai import_publications FILE.jsonl --unit CODE``: bulk-import already-published items."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.models import Organisation
from gongkai.publications.importer import import_file

SHOWN = 200


class Command(BaseCommand):
    help = gettext_lazy("批量导入已发布的历史公开信息（JSON Lines，每行一条），逐行报告错误")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("JSONL 文件；附件路径相对于该文件所在目录"))
        parser.add_argument("--unit", required=True, help=gettext_lazy("发布单位：统一社会信用代码或单位全称"))
        parser.add_argument("--batch-size", type=int, default=2000, help=gettext_lazy("每批写入条数（默认 2000）"))
        parser.add_argument(
            "--no-index", action="store_true", help=gettext_lazy("不更新检索索引（之后运行 gongkai reindex）")
        )
        parser.add_argument("--errors", help=gettext_lazy("把出错的行写入此 CSV 文件（行号、标题、原因）"))

    def handle(self, *args, file, unit, batch_size, no_index, errors, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": file})
        org = Organisation.objects.filter(Q(credit_code=unit.strip().upper()) | Q(name=unit.strip())).first()
        if org is None:
            raise CommandError(_("找不到单位：%(unit)s（请使用统一社会信用代码或单位全称）") % {"unit": unit})
        if batch_size < 1:
            raise CommandError(_("--batch-size 必须大于 0"))
        started = time.perf_counter()
        report = import_file(path, unit=org, batch_size=batch_size, index=not no_index)
        self.stdout.write(
            _(
                "%(unit)s：共 %(total)s 行，导入 %(imported)s 条，跳过已导入 %(skipped)s 条，"
                "错误 %(errors)s 行；检索索引更新 %(indexed)s 条；用时 %(seconds).1f 秒"
            )
            % {
                "unit": org.name,
                "total": report.total,
                "imported": report.imported,
                "skipped": report.skipped,
                "errors": len(report.errors),
                "indexed": report.indexed,
                "seconds": time.perf_counter() - started,
            }
        )
        for err in report.errors[:SHOWN]:
            where = _("第 %(n)s 行") % {"n": err.line} + (f"（{err.title}）" if err.title else "")
            self.stdout.write(self.style.WARNING(f"  {where}：{err.message}"))
        if len(report.errors) > SHOWN:
            more = _("  …… 另有 %(n)s 行错误（使用 --errors 导出全部）") % {"n": len(report.errors) - SHOWN}
            self.stdout.write(self.style.WARNING(more))
        if errors:
            with open(errors, "w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow([_("行号"), _("标题"), _("错误原因")])
                for err in report.errors:
                    writer.writerow([err.line, err.title, err.message])
        if report.errors:
            raise CommandError(
                _("有 %(n)s 行未导入，请修改后重新运行（已导入的行会自动跳过）") % {"n": len(report.errors)}
            )
        self.stdout.write(self.style.SUCCESS(_("导入完成")))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.catalogue import exporter
from gongkai.catalogue.models import Catalogue, UnitList
from gongkai.core.models import Organisation


class Command(BaseCommand):
    help = "导出单位公开目录（--unit）或整个领域的标准目录（--domain/--catalogue）为 Excel，版式与导入相同。"

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="单位统一社会信用代码：导出该单位的全部领域目录")
        parser.add_argument("--catalogue", type=int, help="标准目录编号：导出其最新发布版本")
        parser.add_argument("--domain", help="领域名称：导出该领域全部标准目录的最新发布版本")
        parser.add_argument("--draft", action="store_true", help="导出草稿版本（若有）而非最新发布版本")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **opts):
        out = Path(opts["output"])
        if opts["unit"]:
            unit = Organisation.objects.filter(credit_code=opts["unit"].strip().upper()).first()
            if unit is None:
                raise CommandError(f"单位“{opts['unit']}”不存在")
            lists = list(
                UnitList.objects.filter(unit=unit).select_related(
                    "catalogue__domain", "catalogue__template", "version", "unit"
                )
            )
            if not lists:
                raise CommandError(f"{unit.name}还没有公开目录")
            data = exporter.export_unit_lists(lists)
            what = f"{unit.name}：{len(lists)} 个领域"
        else:
            qs = Catalogue.objects.all()
            if opts["catalogue"]:
                qs = qs.filter(pk=opts["catalogue"])
            elif opts["domain"]:
                qs = qs.filter(domain__name=opts["domain"])
            else:
                raise CommandError("请指定 --unit、--catalogue 或 --domain")
            versions = [v for c in qs for v in [c.current_draft() if opts["draft"] else c.latest_published()] if v]
            if not versions:
                raise CommandError("没有可导出的目录版本")
            data = exporter.export_versions(versions)
            what = f"{len(versions)} 个标准目录"
        out.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"已导出 {what} → {out}"))

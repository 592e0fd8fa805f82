from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.catalogue import importer
from gongkai.catalogue.models import Domain, ElementTemplate
from gongkai.core.models import Level, Organisation, OrgKind


class Command(BaseCommand):
    help = (
        "导入标准目录表格（.xlsx 或 .csv）：先逐行检查并打印错误报告；全部通过才保存（全有或全无）。"
        "任何一行有错误时退出码非零。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--domain", help="默认领域（工作表名称和标题中未写明领域时使用）")
        parser.add_argument("--template", default="national", help="要素模板代码（默认 national）")
        parser.add_argument("--owner", help="编制单位（政务公开办所在单位）的统一社会信用代码")
        parser.add_argument("--kind", default=OrgKind.GOVERNMENT, choices=OrgKind.values, help="适用单位类型")
        parser.add_argument("--level", default=Level.TOWNSHIP, choices=Level.values, help="适用层级")
        parser.add_argument("--publish", action="store_true", help="保存后立即发布并派生各单位目录")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        template = ElementTemplate.objects.filter(key=opts["template"]).first()
        if template is None:
            raise CommandError(
                f"要素模板“{opts['template']}”不存在；可用：{', '.join(ElementTemplate.objects.values_list('key', flat=True))}"
            )
        domain = None
        if opts["domain"]:
            domain = (
                Domain.objects.filter(name=opts["domain"]).first() or Domain.objects.filter(code=opts["domain"]).first()
            )
            if domain is None:
                raise CommandError(f"领域“{opts['domain']}”不存在")
        owner = None
        if not opts["dry_run"]:
            if not opts["owner"]:
                raise CommandError("请用 --owner 指定编制单位的统一社会信用代码（或使用 --dry-run 只检查）")
            owner = Organisation.objects.filter(credit_code=opts["owner"].strip().upper()).first()
            if owner is None:
                raise CommandError(f"单位“{opts['owner']}”不存在")
        report = importer.parse(path.read_bytes(), filename=path.name, template=template, domain=domain)
        self.stdout.write(report.text())
        if not report.ok:
            raise CommandError("导入未通过检查，未保存任何数据。")
        if opts["dry_run"]:
            self.stdout.write(self.style.SUCCESS("检查通过（--dry-run，未保存）。"))
            return
        try:
            result = importer.commit(
                report,
                actor=None,
                owner=owner,
                target_kind=opts["kind"],
                target_level=opts["level"],
                publish=opts["publish"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        for catalogue, count in result.catalogues:
            state = "已发布" if result.published else "已保存为草稿"
            self.stdout.write(self.style.SUCCESS(f"{catalogue.title}：{count} 项，{state}"))

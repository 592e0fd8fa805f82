"""gongkai import_credit FILE --kind licence|penalty --unit CREDIT_CODE --user USERNAME [--partial] [--draft] [--dry-run]"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organisation, User
from gongkai.credit import importer


class Command(BaseCommand):
    help = "导入双公示数据（国家双公示数据模板，CSV 或 XLSX）。默认全部正确才导入，逐行列出错误。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=["licence", "penalty"], required=True)
        parser.add_argument("--unit", required=True, help="决定机关的统一社会信用代码")
        parser.add_argument("--user", required=True, help="以该工作人员身份导入（须为该单位信息员或审核员）")
        parser.add_argument("--partial", action="store_true", help="跳过有错误的行")
        parser.add_argument("--draft", action="store_true", help="导入为待公示，不立即公示")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")

    def handle(self, *args, **o):
        unit = Organisation.objects.filter(credit_code=o["unit"].upper()).first()
        user = User.objects.filter(username=o["user"]).first()
        if unit is None or user is None:
            raise CommandError("单位或用户不存在")
        path = Path(o["file"])
        try:
            result = importer.Importer(
                actor=user,
                unit=unit,
                kind=o["kind"],
                publish=not o["draft"],
                partial=o["partial"],
                dry_run=o["dry_run"],
            ).run(path.name, path.read_bytes())
        except (PermissionDenied, ValidationError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for error in result.errors:
            self.stderr.write(str(error))
        self.stdout.write(
            f"共 {result.total} 行，导入 {result.created} 条（公示 {result.published} 条），错误 {result.error_count} 处"
            + ("" if result.committed else "；未导入任何数据")
        )
        if result.error_count and not o["partial"]:
            raise CommandError("文件有错误，未导入")

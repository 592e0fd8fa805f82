"""gongkai import_guides FILE.jsonl --unit CODE [--dry-run] [--field-map MAP.json] [--user NAME] [--json]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from gongkai.core.models import Organisation, Role, User
from gongkai.guides import importer


class Command(BaseCommand):
    help = "导入政务服务网导出的办事指南（JSON Lines，广东省字段名；--field-map 可对照其他省份字段）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="实施单位：统一社会信用代码、行政区划代码或名称")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--field-map", help='JSON 文件：{"要素": "源字段", ...}')
        parser.add_argument("--user", help="以该账号身份导入（须为该单位信息员；默认为该单位第一位信息员）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出报告")

    def handle(self, *args, **opts):
        unit = Organisation.objects.filter(
            Q(credit_code=opts["unit"]) | Q(division_code=opts["unit"]) | Q(name=opts["unit"])
        ).first()
        if unit is None:
            raise CommandError(f"找不到单位：{opts['unit']}")
        actor = self._actor(unit, opts.get("user"))
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        field_map = {}
        if opts.get("field_map"):
            try:
                field_map = json.loads(Path(opts["field_map"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"字段对照文件无法读取：{exc}") from exc
        try:
            report = importer.import_guides(
                actor=actor, unit=unit, data=path.read_bytes(), field_map=field_map, dry_run=opts["dry_run"]
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        prefix = "（检查，未保存）" if report.dry_run else ""
        self.stdout.write(
            f"{prefix}新建 {report.created} 项，更新 {report.updated} 项，要素不全 {len(report.incomplete)} 项，"
            f"拒绝 {len(report.refused)} 行"
        )
        for line, name, missing in report.incomplete:
            self.stdout.write(f"  第{line}行 {name}：缺少 {'、'.join(missing)}（已导入为草稿并标记）")
        for line, reason in report.refused:
            self.stderr.write(f"  第{line}行未导入：{reason}")

    def _actor(self, unit, username):
        from gongkai.core import permissions

        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"找不到账号：{username}")
        else:
            user = User.objects.filter(memberships__unit=unit, memberships__role=Role.EDITOR).first()
            if user is None:
                user = User.objects.filter(is_superuser=True).first()
        if user is None or not permissions.has_role(user, Role.EDITOR, unit):
            raise CommandError("没有可用的导入账号：请用 --user 指定该单位的信息员")
        return user

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalogue import importer
from gongkai.catalogue.models import Domain, ElementTemplate
from gongkai.core.models import Level, Organisation, OrgKind


class Command(BaseCommand):
    help = gettext_lazy(
        "导入标准目录表格（.xlsx 或 .csv）：先逐行检查并打印报告，再保存为草稿（一个事务）。"
        "要素不完整的行作为不完整事项保存并列出；无法读取的文件、未知领域或没有事项名称的行使退出码非零，不保存任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("只检查，不保存"))
        parser.add_argument("--domain", help=gettext_lazy("默认领域（工作表名称和标题中未写明领域时使用）"))
        parser.add_argument("--template", default="national", help=gettext_lazy("要素模板代码（默认 national）"))
        parser.add_argument("--owner", help=gettext_lazy("编制单位（政务公开办所在单位）的统一社会信用代码"))
        parser.add_argument(
            "--kind", default=OrgKind.GOVERNMENT, choices=OrgKind.values, help=gettext_lazy("适用单位类型")
        )
        parser.add_argument("--level", default=Level.TOWNSHIP, choices=Level.values, help=gettext_lazy("适用层级"))
        parser.add_argument(
            "--publish", action="store_true", help=gettext_lazy("保存后立即发布并派生各单位目录（须无不完整事项）")
        )

    def _template(self, key: str) -> ElementTemplate:
        template = ElementTemplate.objects.filter(key=key).first()
        if template is None:
            keys = ", ".join(ElementTemplate.objects.values_list("key", flat=True))
            raise CommandError(_("要素模板“%(key)s”不存在；可用：%(keys)s") % {"key": key, "keys": keys})
        return template

    def _domain(self, name: str | None) -> Domain | None:
        if not name:
            return None
        domain = Domain.objects.filter(name=name).first() or Domain.objects.filter(code=name).first()
        if domain is None:
            raise CommandError(_("领域“%(name)s”不存在") % {"name": name})
        return domain

    def _owner(self, code: str | None) -> Organisation:
        if not code:
            raise CommandError(_("请用 --owner 指定编制单位的统一社会信用代码（或使用 --dry-run 只检查）"))
        owner = Organisation.objects.filter(credit_code=code.strip().upper()).first()
        if owner is None:
            raise CommandError(_("单位“%(code)s”不存在") % {"code": code})
        return owner

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        template = self._template(opts["template"])
        domain = self._domain(opts["domain"])
        owner = None if opts["dry_run"] else self._owner(opts["owner"])
        report = importer.parse(path.read_bytes(), filename=path.name, template=template, domain=domain)
        self.stdout.write(report.text())
        if not report.ok:
            raise CommandError(_("导入未通过检查，未保存任何数据。"))
        if opts["dry_run"]:
            self.stdout.write(self.style.SUCCESS(_("检查完毕（--dry-run，未保存）。")))
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
        state = _("已发布") if result.published else _("已保存为草稿")
        for catalogue, count in result.catalogues:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(title)s：%(n)s 项，%(state)s") % {"title": catalogue.title, "n": count, "state": state}
                )
            )
        if result.incomplete:
            self.stdout.write(
                self.style.WARNING(
                    _("其中 %(n)s 项要素不完整：补全或由政务公开办确认接受后才能发布。") % {"n": result.incomplete}
                )
            )

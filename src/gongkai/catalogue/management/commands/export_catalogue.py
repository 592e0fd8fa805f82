from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.catalogue import exporter
from gongkai.catalogue.models import Catalogue, UnitList
from gongkai.core.models import Organisation


class Command(BaseCommand):
    help = gettext_lazy(
        "导出单位公开目录（--unit）或整个领域的标准目录（--domain/--catalogue）为 Excel，版式与导入相同。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help=gettext_lazy("单位统一社会信用代码：导出该单位的全部领域目录"))
        parser.add_argument("--catalogue", type=int, help=gettext_lazy("标准目录编号：导出其最新发布版本"))
        parser.add_argument("--domain", help=gettext_lazy("领域名称：导出该领域全部标准目录的最新发布版本"))
        parser.add_argument("--draft", action="store_true", help=gettext_lazy("导出草稿版本（若有）而非最新发布版本"))
        parser.add_argument("--output", required=True)

    def _unit_lists(self, code: str) -> tuple[bytes, str]:
        unit = Organisation.objects.filter(credit_code=code.strip().upper()).first()
        if unit is None:
            raise CommandError(_("单位“%(code)s”不存在") % {"code": code})
        lists = list(
            UnitList.objects.filter(unit=unit).select_related(
                "catalogue__domain", "catalogue__template", "version", "unit"
            )
        )
        if not lists:
            raise CommandError(_("%(unit)s还没有公开目录") % {"unit": unit.name})
        return exporter.export_unit_lists(lists), _("%(unit)s：%(n)s 个领域") % {"unit": unit.name, "n": len(lists)}

    def handle(self, *args, **opts):
        out = Path(opts["output"])
        if opts["unit"]:
            data, what = self._unit_lists(opts["unit"])
        else:
            qs = Catalogue.objects.all()
            if opts["catalogue"]:
                qs = qs.filter(pk=opts["catalogue"])
            elif opts["domain"]:
                qs = qs.filter(domain__name=opts["domain"])
            else:
                raise CommandError(_("请指定 --unit、--catalogue 或 --domain"))
            versions = [v for c in qs for v in [c.current_draft() if opts["draft"] else c.latest_published()] if v]
            if not versions:
                raise CommandError(_("没有可导出的目录版本"))
            data = exporter.export_versions(versions)
            what = _("%(n)s 个标准目录") % {"n": len(versions)}
        out.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(_("已导出 %(what)s → %(path)s") % {"what": what, "path": out}))

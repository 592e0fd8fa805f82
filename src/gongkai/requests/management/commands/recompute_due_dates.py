from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.requests import services


class Command(BaseCommand):
    help = gettext_lazy(
        "重新计算所有在办依申请公开件的答复期限（工作日历或法定期限变更后会自动执行；也由定时任务每小时执行）。"
    )

    def handle(self, *args, **options):
        report = services.recompute_due_dates()
        self.stdout.write(
            _("检查 %(checked)s 件，期限变更 %(changed)s 件，日历缺失 %(missing)s 件")
            % {"checked": report.checked, "changed": report.changed, "missing": report.missing}
        )
        if report.missing:
            self.stderr.write(_("有申请因工作日历缺失无法计算答复期限，请录入相应年度的节假日安排。"))

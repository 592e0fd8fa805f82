from django.core.management.base import BaseCommand

from gongkai.requests import services


class Command(BaseCommand):
    help = "重新计算所有在办依申请公开件的答复期限（工作日历变更后执行；也由定时任务每小时执行）。"

    def handle(self, *args, **options):
        report = services.recompute_due_dates()
        self.stdout.write(f"检查 {report.checked} 件，期限变更 {report.changed} 件，日历缺失 {report.missing} 件")
        if report.missing:
            self.stderr.write("有申请因工作日历缺失无法计算答复期限，请录入相应年度的节假日安排。")

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.requests import services


class Command(BaseCommand):
    help = gettext_lazy("按设定的工作日阈值向承办人发送依申请公开期限提醒（可重复执行，不会重复提醒）。")

    def handle(self, *args, **options):
        sent = services.send_reminders()
        self.stdout.write(_("发送提醒 %(n)s 条") % {"n": sent})

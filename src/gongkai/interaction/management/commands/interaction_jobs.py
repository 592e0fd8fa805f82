from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.interaction import services


class Command(BaseCommand):
    help = gettext_lazy(
        "运行互动交流的定时任务（重算办理期限、留言催办、到期意见征集结束、常见问题复核提醒）；"
        "未部署 Celery beat 时可由 cron 每日调用。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mail-stale", action="store_true", help=gettext_lazy("立即发送待复核常见问题提醒（默认仅周一发送）")
        )

    def handle(self, *args, **options):
        changed = services.appeal_recompute_due_dates()
        reminded = services.appeal_remind_due()
        closed = services.consultation_close_expired()
        stale = services.faq_notify_stale(force=options["mail_stale"])
        self.stdout.write(
            _(
                "重算办理期限 %(changed)s 件；催办 %(reminded)s 件；结束到期意见征集 %(closed)s 项；待复核常见问题 %(stale)s 条"
            )
            % {"changed": changed, "reminded": reminded, "closed": closed, "stale": stale}
        )

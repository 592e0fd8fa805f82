from django.core.management.base import BaseCommand, CommandError

from gongkai.core import audit


class Command(BaseCommand):
    help = "审计日志工具：`gongkai audit verify` 校验哈希链，发现篡改时以非零状态退出并指出第一条异常事件。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, action, **options):
        result = audit.verify()
        if not result.ok:
            raise CommandError(
                f"审计链校验失败：第一条异常事件 #{result.first_bad_id}：{result.reason}"
                f"（此前 {result.checked} 条事件完好）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完好：共校验 {result.checked} 条事件"))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.core import backup


class Command(BaseCommand):
    help = (
        "从 gongkai backup 生成的备份恢复：先校验清单签名和每个文件的 SHA-256，再替换数据库、媒体文件和私有文件"
        "（原目录保留为 *.before-restore-<时间>），最后运行审计链校验。不加 --yes 时只校验、不恢复。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="really replace the database and files")

    def handle(self, archive, yes=False, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        try:
            if not yes:
                manifest = backup.check_backup(path)
                self.stdout.write(
                    f"备份完好（{len(manifest['files'])} 个文件，创建于 {manifest['created_at']}）。"
                    "恢复会替换当前数据库和文件：确认后加 --yes 再运行。"
                )
                return
            manifest, result = backup.restore_backup(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已恢复 {path}（创建于 {manifest['created_at']}）")
        if not result.ok:
            where = f"第一条异常事件 #{result.first_bad_id}：" if result.first_bad_id else ""
            raise CommandError(
                f"恢复后审计链校验失败：{where}{result.reason}。若本机有晚于该备份的检查点，"
                "说明备份之后的审计事件已丢失，请用更新的备份恢复。"
            )
        self.stdout.write(
            self.style.SUCCESS(f"审计链完好：共校验 {result.checked} 条事件、{result.checkpoints} 个检查点")
        )

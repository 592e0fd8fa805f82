from argparse import BooleanOptionalAction
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.core import backup


class Command(BaseCommand):
    help = (
        "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份接口）、媒体文件、私有文件和审计检查点，"
        "打包为一个 .tar.gz，附带签名的 SHA-256 清单。设置了 GONGKAI_BACKUP_KEY 时默认加密（.tar.gz.enc，"
        "AES-256-GCM，国密配置下用 SM4）。`gongkai backup --check 文件` 只校验已有备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="archive to write (default: GONGKAI_DATA_DIR/backups/gongkai-<time>.tar.gz)"
        )
        parser.add_argument("--check", metavar="ARCHIVE", help="verify an existing archive's signature and checksums")
        parser.add_argument(
            "--encrypt",
            action=BooleanOptionalAction,
            default=None,
            help="encrypt with GONGKAI_BACKUP_KEY (default: on when the key is set)",
        )

    def handle(self, output=None, check=None, encrypt=None, **options):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from gongkai.core import backup_crypto

        try:
            key = backup_crypto.configured_key()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if encrypt and key is None:
            raise CommandError("--encrypt 需要备份密钥：请设置 GONGKAI_BACKUP_KEY（gongkai crypto genkey 生成）")
        if encrypt is False:
            key = None

        try:
            if check:
                manifest = backup.check_backup(Path(check))
                self.stdout.write(
                    self.style.SUCCESS(f"备份完好：{len(manifest['files'])} 个文件，创建于 {manifest['created_at']}")
                )
                return
            path = Path(
                output
                or Path(settings.DATA_DIR)
                / "backups"
                / f"gongkai-{timezone.now():%Y%m%dT%H%M%S}.tar.gz{'.enc' if key else ''}"
            )
            manifest = backup.create_backup(path, key=key)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已{'加密' if key else ''}备份到 {path}（{len(manifest['files'])} 个文件，数据库 {manifest['database']['vendor']}，"
                f"审计链至第 {manifest['audit']['last_seq']} 条；校验文件 {path}.sha256）"
            )
        )

import datetime as dt
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.core import audit


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value!r}") from exc


class Command(BaseCommand):
    help = (
        "审计日志工具。verify：校验哈希链与检查点，发现篡改时以非零状态退出并指出第一条异常事件；"
        "chain：链接尚未入链的事件；checkpoint：把签名的链头检查点写到数据库之外；"
        "export --from --to：按日期导出归档（JSON Lines 或 CSV，附 SHA-256 校验文件）；"
        "purge --before --archive：归档后清理超过保存期限（至少180天）的最早事件；"
        "rekey [--old-key-env 变量名]：用当前审计密钥重新签名整条链（升级旧链、切换国密或轮换密钥）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "chain", "checkpoint", "export", "purge", "rekey"])
        parser.add_argument("--from", dest="date_from", help="export: first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", help="export: last day (YYYY-MM-DD, inclusive)")
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--output", help="export: file to write (a .sha256 file is written beside it)")
        parser.add_argument("--before", help="purge: remove events created before this day (YYYY-MM-DD)")
        parser.add_argument("--archive", help="purge: archive file written before anything is deleted")
        parser.add_argument(
            "--checkpoint-dir", help="verify/checkpoint: directory (default GONGKAI_AUDIT_CHECKPOINT_DIR)"
        )
        parser.add_argument("--old-key-env", help="rekey: environment variable holding the previous GONGKAI_AUDIT_KEY")

    def handle(self, action, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except audit.AuditRefused as exc:
            raise CommandError(str(exc)) from exc

    def do_verify(self, checkpoint_dir=None, **options):
        result = audit.verify(checkpoints=Path(checkpoint_dir) if checkpoint_dir else None)
        if not result.ok:
            where = f"第一条异常事件 #{result.first_bad_id}：" if result.first_bad_id else ""
            raise CommandError(f"审计链校验失败：{where}{result.reason}（此前 {result.checked} 条事件完好）")
        self.stdout.write(
            self.style.SUCCESS(
                f"审计链完好：共校验 {result.checked} 条事件、{result.checkpoints} 个检查点"
                + (f"；另有 {result.pending} 条事件尚未入链（提交后由排序任务链接）" if result.pending else "")
            )
        )

    def do_chain(self, **options):
        self.stdout.write(f"已链接 {audit.chain_pending()} 条事件")

    def do_checkpoint(self, checkpoint_dir=None, **options):
        path = audit.write_checkpoint(Path(checkpoint_dir) if checkpoint_dir else None)
        self.stdout.write(f"检查点：{path}" if path else "审计链为空，未写检查点")

    def do_export(self, date_from=None, date_to=None, output=None, format="jsonl", **options):
        if not (date_from and date_to):
            raise CommandError("export 需要 --from 和 --to（YYYY-MM-DD）")
        start, end = _date(date_from), _date(date_to)
        path = Path(output or f"audit-{start}-{end}.{format}")
        count, checksum = audit.export(date_from=start, date_to=end, path=path, fmt=format)
        self.stdout.write(f"已导出 {count} 条事件到 {path}（SHA-256 {checksum}，校验文件 {path}.sha256）")

    def do_purge(self, before=None, archive=None, format="jsonl", **options):
        if not (before and archive):
            raise CommandError("purge 需要 --before（YYYY-MM-DD）和 --archive（归档文件）")
        count = audit.purge(before=_date(before), archive=Path(archive), fmt=format)
        self.stdout.write(f"已归档到 {archive} 并清理 {count} 条事件")

    def do_rekey(self, old_key_env=None, **options):
        old = None
        if old_key_env:
            old = os.environ.get(old_key_env)
            if not old:
                raise CommandError(f"环境变量 {old_key_env} 未设置")
        count = audit.rekey(old_secret=old)
        self.stdout.write(self.style.SUCCESS(f"已用当前审计密钥重新签名 {count} 条事件"))

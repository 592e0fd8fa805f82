"""``gongkai search_replica status|sync|rebuild|compact``: this host's copy of the replicated index."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.search.backends import backend_name, get_backend


class Command(BaseCommand):
    help = "本机检索索引副本（replicated 后端）：status 查看、sync 追上变更、rebuild 从文档表重建、compact 压缩变更日志"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "sync", "rebuild", "compact"])
        parser.add_argument("--keep", type=int, default=None, help="compact：保留最新的多少条变更记录")

    def handle(self, *args, action, keep=None, **options):
        if backend_name() != "replicated":
            raise CommandError(f"检索后端是 {backend_name()}，不是 replicated（GONGKAI_SEARCH_BACKEND）。")
        backend = get_backend()
        started = time.perf_counter()
        if action == "compact":
            keep = settings.GONGKAI_SEARCH_JOURNAL_KEEP if keep is None else keep
            deleted = backend.compact(keep=keep)
            self.stdout.write(self.style.SUCCESS(f"已删除 {deleted} 条变更记录（保留最新 {keep} 条）。"))
            return
        if action in ("sync", "rebuild"):
            result = backend.sync(wait=3600, rebuild=action == "rebuild")
            elapsed = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result['action']}：变更 {result['entries']} 条，文档 {result['docs']} 条，"
                    f"日志序号 {result['seq']}，用时 {elapsed:.1f} 秒。"
                )
            )
            return
        epoch, seq, horizon = backend.state()
        local_epoch, local_seq = backend.applied()
        self.stdout.write(f"数据库：纪元 {epoch or '-'}，日志序号 {seq}，已压缩至 {horizon}")
        self.stdout.write(f"本机（{backend.path}）：纪元 {local_epoch or '-'}，已应用至 {local_seq}")
        behind = "是" if (local_epoch, local_seq) != (epoch, seq) else "否"
        self.stdout.write(f"落后：{behind}")

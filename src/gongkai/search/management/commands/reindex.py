"""``gongkai reindex [--kind KIND]``: rebuild the search index from the registered sources."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from gongkai.search import registry
from gongkai.search.backends import SearchUnavailable, backend_name
from gongkai.search.services import reindex


class Command(BaseCommand):
    help = "重建全文检索索引（全部来源，或 --kind 指定的一类）"

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="只重建这一类来源，例如 publication")

    def handle(self, *args, kind=None, **options):
        available = sorted(registry.sources())
        if not available:
            self.stdout.write(self.style.WARNING("没有已注册的检索来源，索引将被清空。"))
        started = time.perf_counter()
        last = {"t": 0.0}

        def progress(name: str, n: int) -> None:
            now = time.perf_counter()
            if now - last["t"] >= 1.0:
                last["t"] = now
                self.stdout.write(f"  {name}: 已索引 {n} 条 …")

        self.stdout.write(f"检索后端：{backend_name()}；来源：{kind or '、'.join(available) or '无'}")
        try:
            counts = reindex(kind=kind, progress=progress)
        except (ValueError, SearchUnavailable) as exc:
            raise CommandError(str(exc)) from exc
        for name, n in counts.items():
            self.stdout.write(f"  {name}: 共 {n} 条")
        total = sum(counts.values())
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"完成：{total} 条，用时 {elapsed:.1f} 秒。"))

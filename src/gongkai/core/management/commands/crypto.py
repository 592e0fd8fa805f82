from django.core.management.base import BaseCommand, CommandError

from gongkai.core import crypto, rotation


class Command(BaseCommand):
    help = (
        "个人信息加密（docs/core.md）：`gongkai crypto status [--verify]` 各表加密状态；"
        "`gongkai crypto rotate [--batch N] [--reindex]` 用当前密钥重新加密（也加密尚未加密的行），可中断后重跑；"
        "`gongkai crypto genkey` 生成新密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "rotate", "genkey"])
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction (rotate)")
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="recompute every blind index (after changing GONGKAI_BLIND_INDEX_KEY)",
        )
        parser.add_argument("--verify", action="store_true", help="decrypt every value and check every blind index")

    def handle(self, action, batch, reindex, verify, **options):
        self.verbosity = options.get("verbosity", 1)
        if action == "genkey":
            self.stdout.write(crypto.generate_key())
            return
        cfg = crypto.config()
        self.stdout.write(
            f"profile={cfg.profile} algorithm={cfg.algorithm} current key={cfg.current} "
            f"keys={','.join(cfg.keys)} hash={cfg.hash_name}"
        )
        if action == "rotate":
            if batch < 1:
                raise CommandError("--batch must be at least 1")
            results = rotation.rotate_all(batch_size=batch, reindex=reindex, progress=self._progress)
            for c in results:
                self.stdout.write(
                    f"{c.model}: {c.rewritten} rows rewritten ({c.plaintext} were plaintext, {c.stale} under another key or algorithm)"
                )
            self.stdout.write(self.style.SUCCESS(f"rotation done: {sum(c.rewritten for c in results)} rows rewritten"))
        problems = []
        pending = 0
        for model in rotation.encrypted_models():
            c = rotation.status(model)
            pending += c.stale + c.plaintext
            headers = ", ".join(f"{k}={v}" for k, v in sorted(c.by_header.items())) or "no values"
            self.stdout.write(
                f"{c.model}: {c.rows} rows, {c.encrypted} current, {c.stale} stale, {c.plaintext} plaintext [{headers}]"
            )
            if verify:
                problems += rotation.verify(model)
        for p in problems[:50]:
            self.stderr.write(p)
        if problems:
            raise CommandError(f"{len(problems)} problems found")
        if verify:
            self.stdout.write(self.style.SUCCESS("every value decrypts and every blind index matches"))
        if pending and action == "status":
            self.stdout.write(self.style.WARNING(f"{pending} rows need `gongkai crypto rotate`"))

    def _progress(self, message: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(message)

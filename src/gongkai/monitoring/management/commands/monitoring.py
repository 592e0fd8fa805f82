"""``gongkai monitoring check URL [--as-of YYYY-MM-DD] [--max-pages N] [--json]``.

Registers the site if it is new, proposes its columns from the navigation, crawls it once and
prints the findings. ``--json`` prints exactly::

    {"site": "<home URL>", "findings": [{"rule", "severity", "url", "column", "evidence"}, ...]}

with ``rule`` from the fixed vocabulary of docs/monitoring.md and personal data masked.
Exit status: 0 (no veto), 1 (at least one veto finding), 2 (bad input).
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.monitoring import services
from gongkai.monitoring.models import Finding, FindingStatus

CHECK_RULES = (
    "site_unreachable",
    "home_not_updated",
    "column_not_updated",
    "column_blank",
    "dead_link",
    "personal_data",
    "wrong_expression",
    "sensitive_word",
    "footer_missing",
    "meta_missing",
    "interaction_unanswered",
    "https_missing",
    "ipv6_missing",
    "accessibility",
)


class Command(BaseCommand):
    help = "Website monitoring: `check URL` crawls a site once and prints its findings."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        check = sub.add_parser("check", help="register (if new), propose columns, crawl once, print findings")
        check.add_argument("url")
        check.add_argument("--as-of", dest="as_of", help="reference date YYYY-MM-DD (default: today)")
        check.add_argument("--max-pages", dest="max_pages", type=int, help="page budget for this crawl")
        check.add_argument("--json", action="store_true", help="machine-readable output")
        serve = sub.add_parser("serve-demo", help="serve the demo county's loopback websites (written by load_demo)")
        serve.add_argument("--port", type=int, default=None, help="default: GONGKAI_DEMO_SITES_PORT (8870)")

    def handle(self, *args, **opts):
        if opts["sub"] == "serve-demo":
            return self.serve_demo(opts.get("port"))
        as_of = None
        if opts.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(opts["as_of"])
            except ValueError:
                raise CommandError("--as-of must be a date YYYY-MM-DD") from None
        if opts.get("max_pages") is not None and opts["max_pages"] < 1:
            raise CommandError("--max-pages must be at least 1")
        try:
            site, crawl, findings = services.check_once(opts["url"], as_of=as_of, max_pages=opts.get("max_pages"))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        shown = [f for f in findings if f.status != FindingStatus.DISMISSED and f.rule in CHECK_RULES]
        if opts["json"]:
            out = {"site": site.home_url, "findings": [_json(f) for f in shown]}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
        else:
            self.stdout.write(f"{site.name} {site.home_url} — {crawl.pages} pages, {len(shown)} findings")
            for f in shown:
                where = f" [{f.column_name}]" if f.column_name else ""
                self.stdout.write(f"  {f.severity:9} {f.rule:22} {f.url}{where}\n            {f.evidence_text}")
        if any(f.severity == "veto" for f in shown):
            raise SystemExit(1)

    def serve_demo(self, port):
        import time

        from gongkai.monitoring import demo
        from gongkai.monitoring.loopback import Farm

        port = port or demo.port()
        root = demo.sites_dir()
        if not root.exists():
            raise CommandError(f"{root} does not exist: run `gongkai load_demo` first")
        farm = Farm(port=port, root=str(root)).start()
        self.stdout.write(f"serving {root} at {farm.base}/ (Ctrl+C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            farm.stop()


def _json(f: Finding) -> dict:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "url": f.url or None,
        "column": f.column_name or None,
        "evidence": f.evidence_text,
    }

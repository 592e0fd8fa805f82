"""``gongkai search QUERY [--json] [--type ...] [--unit ...]``: query the search index."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from django.core.management.base import BaseCommand, CommandError

from gongkai.search import analysis, services
from gongkai.search.backends import SearchUnavailable
from gongkai.search.types import SearchQuery

_TAG = re.compile(r"</?mark>")


def _plain(fragment: str, *, color: bool) -> str:
    if color:
        fragment = fragment.replace("<mark>", "\033[1;31m").replace("</mark>", "\033[0m")
    return html.unescape(_TAG.sub("", fragment))


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "检索已索引的公开信息，按相关度列出索引号、标题、单位、日期和摘要"

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="*", help='检索词；"带引号的短语" 须连续出现；-词 表示排除')
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--type", action="append", default=[], help="文件类型（可重复）")
        parser.add_argument("--unit", action="append", default=[], help="单位名称或编号（可重复）")
        parser.add_argument("--year", action="append", default=[])
        parser.add_argument("--domain", action="append", default=[])
        parser.add_argument("--status", action="append", default=[])
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            help="来源（可重复），取值为已注册的来源，如 publication、faq、appeal",
        )
        parser.add_argument("--from", dest="date_from", type=_date, help="发布日期起 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", type=_date, help="发布日期止 YYYY-MM-DD")
        parser.add_argument("--sort", choices=["relevance", "date"], default="relevance")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, **o):
        filters = {k: o[k] for k in ("type", "unit", "year", "domain", "status", "kind") if o[k]}
        q = SearchQuery(
            text=" ".join(o["query"]),
            filters=filters,
            date_from=o["date_from"],
            date_to=o["date_to"],
            page=max(1, o["page"]),
            per_page=max(1, min(o["limit"], 100)),
            sort=o["sort"],
        )
        if len(q.text) > analysis.MAX_QUERY_LENGTH:
            raise CommandError(
                f"检索词不能超过 {analysis.MAX_QUERY_LENGTH} 个字（现为 {len(q.text)} 个字），请用几个关键词检索。"
            )
        try:
            res = services.run_search(q, log_terms=False)
        except SearchUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if o["json"]:
            out = {
                "total": res.total,
                "relaxed": res.relaxed,
                "approximate": res.approximate,
                "ignored": list(res.parsed.ignored) if res.parsed else [],
                "help": res.help.to_dict() if res.help else None,
                "took_ms": round(res.took_ms, 2),
                "results": [
                    {
                        "rank": (q.page - 1) * q.per_page + i,
                        "score": round(h.score, 4),
                        "title_html": h.title_html,
                        "snippet_html": h.snippet_html,
                        **h.document.to_dict(),
                    }
                    for i, h in enumerate(res.hits, 1)
                ],
                "facets": {k: [[v, c] for v, c in items] for k, items in res.facets.items()},
            }
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        color = self.stdout.isatty() and not o.get("no_color")
        self.stdout.write(f"共 {res.total} 条结果（{res.took_ms:.1f} 毫秒）")
        if res.parsed and res.parsed.ignored:
            self.stdout.write("已忽略常见疑问词：" + "、".join(res.parsed.ignored))
        if res.relaxed:
            self.stdout.write("没有同时包含足够多检索词的结果，以下结果只包含其中部分词。")
        if res.help:
            self._help(res.help)
        for i, h in enumerate(res.hits, (q.page - 1) * q.per_page + 1):
            d = h.document
            date = d.published_on.isoformat() if d.published_on else "—"
            self.stdout.write(f"\n{i}. {_plain(h.title_html, color=color)}")
            meta = [d.index_number or "—", d.unit_name or "—", date]
            if d.document_number:
                meta.append(d.document_number)
            if d.status:
                meta.append(d.status)
            self.stdout.write("   " + " | ".join(meta))
            if h.snippet_html:
                self.stdout.write("   " + _plain(h.snippet_html, color=color))
            if d.url:
                self.stdout.write("   " + d.url)

    def _help(self, help_) -> None:
        messages = {
            "only_stopwords": "检索词只有疑问词，请写出要找的事情。",
            "no_text": "检索词里没有可检索的文字。",
            "too_long": "检索词过长。",
        }
        if help_.issue:
            self.stdout.write(messages.get(help_.issue, help_.issue))
        if help_.corrections:
            self.stdout.write("您是不是要找：" + "、".join(help_.corrections))
        if help_.without_filters:
            self.stdout.write(f"去掉筛选条件后有 {help_.without_filters} 条结果")
        for text, n in help_.looser:
            self.stdout.write(f"试试：{text}（{n} 条）")
        for group in help_.related:
            self.stdout.write(f"相关的{group.label}：")
            for item in group.items:
                self.stdout.write(f"  - {item.title} {item.url}")

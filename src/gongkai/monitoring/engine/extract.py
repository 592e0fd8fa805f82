"""What the checks read from a page: dated list items, navigation columns, footer identifiers,
meta tags, links, and the page's visible text.

Dates on list pages come in four forms (国办秘函〔2019〕19号 inspections read them as published
on the page): ``2026-11-20``, ``2026年11月20日``, ``2026/11/20`` and ``[11-20]`` (month-day only)
under a year heading such as ``<h3>2026年</h3>``. An item without any date is undated and
counts as not updated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from gongkai.core.messages import N_

FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?!\d)")
SHORT_DATE = re.compile(r"(?<![\d\-/.])[\[【(（]?\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[\]】)）]?(?![\d\-/.])")
YEAR_HEADING = re.compile(r"^\s*((?:19|20)\d{2})\s*年?(?:度)?\s*$")
EMPTY_MARKERS = ("暂无信息", "暂无数据", "暂无内容", "暂无记录", "暂无相关信息", "没有相关信息")
SKIP_TAGS = {"script", "style", "noscript", "template"}
BOILERPLATE = "nav, header, footer, #footer, .footer, .nav, #nav, .menu, .header, .foot"
ATTACHMENT_EXT = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".wps", ".et")
META_NAMES = (
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnType",
    "ArticleTitle",
    "PubDate",
    "ContentSource",
)

#: column kind by navigation text (first match wins; most specific first)
COLUMN_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("interpretation", ("政策解读", "解读回应", "解读")),
    ("notice", ("通知公告", "公示公告", "公告公示", "通知", "公告", "公示")),
    ("policy", ("政策文件", "政策法规", "规范性文件", "文件发布", "政府文件", "法规文件")),
    ("interaction", ("互动交流", "政民互动", "领导信箱", "咨询投诉", "在线咨询", "留言", "信箱", "咨询")),
    ("service", ("办事服务", "网上办事", "政务服务", "办事指南", "便民服务")),
    ("news", ("要闻", "动态", "新闻", "工作信息", "时政")),
    ("disclosure", ("信息公开", "政务公开")),
]


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, *, year: int | None = None) -> list[dt.date]:
    """Every full date in ``text``; short ``MM-DD`` dates too when a year is known."""
    out = []
    for m in FULL_DATE.finditer(text):
        d = safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            out.append(d)
    if not out and year:
        for m in SHORT_DATE.finditer(text):
            d = safe_date(year, int(m.group(1)), int(m.group(2)))
            if d:
                out.append(d)
    return out


def parse(html: str) -> HTMLParser:
    return HTMLParser(html or "")


def text_of(node: Node | None) -> str:
    if node is None:
        return ""
    return re.sub(r"\s+", " ", node.text(separator=" ", strip=True) or "").strip()


def visible_text(tree: HTMLParser) -> str:
    body = tree.body or tree.root
    if body is None:
        return ""
    for tag in SKIP_TAGS:
        for node in body.css(tag):
            node.decompose()
    return text_of(body)


def meta_tags(tree: HTMLParser) -> dict[str, str]:
    found = {}
    for node in tree.css("meta[name]"):
        name = (node.attributes.get("name") or "").strip()
        for wanted in META_NAMES:
            if name.lower() == wanted.lower():
                found[wanted] = (node.attributes.get("content") or "").strip()
    return found


def title_of(tree: HTMLParser) -> str:
    return text_of(tree.css_first("title"))


@dataclass
class Link:
    url: str
    text: str
    kind: str  # page | image | attachment


def links(tree: HTMLParser, base: str) -> list[Link]:
    out, seen = [], set()
    for node in tree.css("a[href], img[src]"):
        raw = (node.attributes.get("href") if node.tag == "a" else node.attributes.get("src")) or ""
        raw = raw.strip()
        if not raw or raw.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        try:
            url = urldefrag(urljoin(base, raw))[0]
        except ValueError:
            continue
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path.lower()
        kind = "image" if node.tag == "img" else ("attachment" if path.endswith(ATTACHMENT_EXT) else "page")
        out.append(Link(url, text_of(node)[:60], kind))
    return out


def same_site(url: str, home: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(home).netloc.lower()


# --- navigation → proposed columns ------------------------------------------------------


def column_kind(name: str) -> str | None:
    name = re.sub(r"\s+", "", name or "")
    if not name or len(name) > 12:
        return None
    for kind, words in COLUMN_KEYWORDS:
        if any(w in name for w in words):
            return kind
    return None


@dataclass
class ProposedColumn:
    name: str
    kind: str
    url: str


def navigation_columns(tree: HTMLParser, base: str) -> list[ProposedColumn]:
    """Columns named in the navigation (falling back to the first links of the page)."""
    anchors = tree.css("nav a[href], .nav a[href], #nav a[href], .menu a[href], .navbar a[href], header a[href]")
    if not anchors:
        anchors = tree.css("a[href]")[:80]
    out, seen = [], set()
    for a in anchors:
        name = text_of(a)
        kind = column_kind(name)
        href = (a.attributes.get("href") or "").strip()
        if not kind or not href or href.startswith(("#", "javascript:")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if not same_site(url, base) or url in seen or url.rstrip("/") == base.rstrip("/"):
            continue
        seen.add(url)
        out.append(ProposedColumn(name=name[:60], kind=kind, url=url))
    return out


# --- list pages -----------------------------------------------------------------------------


@dataclass
class Item:
    title: str
    url: str
    date: dt.date | None
    text: str = ""
    dates: list[dt.date] = field(default_factory=list)


def _in_boilerplate(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag in ("nav", "header", "footer"):
            return True
        cls = (parent.attributes.get("class") or "") + " " + (parent.attributes.get("id") or "")
        if re.search(r"(^|\s)(nav|menu|footer|foot|header)(\s|$)", cls):
            return True
        parent = parent.parent
    return False


def list_items(tree: HTMLParser, base: str, selector: str = "") -> list[Item]:
    """The entries of a list page with their dates (year headings give ``MM-DD`` dates a year)."""
    if selector:
        try:
            chosen = {n.mem_id for n in tree.css(selector)}
        except Exception:  # an invalid CSS selector typed by staff: fall back to detection
            chosen = None
    else:
        chosen = None
    items: list[Item] = []
    year: int | None = None
    root = tree.body or tree.root
    if root is None:
        return items
    for node in root.traverse(include_text=False):
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "caption") or "year" in (
            node.attributes.get("class") or ""
        ):
            m = YEAR_HEADING.match(text_of(node))
            if m:
                year = int(m.group(1))
                continue
        if chosen is not None:
            if node.mem_id not in chosen:
                continue
        elif tag not in ("li", "tr") or _in_boilerplate(node):
            continue
        anchor = node.css_first("a[href]")
        if anchor is None:
            continue
        if tag == "li" and len(node.css("li")) > 1:
            continue  # an entry with a sub-list: its own entries are listed separately
        text = text_of(node)
        dates = find_dates(text, year=year)
        href = (anchor.attributes.get("href") or "").strip()
        try:
            url = urldefrag(urljoin(base, href))[0]
        except ValueError:
            url = ""
        items.append(
            Item(title=text_of(anchor)[:200], url=url, date=max(dates) if dates else None, text=text, dates=dates)
        )
    return items


def says_empty(text: str) -> bool:
    return any(marker in text for marker in EMPTY_MARKERS)


# --- footer -----------------------------------------------------------------------------

FOOTER_PATTERNS = {
    "organiser": re.compile(r"主办(?:单位)?\s*[:：]?\s*[\u4e00-\u9fa5（）()]{2,}"),
    "site_code": re.compile(r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})"),
    "icp": re.compile(r"[\u4e00-\u9fa5]\s*ICP\s*备\s*\d{4,}\s*号(?:\s*-\s*\d+)?", re.I),
    "police": re.compile(r"公网安备\s*\d{8,}\s*号?"),
}
FOOTER_LABELS = {
    "organiser": N_("主办单位"),
    "site_code": N_("网站标识码"),
    "icp": N_("ICP备案编号"),
    "police": N_("公安机关备案号"),
}


def footer_text(tree: HTMLParser) -> str:
    nodes = tree.css("footer, #footer, .footer, .foot, #foot, .bottom, #bottom, .copyright")
    if nodes:
        return " ".join(text_of(n) for n in nodes)
    return visible_text(tree)[-1500:]


def footer_identifiers(text: str) -> dict[str, str]:
    found = {}
    for key, pattern in FOOTER_PATTERNS.items():
        m = pattern.search(text)
        if m:
            found[key] = (m.group(1) if m.groups() else m.group(0)).strip()
    return found


def contact_spans(tree: HTMLParser) -> list[str]:
    """Text of the footer and contact blocks (联系我们/联系方式), where office numbers belong."""
    out = [footer_text(tree)]
    for node in tree.css("address, .contact, #contact, [class*=contact]"):
        out.append(text_of(node))
    return [t for t in out if t]

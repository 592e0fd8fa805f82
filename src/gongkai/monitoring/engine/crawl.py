"""Crawl one site once: home page, its columns' list pages, a few articles per column, their
attachments, and the links they contain. Returns a :class:`SiteReport` of observations; the
severities are decided by :mod:`.rules`.

Every limit comes from :class:`~.fetch.Limits`; a site that exceeds its time budget keeps
what was gathered (``report.timed_out``) and never holds up the other sites of the pass.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from gongkai.core import aio
from gongkai.core.messages import N_, message

from . import extract, pii
from .fetch import Fetched, Fetcher, Limits
from .words import Scanner


@dataclass
class ColumnSpec:
    name: str
    kind: str
    list_url: str
    selector: str = ""
    column_id: int | None = None


@dataclass
class SiteSpec:
    home_url: str
    site_id: int | None = None
    columns: list[ColumnSpec] = field(default_factory=list)
    propose_columns: bool = True  # crawl the columns found in the navigation when none is confirmed
    allowed: tuple[str, ...] = ()
    check_https: bool = True
    check_ipv6: bool = True


@dataclass
class PageResult:
    url: str
    kind: str  # home | column | article
    status: int | None = None
    error: str = ""
    sha256: str = ""
    meta: dict = field(default_factory=dict)
    pub_date: dt.date | None = None
    column: str = ""
    elapsed: float = 0.0


@dataclass
class ColumnResult:
    spec: ColumnSpec
    page: PageResult | None = None
    items: int = 0
    dated: int = 0
    latest: dt.date | None = None
    dates: list[dt.date] = field(default_factory=list)  # every item date (rules ignore future ones)
    says_empty: bool = False
    rows: list[tuple[dt.date | None, dt.date | None, bool]] = field(default_factory=list)  # asked, replied, unanswered

    @property
    def reachable(self) -> bool:
        return self.page is not None and not self.page.error and (self.page.status or 0) < 400


@dataclass
class ContentHit:
    rule: str  # personal_data | wrong_expression | sensitive_word
    url: str
    column: str
    evidence: dict | str  # a message (gongkai.core.messages), translated when shown
    context: str
    confidence: float
    key: str
    sha256: str
    entry_id: int | None = None
    creator_id: int | None = None


@dataclass
class DeadLink:
    page_url: str
    url: str
    kind: str
    status: int | None
    error: str


@dataclass
class SiteReport:
    home_url: str
    started: float = field(default_factory=time.time)
    home: PageResult | None = None
    home_dates: list[dt.date] = field(default_factory=list)
    footer: dict = field(default_factory=dict)
    proposed: list[extract.ProposedColumn] = field(default_factory=list)
    columns: list[ColumnResult] = field(default_factory=list)
    pages: list[PageResult] = field(default_factory=list)
    hits: list[ContentHit] = field(default_factory=list)
    dead_links: list[DeadLink] = field(default_factory=list)
    blocked_links: int = 0
    links_checked: int = 0
    attachments: list[str] = field(default_factory=list)
    https: bool | None = None
    ipv6: bool | None = None
    fetched: int = 0
    bytes: int = 0
    timed_out: bool = False
    elapsed: float = 0.0

    @property
    def unreachable(self) -> bool:
        return self.home is None or bool(self.home.error) or (self.home.status or 0) >= 400


class SiteCrawler:
    def __init__(self, spec: SiteSpec, fetcher: Fetcher, scanner: Scanner | None = None):
        self.spec = spec
        self.fetcher = fetcher
        self.limits: Limits = fetcher.limits
        self.scanner = scanner or Scanner([])
        self.report = SiteReport(home_url=spec.home_url)
        self.statuses: dict[str, tuple[int | None, str]] = {}
        self.link_pages: dict[str, tuple[str, str]] = {}  # link url -> (page url, kind)
        self.claimed = 0

    async def run(self) -> SiteReport:
        start = time.monotonic()
        try:
            await asyncio.wait_for(self._crawl(), timeout=self.limits.site_seconds)
        except TimeoutError:
            self.report.timed_out = True
        self.report.elapsed = time.monotonic() - start
        return self.report

    def _claim(self) -> bool:
        """Take one page of the site's budget (before the request, so concurrent fetches cannot overrun it)."""
        if self.claimed >= self.limits.max_pages:
            return False
        self.claimed += 1
        return True

    async def _get(self, url: str, **kwargs) -> Fetched:
        got = await self.fetcher.fetch(url, **kwargs)
        self.report.fetched += 1
        self.report.bytes += len(got.body)
        self.statuses[url] = (got.status, got.error)
        return got

    async def _crawl(self) -> None:
        spec, report = self.spec, self.report
        self._claim()
        home = await self._get(spec.home_url)
        report.home = PageResult(spec.home_url, "home", home.status, home.error, home.sha256, elapsed=home.elapsed)
        extras = [self._https(), self._ipv6()]
        if report.unreachable or not home.is_html:
            await asyncio.gather(*extras)
            return
        tree = extract.parse(home.text)
        report.home.meta = extract.meta_tags(tree)
        report.proposed = extract.navigation_columns(tree, home.final_url or spec.home_url)
        office = " ".join(extract.contact_spans(tree))
        report.footer = extract.footer_identifiers(extract.footer_text(tree))
        self._links(tree, home.final_url or spec.home_url)
        text = extract.visible_text(tree)
        report.home_dates = extract.find_dates(text)
        self._scan(text, spec.home_url, "", home.sha256, office)
        columns = spec.columns or (
            [ColumnSpec(p.name, p.kind, p.url) for p in report.proposed] if spec.propose_columns else []
        )
        await asyncio.gather(*(self._column(c) for c in columns), *extras)
        await self._attachments()
        await self._check_links()

    async def _column(self, col: ColumnSpec) -> None:
        result = ColumnResult(spec=col)
        self.report.columns.append(result)
        if not self._claim():
            return
        got = await self._get(col.list_url)
        result.page = PageResult(col.list_url, "column", got.status, got.error, got.sha256, column=col.name)
        if not got.ok or not got.is_html:
            return
        tree = extract.parse(got.text)
        result.page.meta = extract.meta_tags(tree)
        base = got.final_url or col.list_url
        items = extract.list_items(tree, base, col.selector)
        self._links(tree, base)
        text = extract.visible_text(tree)
        result.says_empty = extract.says_empty(text)
        office = " ".join(extract.contact_spans(tree))
        self._scan(text, col.list_url, col.name, got.sha256, office)
        result.items = len(items)
        if col.kind == "interaction":
            result.rows = [_interaction_row(i) for i in items]
        articles = [i for i in items if i.url and extract.same_site(i.url, self.spec.home_url)]
        articles = articles[: self.limits.articles_per_column]
        pages = await asyncio.gather(*(self._article(i.url, col.name) for i in articles if self._claim()))
        by_url = {p.url: p for p in pages if p is not None}
        dates, dated = [], 0
        for item in items:
            found = list(item.dates)
            if not found and item.url in by_url and by_url[item.url].pub_date:
                found = [by_url[item.url].pub_date]
            dated += bool(found)
            dates.extend(found)
        result.dated = dated
        result.dates = sorted(set(dates))
        result.latest = max(dates) if dates else None

    async def _article(self, url: str, column: str) -> PageResult | None:
        got = await self._get(url)
        page = PageResult(url, "article", got.status, got.error, got.sha256, column=column)
        self.report.pages.append(page)
        if not got.ok or not got.is_html:
            return page
        tree = extract.parse(got.text)
        page.meta = extract.meta_tags(tree)
        if page.meta.get("PubDate"):
            found = extract.find_dates(page.meta["PubDate"])
            page.pub_date = found[0] if found else None
        self._links(tree, got.final_url or url)
        office = " ".join(extract.contact_spans(tree))
        self._scan(extract.visible_text(tree), url, column, got.sha256, office)
        return page

    def _links(self, tree, page_url: str) -> None:
        for link in extract.links(tree, page_url):
            self.link_pages.setdefault(link.url, (page_url, link.kind))

    def _scan(self, text: str, url: str, column: str, sha: str, office: str = "") -> None:
        for hit in pii.find(text, office_text=office):
            self.report.hits.append(
                ContentHit(
                    "personal_data",
                    url,
                    column,
                    message(N_("%(kind)s：%(value)s"), kind=message(pii.KIND_LABELS[hit.kind]), value=hit.masked),
                    hit.context,
                    hit.confidence,
                    hit.key,
                    sha,
                )
            )
        for hit in self.scanner.scan(text, allowed=self.spec.allowed):
            entry = hit.entry
            if entry.kind == "sensitive":
                rule, evidence = "sensitive_word", message(N_("敏感词：%(word)s"), word=entry.text)
            else:
                rule, evidence = (
                    "wrong_expression",
                    message(N_("“%(word)s”应为“%(correct)s”"), word=entry.text, correct=entry.correct)
                    if entry.correct
                    else message(N_("错误表述：%(word)s"), word=entry.text),
                )
            self.report.hits.append(
                ContentHit(
                    rule,
                    url,
                    column,
                    evidence,
                    pii.mask_all(hit.context),
                    0.8,
                    f"word:{entry.text}",
                    sha,
                    entry.entry_id,
                    entry.creator_id,
                )
            )

    async def _attachments(self) -> None:
        wanted = [
            u
            for u, (_, kind) in self.link_pages.items()
            if kind == "attachment" and extract.same_site(u, self.spec.home_url)
        ]
        for url in wanted[: self.limits.max_attachments]:
            if not self._claim():
                break
            got = await self._get(url, html=False)
            if not got.ok or not got.body or got.truncated:
                continue
            text = await asyncio.to_thread(_attachment_text, url, got.body)
            if text:
                self.report.attachments.append(url)
                self._scan(text, url, "", got.sha256)

    async def _check_links(self) -> None:
        todo = [(u, p, k) for u, (p, k) in self.link_pages.items()][: self.limits.max_links]

        async def one(url: str, page: str, kind: str):
            if url in self.statuses:
                status, error = self.statuses[url]
            else:
                got = await self.fetcher.fetch(url, method="HEAD", html=False)
                if got.blocked_by_robots:
                    return
                if got.error or got.status in (400, 405, 501):
                    got = await self.fetcher.fetch(url, max_bytes=64 * 1024, html=False)
                status, error = got.status, got.error
                self.report.links_checked += 1
            if status in (401, 403, 429):
                self.report.blocked_links += 1
            elif error == "robots.txt":
                return
            elif error or (status or 0) >= 400:
                self.report.dead_links.append(DeadLink(page, url, kind, status, error))

        await asyncio.gather(*(one(u, p, k) for u, p, k in todo))

    async def _https(self) -> None:
        if not self.spec.check_https:
            return
        parts = urlsplit(self.spec.home_url)
        if parts.scheme == "https":
            self.report.https = True
            return
        got = await self.fetcher.fetch(urlunsplit(("https", parts.netloc, "/", "", "")), method="HEAD", html=False)
        self.report.https = got.status is not None

    async def _ipv6(self) -> None:
        if not self.spec.check_ipv6:
            return
        self.report.ipv6 = await ipv6_reachable(self.spec.home_url, self.limits.timeout)


async def ipv6_reachable(url: str, timeout: float) -> bool:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = await asyncio.to_thread(socket.getaddrinfo, host, port, socket.AF_INET6, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return False
    for *_, sockaddr in infos:
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(sockaddr[0], port), timeout=timeout)
        except (OSError, TimeoutError):
            continue
        writer.close()
        return True
    return False


UNANSWERED = ("未回复", "待回复", "未答复", "待答复", "办理中", "处理中", "未办结")


def _interaction_row(item: extract.Item) -> tuple[dt.date | None, dt.date | None, bool]:
    asked = item.dates[0] if item.dates else None
    replied = item.dates[1] if len(item.dates) > 1 else None
    unanswered = any(w in item.text for w in UNANSWERED) and replied is None
    return asked, replied, unanswered


def _attachment_text(name: str, data: bytes) -> str:
    from gongkai.core import uploads

    if name.lower().endswith(".txt"):
        return data.decode("utf-8", errors="replace")
    try:
        return uploads.check_file(name.rsplit("/", 1)[-1], data, allowed=uploads.DOCUMENT_KINDS).text or ""
    except Exception:  # an attachment we cannot read is no personal-data evidence either way
        return ""


async def crawl_sites(
    specs: list[SiteSpec], limits: Limits, scanner: Scanner | None = None, *, on_report=None
) -> list[SiteReport]:
    """Crawl many sites concurrently with one polite client (the daily pass of one worker)."""
    async with Fetcher(limits) as fetcher:

        async def one(spec: SiteSpec) -> SiteReport:
            report = await SiteCrawler(spec, fetcher, scanner).run()
            if on_report is not None:
                on_report(spec, report)
            return report

        return list(await asyncio.gather(*(one(s) for s in specs)))


def crawl_one(spec: SiteSpec, limits: Limits, scanner: Scanner | None = None) -> SiteReport:
    return aio.run(crawl_sites([spec], limits, scanner))[0]

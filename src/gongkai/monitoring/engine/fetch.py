"""Polite, bounded HTTP fetching for the crawler.

* robots.txt is read once per host (``urllib.robotparser``) and obeyed for our user agent;
* at most ``per_host`` requests run at once against one host, with ``delay`` seconds between
  the starts of two requests to it; ``concurrency`` bounds the whole process;
* every response is streamed and cut at ``max_bytes``; a request has ``timeout`` seconds in all
  (connect + read), redirects stop after ``max_redirects``;
* nothing a server sends raises: errors become :attr:`Fetched.error`.

Pages are decoded by the declared charset (HTTP header, then ``<meta charset>``), GBK and
GB2312 as their superset GB18030; a declared charset that does not decode cleanly, or none,
falls back to UTF-8, then GB18030.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is too much for a crawler

HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


@dataclass(frozen=True)
class Limits:
    timeout: float = 15.0
    max_bytes: int = 2 * 1024 * 1024
    max_pages: int = 200
    site_seconds: float = 300.0
    per_host: int = 2
    delay: float = 0.5
    concurrency: int = 50
    max_redirects: int = 5
    max_links: int = 200
    max_attachments: int = 10
    articles_per_column: int = 3
    user_agent: str = "gongkai-monitor/1.0"
    respect_robots: bool = True
    verify_tls: bool = True

    @classmethod
    def from_settings(cls, **overrides) -> Limits:
        from django.conf import settings

        values = {
            "timeout": settings.GONGKAI_MONITORING_TIMEOUT,
            "max_bytes": settings.GONGKAI_MONITORING_MAX_PAGE_BYTES,
            "max_pages": settings.GONGKAI_MONITORING_MAX_PAGES,
            "site_seconds": settings.GONGKAI_MONITORING_SITE_SECONDS,
            "per_host": settings.GONGKAI_MONITORING_PER_HOST,
            "delay": settings.GONGKAI_MONITORING_HOST_DELAY,
            "concurrency": settings.GONGKAI_MONITORING_CONCURRENCY,
            "max_redirects": settings.GONGKAI_MONITORING_MAX_REDIRECTS,
            "max_links": settings.GONGKAI_MONITORING_MAX_LINKS,
            "max_attachments": settings.GONGKAI_MONITORING_MAX_ATTACHMENTS,
            "articles_per_column": settings.GONGKAI_MONITORING_ARTICLES_PER_COLUMN,
            "user_agent": settings.GONGKAI_MONITORING_USER_AGENT,
            "respect_robots": settings.GONGKAI_MONITORING_RESPECT_ROBOTS,
            "verify_tls": settings.GONGKAI_MONITORING_VERIFY_TLS,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class Fetched:
    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    text: str | None = None
    charset: str = ""
    elapsed: float = 0.0
    error: str = ""
    truncated: bool = False
    blocked_by_robots: bool = False
    fetched_at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and self.status < 400

    @property
    def is_html(self) -> bool:
        return self.text is not None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.body else ""


def normalise_charset(name: str | None) -> str:
    name = (name or "").strip().strip("\"'").lower()
    return _ALIASES.get(name, name)


def declared_charset(content_type: str, body: bytes) -> str:
    match = re.search(r"charset\s*=\s*([\w\-]+)", content_type or "", re.I)
    if match:
        return normalise_charset(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    return normalise_charset(meta.group(1).decode("ascii", "ignore")) if meta else ""


def looks_binary(body: bytes) -> bool:
    head = body[:1024]
    return b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8"))


def decode(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode an HTML body: declared charset if it decodes cleanly, else UTF-8, else GB18030."""
    declared = declared_charset(content_type, body)
    tried = []
    for name in (declared, "utf-8", "gb18030"):
        if not name or name in tried:
            continue
        tried.append(name)
        try:
            return body.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode(declared if declared in tried[:1] and _known(declared) else "utf-8", errors="replace"), (
        declared or "utf-8"
    )


def _known(name: str) -> bool:
    try:
        "".encode(name)
    except LookupError:
        return False
    return True


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class HostGate:
    """Per-host concurrency and spacing between request starts."""

    def __init__(self, per_host: int, delay: float):
        self.semaphore = asyncio.Semaphore(max(1, per_host))
        self.delay = max(0.0, delay)
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    async def __aenter__(self):
        await self.semaphore.acquire()
        if self.delay:
            async with self.lock:
                now = time.monotonic()
                wait = self.next_start - now
                self.next_start = max(now, self.next_start) + self.delay
            if wait > 0:
                await asyncio.sleep(wait)
        return self

    async def __aexit__(self, *exc):
        self.semaphore.release()


class Fetcher:
    """One HTTP client for a crawl pass (use as ``async with Fetcher(limits) as f``)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.gates: dict[str, HostGate] = {}
        self.robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.robots_locks: dict[str, asyncio.Lock] = {}
        self.global_gate = asyncio.Semaphore(max(1, limits.concurrency))
        self.requests = 0
        self.client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        self.client = httpx.AsyncClient(
            headers={
                "User-Agent": self.limits.user_agent.encode("ascii", "ignore").decode(),
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            },
            timeout=httpx.Timeout(self.limits.timeout),
            follow_redirects=True,
            max_redirects=self.limits.max_redirects,
            verify=self.limits.verify_tls,
            limits=httpx.Limits(
                max_connections=self.limits.concurrency, max_keepalive_connections=self.limits.concurrency
            ),
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc):
        if self.client is not None:
            await self.client.aclose()

    def gate(self, url: str) -> HostGate:
        key = host_key(url)
        if key not in self.gates:
            self.gates[key] = HostGate(self.limits.per_host, self.limits.delay)
        return self.gates[key]

    async def allowed(self, url: str) -> bool:
        if not self.limits.respect_robots:
            return True
        key = host_key(url)
        lock = self.robots_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self.robots:
                self.robots[key] = await self._load_robots(key)
        parser = self.robots[key]
        return True if parser is None else parser.can_fetch(self.limits.user_agent, url)

    async def _load_robots(self, key: str):
        got = await self._get(key + "/robots.txt", max_bytes=256 * 1024)
        parser = urllib.robotparser.RobotFileParser()
        if got.status in (401, 403):
            parser.disallow_all = True
            return parser
        if not got.ok or not got.body:
            return None  # no robots.txt (or unreachable): everything allowed
        text = got.body.decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return parser

    async def fetch(self, url: str, *, method: str = "GET", max_bytes: int | None = None, html: bool = True) -> Fetched:
        if not await self.allowed(url):
            return Fetched(url=url, final_url=url, error="robots.txt", blocked_by_robots=True)
        return await self._get(url, method=method, max_bytes=max_bytes, html=html)

    async def _get(self, url: str, *, method: str = "GET", max_bytes: int | None = None, html: bool = True) -> Fetched:
        limit = max_bytes or self.limits.max_bytes
        result = Fetched(url=url, final_url=url)
        start = time.monotonic()
        try:
            async with self.global_gate, self.gate(url):
                self.requests += 1
                await asyncio.wait_for(self._stream(url, method, limit, result), timeout=self.limits.timeout)
        except TimeoutError:
            result.error = "timeout"
        except httpx.TooManyRedirects:
            result.error = "too many redirects"
        except httpx.HTTPError as exc:
            result.error = (type(exc).__name__ + (f": {exc}" if str(exc) else ""))[:200]
        except (ValueError, OSError) as exc:  # malformed URL, socket errors outside httpx
            result.error = f"{type(exc).__name__}: {exc}"[:200]
        result.elapsed = time.monotonic() - start
        if html and result.body and not result.error:
            ctype = result.content_type.split(";")[0].strip().lower()
            if (not ctype or ctype in HTML_TYPES or ctype.startswith("text/")) and not looks_binary(result.body):
                result.text, result.charset = decode(result.body, result.content_type)
        return result

    async def _stream(self, url: str, method: str, limit: int, result: Fetched) -> None:
        assert self.client is not None
        async with self.client.stream(method, url) as response:
            result.status = response.status_code
            result.final_url = str(response.url)
            result.content_type = response.headers.get("content-type", "")
            if method == "HEAD":
                return
            chunks, size = [], 0
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
                size += len(chunk)
                if size >= limit:
                    result.truncated = True
                    break
            body = b"".join(chunks)[:limit]
            encoding = response.headers.get("content-encoding", "").lower()
            if encoding in ("gzip", "deflate", "br") and not result.truncated:
                body = _decompress(body, encoding, limit)
            result.body = body


def _decompress(body: bytes, encoding: str, limit: int) -> bytes:
    import zlib

    try:
        if encoding == "gzip":
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            d = zlib.decompressobj()
        else:
            return body
        return d.decompress(body, limit)  # never inflate past the page limit
    except zlib.error:
        return body

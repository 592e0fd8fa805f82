"""Local HTTP sites for tests, the benchmark and the demo: never the internet.

A :class:`Farm` serves generated government-style sites from memory on 127.0.0.1 (a thread
with a threaded HTTP server). Each route is a :class:`Page` with a status, headers, a body and
optional hostile behaviour (a delay, an endless body, a redirect). :func:`gov_site` builds a
typical county site: a home page with navigation, footer identifiers and meta tags, list pages
with dates in the formats the checks read, articles, and an interaction column.
"""

from __future__ import annotations

import datetime as dt
import http.server
import socketserver
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    endless: bool = False  # stream zeros-like filler forever (a "huge page")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small header writes must not wait for delayed ACKs
    wbufsize = 64 * 1024  # one write per response (flushed after each request)

    def log_message(self, *args):  # quiet
        pass

    def handle(self):
        import socket

        try:
            first = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return
        if first == b"\x16":  # a TLS handshake: this farm speaks plain HTTP, hang up at once
            return
        super().handle()

    def _page(self) -> Page | None:
        farm: Farm = self.server.farm  # type: ignore[attr-defined]
        path = self.path.split("#", 1)[0]
        farm.hits[path] = farm.hits.get(path, 0) + 1
        return farm.routes.get(path) or farm.routes.get(path.split("?", 1)[0]) or farm.from_directory(path)

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _serve(self, head: bool):
        page = self._page()
        if page is None:
            page = Page(b"<html><body>404</body></html>", status=404)
        if page.delay:
            time.sleep(page.delay)
        try:
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            for k, v in page.headers.items():
                self.send_header(k, v)
            if page.endless:
                self.send_header("Connection", "close")
                self.end_headers()
                if not head:
                    chunk = b"<p>" + "填充内容".encode() * 2000 + b"</p>\n"
                    for _ in range(100000):
                        self.wfile.write(chunk)
                        self.wfile.flush()
                return
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if not head:
                self.wfile.write(page.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a crawler that hangs up (timeouts, cut bodies) is normal here
        super().handle_error(request, client_address)


class Farm:
    """``with Farm() as farm: farm.add("/a/", Page(...)); farm.url("/a/")``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, root: str | None = None):
        self.root = Path(root).resolve() if root else None
        self.routes: dict[str, Page] = {}
        self.hits: dict[str, int] = {}
        self.server = _Server((host, port), _Handler)
        self.server.farm = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, page: Page | str | bytes) -> None:
        if isinstance(page, str):
            page = Page(page.encode("utf-8"))
        elif isinstance(page, bytes):
            page = Page(page)
        self.routes[path] = page

    def from_directory(self, path: str) -> Page | None:
        """A file under ``root`` (``index.html`` for a directory); never outside it."""
        if self.root is None:
            return None
        target = (self.root / unquote(path.split("?", 1)[0]).lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.root) or not target.is_file():
            return None
        types = {
            ".html": "text/html; charset=utf-8",
            ".png": "image/png",
            ".txt": "text/plain; charset=utf-8",
            ".pdf": "application/pdf",
        }
        return Page(target.read_bytes(), content_type=types.get(target.suffix, "application/octet-stream"))

    def write(self, directory: str | Path, pages: dict[str, Page]) -> None:
        """Write generated pages as files (``/xp/`` → ``xp/index.html``) for a directory farm."""
        base = Path(directory)
        for path, page in pages.items():
            target = base / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.body)

    def start(self) -> Farm:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- generated government sites -----------------------------------------------------------

COLUMNS = [
    ("工作动态", "news", "dt"),
    ("通知公告", "notice", "tzgg"),
    ("政策文件", "policy", "zcwj"),
    ("政策解读", "interpretation", "zcjd"),
    ("互动交流", "interaction", "hdjl"),
]


def _meta(site: str, column: str = "", title: str = "", pub: str = "", code: str = "3311240001") -> str:
    tags = [
        f'<meta name="SiteName" content="{site}">',
        '<meta name="SiteDomain" content="www.example.gov.cn">',
        f'<meta name="SiteIDCode" content="{code}">',
    ]
    if column:
        tags.append(f'<meta name="ColumnName" content="{column}">')
    if title:
        tags.append(f'<meta name="ArticleTitle" content="{title}">')
    if pub:
        tags.append(f'<meta name="PubDate" content="{pub}">')
    return "".join(tags)


def footer(organiser: str = "松阳县人民政府办公室", code: str = "3311240001", phone: str = "0578-8061234") -> str:
    return (
        f"<footer><p>主办单位：{organiser} 联系电话：{phone}</p>"
        f"<p>网站标识码：{code} 浙ICP备05012345号-1 浙公网安备 33112402000123号</p></footer>"
    )


@dataclass
class SiteSpec:
    prefix: str  # "/xp" — the site lives under this path on the farm
    name: str = "松阳县西屏街道"
    as_of: dt.date = dt.date(2026, 11, 20)
    age_days: dict = field(default_factory=dict)  # column slug -> days since the newest item
    blank: set = field(default_factory=set)  # column slugs shown as 暂无信息
    extra_article: str = ""  # HTML put in the first news article (e.g. a leaked number)
    items: int = 5
    charset: str = "utf-8"
    footer: bool = True
    unanswered_days: int | None = None  # an unanswered message that old in 互动交流
    home_age: int = 1


def gov_site(spec: SiteSpec) -> dict[str, Page]:
    """A typical site: home, five columns, ``items`` articles per column."""
    p, enc = spec.prefix, spec.charset
    ctype = f"text/html; charset={enc}"
    pages: dict[str, Page] = {}

    def add(path: str, html: str) -> None:
        pages[p + path] = Page(html.encode(enc, errors="replace"), content_type=ctype)

    nav = "".join(f'<li><a href="{p}/{slug}/">{name}</a></li>' for name, _k, slug in COLUMNS)
    home_date = spec.as_of - dt.timedelta(days=spec.home_age)
    news = "".join(
        f'<li><a href="{p}/dt/{i}.html">本地新闻{i}</a><span>{home_date - dt.timedelta(days=i):%Y-%m-%d}</span></li>'
        for i in range(3)
    )
    add(
        "/",
        f'<!doctype html><html lang="zh-CN"><head><meta charset="{enc}"><title>{spec.name}</title>{_meta(spec.name)}</head>'
        f'<body><header><nav><ul><li><a href="{p}/">首页</a></li>{nav}</ul></nav></header>'
        f'<main><h2>要闻</h2><ul class="news">{news}</ul><img src="{p}/logo.png" alt="logo"></main>'
        f"{footer() if spec.footer else ''}</body></html>",
    )
    pages[p + "/logo.png"] = Page(b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    for name, kind, slug in COLUMNS:
        age = spec.age_days.get(slug, 3)
        newest = spec.as_of - dt.timedelta(days=age)
        if slug in spec.blank:
            add(
                f"/{slug}/",
                f'<html><head><meta charset="{enc}">{_meta(spec.name, name)}</head><body><h1>{name}</h1><p>暂无信息</p>{footer()}</body></html>',
            )
            continue
        rows = []
        for i in range(spec.items):
            d = newest - dt.timedelta(days=7 * i)
            url = f"{p}/{slug}/{i}.html"
            if kind == "interaction":
                if i == 0 and spec.unanswered_days is not None:
                    asked = spec.as_of - dt.timedelta(days=spec.unanswered_days)
                    rows.append(
                        f'<li><a href="{url}">咨询低保申请条件</a> <span>{asked:%Y-%m-%d}</span> <em>未回复</em></li>'
                    )
                    continue
                rows.append(
                    f'<li><a href="{url}">咨询{i}</a> <span>{d:%Y-%m-%d}</span> 已回复 <span>{d + dt.timedelta(days=1):%Y-%m-%d}</span></li>'
                )
            elif i % 2:
                rows.append(f'<li><a href="{url}">{name}信息{i}</a> [{d:%Y年%m月%d日}]</li>')
            else:
                rows.append(f'<li><a href="{url}">{name}信息{i}</a> <span>{d:%Y/%m/%d}</span></li>')
            body = f"<p>{name}正文{i}。</p>" + (spec.extra_article if (slug == "dt" and i == 0) else "")
            add(
                f"/{slug}/{i}.html",
                f'<html><head><meta charset="{enc}"><title>{name}信息{i}</title>{_meta(spec.name, name, f"{name}信息{i}", f"{d:%Y-%m-%d} 09:00")}</head>'
                f"<body><h1>{name}信息{i}</h1>{body}{footer()}</body></html>",
            )
        add(
            f"/{slug}/",
            f'<html><head><meta charset="{enc}"><title>{name}</title>{_meta(spec.name, name)}</head><body><h1>{name}</h1>'
            f'<ul class="list">{"".join(rows)}</ul>{footer()}</body></html>',
        )
    return pages

"""A browser asking for English gets English UI: no Chinese left in the pages' chrome.

Every GET page without URL arguments under the public prefixes and /workbench/ is
fetched with ``Accept-Language: en``; what remains in Chinese after removing database
content (every text value stored in the test database: organisation names, domains,
reference data), form values, the language names in the switcher and the official
labels of the national annual-report form (国办公开办函〔2021〕30号, kept in their
legal wording like any legal text) is a UI string that is not translated (or not
wrapped in gettext).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

HAN = re.compile(r"[\u3400-\u9fff]+")
# Chinese shown on purpose in every language: examples of what to type are Chinese queries
# (the content searched is Chinese), and an import file's column headers are Chinese words.
EXAMPLES = ["-通知", "“最低生活保障”", "孩子出生后要办哪些证", "一级事项/二级事项", "“同上”"]
SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"
# Templates shorten long database text with truncatechars:N (N - 1 characters and "…").
TRUNCATIONS = sorted(
    {
        int(n) - 1
        for path in SRC.glob("*/templates/**/*.html")
        for n in re.findall(r"truncatechars:(\d+)", path.read_text())
    }
)
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "jsi18n/", "static/", "media/")
# Pages that are not HTML pages for people: feeds, exports, machine-readable catalogues, health checks.
SKIP_NAMES = re.compile(r"feed|rss|atom|export|download|csv|json|ttl|jsonld|sitemap|robots|health|metrics|logout")


def _urls(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or "^" in route.lstrip("^") and "(" in route:
            continue
        route = route.lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _urls(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry.name or ""


def _pages(workbench: bool) -> list[str]:
    found = set()
    for url, name in _urls():
        if url.startswith(SKIP_PREFIXES) or SKIP_NAMES.search(url + " " + name) or "." in url.rsplit("/", 1)[-1]:
            continue
        if url.startswith(("workbench/", "staff/")) == workbench:
            found.add("/" + url)
    return sorted(found)


def _strings(value):
    if isinstance(value, str):
        if HAN.search(value):
            yield value.strip()
            yield from (part.strip() for part in value.splitlines() if HAN.search(part))
    elif isinstance(value, dict):
        if isinstance(value.get("msg"), str):
            # a system message (gongkai.core.messages): its 简体 source is UI text translated when shown,
            # not data; only its parameters (names, dates, quoted text) are data
            yield from _strings(value.get("params"))
            return
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _strings(getattr(value, name))


@pytest.fixture(autouse=True)
def _own_search_index(settings, tmp_path):
    """A fresh embedded index: documents indexed by earlier tests of this worker (their rows rolled
    back) would otherwise show on /search/ as text that is in no table."""
    from gongkai.search.backends import reset_backends

    settings.GONGKAI_SEARCH_INDEX_DIR = tmp_path / "search-index"
    reset_backends()
    yield
    reset_backends()


def _official_labels() -> set[str]:
    """The annual-report form's row, column and section labels, in their official wording."""
    from gongkai.reports import tables
    from gongkai.requests import stats

    found = set()
    for module in (tables, stats):
        for name, value in vars(module).items():
            if name.isupper():
                found.update(_strings(value))
    return found


def _database_text() -> list[str]:
    """Every Chinese text value stored in the database (data, not UI) and the official labels, longest first."""
    text_fields = (models.CharField, models.TextField, models.JSONField)
    values = _official_labels() | set(EXAMPLES)
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, text_fields)]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            values.update(_strings(list(row)))
    values |= {value[:n] for value in list(values) for n in TRUNCATIONS if len(value) > n}
    return sorted(values, key=len, reverse=True)


def _untranslated(page: str, data: list[str]) -> list[str]:
    page = re.sub(r"<(script|style|textarea|option)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r'(<[^>]*\blang="zh[^"]*"[^>]*>)[^<]*(?=<)', r"\1", page)  # language names in the switcher
    page = re.sub(r'(<span class="emblem"[^>]*>)[^<]*', r"\1", page)  # the logo's glyph
    page = re.sub(r'\b(value|href|src|action|data-[\w-]+|hx-[\w-]+|content|placeholder-data)="[^"]*"', "", page)
    page = html.unescape(page)
    page = re.sub(r"[\u3400-\u9fff]*\*+[\u3400-\u9fff]*", " ", page)  # masked data (吴**, 张*英) is data
    for value in data:
        page = page.replace(value, " ")
    return sorted(set(HAN.findall(page)))


# Chinese allowed on some pages beyond database content, by page (none: system-generated notes, check
# messages and findings are stored as messages and translated when shown).
KNOWN: dict[str, set[str]] = {}


def _known(url: str) -> set[str]:
    return set().union(*(known for pattern, known in KNOWN.items() if re.fullmatch(pattern, url)))


def _check(client, urls: list[str], data: list[str]) -> str:
    leaks = {}
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found = [text for text in _untranslated(response.content.decode(), data) if text not in _known(url)]
        if found:
            leaks[url] = found
    report = "\n".join(f"{url}: {' | '.join(found)}" for url, found in leaks.items())
    print(report)
    return report


def test_page_discovery_finds_the_main_pages():
    public, workbench = _pages(workbench=False), _pages(workbench=True)
    for url in ["/", "/publications/", "/requests/", "/requests/track/", "/reports/", "/search/"]:
        assert url in public
    assert "/workbench/" in workbench and "/workbench/reports/" in workbench


def test_untranslated_ignores_data_and_language_names():
    page = (
        '<html lang="en"><h1>Organisations</h1><p>松阳县民政局</p><input value="关于低保的通知">'
        '<button lang="zh-Hans"><span lang="zh-Hans">简体中文</span></button><span class="emblem">公</span><script>var x = "中文";</script><p>年度报告</p></html>'
    )
    assert _untranslated(page, ["松阳县民政局"]) == ["年度报告"]


@pytest.mark.django_db
def test_public_pages_in_english(tree, client):
    data = _database_text()
    assert _check(client, _pages(workbench=False), data) == ""


@pytest.mark.django_db
def test_workbench_pages_in_english(tree, client_for):
    data = _database_text()
    assert _check(client_for(tree.office), _pages(workbench=True), data) == ""


def _links(page: str) -> list[str]:
    return re.findall(r'<a\b[^>]*\bhref="(/[^"#?]*)(?:\?[^"]*)?"', page)


def _crawl(client, start: list[str], data: list[str], per_view: int = 2) -> str:
    """The start pages and the detail pages they link to (a few per view), in English."""
    from django.urls import Resolver404, resolve

    seen, queue, per = set(), list(start), {}
    for url in start:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for link in _links(response.content.decode()):
                if link.startswith(("/admin/", "/api/", "/i18n/", "/media/", "/static/")) or SKIP_NAMES.search(link):
                    continue
                try:
                    name = resolve(link).view_name
                except Resolver404:
                    continue
                if link not in queue and per.get(name, 0) < per_view:
                    per[name] = per.get(name, 0) + 1
                    queue.append(link)
    urls = [u for u in queue if not (u in seen or seen.add(u))]
    return _check(client, urls, data)


@pytest.mark.django_db
def test_demo_county_in_english(client):
    """The demo county (real-looking data in every app): public pages, their detail pages and the office's workbench."""
    from django.core.management import call_command

    from gongkai.core.models import User

    call_command("load_demo", verbosity=0)
    data = _database_text()
    public = _crawl(client, _pages(workbench=False), data)
    client.force_login(User.objects.get(username="gkb"))
    workbench = _crawl(client, _pages(workbench=True), data)
    assert (public, workbench) == ("", "")

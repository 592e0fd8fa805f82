"""The portal home page: what is new, what I can do, accountability at a glance.

Every list comes from an app's ``selectors`` (never its models), and only when that app is
installed, so the home page works whatever capability apps a deployment has. Each block is
rendered once into an HTML fragment and cached:

- blocks showing records (latest publications, consultations, appeal answers, this year's
  figures) are keyed on :func:`gongkai.portal.freshness.marker` — the newest ``updated_at`` of
  the lists shown, read in one query — plus the date and the language, so publishing anything
  shows on the next page view, on every server;
- the tasks, the popular search terms and the most viewed items change slowly and are kept for
  :data:`SLOW_TTL` seconds.

An empty database gives a page without empty boxes: a block without content is left out, and a
welcome note says what will appear once units publish.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

import gongkai

from . import freshness, registry

log = logging.getLogger(__name__)

LATEST_SIZE = 10
SIDE_SIZE = 5
POPULAR_SIZE = 8
POPULAR_DAYS = 30
NEW_DAYS = 7
FRESH_TTL = 24 * 3600  # keyed on the content's newest change: expiry only frees memory
SLOW_TTL = 15 * 60
CACHE_PREFIX = "portal:home"
BLOCKS = ("latest", "interaction", "figures", "tasks", "terms", "popular", "subtitle")

# URL names of the services app (issue 16), tried in order; the tasks appear once one resolves.
GUIDE_URL_NAMES = ("guides:index", "guides:home", "guides:list", "guides:guide-list")
EVENT_URL_NAMES = ("guides:events", "guides:life-events", "guides:event-list", "guides:life_events")


def installed(app: str) -> bool:
    return apps.is_installed(f"gongkai.{app}")


def first_url(*names: str, query: str = "") -> str:
    """The first of ``names`` that resolves (apps may not be installed yet), else ""."""
    for name in names:
        try:
            return reverse(name) + query
        except NoReverseMatch:
            continue
    return ""


# --- latest publications: tabs ------------------------------------------------------------------


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    doc_types: tuple[str, ...]  # empty = every type
    list_url: tuple[str, tuple]  # URL name and args of the full list


TABS = (
    Tab("all", _("全部"), (), ("publications:index", ())),
    Tab("notice", _("通知公告"), ("notice",), ("publications:type", ("notice",))),
    Tab("policy", _("政策文件"), ("policy", "regulation", "normative"), ("publications:policies", ())),
    Tab("interpretation", _("政策解读"), ("interpretation",), ("publications:interpretations", ())),
)


def tab_for(key: str | None) -> Tab:
    return next((t for t in TABS if t.key == key), TABS[0])


def _feed_query(tab: Tab) -> str:
    return "&".join(f"type={t}" for t in tab.doc_types)


def latest_context(tab: Tab, today: dt.date) -> dict | None:
    if not installed("publications"):
        return None
    from gongkai.publications import selectors

    qs = selectors.published(doc_type=list(tab.doc_types) or None)
    items = [
        {
            "title": p.title,
            "url": p.get_absolute_url(),
            "unit": p.unit.display_name,
            "date": p.published_on,
            "type": p.get_doc_type_display(),
            "is_new": bool(p.published_on and (today - p.published_on).days < NEW_DAYS),
        }
        for p in qs[:LATEST_SIZE]
    ]
    if not items and (tab.key == "all" or not selectors.published().exists()):
        return None  # nothing published at all: the welcome note speaks instead
    counts = selectors.portal_counts(year=today.year, since=today - dt.timedelta(days=NEW_DAYS - 1))
    name, args = tab.list_url
    query = _feed_query(tab)
    return {
        "tabs": [{"key": t.key, "label": t.label, "current": t.key == tab.key} for t in TABS],
        "tab": tab,
        "items": items,
        "recent": counts["recent"],
        "more_url": reverse(name, args=args),
        "feed_rss": reverse("publications:feed-rss") + (f"?{query}" if query else ""),
        "feed_atom": reverse("publications:feed-atom") + (f"?{query}" if query else ""),
    }


# --- consultations and appeal answers ----------------------------------------------------------


def interaction_context(today: dt.date) -> dict | None:
    if not installed("interaction"):
        return None
    from gongkai.interaction import selectors

    consultations = [
        {
            "title": c.title,
            "url": reverse("interaction:consultation", args=[c.pk]),
            "unit": c.unit.display_name,
            "closes_on": c.closes_on,
            "days_left": (c.closes_on - today).days,
        }
        for c in selectors.consultations_accepting_comments(today)[:SIDE_SIZE]
    ]
    past_consultations = not consultations and selectors.public_consultations().exists()
    answers = [
        {
            "title": a.public_title or a.title,
            "url": reverse("interaction:appeal-detail", args=[a.pk]),
            "unit": a.unit.display_name if a.unit else "",
            "date": timezone.localdate(a.published_at) if a.published_at else None,
            "type": a.type.name if a.type_id else "",
        }
        for a in selectors.public_appeals()[:SIDE_SIZE]
    ]
    if not (consultations or past_consultations or answers):
        return None
    return {"consultations": consultations, "past_consultations": past_consultations, "answers": answers}


# --- accountability: this year's figures, from the records ------------------------------------


def _pct(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def figures_context(today: dt.date) -> dict | None:
    year = today.year
    figures = {"year": year}
    if installed("publications"):
        from gongkai.publications import selectors as publications

        figures["published"] = publications.portal_counts(year=year, since=today)["year"]
    if installed("requests"):
        from gongkai.requests import selectors as requests

        r = requests.public_summary(year)
        figures["requests"] = {**r, "on_time_pct": _pct(r["on_time"], r["answered"])}
    if installed("interaction"):
        from gongkai.interaction import selectors as interaction

        a = interaction.public_summary(year)
        figures["appeals"] = a
    if installed("reports"):
        from gongkai.reports import selectors as reports

        report = reports.latest_published_report()
        if report is not None:
            figures["report"] = {"title": report.title, "url": reverse("reports:detail", args=[report.pk])}
        figures["statistics_url"] = reverse("reports:statistics")
        figures["reports_url"] = reverse("reports:index")
    activity = (
        figures.get("published", 0)
        + figures.get("requests", {}).get("received", 0)
        + figures.get("appeals", {}).get("received", 0)
    )
    if not activity and "report" not in figures:
        return None
    return figures


# --- most viewed ----------------------------------------------------------------------------------


def most_viewed_catalogue_items(*, since: dt.date, limit: int) -> list[registry.PopularEntry]:
    """The catalogue items opened most often on the portal (core's page-view counter)."""
    if not installed("catalogue"):
        return []
    from gongkai.catalogue import selectors as catalogue
    from gongkai.core.pageviews import most_viewed

    top = most_viewed("catalogue.item", since=since, limit=limit * 2)
    items = catalogue.unit_items_by_ids([object_id for object_id, _n in top])
    entries = []
    for object_id, n in top:
        item = items.get(object_id)
        if item is not None:
            url = reverse("catalogue:item", args=[item.pk])
            entries.append(registry.PopularEntry(label=item.display_name, url=url, count=n, note=item.unit.name))
    return entries[:limit]


registry.register_popular("catalogue", _("热门目录事项"), most_viewed_catalogue_items, order=10)


def popular_context(today: dt.date) -> dict | None:
    since = today - dt.timedelta(days=POPULAR_DAYS)
    lists = []
    for popular in registry.popular_lists():
        try:
            entries = registry.entries(popular, since=since, limit=POPULAR_SIZE)
        except Exception:  # one app's list must never break the home page
            log.warning("popular list %s failed", popular.key, exc_info=True)
            continue
        if entries:
            lists.append({"key": popular.key, "title": popular.title, "entries": entries})
    domains = []
    if not lists and installed("catalogue"):
        # Nothing viewed yet (a new site): offer the catalogue by domain instead.
        from gongkai.catalogue import selectors as catalogue

        domains = [
            {"name": d.name, "url": reverse("catalogue:domain", args=[d.code]), "units": d.unit_count}
            for d in catalogue.public_domains()
            .filter(catalogue_count__gt=0)
            .order_by("-unit_count", "sort_order")[:POPULAR_SIZE]
        ]
    if not lists and not domains:
        return None
    return {"lists": lists, "domains": domains, "days": POPULAR_DAYS}


# --- what I can do, search terms ---------------------------------------------------------------


def tasks_context() -> dict:
    from gongkai.core import selectors as core

    has_units = core.organisation_tree().exists()
    tasks = []
    if has_units:
        tasks.append(
            {
                "key": "request",
                "label": pgettext_lazy("我要办", "依申请公开"),  # an action ("Request information")
                "hint": _("向行政机关申请获取政府信息"),
                "url": first_url("requests:apply"),
                "primary": True,
            }
        )
        tasks.append(
            {
                "key": "message",
                "label": _("我要留言"),
                "hint": _("咨询、建议、投诉、求助"),
                "url": first_url("interaction:submit", "interaction:index"),
            }
        )
    track = [
        {"label": pgettext_lazy("查询办理进度", "依申请公开"), "url": first_url("requests:track")},
        {"label": pgettext_lazy("查询办理进度", "留言诉求"), "url": first_url("interaction:track")},
    ]
    track = [t for t in track if t["url"]]
    if track and has_units:
        tasks.append({"key": "track", "label": _("查询办理进度"), "hint": _("凭查询码查看"), "links": track})
    tasks.append(
        {
            "key": "guides",
            "label": _("办事指南"),
            "hint": _("办什么事、带什么材料、去哪里办"),
            "url": first_url(*GUIDE_URL_NAMES),
        }
    )
    tasks.append(
        {
            "key": "events",
            "label": _("生活事件"),
            "hint": _("生孩子、上学、开店、退休……"),
            "url": first_url(*EVENT_URL_NAMES),
        }
    )
    tasks = [t for t in tasks if t.get("url") or t.get("links")]
    return {"tasks": tasks, "has_units": has_units}


def subtitle_context() -> dict | None:
    """The site's government under the site name, when the site serves exactly one (e.g. 松阳县人民政府)."""
    from .directory import site_governments

    governments = site_governments()
    return {"name": governments[0].name} if len(governments) == 1 else None


def search_terms(today: dt.date) -> list[str]:
    if not installed("search"):
        return []
    from gongkai.search import selectors as search

    return [term for term, _n in search.top_terms(today - dt.timedelta(days=POPULAR_DAYS), 8)]


# --- assembly and cache -----------------------------------------------------------------------


def change_markers() -> list:
    """The change markers of every list the marker-keyed blocks show (see gongkai.portal.freshness)."""
    querysets = []
    if installed("publications"):
        from gongkai.publications import selectors as publications

        querysets.append(publications.public_change_marker())
    if installed("interaction"):
        from gongkai.interaction import selectors as interaction

        querysets.extend(interaction.public_change_markers())
    if installed("requests"):
        from gongkai.requests import selectors as requests

        querysets.append(requests.change_marker())
    if installed("reports"):
        from gongkai.reports import selectors as reports

        querysets.append(reports.change_marker())
    return querysets


@functools.cache
def templates_digest() -> str:
    """A digest of the block templates, part of every cache key: a deployment that changes a
    template never serves fragments rendered by the old one (Redis outlives the app processes)."""
    sources = [get_template(f"portal/home/_{name}.html").template.source for name in BLOCKS]
    return freshness.digest(gongkai.__version__, *sources)


def _render(name: str, context: dict | None) -> str:
    if context is None:
        return ""
    return render_to_string(f"portal/home/_{name}.html", context)


def sections(tab: Tab, *, use_cache: bool = True) -> dict[str, str]:
    """The home page's blocks as HTML fragments (from the cache when nothing changed).

    ``use_cache=False`` renders every block from the database (the benchmark's baseline)."""
    today = timezone.localdate()
    language = translation.get_language() or ""
    fresh = freshness.marker(change_markers(), today, language) if use_cache else ""
    slow = freshness.digest(today, language, timezone.now().hour)
    blocks = {
        # name: (key, time to live, context builder)
        "latest": (f"latest:{tab.key}:{fresh}", FRESH_TTL, lambda: latest_context(tab, today)),
        "interaction": (f"interaction:{fresh}", FRESH_TTL, lambda: interaction_context(today)),
        "figures": (f"figures:{fresh}", FRESH_TTL, lambda: figures_context(today)),
        "tasks": (f"tasks:{slow}", SLOW_TTL, tasks_context),
        "terms": (f"terms:{slow}", SLOW_TTL, lambda: {"terms": search_terms(today)}),
        "popular": (f"popular:{slow}", SLOW_TTL, lambda: popular_context(today)),
        "subtitle": (f"subtitle:{slow}", SLOW_TTL, subtitle_context),
    }
    prefix = f"{CACHE_PREFIX}:{templates_digest()}"
    keys = {name: f"{prefix}:{key}" for name, (key, _ttl, _build) in blocks.items()}
    found = cache.get_many(list(keys.values())) if use_cache else {}
    out = {}
    for name, (_key, ttl, build) in blocks.items():
        key = keys[name]
        if key in found:
            out[name] = found[key]
            continue
        out[name] = _render(name, build())
        if use_cache:
            cache.set(key, out[name], ttl)
    return out

"""Reads of the guides app (the only module other apps import)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from gongkai.core import permissions

from . import geo
from .models import (
    POWER_KINDS,
    Guide,
    GuideKind,
    GuideStat,
    GuideVersion,
    LifeEvent,
    ServicePoint,
    StatKind,
    StepKind,
    SubscriptionTopic,
    VersionState,
)

log = logging.getLogger(__name__)


# --- public guides --------------------------------------------------------------------


def published_guides() -> QuerySet[Guide]:
    return (
        Guide.objects.filter(current__state=VersionState.PUBLISHED)
        .select_related("current", "unit")
        .prefetch_related("wordings")
    )


def public_guide(pk: int) -> Guide | None:
    return published_guides().filter(pk=pk).first()


def guides_by_ids(ids) -> dict[int, Guide]:
    return {g.pk: g for g in published_guides().filter(pk__in=list(ids))}


def power_list(*, unit=None, kind: str = "") -> QuerySet[Guide]:
    """权力清单: every published power by type (with its responsibilities: 责任清单)."""
    qs = published_guides().filter(current__kind__in=POWER_KINDS)
    if kind:
        qs = qs.filter(current__kind=kind)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("current__kind", "unit__sort_order", "current__code")


def public_service_list(*, unit=None) -> QuerySet[Guide]:
    qs = published_guides().filter(current__kind=GuideKind.PUBLIC_SERVICE)
    return (qs.filter(unit=unit) if unit is not None else qs).order_by("unit__sort_order", "current__code")


def visit_list(visits: int, *, unit=None) -> QuerySet[Guide]:
    """不见面 (0 visits) and 见一次面 (1 visit) lists, from the guides' 到现场次数."""
    qs = published_guides().filter(current__visits=visits)
    return (qs.filter(unit=unit) if unit is not None else qs).order_by("unit__sort_order", "current__code")


def guide_units() -> QuerySet:
    from gongkai.core.models import Organisation

    return Organisation.objects.filter(
        pk__in=Guide.objects.filter(current__state=VersionState.PUBLISHED).values("unit")
    ).order_by("sort_order", "name")


# --- search ---------------------------------------------------------------------------

# Question words and function words dropped when a question finds nothing as a whole.
_STOP = set(
    "我 要 想 你 的 了 吗 呢 啊 吧 后 去 在 和 与 及 或 哪些 哪个 哪里 什么 怎么 怎样 如何 需要 需 办理 办 要办 "
    "能 可以 可 是 有 没有 一下 请问 咨询 问 得 地 该 应该 手续 流程 证件".split()
)


@dataclass
class GuideHit:
    guide: Guide
    title_html: str
    snippet_html: str
    score: float


def _backend_search(text: str, *, per_page: int = 20):
    from gongkai.search import SearchQuery, get_backend

    return get_backend().search(SearchQuery(text=text, filters={"kind": ["guide"]}, per_page=per_page))


def content_words(question: str) -> list[str]:
    """The words of a question that carry meaning (rjieba precise mode, question words dropped)."""
    import rjieba

    words = []
    for word in rjieba.cut(question):
        word = word.strip()
        if not word or word in _STOP or not re.search(r"\w", word):
            continue
        if len(word) == 1 and not word.isascii():
            continue
        words.append(word)
    return list(dict.fromkeys(words))


def find_guides(query: str, *, limit: int = 20) -> tuple[list[GuideHit], list[LifeEvent]]:
    """Guides for a query — an everyday name, an official name or a question — and matching life events.

    1. The whole query in 一网通查 (kind ``guide``), which knows everyday names, aliases and the
       shared dictionary.
    2. If nothing matches as a whole, each meaningful word of the question on its own; guides
       found by more words rank first.
    Life events whose title or keywords share a word with the query are returned beside.
    """
    from gongkai.search import SearchUnavailable

    query = (query or "").strip()[:200]
    if not query:
        return [], []
    words = content_words(query) or [query]
    events = events_matching(query, words)
    scores: dict[str, float] = {}
    hits_by_id = {}
    try:
        results = _backend_search(query, per_page=limit)
        batches = [results.hits]
        if not results.hits:
            batches = [_backend_search(w, per_page=limit).hits for w in words]
    except SearchUnavailable:
        log.warning("guides: search unavailable for %r", query)
        return [], events
    for batch in batches:
        for rank, hit in enumerate(batch):
            scores[hit.id] = scores.get(hit.id, 0.0) + 1.0 + 1.0 / (rank + 1)
            hits_by_id.setdefault(hit.id, hit)
    ordered = sorted(scores, key=lambda i: -scores[i])[:limit]
    guides = guides_by_ids(int(i.split(":", 1)[1]) for i in ordered)
    out = []
    for doc_id in ordered:
        guide = guides.get(int(doc_id.split(":", 1)[1]))
        if guide is not None:
            hit = hits_by_id[doc_id]
            out.append(GuideHit(guide, hit.title_html, hit.snippet_html, scores[doc_id]))
    if not out:
        for event in events:
            for step in event.steps.filter(kind=StepKind.GUIDE).select_related("guide__current"):
                if step.guide.current and step.guide.current.state == VersionState.PUBLISHED:
                    out.append(GuideHit(step.guide, step.guide.display_name, step.title, 0.5))
    return out, events


def events_matching(query: str, words: list[str]) -> list[LifeEvent]:
    out = []
    for event in published_events().prefetch_related("steps"):
        names = [event.title, *event.keywords]
        if any(n and (n in query or query in n) for n in names) or any(w in n for w in words for n in names):
            out.append(event)
    return out


def suggestions(prefix: str, limit: int = 8) -> list[str]:
    """Everyday and official names of published guides that start with or contain ``prefix``."""
    prefix = (prefix or "").strip()
    if not prefix:
        return []
    names: list[str] = []
    for guide in published_guides().filter(
        Q(current__name__icontains=prefix) | Q(wordings__everyday_name__icontains=prefix)
    )[:50]:
        wording = guide.wording
        for name in ([wording.everyday_name] if wording else []) + [guide.current.name]:
            if name and prefix in name and name not in names:
                names.append(name)
    names.sort(key=lambda n: (not n.startswith(prefix), len(n)))
    return names[:limit]


# --- service points -------------------------------------------------------------------


def public_points(*, township_id: int | None = None, service: str = "", guide_id: int | None = None):
    qs = ServicePoint.objects.filter(is_active=True).select_related("township", "unit")
    if township_id:
        qs = qs.filter(township_id=township_id)
    if guide_id:
        qs = qs.filter(guides__id=guide_id)
    points = list(qs.order_by("name"))
    if service:
        points = [p for p in points if any(service in s for s in p.services)]
    return points


def point_townships():
    from gongkai.core.models import Organisation

    return Organisation.objects.filter(pk__in=ServicePoint.objects.filter(is_active=True).values("township")).order_by(
        "sort_order", "name"
    )


def point_services() -> list[str]:
    names: set[str] = set()
    for services in ServicePoint.objects.filter(is_active=True).values_list("services", flat=True):
        names.update(services or [])
    return sorted(names)


def nearest(points: list[ServicePoint], lng: float, lat: float) -> list[tuple[ServicePoint, float]]:
    """Points with coordinates sorted by distance (metres) from a WGS-84 position."""
    located = [(p, geo.distance_m(lng, lat, float(p.lng), float(p.lat))) for p in points if p.lng is not None]
    return sorted(located, key=lambda pd: pd[1])


def locate_address(text: str) -> tuple[float, float, str] | None:
    """A typed address → the WGS-84 position of the best-matching known place (no external geocoder).

    Matches service points and townships by name or address; the answer names what was matched,
    so the page can say "以“古市镇便民服务中心”的位置计算".
    """
    text = (text or "").strip()
    if not text:
        return None
    best = None
    for point in ServicePoint.objects.filter(is_active=True, lng__isnull=False).select_related("township"):
        candidates = [point.name, point.address, point.township.name if point.township else ""]
        score = max((_overlap(text, c) for c in candidates if c), default=0)
        if score and (best is None or score > best[0]):
            best = (score, point)
    if best is None:
        return None
    point = best[1]
    return float(point.lng), float(point.lat), point.name


def _overlap(a: str, b: str) -> int:
    """Length of the longest common substring (≥ 2 characters counts)."""
    longest = 0
    for i in range(len(a)):
        for j in range(i + 2, len(a) + 1):
            if a[i:j] in b:
                longest = max(longest, j - i)
            else:
                break
    return longest if longest >= 2 else 0


# --- life events ----------------------------------------------------------------------


def published_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(is_published=True).order_by("sort_order", "pk")


@dataclass
class ResolvedStep:
    order: int
    kind: str
    title: str
    note: str
    url: str
    target: object


def event_steps(event: LifeEvent) -> list[ResolvedStep]:
    """The event's steps with their targets; steps whose target is no longer public are left out."""
    from gongkai.benefits import selectors as benefits
    from gongkai.interaction import selectors as interaction

    steps = list(event.steps.select_related("guide__current", "point").order_by("order"))
    benefit_ids = [s.ref_id for s in steps if s.kind == StepKind.BENEFIT]
    faq_ids = [s.ref_id for s in steps if s.kind == StepKind.FAQ]
    items = benefits.items_by_ids(benefit_ids)
    faqs = {f.pk: f for f in interaction.published_faq().filter(pk__in=faq_ids)}
    out = []
    for s in steps:
        target, url = None, ""
        if s.kind == StepKind.GUIDE and s.guide and s.guide.current and s.guide.current.state == "published":
            target, url = s.guide, s.guide.get_absolute_url()
        elif s.kind == StepKind.POINT and s.point and s.point.is_active:
            target, url = s.point, s.point.get_absolute_url()
        elif s.kind == StepKind.BENEFIT and s.ref_id in items:
            target = items[s.ref_id]
            url = target.get_absolute_url()
        elif s.kind == StepKind.FAQ and s.ref_id in faqs:
            from django.urls import reverse

            target, url = faqs[s.ref_id], reverse("interaction:faq-detail", args=[s.ref_id])
        elif s.kind == StepKind.NOTE:
            target = s
        if target is not None:
            out.append(ResolvedStep(len(out) + 1, s.kind, s.title, s.note, url, target))
    return out


def events_for_guide(guide: Guide) -> list[LifeEvent]:
    return list(published_events().filter(steps__guide=guide).distinct())


# --- digests --------------------------------------------------------------------------


def guides_published_since(sub, since: dt.datetime) -> QuerySet[Guide]:
    qs = published_guides().filter(current__published_at__gt=since)
    if sub.topic == SubscriptionTopic.EVENT:
        qs = qs.filter(event_steps__event=sub.event)
    elif sub.topic == SubscriptionTopic.UNIT:
        qs = qs.filter(unit=sub.unit)
    else:
        qs = qs.filter(theme__icontains=sub.domain)
    return qs.distinct()[:50]


def benefits_published_since(sub, since: dt.datetime) -> list:
    from gongkai.benefits import selectors as benefits

    if sub.topic == SubscriptionTopic.EVENT:
        ids = sub.event.steps.filter(kind=StepKind.BENEFIT).values_list("ref_id", flat=True)
        return benefits.items_published_since(since, item_ids=ids)
    if sub.topic == SubscriptionTopic.UNIT:
        return benefits.items_published_since(since, unit=sub.unit)
    return []


def publications_published_since(sub, since: dt.datetime) -> list:
    try:
        from gongkai.publications import selectors as publications
    except ImportError:
        return []
    if sub.topic == SubscriptionTopic.UNIT:
        return list(publications.published(unit=sub.unit).filter(published_at__gt=since)[:50])
    if sub.topic == SubscriptionTopic.DOMAIN:
        from gongkai.catalogue import selectors as catalogue

        domain = catalogue.public_domains().filter(name=sub.domain).first()
        if domain is None:
            return []
        return list(publications.published(domain=domain).filter(published_at__gt=since)[:50])
    return []


def subscription_domains() -> list[str]:
    try:
        from gongkai.catalogue import selectors as catalogue
    except ImportError:
        return []
    return list(catalogue.public_domains().values_list("name", flat=True))


# --- staff ----------------------------------------------------------------------------


def staff_guides(user, *, state: str = "", q: str = "", incomplete: bool = False) -> QuerySet[Guide]:
    qs = permissions.scope(Guide.objects.select_related("unit", "current"), user).prefetch_related("versions")
    if q:
        qs = qs.filter(Q(versions__name__icontains=q) | Q(code__icontains=q)).distinct()
    if state:
        qs = qs.filter(versions__state=state).distinct()
    if incomplete:
        qs = qs.filter(versions__flagged_incomplete=True).distinct()
    return qs.order_by("-updated_at")


def staff_version(user, pk: int) -> GuideVersion | None:
    version = GuideVersion.objects.select_related("guide__unit", "guide__current").filter(pk=pk).first()
    if version is None or not permissions.can_view(user, version.guide.unit):
        return None
    return version


def staff_points(user) -> QuerySet[ServicePoint]:
    return permissions.scope(ServicePoint.objects.select_related("township", "unit"), user).order_by("name")


def staff_events(user) -> QuerySet[LifeEvent]:
    return permissions.scope(LifeEvent.objects.all(), user).order_by("sort_order")


def queue_counts(user) -> dict[str, int]:
    versions = permissions.scope(GuideVersion.objects.all(), user, unit_field="guide__unit")
    return {
        "review": versions.filter(state=VersionState.REVIEW).count(),
        "incomplete": versions.filter(state=VersionState.DRAFT, flagged_incomplete=True).count(),
        "drafts": versions.filter(state=VersionState.DRAFT).count(),
    }


def statistics(*, since: dt.date, until: dt.date, limit: int = 10) -> dict:
    """Most viewed guides and events, searches that found no guide, matcher use (office statistics)."""

    def top(kind: str):
        rows = (
            GuideStat.objects.filter(kind=kind, day__gte=since, day__lte=until)
            .values("key")
            .annotate(total=Sum("count"))
            .order_by("-total", "key")[:limit]
        )
        return [(r["key"], r["total"]) for r in rows]

    guide_rows = top(StatKind.GUIDE_VIEW)
    guides = guides_by_ids(int(k) for k, _n in guide_rows if k.isdigit())
    events = {e.slug: e for e in LifeEvent.objects.filter(slug__in=[k for k, _n in top(StatKind.EVENT_VIEW)])}
    matcher_total = (
        GuideStat.objects.filter(kind=StatKind.MATCHER, day__gte=since, day__lte=until).aggregate(t=Sum("count"))["t"]
        or 0
    )
    return {
        "guides": [(guides.get(int(k)), n) for k, n in guide_rows if k.isdigit() and int(k) in guides],
        "events": [(events.get(k), n) for k, n in top(StatKind.EVENT_VIEW) if k in events],
        "missed": top(StatKind.MISSED_SEARCH),
        "matcher": top(StatKind.MATCHER),
        "matcher_total": matcher_total,
    }

"""Public search page (一网通查) and the suggestion endpoint for its query box."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from . import analysis, labels, registry, selectors, services
from .backends import SearchUnavailable, get_backend
from .forms import SearchForm
from .types import FACET_KEYS

log = logging.getLogger(__name__)

PER_PAGE = 20
STATUS_BADGE = {"有效": "ok", "失效": "danger", "尚未生效": "warn", "已修改": "warn", "已撤回": "danger"}


def search_rate(group=None, request=None) -> str:
    return getattr(settings, "GONGKAI_SEARCH_RATE", "120/m")


def suggest_rate(group=None, request=None) -> str:
    return getattr(settings, "GONGKAI_SUGGEST_RATE", "600/m")


# The 来源 (kind) facet first: one search covers publications, FAQ, appeals, consultations …
FACET_ORDER = ("kind", *[k for k in FACET_KEYS if k != "kind"])


def _facet_groups(results, filters: dict[str, list[str]]) -> list[dict]:
    groups = []
    for key in FACET_ORDER:
        chosen = filters.get(key, [])
        items = list(results.facets.get(key, [])) if results else []
        present = {v for v, _ in items}
        items += [(v, 0) for v in chosen if v not in present]
        if not items:
            continue
        groups.append(
            {
                "key": key,
                "title": labels.FACET_TITLES[key],
                "items": [
                    {"value": v, "label": labels.label(key, v), "count": c, "checked": v in chosen} for v, c in items
                ],
            }
        )
    return groups


@require_GET
@ratelimit(key="ip", rate=search_rate, block=False)
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "results": None, "error": None, "facet_groups": [], "hits": []}
    status = 200
    if getattr(request, "limited", False):
        context["error"] = _("检索过于频繁，请稍后再试。")
        return render(request, "search/search.html", context, status=429)
    if request.GET and not form.is_valid():
        # htmx swaps only 2xx responses: show the message in place for live updates.
        status = 200 if request.headers.get("HX-Request") else 400
    else:
        if not request.GET:
            form = SearchForm({})
            form.is_valid()
            context["form"] = form
        q = form.to_query(per_page=PER_PAGE)
        try:
            results = services.run_search(q, use_cache=True, visitor=services.visitor_of(request))
        except SearchUnavailable as exc:
            log.error("search unavailable: %s", exc)
            context["error"] = _("检索服务暂时不可用，请稍后再试。")
            return render(request, "search/search.html", context, status=503)
        paginator = Paginator(range(min(results.total, PER_PAGE * 500)), PER_PAGE)
        page = paginator.get_page(q.page) if results.total else None
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            results=results,
            query=q,
            hits=[
                {
                    "hit": h,
                    "badge": STATUS_BADGE.get(h.document.status, ""),
                    "type_label": labels.label("type", h.document.doc_type),
                }
                for h in results.hits
            ],
            facet_groups=_facet_groups(results, q.filters),
            page=page,
            page_query=params.urlencode(),
            browsing=not q.text.strip(),
            has_filters=bool(q.filters or q.date_from or q.date_to),
            parsed=results.parsed,
            help=results.help,
            kind_links=[(label, url) for _kind, label, url in registry.kinds() if url],
            max_length=analysis.MAX_QUERY_LENGTH,
        )
    since = timezone.localdate() - timezone.timedelta(days=30)
    context["top_terms"] = selectors.top_terms(since, 10)
    return render(request, "search/search.html", context, status=status)


@require_GET
@ratelimit(key="ip", rate=suggest_rate, block=False)
def suggest(request):
    """Suggestions for the query box: titles (by characters or pinyin) and popular terms.
    JSON by default; a <datalist> fragment for htmx."""
    prefix = (request.GET.get("q") or "").strip()[:50]
    suggestions: list[str] = []
    if prefix and not getattr(request, "limited", False):
        suggestions = selectors.popular_terms_with_prefix(prefix, 3)
        try:
            for title in get_backend().suggest(prefix, 8):
                if title not in suggestions:
                    suggestions.append(title)
        except SearchUnavailable:
            pass
        suggestions = suggestions[:8]
    if request.headers.get("HX-Request"):
        return render(request, "search/_suggestions.html", {"suggestions": suggestions})
    return JsonResponse({"q": prefix, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})

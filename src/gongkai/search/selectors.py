"""Read-side helpers for other apps (reports) and the portal.

Every list of visitors' search terms shown publicly goes through :func:`top_terms` or
:func:`popular_terms_with_prefix`, which return only *public* terms: qualified (enough visitors
on enough days, see :class:`~gongkai.search.models.SearchTerm`), not hidden by staff, and passing
the personal-data and sensitive-word screening at the time they are shown.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, Sum

from gongkai.core import privacy

from .models import SearchLog, SearchTerm


def _public_queries():
    return SearchTerm.objects.filter(qualified_on__isnull=False, hidden_at__isnull=True).values("query")


def _screened(rows, limit: int) -> list[tuple[str, int]]:
    out = []
    for query, total in rows:
        if privacy.publishable_term(query):
            out.append((query, total))
            if len(out) >= limit:
                break
    return out


def top_terms(
    since: date | None = None, limit: int = 20, until: date | None = None, *, public_only: bool = True
) -> list[tuple[str, int]]:
    """Most searched normalised terms since ``since`` (inclusive): ``[(term, count), ...]``.
    Only public terms unless ``public_only=False`` (staff pages)."""
    qs = SearchLog.objects.all()
    if since:
        qs = qs.filter(day__gte=since)
    if until:
        qs = qs.filter(day__lte=until)
    if public_only:
        qs = qs.filter(query__in=_public_queries())
    rows = qs.values("query").annotate(total=Sum("count")).order_by("-total", "query")
    if not public_only:
        return [(r["query"], r["total"]) for r in rows[:limit]]
    return _screened(((r["query"], r["total"]) for r in rows[: limit * 3 + 10]), limit)


def popular_terms_with_prefix(prefix: str, limit: int = 5) -> list[str]:
    from .services import normalise_term

    term = normalise_term(prefix)
    if not term:
        return []
    rows = (
        SearchLog.objects.filter(query__startswith=term, query__in=_public_queries())
        .values("query")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")
    )
    return [q for q, _n in _screened(((r["query"], r["total"]) for r in rows[: limit * 3 + 10]), limit)]


def search_terms_for_staff(*, q: str = "", state: str = ""):
    """Every recorded term with its evidence, for the workbench (not public)."""
    qs = SearchTerm.objects.select_related("hidden_by")
    if q:
        qs = qs.filter(query__icontains=q)
    if state == "hidden":
        qs = qs.filter(hidden_at__isnull=False)
    elif state == "public":
        qs = qs.filter(qualified_on__isnull=False, hidden_at__isnull=True)
    elif state == "pending":
        qs = qs.filter(Q(qualified_on__isnull=True))
    return qs.order_by("-last_day", "-visitor_days", "query")


def term_state(term: SearchTerm) -> str:
    """ "hidden" | "screened" (fails screening) | "public" | "pending" (below the thresholds)."""
    if term.hidden_at:
        return "hidden"
    if not privacy.publishable_term(term.query):
        return "screened"
    return "public" if term.qualified_on else "pending"

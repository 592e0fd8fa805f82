"""Read-side helpers for other apps (reports) and the portal."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum

from .models import SearchLog


def top_terms(since: date | None = None, limit: int = 20, until: date | None = None) -> list[tuple[str, int]]:
    """Most searched normalised terms since ``since`` (inclusive): ``[(term, count), ...]``."""
    qs = SearchLog.objects.all()
    if since:
        qs = qs.filter(day__gte=since)
    if until:
        qs = qs.filter(day__lte=until)
    rows = qs.values("query").annotate(total=Sum("count")).order_by("-total", "query")[:limit]
    return [(r["query"], r["total"]) for r in rows]


def popular_terms_with_prefix(prefix: str, limit: int = 5) -> list[str]:
    from .services import normalise_term

    term = normalise_term(prefix)
    if not term:
        return []
    rows = (
        SearchLog.objects.filter(query__startswith=term)
        .values("query")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")[:limit]
    )
    return [r["query"] for r in rows]

"""Public 双公示 pages: lists and details of records on display (natural persons masked,
ID numbers never shown)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .models import State

PAGE_SIZE = 20


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def index(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in ("licence", "penalty") else "penalty"
    q = (request.GET.get("q") or "").strip()[:100]
    unit = _int(request.GET.get("unit"))
    year = _int(request.GET.get("year"))
    qs = selectors.public_search(kind, q=q, unit=unit, year=year)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"kind": kind, "q": q, "unit": unit or "", "year": year or ""}.items() if v})
    return render(
        request,
        "credit/public/index.html",
        {
            "kind": kind,
            "q": q,
            "unit": unit,
            "year": year,
            "page": page,
            "query": query,
            "units": selectors.public_units(kind),
            "counts": selectors.public_counts(),
        },
    )


def _detail(request, kind: str, pk: int):
    record = selectors.public_records(kind).filter(pk=pk).first()
    if record is None:
        raise Http404
    return render(request, f"credit/public/{kind}.html", {"r": record, "kind": kind, "State": State})


@require_GET
def licence(request, pk: int):
    return _detail(request, "licence", pk)


@require_GET
def penalty(request, pk: int):
    return _detail(request, "penalty", pk)

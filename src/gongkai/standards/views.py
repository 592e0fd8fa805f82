"""Public pages: the standard systems, one system's GB/T 24421 tree with counts by level, a standard."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gongkai.core import uploads

from . import selectors
from .models import Level, Standard, Status


@require_GET
def index(request):
    systems = [{"system": s, "levels": selectors.level_counts(s)} for s in selectors.public_systems()]
    if len(systems) == 1:
        return system_page(request, systems[0]["system"].pk)
    return render(request, "standards/public/index.html", {"systems": systems, "Level": Level})


@require_GET
def system(request, pk: int):
    return system_page(request, pk)


def system_page(request, pk: int):
    system = get_object_or_404(selectors.public_systems(), pk=pk)
    status = request.GET.get("status", "")
    level = request.GET.get("level", "")
    counts = selectors.level_counts(system)
    return render(
        request,
        "standards/public/system.html",
        {
            "system": system,
            "tree": selectors.tree(system, status=status, level=level),
            "counts": [(value, label, counts[value]) for value, label in Level.choices],
            "total": sum(counts.values()),
            "status": status,
            "level": level,
            "statuses": Status.choices,
            "levels": Level.choices,
        },
    )


def _public_standard(pk: int) -> Standard:
    return get_object_or_404(
        Standard.objects.filter(system__in=selectors.public_systems()).select_related("system__unit", "node"), pk=pk
    )


@require_GET
def standard(request, pk: int):
    return render(request, "standards/public/standard.html", {"s": _public_standard(pk)})


@require_GET
def attachment(request, pk: int):
    s = _public_standard(pk)
    if not s.attachment or not default_storage.exists(s.attachment.name):
        raise Http404
    response = FileResponse(default_storage.open(s.attachment.name, "rb"))
    response["Content-Disposition"] = uploads.content_disposition(s.attachment_name or "standard.pdf")
    return response

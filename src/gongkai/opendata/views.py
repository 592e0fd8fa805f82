"""Public open-data pages: the catalogue with search and facets, a dataset with its resources
and previews, counted downloads, and JSON row access for tabular resources."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.core import uploads

from . import files, selectors, services
from .models import Resource, Theme

PAGE_SIZE = 20
ROWS_MAX = 1000


@require_GET
def index(request):
    q = (request.GET.get("q") or "").strip()[:100]
    extra = {}
    for key in ("organization", "tags", "res_format", "groups"):
        value = (request.GET.get(key) or "").strip()[:100]
        if value:
            extra[key] = [value]
    qs = selectors.search(q, extra=extra)
    page = Paginator(selectors.with_details(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"q": q, **{k: v[0] for k, v in extra.items()}})
    facet_values = selectors.facets(qs, ["organization", "groups", "res_format", "tags"], limit=15)
    labels = {
        "organization": {selectors.org_name(u): u.name for u in selectors.publishing_units()},
        "groups": {t.name: t.title for t in Theme.objects.all()},
    }
    facet_lists = {
        key: [(name, labels.get(key, {}).get(name, name), n) for name, n in values.items()]
        for key, values in facet_values.items()
    }
    return render(
        request,
        "opendata/public/index.html",
        {
            "q": q,
            "page": page,
            "query": query,
            "selected": {k: v[0] for k, v in extra.items()},
            "facets": facet_lists,
            "total": selectors.public_datasets().count(),
        },
    )


def _dataset(name: str):
    dataset = selectors.with_details(selectors.public_datasets()).filter(name=name).first()
    if dataset is None:
        raise Http404
    return dataset


@require_GET
def dataset(request, name: str):
    d = _dataset(name)
    return render(request, "opendata/public/dataset.html", {"d": d, "resources": list(d.resources.all())})


def _resource(name: str, pk: int) -> Resource:
    d = _dataset(name)
    return get_object_or_404(Resource.objects.select_related("dataset"), pk=pk, dataset=d)


@require_GET
def download(request, name: str, pk: int):
    resource = _resource(name, pk)
    number = request.GET.get("version")
    if resource.url:
        services.count_download(resource, None)
        return HttpResponseRedirect(resource.url)
    versions = resource.versions.all()
    version = versions.filter(number=int(number)).first() if (number or "").isdigit() else versions.first()
    if version is None or not default_storage.exists(version.file.name):
        raise Http404
    services.count_download(resource, version)
    response = FileResponse(default_storage.open(version.file.name, "rb"), content_type=version.mimetype)
    response["Content-Disposition"] = uploads.content_disposition(version.filename)
    response["Content-Length"] = str(version.size)
    response["Digest"] = f"sha-256={version.sha256}"
    return response


@require_GET
def rows(request, name: str, pk: int):
    """Tabular data as JSON: ``?limit=`` (≤ 1000), ``offset``; fields and total as in CKAN's datastore."""
    resource = _resource(name, pk)
    if not resource.is_tabular or resource.url:
        return JsonResponse({"error": _("该资源不是表格数据")}, status=404, json_dumps_params={"ensure_ascii": False})
    try:
        limit = min(max(int(request.GET.get("limit", 100)), 0), ROWS_MAX)
        offset = max(int(request.GET.get("offset", 0)), 0)
    except ValueError:
        return JsonResponse(
            {"error": _("limit 和 offset 应为整数")}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return JsonResponse(table_page(resource, limit, offset), json_dumps_params={"ensure_ascii": False})


def table_page(resource: Resource, limit: int, offset: int) -> dict:
    version = resource.versions.first()
    header, data = files.table(version, resource.format)
    records = [dict(zip(header, row, strict=False)) for row in data[offset : offset + limit]]
    return {
        "resource_id": str(resource.uuid),
        "fields": [{"id": h, "type": "text"} for h in header],
        "records": records,
        "total": len(data),
        "limit": limit,
        "offset": offset,
        "version": version.number,
    }

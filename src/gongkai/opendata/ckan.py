"""A CKAN-compatible read API at ``/api/3/action/<name>`` (the CKAN Action API, version 3),
enough for CKAN harvesters and the ``ckanapi`` client:

``package_list``, ``package_search`` (q, fq on organization/tags/res_format/groups, rows ≤ 1000,
start, sort, facet.field), ``package_show``, ``organization_list``, ``organization_show``,
``group_list``, ``group_show``, ``tag_list``, ``license_list``, ``status_show``, ``help_show``.

Answers have CKAN's shape ``{"help": url, "success": true, "result": …}``; errors
``{"help", "success": false, "error": {"__type", "message" | field: [messages]}}`` with CKAN's
status codes: 400 (bad request: unknown action, malformed JSON), 403 (write actions: this API is
read-only), 404 (not found), 409 (validation or search-query errors). Parameters come from the
query string (GET) or a JSON or form body (POST), as CKAN accepts them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import selectors
from .models import DataLicence, Dataset, Frequency, OpenType, Theme

ROWS_MAX = 1000
CKAN_VERSION = "2.10.4"


class CkanError(Exception):
    status = 400
    type = "Bad Request"

    def __init__(self, message: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message or "")
        self.message = message
        self.fields = fields or {}

    def body(self) -> dict:
        error: dict[str, Any] = {"__type": self.type}
        if self.message:
            error["message"] = self.message
        error.update(self.fields)
        return error


class NotFound(CkanError):
    status, type = 404, "Not Found Error"


class ValidationFailed(CkanError):
    status, type = 409, "Validation Error"


class SearchQueryError(CkanError):
    status, type = 409, "Search Query Error"


class NotAuthorized(CkanError):
    status, type = 403, "Authorization Error"


# --- serialisation ------------------------------------------------------------------------


def _utc(value) -> str | None:
    """CKAN's timestamps: naive UTC ISO 8601 with microseconds."""
    if value is None:
        return None
    import datetime as dt

    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat()


def organization_dict(unit, *, package_count: int | None = None) -> dict:
    name = selectors.org_name(unit)
    data = {
        "id": name,
        "name": name,
        "title": unit.name,
        "display_name": unit.name,
        "description": unit.address or "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": _utc(unit.created_at),
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(theme: Theme, *, package_count: int | None = None) -> dict:
    data = {
        "id": theme.name,
        "name": theme.name,
        "title": theme.title,
        "display_name": theme.title,
        "description": theme.description,
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": _utc(theme.created_at),
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(resource, request, dataset: Dataset) -> dict:
    url = resource.url or request.build_absolute_uri(resource.download_url())
    return {
        "id": str(resource.uuid),
        "package_id": str(dataset.uuid),
        "name": resource.name,
        "description": resource.description,
        "url": url,
        "format": resource.format,
        "mimetype": resource.mimetype or None,
        "size": resource.size,
        "hash": f"sha256:{resource.sha256}" if resource.sha256 else "",
        "created": _utc(resource.created_at),
        "last_modified": _utc(resource.modified_at),
        "metadata_modified": _utc(resource.modified_at),
        "position": resource.position,
        "state": "active",
        "url_type": "upload" if resource.is_upload else None,
        "datastore_active": resource.is_tabular,
        "download_count": resource.download_count,
    }


def _related(dataset: Dataset, name: str) -> list:
    """Related objects from the prefetch cache when :func:`selectors.with_details` filled it
    (without building a related manager per dataset), else from the database."""
    cache = getattr(dataset, "_prefetched_objects_cache", {})
    if name in cache:
        return list(cache[name])
    return list(getattr(dataset, name).all())


def _label(choices, value: str) -> str:
    """``get_FOO_display()`` without casting every label of the field (one translation)."""
    label = dict(choices.choices).get(value)
    return value if label is None else str(label)


def package_dict(dataset: Dataset, request) -> dict:
    unit = dataset.unit
    tags = sorted(_related(dataset, "tags"), key=lambda t: t.name)
    resources = _related(dataset, "resources")
    extras = {
        "identifier": dataset.identifier,
        "domain": dataset.domain,
        "update_frequency": _label(Frequency, dataset.update_frequency),
        "open_type": _label(OpenType, dataset.open_type),
        "access_conditions": dataset.access_conditions,
        "spatial_text": dataset.spatial,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "publisher_credit_code": unit.credit_code,
        "download_count": str(dataset.download_count),
    }
    return {
        "id": str(dataset.uuid),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "license_id": dataset.licence_id,
        "license_title": dataset.licence.title,
        "license_url": dataset.licence.url,
        "isopen": dataset.licence.is_open,
        "metadata_created": _utc(dataset.created_at),
        "metadata_modified": _utc(dataset.modified_at),
        "owner_org": selectors.org_name(unit),
        "organization": organization_dict(unit),
        "author": unit.name,
        "author_email": "",
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "url": request.build_absolute_uri(dataset.get_absolute_url()),
        "version": "",
        "tags": [
            {"id": str(t.pk), "name": t.name, "display_name": t.name, "state": "active", "vocabulary_id": None}
            for t in tags
        ],
        "num_tags": len(tags),
        "groups": [group_dict(t) for t in _related(dataset, "themes")],
        "resources": [resource_dict(r, request, dataset) for r in resources],
        "num_resources": len(resources),
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


# --- parameters ---------------------------------------------------------------------------


def _int(params: dict, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = params.get(name, default)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={name: ["Invalid integer"]}) from None
    if number < minimum:
        raise ValidationFailed(fields={name: ["Must be a natural number"]})
    if maximum is not None and number > maximum:
        raise ValidationFailed(fields={name: [f"Must be less than or equal to {maximum}"]})
    return number


def _bool(params: dict, name: str, default: bool = False) -> bool:
    value = params.get(name, default)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1", "yes", "on")


def _id(params: dict) -> str:
    value = params.get("id") or params.get("name_or_id") or params.get("name")
    if not value or not isinstance(value, str | int):
        raise ValidationFailed(fields={"id": ["Missing value"]})
    return str(value)


# --- actions --------------------------------------------------------------------------------


def package_list(request, params):
    """Names of all public datasets (``limit``, ``offset``)."""
    limit = _int(params, "limit", 0, maximum=ROWS_MAX) if "limit" in params else None
    offset = _int(params, "offset", 0)
    qs = selectors.public_datasets().order_by("name").values_list("name", flat=True)
    return list(qs[offset : offset + limit] if limit else qs[offset:])


def package_search(request, params):
    """Search datasets: ``q``, ``fq``, ``rows`` (≤ 1000), ``start``, ``sort``, ``facet.field``."""
    rows = _int(params, "rows", 10, maximum=ROWS_MAX)
    start = _int(params, "start", 0)
    try:
        qs = selectors.search(str(params.get("q") or ""), str(params.get("fq") or ""), str(params.get("sort") or ""))
    except selectors.SearchError as exc:
        raise SearchQueryError(f"Search Query is invalid: {exc}") from None
    count = qs.count()
    page = list(selectors.with_details(qs)[start : start + rows]) if rows else []
    facet_fields = params.get("facet.field") or []
    if isinstance(facet_fields, str):
        try:
            facet_fields = json.loads(facet_fields)
        except json.JSONDecodeError:
            raise ValidationFailed(fields={"facet.field": ["Invalid JSON list"]}) from None
    if not isinstance(facet_fields, list):
        raise ValidationFailed(fields={"facet.field": ["Must be a list"]})
    facets = selectors.facets(qs, [f for f in facet_fields if isinstance(f, str)])
    return {
        "count": count,
        "sort": params.get("sort") or "score desc, metadata_modified desc",
        "results": [package_dict(d, request) for d in page],
        "facets": facets,
        "search_facets": {
            name: {"title": name, "items": [{"name": k, "display_name": k, "count": n} for k, n in values.items()]}
            for name, values in facets.items()
        },
    }


def _get_dataset(ref: str) -> Dataset:
    qs = selectors.with_details(selectors.public_datasets())
    dataset = qs.filter(name=ref).first()
    if dataset is None:
        import uuid

        try:
            dataset = qs.filter(uuid=uuid.UUID(ref)).first()
        except ValueError:
            dataset = None
    if dataset is None:
        raise NotFound("Not found")
    return dataset


def package_show(request, params):
    """One public dataset by ``id`` (UUID) or name."""
    return package_dict(_get_dataset(_id(params)), request)


def organization_list(request, params):
    """Publishers with public datasets: names, or dicts with ``all_fields``."""
    units = list(selectors.publishing_units())
    if _bool(params, "all_fields"):
        counts = dict(selectors.public_datasets().order_by().values_list("unit_id").annotate(n=Count("pk")))
        return [organization_dict(u, package_count=counts.get(u.pk, 0)) for u in units]
    return [selectors.org_name(u) for u in units]


def organization_show(request, params):
    unit = selectors.unit_by_org_name(_id(params))
    if unit is None or not selectors.public_datasets().filter(unit=unit).exists():
        raise NotFound("Not found")
    qs = selectors.public_datasets().filter(unit=unit)
    data = organization_dict(unit, package_count=qs.count())
    if _bool(params, "include_datasets"):
        data["packages"] = [package_dict(d, request) for d in selectors.with_details(qs.order_by("name"))[:ROWS_MAX]]
    return data


def group_list(request, params):
    themes = Theme.objects.all()
    if _bool(params, "all_fields"):
        return [group_dict(t, package_count=selectors.public_datasets().filter(themes=t).count()) for t in themes]
    return [t.name for t in themes]


def group_show(request, params):
    theme = Theme.objects.filter(name=_id(params)).first()
    if theme is None:
        raise NotFound("Not found")
    return group_dict(theme, package_count=selectors.public_datasets().filter(themes=theme).count())


def tag_list(request, params):
    tags = selectors.public_tags(str(params.get("query") or ""))
    if _bool(params, "all_fields"):
        return [{"id": name, "name": name, "display_name": name, "vocabulary_id": None} for name in tags]
    return tags


def license_list(request, params):
    return [
        {
            "id": lic.id,
            "title": lic.title,
            "url": lic.url,
            "od_conformance": "approved" if lic.is_open else "not reviewed",
            "osd_conformance": "not reviewed",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "status": "active",
            "maintainer": "",
            "family": "",
            "is_generic": False,
        }
        for lic in DataLicence.objects.all()
    ]


def status_show(request, params):
    return {
        "site_title": f"{settings.GONGKAI_SITE_NAME} · 数据开放",
        "site_description": "政府数据开放目录（CKAN 兼容只读接口）",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "zh_Hans_CN",
        "extensions": ["gongkai-readonly", "dcat"],
    }


def datastore_search(request, params):
    """Rows of a tabular resource (``resource_id``, ``limit`` ≤ 1000, ``offset``), as CKAN's DataStore."""
    import uuid

    from .models import Resource
    from .views import table_page

    ref = str(params.get("resource_id") or params.get("id") or "")
    try:
        key = uuid.UUID(ref)
    except ValueError:
        raise NotFound("Not found") from None
    resource = Resource.objects.filter(uuid=key, dataset__in=selectors.public_datasets()).first()
    if resource is None or resource.url or not resource.is_tabular:
        raise NotFound("Not found")
    limit = _int(params, "limit", 100, maximum=ROWS_MAX)
    offset = _int(params, "offset", 0)
    return table_page(resource, limit, offset)


def help_show(request, params):
    name = str(params.get("name") or "")
    fn = ACTIONS.get(name)
    if fn is None:
        raise NotFound("Not found")
    return (fn.__doc__ or "").strip()


ACTIONS: dict[str, Callable] = {
    fn.__name__: fn
    for fn in (
        package_list,
        package_search,
        package_show,
        organization_list,
        organization_show,
        group_list,
        group_show,
        tag_list,
        license_list,
        status_show,
        help_show,
        datastore_search,
    )
}
WRITE_PREFIXES = (
    "package_create",
    "package_update",
    "package_patch",
    "package_delete",
    "resource_",
    "organization_create",
    "organization_update",
    "organization_delete",
    "group_create",
    "group_update",
    "group_delete",
    "user_",
    "datastore_upsert",
)


# --- the view -------------------------------------------------------------------------------


def _params(request) -> dict:
    params: dict[str, Any] = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
            params.update({k: request.POST.get(k) for k in request.POST})
        elif request.body:
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CkanError(f"Bad request - JSON Error: {exc}") from None
            if not isinstance(body, dict):
                raise CkanError("Bad request - JSON Error: Request data JSON decoded to a non-dictionary")
            params.update(body)
    return params


def _respond(request, name: str, payload: dict, status: int = 200) -> JsonResponse:
    help_url = request.build_absolute_uri("/api/3/action/help_show") + f"?name={name}"
    response = JsonResponse({"help": help_url, **payload}, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
@require_http_methods(["GET", "POST", "OPTIONS"])
def action(request, name: str):
    if request.method == "OPTIONS":
        response = JsonResponse({})
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        return response
    try:
        fn = ACTIONS.get(name)
        if fn is None:
            if name.startswith(WRITE_PREFIXES):
                raise NotAuthorized(f"Access denied: {name} is not available on this read-only catalogue")
            raise CkanError(f"Bad request - Action name not known: {name}")
        result = fn(request, _params(request))
    except CkanError as exc:
        return _respond(request, name, {"success": False, "error": exc.body()}, status=exc.status)
    return _respond(request, name, {"success": True, "result": result})

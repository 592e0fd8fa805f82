"""A tiny page-view counter for public pages of records owned by other apps.

The catalogue app keeps no view counter, and the "most viewed catalogue items" heat list
(Haizhu's e导通) needs one. Rather than editing the catalogue's views or the shared middleware
list, this module listens to Django's ``request_started`` signal: for a GET of a public URL whose
route name is in :data:`COUNTED_ROUTES`, it adds one to a per-day counter row (:class:`PageView`)
— counts only, nothing about the visitor. Crawlers (by User-Agent) and staff pages are ignored,
and a failure never affects the page itself.
"""

from __future__ import annotations

import logging
import re

from django.core.signals import request_started
from django.db.models import F
from django.urls import Resolver404, resolve
from django.utils import timezone

log = logging.getLogger(__name__)

# route name -> (object type, URL kwarg carrying the record id, model label or "")
COUNTED_ROUTES: dict[str, tuple[str, str, str]] = {
    "catalogue:item": ("catalogue.item", "pk", "catalogue.UnitItem"),
    "publications:detail": ("publications.publication", "pk", "publications.Publication"),
}
_BOT = re.compile(r"bot|spider|crawl|slurp|curl|wget|python-requests|httpx", re.I)


def record_view(object_type: str, object_id) -> None:
    from .models import PageView

    day = timezone.localdate()
    updated = PageView.objects.filter(object_type=object_type, object_id=str(object_id), day=day).update(
        count=F("count") + 1
    )
    if not updated:
        obj, created = PageView.objects.get_or_create(
            object_type=object_type, object_id=str(object_id), day=day, defaults={"count": 1}
        )
        if not created:
            PageView.objects.filter(pk=obj.pk).update(count=F("count") + 1)


def _on_request(sender, environ=None, scope=None, **kwargs):
    try:
        if environ is None:
            return
        if environ.get("REQUEST_METHOD") != "GET":
            return
        path = environ.get("PATH_INFO", "")
        if path.startswith(("/workbench/", "/staff/", "/api/", "/static/", "/admin/")):
            return
        if _BOT.search(environ.get("HTTP_USER_AGENT", "")) or environ.get("HTTP_PURPOSE") == "prefetch":
            return
        try:
            match = resolve(path)
        except Resolver404:
            return
        route = COUNTED_ROUTES.get(match.view_name)
        if route is None:
            return
        object_type, kwarg, model_label = route
        object_id = match.kwargs.get(kwarg)
        if object_id is None:
            return
        if model_label:
            from django.apps import apps

            model = apps.get_model(model_label)
            if not model.objects.filter(pk=object_id).exists():
                return
        record_view(object_type, object_id)
    except Exception:  # never break a page because of a counter
        log.warning("page view not counted", exc_info=True)


def connect() -> None:
    request_started.connect(_on_request, dispatch_uid="gongkai.reports.pageviews")

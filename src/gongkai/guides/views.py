"""Public pages: guides (search, detail, short guide PDF), lists, service-point map, life events, subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from gongkai.core import workdays
from gongkai.core.models import Organisation

from . import selectors, services, shortguide
from .forms import LocateForm, SubscribeForm
from .models import POWER_KINDS, GuideKind, LifeEvent, ServicePoint, StatKind, SubscriptionTopic


@require_GET
def index(request):
    q = (request.GET.get("q") or "").strip()[:200]
    hits, events = ([], [])
    if q:
        hits, events = selectors.find_guides(q)
        if not hits:
            services.stat_hit(StatKind.MISSED_SEARCH, q.lower())
    context = {
        "q": q,
        "hits": hits,
        "matched_events": events,
        "events": selectors.published_events()[:12],
        "units": selectors.guide_units(),
        "recent": [] if q else selectors.published_guides().order_by("-current__published_at")[:10],
    }
    return render(request, "guides/index.html", context)


@require_GET
def suggest(request):
    return JsonResponse({"suggestions": selectors.suggestions(request.GET.get("q", "")[:50])})


def _expected_finish(version):
    """If accepted today, the promised finishing date (working days on the holiday calendar)."""
    if version.promised_limit_days is None:
        return None
    try:
        return workdays.add_working_days(timezone.localdate(), version.promised_limit_days)
    except workdays.CalendarMissing:
        return None


@require_GET
def detail(request, pk: int):
    guide = selectors.public_guide(pk)
    if guide is None:
        raise Http404(_("该办事指南不存在或已停用"))
    services.guide_viewed(guide)
    from gongkai.benefits import selectors as benefits

    version = guide.current
    wording = guide.wording
    context = {
        "guide": guide,
        "v": version,
        "wording": wording,
        "plain": wording.plain if wording else {},
        "finish_by": _expected_finish(version),
        "points": guide.points.filter(is_active=True),
        "events": selectors.events_for_guide(guide),
        "benefits": benefits.items_for_guide(guide.pk),
    }
    return render(request, "guides/detail.html", context)


@require_GET
def short_guide(request, pk: int):
    guide = selectors.public_guide(pk)
    if guide is None:
        raise Http404(_("该办事指南不存在或已停用"))
    if request.GET.get("format") == "html":
        return HttpResponse(shortguide.render_html(guide, request))
    pdf = shortguide.render_pdf(guide, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guide-{guide.pk}.pdf"'
    return response


@require_GET
def lists(request, which: str = "power"):
    unit_id = request.GET.get("unit") or ""
    unit = Organisation.objects.filter(pk=unit_id).first() if unit_id.isdigit() else None
    kind = request.GET.get("kind", "")
    if which == "power":
        if kind and kind not in POWER_KINDS:
            kind = ""
        guides = selectors.power_list(unit=unit, kind=kind)
        title = _("权力清单和责任清单")
    elif which == "service":
        guides = selectors.public_service_list(unit=unit)
        title = _("公共服务事项清单")
    elif which == "zero":
        guides = selectors.visit_list(0, unit=unit)
        title = _("“不见面”办理事项清单")
    elif which == "once":
        guides = selectors.visit_list(1, unit=unit)
        title = _("“见一次面”办理事项清单")
    else:
        raise Http404
    page = Paginator(guides, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("unit", unit_id), ("kind", kind)) if v)
    context = {
        "which": which,
        "title": title,
        "page": page,
        "query": query,
        "unit": unit,
        "kind": kind,
        "kinds": [(k, label) for k, label in GuideKind.choices if k in POWER_KINDS],
        "units": selectors.guide_units(),
    }
    return render(request, "guides/lists.html", context)


def _map_config() -> dict:
    mode = getattr(settings, "GONGKAI_MAP_TILES", "none") or "none"
    config = {"mode": mode, "url": "", "attribution": ""}
    if mode == "selfhosted":
        config["url"] = getattr(settings, "GONGKAI_MAP_TILE_URL", "")
        config["attribution"] = getattr(settings, "GONGKAI_MAP_ATTRIBUTION", "")
    elif mode == "tianditu":
        key = getattr(settings, "GONGKAI_TIANDITU_KEY", "")
        if key:
            config["url"] = (
                f"https://t{{s}}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
            )
            config["attribution"] = "天地图"
        else:
            config["mode"] = "none"
    if config["mode"] != "none" and not config["url"]:
        config["mode"] = "none"
    return config


@require_GET
def points(request):
    township = request.GET.get("township", "")
    service = (request.GET.get("service") or "").strip()[:60]
    form = LocateForm(request.GET or None)
    found = selectors.public_points(
        township_id=int(township) if township.isdigit() else None,
        service=service,
        guide_id=int(request.GET["guide"]) if request.GET.get("guide", "").isdigit() else None,
    )
    origin, origin_label, locate_error = None, "", ""
    if form.is_valid():
        lng, lat = form.cleaned_data.get("lng"), form.cleaned_data.get("lat")
        if lng is not None and lat is not None and -180 <= lng <= 180 and -90 <= lat <= 90:
            origin, origin_label = (lng, lat), _("您的位置")
        elif form.cleaned_data.get("address"):
            located = selectors.locate_address(form.cleaned_data["address"])
            if located is None:
                locate_error = _("没有找到该地址，请换一个地名（如乡镇或村名）再试")
            else:
                origin, origin_label = located[:2], located[2]
    rows = [(p, "") for p in found]
    if origin is not None:
        ordered = [(p, _distance_label(d)) for p, d in selectors.nearest(found, *origin)]
        rows = ordered + [(p, "") for p in found if p.lng is None]
    context = {
        "rows": rows,
        "form": form,
        "origin": origin,
        "origin_label": origin_label,
        "locate_error": locate_error,
        "townships": selectors.point_townships(),
        "services_list": selectors.point_services(),
        "township": township,
        "service": service,
        "map": _map_config(),
        "geojson": _geojson(p for p, _d in rows),
    }
    return render(request, "guides/points.html", context)


def _distance_label(metres: float) -> str:
    if metres < 1000:
        return _("%(n)s米") % {"n": int(round(metres))}
    return _("%(n)s公里") % {"n": f"{metres / 1000:.1f}"}


def _geojson(points) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(p.lng), float(p.lat)]},
                "properties": {"name": p.name, "address": p.address, "url": p.get_absolute_url()},
            }
            for p in points
            if p.lng is not None
        ],
    }


@require_GET
def point(request, pk: int):
    obj = get_object_or_404(ServicePoint.objects.select_related("township", "unit"), pk=pk, is_active=True)
    guides = obj.guides.filter(current__state="published").select_related("current")
    return render(request, "guides/point.html", {"point": obj, "guides": guides, "map": _map_config()})


@require_GET
def events(request):
    return render(request, "guides/events.html", {"events": selectors.published_events()})


@require_GET
def event(request, slug: str):
    obj = get_object_or_404(LifeEvent, slug=slug, is_published=True)
    services.event_viewed(obj)
    form = SubscribeForm(initial={"topic": SubscriptionTopic.EVENT, "target": obj.slug})
    return render(request, "guides/event.html", {"event": obj, "steps": selectors.event_steps(obj), "form": form})


def _target(topic: str, target: str):
    if topic == SubscriptionTopic.EVENT:
        return {"event": LifeEvent.objects.filter(slug=target, is_published=True).first()}
    if topic == SubscriptionTopic.UNIT:
        return {"unit": Organisation.objects.filter(pk=target).first() if target.isdigit() else None}
    return {"domain": target if target in selectors.subscription_domains() else ""}


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None, initial={"topic": request.GET.get("topic", SubscriptionTopic.UNIT)})
    status = 200
    done = False
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="guides:subscribe",
            key="ip",
            rate=getattr(settings, "GONGKAI_PUBLIC_FORM_RATE", "10/h"),
            method="POST",
            increment=True,
        )
        if limited:
            form.add_error(None, _("提交过于频繁，请稍后再试"))
            status = 429
        elif form.is_valid():
            d = form.cleaned_data
            try:
                services.subscription_request(
                    channel=d["channel"],
                    address=d["address"],
                    topic=d["topic"],
                    confirm_url=lambda token: reverse("guides:confirm", args=[token]),
                    **_target(d["topic"], d.get("target", "")),
                )
                done = True
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
                status = 400
        else:
            status = 400
    context = {
        "form": form,
        "done": done,
        "events": selectors.published_events(),
        "units": selectors.guide_units(),
        "domains": selectors.subscription_domains(),
    }
    return render(request, "guides/subscribe.html", context, status=status)


@require_GET
def confirm(request, token: str):
    sub = services.subscription_confirm(token=token[:64])
    return render(request, "guides/subscription_done.html", {"sub": sub, "mode": "confirm"}, status=200 if sub else 404)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One click: the link in every digest removes the subscription (GET shows a button for mail scanners)."""
    if request.method == "POST" or request.GET.get("now") == "1":
        removed = services.subscription_cancel(token=token[:64])
        return render(request, "guides/subscription_done.html", {"mode": "removed", "removed": removed})
    return render(request, "guides/subscription_done.html", {"mode": "ask", "token": token})

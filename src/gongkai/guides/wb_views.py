"""Workbench pages: guides and their versions, wording, import, service points, life events, statistics."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core import permissions, uploads
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation, Role

from . import importer, selectors, services
from .actions import GUIDE_ACTIONS, VERSION_ACTIONS
from .forms import CsvUploadForm, GuideCreateForm, GuideVersionForm, ImportForm, PointForm
from .models import ELEMENTS, Guide, GuideVersion, ServicePoint, VersionState


def _get_version(request, pk: int) -> GuideVersion:
    version = get_object_or_404(GuideVersion.objects.select_related("guide__unit"), pk=pk)
    permissions.require_view(request.user, version.guide.unit)
    return version


def _get_guide(request, pk: int) -> Guide:
    guide = get_object_or_404(Guide.objects.select_related("unit"), pk=pk)
    permissions.require_view(request.user, guide.unit)
    return guide


version_act = staff_required(
    action_view(
        VERSION_ACTIONS,
        get_object=_get_version,
        success_url=lambda v: reverse("guides_wb:guide", args=[v.guide_id]),
    )
)
guide_act = staff_required(
    action_view(GUIDE_ACTIONS, get_object=_get_guide, success_url=lambda g: reverse("guides_wb:guide", args=[g.pk]))
)


@staff_required
def index(request):
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state", "")
    incomplete = request.GET.get("incomplete") == "1"
    guides = selectors.staff_guides(request.user, state=state, q=q, incomplete=incomplete)
    page = Paginator(guides, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "state": state,
        "incomplete": incomplete,
        "states": VersionState.choices,
        "counts": selectors.queue_counts(request.user),
        "query": "&".join(f"{k}={v}" for k, v in (("q", q), ("state", state)) if v),
    }
    return render(request, "guides/wb/index.html", context)


def _editable_units(user):
    return permissions.units_with_role(user, Role.EDITOR)


@staff_required
@require_http_methods(["GET", "POST"])
def create(request):
    units = _editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您没有编辑办事指南的权限"))
    form = GuideCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, item = data.pop("unit"), data.pop("catalogue_item")
        try:
            guide = services.guide_create(actor=request.user, unit=unit, data=data, catalogue_item=item)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已新建办事指南草稿"))
            return redirect("guides_wb:guide", guide.pk)
    return render(request, "guides/wb/form.html", {"form": form, "title": _("新建办事指南")})


@staff_required
def guide(request, pk: int):
    obj = _get_guide(request, pk)
    versions = list(obj.versions.order_by("-number"))
    latest = versions[0] if versions else None
    bound = (
        VERSION_ACTIONS.bound(request.user, latest, url=lambda n: reverse("guides_wb:version-act", args=[latest.pk, n]))
        if latest
        else []
    )
    guide_actions = GUIDE_ACTIONS.bound(
        request.user, obj, url=lambda n: reverse("guides_wb:guide-act", args=[obj.pk, n])
    )
    context = {
        "guide": obj,
        "latest": latest,
        "versions": versions,
        "actions": bound + guide_actions,
        "missing": latest.missing_labels() if latest else [],
        "elements": ELEMENTS,
        "wordings": obj.wordings.order_by("-number")[:10],
        "can_edit": latest is not None
        and latest.state == VersionState.DRAFT
        and permissions.has_role(request.user, Role.EDITOR, obj.unit),
    }
    return render(request, "guides/wb/guide.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def version_edit(request, pk: int):
    version = _get_version(request, pk)
    permissions.require(request.user, Role.EDITOR, version.guide.unit)
    initial = {f: getattr(version, f) for f in services.VERSION_FIELDS}
    form = GuideVersionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.guide_version_update(actor=request.user, version=version, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 409
            else:
                messages.success(request, _("已保存"))
                return redirect("guides_wb:guide", version.guide_id)
        else:
            status = 400
    title = _("修改指南：%(name)s（第%(n)s版）") % {"name": version.name, "n": version.number}
    return render(request, "guides/wb/form.html", {"form": form, "title": title}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    units = _editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您没有导入办事指南的权限"))
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            uploads.check_text_file(form.cleaned_data["file"].name, data)
        except ValidationError as exc:
            form.add_error("file", exc)
            return render(request, "guides/wb/import.html", {"form": form, "report": None}, status=400)
        try:
            report = importer.import_guides(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                data=data,
                field_map=form.cleaned_data["field_map"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as exc:
            form.add_error("field_map", exc.messages)
    return render(request, "guides/wb/import.html", {"form": form, "report": report})


# --- service points -------------------------------------------------------------------


def _townships(user):
    county = Organisation.objects.filter(level="county").first()
    qs = Organisation.objects.filter(level="township")
    return qs.filter(path__startswith=county.path) if county else qs


@staff_required
def points(request):
    return render(request, "guides/wb/points.html", {"points": selectors.staff_points(request.user)})


@staff_required
@require_http_methods(["GET", "POST"])
def point_edit(request, pk: int | None = None):
    point = None
    if pk is not None:
        point = get_object_or_404(ServicePoint, pk=pk)
        permissions.require(request.user, Role.EDITOR, point.unit)
    units = _editable_units(request.user)
    if point is None and not units.exists():
        raise PermissionDenied(_("您没有编辑服务网点的权限"))
    initial = {}
    if point is not None:
        initial = {f: getattr(point, f) for f in ("name", "address", "township", "opening_hours", "phone")}
        initial.update(services=point.services, barrier_free=point.barrier_free, is_active=point.is_active)
        initial.update(lng=point.source_lng or "", lat=point.source_lat or "", crs=point.source_crs)
    form = PointForm(request.POST or None, initial=initial, townships=_townships(request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = dict(form.cleaned_data)
            lng, lat, crs = d.pop("lng"), d.pop("lat"), d.pop("crs")
            unit = point.unit if point else units.first()
            try:
                saved = services.point_save(
                    actor=request.user, unit=unit, data=d, lng=lng, lat=lat, crs=crs, point=point
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
            else:
                messages.success(request, _("已保存服务网点：%(name)s") % {"name": saved.name})
                return redirect("guides_wb:points")
        else:
            status = 400
    return render(request, "guides/wb/form.html", {"form": form, "title": _("服务网点")}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def points_import(request):
    import csv
    import io

    units = _editable_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("您没有导入服务网点的权限"))
    form = CsvUploadForm(request.POST or None, request.FILES or None, units=units)
    report, status = None, 200
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            uploads.check_text_file(form.cleaned_data["file"].name, raw)
            text = raw.decode("utf-8-sig")
        except ValidationError as exc:
            form.add_error("file", exc)
            status = 400
        except UnicodeDecodeError:
            form.add_error("file", _("文件不是UTF-8编码（可能是GBK），请另存为UTF-8 CSV"))
            status = 400
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
            report = services.points_import(
                actor=request.user, unit=form.cleaned_data["unit"], rows=rows, dry_run=form.cleaned_data["dry_run"]
            )
            status = 400 if report["errors"] else 200
    return render(request, "guides/wb/points_import.html", {"form": form, "report": report}, status=status)


@staff_required
def events(request):
    return render(request, "guides/wb/events.html", {"events": selectors.staff_events(request.user)})


@staff_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int | None = None):
    from .forms import EventForm
    from .models import LifeEvent

    event = get_object_or_404(LifeEvent, pk=pk) if pk else None
    if event is not None:
        permissions.require(request.user, [Role.EDITOR, Role.DISCLOSURE_OFFICE], event.unit)
    units = permissions.units_with_role(request.user, Role.DISCLOSURE_OFFICE) | _editable_units(request.user)
    if event is None and not units.exists():
        raise PermissionDenied(_("您没有编辑人生事件的权限"))
    initial = {}
    if event is not None:
        initial = {f: getattr(event, f) for f in ("title", "slug", "audience", "summary", "keywords", "is_published")}
        initial["steps"] = EventForm.steps_text(event)
    form = EventForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            steps = data.pop("steps")
            try:
                saved = services.event_save(
                    actor=request.user,
                    unit=event.unit if event else units.order_by("depth").first(),
                    data=data,
                    steps=steps,
                    event=event,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 400
            else:
                messages.success(request, _("已保存人生事件：%(title)s") % {"title": saved.title})
                return redirect("guides_wb:events")
        else:
            status = 400
    return render(request, "guides/wb/form.html", {"form": form, "title": _("人生事件")}, status=status)


@staff_required
def stats(request):
    if not (permissions.is_superuser(request.user) or Role.DISCLOSURE_OFFICE in permissions.roles_of(request.user)):
        raise PermissionDenied(_("统计仅供政务公开办查看"))
    today = timezone.localdate()
    try:
        days = max(1, min(int(request.GET.get("days", "30")), 366))
    except ValueError:
        days = 30
    since = today - dt.timedelta(days=days - 1)
    context = {"stats": selectors.statistics(since=since, until=today), "days": days, "since": since, "until": today}
    return render(request, "guides/wb/stats.html", context)

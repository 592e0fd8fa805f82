"""Staff pages: record lists with deadline queues, entry, detail with actions, import, export,
statistics for the office."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.core import permissions
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.core.models import Role

from . import importer, selectors, services, template
from .actions import ACTIONS
from .forms import FORMS, ImportForm
from .models import State

KINDS = ("licence", "penalty")


def _kind(value) -> str:
    if value not in KINDS:
        raise Http404
    return value


def _editor_units(user):
    return (
        (permissions.units_with_role(user, Role.EDITOR) | permissions.units_with_role(user, Role.REVIEWER))
        .distinct()
        .order_by("path")
    )


@staff_required
@require_GET
def index(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else "penalty"
    queue = request.GET.get("queue", "")
    q = (request.GET.get("q") or "").strip()[:100]
    today = timezone.localdate()
    qs = selectors.staff_records(request.user, kind)
    if queue == "overdue":
        qs = qs.filter(state=State.DRAFT, publication_due__lt=today)
    elif queue == "due_soon":
        qs = qs.filter(state=State.DRAFT, publication_due__gte=today, publication_due__lte=today + dt.timedelta(days=3))
    elif queue == "late":
        qs = selectors.late_records(kind, permissions.visible_units(request.user), today=today)
    elif queue == "unknown":
        qs = qs.filter(state=State.DRAFT, publication_due__isnull=True)
    elif queue == "ending" and kind == "penalty":
        qs = qs.filter(
            state=State.PUBLISHED, display_until__gte=today, display_until__lte=today + dt.timedelta(days=30)
        )
    elif queue in State.values:
        qs = qs.filter(state=queue)
    if q:
        qs = qs.filter(Q(party_name__icontains=q) | Q(decision_number__icontains=q) | Q(credit_code=q.upper()))
    page = Paginator(qs.order_by("-decided_on", "-pk"), 30).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"kind": kind, "queue": queue, "q": q}.items() if v})
    queues = [
        ("", _("全部")),
        ("draft", _("待公示")),
        ("overdue", _("逾期未公示")),
        ("due_soon", _("3日内到期")),
        ("late", _("超期公示")),
        ("published", _("已公示")),
        ("expired", _("公示期满")),
        ("withdrawn", _("已撤回")),
    ]
    return render(
        request,
        "credit/wb/index.html",
        {
            "kind": kind,
            "queue": queue,
            "q": q,
            "page": page,
            "query": query,
            "queues": queues,
            "today": today,
            "can_enter": _editor_units(request.user).exists(),
            "dashboard": selectors.dashboard(request.user, today=today),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def create(request, kind: str):
    kind = _kind(kind)
    units = _editor_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form_class = FORMS[kind]
    unit_id = request.POST.get("unit") or request.GET.get("unit") or units.first().pk
    unit = units.filter(pk=unit_id).first() if str(unit_id).isdigit() else None
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if unit is None:
            form.add_error(None, _("请选择决定机关"))
        if form.is_valid():
            try:
                record = services.record_create(
                    actor=request.user, kind=kind, unit=unit, data=form.cleaned_data, publish="publish" in request.POST
                )
            except ValidationError as exc:
                for name, errs in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errs)
                status = 400
            else:
                messages.success(request, _("已保存"))
                return HttpResponseRedirect(reverse("credit_wb:detail", args=[kind, record.pk]))
        else:
            status = 400
    else:
        form = form_class(user=request.user)
    return render(
        request,
        "credit/wb/form.html",
        {"form": form, "kind": kind, "units": units, "unit": unit, "label": template.KIND_LABELS[kind]},
        status=status,
    )


def _get(kind):
    def get(request, pk):
        return selectors.get_for_staff(request.user, kind, pk)

    return get


@staff_required
@require_GET
def detail(request, kind: str, pk: int):
    kind = _kind(kind)
    record = selectors.get_for_staff(request.user, kind, pk)
    bound = ACTIONS[kind].bound(
        request.user, record, url=lambda name: reverse("credit_wb:act", args=[kind, record.pk, name])
    )
    sees_id = permissions.has_any_role(request.user, [Role.REVIEWER, Role.LEADER], record.unit)
    context = {"r": record, "kind": kind, "actions": bound, "sees_id": sees_id, "label": template.KIND_LABELS[kind]}
    if kind == "penalty":
        from .deadlines import repair_earliest

        try:
            context["repair_from"] = repair_earliest(record)
        except Exception:  # an unknown period code after a misconfiguration: show nothing
            context["repair_from"] = None
        context["repairs"] = record.repairs.all()
    return render(request, "credit/wb/detail.html", context)


def act(request, kind: str, pk: int, name: str):
    kind = _kind(kind)
    view = action_view(
        ACTIONS[kind],
        get_object=_get(kind),
        success_url=lambda obj: reverse("credit_wb:detail", args=[kind, obj.pk]),
    )
    return staff_required(view)(request, pk=pk, name=name)


@staff_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    units = _editor_units(request.user)
    if not units.exists():
        raise PermissionDenied
    result = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = importer.Importer(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    kind=form.cleaned_data["kind"],
                    publish=form.cleaned_data["publish"],
                    partial=form.cleaned_data["partial"],
                ).run(upload.name, upload.read())
            except ValidationError as exc:
                form.add_error("file", exc.messages)
                status = 400
            else:
                status = 200 if result.committed else 400
                if result.committed:
                    messages.success(request, _("已导入 %(n)s 条") % {"n": result.created})
        else:
            status = 400
    else:
        form = ImportForm(units=units, initial={"publish": True})
    return render(request, "credit/wb/import.html", {"form": form, "result": result}, status=status)


@staff_required
@require_GET
def export(request):
    kind = _kind(request.GET.get("kind", "penalty"))
    units = permissions.visible_units(request.user)
    unit = None
    if request.GET.get("unit"):
        unit = units.filter(pk=request.GET["unit"] if request.GET["unit"].isdigit() else 0).first()
        if unit is None:
            raise Http404
        units = [unit]
    qs = (
        selectors.model_for(kind).objects.filter(unit__in=units).exclude(state=State.DRAFT).order_by("decided_on", "pk")
    )
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(decided_on__year=int(year))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    count = importer.export_csv(kind, qs.iterator(chunk_size=2000), buffer)
    services.record_export_logged(actor=request.user, kind=kind, unit=unit, count=count)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{timezone.localdate():%Y%m%d}.csv"'
    return response


@staff_required
@require_GET
def template_download(request, kind: str):
    kind = _kind(kind)
    response = HttpResponse(
        importer.template_xlsx(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


@staff_required
@require_GET
def stats(request):
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    units = permissions.visible_units(request.user)
    return render(
        request,
        "credit/wb/stats.html",
        {
            "year": year,
            "rows": selectors.statistics(units, year, today=today),
            "timeliness": selectors.timeliness(units, year, today=today),
            "years": range(today.year, today.year - 6, -1),
        },
    )

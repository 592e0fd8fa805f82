"""Staff pages: the unit's standard system with its actions, a standard, statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.core import permissions
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.core.models import Role

from . import selectors, services
from .actions import STANDARD_ACTIONS, SYSTEM_ACTIONS
from .forms import SystemForm
from .models import Standard, StandardSystem


def _editor_units(user):
    return (
        (permissions.units_with_role(user, Role.EDITOR) | permissions.units_with_role(user, Role.REVIEWER))
        .distinct()
        .order_by("path")
    )


@staff_required
@require_http_methods(["GET", "POST"])
def index(request):
    systems = selectors.overview(permissions.visible_units(request.user))
    free_units = _editor_units(request.user).exclude(pk__in=StandardSystem.objects.values("unit_id"))
    form = SystemForm(request.POST or None)
    status = 200
    if request.method == "POST":
        unit_id = request.POST.get("unit", "")
        unit = free_units.filter(pk=unit_id).first() if unit_id.isdigit() else None
        if unit is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                system = services.system_create(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("已按 GB/T 24421 建立标准体系框架"))
                return HttpResponseRedirect(reverse("standards_wb:system", args=[system.pk]))
        status = 400
    return render(
        request, "standards/wb/index.html", {"systems": systems, "free_units": free_units, "form": form}, status=status
    )


def _get_system(request, pk):
    system = get_object_or_404(StandardSystem.objects.select_related("unit"), pk=pk)
    permissions.require_view(request.user, system.unit)
    return system


def _get_standard(request, pk):
    standard = get_object_or_404(Standard.objects.select_related("system__unit", "node"), pk=pk)
    permissions.require_view(request.user, standard.system.unit)
    return standard


@staff_required
@require_GET
def system(request, pk: int):
    obj = _get_system(request, pk)
    bound = SYSTEM_ACTIONS.bound(request.user, obj, url=lambda n: reverse("standards_wb:system-act", args=[obj.pk, n]))
    counts = selectors.level_counts(obj)
    return render(
        request,
        "standards/wb/system.html",
        {
            "system": obj,
            "actions": bound,
            "tree": selectors.tree(obj),
            "counts": counts,
            "total": sum(counts.values()),
        },
    )


@staff_required
@require_GET
def standard(request, pk: int):
    obj = _get_standard(request, pk)
    bound = STANDARD_ACTIONS.bound(
        request.user, obj, url=lambda n: reverse("standards_wb:standard-act", args=[obj.pk, n])
    )
    return render(request, "standards/wb/standard.html", {"s": obj, "actions": bound})


system_act = staff_required(
    action_view(
        SYSTEM_ACTIONS, get_object=_get_system, success_url=lambda s: reverse("standards_wb:system", args=[s.pk])
    )
)
standard_act = staff_required(
    action_view(
        STANDARD_ACTIONS, get_object=_get_standard, success_url=lambda s: reverse("standards_wb:standard", args=[s.pk])
    )
)

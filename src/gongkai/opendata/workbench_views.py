"""Staff pages for open data: the unit's datasets, creation, a dataset with its resources and
actions, statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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
from .actions import DATASET_ACTIONS, RESOURCE_ACTIONS
from .forms import DatasetForm
from .models import Dataset, DatasetState, Resource


def _editor_units(user):
    return (
        (permissions.units_with_role(user, Role.EDITOR) | permissions.units_with_role(user, Role.REVIEWER))
        .distinct()
        .order_by("path")
    )


@staff_required
@require_GET
def index(request):
    qs = selectors.staff_datasets(request.user).order_by("-modified_at")
    state = request.GET.get("state", "")
    if state in DatasetState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "opendata/wb/index.html",
        {
            "page": page,
            "state": state,
            "states": DatasetState.choices,
            "can_create": _editor_units(request.user).exists(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def create(request):
    units = _editor_units(request.user)
    if not units.exists():
        raise PermissionDenied
    status = 200
    unit_id = request.POST.get("unit") or ""
    if request.method == "POST":
        form = DatasetForm(request.POST, user=request.user)
        unit = units.filter(pk=unit_id).first() if unit_id.isdigit() else None
        if unit is None:
            form.add_error(None, _("请选择信息资源提供方"))
        if form.is_valid():
            try:
                dataset = services.dataset_create(actor=request.user, unit=unit, data=form.cleaned_data)
            except ValidationError as exc:
                for name, errs in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errs)
            else:
                messages.success(request, _("已创建数据集，请添加数据资源后发布"))
                return HttpResponseRedirect(reverse("opendata_wb:detail", args=[dataset.pk]))
        status = 400
    else:
        first = units.first()
        form = DatasetForm(
            user=request.user,
            initial={
                "contact_name": first.name,
                "contact_phone": first.contact_phone,
                "licence": "cc-by-4.0",
                "spatial": "浙江省丽水市松阳县",
            },
        )
    return render(request, "opendata/wb/form.html", {"form": form, "units": units, "unit_id": unit_id}, status=status)


def _get_dataset(request, pk):
    dataset = get_object_or_404(Dataset.objects.select_related("unit", "licence"), pk=pk)
    permissions.require_view(request.user, dataset.unit)
    return dataset


def _get_resource(request, pk):
    resource = get_object_or_404(Resource.objects.select_related("dataset__unit"), pk=pk)
    permissions.require_view(request.user, resource.dataset.unit)
    return resource


@staff_required
@require_GET
def detail(request, pk: int):
    dataset = _get_dataset(request, pk)
    bound = DATASET_ACTIONS.bound(request.user, dataset, url=lambda n: reverse("opendata_wb:act", args=[dataset.pk, n]))
    resources = []
    for r in dataset.resources.all().prefetch_related("versions"):
        r.bound = RESOURCE_ACTIONS.bound(
            request.user, r, url=lambda n, r=r: reverse("opendata_wb:resource-act", args=[r.pk, n])
        )
        resources.append(r)
    return render(request, "opendata/wb/detail.html", {"d": dataset, "actions": bound, "resources": resources})


act = staff_required(
    action_view(
        DATASET_ACTIONS, get_object=_get_dataset, success_url=lambda d: reverse("opendata_wb:detail", args=[d.pk])
    )
)
resource_act = staff_required(
    action_view(
        RESOURCE_ACTIONS,
        get_object=_get_resource,
        success_url=lambda r: reverse("opendata_wb:detail", args=[r.dataset_id]),
    )
)


@staff_required
@require_GET
def stats(request):
    return render(
        request, "opendata/wb/stats.html", {"s": selectors.statistics(permissions.visible_units(request.user))}
    )

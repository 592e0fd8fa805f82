"""Workbench pages: policies, benefit items (with criteria and actions), recipient batches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core import permissions
from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required
from gongkai.core.models import Role

from . import privacy, selectors, services
from .actions import BATCH_ACTIONS, ITEM_ACTIONS
from .forms import ItemForm, PolicyForm
from .models import BenefitItem, ItemState, Policy, RecipientBatch


def _get_item(request, pk: int) -> BenefitItem:
    item = get_object_or_404(BenefitItem.objects.select_related("policy__unit"), pk=pk)
    permissions.require_view(request.user, item.unit)
    return item


def _get_batch(request, pk: int) -> RecipientBatch:
    batch = get_object_or_404(RecipientBatch.objects.select_related("item__policy__unit"), pk=pk)
    permissions.require_view(request.user, batch.unit)
    return batch


item_act = staff_required(
    action_view(ITEM_ACTIONS, get_object=_get_item, success_url=lambda i: reverse("benefits_wb:item", args=[i.pk]))
)
batch_act = staff_required(
    action_view(BATCH_ACTIONS, get_object=_get_batch, success_url=lambda b: reverse("benefits_wb:batch", args=[b.pk]))
)


@staff_required
def index(request):
    state = request.GET.get("state", "")
    context = {
        "items": selectors.staff_items(request.user, state=state if state in ItemState.values else ""),
        "policies": selectors.staff_policies(request.user),
        "batches": selectors.staff_batches(request.user).order_by("-pk")[:20],
        "counts": selectors.queue_counts(request.user),
        "state": state,
        "states": ItemState.choices,
    }
    return render(request, "benefits/wb/index.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def policy_new(request):
    units = permissions.units_with_role(request.user, Role.EDITOR)
    if not units.exists():
        raise PermissionDenied(_("您没有编辑惠企利民政策的权限"))
    form = PolicyForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        try:
            policy = services.policy_save(actor=request.user, unit=unit, data=data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("benefits_wb:item-new", policy.pk)
    return render(request, "benefits/wb/form.html", {"form": form, "title": _("新建惠企利民政策")})


@staff_required
@require_http_methods(["GET", "POST"])
def item_edit(request, policy_pk: int | None = None, pk: int | None = None):
    item = _get_item(request, pk) if pk else None
    policy = item.policy if item else get_object_or_404(Policy.objects.select_related("unit"), pk=policy_pk)
    permissions.require(request.user, Role.EDITOR, policy.unit)
    initial = {}
    if item is not None:
        initial = {f: getattr(item, f) for f in services.ITEM_FIELDS}
        initial["guide_ids"] = ",".join(str(i) for i in item.guide_ids)
    form = ItemForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.item_save(actor=request.user, policy=policy, data=form.cleaned_data, item=item)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
                status = 409
            else:
                messages.success(request, _("已保存"))
                return redirect("benefits_wb:item", saved.pk)
        else:
            status = 400
    title = _("惠企利民事项：%(policy)s") % {"policy": policy.title}
    return render(request, "benefits/wb/form.html", {"form": form, "title": title}, status=status)


@staff_required
def item(request, pk: int):
    obj = _get_item(request, pk)
    bound = ITEM_ACTIONS.bound(request.user, obj, url=lambda n: reverse("benefits_wb:item-act", args=[obj.pk, n]))
    context = {
        "item": obj,
        "criteria": obj.criteria.select_related("attribute"),
        "actions": bound,
        "batches": obj.batches.all(),
        "can_edit": obj.state == ItemState.DRAFT and permissions.has_role(request.user, Role.EDITOR, obj.unit),
    }
    return render(request, "benefits/wb/item.html", context)


@staff_required
def batch(request, pk: int):
    obj = _get_batch(request, pk)
    bound = BATCH_ACTIONS.bound(request.user, obj, url=lambda n: reverse("benefits_wb:batch-act", args=[obj.pk, n]))
    full = permissions.has_any_role(request.user, [Role.EDITOR, Role.REVIEWER, Role.LEADER], obj.unit)
    rows = []
    for r in obj.recipients.all():
        row = privacy.public_row(r) if not full else {"name": r.name, "id_number": privacy.mask_id(r.id_number)}
        row.update(township=r.township, amount=r.amount, is_person=r.is_person)
        rows.append(row)
    return render(request, "benefits/wb/batch.html", {"batch": obj, "rows": rows, "actions": bound})

"""Staff pages for units' own lists (单位公开目录): browse, local items, the unit's details, drop/restore."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required

from .. import exporter, selectors, services
from .. import forms as f
from ..actions import UNIT_ITEM_ACTIONS
from ._common import download, errors_text, unit_item_for, unit_list_for


@staff_required
def my_lists(request):
    lists = selectors.unit_lists_for_staff(request.user)
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        lists = lists.filter(unit_id=int(unit))
    page = Paginator(lists, 100).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_counts(page.object_list)
    return render(request, "catalogue/wb/my_lists.html", {"page": page, "query": f"unit={unit}" if unit else ""})


@staff_required
def unitlist_detail(request, pk):
    ul = unit_list_for(request, pk)
    items = list(selectors.unit_list_items(ul, include_inactive=True))
    for item in items:
        item.bound_actions = UNIT_ITEM_ACTIONS.bound(
            request.user, item, url=lambda n, i=item: reverse("catalogue_wb:unititem-act", args=[i.pk, n])
        )
    context = {
        "ul": ul,
        "items": items,
        "can_edit": selectors.manageable_unit_list(request.user, ul),
        "latest": ul.catalogue.latest_published(),
    }
    return render(request, "catalogue/wb/unitlist_detail.html", context)


@staff_required
def unitlist_export(request, pk):
    ul = unit_list_for(request, pk)
    name = _("%(unit)s-%(domain)s公开目录.xlsx") % {"unit": ul.unit.name, "domain": ul.catalogue.domain.name}
    return download(exporter.export_unit_lists([ul]), name)


@staff_required
def unititem_add(request, list_pk):
    ul = unit_list_for(request, list_pk)
    if not selectors.manageable_unit_list(request.user, ul):
        raise PermissionDenied(_("您不能修改该单位的公开目录"))
    form = f.item_form_class(ul.catalogue.template, with_mandatory=False, local=True)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_item_add_local(
                actor=request.user,
                unit_list=ul,
                column_name=form.cleaned_data.get("column_name", ""),
                note=form.cleaned_data.get("note", ""),
                **f.item_values(form.cleaned_data),
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("已添加本单位自增事项"))
            return redirect("catalogue_wb:unitlist-detail", pk=ul.pk)
    return render(request, "catalogue/wb/unititem_form.html", {"form": form, "ul": ul, "item": None})


def _unit_item_form(request, item, ul):
    if item.is_local:
        Form = f.item_form_class(ul.catalogue.template, with_mandatory=False, local=True)
        return Form(request.POST or None, initial=f.item_initial(item))
    initial = {"responsible_unit": item.responsible_unit, "column_name": item.column_name, "note": item.note}
    return f.UnitItemDerivedForm(request.POST or None, initial=initial, unit=ul.unit)


def _unit_item_values(item, form) -> dict:
    if not item.is_local:
        return dict(form.cleaned_data)
    return {
        "column_name": form.cleaned_data.get("column_name", ""),
        "note": form.cleaned_data.get("note", ""),
        **f.item_values(form.cleaned_data),
    }


@staff_required
def unititem_edit(request, pk):
    item = unit_item_for(request, pk)
    ul = item.unit_list
    if not selectors.manageable_unit_list(request.user, ul):
        raise PermissionDenied(_("您不能修改该单位的公开目录"))
    form = _unit_item_form(request, item, ul)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_item_update(actor=request.user, item=item, **_unit_item_values(item, form))
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("catalogue_wb:unitlist-detail", pk=ul.pk)
    return render(request, "catalogue/wb/unititem_form.html", {"form": form, "ul": ul, "item": item})


unititem_act = staff_required(
    action_view(
        UNIT_ITEM_ACTIONS,
        get_object=unit_item_for,
        success_url=lambda i: reverse("catalogue_wb:unitlist-detail", args=[i.unit_list_id]),
    )
)

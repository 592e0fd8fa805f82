"""Staff pages for standard catalogues: list, create, the draft and its items, versions, actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core.actions import action_view
from gongkai.core.decorators import staff_required

from .. import exporter, selectors, services, timeframes
from .. import forms as f
from ..actions import CATALOGUE_ACTIONS, VERSION_ACTIONS
from ..models import Catalogue, CatalogueItem, Domain, VersionStatus
from ._common import catalogue_for, download, errors_text, office_units, require_office_any, version_for


@staff_required
def catalogue_list(request):
    require_office_any(request)
    catalogues = selectors.catalogues_for_staff(request.user).order_by("domain__sort_order", "target_level", "id")
    domain = request.GET.get("domain", "")
    if domain.isdigit():
        catalogues = catalogues.filter(domain_id=int(domain))
    rows = []
    for c in catalogues.prefetch_related("versions"):
        versions = list(c.versions.all())
        rows.append(
            {
                "catalogue": c,
                "published": next((v for v in versions if v.status == VersionStatus.PUBLISHED), None),
                "draft": next((v for v in versions if v.status == VersionStatus.DRAFT), None),
            }
        )
    context = {"rows": rows, "domains": Domain.objects.filter(is_active=True), "domain": domain}
    return render(request, "catalogue/wb/catalogue_list.html", context)


@staff_required
def catalogue_create(request):
    require_office_any(request)
    form = f.CatalogueForm(request.POST or None, units=office_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.catalogue_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("已创建标准目录，请添加事项或导入表格"))
            return redirect("catalogue_wb:catalogue-detail", pk=catalogue.pk)
    return render(request, "catalogue/wb/simple_form.html", {"form": form, "title": _("新建标准目录")})


def _elements(catalogue: Catalogue) -> list:
    return [d for d in catalogue.template.ordered_elements() if not d.is_column]


def _version_url(name: str, version) -> str:
    return reverse("catalogue_wb:version-act", args=[version.pk, name])


@staff_required
def catalogue_detail(request, pk):
    catalogue = catalogue_for(request, pk)
    versions = list(catalogue.versions.order_by("-number"))
    draft = next((v for v in versions if v.is_draft), None)
    published = next((v for v in versions if not v.is_draft), None)
    shown = draft or published
    items = list(shown.items.order_by("sort_order", "id")) if shown else []
    targets = services.target_units(catalogue)
    context = {
        "catalogue": catalogue,
        "versions": versions,
        "draft": draft,
        "published": published,
        "shown": shown,
        "items": items,
        "incomplete": [i for i in items if not i.is_complete],
        "elements": _elements(catalogue),
        "preview_diff": services.compute_diff(published, draft) if draft and published else None,
        "targets": list(targets[:200]),
        "target_count": targets.count(),
        "version_actions": VERSION_ACTIONS.bound(request.user, draft, url=lambda n: _version_url(n, draft))
        if draft
        else [],
        "catalogue_actions": CATALOGUE_ACTIONS.bound(
            request.user, catalogue, url=lambda n: reverse("catalogue_wb:catalogue-act", args=[catalogue.pk, n])
        ),
    }
    return render(request, "catalogue/wb/catalogue_detail.html", context)


@staff_required
def version_detail(request, pk):
    version = version_for(request, pk)
    diff = version.diff
    if version.is_draft:
        diff = services.compute_diff(version.catalogue.latest_published(), version)
    context = {
        "version": version,
        "catalogue": version.catalogue,
        "items": version.items.order_by("sort_order", "id"),
        "diff": diff,
        "elements": _elements(version.catalogue),
        "version_actions": VERSION_ACTIONS.bound(request.user, version, url=lambda n: _version_url(n, version)),
    }
    return render(request, "catalogue/wb/version_detail.html", context)


@staff_required
def catalogue_export(request, pk):
    catalogue = catalogue_for(request, pk)
    version = catalogue.current_draft() if request.GET.get("draft") else catalogue.latest_published()
    if version is None:
        messages.error(request, _("没有可导出的版本"))
        return redirect("catalogue_wb:catalogue-detail", pk=catalogue.pk)
    name = _("%(title)s-第%(n)s版.xlsx") % {"title": catalogue.title, "n": version.number}
    return download(exporter.export_versions([version]), name)


@staff_required
def adoption(request, pk):
    catalogue = catalogue_for(request, pk)
    context = {
        "catalogue": catalogue,
        "lists": selectors.adoption(catalogue),
        "latest": catalogue.latest_published(),
        "actions": CATALOGUE_ACTIONS.bound(
            request.user, catalogue, url=lambda n: reverse("catalogue_wb:catalogue-act", args=[catalogue.pk, n])
        ),
    }
    return render(request, "catalogue/wb/adoption.html", context)


# --- actions (one layer with the API: gongkai.catalogue.actions) ------------------------------


def _catalogue_of(request, pk):
    return catalogue_for(request, pk)


catalogue_act = staff_required(
    action_view(
        CATALOGUE_ACTIONS,
        get_object=_catalogue_of,
        success_url=lambda c: reverse("catalogue_wb:catalogue-detail", args=[c.pk]),
    )
)
version_act = staff_required(
    action_view(
        VERSION_ACTIONS,
        get_object=version_for,
        success_url=lambda v: reverse("catalogue_wb:catalogue-detail", args=[v.catalogue_id]),
    )
)


# --- items -----------------------------------------------------------------------------------


@staff_required
def item_create(request, version_pk):
    version = version_for(request, version_pk)
    if not version.is_draft:
        messages.error(request, _("已发布的版本不能修改，请先新建修订版本"))
        return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
    form = f.item_form_class(version.catalogue.template)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_add(actor=request.user, version=version, **f.item_values(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            _saved(request, item, _("已添加事项"))
            if "another" in request.POST:
                return redirect("catalogue_wb:item-create", version_pk=version.pk)
            return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
    context = {"form": form, "version": version, "catalogue": version.catalogue, "item": None}
    return render(request, "catalogue/wb/item_form.html", context)


def _saved(request, item: CatalogueItem, message: str) -> None:
    if item.is_complete:
        messages.success(request, message)
    else:
        messages.warning(
            request,
            _("%(message)s；该事项要素不完整：%(problems)s")
            % {"message": message, "problems": "；".join(item.problems)},
        )


@staff_required
def item_edit(request, pk):
    item = get_object_or_404(CatalogueItem.objects.select_related("version__catalogue"), pk=pk)
    version = version_for(request, item.version_id)
    form = f.item_form_class(version.catalogue.template)(request.POST or None, initial=f.item_initial(item))
    if request.method == "POST":
        if not version.is_draft:
            raise PermissionDenied(_("已发布的版本不能修改"))
        if "delete" in request.POST:
            try:
                services.item_delete(actor=request.user, item=item)
            except ValidationError as exc:
                messages.error(request, errors_text(exc))
            else:
                messages.success(request, _("已删除事项"))
            return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
        if form.is_valid():
            try:
                item = services.item_update(actor=request.user, item=item, **f.item_values(form.cleaned_data))
            except ValidationError as exc:
                form.add_error(None, errors_text(exc))
            else:
                _saved(request, item, _("已保存事项"))
                return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
    context = {"form": form, "version": version, "catalogue": version.catalogue, "item": item}
    return render(request, "catalogue/wb/item_form.html", context)


@staff_required
def timeframe_check(request):
    """htmx helper: show how a timeframe text is understood."""
    text = request.GET.get("timeframe_text", "")[:200]
    result = timeframes.parse_result(text) if text else None
    return render(request, "catalogue/wb/_timeframe_check.html", {"result": result})

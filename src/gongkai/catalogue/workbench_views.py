"""Staff pages: templates, domains, catalogues, versions with diff, item editing, import wizard, unit lists."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.core import permissions
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation, Role

from . import exporter, importer, selectors, services
from . import forms as f
from .models import (
    Catalogue,
    CatalogueItem,
    CatalogueVersion,
    Domain,
    ElementDefinition,
    ElementTemplate,
    UnitItem,
    UnitList,
)


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _office_units(request):
    """Units where the user acts as 政务公开办: candidate owners of catalogues, templates and domains
    (governments only — the office sits in a government)."""
    from gongkai.core.models import OrgKind

    return selectors.office_units(request.user).filter(is_active=True, kind=OrgKind.GOVERNMENT).order_by("path")


def _require_office_any(request) -> None:
    if not (permissions.is_sysadmin(request.user) or _office_units(request).exists()):
        raise PermissionDenied(_("只有政务公开办管理员可以管理标准目录"))


def _catalogue_for(request, pk) -> Catalogue:
    catalogue = get_object_or_404(Catalogue.objects.select_related("domain", "owner", "template"), pk=pk)
    if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, catalogue.owner):
        raise Http404
    return catalogue


def _download(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- domains --------------------------------------------------------------------------


@staff_required
def domain_list(request):
    _require_office_any(request)
    units = _office_units(request)
    form = f.DomainForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            domain = services.domain_create(
                actor=request.user,
                owner_unit=form.cleaned_data["owner_unit"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("已添加地方领域“%(name)s”") % {"name": domain.name})
            return redirect("catalogue_wb:domain-list")
    domains = selectors.public_domains().select_related("owner_unit")
    return render(request, "catalogue/wb/domain_list.html", {"domains": domains, "form": form})


@staff_required
def domain_edit(request, pk):
    domain = get_object_or_404(Domain, pk=pk)
    if domain.owner_unit is None or not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, domain.owner_unit):
        if not permissions.is_sysadmin(request.user):
            raise PermissionDenied(_("国家试点领域只能由系统管理员修改"))
    form = f.DomainForm(
        request.POST or None,
        initial={"name": domain.name, "description": domain.description, "owner_unit": domain.owner_unit},
        units=Organisation.objects.filter(pk=domain.owner_unit_id),
    )
    form.fields["owner_unit"].required = False
    form.fields["owner_unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.domain_update(
                actor=request.user,
                domain=domain,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("catalogue_wb:domain-list")
    return render(
        request,
        "catalogue/wb/simple_form.html",
        {"form": form, "title": _("编辑领域：%(name)s") % {"name": domain.name}},
    )


# --- templates --------------------------------------------------------------------------


@staff_required
def template_list(request):
    _require_office_any(request)
    form = f.TemplateForm(request.POST or None, units=_office_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(
                actor=request.user,
                owner_unit=form.cleaned_data["owner_unit"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                copy_from=form.cleaned_data["copy_from"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("已创建要素模板"))
            return redirect("catalogue_wb:template-detail", pk=template.pk)
    templates = selectors.templates_for_staff(request.user)
    return render(request, "catalogue/wb/template_list.html", {"templates": templates, "form": form})


def _can_edit_template(user, template: ElementTemplate) -> bool:
    if template.is_builtin or template.owner_unit is None:
        return permissions.is_sysadmin(user)
    return permissions.has_role(user, Role.DISCLOSURE_OFFICE, template.owner_unit)


@staff_required
def template_detail(request, pk):
    _require_office_any(request)
    template = get_object_or_404(ElementTemplate, pk=pk)
    if not (
        template.is_builtin
        or permissions.is_sysadmin(request.user)
        or (template.owner_unit and permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, template.owner_unit))
    ):
        raise Http404
    can_edit = _can_edit_template(request.user, template)
    form = f.ElementForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您不能修改该模板"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.get("order") is None:
                data.pop("order")
            try:
                services.element_add(actor=request.user, template=template, **data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("已添加要素"))
                return redirect("catalogue_wb:template-detail", pk=template.pk)
    return render(
        request,
        "catalogue/wb/template_detail.html",
        {
            "template": template,
            "elements": template.ordered_elements(),
            "form": form,
            "can_edit": can_edit,
            "catalogues": template.catalogues.select_related("domain", "owner")[:50],
        },
    )


@staff_required
def element_edit(request, pk):
    element = get_object_or_404(ElementDefinition.objects.select_related("template"), pk=pk)
    if not _can_edit_template(request.user, element.template):
        raise PermissionDenied(_("您不能修改该模板"))
    initial = {
        "name": element.name,
        "key": element.key,
        "type": element.type,
        "required": element.required,
        "allowed_values": "、".join(element.allowed_values),
        "aliases": "、".join(element.aliases),
        "help_text": element.help_text,
        "order": element.order,
    }
    form = f.ElementForm(request.POST or None, initial=initial)
    form.fields["key"].disabled = True
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.element_remove(actor=request.user, element=element)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
                return redirect("catalogue_wb:element-edit", pk=element.pk)
            messages.success(request, _("已删除要素"))
            return redirect("catalogue_wb:template-detail", pk=element.template_id)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "key"}
            if data.get("order") is None:
                data.pop("order")
            try:
                services.element_update(actor=request.user, element=element, **data)
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("已保存"))
                return redirect("catalogue_wb:template-detail", pk=element.template_id)
    return render(request, "catalogue/wb/element_form.html", {"form": form, "element": element})


# --- catalogues --------------------------------------------------------------------------


@staff_required
def catalogue_list(request):
    _require_office_any(request)
    catalogues = selectors.catalogues_for_staff(request.user).order_by("domain__sort_order", "target_level", "id")
    domain = request.GET.get("domain", "")
    if domain.isdigit():
        catalogues = catalogues.filter(domain_id=int(domain))
    rows = []
    for c in catalogues:
        versions = list(c.versions.all())
        rows.append(
            {
                "catalogue": c,
                "published": next((v for v in versions if v.status == "published"), None),
                "draft": next((v for v in versions if v.status == "draft"), None),
            }
        )
    return render(
        request,
        "catalogue/wb/catalogue_list.html",
        {"rows": rows, "domains": Domain.objects.filter(is_active=True), "domain": domain},
    )


@staff_required
def catalogue_create(request):
    _require_office_any(request)
    form = f.CatalogueForm(request.POST or None, units=_office_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.catalogue_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("已创建标准目录，请添加事项或导入表格"))
            return redirect("catalogue_wb:catalogue-detail", pk=catalogue.pk)
    return render(request, "catalogue/wb/simple_form.html", {"form": form, "title": _("新建标准目录")})


@staff_required
def catalogue_detail(request, pk):
    catalogue = _catalogue_for(request, pk)
    versions = list(catalogue.versions.order_by("-number"))
    draft = next((v for v in versions if v.is_draft), None)
    published = next((v for v in versions if not v.is_draft), None)
    shown = draft or published
    items = list(shown.items.order_by("sort_order", "id")) if shown else []
    preview_diff = services.compute_diff(published, draft) if draft and published else None
    return render(
        request,
        "catalogue/wb/catalogue_detail.html",
        {
            "catalogue": catalogue,
            "versions": versions,
            "draft": draft,
            "published": published,
            "shown": shown,
            "items": items,
            "elements": [d for d in catalogue.template.ordered_elements() if not d.is_column],
            "preview_diff": preview_diff,
            "targets": list(services.target_units(catalogue)[:200]),
            "target_count": services.target_units(catalogue).count(),
            "candidates": catalogue.owner.descendants(include_self=True).filter(
                kind=catalogue.target_kind, level=catalogue.target_level, is_active=True
            )[:500],
            "chosen": set(catalogue.target_units.values_list("pk", flat=True)),
        },
    )


@staff_required
@require_POST
def version_new(request, pk):
    catalogue = _catalogue_for(request, pk)
    try:
        services.version_start_draft(actor=request.user, catalogue=catalogue, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已新建修订草稿（复制自最新发布版本）"))
    return redirect("catalogue_wb:catalogue-detail", pk=catalogue.pk)


def _version_for(request, pk) -> CatalogueVersion:
    version = get_object_or_404(
        CatalogueVersion.objects.select_related("catalogue__owner", "catalogue__domain", "catalogue__template"), pk=pk
    )
    if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, version.catalogue.owner):
        raise Http404
    return version


@staff_required
@require_POST
def version_publish(request, pk):
    version = _version_for(request, pk)
    try:
        result = services.version_publish(actor=request.user, version=version, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
    d = result["derived"]
    messages.success(
        request,
        _("已发布第%(n)s版；%(units)s个单位的公开目录已更新（新增%(created)s项，更新%(updated)s项，停用%(retired)s项）")
        % {
            "n": version.number,
            "units": d["units"],
            "created": d["items_created"],
            "updated": d["items_updated"],
            "retired": d["items_retired"],
        },
    )
    return redirect("catalogue_wb:version-detail", pk=version.pk)


@staff_required
@require_POST
def version_discard(request, pk):
    version = _version_for(request, pk)
    try:
        services.version_discard(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已删除草稿"))
    return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)


@staff_required
def version_detail(request, pk):
    version = _version_for(request, pk)
    diff = version.diff
    if version.is_draft:
        diff = services.compute_diff(version.catalogue.latest_published(), version)
    return render(
        request,
        "catalogue/wb/version_detail.html",
        {
            "version": version,
            "catalogue": version.catalogue,
            "items": version.items.order_by("sort_order", "id"),
            "diff": diff,
            "elements": [d for d in version.catalogue.template.ordered_elements() if not d.is_column],
        },
    )


@staff_required
def catalogue_export(request, pk):
    catalogue = _catalogue_for(request, pk)
    version = catalogue.current_draft() if request.GET.get("draft") else catalogue.latest_published()
    if version is None:
        messages.error(request, _("没有可导出的版本"))
        return redirect("catalogue_wb:catalogue-detail", pk=catalogue.pk)
    return _download(exporter.export_versions([version]), f"{catalogue.title}-第{version.number}版.xlsx")


@staff_required
def adoption(request, pk):
    catalogue = _catalogue_for(request, pk)
    lists = selectors.adoption(catalogue)
    latest = catalogue.latest_published()
    return render(request, "catalogue/wb/adoption.html", {"catalogue": catalogue, "lists": lists, "latest": latest})


# --- items -----------------------------------------------------------------------------------


@staff_required
def item_create(request, version_pk):
    version = _version_for(request, version_pk)
    if not version.is_draft:
        messages.error(request, _("已发布的版本不能修改，请先新建修订版本"))
        return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
    Form = f.item_form_class(version.catalogue.template)
    form = Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(actor=request.user, version=version, **f.item_values(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("已添加事项"))
            if "another" in request.POST:
                return redirect("catalogue_wb:item-create", version_pk=version.pk)
            return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
    return render(
        request,
        "catalogue/wb/item_form.html",
        {"form": form, "version": version, "catalogue": version.catalogue, "item": None},
    )


@staff_required
def item_edit(request, pk):
    item = get_object_or_404(CatalogueItem.objects.select_related("version__catalogue"), pk=pk)
    version = _version_for(request, item.version_id)
    Form = f.item_form_class(version.catalogue.template)
    form = Form(request.POST or None, initial=f.item_initial(item))
    if request.method == "POST":
        if not version.is_draft:
            raise PermissionDenied(_("已发布的版本不能修改"))
        if "delete" in request.POST:
            try:
                services.item_delete(actor=request.user, item=item)
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(request, _("已删除事项"))
            return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
        if form.is_valid():
            try:
                services.item_update(actor=request.user, item=item, **f.item_values(form.cleaned_data))
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("已保存事项"))
                return redirect("catalogue_wb:catalogue-detail", pk=version.catalogue_id)
    return render(
        request,
        "catalogue/wb/item_form.html",
        {"form": form, "version": version, "catalogue": version.catalogue, "item": item},
    )


@staff_required
def timeframe_check(request):
    """htmx helper: show how a timeframe text is understood."""
    from . import timeframes

    text = request.GET.get("timeframe_text", "")
    result = timeframes.parse_result(text) if text else None
    return render(request, "catalogue/wb/_timeframe_check.html", {"result": result})


# --- import wizard ---------------------------------------------------------------------------


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "catalogue-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _purge_stale_uploads(max_age_hours: int = 24) -> None:
    """Uploads that were previewed but never confirmed are removed after a day."""
    import time

    cutoff = time.time() - max_age_hours * 3600
    for stale in _import_dir().iterdir():
        try:
            if stale.is_file() and stale.stat().st_mtime < cutoff:
                stale.unlink()
        except OSError:
            pass


@staff_required
def import_start(request):
    _require_office_any(request)
    units = _office_units(request)
    form = f.ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importer.MAX_BYTES:
            form.add_error("file", _("文件过大，上限 %(n)s MB") % {"n": importer.MAX_BYTES // 1024 // 1024})
        else:
            data = upload.read()
            _purge_stale_uploads()
            token = secrets.token_hex(16)
            (_import_dir() / token).write_bytes(data)
            params = {
                "filename": upload.name[:120],
                "template": form.cleaned_data["template"].pk,
                "domain": form.cleaned_data["domain"].pk if form.cleaned_data["domain"] else None,
                "owner": form.cleaned_data["owner"].pk,
                "target_kind": form.cleaned_data["target_kind"],
                "target_level": form.cleaned_data["target_level"],
            }
            request.session[f"catalogue_import_{token}"] = params
            return redirect("catalogue_wb:import-preview", token=token)
    return render(request, "catalogue/wb/import_start.html", {"form": form, "max_rows": importer.WEB_MAX_ROWS})


def _load_import(request, token):
    params = request.session.get(f"catalogue_import_{token}")
    path = _import_dir() / token
    if not params or not token.isalnum() or not path.exists():
        raise Http404
    owner = get_object_or_404(Organisation, pk=params["owner"])
    if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, owner):
        raise PermissionDenied
    template = get_object_or_404(ElementTemplate, pk=params["template"])
    domain = Domain.objects.filter(pk=params["domain"]).first() if params["domain"] else None
    key = f"catalogue_import_report_{token}"
    report = None if request.method == "POST" else cache.get(key)  # confirming always re-checks the file
    if report is None:
        report = importer.parse(
            path.read_bytes(),
            filename=params["filename"],
            template=template,
            domain=domain,
            max_rows=importer.WEB_MAX_ROWS,
        )
        if len(report.rows) <= 20_000:
            cache.set(key, report, 3600)
    return params, owner, report, path


@staff_required
def import_preview(request, token):
    params, owner, report, path = _load_import(request, token)
    if request.method == "POST":
        if not report.ok:
            messages.error(request, _("文件有错误，未保存任何数据"))
        else:
            try:
                result = importer.commit(
                    report,
                    actor=request.user,
                    owner=owner,
                    target_kind=params["target_kind"],
                    target_level=params["target_level"],
                    publish=bool(request.POST.get("publish")),
                )
            except ValidationError as exc:
                messages.error(request, _("未保存任何数据：%(e)s") % {"e": _errors(exc)})
            else:
                path.unlink(missing_ok=True)
                request.session.pop(f"catalogue_import_{token}", None)
                cache.delete(f"catalogue_import_report_{token}")
                names = "、".join(f"{c.domain.name}（{n}项）" for c, n in result.catalogues)
                messages.success(
                    request, (_("已导入并发布：%(x)s") if result.published else _("已导入为草稿：%(x)s")) % {"x": names}
                )
                if len(result.catalogues) == 1:
                    return redirect("catalogue_wb:catalogue-detail", pk=result.catalogues[0][0].pk)
                return redirect("catalogue_wb:catalogue-list")
    rows = report.rows
    only_errors = request.GET.get("errors") == "1"
    if only_errors:
        rows = report.error_rows
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    defs = [d for d in report.template.ordered_elements() if not d.is_column]
    return render(
        request,
        "catalogue/wb/import_preview.html",
        {
            "report": report,
            "page": page,
            "params": params,
            "owner": owner,
            "token": token,
            "elements": defs,
            "only_errors": only_errors,
            "query": "errors=1" if only_errors else "",
        },
    )


# --- unit lists ------------------------------------------------------------------------------


@staff_required
def my_lists(request):
    lists = selectors.unit_lists_for_staff(request.user)
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        lists = lists.filter(unit_id=int(unit))
    page = Paginator(lists, 100).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_counts(page.object_list)
    return render(request, "catalogue/wb/my_lists.html", {"page": page, "query": f"unit={unit}" if unit else ""})


def _unit_list_for(request, pk) -> UnitList:
    ul = get_object_or_404(
        UnitList.objects.select_related("unit", "catalogue__domain", "catalogue__template", "version"), pk=pk
    )
    if not permissions.can_view(request.user, ul.unit):
        raise Http404
    return ul


@staff_required
def unitlist_detail(request, pk):
    ul = _unit_list_for(request, pk)
    can_edit = selectors.manageable_unit_list(request.user, ul)
    items = selectors.unit_list_items(ul, include_inactive=True)
    latest = ul.catalogue.latest_published()
    return render(
        request,
        "catalogue/wb/unitlist_detail.html",
        {"ul": ul, "items": items, "can_edit": can_edit, "latest": latest},
    )


@staff_required
def unitlist_export(request, pk):
    ul = _unit_list_for(request, pk)
    return _download(exporter.export_unit_lists([ul]), f"{ul.unit.name}-{ul.catalogue.domain.name}公开目录.xlsx")


@staff_required
def unititem_add(request, list_pk):
    ul = _unit_list_for(request, list_pk)
    if not selectors.manageable_unit_list(request.user, ul):
        raise PermissionDenied(_("您不能修改该单位的公开目录"))
    Form = f.item_form_class(ul.catalogue.template, with_mandatory=False, local=True)
    form = Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = f.item_values(form.cleaned_data)
        try:
            services.unit_item_add_local(
                actor=request.user,
                unit_list=ul,
                column_name=form.cleaned_data.get("column_name", ""),
                note=form.cleaned_data.get("note", ""),
                **values,
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("已添加本单位自增事项"))
            return redirect("catalogue_wb:unitlist-detail", pk=ul.pk)
    return render(request, "catalogue/wb/unititem_form.html", {"form": form, "ul": ul, "item": None})


@staff_required
def unititem_edit(request, pk):
    item = get_object_or_404(UnitItem.objects.select_related("unit_list__catalogue__template", "unit"), pk=pk)
    ul = _unit_list_for(request, item.unit_list_id)
    if not selectors.manageable_unit_list(request.user, ul):
        raise PermissionDenied(_("您不能修改该单位的公开目录"))
    if item.is_local:
        Form = f.item_form_class(ul.catalogue.template, with_mandatory=False, local=True)
        form = Form(request.POST or None, initial=f.item_initial(item))
    else:
        form = f.UnitItemDerivedForm(
            request.POST or None,
            initial={"responsible_unit": item.responsible_unit, "column_name": item.column_name, "note": item.note},
            unit=ul.unit,
        )
    if request.method == "POST" and form.is_valid():
        try:
            if item.is_local:
                values = f.item_values(form.cleaned_data)
                services.unit_item_update(
                    actor=request.user,
                    item=item,
                    column_name=form.cleaned_data.get("column_name", ""),
                    note=form.cleaned_data.get("note", ""),
                    **values,
                )
            else:
                services.unit_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("catalogue_wb:unitlist-detail", pk=ul.pk)
    return render(request, "catalogue/wb/unititem_form.html", {"form": form, "ul": ul, "item": item})


@staff_required
@require_POST
def unititem_drop(request, pk):
    item = get_object_or_404(UnitItem, pk=pk)
    ul = _unit_list_for(request, item.unit_list_id)
    try:
        services.unit_item_drop(actor=request.user, item=item, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已从本单位目录删除“%(n)s”") % {"n": item.display_name})
    return redirect("catalogue_wb:unitlist-detail", pk=ul.pk)


@staff_required
@require_POST
def unititem_restore(request, pk):
    item = get_object_or_404(UnitItem, pk=pk)
    ul = _unit_list_for(request, item.unit_list_id)
    try:
        services.unit_item_restore(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已恢复“%(n)s”") % {"n": item.display_name})
    return redirect("catalogue_wb:unitlist-detail", pk=ul.pk)


@staff_required
@require_POST
def catalogue_rederive(request, pk):
    catalogue = _catalogue_for(request, pk)
    try:
        stats = services.catalogue_rederive(actor=request.user, catalogue=catalogue)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("已重新派生：%(units)s个单位，新建目录%(lists)s个，新增事项%(created)s项")
            % {"units": stats["units"], "lists": stats["lists_created"], "created": stats["items_created"]},
        )
    return redirect("catalogue_wb:adoption", pk=catalogue.pk)


@staff_required
@require_POST
def catalogue_targets(request, pk):
    catalogue = _catalogue_for(request, pk)
    ids = [int(x) for x in request.POST.getlist("units") if x.isdigit()]
    units = list(Organisation.objects.filter(pk__in=ids))
    try:
        services.catalogue_set_target_units(actor=request.user, catalogue=catalogue, units=units)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("已保存适用单位；发布新版本或“重新派生”后生效"))
    return redirect("catalogue_wb:catalogue-detail", pk=catalogue.pk)

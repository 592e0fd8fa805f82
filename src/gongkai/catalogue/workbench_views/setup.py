"""Staff pages for the catalogue's set-up: local domains and element templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.decorators import staff_required
from gongkai.core.models import Organisation, Role

from .. import forms as f
from .. import selectors, services
from ..models import Domain, ElementDefinition, ElementTemplate
from ._common import configuration_units, errors_text, require_office_any


@staff_required
def domain_list(request):
    require_office_any(request)
    form = f.DomainForm(request.POST or None, units=configuration_units(request))
    if request.method == "POST" and form.is_valid():
        try:
            domain = services.domain_create(
                actor=request.user,
                owner_unit=form.cleaned_data["owner_unit"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("已添加地方领域“%(name)s”") % {"name": domain.name})
            return redirect("catalogue_wb:domain-list")
    domains = selectors.public_domains().select_related("owner_unit")
    return render(request, "catalogue/wb/domain_list.html", {"domains": domains, "form": form})


@staff_required
def domain_edit(request, pk):
    domain = get_object_or_404(Domain, pk=pk)
    if domain.owner_unit is None or not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, domain.owner_unit):
        if not permissions.is_configuration_admin(request.user):
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
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("catalogue_wb:domain-list")
    title = _("编辑领域：%(name)s") % {"name": domain.name}
    return render(request, "catalogue/wb/simple_form.html", {"form": form, "title": title})


@staff_required
def template_list(request):
    require_office_any(request)
    form = f.TemplateForm(request.POST or None, units=configuration_units(request))
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
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("已创建要素模板"))
            return redirect("catalogue_wb:template-detail", pk=template.pk)
    templates = selectors.templates_for_staff(request.user)
    return render(request, "catalogue/wb/template_list.html", {"templates": templates, "form": form})


def _can_edit_template(user, template: ElementTemplate) -> bool:
    if template.is_builtin or template.owner_unit is None:
        return permissions.is_configuration_admin(user)
    return permissions.has_role(user, Role.DISCLOSURE_OFFICE, template.owner_unit)


def _element_data(form) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k != "key" or v}
    if data.get("order") is None:
        data.pop("order", None)
    return data


@staff_required
def template_detail(request, pk):
    require_office_any(request)
    template = get_object_or_404(ElementTemplate, pk=pk)
    visible = template.is_builtin or permissions.is_configuration_admin(request.user)
    if not visible and template.owner_unit is not None:
        visible = permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, template.owner_unit)
    if not visible:
        raise Http404(_("要素模板不存在或您无权查看"))
    can_edit = _can_edit_template(request.user, template)
    form = f.ElementForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("您不能修改该模板"))
        if form.is_valid():
            try:
                services.element_add(actor=request.user, template=template, **_element_data(form))
            except ValidationError as exc:
                form.add_error(None, errors_text(exc))
            else:
                messages.success(request, _("已添加要素"))
                return redirect("catalogue_wb:template-detail", pk=template.pk)
    context = {
        "template": template,
        "elements": template.ordered_elements(),
        "form": form,
        "can_edit": can_edit,
        "catalogues": template.catalogues.select_related("domain", "owner")[:50],
    }
    return render(request, "catalogue/wb/template_detail.html", context)


def _element_initial(element: ElementDefinition) -> dict:
    return {
        "name": element.name,
        "key": element.key,
        "type": element.type,
        "required": element.required,
        "allowed_values": "、".join(element.allowed_values),
        "aliases": "、".join(element.aliases),
        "help_text": element.help_text,
        "order": element.order,
    }


@staff_required
def element_edit(request, pk):
    element = get_object_or_404(ElementDefinition.objects.select_related("template"), pk=pk)
    if not _can_edit_template(request.user, element.template):
        raise PermissionDenied(_("您不能修改该模板"))
    form = f.ElementForm(request.POST or None, initial=_element_initial(element))
    form.fields["key"].disabled = True
    if request.method == "POST" and "remove" in request.POST:
        try:
            services.element_remove(actor=request.user, element=element)
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
            return redirect("catalogue_wb:element-edit", pk=element.pk)
        messages.success(request, _("已删除要素"))
        return redirect("catalogue_wb:template-detail", pk=element.template_id)
    if request.method == "POST" and form.is_valid():
        data = _element_data(form)
        data.pop("key", None)
        try:
            services.element_update(actor=request.user, element=element, **data)
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("catalogue_wb:template-detail", pk=element.template_id)
    return render(request, "catalogue/wb/element_form.html", {"form": form, "element": element})

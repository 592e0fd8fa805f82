"""Helpers shared by the catalogue's staff pages: who may see what, downloads, error text."""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.models import Organisation, OrgKind, Role

from .. import selectors
from ..models import Catalogue, CatalogueVersion, UnitItem, UnitList

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def errors_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def office_units(request):
    """Units where the user acts as 政务公开办: candidate owners of catalogues, templates and domains
    (governments only — the office sits in a government)."""
    return selectors.office_units(request.user).filter(is_active=True, kind=OrgKind.GOVERNMENT).order_by("path")


def configuration_units(request):
    """Candidate owners of local domains and element templates: the user's office units, or every
    government for the system administrator (domains and templates are configuration)."""
    if permissions.is_configuration_admin(request.user):
        return Organisation.objects.filter(is_active=True, kind=OrgKind.GOVERNMENT).order_by("path")
    return office_units(request)


def require_office_any(request) -> None:
    if not (permissions.is_configuration_admin(request.user) or office_units(request).exists()):
        raise PermissionDenied(_("只有政务公开办管理员可以管理标准目录"))


def catalogue_for(request, pk) -> Catalogue:
    catalogue = get_object_or_404(Catalogue.objects.select_related("domain", "owner", "template"), pk=pk)
    if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, catalogue.owner):
        raise Http404(_("标准目录不存在或您无权查看"))
    return catalogue


def version_for(request, pk) -> CatalogueVersion:
    version = get_object_or_404(
        CatalogueVersion.objects.select_related("catalogue__owner", "catalogue__domain", "catalogue__template"), pk=pk
    )
    if not permissions.has_role(request.user, Role.DISCLOSURE_OFFICE, version.catalogue.owner):
        raise Http404(_("目录版本不存在或您无权查看"))
    return version


def unit_list_for(request, pk) -> UnitList:
    ul = get_object_or_404(
        UnitList.objects.select_related("unit", "catalogue__domain", "catalogue__template", "version"), pk=pk
    )
    if not permissions.can_view(request.user, ul.unit):
        raise Http404(_("公开目录不存在或您无权查看"))
    return ul


def unit_item_for(request, pk) -> UnitItem:
    item = get_object_or_404(UnitItem.objects.select_related("unit_list__catalogue__template", "unit"), pk=pk)
    unit_list_for(request, item.unit_list_id)
    return item


def download(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response

"""Public portal pages of the standard catalogue (/catalogue/): browse, item pages, search, print."""

from __future__ import annotations

from pathlib import Path

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from gongkai.core import pageviews
from gongkai.core.models import Level, Organisation

from . import exporter, selectors
from .models import Catalogue, Domain, UnitItem, UnitList

SAMPLE = Path(__file__).parent / "samples" / "sample_catalogue.xlsx"


def _level(request) -> str:
    level = request.GET.get("level", "")
    return level if level in Level.values else ""


def home(request):
    level = _level(request)
    domains = [d for d in selectors.public_domains() if d.catalogue_count or d.unit_count]
    units = selectors.units_with_lists(level=level)
    by_level: dict[str, list] = {}
    for u in units:
        by_level.setdefault(u.get_level_display(), []).append(u)
    return render(
        request,
        "catalogue/portal/home.html",
        {
            "domains": domains,
            "by_level": by_level,
            "level": level,
            "levels": Level.choices,
            "all_domains": Domain.objects.filter(is_active=True),
        },
    )


def domain_detail(request, code):
    domain = get_object_or_404(Domain, code=code, is_active=True)
    level = _level(request)
    catalogues = selectors.published_catalogues(domain=domain, level=level)
    units = selectors.units_with_lists(domain=domain, level=level)
    return render(
        request,
        "catalogue/portal/domain.html",
        {"domain": domain, "catalogues": catalogues, "units": units, "level": level, "levels": Level.choices},
    )


def standard_detail(request, pk):
    catalogue = get_object_or_404(Catalogue.objects.select_related("domain", "owner", "template"), pk=pk)
    version = catalogue.latest_published()
    if version is None:
        raise Http404(_("该标准目录尚未发布"))
    elements = [d for d in catalogue.template.ordered_elements() if not d.is_column]
    return render(
        request,
        "catalogue/portal/standard.html",
        {
            "catalogue": catalogue,
            "version": version,
            "items": selectors.with_cells(selectors.published_items(version), elements),
            "elements": elements,
        },
    )


def _unit(pk) -> Organisation:
    unit = get_object_or_404(Organisation, pk=pk, is_active=True)
    return unit


def unit_detail(request, pk, *, printable: bool = False):
    unit = _unit(pk)
    all_lists = selectors.unit_lists_of(unit)
    lists = list(all_lists)
    code = request.GET.get("domain", "")
    if code:
        lists = [ul for ul in lists if ul.catalogue.domain.code == code]
    # All domains at once: a compact overview (name, timeframe, responsible unit); one domain or
    # the printable view: every element.
    compact = not code and not printable
    sections = []
    for ul in lists:
        elements = [] if compact else [d for d in ul.catalogue.template.ordered_elements() if not d.is_column]
        sections.append(
            {"list": ul, "items": selectors.with_cells(selectors.unit_list_items(ul), elements), "elements": elements}
        )
    template = "catalogue/portal/unit_print.html" if printable else "catalogue/portal/unit.html"
    return render(
        request,
        template,
        {"unit": unit, "sections": sections, "domain_code": code, "compact": compact, "all_lists": all_lists},
    )


def unit_print(request, pk):
    return unit_detail(request, pk, printable=True)


def unit_export(request, pk):
    unit = _unit(pk)
    lists = list(
        UnitList.objects.filter(unit=unit).select_related("unit", "catalogue__domain", "catalogue__template", "version")
    )
    if not lists:
        raise Http404(_("该单位还没有公开目录"))
    from urllib.parse import quote

    response = HttpResponse(
        exporter.export_unit_lists(lists),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = _("%(unit)s政务公开事项目录.xlsx") % {"unit": unit.name}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def item_detail(request, pk):
    item = get_object_or_404(
        UnitItem.objects.select_related(
            "unit",
            "responsible_unit",
            "unit_list__catalogue__domain",
            "unit_list__catalogue__template",
            "unit_list__version",
            "source_item",
        ),
        pk=pk,
    )
    if not item.is_active:
        raise Http404(_("该事项已停用"))
    catalogue = item.unit_list.catalogue
    pageviews.record_view(request, "catalogue.item", item.pk)
    elements = [d for d in catalogue.template.ordered_elements() if not d.is_column]
    return render(
        request,
        "catalogue/portal/item.html",
        {"item": item, "catalogue": catalogue, "elements": elements},
    )


def search(request):
    """Search the catalogue: standard items (once each, with how many units keep them) and units' local
    items; with ``unit`` every item of that unit's lists."""
    from urllib.parse import urlencode

    q = request.GET.get("q", "").strip()[:100]
    level = _level(request)
    domain = Domain.objects.filter(code=request.GET.get("domain", "")).first()
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = Organisation.objects.filter(pk=int(request.GET["unit"]), is_active=True).first()
    standard = []
    if q and unit is None:
        standard = selectors.search_standard_items(q, domain=domain, level=level)
    results = selectors.search_items(q, domain=domain, unit=unit, level=level) if q else UnitItem.objects.none()
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    query = urlencode(
        {
            k: v
            for k, v in {
                "q": q,
                "level": level,
                "domain": domain.code if domain else "",
                "unit": unit.pk if unit else "",
            }.items()
            if v
        }
    )
    return render(
        request,
        "catalogue/portal/search.html",
        {
            "q": q,
            "page": page,
            "standard": standard,
            "total": len(standard) + page.paginator.count,
            "query": query,
            "level": level,
            "levels": Level.choices,
            "domain": domain,
            "domains": Domain.objects.filter(is_active=True),
            "unit": unit,
        },
    )


def sample(request):
    if not SAMPLE.exists():
        raise Http404(_("样例文件缺失"))
    return FileResponse(SAMPLE.open("rb"), as_attachment=True, filename=_("标准目录导入样例.xlsx"))

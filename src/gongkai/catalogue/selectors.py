"""Read queries of the catalogue app (public and staff); the module other apps import.

Publications attach to catalogue items and compute their due dates here
(:func:`linkable_unit_items`, :func:`disclosure_due_date`); the catalogue never imports
publications (the portal's item page gets the content published under an item from a
template tag that the publications app owns).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.core import chinese, permissions, workdays
from gongkai.core.models import Level, Organisation, Role

from . import timeframes
from .models import (
    Catalogue,
    CatalogueItem,
    CatalogueVersion,
    Domain,
    ElementTemplate,
    UnitItem,
    UnitList,
    VersionStatus,
)

# --- public ---------------------------------------------------------------------------


def domain_by_pk(pk: int) -> Domain | None:
    """An active domain (for other apps' pages filtered by domain)."""
    return Domain.objects.filter(pk=pk, is_active=True).first()


def public_domains() -> QuerySet[Domain]:
    """Active domains, with the number of units that keep a list in each."""
    return Domain.objects.filter(is_active=True).annotate(
        unit_count=Count("catalogues__unit_lists", distinct=True),
        catalogue_count=Count(
            "catalogues", filter=Q(catalogues__versions__status=VersionStatus.PUBLISHED), distinct=True
        ),
    )


def published_catalogues(*, domain: Domain | None = None, level: str = "") -> QuerySet[Catalogue]:
    qs = Catalogue.objects.filter(versions__status=VersionStatus.PUBLISHED).distinct()
    if domain is not None:
        qs = qs.filter(domain=domain)
    if level in Level.values:
        qs = qs.filter(target_level=level)
    return qs.select_related("domain", "owner", "template").order_by("domain__sort_order", "target_level", "id")


def units_with_lists(*, domain: Domain | None = None, level: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(is_active=True, catalogue_lists__isnull=False)
    if domain is not None:
        qs = qs.filter(catalogue_lists__catalogue__domain=domain)
    if level in Level.values:
        qs = qs.filter(level=level)
    return qs.annotate(list_count=Count("catalogue_lists", distinct=True)).order_by("path")


def attach_counts(lists) -> list[UnitList]:
    """Set ``item_count`` (active), ``local_count`` and ``dropped_count`` on each list with one grouped
    query over just these lists (an annotate over the joined table scans every unit item at province scale)."""
    lists = list(lists)
    rows = (
        UnitItem.objects.filter(unit_list_id__in=[ul.pk for ul in lists])
        .order_by()
        .values("unit_list_id")
        .annotate(
            active=Count("id", filter=Q(is_active=True)),
            local=Count("id", filter=Q(is_active=True, is_local=True)),
            dropped=Count("id", filter=Q(is_active=False, retired_kind="dropped")),
        )
    )
    by_list = {r["unit_list_id"]: r for r in rows}
    for ul in lists:
        r = by_list.get(ul.pk, {})
        ul.item_count, ul.local_count, ul.dropped_count = r.get("active", 0), r.get("local", 0), r.get("dropped", 0)
    return lists


def unit_items_by_ids(ids) -> dict[str, UnitItem]:
    """Active unit catalogue items by id (as text), with their unit and domain — for lists built
    from ids kept elsewhere (e.g. the most viewed items)."""
    wanted = [int(i) for i in ids if str(i).isdigit()]
    qs = UnitItem.objects.filter(pk__in=wanted, is_active=True).select_related("unit", "unit_list__catalogue__domain")
    return {str(item.pk): item for item in qs}


def unit_lists_of(unit: Organisation) -> list[UnitList]:
    return attach_counts(
        UnitList.objects.filter(unit=unit)
        .select_related("catalogue__domain", "catalogue__template", "version")
        .order_by("catalogue__domain__sort_order", "catalogue_id")
    )


def unit_list_items(unit_list: UnitList, *, include_inactive: bool = False) -> QuerySet[UnitItem]:
    qs = unit_list.items.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("responsible_unit").order_by("is_local", "sort_order", "id")


def latest_published_versions() -> QuerySet[CatalogueVersion]:
    from django.db.models import OuterRef, Subquery

    latest = (
        CatalogueVersion.objects.filter(catalogue=OuterRef("catalogue"), status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )
    return CatalogueVersion.objects.filter(pk=Subquery(latest))


def _terms(query: str) -> list[str]:
    return [t for t in chinese.normalise(query).split() if t][:6]


def search_standard_items(
    query: str, *, domain: Domain | None = None, level: str = "", limit: int = 100
) -> list[CatalogueItem]:
    """Items of the current standard catalogues (one row per item, not per unit); each carries
    ``unit_count``, the number of units whose list is derived from its catalogue."""
    terms = _terms(query)
    if not terms:
        return []
    version_ids = list(latest_published_versions().values_list("pk", flat=True))
    qs = CatalogueItem.objects.filter(version_id__in=version_ids)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    if domain is not None:
        qs = qs.filter(version__catalogue__domain=domain)
    if level in Level.values:
        qs = qs.filter(version__catalogue__target_level=level)
    items = list(
        qs.select_related("version__catalogue__domain", "version__catalogue__owner").order_by(
            "version__catalogue__domain__sort_order", "version__catalogue_id", "sort_order"
        )[:limit]
    )
    catalogue_ids = {i.version.catalogue_id for i in items}
    counts = dict(
        UnitList.objects.filter(catalogue_id__in=catalogue_ids)
        .order_by()
        .values("catalogue_id")
        .annotate(n=Count("id"))
        .values_list("catalogue_id", "n")
    )
    for i in items:
        i.unit_count = counts.get(i.version.catalogue_id, 0)
    return items


def search_items(
    query: str, *, domain: Domain | None = None, unit: Organisation | None = None, level: str = ""
) -> QuerySet[UnitItem]:
    """Unit-list items matching every word of the query (简/繁, 全角/半角 insensitive).

    Without a unit, only local items are searched here (standard items are found once each by
    :func:`search_standard_items`), which keeps the query off the province-size table scan."""
    terms = _terms(query)
    if not terms:
        return UnitItem.objects.none()
    qs = UnitItem.objects.filter(is_active=True)
    if unit is not None:
        qs = qs.filter(unit=unit)
    else:
        qs = qs.filter(is_local=True)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    if domain is not None:
        qs = qs.filter(unit_list__catalogue__domain=domain)
    if level in Level.values:
        qs = qs.filter(unit__level=level)
    return qs.select_related("unit", "unit_list__catalogue__domain").order_by(
        "unit__path", "unit_list_id", "sort_order"
    )


def published_items(version: CatalogueVersion) -> QuerySet[CatalogueItem]:
    return version.items.order_by("sort_order", "id")


def with_cells(items, elements) -> list:
    """Attach the display value of each element (``item.cells``) so templates render tables cheaply."""
    from .elements import display_value

    keys = [e.key for e in elements]
    out = list(items)
    for item in out:
        values = item.elements or {}
        item.cells = [display_value(values.get(k)) for k in keys]
    return out


def disclosure_due_date(
    timeframe_rule: dict | None, event: dt.date, *, calendar: workdays.Calendar | None = None
) -> dt.date | None:
    """When information fulfilling a catalogue item with this timeframe rule is due, counted from
    the day it was made or changed; without a rule, the art. 26 period (``disclosure.proactive``).
    Raises :class:`~gongkai.core.workdays.CalendarMissing` for a year without holiday data."""
    return timeframes.due_date(timeframe_rule or None, event, calendar=calendar)


def linkable_unit_items(units) -> QuerySet[UnitItem]:
    """Active items of these units' lists (or items they are responsible for), ordered by domain,
    then by the catalogue's order — for choosing the item a publication fulfils."""
    return (
        UnitItem.objects.filter(Q(unit__in=units) | Q(responsible_unit__in=units), is_active=True)
        .select_related("unit", "unit_list__catalogue__domain")
        .order_by(
            "unit_list__catalogue__domain__sort_order",
            "unit_list__catalogue__domain_id",
            "unit__path",
            "sort_order",
            "id",
        )
        .distinct()
    )


def domain_of(unit_item: UnitItem) -> Domain:
    return unit_item.unit_list.catalogue.domain


# --- staff ------------------------------------------------------------------------------


def office_units(user) -> QuerySet[Organisation]:
    return permissions.units_with_role(user, Role.DISCLOSURE_OFFICE)


def catalogues_for_staff(user) -> QuerySet[Catalogue]:
    qs = Catalogue.objects.select_related("domain", "owner", "template")
    if permissions.is_superuser(user):
        return qs
    return qs.filter(owner__in=office_units(user))


def templates_for_staff(user) -> QuerySet[ElementTemplate]:
    qs = ElementTemplate.objects.annotate(element_count=Count("elements", distinct=True))
    if permissions.is_configuration_admin(user):
        return qs
    return qs.filter(Q(is_builtin=True) | Q(owner_unit__in=office_units(user)))


def unit_lists_for_staff(user) -> QuerySet[UnitList]:
    """Lists of the units the user may see (call :func:`attach_counts` on the page shown)."""
    return (
        permissions.scope(UnitList.objects.all(), user)
        .select_related("unit", "catalogue__domain", "version")
        .order_by("unit__path", "catalogue__domain__sort_order")
    )


def adoption(catalogue: Catalogue) -> list[UnitList]:
    return attach_counts(
        UnitList.objects.filter(catalogue=catalogue).select_related("unit", "version").order_by("unit__path")
    )


def workbench_panels(user) -> list[dict]:
    panels = []
    if permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).exists():
        drafts = catalogues_for_staff(user).filter(versions__status=VersionStatus.DRAFT).distinct()[:8]
        panels.append(
            {
                "title": _("标准目录草稿（待发布）"),
                "items": [(c.title, reverse("catalogue_wb:catalogue-detail", args=[c.pk])) for c in drafts],
                "empty": _("没有待发布的标准目录草稿"),
            }
        )
    lists = attach_counts(unit_lists_for_staff(user).filter(unit__in=_own_units(user))[:8])
    panels.append(
        {
            "title": _("本单位公开目录"),
            "items": [
                (
                    _("%(unit)s · %(domain)s（%(n)s项）")
                    % {"unit": ul.unit.display_name, "domain": ul.catalogue.domain.name, "n": ul.item_count},
                    reverse("catalogue_wb:unitlist-detail", args=[ul.pk]),
                )
                for ul in lists
            ],
            "empty": _("本单位还没有公开目录（由政务公开办发布标准目录后自动生成）"),
        }
    )
    return panels


def _own_units(user) -> QuerySet[Organisation]:
    from gongkai.core.models import Membership

    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=Membership.objects.filter(user=user).values("unit_id"))


def manageable_unit_list(user, unit_list: UnitList) -> bool:
    return permissions.has_any_role(user, [Role.EDITOR, Role.LEADER, Role.DISCLOSURE_OFFICE], unit_list.unit)


def item_labels(ids) -> dict[str, str]:
    """ "<item>（<unit>）" of unit catalogue items by id, for "most viewed" lists (missing ids are left out)."""
    pks = [int(i) for i in ids if str(i).isdigit()]
    return {
        str(o.pk): f"{o}（{o.unit.display_name}）" for o in UnitItem.objects.filter(pk__in=pks).select_related("unit")
    }

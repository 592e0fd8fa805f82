"""The unit directory (公开主体): every unit of the site's governments, grouped as residents look
for them — townships, government departments, public institutions — each with its catalogue,
its published information and its office contact (office telephone, address and hours are the
unit's own public contact data, not personal data)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core import selectors as core
from gongkai.core.models import PUBLIC_INSTITUTION_KINDS, Organisation, OrgKind

from .home import installed


def site_governments() -> list[Organisation]:
    """The governments the site serves: its county governments, or the top governments of a site
    that has none (a city or township deployment)."""
    counties = list(core.governments("county").order_by("path"))
    if counties:
        return counties
    governments = list(core.governments().order_by("path"))
    if not governments:
        return []
    top = min(g.depth for g in governments)
    return [g for g in governments if g.depth == top]


def _links() -> tuple[set[int], set[int]]:
    with_catalogue, publishing = set(), set()
    if installed("catalogue"):
        from gongkai.catalogue import selectors as catalogue

        with_catalogue = set(catalogue.units_with_lists().values_list("pk", flat=True))
    if installed("publications"):
        from gongkai.publications import selectors as publications

        publishing = set(publications.publishing_units().values_list("pk", flat=True))
    return with_catalogue, publishing


def _entry(unit: Organisation, root: Organisation, names: dict[int, str], links) -> dict:
    with_catalogue, publishing = links
    return {
        "unit": unit,
        "parent": names.get(unit.parent_id, "") if unit.parent_id != root.pk else "",
        "catalogue_url": reverse("catalogue:unit", args=[unit.pk]) if unit.pk in with_catalogue else "",
        "publications_url": reverse("publications:unit", args=[unit.pk]) if unit.pk in publishing else "",
    }


def unit_directory() -> list[dict]:
    """One group per site government: the government itself, then its townships, departments and
    public institutions (empty groups left out)."""
    links = _links()
    directory = []
    for root in site_governments():
        units = list(core.organisation_tree(root=root))
        names = {u.pk: u.name for u in units}
        groups = [
            (_("乡镇（街道）"), [u for u in units if u.kind == OrgKind.GOVERNMENT and u.pk != root.pk]),
            (_("政府部门"), [u for u in units if u.kind == OrgKind.DEPARTMENT]),
            (_("公共企事业单位"), [u for u in units if u.kind in PUBLIC_INSTITUTION_KINDS]),
        ]
        directory.append(
            {
                "root": _entry(root, root, names, links),
                "count": len(units),
                "groups": [
                    {
                        "title": title,
                        "slug": f"{root.pk}-{i}",
                        "units": [_entry(u, root, names, links) for u in members],
                    }
                    for i, (title, members) in enumerate(groups)
                    if members
                ],
            }
        )
    return directory

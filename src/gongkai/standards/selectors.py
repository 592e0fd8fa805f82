"""Reads of standard systems: the public tree, per-level counts, staff scope."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gongkai.core import permissions

from .models import Level, Node, Standard, StandardSystem, Status


def public_systems() -> QuerySet[StandardSystem]:
    return StandardSystem.objects.filter(is_public=True, unit__is_active=True).select_related("unit")


def staff_systems(user) -> QuerySet[StandardSystem]:
    return permissions.scope(StandardSystem.objects.select_related("unit"), user)


def level_counts(system: StandardSystem, *, include_repealed: bool = False) -> dict[str, int]:
    """Standards by level, e.g. Putuo's {national: 46, industry: 1, local: 4, group: 0, own: 118}."""
    qs = system.standards.all()
    if not include_repealed:
        qs = qs.exclude(status=Status.REPEALED)
    counts = dict(qs.values_list("level").annotate(n=Count("pk")))
    return {level: counts.get(level, 0) for level in Level.values}


def tree(system: StandardSystem, *, status: str = "", level: str = "") -> list[dict]:
    """Sub-systems with their parts and standards: [{node, count, children: [{node, count, standards}]}]."""
    standards = system.standards.select_related("node").order_by("level", "number")
    if status in Status.values:
        standards = standards.filter(status=status)
    if level in Level.values:
        standards = standards.filter(level=level)
    by_node: dict[int, list[Standard]] = {}
    for s in standards:
        by_node.setdefault(s.node_id, []).append(s)
    nodes = list(system.nodes.all())
    children: dict[int | None, list[Node]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)

    def build(node: Node) -> dict:
        kids = [build(c) for c in children.get(node.pk, [])]
        own = by_node.get(node.pk, [])
        return {"node": node, "standards": own, "children": kids, "count": len(own) + sum(k["count"] for k in kids)}

    return [build(n) for n in children.get(None, [])]


def overview(units=None) -> list[dict]:
    """Per unit: standards by level and status (for the office's statistics)."""
    qs = StandardSystem.objects.select_related("unit")
    if units is not None:
        qs = qs.filter(unit__in=units)
    out = []
    for system in qs.annotate(
        current=Count("standards", filter=Q(standards__status=Status.CURRENT)),
        drafting=Count("standards", filter=Q(standards__status=Status.DRAFTING)),
        repealed=Count("standards", filter=Q(standards__status=Status.REPEALED)),
    ):
        out.append(
            {
                "system": system,
                "levels": level_counts(system),
                "current": system.current,
                "drafting": system.drafting,
                "repealed": system.repealed,
            }
        )
    return out

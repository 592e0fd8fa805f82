"""Deriving units' own lists (单位公开目录) from a published standard catalogue version."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.models import User
from gongkai.core.transitions import TransitionRefused

from .. import elements as el
from ..audit import AuditAction
from ..models import Catalogue, CatalogueItem, CatalogueVersion, RetiredKind, UnitItem, UnitList
from ._common import office


def target_units(catalogue: Catalogue):
    """Units that get a list: of the catalogue's kind and level, at or below the owner
    (restricted to ``target_units`` when the office named them, e.g. a domain's lead department)."""
    qs = catalogue.owner.descendants(include_self=True).filter(
        kind=catalogue.target_kind, level=catalogue.target_level, is_active=True
    )
    if catalogue.pk and catalogue.target_units.exists():
        qs = qs.filter(pk__in=catalogue.target_units.values("pk"))
    return qs


def _update_derived(version: CatalogueVersion, std: list[CatalogueItem], std_text: dict, now) -> tuple[int, int]:
    """Existing derived items: one UPDATE per standard item across every unit's list; retire the rest."""
    derived = UnitItem.objects.filter(unit_list__catalogue=version.catalogue, is_local=False)
    updated = 0
    for item in std if derived.exists() else []:
        same = derived.filter(item_key=item.item_key)
        revive = Q(retired_kind=RetiredKind.WITHDRAWN) | (Q(pk__isnull=False) if item.mandatory else Q(pk__isnull=True))
        same.filter(is_active=False).filter(revive).update(is_active=True, retired_kind="", retired_reason="")
        updated += same.update(
            source_item=item,
            mandatory=item.mandatory,
            sort_order=item.sort_order,
            level1=item.level1,
            name=item.name,
            elements=item.elements,
            timeframe_text=item.timeframe_text,
            timeframe_rule=item.timeframe_rule,
            search_text=std_text[item.item_key],
            updated_at=now,
        )
    with translation.override(None):  # stored, shown on the portal: the source language (简体)
        reason = _("第%(n)s版标准目录已取消该事项") % {"n": version.number}
    retired = (
        derived.filter(is_active=True)
        .exclude(item_key__in=[i.item_key for i in std])
        .update(
            is_active=False,
            retired_kind=RetiredKind.WITHDRAWN,
            retired_reason=reason,
            updated_at=now,
        )
    )
    return updated, retired


def derive_unit_lists(version: CatalogueVersion, *, batch_size: int = 2000) -> dict:
    """Create or update every matching unit's list from a published version (set-based; in the caller's transaction).

    - new standard items are added to every list (responsible unit = the unit itself);
    - existing derived items take the new names, elements, timeframe and mandatory flag (one
      UPDATE per standard item across all units); items a unit dropped stay dropped unless
      they became mandatory; items withdrawn earlier and now back are reactivated;
    - items no longer in the standard are retired (kept for content linked to them);
    - local items and each unit's own details (responsible unit, column, note) are never touched.
    """
    catalogue = version.catalogue
    now = timezone.now()
    units = list(target_units(catalogue).values_list("id", flat=True))
    std = list(version.items.all())
    lists = dict(UnitList.objects.filter(catalogue=catalogue).values_list("unit_id", "id"))
    new_lists = [
        UnitList(unit_id=u, catalogue=catalogue, version=version, adopted_at=now) for u in units if u not in lists
    ]
    UnitList.objects.bulk_create(new_lists, batch_size=batch_size)
    UnitList.objects.filter(catalogue=catalogue, unit_id__in=units).update(version=version, adopted_at=now)
    std_text = {
        i.item_key: i.search_text or el.search_text(i.level1, i.name, i.elements, i.timeframe_text) for i in std
    }
    updated, retired = _update_derived(version, std, std_text, now)
    for item in std:
        if not item.search_text:
            item.search_text = std_text[item.item_key]
            item.save(update_fields=["search_text"])
    return {
        "units": len(units),
        "lists_created": len(new_lists),
        "items_created": _insert_missing_items(version, now),
        "items_updated": updated,
        "items_retired": retired,
    }


@transaction.atomic
def catalogue_rederive(*, actor: User | None, catalogue: Catalogue) -> dict:
    """Derive the current published version again: units created (or re-activated) since the
    last publication get their list; existing lists are brought in line. Idempotent."""
    office(actor, catalogue.owner)
    version = catalogue.latest_published()
    if version is None:
        raise TransitionRefused(_("该目录尚未发布"))
    stats = derive_unit_lists(version)
    audit.record(
        actor=actor,
        action=AuditAction.CATALOGUE_REDERIVE,
        obj=catalogue,
        unit=catalogue.owner,
        after={"derived": stats},
    )
    return stats


def _insert_missing_items(version: CatalogueVersion, now) -> int:
    """INSERT every (unit list on this version, standard item) pair that has no derived item yet:
    one INSERT … SELECT run by the database, so a province-size publication does not round-trip
    500,000 rows through Python."""
    qn = connection.ops.quote_name
    ui, ul, ci = UnitItem._meta.db_table, UnitList._meta.db_table, CatalogueItem._meta.db_table
    stamp = connection.ops.adapt_datetimefield_value(now)
    sql = f"""
        INSERT INTO {qn(ui)} (unit_list_id, unit_id, source_item_id, item_key, is_local, mandatory, sort_order,
            level1, name, elements, timeframe_text, timeframe_rule, responsible_unit_id, column_name, note,
            is_active, retired_kind, retired_reason, search_text, created_at, updated_at)
        SELECT l.id, l.unit_id, c.id, c.item_key, %s, c.mandatory, c.sort_order,
            c.level1, c.name, c.elements, c.timeframe_text, c.timeframe_rule, l.unit_id, '', '',
            %s, '', '', c.search_text, %s, %s
        FROM {qn(ul)} l JOIN {qn(ci)} c ON c.version_id = %s
        WHERE l.catalogue_id = %s AND l.version_id = %s
          AND NOT EXISTS (SELECT 1 FROM {qn(ui)} x WHERE x.unit_list_id = l.id AND x.item_key = c.item_key)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [False, True, stamp, stamp, version.pk, version.catalogue_id, version.pk])
        return max(cursor.rowcount, 0)

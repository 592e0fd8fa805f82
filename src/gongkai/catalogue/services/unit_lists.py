"""A unit's own list: local items (本单位自增事项), the unit's details on derived items, drop and restore.

Local items go straight into a published list, so, unlike a standard catalogue's draft, they
must be complete when saved.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.core import audit, chinese
from gongkai.core.models import Organisation, User
from gongkai.core.transitions import TransitionRefused

from .. import elements as el
from ..audit import AuditAction
from ..models import RetiredKind, UnitItem, UnitList
from ._common import new_key, unit_list_actor

DERIVED_FIELDS = {"responsible_unit", "column_name", "note"}
LOCAL_FIELDS = DERIVED_FIELDS | {"level1", "name", "elements", "timeframe_text"}


def _responsible(unit: Organisation, responsible: Organisation | None) -> Organisation:
    if responsible is None:
        return unit
    if not (responsible.pk == unit.pk or unit.is_ancestor_of(responsible)):
        raise ValidationError({"responsible_unit": _("责任单位应为本单位或本单位的下属单位")})
    return responsible


def _complete(unit_list: UnitList, *, level1, name, elements, timeframe_text) -> el.ElementCheck:
    checked = el.check(
        unit_list.catalogue.template, level1=level1, name=name, elements=elements or {}, timeframe_text=timeframe_text
    )
    if checked.errors or checked.problems:
        raise ValidationError(checked.errors + checked.problems)
    return checked


@transaction.atomic
def unit_item_add_local(
    *,
    actor: User | None,
    unit_list: UnitList,
    level1: str,
    name: str = "",
    elements: dict | None = None,
    timeframe_text: str = "",
    responsible_unit: Organisation | None = None,
    column_name: str = "",
    note: str = "",
) -> UnitItem:
    """A local item (本单位自增事项) in a unit's list, validated against the catalogue's template."""
    unit = unit_list.unit
    unit_list_actor(actor, unit)
    level1, name = (level1 or "").strip(), (name or "").strip()
    checked = _complete(unit_list, level1=level1, name=name, elements=elements, timeframe_text=timeframe_text)
    norm = chinese.normalise(f"{level1}{name}")
    for other in unit_list.items.filter(is_active=True).only("level1", "name"):
        if chinese.normalise(f"{other.level1}{other.name}") == norm:
            raise ValidationError(_("本单位目录中已有同名事项"))
    order = (unit_list.items.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    item = UnitItem.objects.create(
        unit_list=unit_list,
        unit=unit,
        item_key=new_key("L"),
        is_local=True,
        mandatory=False,
        sort_order=order,
        level1=level1,
        name=name,
        elements=checked.elements,
        timeframe_text=(timeframe_text or "").strip(),
        timeframe_rule=checked.timeframe_rule,
        responsible_unit=_responsible(unit, responsible_unit),
        column_name=column_name.strip()[:120],
        note=note.strip()[:500],
        search_text=el.search_text(level1, name, checked.elements, timeframe_text),
    )
    audit.record(actor=actor, action=AuditAction.UNIT_ITEM_ADD, obj=item, unit=unit, after=audit.snapshot(item))
    return item


def _apply_local_elements(item: UnitItem, data: dict) -> None:
    level1 = (data.get("level1", item.level1) or "").strip()
    name = (data.get("name", item.name) or "").strip()
    timeframe_text = (data.get("timeframe_text", item.timeframe_text) or "").strip()
    checked = _complete(
        item.unit_list,
        level1=level1,
        name=name,
        elements=data.get("elements", item.elements) or {},
        timeframe_text=timeframe_text,
    )
    item.level1, item.name, item.elements = level1, name, checked.elements
    item.timeframe_text, item.timeframe_rule = timeframe_text, checked.timeframe_rule


@transaction.atomic
def unit_item_update(*, actor: User | None, item: UnitItem, **data) -> UnitItem:
    """Derived items: only responsible unit, column and note; local items: everything."""
    unit = item.unit
    unit_list_actor(actor, unit)
    allowed = LOCAL_FIELDS if item.is_local else DERIVED_FIELDS
    bad = set(data) - allowed
    if bad:
        if not item.is_local and bad <= LOCAL_FIELDS:
            raise ValidationError(_("标准目录派生的事项只能调整责任单位、公开栏目和细化说明；要素由标准目录统一规定"))
        raise TypeError(f"unknown fields {bad}")
    before = audit.snapshot(item)
    if "responsible_unit" in data:
        item.responsible_unit = _responsible(unit, data["responsible_unit"])
    if "column_name" in data:
        item.column_name = (data["column_name"] or "").strip()[:120]
    if "note" in data:
        item.note = (data["note"] or "").strip()[:500]
    if item.is_local and (set(data) & (LOCAL_FIELDS - DERIVED_FIELDS)):
        _apply_local_elements(item, data)
    item.search_text = el.search_text(item.level1, item.name, item.elements, item.timeframe_text, item.column_name)
    item.save()
    audit.record(
        actor=actor,
        action=AuditAction.UNIT_ITEM_UPDATE,
        obj=item,
        unit=unit,
        before=before,
        after=audit.snapshot(item),
    )
    return item


def drop_refusal(item: UnitItem) -> str | None:
    """Why an item cannot be dropped from its unit's list now (None: it can)."""
    if not item.is_active:
        return _("该事项已停用")
    if item.mandatory and not item.is_local:
        return _("该事项是标准目录规定的必选事项，不能删除")
    return None


def restore_refusal(item: UnitItem) -> str | None:
    if item.is_active:
        return _("该事项仍在使用中")
    if item.retired_kind == RetiredKind.WITHDRAWN:
        return _("该事项已被标准目录取消，不能恢复；如仍需公开，请作为本单位自增事项添加")
    return None


@transaction.atomic
def unit_item_drop(*, actor: User | None, item: UnitItem, reason: str = "") -> UnitItem:
    """Drop an item from a unit's list. Mandatory standard items cannot be dropped.

    The row is kept inactive (content already published under it stays linked)."""
    unit = item.unit
    unit_list_actor(actor, unit)
    item = UnitItem.objects.select_for_update().get(pk=item.pk)
    problem = drop_refusal(item)
    if problem:
        raise TransitionRefused(problem)
    before = audit.snapshot(item)
    item.is_active = False
    item.retired_kind = RetiredKind.DROPPED
    with translation.override(None):  # stored, shown on the portal: the source language (简体)
        item.retired_reason = (reason or "").strip()[:200] or _("本单位不涉及")
    item.save(update_fields=["is_active", "retired_kind", "retired_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UNIT_ITEM_DROP,
        obj=item,
        unit=unit,
        before=before,
        after=audit.snapshot(item),
    )
    return item


@transaction.atomic
def unit_item_restore(*, actor: User | None, item: UnitItem) -> UnitItem:
    unit = item.unit
    unit_list_actor(actor, unit)
    item = UnitItem.objects.select_for_update().get(pk=item.pk)
    problem = restore_refusal(item)
    if problem:
        raise TransitionRefused(problem)
    before = audit.snapshot(item)
    item.is_active, item.retired_kind, item.retired_reason = True, "", ""
    item.save(update_fields=["is_active", "retired_kind", "retired_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UNIT_ITEM_RESTORE,
        obj=item,
        unit=unit,
        before=before,
        after=audit.snapshot(item),
    )
    return item

"""Publishing derives every matching unit's list; mandatory items stay; local items are kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue import services
from gongkai.catalogue.models import UnitItem, UnitList
from gongkai.core.models import AuditEvent, Level, OrgKind

from .conftest import T20, national_elements

pytestmark = pytest.mark.django_db


def test_publish_derives_lists_for_every_township_only(tree, published):
    lists = UnitList.objects.filter(catalogue=published)
    assert set(lists.values_list("unit__name", flat=True)) == {"西屏街道", "古市镇"}
    for ul in lists:
        assert ul.version == published.latest_published()
        items = ul.items.all()
        assert items.count() == 3
        assert all(i.responsible_unit_id == ul.unit_id and not i.is_local for i in items)
        assert items.get(name="救助结果").mandatory is False
        assert items.get(name="办事指南").source_item.version == ul.version


def test_mandatory_item_cannot_be_dropped(tree, published):
    item = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    with pytest.raises(ValidationError, match="必选事项"):
        services.unit_item_drop(actor=tree.town_editor, item=item)


def test_optional_item_dropped_stays_dropped_after_revision(tree, published):
    optional = UnitItem.objects.get(unit=tree.town_a, name="救助结果")
    services.unit_item_drop(actor=tree.town_editor, item=optional, reason="本街道无临时救助审批权")
    draft = services.version_start_draft(actor=tree.office, catalogue=published)
    services.item_update(
        actor=tree.office, item=draft.items.get(name="救助结果"), elements=national_elements(basis="新依据")
    )
    services.version_publish(actor=tree.office, version=draft)
    optional.refresh_from_db()
    assert not optional.is_active and optional.retired_kind == "dropped"
    assert optional.elements["basis"] == "新依据"  # still follows the standard text
    services.unit_item_restore(actor=tree.town_editor, item=optional)
    optional.refresh_from_db()
    assert optional.is_active


def test_optional_item_that_becomes_mandatory_is_restored(tree, published):
    optional = UnitItem.objects.get(unit=tree.town_b, name="救助结果")
    services.unit_item_drop(actor=tree.office, item=optional)
    draft = services.version_start_draft(actor=tree.office, catalogue=published)
    services.item_update(actor=tree.office, item=draft.items.get(name="救助结果"), mandatory=True)
    services.version_publish(actor=tree.office, version=draft)
    optional.refresh_from_db()
    assert optional.is_active and optional.mandatory


def test_revision_updates_lists_keeps_local_and_retires_removed(tree, published):
    ul = UnitList.objects.get(unit=tree.town_a, catalogue=published)
    local = services.unit_item_add_local(
        actor=tree.town_editor,
        unit_list=ul,
        level1="困难群众结对帮扶",
        name="走访名单",
        elements=national_elements(level=["乡级"]),
        timeframe_text="每季度结束后15日内",
    )
    guide = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    services.unit_item_update(
        actor=tree.town_editor, item=guide, column_name="社会救助 > 低保", note="由社会事务办负责"
    )
    draft = services.version_start_draft(actor=tree.office, catalogue=published)
    services.item_delete(actor=tree.office, item=draft.items.get(name="审核确认结果公示"))
    services.item_update(
        actor=tree.office, item=draft.items.get(name="办事指南"), timeframe_text="信息形成或变更之日起10个工作日内"
    )
    services.item_add(
        actor=tree.office,
        version=draft,
        level1="特困人员救助供养",
        name="办事指南",
        elements=national_elements(),
        timeframe_text=T20,
    )
    result = services.version_publish(actor=tree.office, version=draft)
    assert result["derived"]["items_created"] == 2 and result["derived"]["items_retired"] == 2
    ul.refresh_from_db()
    assert ul.version.number == 2
    local.refresh_from_db()
    assert local.is_active and local.is_local
    guide.refresh_from_db()
    assert guide.timeframe_text == "信息形成或变更之日起10个工作日内" and guide.timeframe_rule["days"] == 10
    assert guide.column_name == "社会救助 > 低保"  # the unit's own detail survives
    removed = UnitItem.objects.get(unit=tree.town_a, name="审核确认结果公示")
    assert not removed.is_active and removed.retired_kind == "withdrawn"
    with pytest.raises(ValidationError):
        services.unit_item_restore(actor=tree.town_editor, item=removed)
    assert UnitItem.objects.filter(unit=tree.town_a, is_active=True).count() == 4


def test_target_units_restrict_derivation(tree, national, assistance):
    catalogue = services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=assistance,
        template=national,
        target_kind=OrgKind.DEPARTMENT,
        target_level=Level.COUNTY,
    )
    services.catalogue_set_target_units(actor=tree.office, catalogue=catalogue, units=[tree.dept_a])
    with pytest.raises(ValidationError):
        services.catalogue_set_target_units(actor=tree.office, catalogue=catalogue, units=[tree.town_a])
    services.item_add(
        actor=tree.office,
        version=catalogue.current_draft(),
        level1="政策文件",
        elements=national_elements(level=["县级"]),
        timeframe_text=T20,
    )
    services.version_publish(actor=tree.office, version=catalogue.current_draft())
    assert list(UnitList.objects.filter(catalogue=catalogue).values_list("unit", flat=True)) == [tree.dept_a.pk]


def test_local_item_validated_and_responsible_unit_checked(tree, published):
    ul = UnitList.objects.get(unit=tree.town_a, catalogue=published)
    with pytest.raises(ValidationError):
        services.unit_item_add_local(actor=tree.town_editor, unit_list=ul, level1="x", elements={}, timeframe_text=T20)
    with pytest.raises(ValidationError, match="同名"):
        services.unit_item_add_local(
            actor=tree.town_editor,
            unit_list=ul,
            level1="最低生活保障",
            name="办事指南",
            elements=national_elements(),
            timeframe_text=T20,
        )
    with pytest.raises(ValidationError, match="责任单位"):
        services.unit_item_add_local(
            actor=tree.town_editor,
            unit_list=ul,
            level1="新",
            elements=national_elements(),
            timeframe_text=T20,
            responsible_unit=tree.town_b,
        )
    item = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    with pytest.raises(ValidationError, match="标准目录"):
        services.unit_item_update(actor=tree.town_editor, item=item, timeframe_text="实时")


def test_unit_staff_cannot_touch_other_units_list(tree, published):
    other = UnitItem.objects.get(unit=tree.town_b, name="救助结果")
    with pytest.raises(PermissionDenied):
        services.unit_item_drop(actor=tree.town_editor, item=other)
    ul_b = UnitList.objects.get(unit=tree.town_b, catalogue=published)
    with pytest.raises(PermissionDenied):
        services.unit_item_add_local(
            actor=tree.town_editor, unit_list=ul_b, level1="x", elements=national_elements(), timeframe_text=T20
        )
    with pytest.raises(PermissionDenied):
        services.unit_item_update(actor=tree.editor_a, item=other, note="x")


def test_unit_item_changes_audited(tree, published):
    item = UnitItem.objects.get(unit=tree.town_a, name="救助结果")
    services.unit_item_drop(actor=tree.town_editor, item=item)
    event = AuditEvent.objects.get(action="catalogue.unititem.drop")
    assert event.actor == tree.town_editor and event.unit == tree.town_a


def test_rederive_gives_new_units_their_list(tree, published):
    from tests.factories import org

    new_town = org(parent=tree.county, name="象溪镇", level=Level.TOWNSHIP)
    assert not UnitList.objects.filter(unit=new_town).exists()
    stats = services.catalogue_rederive(actor=tree.office, catalogue=published)
    assert stats["lists_created"] == 1 and stats["items_created"] == 3
    assert UnitList.objects.get(unit=new_town).items.count() == 3
    assert services.catalogue_rederive(actor=tree.office, catalogue=published)["items_created"] == 0
    with pytest.raises(PermissionDenied):
        services.catalogue_rederive(actor=tree.town_editor, catalogue=published)

"""Versions: draft → published (immutable), revisions copy the last version, readable diffs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue import services
from gongkai.catalogue.models import CatalogueVersion
from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused

from .conftest import T20, national_elements

pytestmark = pytest.mark.django_db


def test_publish_records_diff_and_audit(tree, township_catalogue):
    draft = township_catalogue.current_draft()
    result = services.version_publish(actor=tree.office, version=draft, note="首版")
    draft = CatalogueVersion.objects.get(pk=draft.pk)
    assert draft.status == "published" and draft.published_at and draft.published_by == tree.office
    assert result["diff"]["summary"] == {"added": 3, "removed": 0, "changed": 0, "total": 3}
    event = AuditEvent.objects.get(action="catalogue.version.publish", object_id=str(draft.pk))
    assert event.before["status"] == "draft" and event.after["status"] == "published"
    assert event.after["diff_summary"]["added"] == 3 and event.after["derived"]["units"] == 2


def test_published_version_is_immutable(tree, published):
    version = published.latest_published()
    item = version.items.first()
    with pytest.raises(ValidationError):
        services.item_add(
            actor=tree.office, version=version, level1="新事项", elements=national_elements(), timeframe_text=T20
        )
    with pytest.raises(ValidationError):
        services.item_update(actor=tree.office, item=item, name="改名")
    with pytest.raises(ValidationError):
        services.item_delete(actor=tree.office, item=item)
    with pytest.raises(TransitionRefused, match="当前状态"):
        services.version_publish(actor=tree.office, version=version)


def test_revision_diff_lists_added_removed_and_changed_elements(tree, published):
    draft = services.version_start_draft(actor=tree.office, catalogue=published, note="2025年修订")
    assert draft.number == 2 and draft.items.count() == 3
    with pytest.raises(TransitionRefused, match="已有未发布的草稿"):
        services.version_start_draft(actor=tree.office, catalogue=published)
    guide = draft.items.get(name="办事指南")
    services.item_update(
        actor=tree.office,
        item=guide,
        elements=national_elements(basis="《社会救助暂行办法》《最低生活保障审核确认办法》"),
        timeframe_text="信息形成或变更之日起10个工作日内",
    )
    services.item_delete(actor=tree.office, item=draft.items.get(name="救助结果"))
    services.item_add(
        actor=tree.office,
        version=draft,
        level1="特困人员救助供养",
        name="办事指南",
        elements=national_elements(),
        timeframe_text=T20,
    )
    diff = services.version_publish(actor=tree.office, version=draft)["diff"]
    assert diff["previous"] == 1
    assert [a["name"] for a in diff["added"]] == ["特困人员救助供养 · 办事指南"]
    assert [a["name"] for a in diff["removed"]] == ["临时救助 · 救助结果"]
    (changed,) = diff["changed"]
    labels = {c["label"]: c for c in changed["changes"]}
    assert set(labels) == {"公开依据", "公开时限"}
    assert labels["公开时限"]["old"] == T20 and labels["公开时限"]["new"] == "信息形成或变更之日起10个工作日内"


def test_cannot_publish_empty_draft(tree, national, assistance):
    catalogue = services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=assistance,
        template=national,
        target_kind="department",
        target_level="county",
    )
    with pytest.raises(TransitionRefused, match="没有事项") as exc:
        services.version_publish(actor=tree.office, version=catalogue.current_draft())
    assert exc.value.code == "condition"


def test_item_without_a_name_rejected(tree, township_catalogue):
    with pytest.raises(ValidationError, match="缺少事项名称"):
        services.item_add(
            actor=tree.office, version=township_catalogue.current_draft(), level1=" ", elements={}, timeframe_text=T20
        )


def test_incomplete_item_is_saved_but_blocks_publishing_until_accepted(tree, township_catalogue):
    draft = township_catalogue.current_draft()
    item = services.item_add(
        actor=tree.office,
        version=draft,
        level1="医疗救助",
        elements={"content": "救助对象、标准", "audience": [], "mode": ["主动"]},
        timeframe_text="随工作进度",
    )
    assert not item.is_complete
    problems = "；".join(item.problems)
    assert "公开依据" in problems and "公开对象" in problems and "公开时限无法识别" in problems
    with pytest.raises(TransitionRefused, match="要素不完整"):
        services.version_publish(actor=tree.office, version=draft)
    with pytest.raises(ValidationError, match="说明"):
        services.version_accept_incomplete(actor=tree.office, version=draft, note=" ")
    with pytest.raises(PermissionDenied):
        services.version_accept_incomplete(actor=tree.editor_a, version=draft, note="同意")
    services.version_accept_incomplete(actor=tree.office, version=draft, note="按上级目录原文发布")
    event = AuditEvent.objects.get(action="catalogue.version.accept_incomplete")
    assert event.after["accepted_items"] == ["医疗救助"] and event.actor == tree.office
    with pytest.raises(TransitionRefused, match="没有待确认"):
        services.version_accept_incomplete(actor=tree.office, version=draft, note="再次确认")
    # editing the item again withdraws its acceptance: it is checked again
    services.item_update(actor=tree.office, item=item, timeframe_text="随时更新")
    with pytest.raises(TransitionRefused, match="要素不完整"):
        services.version_publish(actor=tree.office, version=draft)
    services.item_update(
        actor=tree.office, item=item, elements=national_elements(), timeframe_text="信息形成或变更之日起20个工作日内"
    )
    item.refresh_from_db()
    assert item.is_complete and item.problems == []
    result = services.version_publish(actor=tree.office, version=draft)
    assert result["version"].status == "published"


def test_accepted_incomplete_items_stay_listed_in_the_next_revision(tree, township_catalogue):
    draft = township_catalogue.current_draft()
    services.item_add(actor=tree.office, version=draft, level1="医疗救助", elements={}, timeframe_text=T20)
    services.version_accept_incomplete(actor=tree.office, version=draft, note="原文如此")
    services.version_publish(actor=tree.office, version=draft)
    revision = services.version_start_draft(actor=tree.office, catalogue=township_catalogue)
    copied = revision.items.get(level1="医疗救助")
    assert not copied.is_complete and copied.incomplete_accepted and copied.problems
    services.version_publish(actor=tree.office, version=revision)  # nothing new to accept


def test_duplicate_item_rejected(tree, township_catalogue):
    with pytest.raises(ValidationError, match="已有事项"):
        services.item_add(
            actor=tree.office,
            version=township_catalogue.current_draft(),
            level1="最低生活保障",
            name="办事指南",
            elements=national_elements(),
            timeframe_text=T20,
        )


def test_discard_draft(tree, published, township_catalogue):
    draft = services.version_start_draft(actor=tree.office, catalogue=published)
    services.version_discard(actor=tree.office, version=draft)
    assert published.current_draft() is None and published.versions.count() == 1
    with pytest.raises(TransitionRefused, match="已发布的版本不能删除"):
        services.version_discard(actor=tree.office, version=published.latest_published())


def test_only_office_of_owner_or_ancestor_edits(tree, township_catalogue, national, assistance):
    draft = township_catalogue.current_draft()
    for user in (tree.editor_a, tree.leader_a, tree.town_editor):
        with pytest.raises(PermissionDenied):
            services.item_add(actor=user, version=draft, level1="x", elements=national_elements(), timeframe_text=T20)
        with pytest.raises(PermissionDenied):
            services.version_publish(actor=user, version=draft)
    with pytest.raises(PermissionDenied):
        services.catalogue_create(
            actor=tree.editor_a,
            owner=tree.dept_a,
            domain=assistance,
            template=national,
            target_kind="department",
            target_level="county",
        )


def test_renamed_item_keeps_key_and_name_can_be_reused(tree, published):
    draft = services.version_start_draft(actor=tree.office, catalogue=published)
    guide = draft.items.get(name="办事指南")
    key = guide.item_key
    services.item_update(actor=tree.office, item=guide, name="办事指南（申请）")
    guide.refresh_from_db()
    assert guide.item_key == key
    again = services.item_add(
        actor=tree.office,
        version=draft,
        level1="最低生活保障",
        name="办事指南",
        elements=national_elements(),
        timeframe_text=T20,
    )
    assert again.item_key != key
    with pytest.raises(ValidationError, match="已有事项"):
        services.item_update(actor=tree.office, item=again, name="办事指南（申请）")
    diff = services.compute_diff(published.latest_published(), draft)
    assert [c["name"] for c in diff["changed"]] == ["最低生活保障 · 办事指南（申请）"]
    assert [a["name"] for a in diff["added"]] == ["最低生活保障 · 办事指南"]

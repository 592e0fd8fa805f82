"""Guide versions: required elements enforced for publishing, the state machine on both faces, scoping, audit."""

import pytest

from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.guides import services
from gongkai.guides.models import Guide, GuideVersion, VersionState

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db


def test_publishing_needs_every_required_element(tree):
    guide = services.guide_create(actor=tree.editor_a, unit=tree.dept_a, data={"name": "临时救助", "conditions": "无"})
    version = services.guide_version_submit(actor=tree.editor_a, version=guide.versions.get())
    with pytest.raises(TransitionRefused, match="必填要素不全"):
        services.guide_version_publish(actor=tree.reviewer_a, version=version)
    assert {"materials", "visits", "conditions"} <= set(version.missing_elements())  # "无" is not a condition
    version = services.guide_version_send_back(actor=tree.reviewer_a, version=version, reason="补齐要素")
    version = services.guide_version_update(actor=tree.editor_a, version=version, data={**COMPLETE, "name": "临时救助"})
    assert version.missing_elements() == []
    version = services.guide_version_submit(actor=tree.editor_a, version=version)
    published = services.guide_version_publish(actor=tree.reviewer_a, version=version)
    assert published.state == VersionState.PUBLISHED
    assert Guide.objects.get(pk=guide.pk).current_id == published.pk
    assert AuditEvent.objects.filter(action="guides.version.publish", object_id=str(published.pk)).exists()


def test_promised_limit_longer_than_legal_blocks_publishing(tree):
    guide = services.guide_create(
        actor=tree.editor_a, unit=tree.dept_a, data={**COMPLETE, "legal_limit_days": 5, "promised_limit_days": 10}
    )
    assert "promised_limit_days" in guide.versions.get().missing_elements()


def test_new_version_supersedes_the_published_one(tree, make_guide):
    guide = make_guide()
    first = guide.current
    draft = services.guide_version_new(actor=tree.editor_a, guide=guide)
    with pytest.raises(TransitionRefused):
        services.guide_version_new(actor=tree.editor_a, guide=guide)  # one open draft at a time
    draft = services.guide_version_update(
        actor=tree.editor_a, version=draft, data={"promised_limit_days": 0, "note": "压缩时限"}
    )
    draft = services.guide_version_submit(actor=tree.editor_a, version=draft)
    second = services.guide_version_publish(actor=tree.reviewer_a, version=draft)
    assert GuideVersion.objects.get(pk=first.pk).state == VersionState.RETIRED
    assert Guide.objects.get(pk=guide.pk).current_id == second.pk and second.number == 2


def test_published_text_is_not_edited_in_place(tree, make_guide):
    guide = make_guide()
    with pytest.raises(TransitionRefused):
        services.guide_version_update(actor=tree.editor_a, version=guide.current, data={"name": "改名"})


def test_wording_is_versioned_apart_from_the_legal_text(tree, make_guide):
    guide = make_guide()
    services.guide_wording_save(
        actor=tree.editor_a, guide=guide, everyday_name="准生证", aliases="生育服务证、准生证明"
    )
    w2 = services.guide_wording_save(
        actor=tree.reviewer_a,
        guide=guide,
        everyday_name="准生证",
        aliases=["生育服务证"],
        plain={"conditions": "准备生孩子的夫妻都可以登记", "unknown": "x"},
    )
    assert w2.number == 2 and w2.plain == {"conditions": "准备生孩子的夫妻都可以登记"}
    assert guide.versions.count() == 1  # the legal text has no new version


def test_unit_b_cannot_act_on_unit_a(tree, make_guide, client_for, api_for):
    guide = make_guide(publish=False)
    version = guide.versions.get()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.guide_version_submit(actor=tree.editor_b, version=version)
    assert client_for(tree.editor_b).get(f"/workbench/guides/{guide.pk}/").status_code == 403
    assert client_for(tree.editor_b).post(f"/workbench/guides/versions/{version.pk}/act/submit/").status_code == 403
    assert api_for(tree.editor_b).post(f"/api/v1/guides/versions/{version.pk}/submit/").status_code == 404
    staff = api_for(tree.editor_b).get("/api/v1/guides/staff/").json()
    assert guide.pk not in [g["id"] for g in (staff["results"] if isinstance(staff, dict) else staff)]


def test_workbench_and_api_run_the_same_actions(tree, make_guide, client_for, api_for):
    guide = make_guide(publish=False, name="临时救助", materials=[])
    version = guide.versions.get()
    r = client_for(tree.editor_a).post(f"/workbench/guides/versions/{version.pk}/act/submit/")
    assert r.status_code == 302
    api = api_for(tree.reviewer_a)
    detail = api.get(f"/api/v1/guides/versions/{version.pk}/").json()
    assert "materials" in detail["missing"]
    r = api.post(f"/api/v1/guides/versions/{version.pk}/publish/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "condition"
    r = client_for(tree.reviewer_a).post(f"/workbench/guides/versions/{version.pk}/act/publish/")
    assert r.status_code == 409 and "必填要素不全" in r.content.decode()
    r = api.post(f"/api/v1/guides/versions/{version.pk}/send_back/", {"reason": ""}, format="json")
    assert r.status_code == 400
    r = api.post(f"/api/v1/guides/versions/{version.pk}/send_back/", {"reason": "请补充材料"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "draft"

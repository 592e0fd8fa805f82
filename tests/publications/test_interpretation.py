"""政策解读: linked to its policy, released together with it (synchronous release),
unless the reviewer records why not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.models import AuditEvent
from gongkai.publications import services
from gongkai.publications.models import State

pytestmark = pytest.mark.django_db


def _to_signoff(tree, pub):
    pub = services.publication_submit(actor=tree.editor_a, publication=pub)
    pub = services.publication_review_attribute(actor=tree.reviewer_a, publication=pub, attribute="proactive")
    return services.publication_review_confidentiality(actor=tree.reviewer_a, publication=pub)


def _interp(draft, policy, **kw):
    data = dict(
        doc_type="interpretation",
        title="《松阳县最低生活保障审核确认办法》政策解读",
        body="<p>一、出台背景</p><p>二、主要内容</p>",
        interprets=policy,
        interpretation_form="text",
        document_number="",
    )
    data.update(kw)
    return draft(**data)


def test_policy_needing_interpretation_cannot_publish_alone(tree, draft):
    policy = _to_signoff(tree, draft(needs_interpretation=True))
    with pytest.raises(ValidationError) as err:
        services.publication_sign_off(actor=tree.leader_a, publication=policy)
    assert "解读" in str(err.value)
    policy.refresh_from_db()
    assert policy.state == State.SIGNOFF
    assert not AuditEvent.objects.filter(action="publications.publication.publish").exists()


def test_policy_and_interpretation_released_together(tree, draft):
    policy = _to_signoff(tree, draft(needs_interpretation=True))
    interp = _to_signoff(tree, _interp(draft, policy))
    policy = services.publication_sign_off(actor=tree.leader_a, publication=policy)
    interp.refresh_from_db()
    assert policy.state == interp.state == State.PUBLISHED
    assert interp.published_on == policy.published_on
    assert interp.index_number and "-JD-" in interp.index_number
    assert interp.transitions.last().comment.startswith("与《")
    assert AuditEvent.objects.filter(action="publications.publication.publish").count() == 2


def test_interpretation_sign_off_releases_its_policy(tree, draft):
    policy = _to_signoff(tree, draft(needs_interpretation=True))
    interp = _to_signoff(tree, _interp(draft, policy))
    services.publication_sign_off(actor=tree.leader_a, publication=interp)
    policy.refresh_from_db()
    assert policy.state == State.PUBLISHED


def test_interpretation_cannot_precede_its_policy(tree, draft):
    policy = draft(needs_interpretation=True)  # still a draft
    interp = _to_signoff(tree, _interp(draft, policy))
    with pytest.raises(ValidationError) as err:
        services.publication_sign_off(actor=tree.leader_a, publication=interp)
    assert "尚未发布" in str(err.value)


def test_interpretation_of_published_policy(tree, draft, publish):
    policy = publish(draft(), interpretation_waiver="")
    interp = publish(
        _interp(draft, policy, interpretation_form="video", video_url="https://v.songyang.gov.cn/jd/2026-12.mp4")
    )
    assert interp.state == State.PUBLISHED


def test_reviewer_waiver_allows_policy_first(tree, draft, publish):
    policy = publish(
        draft(needs_interpretation=True), interpretation_waiver="本文件为延续性政策，内容未作实质调整，无需另行解读"
    )
    assert policy.state == State.PUBLISHED
    assert policy.interpretation_waiver.startswith("本文件为延续性政策")
    ev = AuditEvent.objects.get(action="publications.publication.waive_interpretation", object_id=str(policy.pk))
    assert ev.after["interpretation_waiver"].startswith("本文件为延续性政策") and ev.actor == tree.reviewer_a


def test_waiver_at_the_last_step_unblocks_publication(tree, draft):
    policy = _to_signoff(tree, draft(needs_interpretation=True))
    with pytest.raises(ValidationError, match="解读"):
        services.publication_sign_off(actor=tree.leader_a, publication=policy)
    with pytest.raises(ValidationError, match="理由"):
        services.publication_waive_interpretation(actor=tree.leader_a, publication=policy, reason=" ")
    services.publication_waive_interpretation(actor=tree.leader_a, publication=policy, reason="延续性政策，无需解读")
    assert services.publication_sign_off(actor=tree.leader_a, publication=policy).state == State.PUBLISHED
    assert list(policy.transitions.values_list("step", flat=True))[-2:] == ["waive", "signoff"]


def test_video_interpretation_needs_link(tree, draft):
    policy = draft()
    with pytest.raises(ValidationError) as err:
        _interp(draft, policy, interpretation_form="video", video_url="")
    assert "video_url" in err.value.message_dict


def test_only_interpretations_link_to_policies(tree, draft):
    policy = draft()
    with pytest.raises(ValidationError):
        draft(doc_type="notice", interprets=policy)
    notice = draft(doc_type="notice", title="关于开展低保专项检查的通知")
    with pytest.raises(ValidationError):
        _interp(draft, notice)

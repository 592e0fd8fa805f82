"""Publishing an appeal needs the citizen's explicit, separate consent (个人信息保护法): the box is
unticked by default, explained, independent of anonymity, and nothing is published without it."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from gongkai.core.transitions import TransitionRefused
from gongkai.interaction import services
from gongkai.interaction.actions import APPEAL_ACTIONS
from gongkai.interaction.forms import AppealForm
from gongkai.interaction.models import Appeal

from .test_public_views import form_data


def _consent_input(html: str) -> str:
    match = re.search(r"<input[^>]*name=\"publish_consent\"[^>]*>", html)
    assert match, "the consent checkbox is on the form"
    return match.group()


def test_consent_box_is_unticked_and_explained(tree, types, client):
    html = client.get("/interaction/submit/").content.decode()
    box = _consent_input(html)
    assert 'type="checkbox"' in box and "checked" not in box
    assert "我单独同意" in html and "可不勾选，不影响受理、办理和答复" in html
    assert "遮盖姓名、联系方式、身份证号、住址等个人信息" in html
    # separate from anonymity: its own field, its own label
    anonymous = re.search(r"<input[^>]*name=\"anonymous\"[^>]*>", html).group()
    assert anonymous != box
    assert AppealForm().fields["publish_consent"].initial is False


def test_consent_explained_in_english_too(tree, types, client):
    with translation.override("en"):
        form = AppealForm()
        assert "consent" in str(form.fields["publish_consent"].label).lower()
        assert "not affect" in str(form.fields["publish_consent"].help_text)


@pytest.mark.parametrize("ticked,expected", [(False, False), (True, True)])
def test_only_a_ticked_box_records_consent(tree, types, client, ticked, expected):
    data = form_data(client, types, target_unit=tree.county.pk)
    data.pop("publish_consent")
    if ticked:
        data["publish_consent"] = "on"
    assert client.post("/interaction/submit/", data).status_code == 302
    assert Appeal.objects.get().publish_consent is expected


def test_without_consent_nothing_is_published(tree, submit):
    appeal = submit()  # the service's default is no consent, as is the form's
    assert appeal.publish_consent is False
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=appeal, answer="请到乡镇社会事务办申请。")
    with pytest.raises(TransitionRefused, match="留言人未同意公开"):
        services.appeal_publish(
            actor=tree.office, appeal=appeal, public_title="低保", public_content="材料", public_answer="乡镇申请"
        )
    assert "publish" not in [a.name for a in APPEAL_ACTIONS.available(tree.office, appeal)]


def test_a_truthy_non_boolean_is_not_consent(tree, types):
    appeal, _ = services.appeal_submit(
        appeal_type=types["consult"],
        target_unit=tree.county,
        title="标题",
        content="内容",
        phone="13905781234",
        publish_consent="yes",
    )
    assert appeal.publish_consent is False

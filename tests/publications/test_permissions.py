"""Unit A's staff cannot list, read or change unit B's publications (pages and services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.publications import services
from gongkai.publications.models import State

from .files import pdf_bytes

pytestmark = pytest.mark.django_db


def test_editor_cannot_draft_for_other_unit(tree):
    with pytest.raises(PermissionDenied):
        services.publication_create(actor=tree.editor_a, unit=tree.dept_b, doc_type="notice", title="越权")


def test_unit_b_cannot_touch_unit_a_items(tree, draft):
    pub = draft()
    with pytest.raises(PermissionDenied):
        services.publication_update(actor=tree.editor_b, publication=pub, title="改")
    with pytest.raises(PermissionDenied):
        services.publication_submit(actor=tree.editor_b, publication=pub)
    pub = services.publication_submit(actor=tree.editor_a, publication=pub)
    with pytest.raises(PermissionDenied):
        services.publication_review_attribute(actor=tree.reviewer_b, publication=pub, attribute="proactive")
    with pytest.raises(PermissionDenied):
        services.publication_reject(actor=tree.reviewer_b, publication=pub, comment="x")
    pub.refresh_from_db()
    assert pub.state == State.ATTRIBUTE_REVIEW


def test_pages_scoped_by_unit(tree, client, draft):
    pub = draft()
    services.attachment_add(actor=tree.editor_a, publication=pub, name="a.pdf", data=pdf_bytes())
    services.publication_submit(actor=tree.editor_a, publication=pub)
    client.force_login(tree.reviewer_b)
    assert pub.title not in client.get(reverse("publications_wb:list")).content.decode()
    assert pub.title not in client.get(reverse("publications_wb:queue", args=["attribute_review"])).content.decode()
    assert client.get(reverse("publications_wb:detail", args=[pub.pk])).status_code == 404
    r = client.post(reverse("publications_wb:act", args=[pub.pk, "review-attribute"]))
    assert r.status_code == 404
    client.force_login(tree.editor_b)
    assert client.get(reverse("publications_wb:edit", args=[pub.pk])).status_code == 404
    # unit A sees it; the county disclosure office oversees it (read) but cannot review it
    client.force_login(tree.reviewer_a)
    assert pub.title in client.get(reverse("publications_wb:queue", args=["attribute_review"])).content.decode()
    client.force_login(tree.office)
    assert pub.title in client.get(reverse("publications_wb:list")).content.decode()
    assert pub.title in client.get(reverse("publications_wb:queue", args=["attribute_review"])).content.decode()
    page = client.get(reverse("publications_wb:detail", args=[pub.pk]))
    assert page.status_code == 200 and "/act/review-attribute/" not in page.content.decode()
    r = client.post(reverse("publications_wb:act", args=[pub.pk, "review-attribute"]))
    assert r.status_code == 403
    pub.refresh_from_db()
    assert pub.state == State.ATTRIBUTE_REVIEW


def test_policy_page_scoped(tree, client):
    client.force_login(tree.leader_b)
    assert client.get(reverse("publications_wb:policy", args=[tree.dept_a.pk])).status_code == 403
    client.force_login(tree.leader_a)
    r = client.post(
        reverse("publications_wb:policy", args=[tree.dept_a.pk]), {"require_signoff": "on", "separate_reviewer": "on"}
    )
    assert r.status_code == 302
    assert services.review_steps(tree.dept_a) == ["attribute_review", "signoff"]


def test_cannot_interpret_another_units_hidden_draft(tree, draft):
    other = draft(unit=tree.dept_b, actor=tree.editor_b, title="人社局草稿")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        draft(doc_type="interpretation", title="解读", interprets=other, interpretation_form="text")
    assert "interprets" in err.value.message_dict

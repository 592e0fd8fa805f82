"""Fixtures for publications tests: drafting and pushing items through the review chain."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.publications import services
from gongkai.publications.models import DocType, Publication

BODY = (
    "<p>为进一步规范最低生活保障审核确认工作，根据《社会救助暂行办法》和《浙江省最低生活保障办法》，"
    "结合本县实际，制定本办法。</p><p>一、低保申请以家庭为单位，由申请人向户籍所在地乡镇（街道）提出。</p>"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(tree):
    """make a draft in dept_a (民政局) by editor_a."""

    def _make(**kw) -> Publication:
        data = dict(
            doc_type=DocType.POLICY,
            title="松阳县最低生活保障审核确认办法",
            body=BODY,
            issuer="松阳县民政局",
            document_number="松民发〔2026〕12号",
            made_on=dt.date(2026, 11, 2),
        )
        data.update(kw)
        unit = data.pop("unit", tree.dept_a)
        actor = data.pop("actor", tree.editor_a)
        return services.publication_create(actor=actor, unit=unit, **data)

    return _make


@pytest.fixture
def publish(tree):
    """Push an item from draft to published with the dept_a (or dept_b) reviewer and leader."""

    def _publish(pub: Publication, **attr_kw) -> Publication:
        a = pub.unit_id == tree.dept_a.pk
        editor, reviewer, leader = (
            (tree.editor_a, tree.reviewer_a, tree.leader_a) if a else (tree.editor_b, tree.reviewer_b, tree.leader_b)
        )
        pub = services.publication_submit(actor=editor, publication=pub)
        pub = services.publication_review_attribute(actor=reviewer, publication=pub, attribute="proactive", **attr_kw)
        if pub.state == "confidentiality_review":
            pub = services.publication_review_confidentiality(actor=reviewer, publication=pub)
        if pub.state == "signoff":
            pub = services.publication_sign_off(actor=leader, publication=pub)
        return pub

    return _publish

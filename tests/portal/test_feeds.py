"""RSS/Atom feeds behind the home page's lists: publications per type, consultations, appeal answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from gongkai.publications.models import DocType

from .content import answered_appeal, open_consultation, publish

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _rss_titles(response) -> list[str]:
    return [i.findtext("title") for i in ET.fromstring(response.content).iter("item")]


def _atom_titles(response) -> list[str]:
    root = ET.fromstring(response.content)
    return [e.findtext("a:title", namespaces=ATOM) for e in root.findall("a:entry", ATOM)]


@pytest.mark.parametrize("feed", ["publications:feed-rss", "publications:feed-atom"])
@pytest.mark.parametrize("doc_type", DocType.values)
def test_every_type_feed_answers(tree, client, feed, doc_type):
    """The 14 /publications/feed/{rss,atom}/?type=… URLs used to answer 500 (a lazy label in str.join)."""
    response = client.get(reverse(feed) + f"?type={doc_type}")
    assert response.status_code == 200
    title = ET.fromstring(response.content).findtext("channel/title") or ET.fromstring(response.content).findtext(
        "a:title", namespaces=ATOM
    )
    assert str(DocType(doc_type).label) in title


def test_type_feed_lists_only_that_type_and_several_types_combine(tree, client):
    notice = publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告", doc_type="notice")
    rule = publish(tree, title="松阳县养老服务补贴管理办法", doc_type="normative")
    policy = publish(tree, title="松阳县支持高校毕业生等青年就业创业若干政策", doc_type="policy")
    assert _rss_titles(client.get(reverse("publications:feed-rss") + "?type=notice")) == [notice.title]
    both = _atom_titles(client.get(reverse("publications:feed-atom") + "?type=policy&type=normative&type=bogus"))
    assert set(both) == {rule.title, policy.title}
    assert len(_rss_titles(client.get(reverse("publications:feed-rss") + "?type=bogus"))) == 3


def test_consultation_feed(tree, client):
    c = open_consultation(tree, title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）")
    rss = client.get(reverse("interaction:consultations-feed-rss"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert _rss_titles(rss) == [c.title]
    item = next(ET.fromstring(rss.content).iter("item"))
    assert item.findtext("link").endswith(reverse("interaction:consultation", args=[c.pk]))
    assert f"征集期：{c.opens_on} 至 {c.closes_on}" in item.findtext("description")
    assert _atom_titles(client.get(reverse("interaction:consultations-feed-atom"))) == [c.title]


def test_appeal_answer_feed_shows_published_answers_without_personal_data(tree, client):
    published = answered_appeal(tree, title="我母亲想申请低保", publish_as="低保申请需要哪些材料")
    private = answered_appeal(tree, title="小区路灯长期不亮")
    rss = client.get(reverse("interaction:appeals-feed-rss"))
    assert _rss_titles(rss) == ["低保申请需要哪些材料"]
    body = rss.content.decode()
    assert private.title not in body and published.title not in body
    assert "吴秀英" not in body and "13905781234" not in body and published.tracking_code not in body
    assert _atom_titles(client.get(reverse("interaction:appeals-feed-atom"))) == ["低保申请需要哪些材料"]

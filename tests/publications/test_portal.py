"""Public pages: document page with the index table, withdrawn and not-yet-effective states,
listings per unit/type, the library, feeds, print view; XSS-safe rendering."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse

from gongkai.publications import services
from gongkai.publications.models import Publication

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


def test_detail_shows_index_table_body_and_interpretation(tree, client, draft, publish):
    policy = publish(draft(topic="civil"), interpretation_waiver="")
    interp = publish(
        draft(
            doc_type="interpretation",
            title="低保办法解读",
            interprets=policy,
            interpretation_form="graphic",
            document_number="",
        )
    )
    html = client.get(policy.get_absolute_url()).content.decode()
    for text in [
        "信息索引",
        policy.index_number,
        "民政、扶贫、救灾",
        "松阳县民政局",
        "松民发〔2026〕12号",
        "2026-11-02",
        "低保申请以家庭为单位",
        "低保办法解读",
    ]:
        assert text in html, text
    html = client.get(interp.get_absolute_url()).content.decode()
    assert "解读的文件" in html and policy.title in html and "图文解读" in html


def test_unpublished_items_are_404(tree, client, draft):
    pub = draft()
    assert client.get(reverse("publications:detail", args=[pub.pk])).status_code == 404
    services.publication_submit(actor=tree.editor_a, publication=pub)
    assert client.get(reverse("publications:detail", args=[pub.pk])).status_code == 404
    assert pub.title not in client.get(reverse("publications:index")).content.decode()


def test_withdrawn_page_says_so_without_content(tree, client, draft, publish):
    pub = publish(draft())
    services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="文件已被新版本替代，请查阅2027年版")
    r = client.get(pub.get_absolute_url())
    assert r.status_code == 200
    html = r.content.decode()
    assert "本信息已撤回" in html and "文件已被新版本替代，请查阅2027年版" in html
    assert "低保申请以家庭为单位" not in html
    assert pub.title not in client.get(reverse("publications:index")).content.decode()


def test_not_yet_effective_and_repealed_visible(tree, client, draft, publish):
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=CST), tick=False):
        pub = publish(draft(doc_type="normative", effective_from=dt.date(2027, 1, 1)))
        html = client.get(pub.get_absolute_url()).content.decode()
        assert "尚未生效" in html and "自 2027年1月1日 起施行" in html
        lib = client.get(reverse("publications:library") + "?status=not_yet").content.decode()
        assert pub.title in lib
        assert pub.title not in client.get(reverse("publications:library") + "?status=valid").content.decode()
    with time_machine.travel(dt.datetime(2027, 1, 1, 10, tzinfo=CST), tick=False):
        assert pub.title in client.get(reverse("publications:library") + "?status=valid").content.decode()
        services.legal_link_add(
            actor=tree.leader_a, target=pub, kind="repeal", effective_on=dt.date(2027, 1, 1), note="清理"
        )
        html = client.get(pub.get_absolute_url()).content.decode()
        assert "本文件已废止" in html and "失效" in html


def test_listings_per_unit_and_type(tree, client, draft, publish):
    a = publish(draft(doc_type="notice", title="民政局通知公告"))
    b = publish(
        draft(
            unit=tree.dept_b,
            actor=tree.editor_b,
            doc_type="budget",
            title="2026年部门预算",
            fiscal_year=2026,
            budget_kind="budget",
        )
    )
    html = client.get(reverse("publications:unit", args=[tree.dept_a.pk])).content.decode()
    assert a.title in html and b.title not in html
    html = client.get(reverse("publications:type", args=["budget"])).content.decode()
    assert b.title in html and a.title not in html
    assert client.get(reverse("publications:type", args=["nonsense"])).status_code == 404
    html = client.get(reverse("publications:index") + "?q=预算").content.decode()
    assert b.title in html and a.title not in html
    html = client.get(reverse("publications:policies")).content.decode()
    assert a.title not in html


def test_bad_query_parameters_do_not_500(client, tree):
    for url in ["?year=abc&unit=x&page=zzz", "?type=<script>", "?unit=999999"]:
        assert client.get(reverse("publications:index") + url).status_code == 200
    assert client.get(reverse("publications:library") + "?status=bogus&unit=abc").status_code == 200
    assert client.get(reverse("publications:feed-rss") + "?unit=abc").status_code == 200


def test_xss_in_title_and_body_neutralised(tree, client, draft, publish):
    pub = publish(
        draft(
            title='<img src=x onerror=alert(1)>关于<b>低保</b>的通知<script>alert("t")</script>',
            body='<p onclick="evil()">正文</p><script>alert(1)</script><a href="javascript:alert(2)">链接</a>'
            '<iframe src="https://evil.example"></iframe><table><tr><td>表格</td></tr></table>',
        )
    )
    assert pub.title == "关于低保的通知"
    assert "<script" not in pub.body and "onclick" not in pub.body and "javascript:" not in pub.body
    assert "<iframe" not in pub.body and "<table>" in pub.body
    # even if the database were edited directly, the page re-sanitises the body
    Publication.objects.filter(pk=pub.pk).update(body='<p>x</p><script>alert("db")</script>', title="<b>t</b>")
    html = client.get(pub.get_absolute_url()).content.decode()
    assert '<script>alert("db")' not in html
    assert "&lt;b&gt;t&lt;/b&gt;" in html


def test_feeds_rss_and_atom(tree, client, draft, publish):
    pub = publish(draft())
    publish(draft(unit=tree.dept_b, actor=tree.editor_b, title="人社局通知"))
    r = client.get(reverse("publications:feed-rss"))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(r.content)
    titles = [i.findtext("title") for i in root.iter("item")]
    assert pub.title in titles and "人社局通知" in titles
    assert any(pub.index_number == i.findtext("guid") for i in root.iter("item"))
    r = client.get(reverse("publications:feed-atom") + f"?unit={tree.dept_a.pk}")
    assert r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles == [pub.title]


def test_print_view(tree, client, draft, publish):
    pub = publish(draft())
    html = client.get(pub.get_absolute_url() + "?print=1").content.decode()
    assert "信息索引" in html and pub.index_number in html and "main-nav" not in html


def test_portal_nav_entries(client, tree):
    html = client.get("/").content.decode()
    assert reverse("publications:index") in html and reverse("publications:library") in html


def test_traditional_chinese_page(tree, client, draft, publish):
    pub = publish(draft(title="关于调整城乡低保标准的通知"))
    client.cookies["django_language"] = "zh-hant"
    html = client.get(pub.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "關於調整城鄉低保標準的通知" in html

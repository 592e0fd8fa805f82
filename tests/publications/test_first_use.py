"""Issue 14 (tried as a new user would), the publications part: the draft form in the order an
editor works, the county office's review queues, catalogue items grouped by domain (see
test_catalogue_link.py), meaningful names for linked attachments."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from gongkai.publications import services
from gongkai.publications.forms import EDITOR_ORDER, fields_for
from gongkai.publications.links import link_label
from gongkai.publications.models import Attachment, DocType, Publication

pytestmark = pytest.mark.django_db


def field_names(html: str) -> list[str]:
    form = html[html.index("<main") :]
    names = re.findall(r'<(?:input|select|textarea)[^>]* name="([a-z_]+)"', form)
    return [n for n in dict.fromkeys(names) if n not in ("csrfmiddlewaretoken", "doc_type", "language")]


@pytest.mark.parametrize("doc_type", DocType.values)
def test_draft_form_fields_come_in_the_order_an_editor_works(tree, client_for, doc_type):
    html = client_for(tree.editor_a).get(reverse("publications_wb:create") + f"?type={doc_type}").content.decode()
    names = field_names(html)
    assert names[:2] == ["unit", "title"]  # 标题 first, not half-way down
    assert names == ["unit", *fields_for(doc_type)]
    assert names == sorted(names, key=EDITOR_ORDER.index)
    assert names.index("made_on") < names.index("body") and names.index("issuer") < names.index("body")


def test_edit_form_keeps_the_order(tree, client_for, draft):
    pub = draft()
    html = client_for(tree.editor_a).get(reverse("publications_wb:edit", args=[pub.pk])).content.decode()
    assert field_names(html)[:2] == ["unit", "title"]


def test_county_office_queues_show_what_it_oversees(tree, client_for, draft):
    """The office (gkb) sees, in its queues and on its home page, a department's items at every stage."""
    at_attribute = services.publication_submit(actor=tree.editor_a, publication=draft(title="待属性审查的通知"))
    at_confidentiality = services.publication_review_attribute(
        actor=tree.reviewer_a,
        publication=services.publication_submit(actor=tree.editor_a, publication=draft(title="待保密审查的通知")),
        attribute="proactive",
    )
    at_signoff = services.publication_review_confidentiality(
        actor=tree.reviewer_a,
        publication=services.publication_review_attribute(
            actor=tree.reviewer_a,
            publication=services.publication_submit(actor=tree.editor_a, publication=draft(title="待签发的通知")),
            attribute="proactive",
        ),
    )
    office = client_for(tree.office)
    for pub in (at_attribute, at_confidentiality, at_signoff):
        page = office.get(reverse("publications_wb:queue", args=[pub.state])).content.decode()
        assert pub.title in page and "该环节没有待办" not in page
        assert "作为政务公开办" in page
    home = office.get(reverse("workbench:home")).content.decode()
    for label in ("待公开属性审查 1 件", "待保密审查 1 件", "待签发 1 件"):
        assert label in home
    # seeing is not acting: the office gets no review buttons, and a department elsewhere sees nothing
    detail = office.get(reverse("publications_wb:detail", args=[at_signoff.pk])).content.decode()
    assert "/act/sign-off/" not in detail
    other = client_for(tree.reviewer_b).get(reverse("publications_wb:queue", args=["attribute_review"]))
    assert at_attribute.title not in other.content.decode()


@pytest.mark.parametrize(
    ("url", "given", "expected"),
    [
        (
            "http://www.songyang.gov.cn/module/download/downfile.jsp?filename=%E4%BD%8E%E4%BF%9D%E7%94%B3%E8%AF%B7%E8%A1%A8.docx",
            "",
            "低保申请表.docx",
        ),
        (
            "http://www.songyang.gov.cn/module/download/downfile.jsp?classid=0&filename=yishiyiyi.pdf",
            "",
            "yishiyiyi.pdf",
        ),
        ("http://www.songyang.gov.cn/module/download/%E9%99%84%E4%BB%B6.docx", "", "附件.docx"),
        ("http://www.songyang.gov.cn/module/download/downfile.jsp?id=123", "", "一事一议办法 附件1"),
        ("http://example.gov.cn/attach.aspx?id=9", "downfile.jsp", "一事一议办法 附件1"),
        ("http://example.gov.cn/attach.aspx?id=9", "申请表.pdf", "申请表.pdf"),
    ],
)
def test_linked_attachments_have_meaningful_names(url, given, expected):
    assert link_label(url, name=given, title="一事一议办法", n=1) == expected


def test_import_never_names_an_attachment_after_a_download_script(tree, tmp_path):
    from gongkai.publications.importer import import_file

    row = {
        "type": "规范性文件",
        "title": "松阳县村级公益事业建设一事一议财政奖补资金管理办法",
        "published_on": "2018-04-09",
        "attachments": [
            "http://www.songyang.gov.cn/module/download/downfile.jsp?filename=yishiyiyi.pdf",
            "http://www.songyang.gov.cn/module/download/downfile.jsp?fileid=8812",
        ],
    }
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False), "utf-8")
    report = import_file(path, unit=tree.dept_a, index=False)
    pub = Publication.objects.get(pk=report.ids[0])
    names = list(pub.attachments.values_list("name", flat=True))
    assert names == ["yishiyiyi.pdf", "松阳县村级公益事业建设一事一议财政奖补资金管理办法 附件2"]
    from gongkai.publications import indexing

    assert "downfile" not in indexing.to_document(pub).body


def test_demo_attachments_are_named_after_their_files():
    from django.apps import apps

    from gongkai.core import demo

    ctx = demo.load()
    apps.get_app_config("publications").load_demo(ctx)
    names = list(Attachment.objects.values_list("name", flat=True))
    assert "低保申请表.docx" in names
    assert not [n for n in names if n.endswith((".jsp", ".asp", ".aspx", ".php", ".do"))]


def test_existing_script_names_are_renamed_by_the_migration(tree, draft):
    from importlib import import_module

    from django.apps import apps as global_apps

    pub = draft(title="松阳县临时救助实施办法")
    bad = Attachment.objects.create(
        publication=pub,
        name="downfile.jsp",
        external_url="http://www.songyang.gov.cn/module/download/downfile.jsp?filename=%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf",
    )
    opaque = Attachment.objects.create(
        publication=pub, name="attach.aspx", external_url="http://x.gov.cn/attach.aspx?id=1", sort_order=1
    )
    kept = Attachment.objects.create(
        publication=pub, name="细则.pdf", external_url="http://x.gov.cn/a.pdf", sort_order=2
    )
    migration = import_module("gongkai.publications.migrations.0003_meaningful_link_names")
    migration.rename(global_apps, None)
    bad.refresh_from_db()
    opaque.refresh_from_db()
    kept.refresh_from_db()
    assert (bad.name, opaque.name, kept.name) == ("申请表.pdf", "松阳县临时救助实施办法 附件2", "细则.pdf")

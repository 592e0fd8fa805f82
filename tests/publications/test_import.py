"""Bulk import of already-published items: original dates kept, index numbers allocated,
row-level error report, attachments (local files checked, URLs recorded, never fetched),
re-runs skip what was imported."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.models import AuditEvent
from gongkai.publications.importer import import_file
from gongkai.publications.models import Attachment, Publication, State

from .files import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def rows():
    return [
        {
            "type": "规范性文件",
            "title": "松阳县农村集体资产管理办法",
            "document_number": "松政办发〔2019〕3号",
            "issuer": "松阳县人民政府办公室",
            "made_on": "2019-03-01",
            "published_on": "2019-03-05",
            "effective_from": "2019-04-01",
            "expires_on": "2024-04-01",
            "topic": "农业、林业、水利",
            "body": "第一条 为加强农村集体资产管理……\n第二条 本办法适用于……",
            "url": "http://www.songyang.gov.cn/art/2019/3/5/art_1229_1.html",
            "attachments": ["files/管理办法.pdf", "http://www.songyang.gov.cn/module/download/%E9%99%84%E4%BB%B6.docx"],
        },
        {
            "type": "notice",
            "title": "关于2020年春节期间办事大厅安排的通知",
            "published_on": "2020年1月20日",
            "made_on": "2020-01-19",
        },
        {"type": "政策文件", "title": "缺日期的文件"},
        "not json",
        {"type": "通知公告", "title": "坏附件", "published_on": "2021-05-06", "attachments": ["files/伪装.pdf"]},
        {"type": "未知类型", "title": "x", "published_on": "2021-05-06"},
        {"type": "预算", "title": "<script>x</script>松阳县2021年部门预算", "published_on": "2021-02-30"},
        {
            "type": "预算",
            "title": "松阳县2021年部门预算",
            "published_on": "2021-02-28",
            "body": "<p onclick='x()'>预算说明</p><script>alert(1)</script>",
        },
    ]


@pytest.fixture
def jsonl(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "管理办法.pdf").write_bytes(pdf_bytes("Collective assets"))
    (files / "伪装.pdf").write_bytes(docx_bytes())
    path = tmp_path / "export.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows()) + "\n\n",
        encoding="utf-8",
    )
    return path


def test_import_with_row_errors(tree, jsonl):
    report = import_file(jsonl, unit=tree.dept_a, index=False)
    assert report.total == 8
    assert report.imported == 3
    errors = {e.line: e.message for e in report.errors}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "缺少发布日期" in errors[3]
    assert "JSON" in errors[4]
    assert "扩展名与文件内容不符" in errors[5]
    assert "未知的信息类型" in errors[6]
    assert "不是有效日期" in errors[7]
    reg = Publication.objects.get(title="松阳县农村集体资产管理办法")
    assert reg.state == State.PUBLISHED and reg.source == "import"
    assert str(reg.published_on) == "2019-03-05" and str(reg.made_on) == "2019-03-01"
    assert str(reg.effective_from) == "2019-04-01" and reg.topic == "agriculture"
    assert reg.index_number.endswith("-GF-2019-00001")
    assert reg.body.startswith("<p>第一条")
    files = list(reg.attachments.order_by("sort_order"))
    assert files[0].name == "管理办法.pdf" and "Collective assets" in files[0].text and files[0].file
    assert (
        files[1].is_link
        and files[1].name == "附件.docx"
        and files[1].external_url.startswith("http://www.songyang.gov.cn")
    )
    notice = Publication.objects.get(title__startswith="关于2020年春节")
    assert str(notice.published_on) == "2020-01-20" and notice.index_number.endswith("-TZ-2020-00001")
    budget = Publication.objects.get(doc_type="budget")
    assert "<script" not in budget.body and "onclick" not in budget.body
    ev = AuditEvent.objects.get(action="publications.publication.import")
    assert ev.after["count"] == 3 and sorted(ev.after["ids"]) == sorted(report.ids)


def test_rerun_skips_already_imported(tree, jsonl):
    import_file(jsonl, unit=tree.dept_a, index=False)
    report = import_file(jsonl, unit=tree.dept_a, index=False)
    assert report.imported == 0 and report.skipped == 3
    assert Publication.objects.count() == 3


def test_index_numbers_continue_sequence(tree, jsonl, draft, publish):
    import_file(jsonl, unit=tree.dept_a, index=False)
    pub = publish(draft())
    assert pub.index_number.endswith(f"-ZC-{pub.published_on.year}-00001")
    pub2 = publish(draft(doc_type="notice", title="新通知"))
    assert pub2.index_number.endswith(f"-TZ-{pub2.published_on.year}-00001")


def test_small_batches(tree, jsonl):
    report = import_file(jsonl, unit=tree.dept_a, batch_size=1, index=False)
    assert report.imported == 3
    assert AuditEvent.objects.filter(action="publications.publication.import").count() == 3


def test_command_reports_errors(tree, jsonl, tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError) as err:
        call_command(
            "import_publications",
            str(jsonl),
            unit=tree.dept_a.credit_code,
            stdout=out,
            errors=str(tmp_path / "e.csv"),
            no_index=True,
        )
    assert "5 行未导入" in str(err.value)
    text = out.getvalue()
    assert "导入 3 条" in text and "第 3 行（缺日期的文件）：缺少发布日期" in text
    csv_text = (tmp_path / "e.csv").read_text(encoding="utf-8-sig")
    assert "行号,标题,错误原因" in csv_text and "未知的信息类型" in csv_text


def test_command_unknown_unit(tree, jsonl):
    with pytest.raises(CommandError, match="找不到单位"):
        call_command("import_publications", str(jsonl), unit="NOPE")


def test_oversize_attachment_is_row_error(tree, tmp_path, settings):
    settings.GONGKAI_MAX_UPLOAD_BYTES = 100
    (tmp_path / "big.pdf").write_bytes(pdf_bytes() + b"\0" * 500)
    path = tmp_path / "x.jsonl"
    path.write_text(
        json.dumps(
            {"type": "notice", "title": "有大附件", "published_on": "2022-01-05", "attachments": ["big.pdf"]},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report = import_file(path, unit=tree.dept_a, index=False)
    assert report.imported == 0 and "过大" in report.errors[0].message
    assert not Attachment.objects.exists()

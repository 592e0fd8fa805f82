"""Attachments: type sniffed from content, mislabelled/oversize/unsupported files rejected
with a clear message, text extracted for search, virus-scan hook, Chinese file names."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core import uploads as attachments
from gongkai.core.models import AuditEvent
from gongkai.publications import services
from gongkai.publications.models import Attachment

from .files import docx_bytes, pdf_bytes, png_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_pdf_docx_xlsx_png_accepted_and_text_extracted(tree, draft):
    pub = draft()
    a = services.attachment_add(actor=tree.editor_a, publication=pub, name="低保办法全文.pdf", data=pdf_bytes())
    assert a.content_type == "application/pdf" and "Songyang dibao 2026" in a.text
    b = services.attachment_add(actor=tree.editor_a, publication=pub, name="标准调整方案.docx", data=docx_bytes())
    assert "最低生活保障" in b.text and "每人每月1150元" in b.text
    c = services.attachment_add(actor=tree.editor_a, publication=pub, name="2026年预算表.xlsx", data=xlsx_bytes())
    assert "社会保障和就业支出" in c.text and "一般公共预算" in c.text
    d = services.attachment_add(actor=tree.editor_a, publication=pub, name="流程图.png", data=png_bytes())
    assert d.content_type == "image/png" and d.text == ""
    assert AuditEvent.objects.filter(action="publications.attachment.add").count() == 4
    assert a.file.name.endswith(".pdf") and a.sha256 in a.file.name  # stored under its hash, not the user's name


def test_mislabelled_file_rejected(tree, draft):
    pub = draft()
    with pytest.raises(ValidationError) as err:
        services.attachment_add(actor=tree.editor_a, publication=pub, name="通知.pdf", data=docx_bytes())
    assert "扩展名与文件内容不符" in str(err.value)
    with pytest.raises(ValidationError) as err:
        services.attachment_add(actor=tree.editor_a, publication=pub, name="照片.jpg", data=png_bytes())
    assert "PNG" in str(err.value)
    assert not Attachment.objects.exists()


def test_unsupported_and_executable_rejected(tree, draft):
    pub = draft()
    for name, data in [
        ("说明.pdf", b"<html><script>alert(1)</script></html>"),
        ("工具.exe", b"MZ\x90\x00" + b"\x00" * 200),
        ("a.zip", b"PK\x03\x04" + b"\x00" * 100),
    ]:
        with pytest.raises(ValidationError) as err:
            services.attachment_add(actor=tree.editor_a, publication=pub, name=name, data=data)
        assert "不受支持" in str(err.value)


def test_damaged_file_rejected(tree, draft):
    with pytest.raises(ValidationError) as err:
        services.attachment_add(actor=tree.editor_a, publication=draft(), name="坏文件.pdf", data=b"%PDF-1.4\ngarbage")
    assert "损坏" in str(err.value)


def test_oversize_rejected(tree, draft, settings):
    settings.GONGKAI_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as err:
        services.attachment_add(
            actor=tree.editor_a, publication=draft(), name="大文件.pdf", data=pdf_bytes() + b"\0" * 2048
        )
    assert "过大" in str(err.value) and "1 KB" in str(err.value)


def test_virus_scanner_hook(tree, draft, settings):
    calls = []

    def scanner(data, name):
        calls.append(name)
        if b"EICAR" in data:
            raise RuntimeError("Eicar-Test-Signature FOUND")

    import sys
    import types

    mod = types.ModuleType("fake_scanner")
    mod.scan = scanner
    sys.modules["fake_scanner"] = mod
    settings.GONGKAI_ATTACHMENT_SCANNER = "fake_scanner.scan"
    pub = draft()
    services.attachment_add(actor=tree.editor_a, publication=pub, name="干净.pdf", data=pdf_bytes())
    with pytest.raises(ValidationError) as err:
        services.attachment_add(actor=tree.editor_a, publication=pub, name="带毒.pdf", data=pdf_bytes("EICAR"))
    assert "病毒扫描" in str(err.value)
    assert calls == ["干净.pdf", "带毒.pdf"]


def test_default_scanner_is_documented_noop():
    assert attachments.no_virus_scan(b"anything", "x.pdf") is None
    assert "clamd" in attachments.__doc__


def test_only_editors_of_the_unit_and_only_drafts(tree, draft, publish):
    pub = draft()
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=tree.editor_b, publication=pub, name="x.pdf", data=pdf_bytes())
    published = publish(draft(title="已发布"))
    with pytest.raises(ValidationError):
        services.attachment_add(actor=tree.editor_a, publication=published, name="x.pdf", data=pdf_bytes())


def test_filename_cleaned():
    assert attachments.clean_filename("../../etc/松阳 通知?.pdf") == "松阳 通知_.pdf"
    assert attachments.clean_filename("C:\\Users\\文件.docx") == "文件.docx"


def test_upload_via_http_and_download_with_chinese_filename(tree, client, draft, publish):
    pub = draft()
    client.force_login(tree.editor_a)
    r = client.post(
        reverse("publications_wb:attachment-add", args=[pub.pk]),
        {
            "files": [
                SimpleUploadedFile(
                    "松阳县低保标准（2026年）.pdf", pdf_bytes(), content_type="application/octet-stream"
                ),
                SimpleUploadedFile(
                    "伪装.docx",
                    png_bytes(),
                    content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
            ]
        },
        follow=True,
    )
    html = r.content.decode()
    assert "已上传“松阳县低保标准（2026年）.pdf”" in html
    assert "扩展名与文件内容不符" in html
    att = Attachment.objects.get()
    pub = publish(pub)
    client.logout()
    r = client.get(reverse("publications:attachment", args=[att.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    cd = r["Content-Disposition"]
    assert cd.startswith("attachment;")
    assert "filename*=UTF-8''" + quote("松阳县低保标准（2026年）.pdf", safe="") in cd
    assert 'filename="2026.pdf"' in cd  # ASCII fallback for old clients
    assert b"".join(r.streaming_content).startswith(b"%PDF")


def test_draft_attachment_not_public(tree, client, draft):
    pub = draft()
    att = services.attachment_add(actor=tree.editor_a, publication=pub, name="草稿附件.pdf", data=pdf_bytes())
    assert client.get(reverse("publications:attachment", args=[att.pk])).status_code == 404
    client.force_login(tree.editor_b)
    assert client.get(reverse("publications_wb:attachment", args=[pub.pk, att.pk])).status_code == 404
    client.force_login(tree.reviewer_a)
    assert client.get(reverse("publications_wb:attachment", args=[pub.pk, att.pk])).status_code == 200


def test_oversize_http_upload_rejected_before_reading(tree, client, draft, settings):
    settings.GONGKAI_MAX_UPLOAD_BYTES = 100
    pub = draft()
    client.force_login(tree.editor_a)
    r = client.post(
        reverse("publications_wb:attachment-add", args=[pub.pk]),
        {"files": SimpleUploadedFile("预算.xlsx", xlsx_bytes())},
        follow=True,
    )
    assert "过大" in r.content.decode()
    assert not Attachment.objects.exists()

"""REST API: public reads show only public items; staff endpoints are org-scoped and run
the same services (audit rows included)."""

from __future__ import annotations

import pytest

from gongkai.core.models import AuditEvent
from gongkai.publications import services
from gongkai.publications.models import Publication, State

from .files import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def test_public_list_and_detail(tree, api_for, draft, publish):
    pub = publish(draft())
    hidden = draft(title="草稿不可见")
    api = api_for()
    r = api.get("/api/v1/publications/")
    assert r.status_code == 200
    titles = [x["title"] for x in r.json()["results"]]
    assert pub.title in titles and hidden.title not in titles
    item = api.get(f"/api/v1/publications/{pub.pk}/").json()
    assert item["index_number"] == pub.index_number and item["doc_type_label"] == "政策文件"
    assert api.get(f"/api/v1/publications/{hidden.pk}/").status_code == 404
    assert api.get("/api/v1/publications/?type=bogus").status_code == 400
    services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="有误")
    item = api.get(f"/api/v1/publications/{pub.pk}/").json()
    assert item["state"] == "withdrawn" and item["body"] == "" and item["withdrawn_reason"] == "有误"
    assert pub.title not in [x["title"] for x in api.get("/api/v1/publications/").json()["results"]]


def test_staff_flow_via_api(tree, api_for):
    editor = api_for(tree.editor_a)
    r = editor.post(
        "/api/v1/staff/publications/",
        {
            "unit": tree.dept_a.pk,
            "doc_type": "notice",
            "title": "关于开展2026年低保年审的通知",
            "body": "各乡镇：……",
            "made_on": "2026-11-02",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert [a["name"] for a in r.json()["actions"]] == ["submit", "link-unit-item"]
    assert r.json()["actions"][0]["url"].endswith(f"/api/v1/staff/publications/{pk}/submit/")
    r = editor.post(
        f"/api/v1/staff/publications/{pk}/attachments/", {"file": _upload("通知.pdf", pdf_bytes())}, format="multipart"
    )
    assert r.status_code == 201, r.content
    r = editor.post(
        f"/api/v1/staff/publications/{pk}/attachments/", {"file": _upload("通知.pdf", docx_bytes())}, format="multipart"
    )
    assert r.status_code == 400 and "扩展名与文件内容不符" in str(r.json())
    assert editor.post(f"/api/v1/staff/publications/{pk}/submit/", {}, format="json").status_code == 200
    reviewer = api_for(tree.reviewer_a)
    listed = [a["name"] for a in reviewer.get(f"/api/v1/staff/publications/{pk}/").json()["actions"]]
    assert listed == ["review-attribute", "retain", "reject", "link-unit-item"]
    r = reviewer.post(f"/api/v1/staff/publications/{pk}/retain/", {"attribute": "on_request"}, format="json")
    assert r.status_code == 400 and {"ground", "reason"} <= set(r.json())
    r = reviewer.post(f"/api/v1/staff/publications/{pk}/review-attribute/", {}, format="json")
    assert r.json()["state"] == "confidentiality_review"
    reviewer.post(f"/api/v1/staff/publications/{pk}/review-confidentiality/", {}, format="json")
    r = api_for(tree.reviewer_a).post(f"/api/v1/staff/publications/{pk}/sign-off/", {}, format="json")
    assert r.status_code == 403
    r = api_for(tree.leader_a).post(f"/api/v1/staff/publications/{pk}/sign-off/", {"comment": "同意"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "published" and r.json()["index_number"]
    assert AuditEvent.objects.filter(object_id=str(pk), action="publications.publication.publish").exists()


def test_bad_input_never_gives_a_server_error(tree, api_for, draft):
    pub = draft()
    api = api_for(tree.editor_a)
    assert api.get("/api/v1/staff/publications/abc/").status_code == 404  # malformed id
    assert api.post("/api/v1/staff/publications/12x/submit/", {}, format="json").status_code == 404
    assert api.post(f"/api/v1/staff/publications/{pub.pk}/explode/", {}, format="json").status_code == 404
    r = api.post(f"/api/v1/staff/publications/{pub.pk}/review-attribute/", {}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "state"  # wrong state
    services.publication_submit(actor=tree.editor_a, publication=pub)
    assert api.post(f"/api/v1/staff/publications/{pub.pk}/review-attribute/", {}, format="json").status_code == 403
    r = api_for(tree.reviewer_a).post(f"/api/v1/staff/publications/{pub.pk}/reject/", ["x"], format="json")
    assert r.status_code == 400
    r = api.patch(f"/api/v1/staff/publications/{pub.pk}/", {"title": "改"}, format="json")
    assert r.status_code == 409 and "当前状态" in r.json()["detail"]  # in review: not editable


def test_staff_api_scoped(tree, api_for, draft):
    pub = draft()
    b = api_for(tree.editor_b)
    assert pub.pk not in [x["id"] for x in b.get("/api/v1/staff/publications/").json()["results"]]
    assert b.get(f"/api/v1/staff/publications/{pub.pk}/").status_code == 404
    assert b.patch(f"/api/v1/staff/publications/{pub.pk}/", {"title": "改"}, format="json").status_code == 404
    assert b.post(f"/api/v1/staff/publications/{pub.pk}/submit/", {}, format="json").status_code == 404
    r = b.post(
        "/api/v1/staff/publications/", {"unit": tree.dept_a.pk, "doc_type": "notice", "title": "越权"}, format="json"
    )
    assert r.status_code == 403
    assert api_for().get("/api/v1/staff/publications/").status_code in (401, 403)
    a = api_for(tree.editor_a)
    r = a.patch(f"/api/v1/staff/publications/{pub.pk}/", {"title": "<b>新标题</b>"}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "新标题"
    assert Publication.objects.get(pk=pub.pk).state == State.DRAFT


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_repeal_via_api(tree, api_for, draft, publish):
    import datetime as dt

    from django.utils import timezone

    pub = publish(draft(doc_type="normative", made_on=dt.date(2025, 12, 1), effective_from=dt.date(2026, 1, 1)))
    today = timezone.localdate()
    r = api_for(tree.editor_a).post(
        f"/api/v1/staff/publications/{pub.pk}/legal-link/",
        {"kind": "repeal", "effective_on": str(today)},
        format="json",
    )
    assert r.status_code == 403
    r = api_for(tree.reviewer_a).post(
        f"/api/v1/staff/publications/{pub.pk}/legal-link/",
        {"kind": "repeal", "effective_on": "2025-01-01"},
        format="json",
    )
    assert r.status_code == 400 and "effective_on" in r.json()
    r = api_for(tree.reviewer_a).post(
        f"/api/v1/staff/publications/{pub.pk}/legal-link/",
        {"kind": "repeal", "effective_on": str(today), "note": "清理"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["legal_status"] == "invalid"
    notice = publish(draft(title="关于低保年审的通知", doc_type="notice"))
    r = api_for(tree.reviewer_a).post(
        f"/api/v1/staff/publications/{notice.pk}/legal-link/", {"kind": "repeal", "effective_on": str(today)}
    )
    assert r.status_code == 409 and r.json()["code"] == "condition" and "规章和规范性文件" in r.json()["detail"]
    assert api_for().get(f"/api/v1/publications/{pub.pk}/").json()["legal_status_label"] == "失效"

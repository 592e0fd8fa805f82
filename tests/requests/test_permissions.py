"""Unit A cannot list, read or change unit B's requests (views and API); personal data masking."""

from __future__ import annotations

from django.urls import reverse

from gongkai.requests import services


def test_queue_lists_only_own_unit(client_for, tree, submit):
    a = submit(tree.dept_a)
    b = submit(tree.dept_b)
    body = client_for(tree.editor_b).get(reverse("requests_wb:queue")).content.decode()
    assert b.tracking_code in body and a.tracking_code not in body
    # the county disclosure office oversees both
    body = client_for(tree.office).get(reverse("requests_wb:queue")).content.decode()
    assert a.tracking_code in body and b.tracking_code in body


def test_detail_and_actions_forbidden_for_other_unit(client_for, tree, submit):
    a = submit(tree.dept_a)
    c = client_for(tree.editor_b)
    assert c.get(reverse("requests_wb:detail", args=[a.pk])).status_code == 403
    resp = c.post(reverse("requests_wb:act", args=[a.pk, "note"]), {"note": "越权"})
    assert resp.status_code == 403
    assert not a.steps.filter(kind="note").exists()


def test_masked_except_handler_and_leader(client_for, tree, submit):
    a = submit(tree.dept_a)
    full_id = a.id_number
    body = client_for(tree.reviewer_a).get(reverse("requests_wb:detail", args=[a.pk])).content.decode()
    assert full_id not in body and "139****1234" in body
    services.request_assign(actor=tree.editor_a, req=a, handler=tree.editor_a)
    body = client_for(tree.editor_a).get(reverse("requests_wb:detail", args=[a.pk])).content.decode()
    assert full_id in body and "13905781234" in body
    body = client_for(tree.leader_a).get(reverse("requests_wb:detail", args=[a.pk])).content.decode()
    assert full_id in body
    body = client_for(tree.office).get(reverse("requests_wb:detail", args=[a.pk])).content.decode()
    assert full_id not in body
    # list and CSV export are always masked
    body = client_for(tree.editor_a).get(reverse("requests_wb:queue")).content.decode()
    assert "13905781234" not in body
    csv = client_for(tree.editor_a).get(reverse("requests_wb:queue") + "?format=csv").content.decode()
    assert a.tracking_code in csv and "13905781234" not in csv and full_id not in csv


def test_api_scoped(api_for, tree, submit):
    a = submit(tree.dept_a)
    b = submit(tree.dept_b)
    api = api_for(tree.editor_b)
    codes = [r["tracking_code"] for r in api.get("/api/v1/staff/requests/").json()["results"]]
    assert codes == [b.tracking_code]
    assert api.get(f"/api/v1/staff/requests/{a.pk}/").status_code in (403, 404)
    resp = api.post(f"/api/v1/staff/requests/{a.pk}/transition/", {"action": "note", "note": "x"}, format="json")
    assert resp.status_code in (403, 404)
    assert api_for().get("/api/v1/staff/requests/").status_code in (401, 403)


def test_api_detail_masks_for_non_handler(api_for, tree, submit):
    a = submit(tree.dept_a)
    data = api_for(tree.reviewer_a).get(f"/api/v1/staff/requests/{a.pk}/").json()
    assert data["id_number"].startswith("3311") and "*" in data["id_number"] and data["phone"] == "139****1234"
    services.request_assign(actor=tree.editor_a, req=a, handler=tree.editor_a)
    data = api_for(tree.editor_a).get(f"/api/v1/staff/requests/{a.pk}/").json()
    assert data["id_number"] == a.id_number

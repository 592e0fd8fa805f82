"""Open311 GeoReport v2 compatibility: services.json, requests.json (GET/POST), requests/{id}.json."""

import pytest

from gongkai.interaction import services
from gongkai.interaction.models import Appeal, Policy

BASE = "/api/v1/open311"


def test_services_list(client, types):
    data = client.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in data}
    assert codes == {"consult", "suggest", "complain", "help"}
    assert {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} <= set(data[0])


def test_post_request_creates_appeal(client, tree, types):
    r = client.post(
        f"{BASE}/requests.json",
        {
            "service_code": "complain",
            "description": "路灯不亮\n紫荆路口路灯坏了一个月",
            "lat": "28.449",
            "long": "119.482",
            "address_string": "西屏街道紫荆路口",
            "email": "citizen@example.com",
            "first_name": "明",
            "last_name": "李",
        },
    )
    assert r.status_code == 201
    code = r.json()[0]["service_request_id"]
    appeal = Appeal.objects.get(tracking_code=code)
    assert appeal.channel == "open311" and appeal.target_unit == tree.county and appeal.email == "citizen@example.com"
    assert appeal.title == "路灯不亮"
    # duplicate submission → same id, not a second record
    again = client.post(
        f"{BASE}/requests.json",
        {
            "service_code": "complain",
            "description": "路灯不亮\n紫荆路口路灯坏了一个月",
            "lat": "28.449",
            "long": "119.482",
            "address_string": "西屏街道紫荆路口",
            "email": "citizen@example.com",
        },
    )
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == code
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize(
    "data,status",
    [
        ({"service_code": "nope", "description": "x", "phone": "13905781234"}, 400),
        ({"service_code": "consult", "description": "x", "lat": "abc", "long": "1", "phone": "13905781234"}, 400),
        ({"service_code": "consult", "description": "咨询"}, 400),  # no contact to follow up
    ],
)
def test_post_errors_use_open311_format(client, tree, types, data, status):
    r = client.post(f"{BASE}/requests.json", data)
    assert r.status_code == status
    body = r.json()
    assert body[0]["code"] == status and body[0]["description"]
    assert not Appeal.objects.exists()


def test_api_key_required_when_configured(client, tree, types):
    Policy.objects.update_or_create(pk=1, defaults={"open311_require_api_key": True, "open311_api_keys": "key-123\n"})
    data = {"service_code": "consult", "description": "咨询医保", "phone": "13905781234"}
    assert client.post(f"{BASE}/requests.json", data).status_code == 403
    assert client.post(f"{BASE}/requests.json", {**data, "api_key": "key-123"}).status_code == 201


def test_jurisdiction_mismatch(client, types):
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "other.city"}).status_code == 404
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "gongkai"}).status_code == 200


@pytest.mark.parametrize("code", ["LY-0000-0000-0000", "%C2%9B%01", "x", "a" * 60])
def test_unknown_or_malformed_id_gets_georeport_404(client, types, code):
    response = client.get(f"{BASE}/requests/{code}.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "service_request_id 不存在"}]


def test_request_status_hides_unpublished_text_and_contact(client, tree, assigned):
    data = client.get(f"{BASE}/requests/{assigned.tracking_code}.json").json()[0]
    assert data["service_request_id"] == assigned.tracking_code
    assert data["status"] == "open" and data["agency_responsible"] == tree.dept_a.name
    assert data["description"] is None and data["expected_datetime"]
    text = str(data)
    assert "13905781234" not in text and "吴秀英" not in text
    assert client.get(f"{BASE}/requests/LY-0000-0000-0000.json").status_code == 404


def test_list_shows_only_published(client, tree, assigned):
    assert client.get(f"{BASE}/requests.json").json() == []
    from gongkai.interaction.models import Appeal as A

    A.objects.filter(pk=assigned.pk).update(publish_consent=True)
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=A.objects.get(pk=assigned.pk), answer="已处理")
    services.appeal_publish(
        actor=tree.office,
        appeal=appeal,
        public_title="低保申请材料",
        public_content="咨询低保材料",
        public_answer="已处理",
    )
    data = client.get(f"{BASE}/requests.json").json()
    assert len(data) == 1 and data[0]["status"] == "closed" and "低保申请材料" in data[0]["description"]
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []

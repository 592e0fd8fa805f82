"""The Open311 list (GeoReport v2 ``requests.json``) publishes an appeal's 事发地点 only masked,
like every other public text: house numbers, phone numbers and the submitter's own name are
never in it, and the point is rounded (about 100 m)."""

from __future__ import annotations

import pytest

from gongkai.interaction import services
from gongkai.interaction.models import Appeal

pytestmark = pytest.mark.django_db
BASE = "/api/v1/open311"


def _published(tree, submit, **kw):
    appeal = submit(**kw)
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    Appeal.objects.filter(pk=appeal.pk).update(publish_consent=True)
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=Appeal.objects.get(pk=appeal.pk), answer="已处理")
    return services.appeal_publish(
        actor=tree.office,
        appeal=appeal,
        public_title="路灯不亮",
        public_content="小区门口路灯不亮",
        public_answer="已维修",
    )


def test_open311_list_masks_the_incident_address(client, tree, submit):
    _published(
        tree,
        submit,
        address_string="西屏街道紫荆路12号3幢201室吴秀英家门口，电话13905781234",
        lat="28.4491234",
        long="119.4821234",
    )
    data = client.get(f"{BASE}/requests.json").json()
    assert len(data) == 1
    address = data[0]["address"]
    assert address and "西屏街道" in address
    for secret in ["12号", "201室", "吴秀英", "13905781234"]:
        assert secret not in address, address
    assert (data[0]["lat"], data[0]["long"]) == (28.449, 119.482)
    single = client.get(f"{BASE}/requests/{data[0]['service_request_id']}.json").json()[0]
    assert single["address"] == address


def test_unpublished_appeal_has_no_address_at_all(client, tree, submit):
    appeal = submit(address_string="紫荆路12号")
    single = client.get(f"{BASE}/requests/{appeal.tracking_code}.json").json()[0]
    assert single["address"] is None and single["lat"] is None

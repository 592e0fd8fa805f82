"""Public form, receipt and status page through HTTP."""

from __future__ import annotations

import io

from django.urls import reverse

from gongkai.requests.forms import HumanCheck
from gongkai.requests.models import InformationRequest, StepKind
from tests.requests.conftest import resident_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(unit, **kw):
    data = {
        "unit": unit.pk,
        "applicant_type": "person",
        "name": "王小明",
        "id_type": "resident",
        "id_number": resident_id(),
        "phone": "13905781234",
        "email": "wxm@example.cn",
        "address": "浙江省丽水市松阳县西屏街道长松路18号",
        "postcode": "323400",
        "description": "请公开2024年度松阳县城乡居民最低生活保障资金发放情况",
        "preferred_format": "email",
        "delivery": "email",
        "confirm": "on",
    }
    data.update(kw)
    return data


def answer(client) -> str:
    client.get(reverse("requests:apply"))
    return client.session[HumanCheck.KEY]["a"]


def test_apply_form_renders_without_login(client, tree):
    resp = client.get(reverse("requests:apply"))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "政府信息公开申请" in body and "验证问题" in body and tree.dept_a.name in body


def test_submit_receipt_and_status(client, tree):
    a = answer(client)
    upload = io.BytesIO(PNG)
    upload.name = "身份证.png"
    resp = client.post(reverse("requests:apply"), {**form_data(tree.dept_a, human=a), "attachments": [upload]})
    assert resp.status_code == 302 and resp.url == reverse("requests:receipt")
    req = InformationRequest.objects.get()
    assert req.attachments.get().mime == "image/png"
    receipt = client.get(resp.url).content.decode()
    assert req.tracking_code in receipt and f"{req.due_date:%Y年%-m月%-d日}" in receipt
    assert "20个工作日" in receipt
    status = client.get(reverse("requests:status", args=[req.tracking_code])).content.decode()
    assert "提交申请" in status and req.phone not in status and req.id_number not in status


def test_errors_keep_input_and_explain(client, tree):
    a = answer(client)
    resp = client.post(
        reverse("requests:apply"), form_data(tree.dept_a, human=a, id_number="331125198503120021", description="")
    )
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "校验位错误" in body and "这个字段是必填项" in body or "必填" in body
    assert "13905781234" in body  # input kept
    assert InformationRequest.objects.count() == 0


def test_wrong_human_check_rejected(client, tree):
    answer(client)
    resp = client.post(reverse("requests:apply"), form_data(tree.dept_a, human="999"))
    assert "验证问题回答不正确" in resp.content.decode()
    assert InformationRequest.objects.count() == 0


def test_upload_type_is_sniffed(client, tree):
    a = answer(client)
    fake = io.BytesIO(b"MZ\x90\x00 this is an exe")
    fake.name = "身份证.pdf"
    resp = client.post(reverse("requests:apply"), {**form_data(tree.dept_a, human=a), "attachments": [fake]})
    assert "文件类型不受支持" in resp.content.decode()
    assert InformationRequest.objects.count() == 0


def test_organisation_needs_valid_credit_code(client, tree):
    a = answer(client)
    resp = client.post(
        reverse("requests:apply"),
        form_data(
            tree.dept_a,
            human=a,
            applicant_type="organisation",
            name="松阳县某公司",
            id_type="",
            id_number="",
            org_type="commercial",
            credit_code="91331124MA2A12345X",
            contact_person="李四",
        ),
    )
    assert "校验位错误" in resp.content.decode()


def test_form_is_rate_limited(client, tree, settings):
    settings.GONGKAI_PUBLIC_FORM_RATE = "2/h"
    for _ in range(2):
        client.post(reverse("requests:apply"), form_data(tree.dept_a, human="0"))
    resp = client.post(reverse("requests:apply"), form_data(tree.dept_a, human="0"))
    assert resp.status_code == 429


def test_status_needs_code_and_phone_tail(client, tree, submit):
    req = submit(tree.dept_a)
    other = submit(tree.dept_a)
    # no session authorisation: the tracking form (code filled in), nothing of the request
    page = client.get(reverse("requests:status", args=[req.tracking_code]))
    assert page.status_code == 200 and 'name="phone_tail"' in page.content.decode()
    assert req.description not in page.content.decode()
    bad = client.post(reverse("requests:track"), {"code": req.tracking_code, "phone_tail": "0000"})
    assert "不正确" in bad.content.decode()
    ok = client.post(reverse("requests:track"), {"code": req.tracking_code.lower(), "phone_tail": "1234"})
    assert ok.status_code == 302
    assert client.get(ok.url).status_code == 200
    # the session is authorised for this code only
    page = client.get(reverse("requests:status", args=[other.tracking_code])).content.decode()
    assert 'name="phone_tail"' in page and other.tracking_code not in page.split("<form")[0]


def test_status_hides_internal_steps(client, tree, submit):
    from gongkai.requests import services

    req = submit(tree.dept_a)
    services.request_add_note(actor=tree.editor_a, req=req, note="申请人疑似重复申请，内部讨论")
    client.post(reverse("requests:track"), {"code": req.tracking_code, "phone_tail": "1234"})
    body = client.get(reverse("requests:status", args=[req.tracking_code])).content.decode()
    assert "内部讨论" not in body and str(StepKind.NOTE.label) not in body


def test_wrong_codes_are_rate_limited(client, tree, submit):
    req = submit(tree.dept_a)
    for _ in range(20):
        client.post(reverse("requests:track"), {"code": req.tracking_code, "phone_tail": "0000"})
    resp = client.post(reverse("requests:track"), {"code": req.tracking_code, "phone_tail": "1234"})
    assert resp.status_code == 429


def test_guide_page(client, db):
    assert "第三十三条" in client.get(reverse("requests:guide")).content.decode()


def _offered(body: str) -> list[str]:
    import re

    select = body[body.index('name="unit"') : body.index("</select>", body.index('name="unit"'))]
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)


def test_form_offers_the_countys_own_bodies_grouped(client, tree):
    from gongkai.requests.models import RequestPolicy

    body = client.get(reverse("requests:apply")).content.decode()
    offered = _offered(body)
    assert offered[0] == tree.county.name  # the county government first
    assert {tree.dept_a.name, tree.dept_b.name, tree.town_a.name, tree.town_b.name} <= set(offered)
    assert tree.province.name not in offered and tree.city.name not in offered and tree.school.name not in offered
    assert offered.index(tree.dept_a.name) < offered.index(tree.town_a.name)  # departments, then townships
    assert 'label="政府部门"' in body and 'label="乡镇人民政府、街道办事处"' in body
    # a public institution that handles requests is offered when switched on
    RequestPolicy.objects.create(unit=tree.school, accepts_requests=True)
    assert tree.school.name in _offered(client.get(reverse("requests:apply")).content.decode())


def test_unit_chosen_by_url_still_works(client, tree):
    body = client.get(reverse("requests:apply") + f"?unit={tree.city.pk}").content.decode()
    assert 'label="您选择的机关"' in body and f'<option value="{tree.city.pk}" selected>' in body
    a = client.session[HumanCheck.KEY]["a"]
    resp = client.post(reverse("requests:apply") + f"?unit={tree.city.pk}", form_data(tree.city, human=a))
    assert resp.status_code == 302 and InformationRequest.objects.get().unit == tree.city
    # preselected when it is one of the county's own bodies; ignored when malformed
    body = client.get(reverse("requests:apply") + f"?unit={tree.dept_b.pk}").content.decode()
    assert f'<option value="{tree.dept_b.pk}" selected>' in body and "您选择的机关" not in body
    assert client.get(reverse("requests:apply") + "?unit=abc").status_code == 200
    # a body that does not take requests cannot be posted to
    a = client.session[HumanCheck.KEY]["a"]
    resp = client.post(reverse("requests:apply"), form_data(tree.school, human=a))
    assert resp.status_code == 200 and InformationRequest.objects.count() == 1

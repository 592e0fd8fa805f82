"""Public submission, tracking, rating and reopening through HTTP; anti-abuse and XSS."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from gongkai.core.audit import AuditAction
from gongkai.core.models import AuditEvent
from gongkai.interaction import services
from gongkai.interaction.models import Appeal, AppealStatus

from .conftest import human_answer


def form_data(client, types, **extra):
    client.get("/interaction/submit/")
    data = {
        "type": types["consult"].pk,
        "title": "低保申请需要哪些材料",
        "content": "我母亲一个人在古市镇生活，想问申请低保要准备什么材料？",
        "name": "吴秀英",
        "phone": "13905781234",
        "email": "",
        "anonymous": "on",
        "publish_consent": "on",
        "human_check": human_answer(client, "appeal"),
    }
    data.update(extra)
    return data


@pytest.fixture
def form(tree, types, client):
    def _data(**extra):
        data = form_data(client, types, **extra)
        data.setdefault("target_unit", tree.county.pk)
        return data

    return _data


def test_submit_and_follow(client, form):
    r = client.post("/interaction/submit/", form())
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    assert r["Location"].endswith(f"/interaction/track/{appeal.tracking_code}/")
    page = client.get(r["Location"]).content.decode()
    assert appeal.tracking_code in page and "已接收" in page


def test_wrong_human_check_stores_nothing(client, form):
    data = form()
    data["human_check"] = data["human_check"] + 1
    r = client.post("/interaction/submit/", data)
    assert r.status_code == 200 and "验证问题回答不正确" in r.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "extra,message",
    [
        ({"title": "", "content": ""}, "请填写标题"),
        ({"content": "长" * 5001}, "5000"),
        ({"phone": "", "email": ""}, "手机号码或电子邮箱至少填写一项"),
        ({"phone": "12345"}, "请填写正确的11位手机号码"),
        ({"type": ""}, "请选择留言类型"),
    ],
)
def test_bad_input_gets_clear_messages(client, form, extra, message):
    r = client.post("/interaction/submit/", form(**extra))
    assert r.status_code == 200 and message in r.content.decode()
    assert not Appeal.objects.exists()


def test_script_is_escaped(client, form, tree):
    r = client.post(
        "/interaction/submit/", form(title="<script>alert(1)</script>", content="<img src=x onerror=alert(2)>")
    )
    page = client.get(r["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_duplicate_submission_shows_existing_code(client, form):
    first = client.post("/interaction/submit/", form())
    second = client.post("/interaction/submit/", form(), follow=True)
    assert Appeal.objects.count() == 1
    code = Appeal.objects.get().tracking_code
    assert "无需重复提交" in second.content.decode() and code in second.content.decode()
    assert first.status_code == 302


@override_settings(GONGKAI_PUBLIC_FORM_RATE="2/m")
def test_rate_limit(client, form):
    for i in range(2):
        client.post("/interaction/submit/", form(title=f"留言{i}"))
    r = client.post("/interaction/submit/", form(title="第三条"))
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Appeal.objects.count() == 2


def test_suggestions_without_javascript(client, form, tree):
    services.faq_create(actor=tree.editor_a, unit=tree.dept_a, question="低保怎么申请？", answer="向乡镇（街道）申请。")
    data = form(title="最低生活保障怎么申请", preview="1")
    r = client.post("/interaction/submit/", data)
    page = r.content.decode()
    assert r.status_code == 200 and "低保怎么申请？" in page and "最低生活保障怎么申请" in page
    assert not Appeal.objects.exists()


def test_suggest_partial(client, tree):
    services.faq_create(
        actor=tree.editor_a, unit=tree.dept_a, question="住房公积金如何提取？", answer="可通过浙里办提取。"
    )
    r = client.get("/interaction/suggest/", {"title": "公积金怎么取出来"}, HTTP_HX_REQUEST="true")
    assert "住房公积金如何提取？" in r.content.decode() and "<html" not in r.content.decode()


def test_tracking_needs_code_and_second_factor(client, submit):
    appeal = submit()
    page = client.get(f"/interaction/track/{appeal.tracking_code}/")  # not authorised yet: the tracking form
    assert page.status_code == 200 and 'name="factor"' in page.content.decode()
    assert appeal.title not in page.content.decode()
    r = client.post(
        "/interaction/track/",
        {"code": appeal.tracking_code, "factor": "13900000000", "human_check": human_answer(client, "track")},
    )
    assert "查询码或联系方式不正确" in r.content.decode()
    r = client.post(
        "/interaction/track/",
        {"code": appeal.tracking_code.lower(), "factor": "13905781234", "human_check": human_answer(client, "track")},
    )
    assert r.status_code == 302
    assert appeal.title in client.get(r["Location"]).content.decode()


def _track(client, code, factor, address):
    client.get("/interaction/track/")  # a fresh human check (a success or a refusal may clear it)
    return client.post(
        "/interaction/track/",
        {"code": code, "factor": factor, "human_check": human_answer(client, "track")},
        REMOTE_ADDR=address,
    )


def test_tracking_code_locked_after_five_wrong_contacts_from_any_address(client, submit):
    """The per-code lock of the requests' tracking (core.throttle.GuessLock), for appeals: five wrong
    phone numbers or e-mails lock the code for an hour, whatever address the guesses come from."""
    appeal = submit(email="wuxiuying@example.cn")
    other = submit(title="古市镇路灯不亮", content="古市镇老街的路灯坏了两个星期，晚上出行不便。", phone="13757805678")
    client.get("/interaction/track/")
    for i in range(5):  # a new address per guess: the per-address limit never bites
        r = _track(client, appeal.tracking_code, f"1390578{i:04d}", f"198.51.100.{i}")
        assert r.status_code == 200 and "查询码或联系方式不正确" in r.content.decode()
    for right in ("13905781234", "wuxiuying@example.cn"):  # the right phone or e-mail, a fresh address
        r = _track(client, appeal.tracking_code, right, "203.0.113.77")
        assert r.status_code == 429 and 3500 <= int(r["Retry-After"]) <= 3600
        assert "已暂时锁定1小时" in r.content.decode() and appeal.title not in r.content.decode()
    # Other codes are not affected; the lock was audited once, naming the code.
    assert _track(client, other.tracking_code, "13757805678", "198.51.100.1").status_code == 302
    events = AuditEvent.objects.filter(action=AuditAction.GUESS_LOCK)
    assert [(e.object_type, e.object_id) for e in events] == [("interaction.tracking", appeal.tracking_code)]
    # After an hour the requester can look the appeal up again.
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=61)):
        assert _track(client, appeal.tracking_code, "13905781234", "203.0.113.78").status_code == 302


def test_right_contact_clears_earlier_wrong_guesses(client, submit):
    appeal = submit()
    client.get("/interaction/track/")
    for _round in range(2):
        for i in range(4):
            _track(client, appeal.tracking_code, f"1390578{i:04d}", f"198.51.100.{i}")
        assert _track(client, appeal.tracking_code, "13905781234", "198.51.100.20").status_code == 302


def test_requester_supplements_rates_and_reopens(client, tree, assigned):
    session = client.session
    session["gk_interaction_codes"] = [assigned.tracking_code]
    session.save()
    base = f"/interaction/track/{assigned.tracking_code}/"
    assert client.post(base + "supplement/", {"text": ""}).status_code == 400
    assert client.post(base + "supplement/", {"text": "补充：户籍在古市镇"}).status_code == 302
    services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="请到古市镇社会事务办申请。")
    page = client.get(base).content.decode()
    assert "请到古市镇社会事务办申请" in page and "补充：户籍在古市镇" in page
    assert client.post(base + "rate/", {"speed": 5, "outcome": 2, "attitude": 4}).status_code == 302
    appeal = Appeal.objects.get(pk=assigned.pk)
    assert appeal.status == AppealStatus.CLOSED and appeal.rating_outcome == 2
    assert client.post(base + "reopen/", {"reason": "问题没有解决"}).status_code == 302
    assert Appeal.objects.get(pk=assigned.pk).status == AppealStatus.IN_PROGRESS


def test_other_session_cannot_act(client, assigned):
    r = client.post(f"/interaction/track/{assigned.tracking_code}/supplement/", {"text": "冒充"})
    assert r.status_code == 404


def test_published_appeal_has_no_personal_data(client, tree, assigned):
    Appeal.objects.filter(pk=assigned.pk).update(publish_consent=True, anonymous=False)
    appeal = services.appeal_answer(
        actor=tree.editor_a, appeal=Appeal.objects.get(pk=assigned.pk), answer="吴秀英您好，已电话13905781234联系您。"
    )
    proposal = services.appeal_publication_proposal(appeal)
    services.appeal_publish(
        actor=tree.office,
        appeal=appeal,
        public_title=proposal["title"].masked,
        public_content=proposal["content"].masked,
        public_answer=proposal["answer"].masked,
    )
    page = client.get(f"/interaction/appeals/{appeal.pk}/").content.decode()
    assert "13905781234" not in page and "吴秀英" not in page and "吴**" in page
    assert appeal.public_title in client.get("/interaction/appeals/").content.decode()


def test_unpublished_appeal_is_not_public(client, assigned):
    assert client.get(f"/interaction/appeals/{assigned.pk}/").status_code == 404


def test_index_shows_yearly_figures(client, tree, assigned):
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="答复")
    services.appeal_rate(appeal=appeal, speed=5, outcome=4, attitude=3)
    page = client.get("/interaction/").content.decode()
    assert "100.0%" in page and "4.0" in page

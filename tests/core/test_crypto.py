"""Personal data at rest (gongkai.core.crypto): encryption, 国密 profile, blind indexes, rotation.

Applicants' and requesters' ID numbers, phones, addresses and e-mails are stored encrypted; the
lookups that used them (duplicate detection, tracking by the phone's last digits, same-applicant
requests) keep working through blind indexes, also across a key rotation and a profile switch.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.models import TextField, Value
from django.test import override_settings
from django.urls import reverse

from gongkai.core import audit, crypto, rotation
from gongkai.interaction import services as interaction
from gongkai.interaction.models import Appeal, Comment
from gongkai.requests import selectors
from gongkai.requests import services as requests
from gongkai.requests.models import Consultation, InformationRequest
from tests.requests.conftest import organisation, person, resident_id

NEW_KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(100, 132))).decode()
PERSONAL = {
    InformationRequest: ["id_number", "phone", "email", "address"],
    Consultation: ["recipient_address"],
    Appeal: ["phone", "email", "address_string"],
    Comment: ["contact"],
}


def raw(model, pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def snapshot() -> dict:
    """Every personal value, decrypted, by table, row and column."""
    return {
        (model.__name__, obj.pk, name): getattr(obj, name)
        for model, names in PERSONAL.items()
        for obj in model.objects.order_by("pk")
        for name in names
    }


@pytest.fixture
def people(tree):
    """Two applicants' requests, a third-party consultation, two appeals and a comment."""
    from tests.interaction.conftest import ensure_default_types

    types = ensure_default_types()
    wang = requests.request_submit(unit=tree.dept_a, data=person())
    firm = requests.request_submit(unit=tree.dept_b, data=organisation())
    requests.request_assign(actor=tree.editor_a, req=wang, handler=tree.editor_a)
    requests.consultation_send(
        actor=tree.editor_a,
        req=wang,
        kind="third_party",
        recipient="李建华",
        recipient_address="浙江省丽水市松阳县望松街道松阴路8号",
        question="拟公开的材料涉及您的个人信息，是否同意公开？",
    )
    appeal, _ = interaction.appeal_submit(
        appeal_type=types["consult"],
        target_unit=tree.county,
        title="低保申请需要哪些材料",
        content="我母亲一个人生活，收入很少，想问申请低保要准备什么材料？",
        name="吴秀英",
        phone="139 0578 5678",
        email="WuXiuying@Example.cn",
        address_string="松阳县西屏街道紫荆路23号",
    )
    other, _ = interaction.appeal_submit(
        appeal_type=types["complain"],
        target_unit=tree.county,
        title="路灯不亮",
        content="长松路北段的路灯已经坏了两个星期，晚上出行很不安全。",
        email="zhao@example.cn",
    )
    return {"wang": wang, "firm": firm, "appeal": appeal, "other": other}


@pytest.fixture
def comment(tree):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    draft = interaction.consultation_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        title="松阳县城区停车收费管理办法（征求意见稿）",
        draft="<p>第一条 为规范城区停车秩序……</p>",
        explanation="<p>起草说明</p>",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    draft = interaction.consultation_open(actor=tree.leader_a, consultation=draft)
    c, _ = interaction.comment_submit(
        consultation=draft, content="建议夜间停车免费。", author_name="陈先生", contact="13905786666"
    )
    return c


# --- stored encrypted, read in clear ----------------------------------------------------------


def test_personal_data_is_stored_encrypted_and_read_back(people, comment):
    wang, appeal = people["wang"], people["appeal"]
    stored = raw(InformationRequest, wang.pk, "phone")
    assert stored.startswith("gk1:A256GCM:dev1:") and "1390578" not in stored
    assert "3311" not in raw(InformationRequest, wang.pk, "id_number")
    assert "松阳" not in raw(InformationRequest, wang.pk, "address")
    assert "example" not in raw(InformationRequest, wang.pk, "email")
    assert "松阴路" not in raw(Consultation, wang.consultations.get().pk, "recipient_address")
    assert "紫荆路" not in raw(Appeal, appeal.pk, "address_string")
    assert "6666" not in raw(Comment, comment.pk, "contact")
    assert raw(Appeal, people["other"].pk, "phone") == ""  # empty stays empty (no ciphertext)
    fresh = InformationRequest.objects.get(pk=wang.pk)
    assert (fresh.phone, fresh.id_number, fresh.email) == ("13905781234", resident_id(), "wxm@example.cn")
    assert fresh.address == "浙江省丽水市松阳县西屏街道长松路18号"
    assert Appeal.objects.get(pk=appeal.pk).address_string == "松阳县西屏街道紫荆路23号"
    assert Comment.objects.get(pk=comment.pk).contact == "13905786666"
    # two encryptions of one value differ (random nonce); keyed hashes hold no number either
    assert raw(InformationRequest, wang.pk, "phone") != crypto.encrypt(
        "13905781234", context="requests.informationrequest.phone"
    )
    assert wang.phone_bidx == crypto.blind_index("139-0578-1234", "phone") and "1234" not in wang.phone_bidx


def test_altered_or_moved_ciphertext_is_refused(people):
    wang = people["wang"]
    stored = raw(InformationRequest, wang.pk, "phone")
    table = InformationRequest._meta.db_table
    with connection.cursor() as cursor:  # another column's ciphertext: bound to its column (AAD)
        cursor.execute(f"UPDATE {table} SET address = %s WHERE id = %s", [stored, wang.pk])  # noqa: S608
    with pytest.raises(crypto.CryptoError, match="does not decrypt"):
        InformationRequest.objects.get(pk=wang.pk)
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(flipped, context="requests.informationrequest.phone")
    with pytest.raises(crypto.CryptoError, match="not in GONGKAI_DATA_KEYS"):
        crypto.decrypt(stored.replace(":dev1:", ":v9:"), context="requests.informationrequest.phone")


def test_encrypted_fields_refuse_value_lookups(people):
    with pytest.raises(FieldError, match="blind index"):
        list(InformationRequest.objects.filter(phone="13905781234"))
    with pytest.raises(FieldError, match="blind index"):
        list(Appeal.objects.filter(email__icontains="example"))
    assert Appeal.objects.filter(phone="").count() == 1  # empty values stay comparable
    assert InformationRequest.objects.exclude(email="").count() == 1


# --- lookups through blind indexes ------------------------------------------------------------


def test_lookups_and_duplicate_detection_work_on_encrypted_data(tree, people, client):
    wang = people["wang"]
    # same applicant by ID number (another spelling: lower-case x, spaces) and by phone
    again = requests.request_submit(
        unit=tree.dept_a,
        data=person(phone="139 0578 1234", description="请公开2024年度城乡居民最低生活保障资金发放情况"),
    )
    by_id = requests.request_submit(unit=tree.dept_a, data=person(phone="13800001111"))
    stranger = requests.request_submit(
        unit=tree.dept_a, data=person(id_number="11010519491231002x", phone="13800002222")
    )
    found = {o.pk for o, _score, _likely in selectors.similar_requests(wang)}
    assert {again.pk, by_id.pk} <= found and stranger.pk not in found
    # tracking by code + the phone's last four digits
    assert selectors.public_lookup(wang.tracking_code, "1234") == wang
    assert selectors.public_lookup(wang.tracking_code, "5678") is None
    # appeals: found by code + phone or e-mail as given; a repeated submission is the same appeal
    appeal = people["appeal"]
    assert interaction.appeal_find(appeal.tracking_code, "13905785678") == appeal
    assert interaction.appeal_find(appeal.tracking_code, "wuxiuying@example.cn") == appeal
    assert interaction.appeal_find(appeal.tracking_code, "13905780000") is None
    repeat, created = interaction.appeal_submit(
        appeal_type=appeal.type,
        target_unit=tree.county,
        title=appeal.title,
        content=appeal.content,
        phone="139 0578 5678",
        email="WuXiuying@Example.cn",
    )
    assert repeat == appeal and not created


def test_masking_and_public_pages_unchanged(tree, people, client_for, client):
    wang = people["wang"]
    body = client_for(tree.reviewer_a).get(reverse("requests_wb:detail", args=[wang.pk])).content.decode()
    assert "139****1234" in body and "13905781234" not in body and resident_id() not in body
    body = client_for(tree.editor_a).get(reverse("requests_wb:detail", args=[wang.pk])).content.decode()
    assert "13905781234" in body and resident_id() in body  # the assigned handler sees it in clear
    queue = client_for(tree.editor_a).get(reverse("requests_wb:queue")).content.decode()
    assert wang.tracking_code in queue and "139****1234" in queue and "13905781234" not in queue
    status = client.post(reverse("requests:track"), {"code": wang.tracking_code, "phone_tail": "1234"}, follow=True)
    text = status.content.decode()
    assert status.status_code == 200 and wang.tracking_code in text
    assert "13905781234" not in text and resident_id() not in text and "长松路" not in text


# --- rotation ----------------------------------------------------------------------------------


def test_rotation_loses_nothing_and_the_old_key_can_go(people, comment, settings):
    before = snapshot()
    similar_before = [o.pk for o, *_ in selectors.similar_requests(people["wang"])]
    settings.GONGKAI_DATA_KEYS = f"v2:{NEW_KEY},{crypto.DEV_DATA_KEYS}"
    assert snapshot() == before  # old key still listed: everything readable before the rotation
    counts = {c.model: c for c in map(rotation.status, rotation.encrypted_models())}
    assert counts["requests.informationrequest"].stale == 2 and counts["interaction.appeal"].stale == 2

    results = {c.model: c for c in rotation.rotate_all(batch_size=1)}
    assert results["requests.informationrequest"].rewritten == 2
    assert results["interaction.comment"].rewritten == 1
    assert raw(InformationRequest, people["wang"].pk, "phone").startswith("gk1:A256GCM:v2:")
    event = audit.AuditEvent.objects.filter(action="crypto.rotate").get()
    assert event.after["key_id"] == "v2" and event.after["rows"]["requests.informationrequest"]["rewritten"] == 2
    assert all(c.stale == c.plaintext == 0 for c in map(rotation.status, rotation.encrypted_models()))
    assert rotation.rotate_all()[0].rewritten == 0  # nothing left to do

    settings.GONGKAI_DATA_KEYS = f"v2:{NEW_KEY}"  # the old key removed
    assert snapshot() == before
    assert [o.pk for o, *_ in selectors.similar_requests(people["wang"])] == similar_before
    assert all(not rotation.verify(m) for m in rotation.encrypted_models())
    assert audit.verify().ok


def test_interrupted_rotation_resumes_where_it_stopped(tree, people):
    for i in range(3):
        requests.request_submit(unit=tree.dept_a, data=person(phone=f"1380000{i:04d}"))
    before = snapshot()
    with override_settings(GONGKAI_DATA_KEYS=f"v2:{NEW_KEY},{crypto.DEV_DATA_KEYS}"):
        first = rotation.rotate_model(InformationRequest, batch_size=2, limit=3)  # "killed" after 3 rows
        assert first.rewritten == 3 and rotation.status(InformationRequest).stale == 2
        second = rotation.rotate_model(InformationRequest, batch_size=2)
        assert second.rewritten == 2 and rotation.status(InformationRequest).stale == 0
        assert snapshot() == before


def test_switching_to_gm_and_back(tree, people, comment, settings):
    before = snapshot()
    wang, appeal = people["wang"], people["appeal"]
    settings.GONGKAI_CRYPTO = "gm"
    cfg = crypto.config()
    assert cfg.algorithm == crypto.SM4_GCM and cfg.hash_name == "sm3"
    # before the rotation: old values readable, lookups still find the default-profile indexes
    assert snapshot() == before
    assert selectors.public_lookup(wang.tracking_code, "1234") == wang
    dup = requests.request_submit(unit=tree.dept_a, data=person())
    assert wang.pk in {o.pk for o, *_ in selectors.similar_requests(dup)}
    same, created = interaction.appeal_submit(
        appeal_type=appeal.type, target_unit=tree.county, title=appeal.title, content=appeal.content,
        phone="13905785678", email="wuxiuying@example.cn",
    )  # fmt: skip
    assert same == appeal and not created
    InformationRequest.objects.filter(pk=dup.pk).delete()

    call_command("crypto", "rotate", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert raw(InformationRequest, wang.pk, "phone").startswith("gk1:SM4GCM:dev1:")
    assert raw(Appeal, appeal.pk, "email").startswith("gk1:SM4GCM:dev1:")
    wang.refresh_from_db()
    assert wang.phone_bidx == crypto.blind_index("13905781234", "phone", profile="gm")
    assert wang.phone_bidx != crypto.blind_index("13905781234", "phone", profile="default")
    assert snapshot() == before
    assert all(not rotation.verify(m) for m in rotation.encrypted_models())

    settings.GONGKAI_CRYPTO = "default"
    rotation.rotate_all()
    assert raw(InformationRequest, wang.pk, "phone").startswith("gk1:A256GCM:dev1:")
    assert snapshot() == before
    assert selectors.public_lookup(wang.tracking_code, "1234") == wang
    assert all(not rotation.verify(m) for m in rotation.encrypted_models())


def test_rotate_encrypts_rows_written_before_encryption(people):
    """Rows from before the upgrade (plaintext columns, unkeyed digests) are read as they are and
    encrypted by ``gongkai crypto rotate``."""
    wang = people["wang"]
    InformationRequest.objects.filter(pk=wang.pk).update(
        phone=Value("0578-8061234", output_field=TextField()), phone_bidx="", applicant_key="legacy"
    )
    assert raw(InformationRequest, wang.pk, "phone") == "0578-8061234"
    assert InformationRequest.objects.get(pk=wang.pk).phone == "0578-8061234"
    assert rotation.status(InformationRequest).plaintext == 1
    counts = rotation.rotate_model(InformationRequest)
    assert counts.rewritten == 1 and counts.plaintext == 1
    wang.refresh_from_db()
    assert raw(InformationRequest, wang.pk, "phone").startswith("gk1:") and wang.phone == "0578-8061234"
    assert wang.phone_bidx == crypto.blind_index("05788061234", "phone")
    assert wang.applicant_key == crypto.blind_index(f"resident:{resident_id()}", "applicant")


def test_crypto_command_reports_and_verifies(people, comment, capsys):
    call_command("crypto", "status", "--verify")
    out = capsys.readouterr().out
    assert "profile=default algorithm=A256GCM current key=dev1" in out
    assert "requests.informationrequest: 2 rows, 2 current, 0 stale, 0 plaintext" in out
    assert "every value decrypts and every blind index matches" in out
    with override_settings(GONGKAI_DATA_KEYS=f"v3:{OTHER_KEY},{crypto.DEV_DATA_KEYS}"):
        call_command("crypto", "status")
        assert "rows need `gongkai crypto rotate`" in capsys.readouterr().out
        call_command("crypto", "rotate", "--batch", "1")
        out = capsys.readouterr().out
        assert "requests.informationrequest: 2 rows rewritten" in out and "rotation done" in out
    call_command("crypto", "genkey")
    assert len(base64.b64decode(capsys.readouterr().out.strip())) == 32


# --- primitives and configuration --------------------------------------------------------------


def test_gm_primitives_match_the_standard_vectors(settings):
    assert crypto.sm3_supported() and crypto.sm4_supported()  # GB/T 32905 and GB/T 32907 vectors
    settings.GONGKAI_CRYPTO = "gm"
    token = crypto.encrypt("浙江省丽水市松阳县西屏街道", context="t")
    assert token.startswith("gk1:SM4GCM:dev1:") and crypto.decrypt(token, context="t") == "浙江省丽水市松阳县西屏街道"
    import hashlib
    import hmac

    key = crypto.config().blind_key
    expected = hmac.new(key, b"phone\x1f13905781234", "sm3").hexdigest()  # hashlib's own SM3
    assert crypto.blind_index("+86 139 0578 1234", "phone") == expected
    assert hashlib.new("sm3", b"abc").hexdigest().startswith("66c7f0f4")


def test_sm4_cbc_hmac_sm3_where_gcm_is_missing(settings, monkeypatch):
    settings.GONGKAI_CRYPTO = "gm"
    monkeypatch.setattr(crypto, "sm4_gcm_supported", lambda: False)
    token = crypto.encrypt("13905781234", context="t")
    assert token.startswith("gk1:SM4CBCHM3:dev1:") and crypto.decrypt(token, context="t") == "13905781234"
    body = crypto._b64d(token.split(":", 3)[3])
    tampered = token.split(":", 3)
    tampered[3] = crypto._b64e(body[:20] + bytes([body[20] ^ 1]) + body[21:])
    with pytest.raises(crypto.CryptoError, match="HMAC-SM3"):
        crypto.decrypt(":".join(tampered), context="t")
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(token, context="other column")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"GONGKAI_CRYPTO": "rsa"}, "GONGKAI_CRYPTO must be one of"),
        ({"GONGKAI_DATA_KEYS": "v1:not-base64!"}, "not valid base64"),
        ({"GONGKAI_DATA_KEYS": "v1:" + base64.b64encode(b"short").decode()}, "32 random bytes"),
        ({"GONGKAI_DATA_KEYS": f"v1:{NEW_KEY},v1:{OTHER_KEY}"}, "listed twice"),
        ({"GONGKAI_DATA_KEYS": f"v:1:{NEW_KEY}"}, "not valid base64"),
        ({"GONGKAI_DATA_KEYS": f"bad id:{NEW_KEY}"}, "key id"),
        ({"GONGKAI_BLIND_INDEX_KEY": NEW_KEY, "GONGKAI_DATA_KEYS": f"v1:{NEW_KEY}"}, "must differ"),
        ({"TESTING": False, "DEMO": False}, "public demo key"),
        ({"TESTING": False, "DEMO": False, "GONGKAI_DATA_KEYS": f"v1:{NEW_KEY}"}, "BLIND_INDEX_KEY is the public"),
    ],
)
def test_bad_key_setup_is_refused_clearly(overrides, message):
    with override_settings(**overrides), pytest.raises(ImproperlyConfigured, match=message):
        crypto.config()
    crypto.config()  # back to the test keys


def test_production_without_keys_fails_at_startup(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_SETTINGS", "DEBUG", "SECRET_KEY", "DATABASE_URL"))
    }
    env.update(
        SECRET_KEY="x" * 50,
        GONGKAI_AUDIT_KEY="a" * 48,
        GONGKAI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    code = "import django; django.setup()"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "GONGKAI_DATA_KEYS and GONGKAI_BLIND_INDEX_KEY must be set" in proc.stderr
    env.update(GONGKAI_DATA_KEYS=f"v1:{NEW_KEY}", GONGKAI_BLIND_INDEX_KEY=OTHER_KEY)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr

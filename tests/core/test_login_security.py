"""身份鉴别 (issue 13 item 2): lockout per account and per address, unlock by time or by the security
administrator, password rules, change and reset pages, expiry, idle timeout, last login shown,
TOTP second factor, and the audit events of each (item 4)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import password_validation
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.oath import totp

from gongkai.core import authn, services
from gongkai.core.audit import AuditAction
from gongkai.core.models import AuditEvent, LoginLock, Role, User
from tests.factories import PASSWORD, staff

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"


def _login(client, username, password, address="198.51.100.10", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _actions(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True))


def test_account_locked_after_five_failures_even_for_the_right_password(client, tree):
    for i in range(5):
        response = _login(client, "mz_editor", f"wrong-{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert response.status_code == 429 and "已暂时锁定" in response.content.decode()
    refused = _login(client, "mz_editor", PASSWORD, address="198.51.100.99")  # another address, right password
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 25 * 60
    assert "_auth_user_id" not in client.session
    # The same lock holds on the Django admin's login, which is this page.
    admin = client.get("/admin/login/?next=/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith(LOGIN)
    assert _actions(action__startswith="auth.") == [AuditAction.LOGIN_FAILED] * 5 + [AuditAction.LOCKOUT]
    lock = AuditEvent.objects.get(action=AuditAction.LOCKOUT)
    assert lock.unit == tree.dept_a and lock.after["key"] == "mz_editor"
    # Case does not open a second account counter.
    assert _login(client, "MZ_Editor", PASSWORD).status_code == 429


def test_lock_ends_after_the_configured_time(client, tree, settings):
    settings.GONGKAI_LOGIN_LOCKOUT_MINUTES = 10
    for _ in range(5):
        _login(client, "mz_editor", "wrong")
    assert _login(client, "mz_editor", PASSWORD).status_code == 429
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=11)):
        response = _login(client, "mz_editor", PASSWORD)
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(tree.editor_a.pk)


def test_address_locked_after_many_accounts_tried(client, tree, settings):
    settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for i in range(8):  # password spraying: one try per account name
        _login(client, f"user{i}", "Spring2026!", address="198.51.100.66", HTTP_X_FORWARDED_FOR=f"10.9.9.{i}")
    assert _login(client, "mz_editor", PASSWORD, address="198.51.100.66").status_code == 429
    assert _login(client, "mz_editor", PASSWORD, address="198.51.100.67").status_code == 302
    assert LoginLock.objects.get(key="198.51.100.66").locked_until is not None


def test_security_admin_unlocks_in_the_workbench(client, client_for, tree):
    security = staff(tree.county, Role.SECURITY_ADMIN, username="aq_admin")
    for _ in range(5):
        _login(client, "mz_editor", "wrong")
    lock = LoginLock.objects.get(kind="account", key="mz_editor")
    for who in (tree.editor_a, tree.office, tree.sysadmin):
        assert client_for(who).get(reverse("core:lock-list")).status_code == 403
        assert client_for(who).post(reverse("core:lock-list"), {"lock": lock.pk}).status_code == 403
    admin = client_for(security)
    page = admin.get(reverse("core:lock-list")).content.decode()
    assert "mz_editor" in page and "解除锁定" in page
    assert admin.post(reverse("core:lock-list"), {"lock": lock.pk}).status_code == 302
    assert not LoginLock.objects.filter(pk=lock.pk).exists()
    unlock = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert unlock.actor == security and unlock.before["key"] == "mz_editor"
    admin.post(reverse("core:logout"))
    assert _login(client, "mz_editor", PASSWORD).status_code == 302


def test_successful_login_shows_last_time_and_place_and_is_audited(client, tree):
    assert _login(client, "mz_editor", PASSWORD, address="198.51.100.10").status_code == 302
    page = client.get(reverse("workbench:home")).content.decode()
    assert "这是该账号的首次登录" in page
    client.post(reverse("core:logout"))
    _login(client, "mz_editor", PASSWORD, address="198.51.100.11")
    page = client.get(reverse("workbench:home")).content.decode()
    assert "上次登录：" in page and "198.51.100.10" in page
    assert _actions(actor=tree.editor_a) == [AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.LOGIN]
    assert User.objects.get(pk=tree.editor_a.pk).last_login_address == "198.51.100.11"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "too short"),  # the all-digit 8-character password of the probe (Django has no zh msgstr)
        ("1234567890", "至少3类"),
        ("abcdefghijk", "至少3类"),
        ("Password123", "太常见"),
        ("Mz_editor2026", "相似"),
    ],
)
def test_password_rules(tree, password, message):
    with pytest.raises(ValidationError) as exc:
        password_validation.validate_password(password, User(username="mz_editor2026", full_name="王芳"))
    assert message in " ".join(exc.value.messages)


def test_good_password_accepted(tree):
    password_validation.validate_password("Songyang-2026!", User(username="mz_editor"))
    password_validation.validate_password("松阳县民政局2026ab", User(username="mz_editor"))


def test_change_password_page(client_for, tree):
    client = client_for(tree.editor_a)
    url = reverse("core:password-change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and "至少3类" in weak.content.decode()
    good = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Songyang-2026!", "new_password2": "Songyang-2026!"}
    )
    assert good.status_code == 302
    user = User.objects.get(pk=tree.editor_a.pk)
    assert user.check_password("Songyang-2026!") and user.password_changed_at is not None
    assert client.get(reverse("workbench:home")).status_code == 200  # still signed in
    assert _actions(action=AuditAction.PASSWORD_CHANGE, actor=tree.editor_a) == [AuditAction.PASSWORD_CHANGE]


def test_initial_password_from_an_administrator_must_be_changed(client, tree):
    services.user_create(
        actor=tree.office,
        username="mz_new",
        password="Chushi-2026!",
        full_name="新同事",
        unit=tree.dept_a,
        roles=[Role.EDITOR],
    )
    response = _login(client, "mz_new", "Chushi-2026!")
    assert response["Location"] == reverse("core:password-change")
    assert client.get(reverse("workbench:home"))["Location"] == reverse("core:password-change")
    client.post(
        reverse("core:password-change"),
        {"old_password": "Chushi-2026!", "new_password1": "Xinmima-2026#", "new_password2": "Xinmima-2026#"},
    )
    assert client.get(reverse("workbench:home")).status_code == 200


def test_password_expiry_forces_a_change(client, tree, settings):
    settings.GONGKAI_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=tree.editor_a.pk).update(
        password_changed_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=91)
    )
    assert _login(client, "mz_editor", PASSWORD)["Location"] == reverse("core:password-change")
    settings.GONGKAI_PASSWORD_MAX_AGE_DAYS = 0  # default: off
    client.post(reverse("core:logout"))
    assert _login(client, "mz_editor", PASSWORD)["Location"] == reverse("workbench:home")


def test_reset_password_by_email(client, tree):
    User.objects.filter(pk=tree.editor_a.pk).update(email="wangfang@songyang.gov.cn")
    response = client.post(reverse("core:password-reset"), {"email": "wangfang@songyang.gov.cn"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/staff/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Chongzhi-2026!", "new_password2": "Chongzhi-2026!"}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=tree.editor_a.pk).check_password("Chongzhi-2026!")
    assert _actions(action=AuditAction.PASSWORD_RESET) == [AuditAction.PASSWORD_RESET]
    # An unknown address sends nothing and says the same thing.
    assert client.post(reverse("core:password-reset"), {"email": "nobody@example.invalid"}).status_code == 302
    assert len(mail.outbox) == 1


def test_reset_requests_are_limited_per_address(client, tree, settings):
    settings.GONGKAI_PUBLIC_FORM_RATE = "2/h"
    for i in range(2):
        client.post(reverse("core:password-reset"), {"email": "x@example.invalid"}, HTTP_X_FORWARDED_FOR=f"1.1.1.{i}")
    refused = client.post(reverse("core:password-reset"), {"email": "x@example.invalid"})
    assert refused.status_code == 429 and refused["Retry-After"]


def test_idle_session_ends(client, tree, settings):
    settings.GONGKAI_SESSION_IDLE_MINUTES = 30
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _login(client, "mz_editor", PASSWORD)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("workbench:home")).status_code == 200
        clock.shift(dt.timedelta(minutes=29))  # active 29 minutes ago: still in
        assert client.get(reverse("workbench:home")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("workbench:home"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    event = AuditEvent.objects.filter(action=AuditAction.LOGOUT).get()
    assert event.after["reason"] == "idle" and event.actor == tree.editor_a


def _token(device, at: dt.datetime) -> str:
    with time_machine.travel(at, tick=False):
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_totp_second_factor(client, client_for, tree):
    security = staff(tree.county, Role.SECURITY_ADMIN, username="aq_admin")
    start = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        admin = client_for(security)
        page = admin.post(reverse("core:security"), {"action": "start"}).content.decode()
        assert "otpauth://totp/" in page
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=security)
        wrong = admin.post(reverse("core:security"), {"action": "confirm", "token": "000000"})
        assert wrong.status_code == 400 and not TOTPDevice.objects.get(pk=device.pk).confirmed
        clock.shift(dt.timedelta(seconds=5))  # django-otp throttles a device for a moment after a failure
        start += dt.timedelta(seconds=5)
        assert (
            admin.post(reverse("core:security"), {"action": "confirm", "token": _token(device, start)}).status_code
            == 302
        )
        admin.post(reverse("core:logout"))
        clock.shift(dt.timedelta(seconds=90))
        step1 = _login(client, "aq_admin", PASSWORD)
        assert step1["Location"] == reverse("core:login-otp") and "_auth_user_id" not in client.session
        bad = client.post(reverse("core:login-otp"), {"token": "123456"}, REMOTE_ADDR="198.51.100.10")
        assert bad.status_code == 400 and "_auth_user_id" not in client.session
        clock.shift(dt.timedelta(seconds=5))
        now = start + dt.timedelta(seconds=95)
        ok = client.post(reverse("core:login-otp"), {"token": _token(device, now)}, REMOTE_ADDR="198.51.100.10")
        assert ok.status_code == 302 and client.session["_auth_user_id"] == str(security.pk)
    assert _actions(action__in=[AuditAction.OTP_ENROL, AuditAction.LOGIN_FAILED, AuditAction.LOGIN]) == [
        AuditAction.OTP_ENROL,
        AuditAction.LOGIN_FAILED,
        AuditAction.LOGIN,
    ]
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).after["second_factor"] is True


def test_administrators_must_enrol_when_required(client, tree, settings):
    settings.GONGKAI_ADMIN_2FA_REQUIRED = True
    assert _login(client, "root_admin", PASSWORD)["Location"] == reverse("core:security")
    assert client.get(reverse("core:holiday-list"))["Location"] == reverse("core:security")
    client.post(reverse("core:logout"))
    assert _login(client, "mz_editor", PASSWORD)["Location"] == reverse("workbench:home")  # not an administrator


def test_superuser_login_and_use_are_audited_and_flagged(client, client_for, tree):
    User.objects.create_superuser("install", "install@example.invalid", "Anzhuang-2026!")
    assert _login(client, "install", "Anzhuang-2026!").status_code == 302
    page = client.get(reverse("workbench:home")).content.decode()
    assert "超级用户仅用于系统安装" in page
    client.post(reverse("core:holiday-list"), {"h-date": "2026-12-31", "h-kind": "holiday", "h-name": "测试"})
    use = AuditEvent.objects.get(action=AuditAction.SUPERUSER_USE, after__path=reverse("core:holiday-list"))
    assert use.after["method"] == "POST" and use.after["status"] == 302
    assert AuditEvent.objects.filter(action=AuditAction.SUPERUSER_LOGIN).count() == 1
    auditor = staff(tree.county, Role.AUDIT_ADMIN, username="sj_admin")
    panel = client_for(auditor).get(reverse("workbench:home")).content.decode()
    assert "近30天超级用户登录 1 次" in panel


def test_security_admin_sets_a_temporary_password(client_for, tree):
    security = staff(tree.county, Role.SECURITY_ADMIN, username="aq_admin")
    with pytest.raises(PermissionDenied):
        authn.password_set_by_admin(actor=tree.sysadmin, user=tree.editor_a, new_password="Linshi-2026!")
    response = client_for(security).post(
        reverse("core:user-detail", args=[tree.editor_a.pk]),
        {"action": "password", "p-new_password1": "Linshi-2026!", "p-new_password2": "Linshi-2026!"},
    )
    assert response.status_code == 302
    user = User.objects.get(pk=tree.editor_a.pk)
    assert user.check_password("Linshi-2026!") and user.must_change_password
    assert AuditEvent.objects.get(action=AuditAction.PASSWORD_SET).actor == security


@pytest.mark.browser
def test_security_pages_pass_axe(tree, login_page, page):
    from tests.conftest import assert_accessible

    staff(tree.county, Role.SECURITY_ADMIN, username="aq_admin")
    page.goto("/staff/password/reset/")
    assert_accessible(page, context="password reset")
    login_page("aq_admin")
    assert page.get_by_text("这是该账号的首次登录").is_visible()
    for url in [
        "/staff/security/",
        "/staff/security/locks/",
        "/staff/password/",
        f"/staff/users/{tree.editor_a.pk}/",
    ]:
        page.goto(url)
        assert page.locator("main#main h1").count() == 1, url
        assert_accessible(page, context=url)
    page.goto("/staff/security/")
    page.get_by_role("button", name="绑定动态口令").click()
    assert page.locator("code.secret").is_visible()
    assert_accessible(page, context="TOTP enrolment")

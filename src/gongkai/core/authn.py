"""身份鉴别 services: login failures and lockouts, passwords, second factor, superuser use.

Every function that changes state runs in one transaction and records its audit event
(等保 2.0 安全审计: logins, logouts, failed logins, lockouts, unlocks, password changes).
Failures are counted per account name and per client address in :class:`LoginLock` rows
(the database is shared by every app server); a lock ends after
``GONGKAI_LOGIN_LOCKOUT_MINUTES`` or when the security administrator releases it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, permissions
from .audit import AuditAction
from .models import LockKind, LoginLock, User


def _account_key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.GONGKAI_LOGIN_LOCKOUT_MINUTES)


def _limit(kind: str) -> int:
    return (
        settings.GONGKAI_LOGIN_FAILURE_LIMIT
        if kind == LockKind.ACCOUNT
        else settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT
    )


def locked_for(*, username: str, address: str) -> int:
    """Seconds until a login for this account name from this address may be tried (0 = now)."""
    now = timezone.now()
    keys = [(LockKind.ACCOUNT, _account_key(username)), (LockKind.ADDRESS, address)]
    until = [
        lock.locked_until
        for kind, key in keys
        if key
        for lock in LoginLock.objects.filter(kind=kind, key=key, locked_until__gt=now)
    ]
    return max((int((u - now).total_seconds()) + 1 for u in until), default=0)


def _count_failure(kind: str, key: str, address: str, now: dt.datetime) -> LoginLock | None:
    """Add one failure; return the row when this failure locked it."""
    LoginLock.objects.get_or_create(kind=kind, key=key)
    lock = LoginLock.objects.select_for_update().get(kind=kind, key=key)
    if lock.locked_until and lock.locked_until > now:
        return None  # already locked (a racing attempt): do not extend
    if lock.locked_until or (lock.first_failure_at and now - lock.first_failure_at > _window()):
        lock.failures, lock.first_failure_at, lock.locked_until = 0, None, None
    lock.failures += 1
    lock.first_failure_at = lock.first_failure_at or now
    lock.last_failure_at = now
    lock.last_address = address[:45]
    newly = lock.failures >= _limit(kind)
    if newly:
        lock.locked_until = now + _window()
    lock.save()
    return lock if newly else None


@transaction.atomic
def login_failed(*, username: str, address: str, reason: str = "password") -> int:
    """Count a failed login (wrong password, unknown account, wrong one-time code).

    Returns the seconds the account or address is now locked for (0 if neither is).
    """
    now = timezone.now()
    key = _account_key(username)
    user = User.objects.filter(username__iexact=key).select_related("unit").first() if key else None
    newly = [lk for lk in (_count_failure(LockKind.ACCOUNT, key, address, now) if key else None,) if lk]
    newly += [lk for lk in (_count_failure(LockKind.ADDRESS, address, address, now),) if lk]
    audit.record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="core.user",
        object_id=user.pk if user else "",
        object_repr=key,
        unit=user.unit if user else None,
        after={"username": key, "address": address, "reason": reason},
    )
    for lock in newly:
        audit.record(
            actor=None,
            action=AuditAction.LOCKOUT,
            obj=lock,
            unit=user.unit if (user and lock.kind == LockKind.ACCOUNT) else None,
            after={"kind": lock.kind, "key": lock.key, "failures": lock.failures, "until": lock.locked_until},
        )
    return locked_for(username=key, address=address)


@dataclass
class PreviousLogin:
    at: dt.datetime | None
    address: str | None


@transaction.atomic
def login_succeeded(*, user: User, address: str, second_factor: bool = False) -> PreviousLogin:
    """Record a login (before Django's ``login()`` moves ``last_login``); return the previous one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    previous = PreviousLogin(user.last_login, user.last_login_address)
    LoginLock.objects.filter(kind=LockKind.ACCOUNT, key=_account_key(user.username), locked_until=None).update(
        failures=0, first_failure_at=None
    )
    user.last_login_address = address or None
    user.save(update_fields=["last_login_address"])
    after = {"address": address, "second_factor": second_factor}
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, unit=user.unit, after=after)
    if user.is_superuser:
        # The superuser is for installation only: every login of it is flagged for the administrators.
        audit.record(actor=user, action=AuditAction.SUPERUSER_LOGIN, obj=user, unit=user.unit, after=after)
    return previous


@transaction.atomic
def logout_recorded(*, user: User, address: str, reason: str = "user") -> None:
    audit.record(
        actor=user, action=AuditAction.LOGOUT, obj=user, unit=user.unit, after={"address": address, "reason": reason}
    )


@transaction.atomic
def superuser_use_recorded(*, user: User, method: str, path: str, status: int, address: str) -> None:
    audit.record(
        actor=user,
        action=AuditAction.SUPERUSER_USE,
        obj=user,
        after={"method": method, "path": path[:300], "status": status, "address": address},
    )


@transaction.atomic
def lock_release(*, actor: User, lock: LoginLock) -> None:
    """The security administrator ends a lock (and its failure count) before its time."""
    if not permissions.is_security_admin(actor):
        raise PermissionDenied(_("只有安全管理员可以解除登录锁定"))
    lock = LoginLock.objects.select_for_update().get(pk=lock.pk)
    before = {"kind": lock.kind, "key": lock.key, "failures": lock.failures, "until": lock.locked_until}
    user = User.objects.filter(username__iexact=lock.key).first() if lock.kind == LockKind.ACCOUNT else None
    audit.record(actor=actor, action=AuditAction.UNLOCK, obj=lock, unit=user.unit if user else None, before=before)
    lock.delete()


def current_locks() -> list[tuple[LoginLock, bool]]:
    """Rows with failures, newest first, with whether each is locked now (for the security administrator)."""
    now = timezone.now()
    rows = LoginLock.objects.filter(failures__gt=0).order_by("-last_failure_at")[:500]
    return [(lock, bool(lock.locked_until and lock.locked_until > now)) for lock in rows]


# --- passwords ----------------------------------------------------------------------------------


def password_expired(user: User) -> bool:
    """True when the password must be changed now (set by an administrator, or older than the limit)."""
    if user.must_change_password:
        return True
    days = settings.GONGKAI_PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed is None or timezone.now() - changed > dt.timedelta(days=days)


def _validate(user: User, password: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    if user.check_password(password):
        raise ValidationError({"new_password1": [_("新密码不能与当前密码相同")]})


def _set(user: User, password: str, *, must_change: bool) -> None:
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])


@transaction.atomic
def password_change(*, actor: User, new_password: str, by_reset: bool = False) -> User:
    """A user changes their own password (signed in, or through an e-mailed reset link)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    _validate(user, new_password)
    _set(user, new_password, must_change=False)
    action = AuditAction.PASSWORD_RESET if by_reset else AuditAction.PASSWORD_CHANGE
    audit.record(actor=user, action=action, obj=user, unit=user.unit)
    return user


@transaction.atomic
def password_set_by_admin(*, actor: User, user: User, new_password: str) -> User:
    """The security administrator sets a temporary password; the user must change it at login."""
    if not permissions.is_security_admin(actor):
        raise PermissionDenied(_("只有安全管理员可以重设他人密码"))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError({"new_password1": [_("请通过“修改密码”修改自己的密码")]})
    _validate(user, new_password)
    _set(user, new_password, must_change=True)
    audit.record(actor=actor, action=AuditAction.PASSWORD_SET, obj=user, unit=user.unit)
    return user


# --- second factor (TOTP, django-otp) -------------------------------------------------------------


def confirmed_device(user: User):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_second_factor(user: User) -> bool:
    return confirmed_device(user) is not None


def must_enrol_second_factor(user: User) -> bool:
    return settings.GONGKAI_ADMIN_2FA_REQUIRED and permissions.is_administrator(user) and not needs_second_factor(user)


@transaction.atomic
def otp_start(*, actor: User):
    """A new, unconfirmed TOTP device for the actor (replacing an earlier unconfirmed one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=_("动态口令"), confirmed=False)


@transaction.atomic
def otp_confirm(*, actor: User, token: str) -> bool:
    """Confirm the pending device with a code from the app; replaces an earlier confirmed device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
    if device is None or not device.verify_token((token or "").strip()):
        return False
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(actor=actor, action=AuditAction.OTP_ENROL, obj=actor, unit=actor.unit)
    return True


@transaction.atomic
def otp_remove(*, actor: User, user: User) -> None:
    """The security administrator removes a user's second factor (a lost phone)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not permissions.is_security_admin(actor):
        raise PermissionDenied(_("只有安全管理员可以解除他人的动态口令"))
    removed, _n = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit.record(actor=actor, action=AuditAction.OTP_REMOVE, obj=user, unit=user.unit)


def otp_verify(user: User, token: str) -> bool:
    device = confirmed_device(user)
    if device is None:
        return False
    allowed, _info = device.verify_is_allowed()
    return bool(allowed) and device.verify_token((token or "").strip())


# --- tracking-code guesses ----------------------------------------------------------------------


@transaction.atomic
def guess_lock_recorded(*, scope: str, subject: str, address: str) -> None:
    """A secret (e.g. a tracking code) was guessed wrongly too often and is now locked for everyone."""
    audit.record(
        actor=None,
        action=AuditAction.GUESS_LOCK,
        object_type=scope,
        object_id=subject[:64],
        object_repr=subject[:64],
        after={"address": address, "seconds": settings.GONGKAI_GUESS_LOCK_SECONDS},
    )

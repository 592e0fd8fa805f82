"""Append-only, hash-chained audit events.

Every service calls :func:`record` inside its transaction, so the event is
committed with the change or not at all. Appends are serialised by a row lock
on :class:`AuditChainHead`; each event's hash covers the previous hash and the
event's canonical JSON content, so editing or deleting any past row breaks the
chain (``gongkai audit verify``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .middleware import current_request_id
from .models import AuditChainHead, AuditEvent, Organisation, User

GENESIS = "0" * 64


class AuditAction(models.TextChoices):
    """Audit action names of the core app.

    Every app declares its action names the same way, as a ``TextChoices`` class whose
    values are the stored names (``"<app>.<entity>.<verb>"``) and whose labels are shown
    in the audit log, and registers it with :func:`register_actions` (at import of the
    module that declares it). Services pass the member, never a literal or a formatted
    string, so ``grep`` finds every place an action is recorded.
    """

    ORGANISATION_CREATE = "organisation.create", _("新建单位")
    ORGANISATION_UPDATE = "organisation.update", _("修改单位")
    USER_CREATE = "user.create", _("新建账号")
    USER_UPDATE = "user.update", _("修改账号")
    MEMBERSHIP_GRANT = "membership.grant", _("授予角色")
    MEMBERSHIP_REVOKE = "membership.revoke", _("撤销角色")
    # 身份鉴别 and 三员分立 (gongkai.core.authn): logins, lockouts, passwords, superuser use.
    LOGIN = "auth.login", _("登录")
    LOGIN_FAILED = "auth.login_failed", _("登录失败")
    LOGOUT = "auth.logout", _("退出登录")
    LOCKOUT = "auth.lockout", _("登录锁定")
    UNLOCK = "auth.unlock", _("解除登录锁定")
    PASSWORD_CHANGE = "auth.password_change", _("修改密码")
    PASSWORD_RESET = "auth.password_reset", _("通过邮件重置密码")
    PASSWORD_SET = "auth.password_set", _("管理员重设密码")
    OTP_ENROL = "auth.otp_enrol", _("绑定动态口令")
    OTP_REMOVE = "auth.otp_remove", _("解除动态口令")
    SUPERUSER_LOGIN = "auth.superuser.login", _("超级用户登录")
    SUPERUSER_USE = "auth.superuser.use", _("超级用户操作")
    GUESS_LOCK = "auth.guess_lock", _("查询码多次输错被锁定")
    AUDIT_LOG_EXPORT = "audit_log.export", _("导出审计日志")
    CALENDAR_IMPORT = "calendar.import", _("导入节假日")
    CALENDAR_SAVE = "calendar.save", _("修改节假日")
    CALENDAR_DELETE = "calendar.delete", _("删除节假日")
    PERIOD_UPDATE = "period.update", _("修改法定期限")


ACTION_LABELS: dict[str, Any] = {}


def register_actions(choices: type[models.TextChoices]) -> type[models.TextChoices]:
    """Make an app's action names known to the audit log (usable as a class decorator)."""
    for value, label in choices.choices:
        existing = ACTION_LABELS.get(value)
        if existing is not None and str(existing) != str(label):
            raise ValueError(f"audit action {value!r} registered twice with different labels")
        ACTION_LABELS[value] = label
    return choices


register_actions(AuditAction)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _default(value: Any):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if isinstance(value, FieldFile):  # an empty file field has no url: never touch it
        return value.name or None
    return str(value)


def to_jsonable(data: Any) -> Any:
    """Round-trip through JSON so what is hashed equals what the JSONField stores."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """A JSON-able dict of a model instance's concrete fields (for before/after)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return to_jsonable({name: getattr(instance, name) for name in names})


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "unit": event.unit_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(event)).hexdigest()


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    unit: Organisation | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction.

    Appending locks the chain head row until the transaction ends (that is what
    keeps the chain linear under concurrent writers), so call ``record()`` as the
    last step of a service, after its own ``select_for_update()`` locks: taking
    row locks in the opposite order in two services can deadlock on PostgreSQL.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)[:255]
    AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    actor_user = actor if (actor is not None and getattr(actor, "pk", None)) else None
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor_user,
        actor_name=(actor_user.display_name if actor_user else "系统")[:150],
        unit=unit,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:255],
        before=to_jsonable(before),
        after=to_jsonable(after),
        request_id=current_request_id(),
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(head.last_hash, event)
    event.save()
    head.last_hash = event.hash
    head.last_event_id = event.pk
    head.save(update_fields=["last_hash", "last_event_id"])
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""


def verify(batch_size: int = 2000) -> VerifyResult:
    """Walk the chain from the first event; report the first event that does not fit."""
    prev = GENESIS
    checked = 0
    last_id = 0
    qs = AuditEvent.objects.order_by("id")
    while True:
        batch = list(qs.filter(id__gt=last_id)[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.prev_hash != prev:
                return VerifyResult(False, checked, event.pk, "上一条事件的哈希不匹配（之前的事件被删除或修改）")
            if compute_hash(prev, event) != event.hash:
                return VerifyResult(False, checked, event.pk, "事件内容与其哈希不符（该事件被修改）")
            prev = event.hash
            checked += 1
            last_id = event.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None and checked:
        return VerifyResult(False, checked, None, "链头记录缺失（审计链头被删除）")
    if head and head.last_hash != prev:
        return VerifyResult(False, checked, head.last_event_id or None, "链尾与最新事件不符（最新的事件被删除）")
    return VerifyResult(True, checked)

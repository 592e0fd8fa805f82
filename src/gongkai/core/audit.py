"""Append-only, keyed hash-chained audit events.

Every service calls :func:`record` inside its transaction, so the event is committed
with the change or not at all. Each chained event's ``hash`` is an HMAC (SHA-256, or SM3
when ``GONGKAI_CRYPTO=gm``) keyed with ``GONGKAI_AUDIT_KEY`` over the previous event's hash
and the event's canonical JSON content (:func:`compute_hash`): editing or deleting any past
row breaks the chain (``gongkai audit verify``), and whoever can write the database but
lacks the key cannot recompute the hashes after an edit.

Chaining (issue 18): in the ``deferred`` mode (default on PostgreSQL) an event is inserted
without any shared lock; after commit one sequencer (:func:`chain_pending`, under the
chain-head row lock) links every committed, unchained event in id order, giving each its
position ``chain_seq`` (1, 2, 3 … without gaps). Writers no longer queue behind one lock for
the length of their transactions. With a Celery worker (``REDIS_URL``) the sequencer is a task:
at most one run per second is queued, by the first writer of that second (one shared-cache
``add`` per app process and second, :func:`wake_sequencer`), and it links the whole second's
events in batches, so a writer's cost after commit is usually one clock read; without a worker
(eager Celery) the writer runs the coalesced pass itself. ``inline`` (default on SQLite,
whose writers are serialised anyway) links the event inside the writer's transaction.
:func:`verify` checks the chained part exactly and reports the unchained tail.

Signed checkpoints of the chain head are written outside the database
(``GONGKAI_AUDIT_CHECKPOINT_DIR``, :func:`write_checkpoint`); :func:`verify` checks that the
chain still holds every checkpointed event with the same hash, so a chain truncated or
rewritten behind a checkpoint is detected even by someone holding the key.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .middleware import current_request_id
from .models import AuditChainHead, AuditEvent, Organisation, User

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
LEGACY_ALG = "sha256"  # unkeyed events from before the chain was keyed; `gongkai audit rekey` converts them
KEYED_ALGS = ("hmac-sha256", "hmac-sm3")
CHAIN_BATCH = 500


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
    AUDIT_EXPORT = "audit.export", _("导出审计日志归档")
    AUDIT_REKEY = "audit.rekey", _("审计链重新签名")
    AUDIT_PURGE = "audit.purge", _("清理过期审计事件")


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


# --- Keys and algorithms ------------------------------------------------------------


def configured_alg() -> str:
    """The chain's algorithm for new hashes: HMAC-SM3 under 国密 (``GONGKAI_CRYPTO=gm``), else HMAC-SHA-256."""
    return "hmac-sm3" if getattr(settings, "GONGKAI_CRYPTO", "") == "gm" else "hmac-sha256"


def _hmac(key: bytes, data: bytes, alg: str) -> str:
    if alg == "hmac-sha256":
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    if alg == "hmac-sm3":
        try:  # cryptography ships its own OpenSSL with SM3; hashlib's sm3 depends on the system's
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives import hmac as chmac

            mac = chmac.HMAC(key, hashes.SM3())
        except Exception as exc:  # ImportError or UnsupportedAlgorithm
            raise ImproperlyConfigured(
                "GONGKAI_CRYPTO=gm needs SM3 from the `cryptography` package (pip install 'cryptography>=42')"
            ) from exc
        mac.update(data)
        return mac.finalize().hex()
    raise ValueError(f"unknown audit hash algorithm {alg!r}")


_DERIVED_KEYS: dict[tuple[str, str, str], bytes] = {}


def _key(purpose: str, alg: str, secret: str | None = None) -> bytes:
    """A key per purpose derived from GONGKAI_AUDIT_KEY (chain hashes and checkpoint signatures differ).

    Derived once per (purpose, algorithm, secret): the sequencer hashes every event with it.
    """
    secret = secret if secret is not None else getattr(settings, "GONGKAI_AUDIT_KEY", "")
    if not secret:
        raise ImproperlyConfigured("GONGKAI_AUDIT_KEY is not set")
    cache_key = (purpose, alg, secret)
    key = _DERIVED_KEYS.get(cache_key)
    if key is None:
        key = bytes.fromhex(_hmac(secret.encode(), f"gongkai-audit-{purpose}".encode(), alg))
        if len(_DERIVED_KEYS) > 32:  # only rotations and tests add entries
            _DERIVED_KEYS.clear()
        _DERIVED_KEYS[cache_key] = key
    return key


def compute_hash(prev_hash: str, event: AuditEvent, alg: str | None = None, *, secret: str | None = None) -> str:
    """The keyed hash of ``event`` following ``prev_hash`` (HMAC-SHA-256 or HMAC-SM3 with GONGKAI_AUDIT_KEY).

    ``alg="sha256"`` computes the unkeyed hash of the old chain (only to check it before re-keying).
    """
    alg = alg or configured_alg()
    data = prev_hash.encode() + b"\n" + _canonical(event)
    if alg == LEGACY_ALG:
        return hashlib.sha256(data).hexdigest()
    return _hmac(_key("chain", alg, secret), data, alg)


def check_configuration() -> None:
    """Fail at start-up rather than at the first audited write (called from CoreConfig.ready)."""
    _DERIVED_KEYS.clear()  # derive afresh: the check is that the algorithm is available now
    _key("chain", configured_alg())


# --- Appending and chaining ---------------------------------------------------------


def _chaining_mode() -> str:
    return getattr(settings, "GONGKAI_AUDIT_CHAINING", "inline")


def _locked_head() -> AuditChainHead:
    try:
        return AuditChainHead.objects.select_for_update().get(pk=1)
    except AuditChainHead.DoesNotExist:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
        return AuditChainHead.objects.select_for_update().get(pk=1)


def _assign(head: AuditChainHead, events: list) -> None:
    """Give ``events`` (in this order) the next chain positions and hashes; the caller holds the head lock."""
    alg = configured_alg()
    key = None if alg == LEGACY_ALG else _key("chain", alg)
    for event in events:
        head.last_seq += 1
        event.chain_seq = head.last_seq
        event.prev_hash = head.last_hash
        event.hash_alg = alg
        data = head.last_hash.encode() + b"\n" + _canonical(event)
        event.hash = _hmac(key, data, alg) if key is not None else hashlib.sha256(data).hexdigest()
        head.last_hash = event.hash
        head.last_event_id = event.pk


def _link(head: AuditChainHead, events: list) -> None:
    """Chain ``events`` after the head and write the chain columns and the head (one statement on PostgreSQL)."""
    _assign(head, events)
    if connection.vendor == "postgresql":
        _pg_write(events, head)
    else:
        head.save(update_fields=["last_hash", "last_event_id", "last_seq"])
        _write_chain_columns(events)


def _write_chain_columns(events: list[AuditEvent]) -> None:
    if connection.vendor == "postgresql":
        _pg_write(events)
        return
    # A plain QuerySet: AuditEvent.save() refuses updates, the sequencer alone fills these columns.
    models.QuerySet(AuditEvent).bulk_update(events, ["chain_seq", "prev_hash", "hash_alg", "hash"], batch_size=500)


# The sequencer's statements on PostgreSQL, as plain SQL: it runs after every audited commit, and
# building them through the ORM cost more CPU than the write it follows (issue 18).
_EVENT_TABLE = AuditEvent._meta.db_table
_HEAD_TABLE = AuditChainHead._meta.db_table
_CANONICAL_COLUMNS = (
    "id, created_at, actor_id, actor_name, unit_id, action, object_type, object_id, object_repr, before, after, "
    "request_id"
)
_PG_PENDING_EXISTS = f"SELECT 1 FROM {_EVENT_TABLE} WHERE chain_seq IS NULL LIMIT 1"  # noqa: S608 - model's table
_PG_LOCK_HEAD = (
    # Linking needs no durability of its own: a crash before the WAL reaches the disk undoes the
    # chain columns and the head together (same transaction), so the events are simply pending
    # again and linked by the next run. Saves one synchronous disk flush per pass.
    "SELECT set_config('synchronous_commit', 'off', true), last_hash, last_event_id, last_seq, base_seq, base_hash "  # noqa: S608
    f"FROM {_HEAD_TABLE} WHERE id = 1 FOR UPDATE"
)
_PG_PENDING = f"SELECT {_CANONICAL_COLUMNS} FROM {_EVENT_TABLE} WHERE chain_seq IS NULL ORDER BY id LIMIT %s"  # noqa: S608


class _Pending:
    """An unchained event as the sequencer reads it: the canonical fields and the chain columns."""

    __slots__ = (
        "pk",
        "created_at",
        "actor_id",
        "actor_name",
        "unit_id",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "request_id",
        "chain_seq",
        "prev_hash",
        "hash_alg",
        "hash",
    )

    def __init__(self, row) -> None:
        (
            self.pk,
            self.created_at,
            self.actor_id,
            self.actor_name,
            self.unit_id,
            self.action,
            self.object_type,
            self.object_id,
            self.object_repr,
            before,
            after,
            self.request_id,
        ) = row
        # jsonb arrives as text (Django's psycopg loader); parse it as JSONField.from_db_value does
        self.before = json.loads(before) if isinstance(before, str) else before
        self.after = json.loads(after) if isinstance(after, str) else after


def _pg_pending_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(_PG_PENDING_EXISTS)
        return cursor.fetchone() is not None


def _pg_locked_head() -> AuditChainHead:
    with connection.cursor() as cursor:
        cursor.execute(_PG_LOCK_HEAD)
        row = cursor.fetchone()
    if row is None:
        return _locked_head()  # first event ever: create the row
    _, last_hash, last_event_id, last_seq, base_seq, base_hash = row
    return AuditChainHead(
        id=1,
        last_hash=last_hash,
        last_event_id=last_event_id,
        last_seq=last_seq,
        base_seq=base_seq,
        base_hash=base_hash,
    )


def _pg_pending(size: int) -> list[_Pending]:
    with connection.cursor() as cursor:
        cursor.execute(_PG_PENDING, [size])
        return [_Pending(row) for row in cursor.fetchall()]


def _pg_write(events: list, head: AuditChainHead | None = None) -> None:
    """One statement: the chain columns of ``events`` and, given ``head``, the chain head."""
    for start in range(0, len(events), CHAIN_BATCH):
        chunk = events[start : start + CHAIN_BATCH]
        values = ", ".join(["(%s::bigint, %s::bigint, %s::varchar, %s::varchar, %s::varchar)"] * len(chunk))
        params: list = []
        for event in chunk:
            params += [event.pk, event.chain_seq, event.prev_hash, event.hash_alg, event.hash]
        prefix = ""
        if head is not None and start + CHAIN_BATCH >= len(events):
            prefix = (
                f"WITH head AS (UPDATE {_HEAD_TABLE} "  # noqa: S608 - the model's table name, values bound
                "SET last_hash = %s, last_event_id = %s, last_seq = %s WHERE id = 1) "
            )
            params = [head.last_hash, head.last_event_id, head.last_seq, *params]
        with connection.cursor() as cursor:
            cursor.execute(
                f"{prefix}UPDATE {_EVENT_TABLE} AS e SET chain_seq = v.seq, prev_hash = v.prev, hash_alg = v.alg, "  # noqa: S608
                f"hash = v.hash FROM (VALUES {values}) AS v(id, seq, prev, alg, hash) WHERE e.id = v.id",
                params,
            )


_PG_INSERT = (
    f"INSERT INTO {_EVENT_TABLE} (created_at, actor_id, actor_name, unit_id, action, object_type, object_id, "  # noqa: S608
    "object_repr, before, after, request_id, hash_alg, prev_hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, '', '') RETURNING id"
)


def _insert(event: AuditEvent) -> None:
    """Insert a new, unchained event (plain SQL on PostgreSQL: every audited write pays for it).

    Stores what ``event.save()`` stores (``None`` → SQL NULL, dicts → jsonb); AuditEvent has no
    save signals to send.
    """
    if connection.vendor != "postgresql":
        event.save()
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _PG_INSERT,
            [
                event.created_at,
                event.actor_id,
                event.actor_name,
                event.unit_id,
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                None if event.before is None else json.dumps(event.before),
                None if event.after is None else json.dumps(event.after),
                event.request_id,
            ],
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


def _pending_exists() -> bool:
    if connection.vendor == "postgresql":
        return _pg_pending_exists()
    return AuditEvent.objects.filter(chain_seq__isnull=True).exists()


def chain_pending(max_events: int | None = None) -> int:
    """Link every committed, unchained event, oldest id first; returns how many were linked.

    The single sequencer: each batch runs in its own short transaction holding the chain-head
    row lock, so two sequencers never link the same event and no event is skipped (an event
    committed before the lock was granted is visible to the query that follows it).
    """
    linked = 0
    postgres = connection.vendor == "postgresql"
    while max_events is None or linked < max_events:
        size = CHAIN_BATCH if max_events is None else min(CHAIN_BATCH, max_events - linked)
        with transaction.atomic():
            if postgres:
                head = _pg_locked_head()
                batch: list = _pg_pending(size)
            else:
                head = _locked_head()
                batch = list(AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id")[:size])
            if not batch:
                break
            _link(head, batch)
        linked += len(batch)
        if len(batch) < size:
            break  # drained: an event committed after this batch's query is linked by its own writer's run
    return linked


# The sequencer task runs at most once per window: the first writer of a window stores the
# window's end in the shared cache (``add``: one writer wins) and queues the task to start just
# after it, so that run links every event committed during the window. Writers that find the
# window open only remember its end; until then they skip the cache altogether. Correctness never
# depends on this: a lost task (worker killed, broker down, clocks apart) only leaves events
# pending until the next run or the beat task (every minute); the sequencer itself holds the
# chain-head lock, so no event is linked twice or skipped.
SEQUENCER_WINDOW_KEY = "gongkai:audit:sequencer-window"
SEQUENCER_WINDOW_S = 1  # seconds; the cache takes whole seconds
SEQUENCER_DELAY_S = 0.25  # the task starts this long after the window ends (clock skew between hosts)
_window_end = 0.0  # this process: a sequencer run is queued to start after this time (epoch seconds)


def wake_sequencer() -> None:
    """After an audited commit (deferred mode): have the committed events linked. Never raises.

    With a worker, make sure a sequencer run is queued to start after now (usually nothing to
    do: one cache round trip per process and window, one task per window). Without one (eager
    Celery: the embedded install, tests), this process links the events itself.
    """
    global _window_end
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        _chain_after_commit()
        return
    now = time.time()
    if now < _window_end:
        return
    try:
        end = now + SEQUENCER_WINDOW_S
        if cache.add(SEQUENCER_WINDOW_KEY, end, SEQUENCER_WINDOW_S):
            from .tasks import audit_chain_pending

            audit_chain_pending.apply_async(countdown=SEQUENCER_WINDOW_S + SEQUENCER_DELAY_S)
        else:
            stored = cache.get(SEQUENCER_WINDOW_KEY)  # None: it expired just now; the next write opens one
            end = float(stored) if stored is not None else 0.0
        _window_end = end
    except Exception:  # cache or broker down: the change is committed, the event pending
        logger.exception("audit: could not queue the sequencer; the periodic task will link the events")


def _chain_after_commit() -> None:
    """The writer's sequencer run after its commit (no worker), coalesced with the other writers'.

    A burst of commits does not cost one linking pass each: a writer whose event another
    writer's pass has already linked returns after one cheap query; the others queue on the
    chain-head lock, and the first to get it links everything committed so far, so those
    behind it find nothing left (an empty pass: lock, one query, commit).
    """
    try:
        if _pending_exists():
            chain_pending()
    except Exception:  # the change itself is committed; the beat task links what is left
        logger.exception("audit: chaining after commit failed; the periodic task will retry")


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

    Deferred chaining (default on PostgreSQL): the event is inserted unchained and linked after
    commit by the sequencer (:func:`wake_sequencer`), so concurrent writers do not wait for
    each other. Inline chaining (SQLite): the
    event is linked under the chain-head row lock, held until the transaction ends; call
    ``record()`` as the last step of a service there, after its own ``select_for_update()``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)[:255]
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
    )
    if _chaining_mode() == "deferred":
        _insert(event)
        transaction.on_commit(wake_sequencer)
        return event
    head = _locked_head()
    _insert(event)  # the id first: the head records it
    # Events left pending (by the deferred mode, before a switch) go first, in id order.
    batch = [
        *AuditEvent.objects.filter(chain_seq__isnull=True).exclude(pk=event.pk).order_by("id")[:CHAIN_BATCH],
        event,
    ]
    _link(head, batch)
    return event


# --- Checkpoints --------------------------------------------------------------------


def checkpoint_dir() -> Path:
    return Path(getattr(settings, "GONGKAI_AUDIT_CHECKPOINT_DIR", Path(settings.DATA_DIR) / "audit-checkpoints"))


def _signature(data: dict, alg: str, secret: str | None = None) -> str:
    body = json.dumps({k: v for k, v in data.items() if k != "signature"}, sort_keys=True, separators=(",", ":"))
    return _hmac(_key("checkpoint", alg, secret), body.encode(), alg)


def _write_signed(path: Path, data: dict) -> Path:
    data["alg"] = configured_alg()
    data["signature"] = _signature(data, data["alg"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_checkpoint(directory: Path | None = None) -> Path | None:
    """Export a signed record of the chain head (position, event id, hash) to a file outside the database.

    Links pending events first. Returns the file, or None when the chain is empty. Copy the
    directory off the host (object store, write-once medium): a checkpoint protects the chain
    behind it against truncation and rewriting only as long as the file itself is out of reach.
    """
    chain_pending()
    with transaction.atomic():  # a durable commit: flushes the (asynchronous) linking commits before it
        head = _locked_head()
        head.save(update_fields=["last_seq"])
    if head.last_seq == 0:
        return None
    directory = Path(directory or checkpoint_dir())
    path = directory / f"checkpoint-{head.last_seq:012d}.json"
    if path.exists():
        return path
    data = {
        "kind": "head",
        "version": 1,
        "seq": head.last_seq,
        "event_id": head.last_event_id,
        "hash": head.last_hash,
        "alg": configured_alg(),
        "written_at": timezone.now().isoformat(timespec="seconds"),
    }
    return _write_signed(path, data)


@dataclass
class Checkpoint:
    path: Path
    data: dict
    valid: bool


def read_checkpoints(directory: Path | None = None, *, secret: str | None = None) -> list[Checkpoint]:
    directory = Path(directory or checkpoint_dir())
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            valid = data.get("alg") in KEYED_ALGS and hmac.compare_digest(
                str(data.get("signature", "")), _signature(data, data["alg"], secret)
            )
        except (ValueError, KeyError, TypeError, OSError):
            data, valid = {}, False
        found.append(Checkpoint(path, data, valid))
    return found


# --- Verification -------------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str = ""
    pending: int = 0  # events committed but not yet linked (reported, not an error)
    checkpoints: int = 0  # checkpoint files checked


def _check_checkpoints(head: AuditChainHead | None, directory: Path | None) -> tuple[int, str, int | None]:
    checked = 0
    base_seq = head.base_seq if head else 0
    last_seq = head.last_seq if head else 0
    for cp in read_checkpoints(directory):
        if not cp.valid:
            return checked, f"检查点文件 {cp.path.name} 的签名无效（被改动或不是用本系统的审计密钥签发）", None
        seq = int(cp.data["seq"])
        if cp.data.get("kind") == "base" or seq <= base_seq:
            continue  # the events behind this checkpoint were archived and purged
        if seq > last_seq:
            return (
                checked,
                f"审计链被截断：检查点 {cp.path.name} 记录了第 {seq} 条，链中只有 {last_seq} 条",
                int(cp.data.get("event_id") or 0) or None,
            )
        event = AuditEvent.objects.filter(chain_seq=seq).only("id", "hash").first()
        if event is None or event.hash != cp.data["hash"]:
            return (
                checked,
                f"审计链在检查点 {cp.path.name} 之前被改写：第 {seq} 条事件的哈希与检查点不符",
                event.pk if event else None,
            )
        checked += 1
    if base_seq:
        anchors = [
            cp
            for cp in read_checkpoints(directory)
            if cp.valid and cp.data.get("kind") == "base" and int(cp.data["seq"]) == base_seq
        ]
        if not any(cp.data["hash"] == head.base_hash for cp in anchors):
            return checked, f"审计链起点（第 {base_seq} 条之后）没有对应的签名清理记录", None
    return checked, "", None


def verify(batch_size: int = 2000, *, checkpoints: Path | None = None) -> VerifyResult:
    """Walk the chain from its anchor; report the first event that does not fit, then check the checkpoints."""
    head = AuditChainHead.objects.filter(pk=1).first()
    prev = head.base_hash if head else GENESIS
    expected_seq = (head.base_seq if head else 0) + 1
    checked = 0
    last_seq = 0
    qs = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq")
    pending = AuditEvent.objects.filter(chain_seq__isnull=True).count()
    while True:
        batch = list(qs.filter(chain_seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for event in batch:
            if event.chain_seq != expected_seq or event.prev_hash != prev:
                return VerifyResult(
                    False, checked, event.pk, "上一条事件的哈希不匹配（之前的事件被删除或修改）", pending
                )
            if event.hash_alg not in KEYED_ALGS:
                return VerifyResult(
                    False,
                    checked,
                    event.pk,
                    "事件未用审计密钥签名（升级前的旧链或被伪造）：核实后运行 gongkai audit rekey",
                    pending,
                )
            if not hmac.compare_digest(compute_hash(prev, event, event.hash_alg), event.hash or ""):
                return VerifyResult(False, checked, event.pk, "事件内容与其哈希不符（该事件被修改）", pending)
            prev = event.hash
            checked += 1
            expected_seq += 1
            last_seq = event.chain_seq
    if head is None and checked:
        return VerifyResult(False, checked, None, "链头记录缺失（审计链头被删除）", pending)
    if head and (head.last_hash != prev or head.last_seq != expected_seq - 1):
        return VerifyResult(
            False, checked, head.last_event_id or None, "链尾与最新事件不符（最新的事件被删除）", pending
        )
    n_checkpoints, reason, bad_id = _check_checkpoints(head, checkpoints)
    if reason:
        return VerifyResult(False, checked, bad_id, reason, pending, n_checkpoints)
    return VerifyResult(True, checked, pending=pending, checkpoints=n_checkpoints)


# --- Archiving, retention, re-keying ------------------------------------------------

EXPORT_FIELDS = [
    "id",
    "chain_seq",
    "created_at",
    "actor_id",
    "actor_name",
    "unit_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "request_id",
    "hash_alg",
    "prev_hash",
    "hash",
]


class AuditRefused(Exception):
    """An archive, purge or re-key operation that would lose or falsify events."""


def _export_row(event: AuditEvent) -> dict:
    row = {name: getattr(event, name) for name in EXPORT_FIELDS}
    row["created_at"] = event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return row


def export_events(events, path: Path, fmt: str = "jsonl") -> tuple[int, str]:
    """Write ``events`` to ``path`` (JSON lines or CSV, UTF-8) and ``<path>.sha256`` (``sha256sum -c`` format).

    Returns (number of events, SHA-256 of the file). The chain columns are included, so an
    archive can be re-verified later with the key.
    """
    import csv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=EXPORT_FIELDS) if fmt == "csv" else None
        if writer:
            writer.writeheader()
        for event in events.iterator(chunk_size=2000):
            row = _export_row(event)
            if writer:
                writer.writerow(
                    {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}
                )
            else:
                fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    checksum = digest.hexdigest()
    Path(f"{path}.sha256").write_text(f"{checksum}  {path.name}\n", encoding="utf-8")
    return count, checksum


def export(*, date_from: dt.date, date_to: dt.date, path: Path, fmt: str = "jsonl", actor: User | None = None):
    """Archive the events of [date_from, date_to] (local dates, inclusive); the export itself is audited."""
    if date_from > date_to:
        raise AuditRefused("起始日期晚于截止日期")
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = AuditEvent.objects.filter(created_at__gte=start, created_at__lt=end).order_by("id")
    count, checksum = export_events(events, path, fmt)
    with transaction.atomic():
        record(
            actor=actor,
            action=AuditAction.AUDIT_EXPORT,
            object_type="core.auditevent",
            object_repr=f"{date_from}–{date_to}",
            after={"from": date_from, "to": date_to, "count": count, "format": fmt, "sha256": checksum},
        )
    return count, checksum


def purge(*, before: dt.date, archive: Path, fmt: str = "jsonl") -> int:
    """Archive, then delete, the oldest chained events created before ``before``.

    Refused for any date inside the retention period (GONGKAI_AUDIT_RETENTION_DAYS, never under
    180 days: 网络安全法 art. 21). Only a prefix of the chain goes: the chain's new anchor (the
    last purged event's position and hash) is written to a signed ``base`` checkpoint file, which
    :func:`verify` requires, so deleting the oldest events by hand is still detected.
    """
    from .models import AUDIT_RETENTION_DAYS_MINIMUM

    days = max(AUDIT_RETENTION_DAYS_MINIMUM, int(getattr(settings, "GONGKAI_AUDIT_RETENTION_DAYS", 180)))
    limit = timezone.localdate() - dt.timedelta(days=days)
    if before > limit:
        raise AuditRefused(f"审计事件至少保存{days}天（《网络安全法》第二十一条）：只能清理 {limit} 之前的事件")
    result = verify()
    if not result.ok:
        raise AuditRefused(f"审计链校验失败，不能清理：#{result.first_bad_id} {result.reason}")
    chain_pending()
    tz = timezone.get_current_timezone()
    cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=tz)
    with transaction.atomic():
        head = _locked_head()
        newer = AuditEvent.objects.filter(chain_seq__gt=head.base_seq, created_at__gte=cutoff)
        first_kept = newer.order_by("chain_seq").values_list("chain_seq", flat=True).first()
        last_seq = (first_kept - 1) if first_kept else head.last_seq
        if last_seq <= head.base_seq:
            return 0
        doomed = AuditEvent.objects.filter(chain_seq__gt=head.base_seq, chain_seq__lte=last_seq).order_by("chain_seq")
        count, checksum = export_events(doomed, archive, fmt)
        last = AuditEvent.objects.get(chain_seq=last_seq)
        _write_signed(
            checkpoint_dir() / f"base-{last_seq:012d}.json",
            {
                "kind": "base",
                "version": 1,
                "seq": last_seq,
                "event_id": last.pk,
                "hash": last.hash,
                "archive": Path(archive).name,
                "archive_sha256": checksum,
                "written_at": timezone.now().isoformat(timespec="seconds"),
            },
        )
        models.QuerySet(AuditEvent).filter(chain_seq__gt=head.base_seq, chain_seq__lte=last_seq)._raw_delete(
            AuditEvent.objects.db
        )
        head.base_seq, head.base_hash = last_seq, last.hash
        head.save(update_fields=["base_seq", "base_hash"])
        record(
            actor=None,
            action=AuditAction.AUDIT_PURGE,
            object_type="core.auditevent",
            object_repr=f"≤ #{last.pk}",
            after={"before": before, "count": count, "up_to_seq": last_seq, "archive_sha256": checksum},
        )
    return count


def rekey(*, old_secret: str | None = None) -> int:
    """Re-chain every event with the current key and algorithm, after checking it with the old ones.

    Converts the unkeyed SHA-256 chain of earlier versions (``hash_alg="sha256"``), switches to
    HMAC-SM3 after turning on ``GONGKAI_CRYPTO=gm`` (or back), and rotates ``GONGKAI_AUDIT_KEY``
    (pass the previous key as ``old_secret``). Refused, changing nothing, if the chain or a
    checkpoint does not verify with the old parameters. Head checkpoints of the old chain are
    moved to ``superseded-<time>/`` and a new one is written; the re-keying is audited.
    """
    chain_pending()
    alg = configured_alg()
    directory = checkpoint_dir()
    converted = 0
    with transaction.atomic():
        head = _locked_head()
        old_hashes: dict[int, str] = {}
        prev_old = prev_new = head.base_hash
        expected = head.base_seq + 1
        last_seq = head.base_seq
        checkpoint_seqs = {int(cp.data["seq"]) for cp in read_checkpoints(directory, secret=old_secret) if cp.valid}
        while True:
            batch = list(AuditEvent.objects.filter(chain_seq__gt=last_seq).order_by("chain_seq")[:2000])
            if not batch:
                break
            for event in batch:
                keyed_secret = old_secret if event.hash_alg in KEYED_ALGS else None
                if (
                    event.chain_seq != expected
                    or event.prev_hash != prev_old
                    or event.hash_alg not in (LEGACY_ALG, *KEYED_ALGS)
                    or compute_hash(prev_old, event, event.hash_alg, secret=keyed_secret) != event.hash
                ):
                    raise AuditRefused(f"第 {event.chain_seq} 条（事件 #{event.pk}）用原密钥校验不通过，未做任何改动")
                if event.chain_seq in checkpoint_seqs:
                    old_hashes[event.chain_seq] = event.hash
                prev_old = event.hash
                new_hash = compute_hash(prev_new, event, alg)
                event.prev_hash, event.hash, event.hash_alg = prev_new, new_hash, alg
                prev_new = new_hash
                expected += 1
                last_seq = event.chain_seq
            _write_chain_columns(batch)
            converted += len(batch)
        if prev_old != head.last_hash or last_seq != head.last_seq:
            raise AuditRefused("链尾与链头记录不符，未做任何改动")
        cps = read_checkpoints(directory, secret=old_secret)
        for cp in cps:
            seq = int(cp.data.get("seq", 0) or 0)
            if not cp.valid:
                raise AuditRefused(f"检查点 {cp.path.name} 用原密钥校验不通过，未做任何改动")
            if cp.data.get("kind") == "head" and seq > head.base_seq and old_hashes.get(seq) != cp.data["hash"]:
                raise AuditRefused(f"审计链与检查点 {cp.path.name} 不符，未做任何改动")
        head.last_hash = prev_new
        head.save(update_fields=["last_hash"])
        record(
            actor=None,
            action=AuditAction.AUDIT_REKEY,
            object_type="core.auditevent",
            after={"events": converted, "alg": alg, "key_rotated": old_secret is not None},
        )
        if cps:
            superseded = directory / f"superseded-{timezone.now():%Y%m%dT%H%M%S}"
            superseded.mkdir(parents=True, exist_ok=True)
            for cp in cps:
                if cp.data.get("kind") == "base":
                    _write_signed(cp.path, {k: v for k, v in cp.data.items() if k != "signature"})
                else:
                    os.replace(cp.path, superseded / cp.path.name)
    if _chaining_mode() == "deferred":
        chain_pending()
    write_checkpoint(directory)
    return converted

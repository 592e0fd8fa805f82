"""Keyed audit chain (issue 13 item 4) and deferred chaining (issue 18 item 5).

The attacks are those of the security probe: someone who can write the database edits an
event and recomputes the chain with plain SHA-256; someone holding the key truncates or
rewrites the chain behind an exported checkpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory

from gongkai.core import audit
from gongkai.core.models import AuditChainHead, AuditEvent
from tests.conftest import REDIS_HOST, REDIS_PORT, redis_alive

pytestmark = pytest.mark.django_db

KEY_A = "county-audit-key-2026-a-7Hq2mZ8vL0pX4sR9tW1yB6nC3dF5gJ"
KEY_B = "county-audit-key-2026-b-Qe3rT7yU1iO5pA9sD2fG6hJ0kL4zX8"


@pytest.fixture(autouse=True)
def _checkpoints(settings, tmp_path):
    settings.GONGKAI_AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.GONGKAI_AUDIT_KEY = KEY_A
    return settings.GONGKAI_AUDIT_CHECKPOINT_DIR


def _record(n: int, label: str = "民政局最低生活保障审批") -> list[int]:
    ids = []
    for i in range(n):
        with transaction.atomic():
            ids.append(
                audit.record(
                    actor=None,
                    action="test.keyed",
                    object_type="benefits.application",
                    object_id=f"DB-2026-{i:04d}",
                    object_repr=f"{label}第{i + 1}件",
                    after={"申请人": "王秀英", "金额": 820 + i},
                ).pk
            )
    audit.chain_pending()  # tests never commit: link what the deferred mode left pending
    return ids


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _fails(result, event_id=None, words=""):
    assert not result.ok, result
    if event_id is not None:
        assert result.first_bad_id == event_id, result
    assert words in result.reason, result


# --- the key ------------------------------------------------------------------------


def test_hash_is_a_keyed_hmac_not_plain_sha256():
    (event_id,) = _record(1)
    event = AuditEvent.objects.get(pk=event_id)
    assert event.hash_alg == "hmac-sha256"
    plain = hashlib.sha256(event.prev_hash.encode() + b"\n" + audit._canonical(event)).hexdigest()
    assert event.hash != plain
    assert audit.compute_hash(event.prev_hash, event) == event.hash
    assert audit.compute_hash(event.prev_hash, event, secret=KEY_B) != event.hash


def test_probe_attack_edit_and_rechain_with_plain_sha256_is_detected():
    """Edit one event, recompute every later hash and the head with SHA-256 (the probe's attack)."""
    ids = _record(8)
    target = ids[2]
    _raw("UPDATE core_auditevent SET action = %s WHERE id = %s", ["test.innocent", target])
    prev = AuditEvent.objects.get(pk=ids[1]).hash
    for event in AuditEvent.objects.filter(pk__in=ids[2:]).order_by("chain_seq"):
        forged = hashlib.sha256(prev.encode() + b"\n" + audit._canonical(event)).hexdigest()
        _raw("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, forged, event.pk])
        prev = forged
    _raw("UPDATE core_auditchainhead SET last_hash = %s", [prev])
    _fails(audit.verify(), target, "被修改")
    # Claiming the forged rows are of the old unkeyed kind does not help either.
    _raw("UPDATE core_auditevent SET hash_alg = 'sha256' WHERE id >= %s", [target])
    _fails(audit.verify(), target, "未用审计密钥签名")
    with pytest.raises(CommandError, match=f"#{target}"):
        call_command("audit", "verify")


def test_wrong_key_fails_verification(settings):
    _record(3)
    assert audit.verify().ok
    settings.GONGKAI_AUDIT_KEY = KEY_B
    _fails(audit.verify(), None, "被修改")


def test_sm3_chain_under_guomi(settings):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as chmac

    first = _record(2)
    settings.GONGKAI_CRYPTO = "gm"
    later = _record(2, "人社局就业补贴")
    events = list(AuditEvent.objects.filter(pk__in=first + later).order_by("chain_seq"))
    assert [e.hash_alg for e in events] == ["hmac-sha256"] * 2 + ["hmac-sm3"] * 2
    # Independent HMAC-SM3 over the documented input: key derived from GONGKAI_AUDIT_KEY.
    kmac = chmac.HMAC(KEY_A.encode(), hashes.SM3())
    kmac.update(b"gongkai-audit-chain")
    mac = chmac.HMAC(kmac.finalize(), hashes.SM3())
    mac.update(events[2].prev_hash.encode() + b"\n" + audit._canonical(events[2]))
    assert mac.finalize().hex() == events[2].hash
    assert audit.verify().ok  # a chain may switch algorithm: each event names its own keyed one


def test_guomi_without_sm3_refuses_to_start(settings, monkeypatch):
    import cryptography.hazmat.primitives as primitives
    from django.core.exceptions import ImproperlyConfigured

    settings.GONGKAI_CRYPTO = "gm"
    monkeypatch.delattr(primitives, "hmac", raising=False)
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.hmac", None)  # as if not installed
    with pytest.raises(ImproperlyConfigured, match="SM3"):
        audit.check_configuration()


def test_production_settings_need_an_audit_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DEBUG", "DATABASE_URL"))}
    env.update(SECRET_KEY="s" * 50, GONGKAI_DATA_DIR=str(tmp_path), PYTHONPATH="src")
    code = "import gongkai.settings"
    missing = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "GONGKAI_AUDIT_KEY must be set" in missing.stderr
    same = subprocess.run(
        [sys.executable, "-c", code], env={**env, "GONGKAI_AUDIT_KEY": "s" * 50}, capture_output=True, text=True
    )
    assert same.returncode != 0 and "differ from SECRET_KEY" in same.stderr
    ok = subprocess.run(
        [sys.executable, "-c", code], env={**env, "GONGKAI_AUDIT_KEY": KEY_A}, capture_output=True, text=True
    )
    assert "GONGKAI_AUDIT_KEY" not in ok.stderr, ok.stderr  # (other production keys may still be asked for)


# --- deferred chaining ------------------------------------------------------------------


def test_deferred_events_are_linked_after_commit_in_id_order(settings, django_capture_on_commit_callbacks):
    settings.GONGKAI_AUDIT_CHAINING = "deferred"
    _record(1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        a = audit.record(actor=None, action="test.deferred", object_type="t", object_id="a")
        b = audit.record(actor=None, action="test.deferred", object_type="t", object_id="b")
    a.refresh_from_db()
    assert a.chain_seq is None and a.hash is None
    result = audit.verify()
    assert result.ok and result.pending == 2  # exact over the chained part, the tail reported
    for callback in callbacks:
        callback()
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.chain_seq == a.chain_seq + 1 and b.prev_hash == a.hash
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash, head.last_event_id) == (b.chain_seq, b.hash, b.pk)
    result = audit.verify()
    assert result.ok and result.pending == 0 and result.checked == AuditEvent.objects.count()


def test_a_burst_of_commits_is_linked_by_one_pass(settings, django_capture_on_commit_callbacks):
    """Coalescing: the first writer's run links every committed event; the others' runs cost one query."""
    from django.test.utils import CaptureQueriesContext

    settings.GONGKAI_AUDIT_CHAINING = "deferred"
    _record(1)
    head_before = AuditChainHead.objects.get().last_seq
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events = []
        for i in range(5):
            with transaction.atomic():
                events.append(
                    audit.record(
                        actor=None,
                        action="test.burst",
                        object_type="requests.informationrequest",
                        object_id=f"YSQ-2026-{i:04d}",
                        object_repr=f"依申请公开第{i + 1}件：乡镇卫生院建设资金",
                        before=None if i % 2 else {"状态": "待受理", "期限": dt.date(2026, 12, 31)},
                        after={"状态": "已受理", "经办人": "李建国", "页数": i},
                    )
                )
    assert len(callbacks) == 5
    with CaptureQueriesContext(connection) as first:
        callbacks[0]()
    assert any("auditchainhead" in q["sql"].lower() for q in first.captured_queries)  # the one pass
    seqs = list(AuditEvent.objects.filter(action="test.burst").order_by("id").values_list("chain_seq", flat=True))
    assert seqs == list(range(head_before + 1, head_before + 6))  # all five, in id order, by that one pass
    for callback in callbacks[1:]:
        with CaptureQueriesContext(connection) as later:
            callback()
        assert len(later.captured_queries) == 1, later.captured_queries  # "anything pending?" and no lock
        assert "auditchainhead" not in later.captured_queries[0]["sql"].lower()
    assert AuditChainHead.objects.get().last_seq == head_before + 5
    result = audit.verify()
    assert result.ok and result.pending == 0 and result.checked == AuditEvent.objects.count(), result


def test_sequencer_hashes_what_verify_reads_back(settings):
    """The sequencer reads events with plain SQL on PostgreSQL; verify reads them through the ORM."""
    settings.GONGKAI_AUDIT_CHAINING = "deferred"
    with transaction.atomic():
        event = audit.record(
            actor=None,
            action="test.content",
            object_type="benefits.item",
            object_id=42,
            object_repr="城乡居民最低生活保障金发放（2026年第4季度）" * 20,
            before={"金额": dt.date(2026, 10, 1), "名单": ["王秀英", "张桂兰"], "嵌套": {"b": 1, "a": [1.5, None]}},
            after={"引号": 'he said "好"\n换行', "emoji": "🏛", "空": {}},
        )
    assert AuditEvent.objects.get(pk=event.pk).chain_seq is None
    assert audit.chain_pending() >= 1
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before["名单"] == ["王秀英", "张桂兰"] and stored.after["emoji"] == "🏛"
    assert len(stored.object_repr) == 255
    assert stored.hash == audit.compute_hash(stored.prev_hash, stored, stored.hash_alg)
    assert audit.verify().ok


def test_switching_to_inline_links_pending_events_first(settings):
    settings.GONGKAI_AUDIT_CHAINING = "deferred"
    with transaction.atomic():
        a = audit.record(actor=None, action="test.mode", object_type="t", object_id="deferred")
    settings.GONGKAI_AUDIT_CHAINING = "inline"
    with transaction.atomic():
        b = audit.record(actor=None, action="test.mode", object_type="t", object_id="inline")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.chain_seq is not None and b.chain_seq == a.chain_seq + 1 and b.prev_hash == a.hash
    result = audit.verify()
    assert result.ok and result.pending == 0


def test_deleting_an_event_leaves_a_gap_in_the_positions(settings):
    ids = _record(5)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [ids[2]])
    # Even re-linking the survivors' hashes with the key cannot hide the missing position.
    _fails(audit.verify(), ids[3], "哈希不匹配")


# --- checkpoints -------------------------------------------------------------------------


def test_checkpoint_file_is_signed_and_checked(_checkpoints):
    _record(4)
    path = audit.write_checkpoint()
    data = json.loads(path.read_text())
    head = AuditChainHead.objects.get()
    assert data["seq"] == head.last_seq and data["hash"] == head.last_hash and data["signature"]
    result = audit.verify()
    assert result.ok and result.checkpoints == 1
    data["hash"] = "0" * 64
    path.write_text(json.dumps(data))
    _fails(audit.verify(), None, "签名无效")


def _rechain_with_key(from_seq: int) -> str:
    """What an insider holding the key can do: rewrite the chain from ``from_seq`` on."""
    prev = AuditEvent.objects.get(chain_seq=from_seq - 1).hash
    for event in AuditEvent.objects.filter(chain_seq__gte=from_seq).order_by("chain_seq"):
        new = audit.compute_hash(prev, event)
        _raw("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, event.pk])
        prev = new
    last = AuditEvent.objects.order_by("-chain_seq").first()
    _raw(
        "UPDATE core_auditchainhead SET last_hash = %s, last_seq = %s, last_event_id = %s",
        [prev, last.chain_seq, last.pk],
    )
    return prev


def test_truncation_behind_a_checkpoint_is_detected(_checkpoints):
    ids = _record(6)
    audit.write_checkpoint()
    last_two = AuditEvent.objects.filter(pk__in=ids[-2:])
    _raw("DELETE FROM core_auditevent WHERE id IN (%s, %s)", [ids[-2], ids[-1]])
    assert not last_two.exists()
    survivor = AuditEvent.objects.get(pk=ids[-3])
    _raw(
        "UPDATE core_auditchainhead SET last_hash = %s, last_seq = %s, last_event_id = %s",
        [survivor.hash, survivor.chain_seq, survivor.pk],
    )
    _fails(audit.verify(), None, "截断")
    with pytest.raises(CommandError, match="截断"):
        call_command("audit", "verify")


def test_rewrite_behind_a_checkpoint_is_detected_even_with_the_key(_checkpoints):
    ids = _record(6)
    audit.write_checkpoint()
    target = AuditEvent.objects.get(pk=ids[2])
    _raw("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"申请人": "李四", "金额": 9999}', target.pk])
    _rechain_with_key(target.chain_seq)
    _fails(audit.verify(), ids[-1], "改写")


def test_checkpoint_command_and_beat_task(_checkpoints, capsys):
    from gongkai.core import tasks

    _record(2)
    call_command("audit", "checkpoint")
    assert "检查点" in capsys.readouterr().out
    _record(1)
    assert tasks.audit_checkpoint()  # the periodic job (CELERY_BEAT_SCHEDULE "core-audit-checkpoint")
    assert len(list(_checkpoints.glob("checkpoint-*.json"))) == 2
    call_command("audit", "verify")
    assert "2 个检查点" in capsys.readouterr().out


# --- retention and archiving ----------------------------------------------------------------


def test_events_cannot_be_deleted_within_180_days():
    ids = _record(2)
    with pytest.raises(ValidationError, match="180天"):
        AuditEvent.objects.get(pk=ids[0]).delete()
    with pytest.raises(ValidationError, match="网络安全法"):
        AuditEvent.objects.filter(pk__in=ids).delete()
    assert AuditEvent.objects.filter(pk__in=ids).count() == 2
    admin = site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.create_superuser("installer", "it@songyang.gov.cn", "Sy-Install-2026!")
    assert admin.has_delete_permission(request) is False
    assert admin.has_delete_permission(request, AuditEvent.objects.get(pk=ids[0])) is False
    assert "delete_selected" not in admin.get_actions(request)


def test_export_jsonl_and_csv_checksummed(tmp_path, capsys):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)):
        _record(3)
    with time_machine.travel(dt.datetime(2026, 5, 2, 10, tzinfo=dt.UTC)):
        _record(2, "五月")
    out = tmp_path / "march.jsonl"
    call_command("audit", "export", "--from", "2026-03-01", "--to", "2026-03-31", "--output", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["object_id"] for row in lines] == ["DB-2026-0000", "DB-2026-0001", "DB-2026-0002"]
    assert lines[0]["after"] == {"申请人": "王秀英", "金额": 820} and lines[0]["hash"]
    digest, name = (tmp_path / "march.jsonl.sha256").read_text().split()
    assert name == "march.jsonl" and digest == hashlib.sha256(out.read_bytes()).hexdigest()
    csv_out = tmp_path / "may.csv"
    call_command(
        "audit", "export", "--from", "2026-05-01", "--to", "2026-05-31", "--format", "csv", "--output", str(csv_out)
    )
    assert "五月第1件" in csv_out.read_text(encoding="utf-8") and "王秀英" in csv_out.read_text(encoding="utf-8")
    export_event = AuditEvent.objects.filter(action="audit.export").order_by("-id").first()
    assert export_event.after["count"] == 2 and export_event.after["format"] == "csv"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit", "export", "--from", "2026-13-01", "--to", "2026-03-31")


def test_purge_archives_old_events_and_keeps_the_chain_verifiable(tmp_path, _checkpoints):
    with time_machine.travel(dt.datetime(2025, 1, 10, 10, tzinfo=dt.UTC)):
        old = _record(3, "旧件")
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)):
        recent = _record(2, "新件")
        audit.write_checkpoint()
    with pytest.raises(CommandError, match="至少保存180天"):
        call_command("audit", "purge", "--before", "2026-11-01", "--archive", str(tmp_path / "a.jsonl"))
    archive = tmp_path / "audit-2025.jsonl"
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)):
        call_command("audit", "purge", "--before", "2025-06-01", "--archive", str(archive))
    purged = {row["id"] for row in map(json.loads, archive.read_text(encoding="utf-8").splitlines())}
    assert set(old) <= purged and not AuditEvent.objects.filter(pk__in=old).exists()
    assert AuditEvent.objects.filter(pk__in=recent).count() == 2
    assert AuditEvent.objects.filter(action="audit.purge").exists()
    audit.chain_pending()
    assert audit.verify().ok
    # The anchor lives in a signed file: moving it by hand (deleting more old rows) is detected.
    (base,) = _checkpoints.glob("base-*.json")
    base.unlink()
    _fails(audit.verify(), None, "起点")


# --- re-keying and migrating the old chain ----------------------------------------------------


def _make_legacy(ids):
    """Turn the chain back into what gongkai wrote before keying: plain SHA-256, no positions."""
    prev = audit.GENESIS
    for event in AuditEvent.objects.order_by("id"):
        plain = audit.compute_hash(prev, event, audit.LEGACY_ALG)
        _raw(
            "UPDATE core_auditevent SET prev_hash = %s, hash = %s, hash_alg = 'sha256' WHERE id = %s",
            [prev, plain, event.pk],
        )
        prev = plain
    _raw("UPDATE core_auditchainhead SET last_hash = %s", [prev])
    return prev


def test_rekey_converts_a_legacy_chain():
    ids = _record(4)
    _make_legacy(ids)
    _fails(audit.verify(), AuditEvent.objects.order_by("chain_seq").first().pk, "rekey")
    call_command("audit", "rekey")
    assert audit.verify().ok
    assert set(AuditEvent.objects.values_list("hash_alg", flat=True)) == {"hmac-sha256"}


def test_rekey_refuses_a_tampered_legacy_chain():
    ids = _record(4)
    _make_legacy(ids)
    _raw("UPDATE core_auditevent SET action = 'test.tampered' WHERE id = %s", [ids[1]])
    with pytest.raises(CommandError, match="未做任何改动"):
        call_command("audit", "rekey")
    assert AuditEvent.objects.get(pk=ids[0]).hash_alg == "sha256"


def test_key_rotation_with_checkpoints(settings, _checkpoints, monkeypatch):
    _record(3)
    audit.write_checkpoint()
    settings.GONGKAI_AUDIT_KEY = KEY_B
    assert not audit.verify().ok
    monkeypatch.setenv("OLD_AUDIT_KEY", KEY_A)
    call_command("audit", "rekey", "--old-key-env", "OLD_AUDIT_KEY")
    result = audit.verify()
    assert result.ok and result.checkpoints == 1
    assert list(_checkpoints.glob("superseded-*/checkpoint-*.json"))


def test_data_migration_keys_an_intact_legacy_chain():
    ids = _record(5)
    _make_legacy(ids)
    _raw("UPDATE core_auditevent SET chain_seq = NULL, hash_alg = ''", [])
    migration = importlib.import_module("gongkai.core.migrations.0005_audit_keyed_chain")
    migration.key_existing_chain(apps, type("Editor", (), {"connection": connection})())
    seqs = list(AuditEvent.objects.order_by("id").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert audit.verify().ok


# --- the sequencer task, queued by the writers (app servers with a worker) -----------------------


@pytest.fixture
def as_app_server(settings, monkeypatch):
    """As an app server with ``REDIS_URL``: the shared Redis cache, Celery tasks sent to the broker.

    The broker is the test run's in-memory transport (no worker consumes it): the test runs the
    task body itself, as the worker would. Returns the names of the tasks published.
    """
    import uuid

    from celery.signals import before_task_publish

    from gongkai.celery import app

    if not redis_alive():
        pytest.skip(f"needs Redis at {REDIS_HOST}:{REDIS_PORT}")
    eager = app.conf.task_always_eager  # read before the Django setting changes (the conf loads lazily)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/13",
            "KEY_PREFIX": "gk-audit-test-" + uuid.uuid4().hex[:12],
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.GONGKAI_AUDIT_CHAINING = "deferred"
    app.conf.task_always_eager = False
    monkeypatch.setattr(audit, "_window_end", 0.0)
    monkeypatch.setattr(audit, "SEQUENCER_WINDOW_S", 30)  # the Redis key outlives a slow test run
    published: list[str] = []

    def on_publish(sender=None, **kwargs):
        published.append(sender)

    before_task_publish.connect(on_publish, weak=False)
    yield published
    before_task_publish.disconnect(on_publish)
    app.conf.task_always_eager = eager


def _committed_event(n: int) -> AuditEvent:
    with transaction.atomic():
        return audit.record(
            actor=None,
            action="test.window",
            object_type="requests.informationrequest",
            object_id=f"YSQ-2026-{n:04d}",
            object_repr=f"依申请公开第{n}件：农村危房改造补助名单",
            after={"状态": "已受理"},
        )


def test_writers_queue_one_sequencer_run_per_window(as_app_server, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from gongkai.core.tasks import audit_chain_pending

    published = as_app_server
    with django_capture_on_commit_callbacks(execute=True):
        first = _committed_event(1)
    assert published == ["gongkai.core.tasks.audit_chain_pending"]  # queued to start after the window
    window_end = float(cache.get(audit.SEQUENCER_WINDOW_KEY))
    assert audit._window_end == window_end
    cache.delete(audit.SEQUENCER_WINDOW_KEY)  # the other writes of this process must not even ask the cache
    with django_capture_on_commit_callbacks(execute=True):
        later = [_committed_event(n) for n in (2, 3)]
    assert len(published) == 1 and cache.get(audit.SEQUENCER_WINDOW_KEY) is None
    first.refresh_from_db()
    assert first.chain_seq is None and audit.verify().pending == 3  # nothing linked by the writers

    # Another process, window still open (the key in the cache): it remembers the end, queues nothing.
    cache.add(audit.SEQUENCER_WINDOW_KEY, window_end, 30)
    audit._window_end = 0.0
    with django_capture_on_commit_callbacks(execute=True):
        later.append(_committed_event(4))
    assert len(published) == 1 and audit._window_end == window_end

    assert audit_chain_pending.apply().get() == 4  # the worker's run links the whole window, in order
    seqs = [e.chain_seq for e in AuditEvent.objects.filter(pk__in=[first.pk] + [e.pk for e in later]).order_by("id")]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    result = audit.verify()
    assert result.ok and result.pending == 0, result

    # The window over (its key expired): the next write opens a new one.
    cache.delete(audit.SEQUENCER_WINDOW_KEY)
    with time_machine.travel(window_end + 1, tick=False), django_capture_on_commit_callbacks(execute=True):
        _committed_event(5)
    assert len(published) == 2


def test_a_dead_cache_loses_no_event(as_app_server, settings, django_capture_on_commit_callbacks, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        event = _committed_event(1)  # the writer does not fail
    assert as_app_server == [] and "could not queue the sequencer" in caplog.text
    assert AuditEvent.objects.filter(pk=event.pk, chain_seq__isnull=True).exists()  # committed, pending
    assert audit.chain_pending() == 1  # the beat task's run links it
    result = audit.verify()
    assert result.ok and result.pending == 0, result


# --- PostgreSQL: parallel writers with deferred chaining ---------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_and_sequencers_lose_nothing_and_chain_nothing_twice(settings, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency test needs PostgreSQL")
    from django.db import connections

    from gongkai.core import services

    settings.GONGKAI_AUDIT_CHAINING = "deferred"
    writers, per_writer = 8, 30
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers + 2)
    done = threading.Event()
    clerks = [
        get_user_model().objects.create(username=f"clerk{n}", full_name=f"窗口经办人{n}") for n in range(writers // 2)
    ]

    def writer(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                if n < len(clerks):  # a real service: row lock, validation, save, event
                    services.user_update(
                        actor=None, user=clerks[n], phone=f"1390851{i:04d}", full_name=f"经办人{n}-{i}"
                    )
                else:
                    with transaction.atomic():
                        audit.record(
                            actor=None, action="test.parallel", object_type="t", object_id=f"{n}-{i}", after={"i": i}
                        )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def extra_sequencer():  # a beat task running at the same time as the writers' own chaining
        try:
            barrier.wait()
            while not done.is_set():
                audit.chain_pending()
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    threads += [threading.Thread(target=extra_sequencer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads[:writers]:
        t.join()
    done.set()
    for t in threads[writers:]:
        t.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.parallel").count() == (writers - len(clerks)) * per_writer
    for clerk in clerks:  # every service write has its event
        assert AuditEvent.objects.filter(action="user.update", object_id=str(clerk.pk)).count() == per_writer
    assert not AuditEvent.objects.filter(chain_seq__isnull=True).exists()
    assert AuditEvent.objects.values("hash").distinct().count() == AuditEvent.objects.count()  # none linked twice
    seqs = list(AuditEvent.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))  # every event once, no gap, no duplicate
    result = audit.verify()
    assert result.ok and result.pending == 0 and result.checked == AuditEvent.objects.count(), result


def test_verify_on_an_empty_database_with_a_stale_checkpoint_dir(_checkpoints):
    """A checkpoint from another database means this chain is shorter than what was exported."""
    _record(2)
    audit.write_checkpoint()
    assert Path(_checkpoints).is_dir()
    _raw("DELETE FROM core_auditevent", [])
    _raw("DELETE FROM core_auditchainhead", [])
    _fails(audit.verify(), None, "截断")

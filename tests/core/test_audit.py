"""Audit trail: one event per service call in the same transaction, hash chain, tamper detection."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from gongkai.core import audit, services
from gongkai.core.models import AuditChainHead, AuditEvent, Holiday, Membership, OrgKind, Role
from tests.factories import make_credit_code

pytestmark = pytest.mark.django_db


def _new_events(before_id):
    return list(AuditEvent.objects.filter(id__gt=before_id).order_by("id"))


def _last_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_each_core_service_writes_its_events(tree):
    cases = [
        (
            lambda: services.organisation_create(
                actor=tree.office,
                parent=tree.county,
                name="松阳县统计局",
                kind=OrgKind.DEPARTMENT,
                credit_code=make_credit_code(),
            ),
            ["organisation.create"],
        ),
        (
            lambda: services.organisation_update(actor=tree.office, org=tree.dept_a, contact_phone="0578-8060001"),
            ["organisation.update"],
        ),
        (
            lambda: services.user_create(
                actor=tree.office,
                username="tj_editor",
                password="Songyang-2026!",
                full_name="钱多多",
                unit=tree.dept_a,
                roles=[Role.EDITOR, Role.REVIEWER],
            ),
            ["user.create", "membership.grant", "membership.grant"],
        ),
        (lambda: services.user_update(actor=tree.office, user=tree.editor_b, phone="13905780000"), ["user.update"]),
        (
            lambda: services.membership_grant(
                actor=tree.office, user=tree.editor_b, unit=tree.dept_b, role=Role.REVIEWER
            ),
            ["membership.grant"],
        ),
        (
            lambda: services.membership_grant(
                actor=tree.office, user=tree.editor_b, unit=tree.dept_b, role=Role.REVIEWER
            ),
            [],
        ),  # granting a role the user already holds changes nothing and records nothing
        (
            lambda: services.membership_revoke(
                actor=tree.office, membership=Membership.objects.get(user=tree.leader_b)
            ),
            ["membership.revoke"],
        ),
        (
            lambda: services.holiday_save(actor=tree.sysadmin, date=dt.date(2026, 12, 31), kind="holiday", name="测试"),
            ["calendar.save"],
        ),
        (
            lambda: services.holiday_delete(
                actor=tree.sysadmin, holiday=Holiday.objects.get(date=dt.date(2026, 12, 31))
            ),
            ["calendar.delete"],
        ),
        (
            lambda: services.holidays_import(
                actor=tree.sysadmin,
                report=services.parse_holiday_file(
                    b"date,kind,name\n2027-01-01,holiday,\xe5\x85\x83\xe6\x97\xa6\n", "2027.csv"
                ),
                source="2027.csv",
            ),
            ["calendar.import"],
        ),
    ]
    for run, expected in cases:
        start = _last_id()
        run()
        assert [e.action for e in _new_events(start)] == expected
    assert audit.verify().ok


def test_event_content(tree):
    start = _last_id()
    services.organisation_update(actor=tree.office, org=tree.dept_a, contact_phone="0578-8060001")
    audit.chain_pending()  # deferred chaining (PostgreSQL) links after commit; tests never commit
    (event,) = _new_events(start)
    assert event.actor == tree.office and event.actor_name == "陈晓梅"
    assert event.unit == tree.dept_a
    assert event.object_type == "core.organisation" and event.object_id == str(tree.dept_a.pk)
    assert event.before["contact_phone"] == "" and event.after["contact_phone"] == "0578-8060001"
    previous = AuditEvent.objects.filter(id__lt=event.pk).order_by("-id").first()
    assert event.prev_hash == previous.hash
    assert AuditChainHead.objects.get().last_hash == event.hash


def test_failed_service_rolls_back_its_event(tree):
    start = _last_id()
    users = type(tree.office).objects.count()
    with pytest.raises(ValidationError):
        # user.create is recorded first, then the unknown role fails: both must disappear.
        services.user_create(actor=tree.office, username="ghost", password=None, unit=tree.dept_a, roles=["boss"])
    assert _new_events(start) == []
    assert type(tree.office).objects.count() == users
    assert audit.verify().ok


def test_record_requires_a_transaction():
    with pytest.raises(RuntimeError):
        # The test itself runs in a transaction; leave it to provoke the error.
        conn = transaction.get_connection()
        saved = conn.in_atomic_block
        conn.in_atomic_block = False
        try:
            audit.record(actor=None, action="x.y")
        finally:
            conn.in_atomic_block = saved


def test_events_cannot_be_changed_or_deleted_through_the_orm(tree):
    event = AuditEvent.objects.first()
    event.action = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def _chain(tree, n=6):
    ids = []
    for i in range(n):
        with transaction.atomic():
            ids.append(
                audit.record(
                    actor=tree.office,
                    action=f"test.step{i}",
                    object_type="test",
                    object_id=i,
                    unit=tree.county,
                    before={"n": i},
                    after={"n": i + 1},
                ).pk
            )
    audit.chain_pending()  # deferred chaining (PostgreSQL) links after commit; tests never commit
    return ids


def _verify_fails_naming(event_id):
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")
    assert f"#{event_id}" in str(excinfo.value)
    result = audit.verify()
    assert not result.ok and result.first_bad_id == event_id


def test_verify_ok(tree, capsys):
    _chain(tree)
    call_command("audit", "verify")
    assert "审计链完好" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("column", "value"),
    [("before", '{"n": 99}'), ("after", '{"n": 100}'), ("action", "test.innocent"), ("actor_name", "别人")],
)
def test_raw_update_of_past_row_detected(tree, column, value):
    ids = _chain(tree)
    target = ids[2]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE core_auditevent SET {column} = %s WHERE id = %s", [value, target])
    _verify_fails_naming(target)


def test_raw_update_that_also_recomputes_the_hash_is_detected_at_the_next_row(tree):
    ids = _chain(tree)
    target = AuditEvent.objects.get(pk=ids[2])
    target.action = "test.forged"
    forged = audit.compute_hash(target.prev_hash, target)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET action = %s, hash = %s WHERE id = %s", ["test.forged", forged, ids[2]]
        )
    _verify_fails_naming(ids[3])


def test_deleting_a_middle_row_detected(tree):
    ids = _chain(tree)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [ids[3]])
    _verify_fails_naming(ids[4])


def test_deleting_the_last_row_detected(tree):
    ids = _chain(tree)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [ids[-1]])
    _verify_fails_naming(ids[-1])


def test_deleting_the_chain_head_detected(tree):
    _chain(tree)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditchainhead")
    assert not audit.verify().ok
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_request_id_from_header_reaches_the_event(tree, client_for):
    client = client_for(tree.office)
    response = client.post(
        reverse("core:user-detail", args=[tree.editor_b.pk]),
        {"action": "grant", "g-unit": tree.dept_b.pk, "g-role": "reviewer"},
        HTTP_X_REQUEST_ID="req-20261123-0001",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-20261123-0001"
    event = AuditEvent.objects.get(action="membership.grant", object_repr__contains="审核员")
    assert event.request_id == "req-20261123-0001"


def test_malformed_request_id_is_replaced(tree, client_for):
    response = client_for(tree.office).get(reverse("core:org-list"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


def test_audit_log_filters(tree, client_for):
    _chain(tree, 3)
    services.organisation_update(actor=tree.office, org=tree.dept_b, contact_phone="0578-8062222")
    client = client_for(tree.office)
    page = client.get(reverse("core:audit-list"), {"action": "organisation.update"}).content.decode()
    assert "organisation.update" in page and "test.step1" not in page
    page = client.get(reverse("core:audit-list"), {"unit": tree.dept_b.pk}).content.decode()
    assert "0578-8062222" in page and "test.step1" not in page
    page = client.get(reverse("core:audit-list"), {"actor": "陈晓梅", "date_from": "2000-01-01"}).content.decode()
    assert "test.step2" in page
    response = client.get(reverse("core:audit-list"), {"date_from": "not-a-date"})
    assert response.status_code == 200 and "输入一个有效的日期" in response.content.decode()


# --- PostgreSQL: concurrent appends keep the chain linear --------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_the_chain_linear(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency test needs PostgreSQL")
    from django.db import connections

    threads, per_thread = 8, 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def writer(n):
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit.record(
                        actor=None,
                        action="test.parallel",
                        object_type="test",
                        object_id=f"{n}-{i}",
                        after={"thread": n, "i": i},
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.parallel").count() == threads * per_thread
    result = audit.verify()
    assert result.ok, result
    assert result.checked == AuditEvent.objects.count()
    hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(hashes) == len(set(hashes))  # no two events share a predecessor: no fork


def test_snapshot_of_an_empty_file_field():
    from gongkai.core import audit
    from gongkai.requests.models import Attachment

    assert audit.snapshot(Attachment(original_name="x.pdf"), ["file", "original_name"]) == {
        "file": None,
        "original_name": "x.pdf",
    }

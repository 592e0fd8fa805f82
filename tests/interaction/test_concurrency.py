"""Parallel submissions on PostgreSQL: every accepted submission is stored, tracking codes are unique."""

import threading

import pytest
from django.db import connection, connections

from gongkai.interaction import services
from gongkai.interaction.models import Appeal, Comment

from .conftest import ensure_default_types


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_are_never_lost(tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    appeal_type = ensure_default_types()["consult"]
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker(n):
        try:
            barrier.wait()
            for i in range(5):
                appeal, created = services.appeal_submit(
                    appeal_type=appeal_type,
                    target_unit=tree.county,
                    title=f"并发留言{n}-{i}",
                    content=f"第{n}个线程的第{i}条留言",
                    phone=f"139057{n:02d}{i:03d}",
                )
                results.append((appeal.pk, appeal.tracking_code, created))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 40 and all(created for *_x, created in results)
    codes = [code for _pk, code, _c in results]
    assert len(set(codes)) == 40
    assert Appeal.objects.count() == 40
    assert set(Appeal.objects.values_list("tracking_code", flat=True)) == set(codes)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_comments_are_never_lost(tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import datetime as dt

    c = services.consultation_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        title="征求意见稿",
        draft="<p>正文</p>",
        explanation="<p>说明</p>",
        opens_on=dt.date.today(),
        closes_on=dt.date.today() + dt.timedelta(days=30),
    )
    c = services.consultation_open(actor=tree.leader_a, consultation=c)
    errors = []

    def worker(n):
        try:
            for i in range(5):
                services.comment_submit(consultation=c, content=f"意见{n}-{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Comment.objects.filter(consultation=c).count() == 30


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_identical_parallel_submissions_make_one_record(tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    appeal_type = ensure_default_types()["complain"]
    codes, errors = [], []
    barrier = threading.Barrier(6)

    def worker():
        try:
            barrier.wait()
            appeal, _created = services.appeal_submit(
                appeal_type=appeal_type,
                target_unit=tree.county,
                title="工地夜间施工噪音",
                content="每天晚上十一点后还在施工",
                phone="13905781234",
            )
            codes.append(appeal.tracking_code)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Appeal.objects.count() == 1 and set(codes) == {Appeal.objects.get().tracking_code}

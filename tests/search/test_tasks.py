"""Asynchronous index updates: retried on failure, never raising into the caller."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.search import SearchQuery, get_backend, register_source, tasks, unregister_source
from gongkai.search.backends.tantivy import TantivyBackend
from gongkai.search.models import IndexFailure

from .conftest import make_doc


@pytest.fixture
def source():
    store: dict[str, object] = {}
    register_source("testdoc", lambda: list(store.values()), lambda pk: store.get(pk))
    yield store
    unregister_source("testdoc")


def put(store, pk, title, body="正文"):
    d = make_doc(title, body, id=f"testdoc:{pk}", kind="testdoc")
    store[str(pk)] = d
    return d


def found(text):
    return [h.id for h in get_backend().search(SearchQuery(text=text)).hits]


@pytest.mark.django_db(transaction=True)
def test_schedule_index_runs_after_commit(source):
    put(source, 1, "乡村振兴项目公示")
    with transaction.atomic():
        tasks.schedule_index("testdoc:1")
        assert found("乡村振兴") == []  # not before the commit
    assert found("乡村振兴") == ["testdoc:1"]


@pytest.mark.django_db(transaction=True)
def test_rollback_schedules_nothing(source):
    put(source, 1, "乡村振兴项目公示")
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.schedule_index("testdoc:1")
        raise RuntimeError("rolled back")
    assert found("乡村振兴") == []


@pytest.mark.django_db
def test_index_document_removes_when_source_says_not_public(source):
    put(source, 2, "撤回的公告")
    tasks.index_document.delay("testdoc:2")
    assert found("撤回") == ["testdoc:2"]
    del source["2"]  # withdrawn / unpublished: the source returns None
    tasks.index_document.delay("testdoc:2")
    assert found("撤回") == []


@pytest.mark.django_db
def test_remove_document(source):
    put(source, 3, "过期的通知")
    tasks.index_document.delay("testdoc:3")
    tasks.remove_document.delay("testdoc:3")
    assert found("过期") == []


@pytest.mark.django_db(transaction=True)
def test_failure_is_retried_and_never_reaches_the_caller(source, monkeypatch):
    put(source, 4, "防汛应急预案")
    calls = {"n": 0}
    real_index = TantivyBackend.index

    def flaky(self, docs, **kw):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("index directory busy")
        return real_index(self, docs, **kw)

    monkeypatch.setattr(TantivyBackend, "index", flaky)
    with transaction.atomic():
        tasks.schedule_index("testdoc:4")  # the caller's transaction commits normally
    assert calls["n"] == 2  # failed once, retried
    assert found("防汛") == ["testdoc:4"]


@pytest.mark.django_db(transaction=True)
def test_permanent_failure_is_recorded_and_retried_later(source, monkeypatch):
    put(source, 5, "防汛应急预案")
    real_index = TantivyBackend.index

    def broken(self, docs, **kw):
        raise OSError("disk full")

    monkeypatch.setattr(TantivyBackend, "index", broken)
    monkeypatch.setattr(tasks.index_document, "max_retries", 2)
    with transaction.atomic():
        tasks.schedule_index("testdoc:5")  # does not raise
    failure = IndexFailure.objects.get(doc_id="testdoc:5")
    assert failure.operation == "index" and "disk full" in failure.error
    assert found("防汛") == []

    monkeypatch.setattr(TantivyBackend, "index", real_index)  # the disk has been cleaned up
    assert tasks.retry_failed_updates() == 1
    assert found("防汛") == ["testdoc:5"]
    assert not IndexFailure.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_broker_down_does_not_block(source, monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(*a, **kw):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(tasks.index_document, "delay", down)
    with transaction.atomic():
        tasks.schedule_index("testdoc:6")
    assert IndexFailure.objects.filter(doc_id="testdoc:6").exists()


def test_bad_ids_are_rejected():
    with pytest.raises(ValueError):
        tasks.index_document.run("no-colon")


def test_unknown_kind_is_ignored(db):
    assert tasks.index_document.run("nosuchkind:1") == "unknown-kind"

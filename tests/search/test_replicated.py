"""Replicated backend: documents and a change journal in the database, one local index per
app server. Two backend instances with their own index directories stand for two servers; two
instances on one directory for two processes of one server."""

from __future__ import annotations

import fcntl

import pytest
from django.core.management import call_command
from django.db import transaction

from gongkai.search import SearchQuery, register_source, tasks, unregister_source
from gongkai.search.backends import get_backend
from gongkai.search.backends.replicated import LOCK_FILE, ReplicatedBackend
from gongkai.search.backends.tantivy import TantivyBackend
from gongkai.search.models import ReplicaChange, ReplicaDocument, ReplicaState

from .conftest import make_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def servers(tmp_path):
    return ReplicatedBackend(tmp_path / "a"), ReplicatedBackend(tmp_path / "b")


def ids(backend, text, **kw):
    return [h.id for h in backend.search(SearchQuery(text=text, **kw)).hits]


def test_published_on_one_server_is_found_on_the_other(servers):
    a, b = servers
    d1 = make_doc("松阳县最低生活保障标准调整的通知", "城乡低保标准每人每月提高50元。")
    a.index([d1])
    assert ids(b, "低保") == [d1.id]  # b's next search applied the journal entry
    assert ReplicaDocument.objects.get(doc_id=d1.id).payload["title"] == d1.title
    assert ReplicaState.objects.get().seq == ReplicaChange.objects.count() == 1

    changed = make_doc("松阳县医疗保障待遇清单", "医保报销比例。", id=d1.id)
    b.index([changed])  # a change made through b reaches a
    assert ids(a, "低保") == []
    assert ids(a, "医疗保障") == [d1.id]

    a.delete([d1.id])
    assert ids(b, "医疗保障") == []
    assert not ReplicaDocument.objects.exists()
    assert b.count() == a.count() == 0


def test_same_ranking_as_the_embedded_backend(tmp_path, servers):
    a, b = servers
    embedded = TantivyBackend(tmp_path / "embedded")
    docs = [
        make_doc("关于低保对象认定的通知", "低保对象的认定条件。"),
        make_doc("县民政局工作简报", "本月走访低保户。"),
        make_doc("困难群众救助办法", "最低生活保障（低保）与特困供养；低保审批。"),
        make_doc("城市建设规划公示", "道路改造工程。"),
    ]
    embedded.index(docs)
    a.index(docs)
    for text in ("低保", "低保 通知", '"低保对象"', "怎么申请低保"):
        want = embedded.search(SearchQuery(text=text))
        got = b.search(SearchQuery(text=text))
        assert [(h.id, h.score) for h in got.hits] == [(h.id, h.score) for h in want.hits]
        assert (got.total, got.facets) == (want.total, want.facets)
        assert [h.snippet_html for h in got.hits] == [h.snippet_html for h in want.hits]


def test_new_server_builds_from_the_documents_table(tmp_path, servers):
    a, _b = servers
    a.index([make_doc(f"第{i}批农村危房改造补助名单公示", "危房改造补助资金。") for i in range(5)])
    new = ReplicatedBackend(tmp_path / "new")
    assert new.sync()["action"] == "rebuilt"
    assert new.count() == 5
    assert new.sync()["action"] == "none"  # up to date: one look at the state row


def test_clear_and_reindex_rebuild_every_server(servers):
    a, b = servers
    old = make_doc("旧的公告", "已废止。")
    a.index([old])
    assert ids(b, "公告") == [old.id]
    a.clear()
    new = make_doc("新的公告", "现行有效。")
    a.index([new])
    assert b.sync()["action"] == "rebuilt"  # the journal holds a clear ("*")
    assert ids(b, "公告") == [new.id]


def test_a_server_behind_the_compacted_journal_rebuilds(servers):
    a, b = servers
    first = make_doc("耕地保护补偿公示", "耕地保护。")
    a.index([first])
    assert ids(b, "耕地") == [first.id]
    later = [make_doc(f"耕地地力补贴发放公示（第{i}批）", "补贴。") for i in range(3)]
    for d in later:
        a.index([d])
    a.delete([first.id])
    assert a.compact(keep=1) == 4  # only the newest entry is left
    assert ReplicaState.objects.get().horizon == 4
    result = b.sync()
    assert result["action"] == "rebuilt"
    assert sorted(ids(b, "耕地")) == sorted(d.id for d in later)

    a.index([make_doc("耕地保护专项检查通知", "检查。")])
    assert b.sync() == {"action": "applied", "entries": 1, "docs": 1, "seq": 6}


def test_a_new_database_epoch_rebuilds(servers):
    a, b = servers
    a.index([make_doc("河道管理范围划定公告", "河道。")])
    assert b.count() == 1
    # The database was replaced (a restore, another install): a new epoch, lower numbers.
    ReplicaState.objects.all().delete()
    ReplicaChange.objects.all().delete()
    ReplicaDocument.objects.all().delete()
    other = make_doc("防汛应急预案", "防汛。")
    ReplicatedBackend(b.path.parent / "elsewhere", sync_after_write=False).index([other])
    assert ids(b, "河道") == []
    assert ids(b, "防汛") == [other.id]


def test_processes_of_one_host_share_the_index(tmp_path, servers):
    a, _b = servers
    first = ReplicatedBackend(tmp_path / "host")
    second = ReplicatedBackend(tmp_path / "host")
    d = make_doc("政府信息公开工作年度报告", "年度报告。")
    a.index([d])
    assert first.sync()["action"] == "rebuilt"
    assert second.sync()["action"] == "none"  # the other process applied it already
    assert ids(second, "年度报告") == [d.id]  # its reader reloaded


def test_while_another_process_applies_the_search_answers_from_the_local_index(tmp_path, servers):
    a, _b = servers
    host = ReplicatedBackend(tmp_path / "host", sync_wait=0)
    old = make_doc("老旧小区改造计划", "改造。")
    a.index([old])
    assert ids(host, "改造") == [old.id]
    new = make_doc("城镇老旧小区改造项目公示", "改造。")
    a.index([new])
    with open(host.path / LOCK_FILE, "a+") as fh:  # another process is applying (or rebuilding)
        fcntl.flock(fh, fcntl.LOCK_EX)
        assert host.sync()["action"] == "busy"
        assert ids(host, "改造") == [old.id]
        fcntl.flock(fh, fcntl.LOCK_UN)
    assert sorted(ids(host, "改造")) == sorted([old.id, new.id])


def test_unknown_backend_message_lists_replicated(settings):
    from gongkai.search.backends import SearchUnavailable

    settings.GONGKAI_SEARCH_BACKEND = "elastic"
    with pytest.raises(SearchUnavailable, match="replicated"):
        get_backend()


@pytest.mark.django_db(transaction=True)
def test_uncommitted_writes_never_reach_an_index(servers):
    a, b = servers
    with pytest.raises(RuntimeError), transaction.atomic():
        a.index([make_doc("尚未提交的公告", "回滚。")])
        assert ids(a, "回滚") == []  # not applied inside the writing transaction
        raise RuntimeError("rolled back")
    assert ids(b, "回滚") == []
    assert ids(a, "回滚") == []
    assert not ReplicaChange.objects.exists()
    kept = make_doc("已经提交的公告", "提交。")
    a.index([kept])
    assert ids(b, "提交") == [kept.id]


@pytest.fixture
def source():
    store: dict[str, object] = {}
    register_source("testdoc", lambda: list(store.values()), lambda pk: store.get(pk))
    yield store
    unregister_source("testdoc")


@pytest.mark.django_db(transaction=True)
def test_index_tasks_write_the_journal_after_the_change_commits(settings, tmp_path, source):
    from gongkai.search.backends import reset_backends

    settings.GONGKAI_SEARCH_BACKEND = "replicated"
    reset_backends()
    other_server = ReplicatedBackend(tmp_path / "other")
    source["1"] = make_doc("乡村振兴项目公示", "项目。", id="testdoc:1", kind="testdoc")
    with transaction.atomic():
        tasks.schedule_index("testdoc:1")
        assert not ReplicaDocument.objects.exists()
    assert ReplicaDocument.objects.get().doc_id == "testdoc:1"
    assert ids(other_server, "乡村振兴") == ["testdoc:1"]
    del source["1"]  # unpublished
    tasks.schedule_index("testdoc:1")  # outside a transaction: runs at once
    assert ids(other_server, "乡村振兴") == []
    assert list(ReplicaChange.objects.order_by("seq").values_list("doc_id", flat=True)) == ["testdoc:1"] * 2


def test_search_replica_command(settings, tmp_path, capsys):
    from gongkai.search.backends import reset_backends

    settings.GONGKAI_SEARCH_BACKEND = "replicated"
    settings.GONGKAI_SEARCH_INDEX_DIR = tmp_path / "cmd"
    reset_backends()
    writer = ReplicatedBackend(tmp_path / "writer", sync_after_write=False)
    writer.index([make_doc(f"森林防火通告（第{i}号）", "防火。") for i in range(3)])
    call_command("search_replica", "status")
    assert "已应用至 0" in capsys.readouterr().out
    call_command("search_replica", "sync")
    assert "rebuilt：变更 0 条，文档 3 条，日志序号 3" in capsys.readouterr().out
    call_command("search_replica", "rebuild")
    assert "文档 3 条" in capsys.readouterr().out
    call_command("search_replica", "compact", "--keep", "1")
    assert "已删除 2 条" in capsys.readouterr().out
    assert get_backend().count() == 3


def test_search_replica_command_needs_the_replicated_backend(settings):
    from django.core.management.base import CommandError

    settings.GONGKAI_SEARCH_BACKEND = "tantivy"
    with pytest.raises(CommandError, match="replicated"):
        call_command("search_replica", "status")


def test_compact_journal_task(settings, servers):
    from gongkai.search.backends import reset_backends

    settings.GONGKAI_SEARCH_BACKEND = "replicated"
    settings.GONGKAI_SEARCH_JOURNAL_KEEP = 2
    reset_backends()
    a, _b = servers
    for i in range(5):
        a.index([make_doc(f"通知{i}", "正文。")])
    assert tasks.compact_journal() == 3
    assert list(ReplicaChange.objects.values_list("seq", flat=True).order_by("seq")) == [4, 5]

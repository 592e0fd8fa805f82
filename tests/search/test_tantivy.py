"""Embedded-backend specifics: one writer at a time across processes, readers see other writers' commits."""

from __future__ import annotations

import threading

from gongkai.search import SearchQuery
from gongkai.search.backends.tantivy import SCHEMA_VERSION, TantivyBackend

from .conftest import make_doc


def test_concurrent_writers_serialise_on_the_file_lock(tmp_path):
    path = tmp_path / "idx"
    a, b = TantivyBackend(path), TantivyBackend(path)  # e.g. the web process and a Celery worker
    errors = []

    def write(backend, prefix):
        try:
            for i in range(5):
                backend.index([make_doc(f"{prefix}第{i}号公告", "正文", id=f"{prefix}:{i}", kind=prefix)])
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(a, "web")), threading.Thread(target=write, args=(b, "worker"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert a.count() == 10 and b.count() == 10


def test_reader_sees_another_writers_commit(tmp_path):
    path = tmp_path / "idx"
    reader, writer = TantivyBackend(path), TantivyBackend(path)
    assert reader.search(SearchQuery(text="防汛")).total == 0
    writer.index([make_doc("防汛抗旱应急预案", "防汛")])
    assert reader.search(SearchQuery(text="防汛")).total == 1


def test_index_with_an_old_layout_is_rebuilt_empty(tmp_path):
    path = tmp_path / "idx"
    TantivyBackend(path).index([make_doc("旧版索引", "内容")])
    (path / "gongkai-schema").write_text("0")
    fresh = TantivyBackend(path)
    assert fresh.count() == 0
    assert (path / "gongkai-schema").read_text() == SCHEMA_VERSION
    fresh.index([make_doc("新版索引", "内容")])
    assert fresh.search(SearchQuery(text="新版")).total == 1

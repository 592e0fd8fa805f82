"""Embedded-backend specifics: one writer at a time across processes, readers see other writers' commits."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading

import tantivy

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


def _seqs(backend):
    searcher = backend._searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=10_000).hits
    return sorted(searcher.fast_field_values("seq", [a for _s, a in hits]))


def test_documents_are_numbered_in_write_order_across_writers(tmp_path):
    path = tmp_path / "idx"
    web, worker = TantivyBackend(path), TantivyBackend(path)
    web.index([make_doc(f"第{i}号公告", "正文", id=f"a:{i}") for i in range(3)])
    worker.index([make_doc(f"第{i}号通知", "正文", id=f"b:{i}") for i in range(2)])
    web.index([make_doc("第0号公告（修订）", "正文", id="a:0")])  # an update: a new number
    assert _seqs(web) == [2, 3, 4, 5, 6]


# Real phrases of county notices; several documents share titles and dates (ties).
_TITLES = [
    "关于做好城乡低保提标工作的通知",
    "县民政局城乡低保资金使用情况公示",
    "关于开展防汛抗旱应急演练的通知",
    "县人民政府关于印发防汛应急预案的通知",
    "医疗救助和城乡低保政策解读",
    "关于公布临时救助标准的公告",
]
_BODIES = [
    "根据县人民政府安排，现将城乡低保提标有关事项通知如下。",
    "各乡镇人民政府：为做好防汛抗旱工作，结合我县实际，制定本预案。",
    "城乡低保、特困供养和临时救助资金按季度公示，接受社会监督。",
    "医疗救助对象包括低保对象、特困人员和低收入家庭。",
]


def test_a_search_split_in_two_halves_gives_the_same_page(tmp_path):
    """A large index is searched as two halves on two threads; the answer must not change:
    same total, facets, order (ties included), scores, pages and date order."""
    path = tmp_path / "idx"
    writer = TantivyBackend(path)
    units = ["县民政局", "县水利局", "县医保局"]
    for batch in range(4):  # several writes: several segments, numbers across them
        writer.index(
            make_doc(
                _TITLES[(batch * 7 + i) % len(_TITLES)],
                _BODIES[i % len(_BODIES)] * (1 + i % 3),
                id=f"publication:{batch}-{i}",
                unit_name=units[i % 3],
                year=2020 + i % 5,
                published_on=None if i % 11 == 0 else dt.date(2020 + i % 5, 1 + i % 12, 1 + i % 3),
            )
            for i in range(60)
        )
    writer.index([make_doc("关于做好城乡低保提标工作的通知（修订）", _BODIES[0], id="publication:0-1")])
    whole, split = TantivyBackend(path), TantivyBackend(path)
    whole.split_min_docs, split.split_min_docs = 10**9, 0
    assert split._median_seq(split._searcher()) is not None
    queries = [
        SearchQuery(text="城乡低保", per_page=10),
        SearchQuery(text="城乡低保", per_page=10, page=3),
        SearchQuery(text="防汛 通知", per_page=7, page=2),
        SearchQuery(text="低保对象怎么申请医疗救助", per_page=10),
        SearchQuery(text='"结合我县实际"', per_page=10, filters={"unit": ["县水利局"]}),
        SearchQuery(text="救助", per_page=10, sort="date"),
        SearchQuery(text="", per_page=20, page=2, sort="date"),
        SearchQuery(text="", per_page=100),
    ]
    for q in queries:
        a, b = whole.search(q), split.search(q)
        assert b.total == a.total and a.total > 0, q
        assert [(h.id, h.score) for h in b.hits] == [(h.id, h.score) for h in a.hits], q
        assert b.facets == a.facets, q
    assert (
        split.search(SearchQuery(text="", per_page=10)).total == 240
    )  # every document in one half (an update replaced one)


def test_a_word_is_matched_through_its_rarest_bigram_without_changing_its_score(tmp_path, monkeypatch):
    """人民政府 is searched as the phrase 人民@0 政府@2; 民政 (skipped) is rarer here, so it is
    required as well: tantivy checks positions only where it occurs. Same score as the phrase."""
    path = tmp_path / "idx"
    backend = TantivyBackend(path)
    backend.index(
        [
            make_doc(
                "县人民政府关于做好春耕生产工作的通知", "各乡镇人民政府：现将有关事项通知如下。", id="publication:gov"
            )
        ]
        + [
            make_doc(f"人民群众满意的政府服务（第{i}期）", "人民群众 政府工作报告", id=f"publication:p{i}")
            for i in range(6)
        ]
        + [make_doc("人民X政府", "人民X政府", id="publication:odd")]  # 人民 x 政府: positions 0, 1, 2
    )
    searcher = backend._searcher()
    assert searcher.doc_freq("body_bi", "民政") < searcher.doc_freq("body_bi", "人民")
    assert backend._rarest_gap("body_bi", [(0, "人民"), (2, "政府")]) == "民政"
    assert backend._rarest_gap("body_bi", [(0, "政府"), (1, "府工")]) is None  # nothing skipped
    guarded = backend.search(SearchQuery(text="人民政府"))
    assert [h.id for h in guarded.hits] == ["publication:gov"]

    monkeypatch.setattr(TantivyBackend, "_rarest_gap", lambda self, field, tokens: None)
    plain = backend.search(SearchQuery(text="人民政府"))
    assert {h.id for h in plain.hits} == {"publication:gov", "publication:odd"}  # the phrase alone
    assert next(h.score for h in plain.hits if h.id == "publication:gov") == guarded.hits[0].score


def _search_in_child(path, out):
    out.put(TantivyBackend(path).search(SearchQuery(text="防汛")).total)


def test_a_process_forked_after_a_search_still_searches(tmp_path):
    """gunicorn --preload and Celery prefork fork after the parent may have searched: the
    child must not wait for the parent's search threads (they do not exist in the child)."""
    path = tmp_path / "idx"
    backend = TantivyBackend(path)
    backend.index([make_doc("防汛抗旱应急预案", "防汛")])
    assert backend.search(SearchQuery(text="防汛")).total == 1  # the parent's threads now exist
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_search_in_child, args=(path, out))
    child.start()
    child.join(30)
    if child.is_alive():  # pragma: no cover - the assertion below reports it
        child.kill()
    assert child.exitcode == 0
    assert out.get(timeout=5) == 1

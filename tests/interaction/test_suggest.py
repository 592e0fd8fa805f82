"""The FAQ suggester: shares the search analysis (name dictionary, stop words), shows the top
five and marks close matches, re-ranks semantically when embeddings exist."""

import pytest

from gongkai.interaction import selectors, services, suggest
from gongkai.interaction.models import FaqStatus
from gongkai.search import dictionary, semantic
from gongkai.search import services as search_services

DOCS = [
    (1, "低保怎么申请？", "低保", "向户籍所在地乡镇提出申请"),
    (2, "低保标准是多少？", "低保", "每人每月1141元"),
    (3, "住房公积金如何提取？", "公积金", "购房、租房可以提取"),
    (4, "户口迁移需要什么材料？", "户籍", "身份证、户口簿"),
    (5, "城乡居民医疗保险怎么缴费？", "医保", "每年9月至12月缴费"),
    (6, "新房子的不动产权证书怎么办理？", "不动产登记", "开发商办理首次登记后申请转移登记"),
]


@pytest.fixture(scope="module")
def index():
    return suggest.BM25Index(DOCS, dictionary.Dictionary([(a, b) for a, b, _s in dictionary.shipped_pairs()]))


@pytest.mark.parametrize(
    "query,expected",
    [
        ("申请最低生活保障需要哪些材料", 1),
        ("最低生活保障标准", 2),
        ("公积金怎样提取", 3),
        ("户籍迁入要带哪些材料", 4),
        ("医保怎么交", 5),
        ("买了新房怎么办房产证", 6),  # everyday name of the shared dictionary
    ],
)
def test_dictionary_and_abbreviations_find_the_entry(index, query, expected):
    hits = index.search(query, limit=3)
    assert hits and hits[0].entry_id == expected


def test_close_matches_are_marked_not_hidden(index):
    hits = index.search("小区路灯坏了谁来修", min_similarity=0)
    assert all(not h.close for h in hits)
    close = index.search("低保怎么申请")[0]
    assert close.entry_id == 1 and close.close
    assert index.search("", limit=3) == []


def test_question_words_are_the_search_stop_words(index):
    # 怎么 / 需要 / 哪些 are dropped as whole words by both the search and the suggester
    assert set(suggest.analyse("怎么申请低保", index.synonyms)) == set(suggest.analyse("申请低保", index.synonyms))


@pytest.fixture
def faq(tree):
    def _make(question, answer="答复内容", unit=None, topics=()):
        return services.faq_create(
            actor=tree.editor_a, unit=unit or tree.dept_a, question=question, answer=answer, topics=topics
        )

    return _make


@pytest.fixture(autouse=True)
def no_semantic(settings):
    settings.GONGKAI_SEMANTIC = False


def test_index_refreshes_when_faq_changes(faq, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for q in ("户口迁移需要什么材料？", "住房公积金如何提取？", "营业执照在哪里办理？", "城乡居民医保怎么缴费？"):
            faq(q)
        entry = faq("低保怎么申请？", topics=["低保"])
    top = selectors.faq_suggestions("最低生活保障怎么申请")
    assert top[0].pk == entry.pk and top[0].close
    # a weak match is shown too (never hidden behind the threshold), just not marked
    partial = selectors.faq_suggestions("低保和医保都要缴费吗")
    assert {e.question for e in partial} >= {"低保怎么申请？", "城乡居民医保怎么缴费？"}
    assert any(not e.close for e in partial) and len(partial) <= 5
    with django_capture_on_commit_callbacks(execute=True):
        services.faq_update(actor=tree.editor_a, entry=entry, question="特困供养怎么申请？", answer="新答复")
    assert selectors.faq_suggestions("特困人员救助供养如何申请")[0].pk == entry.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.faq_set_status(actor=tree.editor_a, entry=entry, status=FaqStatus.WITHDRAWN)
    assert entry.pk not in [e.pk for e in selectors.faq_suggestions("特困人员救助供养如何申请")]


def test_staff_dictionary_pairs_are_used(faq, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = faq("一件事联办怎么申请？")
        faq("营业执照在哪里办理？")
    with django_capture_on_commit_callbacks(execute=True):
        search_services.name_pair_create(actor=tree.office, everyday="出生联办", official="一件事联办", source="测试")
    assert selectors.faq_suggestions("出生联办怎么申请")[0].pk == entry.pk


def test_semantic_rerank_orders_by_the_blend_and_falls_back(settings, monkeypatch):
    hits = [suggest.Hit(1, 3.0, 0.6), suggest.Hit(2, 2.0, 0.5), suggest.Hit(3, 1.0, 0.4)]
    settings.GONGKAI_SEMANTIC = False
    assert semantic.rerank("q", hits, namespace="faq", key=lambda h: h.entry_id) == hits
    settings.GONGKAI_SEMANTIC = True
    import numpy as np

    vecs = {"1": np.array([1.0, 0.0], dtype=np.float32), "2": np.array([0.0, 1.0], dtype=np.float32)}
    monkeypatch.setattr(semantic, "available", lambda: True)
    monkeypatch.setattr(semantic, "vectors", lambda ns, keys: {k: vecs[k] for k in keys if k in vecs})
    monkeypatch.setattr(semantic, "embed_query", lambda text: np.array([0.0, 1.0], dtype=np.float32))
    ranked = semantic.rerank("q", hits, namespace="faq", key=lambda h: h.entry_id, weight=0.8)
    assert [h.entry_id for h in ranked][0] == 2
    # fewer than half of the candidates embedded: BM25 order kept
    monkeypatch.setattr(semantic, "vectors", lambda ns, keys: {})
    assert semantic.rerank("q", hits, namespace="faq", key=lambda h: h.entry_id) == hits

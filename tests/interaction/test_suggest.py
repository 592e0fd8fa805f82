import pytest

from gongkai.interaction import selectors, services, suggest
from gongkai.interaction.models import FaqStatus, SynonymGroup

DOCS = [
    (1, "低保怎么申请？", "低保", "向户籍所在地乡镇提出申请"),
    (2, "低保标准是多少？", "低保", "每人每月1141元"),
    (3, "住房公积金如何提取？", "公积金", "购房、租房可以提取"),
    (4, "户口迁移需要什么材料？", "户籍", "身份证、户口簿"),
    (5, "城乡居民医疗保险怎么缴费？", "医保", "每年9月至12月缴费"),
]


@pytest.fixture(scope="module")
def index():
    return suggest.BM25Index(DOCS)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("申请最低生活保障需要哪些材料", 1),
        ("最低生活保障标准", 2),
        ("公积金怎样提取", 3),
        ("户籍迁入要带哪些材料", 4),
        ("医保怎么交", 5),
    ],
)
def test_synonyms_and_abbreviations_find_the_entry(index, query, expected):
    hits = index.search(query, limit=3)
    assert hits and hits[0].entry_id == expected


def test_threshold_drops_unrelated_questions(index):
    assert index.search("小区路灯坏了谁来修", min_similarity=suggest.DEFAULT_THRESHOLD) == []
    assert index.search("", limit=3) == []


def test_synonym_map_longest_match():
    m = suggest.SynonymMap(suggest.default_synonym_groups())
    assert m.apply("住房公积金") == "公积金"
    assert m.apply("最低生活保障金") == "低保"


@pytest.fixture
def faq(tree):
    def _make(question, answer="答复内容", unit=None, topics=()):
        return services.faq_create(
            actor=tree.editor_a, unit=unit or tree.dept_a, question=question, answer=answer, topics=topics
        )

    return _make


def test_index_refreshes_when_faq_changes(faq, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for q in ("户口迁移需要什么材料？", "住房公积金如何提取？", "营业执照在哪里办理？", "城乡居民医保怎么缴费？"):
            faq(q)
        entry = faq("低保怎么申请？", topics=["低保"])
    assert [e.pk for e in selectors.faq_suggestions("最低生活保障怎么申请")][:1] == [entry.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.faq_update(actor=tree.editor_a, entry=entry, question="特困供养怎么申请？", answer="新答复")
    assert entry.pk not in [e.pk for e in selectors.faq_suggestions("最低生活保障标准")]
    assert [e.pk for e in selectors.faq_suggestions("特困人员救助供养如何申请")][:1] == [entry.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.faq_set_status(actor=tree.editor_a, entry=entry, status=FaqStatus.WITHDRAWN)
    assert entry.pk not in [e.pk for e in selectors.faq_suggestions("特困人员救助供养如何申请")]


def test_database_synonyms_are_used(faq, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = faq("一件事联办怎么申请？")
    SynonymGroup.objects.create(words="一件事联办，出生联办")
    suggest.invalidate()
    assert [e.pk for e in selectors.faq_suggestions("出生联办怎么申请")] == [entry.pk]

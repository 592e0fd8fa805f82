"""The PostgreSQL backend's two ways of answering (issue 18 item 2): up to ``EXACT_LIMIT``
index matches every match is verified and ranked — the embedded backend's total, facets and
order; beyond, a bounded pool is ranked and the result says it is approximate. Behaviour
shared by both backends runs on both; the PostgreSQL specifics need DATABASE_URL=postgres://…"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from gongkai.search import SearchQuery, analysis, ranking

pytestmark = pytest.mark.django_db(transaction=False)

needs_pg = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL backend")


def ids(results):
    return [h.id for h in results.hits]


def search(backend, text="", **kw):
    return backend.search(SearchQuery(text=text, **kw))


def test_words_apart_are_not_counted_as_a_match(backend, doc):
    # 县民政局 is looked up as its bigrams 县民 … 政局; the second document has both, apart.
    a = doc("县民政局关于城乡低保复核的通知", "低保复核。", unit_name="县民政局")
    b = doc("县民生实事项目推进情况", "县财政局拨付资金。", unit_name="县财政局")
    backend.index([a, b])
    for text in ("县民政局", '"县民政局"'):
        res = search(backend, text)
        assert ids(res) == [a.id]
        assert res.total == 1
        assert res.facets["unit"] == [("县民政局", 1)]
        assert not res.approximate


def test_a_word_in_few_titles_weighs_more_in_a_title_than_in_bodies(backend, doc):
    # 医保 is in every body but one title: per-field statistics put that title first even
    # though the other documents mention it more often.
    docs = [doc(f"第{i}期工作简报", "医保医保医保医保，医保基金运行平稳。") for i in range(8)]
    titled = doc("医保缴费公告", "缴费。")
    backend.index([*docs, titled])
    res = search(backend, "医保")
    assert res.total == 9
    assert ids(res)[0] == titled.id


def test_per_field_document_frequencies_change_the_title_weight():
    parsed = analysis.parse_query("医保", expand=False)
    flat = ranking.Stats(100, 10.0, 100.0, lambda t: 50)
    split = ranking.Stats(100, 10.0, 100.0, lambda t: 50, df_title=lambda t: 1)
    title_only = ("医保缴费公告", "缴费", 6, 2, dt.date(2024, 1, 1), 1)
    body_only = ("工作简报", "医保医保医保医保", 4, 7, dt.date(2024, 1, 2), 2)

    def order(stats):
        return [c[5] for _s, c in ranking.rank(parsed, [title_only, body_only], stats, fields=lambda c: c)]

    assert order(split) == [1, 2]
    scores = dict((c[5], s) for s, c in ranking.rank(parsed, [title_only], split, fields=lambda c: c))
    flat_scores = dict((c[5], s) for s, c in ranking.rank(parsed, [title_only], flat, fields=lambda c: c))
    assert scores[1] > flat_scores[1] * 2


@needs_pg
def test_many_matches_give_an_approximate_answer_that_pages_through_every_match_once(backend, doc, monkeypatch):
    from gongkai.search.backends import postgres

    if backend.name != "postgres":
        pytest.skip("PostgreSQL backend")
    monkeypatch.setattr(postgres, "EXACT_LIMIT", 6)
    monkeypatch.setattr(postgres, "DATE_CHUNK", 4)
    short = doc("通知", "正文", published_on=dt.date(2020, 1, 1))
    docs = [
        doc(f"关于第{i}批项目验收工作安排的通知", "通知正文", published_on=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        for i in range(25)
    ]
    # Bag-of-bigram look-alikes of 项目验收 (项目 … 验收 apart) must never be shown.
    apart = [doc(f"项目管理第{i}号", "通知：验收合格。") for i in range(3)]
    backend.index([short, *docs, *apart])
    first = search(backend, "通知", per_page=7)
    assert first.approximate
    assert ids(first)[0] == short.id  # the shortest title with the word ranks first
    seen = []
    for page in range(1, 6):
        seen += ids(search(backend, "通知", per_page=7, page=page))
    assert len(seen) == len(set(seen)) == 29
    phrase = []
    for page in range(1, 5):
        res = search(backend, '"项目验收"', per_page=7, page=page)
        phrase += ids(res)
    assert set(phrase) == {d.id for d in docs}


@needs_pg
def test_rows_indexed_before_the_normalised_columns_are_still_ranked(backend, doc):
    if backend.name != "postgres":
        pytest.skip("PostgreSQL backend")
    a = doc("醫療保障待遇調整通知", "醫療保障局決定……")
    b = doc("工作简报", "提到医疗保障一次。")
    backend.index([a, b])
    before = ids(search(backend, "医疗保障"))
    with connection.cursor() as cur:
        cur.execute("UPDATE search_searchentry SET rank_title = '', rank_body = ''")
    assert ids(search(backend, "医疗保障")) == before == [a.id, b.id]


def test_the_api_says_whether_an_answer_is_approximate(backend, doc, client, monkeypatch):
    from gongkai.search.backends import postgres

    monkeypatch.setattr(postgres, "EXACT_LIMIT", 2)
    backend.index([doc(f"第{i}号公告", "公告正文") for i in range(4)])
    data = client.get("/api/v1/search/", {"q": "公告"}).json()
    assert data["total"] >= 4 and len(data["results"]) == 4
    # Only the PostgreSQL backend answers approximately, and only beyond EXACT_LIMIT matches.
    assert data["approximate"] is (backend.name == "postgres")

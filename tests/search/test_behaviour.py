"""Search behaviour, identical on every backend (tantivy always; PostgreSQL when the test DB is PG)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.search import SearchQuery

pytestmark = pytest.mark.django_db(transaction=False)


def ids(results):
    return [h.id for h in results.hits]


def search(backend, text="", **kw):
    return backend.search(SearchQuery(text=text, **kw))


def test_two_character_word_inside_longer_words(backend, doc):
    a = doc("县民政局关于开展救助工作的通知", "全县各乡镇要加强社会救助。")
    b = doc("人民政府工作报告", "本年度县人民政府完成了各项任务。")
    c = doc("医保缴费提醒", "城乡居民医保缴费截止日期临近。")
    backend.index([a, b, c])
    assert set(ids(search(backend, "民政"))) == {a.id, b.id}
    assert ids(search(backend, "医保")) == [c.id]


def test_everyday_name_finds_the_official_name_and_a_phrase_stays_literal(backend, doc):
    a = doc("2024年城乡低保标准调整", "今年低保标准每人每月提高50元。")
    b = doc("最低生活保障审核确认办法", "本办法所称最低生活保障是指……")
    c = doc("春季植树活动", "绿化。")
    backend.index([a, b, c])
    assert set(ids(search(backend, "低保"))) == {a.id, b.id}
    assert set(ids(search(backend, "最低生活保障"))) == {a.id, b.id}
    # Quoted: exactly as written, no expansion.
    assert ids(search(backend, '"低保"')) == [a.id]
    assert ids(search(backend, '"最低生活保障"')) == [b.id]


def test_single_character(backend, doc):
    a = doc("关于减免契税的公告", "购房者可申请减免。")
    b = doc("防汛工作部署", "各部门做好准备。")
    backend.index([a, b])
    assert ids(search(backend, "税")) == [a.id]


def test_traditional_query_finds_simplified_text_and_back(backend, doc):
    a = doc("关于调整医疗保障待遇的通知", "县医疗保障局决定……")
    b = doc("學校開學時間公告", "各學校於九月一日開學。")
    backend.index([a, b])
    assert ids(search(backend, "醫療保障")) == [a.id]
    assert ids(search(backend, "学校开学")) == [b.id]
    hit = search(backend, "醫療").hits[0]
    assert "<mark>医疗</mark>" in hit.title_html


def test_phrase_query_needs_contiguous_text(backend, doc):
    near = doc("农村危房改造补助办法", "对农村危房改造给予补助。")
    apart = doc("改造农村道路和危房排查", "农村地区开展危房排查和道路改造。")
    backend.index([near, apart])
    assert set(ids(search(backend, "农村 危房 改造"))) == {near.id, apart.id}
    assert ids(search(backend, '"农村危房改造"')) == [near.id]
    # Chinese quotation marks work too.
    assert ids(search(backend, "“农村危房改造”")) == [near.id]


def test_title_match_ranks_above_body_only_match(backend, doc):
    body_only = doc("县政府常务会议纪要", "会议研究了耕地保护、耕地占补平衡等事项，以及耕地保护责任。")
    in_title = doc("关于加强耕地保护的意见", "为落实最严格的保护制度……")
    backend.index([body_only, in_title])
    assert ids(search(backend, "耕地保护")) == [in_title.id, body_only.id]


def test_contiguous_occurrence_ranks_higher(backend, doc):
    scattered = doc("养老服务工作安排", "补贴发放到位，居家养老服务延伸。")
    together = doc("关于发放养老补贴的通知", "养老补贴按季度发放。")
    backend.index([scattered, together])
    assert ids(search(backend, "养老补贴"))[0] == together.id


def test_exclusion(backend, doc):
    a = doc("关于疫苗接种的通知", "儿童疫苗接种。")
    b = doc("关于疫苗储存的通知", "冷链储存。")
    backend.index([a, b])
    assert ids(search(backend, "疫苗 -储存")) == [a.id]


def test_facet_counts_and_filters(backend, doc):
    docs = [
        doc(
            "就业补贴申领指南", "就业", unit_id=7, unit_name="县人社局", doc_type="policy", year=2023, domain="就业创业"
        ),
        doc(
            "就业见习基地名单", "就业", unit_id=7, unit_name="县人社局", doc_type="notice", year=2024, domain="就业创业"
        ),
        doc("困难群众就业帮扶", "就业", unit_id=1, unit_name="县民政局", doc_type="policy", year=2024, status="失效"),
        doc("春季植树活动", "绿化", unit_id=1, unit_name="县民政局", doc_type="notice", year=2024),
    ]
    backend.index(docs)
    res = search(backend, "就业")
    assert res.total == 3
    assert dict(res.facets["unit"]) == {"县人社局": 2, "县民政局": 1}
    assert dict(res.facets["type"]) == {"policy": 2, "notice": 1}
    assert dict(res.facets["year"]) == {"2024": 2, "2023": 1}
    assert [v for v, _ in res.facets["year"]] == ["2024", "2023"]
    assert dict(res.facets["status"]) == {"有效": 2, "失效": 1}
    assert dict(res.facets["domain"]) == {"就业创业": 2, "社会救助": 1}
    assert dict(res.facets["kind"]) == {"publication": 3}

    filtered = search(backend, "就业", filters={"unit": ["县人社局"], "type": ["policy"]})
    assert ids(filtered) == [docs[0].id]
    # A unit filter also accepts the unit id; several values in one facet are alternatives.
    assert set(ids(search(backend, "就业", filters={"unit": ["1"]}))) == {docs[2].id}
    assert set(ids(search(backend, "", filters={"year": ["2023", "2024"], "status": ["有效"]}))) == {
        docs[0].id,
        docs[1].id,
        docs[3].id,
    }


def test_date_range_filter_and_date_sort(backend, doc):
    old = doc("2019年预算公开", "预算", published_on=dt.date(2019, 2, 1), year=2019)
    mid = doc("2022年预算公开", "预算", published_on=dt.date(2022, 2, 1), year=2022)
    new = doc("2024年预算公开", "预算", published_on=dt.date(2024, 2, 1), year=2024)
    backend.index([old, mid, new])
    res = search(backend, "预算", date_from=dt.date(2020, 1, 1), date_to=dt.date(2023, 12, 31))
    assert ids(res) == [mid.id]
    assert ids(search(backend, "预算", date_from=dt.date(2022, 2, 1))) != []
    assert set(ids(search(backend, "预算", date_from=dt.date(2022, 2, 1)))) == {mid.id, new.id}
    assert ids(search(backend, "预算", sort="date")) == [new.id, mid.id, old.id]
    # No text: newest first.
    assert ids(search(backend, "")) == [new.id, mid.id, old.id]


def test_highlight_escapes_html(backend, doc):
    evil = doc("<img src=x onerror=alert(1)>低保通知", '正文<script>alert("x")</script>低保&救助')
    backend.index([evil])
    hit = search(backend, "低保").hits[0]
    assert "<img" not in hit.title_html and "&lt;img" in hit.title_html
    assert "<script>" not in hit.snippet_html and "&lt;/script&gt;" in hit.snippet_html
    assert "<mark>低保</mark>" in hit.title_html
    assert "<mark>低保</mark>&amp;救助" in hit.snippet_html
    # Searching for markup itself is harmless.
    res = search(backend, "<script>")
    assert all("<script>" not in h.snippet_html for h in res.hits)


def test_snippet_shows_the_match_in_a_long_body(backend, doc):
    body = (
        "各乡镇人民政府、县直各单位："
        + "按照工作安排，现将有关事项通知如下。" * 40
        + "临时救助资金由县财政统筹安排。"
        + "请认真贯彻落实。" * 40
    )
    d = doc("关于做好临时救助工作的通知", body)
    backend.index([d])
    snippet = search(backend, "财政统筹").hits[0].snippet_html
    assert "<mark>财政统筹</mark>" in snippet
    assert snippet.startswith("…") and len(snippet) < 300


def test_document_and_index_numbers_are_searchable(backend, doc):
    d = doc("关于印发救助办法的通知", "正文", document_number="民政发〔2024〕12号")
    backend.index([d, doc("其他通知", "正文")])
    assert ids(search(backend, "民政发〔2024〕12号")) == [d.id]
    assert ids(search(backend, d.index_number)) == [d.id]


def test_reindex_replaces_and_delete_removes(backend, doc):
    d = doc("旧标题：防汛预案", "防汛")
    backend.index([d])
    d.title = "新标题：抗旱预案"
    d.body = "抗旱"
    backend.index([d])
    assert backend.count() == 1
    assert ids(search(backend, "防汛")) == []
    assert ids(search(backend, "抗旱")) == [d.id]
    backend.delete([d.id])
    assert backend.count() == 0
    assert ids(search(backend, "抗旱")) == []


def test_delete_kind_and_clear(backend, doc):
    a = doc("常见问题一", "问答", kind="faq", id="faq:1")
    b = doc("政策文件一", "问答")
    backend.index([a, b])
    backend.delete_kind("faq")
    assert ids(search(backend, "问答")) == [b.id]
    backend.clear()
    assert backend.count() == 0


def test_pagination(backend, doc):
    docs = [doc(f"第{i}号公告", "公告内容", published_on=dt.date(2024, 1, i + 1)) for i in range(25)]
    backend.index(docs)
    p1 = search(backend, "公告", per_page=10)
    p3 = search(backend, "公告", per_page=10, page=3)
    assert p1.total == 25 and len(p1.hits) == 10 and len(p3.hits) == 5
    assert not set(ids(p1)) & set(ids(p3))


def test_suggestions_by_characters_and_pinyin(backend, doc):
    a = doc("城乡居民医疗保险参保通知", "参保")
    b = doc("民政局政务公开指南", "指南")
    backend.index([a, b])
    assert backend.suggest("医疗") == [a.title]
    assert a.title in backend.suggest("yiliao")
    assert b.title in backend.suggest("minzheng")
    assert b.title in backend.suggest("mzj")
    assert backend.suggest("") == []


def test_bad_queries_do_not_fail(backend, doc):
    backend.index([doc("普通通知", "正文")])
    for text in ['"', '"""', "-", "***", "((", "'", "\\", "a:b", "x" * 1000, "　", "！？"]:
        res = search(backend, text)
        assert res.total >= 0
    assert backend.suggest('"') == [] or isinstance(backend.suggest('"'), list)


def test_paging_through_a_broad_query_returns_every_match_once(backend, doc, monkeypatch):
    from gongkai.search.backends import postgres

    # PG ranks a pool of candidates (title matches + newest), then continues by date
    monkeypatch.setattr(postgres, "POOL_TITLE", 5)
    monkeypatch.setattr(postgres, "POOL_NEWEST", 4)
    docs = [
        doc(
            f"第{i}号通知" + ("通知" if i % 3 == 0 else ""),
            "通知正文",
            published_on=dt.date(2024, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(30)
    ]
    backend.index(docs)
    seen = []
    for page in range(1, 9):
        res = search(backend, "通知", per_page=7, page=page)
        assert res.total == 30
        seen += ids(res)
    assert len(seen) == 30 and set(seen) == {d.id for d in docs}

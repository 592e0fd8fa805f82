"""Questions instead of keywords: relaxed matching, zero-result help, bad input — through the
portal, the API and ``gongkai search``, on both backends."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.search import SearchQuery, services
from gongkai.search.help import RelatedItem, register_help_provider, unregister_help_provider
from gongkai.search.models import SearchLog

pytestmark = pytest.mark.django_db


def test_a_question_finds_the_regulation_through_the_everyday_name(backend, doc):
    target = doc("不动产登记暂行条例", "不动产首次登记、转移登记……不动产权属证书……")
    other = doc("城市房地产开发经营管理条例", "房地产开发企业……商品房预售……")
    backend.index([target, other, doc("植树造林规定", "绿化。")])
    res = services.run_search(SearchQuery(text="新房子怎么办房产证"), log_terms=False)
    assert res.hits[0].id == target.id
    assert "怎么办" in res.parsed.ignored


def test_min_should_match_keeps_keyword_precision_and_lets_questions_through(backend, doc):
    a = doc("城乡低保资金发放通知", "低保资金按月发放。")
    b = doc("低保审核办法", "审核。")
    c = doc("资金管理通知", "资金。")
    backend.index([a, b, c])
    # two keywords: both required
    assert [h.id for h in backend.search(SearchQuery(text="低保 资金")).hits] == [a.id]
    # three keywords: two of three; the one with all three ranks first
    res = backend.search(SearchQuery(text="低保 资金 发放"))
    assert res.hits[0].id == a.id and c.id not in [h.id for h in res.hits]


def test_a_long_document_with_more_of_the_words_outranks_a_short_one_with_fewer(backend, doc):
    # BM25 alone favours the short notice (strong length normalisation); coordination — a bonus
    # for every term matched beyond min_should_match — puts the regulation that holds all of
    # the question's words first, on both backends.
    filler = "各级人民政府应当加强对本行政区域内有关工作的领导，所需经费列入本级预算。" * 40
    regulation = doc(
        "校车安全管理条例",
        filler
        + "学校应当配备随车照管人员，校车驾驶人应当依法取得相应准驾车型驾驶证。"
        + filler
        + "接送学生应当遵守道路交通安全法律法规。",
    )
    notice = doc("关于做好学生接送工作的通知", "学生接送车辆应当保证安全。")
    backend.index([regulation, notice, doc("植树造林规定", "绿化。"), doc("防汛工作部署", "防汛。")])
    res = services.run_search(SearchQuery(text="学生接送车 驾驶人 照管 安全"), log_terms=False)
    assert [h.id for h in res.hits] == [regulation.id, notice.id]


def test_a_question_without_enough_words_in_any_document_is_relaxed(backend, doc):
    a = doc("关于高龄津贴发放的通知", "八十周岁以上老年人高龄津贴。")
    backend.index([a, doc("防汛工作部署", "防汛。")])
    res = services.run_search(SearchQuery(text="我家老人的高龄补贴一直没到账去哪里问"), log_terms=False)
    assert res.relaxed and [h.id for h in res.hits] == [a.id]


def test_zero_results_offer_a_looser_query_corrections_and_faq(backend, doc, client):
    backend.index([doc("城乡低保标准调整", "低保标准。"), doc("医保缴费通知", "医保。")])

    def faq(query, limit):
        return [RelatedItem("低保怎么申请？", "/interaction/faq/1/", "向乡镇申请。")]

    register_help_provider("test_faq", "常见问题", faq)
    try:
        res = services.run_search(SearchQuery(text='"低保医保"'), log_terms=False)
        assert res.total == 0
        assert ("低保医保", 0) not in res.help.looser
        res = services.run_search(SearchQuery(text="底保"), log_terms=False)  # a same-sound typo
        assert res.total == 0 and "低保" in res.help.corrections
        assert res.help.related[0].items[0].title == "低保怎么申请？"
        res = services.run_search(SearchQuery(text="dibao"), log_terms=False)  # pinyin
        assert "低保" in res.help.corrections
        html = client.get(reverse("search:search"), {"q": "底保"}).content.decode()
        assert "您是不是要找" in html and "?q=%E4%BD%8E%E4%BF%9D" in html and "低保怎么申请？" in html
    finally:
        unregister_help_provider("test_faq")


@pytest.mark.parametrize(
    "text, issue",
    [("怎么 如何 吗", "only_stopwords"), ("？？！。，", "no_text"), ("😀🎉", "no_text")],
)
def test_nothing_to_search_for_is_an_empty_state_not_every_document(backend, doc, client, text, issue):
    backend.index([doc("普通通知", "正文")])
    res = services.run_search(SearchQuery(text=text))
    assert res.total == 0 and res.help.issue == issue
    resp = client.get(reverse("search:search"), {"q": text})
    assert resp.status_code == 200 and 'class="hit"' not in resp.content.decode()
    assert client.get("/api/v1/search/", {"q": text}).json()["help"]["issue"] == issue
    assert not SearchLog.objects.exists()  # never a popular term


def test_ten_thousand_characters_and_mixed_scripts(backend, doc, client):
    backend.index([doc("城乡低保标准调整", "低保标准。")])
    long = "低保" * 5000
    resp = client.get(reverse("search:search"), {"q": long})
    assert resp.status_code == 400 and "不能超过" in resp.content.decode()
    assert client.get("/api/v1/search/", {"q": long}).status_code == 400
    with pytest.raises(Exception, match="不能超过"):
        call_command("search", long, stdout=StringIO())
    mixed = "低保 ДИБАО ١٢٣ dibao😀"
    resp = client.get(reverse("search:search"), {"q": mixed})
    assert resp.status_code == 200
    out = StringIO()
    call_command("search", mixed, "--json", stdout=out)
    assert json.loads(out.getvalue())["total"] <= 1
    assert not SearchLog.objects.filter(query__startswith="低保低保").exists()


def test_only_searches_with_results_are_counted(backend, doc, client):
    backend.index([doc("城乡低保标准调整", "低保标准。")])
    client.get(reverse("search:search"), {"q": "低保"})
    client.get(reverse("search:search"), {"q": "航天发射"})
    assert list(SearchLog.objects.values_list("query", flat=True)) == ["低保"]

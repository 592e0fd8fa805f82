"""The analysis shared by every backend."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.chinese import normalise as core_normalise
from gongkai.search import analysis


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFFEF, blacklist_categories=("Cs",)), max_size=40)
)
def test_fast_normalise_equals_core_normalise(text):
    assert analysis.normalise(text) == core_normalise(text)


def test_tokens():
    a = analysis.analyse("县民政局（2024年）低保、税 ABC")
    assert a.bigrams.split() == ["县民", "民政", "政局", "2024", "年", "低保", "税", "abc"]
    assert a.unigrams.split() == ["县", "民", "政", "局", "年", "低", "保", "税"]


def test_phrase_uses_every_other_bigram():
    needle = analysis.make_needle("农村危房改造")
    assert needle.part_queries() == [("bi", [(0, "农村"), (2, "危房"), (4, "改造")])]
    needle = analysis.make_needle("县民政局")
    assert needle.part_queries() == [("bi", [(0, "县民"), (2, "政局")])]
    needle = analysis.make_needle("民政局")
    assert needle.part_queries() == [("bi", [(0, "民政"), (1, "政局")])]
    assert analysis.make_needle("税").part_queries() == [("uni", [(0, "税")])]


def test_query_parsing():
    parsed = analysis.parse_query('城乡低保 "临时救助" -通知 醫保')
    assert [n.text for n in parsed.phrases] == ["临时救助"]
    assert [t.text for t in parsed.terms] == ["城乡", "低保", "医保"]
    assert [n.text for n in parsed.excluded] == ["通知"]
    assert "城乡低保" in [n.text for n in parsed.optional]  # the chunk as typed ranks higher
    # keywords: 60 % of 3 terms rounded up
    assert parsed.min_should_match == 2 and not parsed.ignored
    # a short number cut at the edge of a chunk ranks but is not required
    parsed = analysis.parse_query("8年特种设备")
    assert "8" in [n.text for n in parsed.optional] and "8" not in [t.text for t in parsed.terms]


def test_question_words_are_dropped_and_everyday_names_expanded():
    parsed = analysis.parse_query("新房子怎么办房产证")
    assert "怎么办" in parsed.ignored
    terms = {t.text: [n.text for n in t.needles] for t in parsed.terms}
    assert "房产证" in terms and "不动产权证书" in terms["房产证"] and "不动产登记" in terms["房产证"]
    # a question needs 60 % of its words, rounded down, never fewer than one
    assert analysis.min_should_match(3, question=True) == 1
    assert analysis.min_should_match(5, question=True) == 3
    assert [analysis.min_should_match(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 2, 3, 3]


def test_a_contained_everyday_name_is_expanded_too():
    term = analysis.parse_query("低保户").terms[0]
    names = [n.text for n in term.needles]
    assert names[0] == "低保户" and "最低生活保障" in names and "低保" in names


def test_single_characters_of_a_question_rank_but_do_not_count():
    parsed = analysis.parse_query("网购的快递被弄丢了谁来赔")
    assert [t.text for t in parsed.terms] == ["网购", "快递", "弄丢"]
    assert "赔" in [n.text for n in parsed.optional]


def test_queries_with_nothing_to_search_for():
    assert analysis.parse_query("怎么 如何 吗").issue == analysis.ISSUE_ONLY_STOPWORDS
    for text in ["？？！", "，。、", "😀😀", '"', "-"]:
        parsed = analysis.parse_query(text)
        assert parsed.empty
    assert analysis.parse_query("？？！").issue == analysis.ISSUE_NO_TEXT
    assert analysis.parse_query("").issue == ""  # no text at all: browsing, not an issue
    long = analysis.parse_query("低保" * 5000)
    assert long.truncated and long.terms


def test_stop_words_are_configurable(settings):
    settings.GONGKAI_SEARCH_STOPWORDS = ["通知"]
    settings.GONGKAI_SEARCH_KEEPWORDS = ["需要"]
    parsed = analysis.parse_query("需要 通知")
    assert [t.text for t in parsed.terms] == ["需要"] and parsed.ignored == ["通知"]


def test_relaxed_copy_needs_one_term():
    parsed = analysis.parse_query("老人 高龄 津贴 领取")
    relaxed = parsed.relaxed()
    assert relaxed.min_should_match == 1 and relaxed.terms == parsed.terms
    assert analysis.parse_query("低保").relaxed() is None


def test_highlight_maps_back_to_the_original_text():
    # full-width letters normalise to ASCII; the <mark> wraps the original characters
    assert analysis.highlight("ＡＢＣ醫療<b>", ["abc", "医疗"]) == "<mark>ＡＢＣ</mark><mark>醫療</mark>&lt;b&gt;"
    assert analysis.highlight("㈱公司", ["公司"]) == "㈱<mark>公司</mark>"


def test_pinyin_keys():
    keys = analysis.pinyin_keys("县民政局低保审批").split()
    assert "minzhengju" in keys or "minzheng" in keys
    assert "dibao" in keys
    assert analysis.is_pinyin_prefix("MinZheng") and not analysis.is_pinyin_prefix("民政")

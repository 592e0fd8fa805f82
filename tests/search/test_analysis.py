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
    assert [n.text for n in parsed.required] == ["城乡", "低保", "临时救助", "医保"]
    assert [n.text for n in parsed.optional] == ["城乡低保"]
    assert [n.text for n in parsed.excluded] == ["通知"]
    # a short number cut at the edge of a chunk ranks but is not required
    parsed = analysis.parse_query("8年特种设备")
    assert "8" in [n.text for n in parsed.optional] and "8" not in [n.text for n in parsed.required]
    assert analysis.parse_query('"').empty and analysis.parse_query("  ，。 ").empty


def test_highlight_maps_back_to_the_original_text():
    # full-width letters normalise to ASCII; the <mark> wraps the original characters
    assert analysis.highlight("ＡＢＣ醫療<b>", ["abc", "医疗"]) == "<mark>ＡＢＣ</mark><mark>醫療</mark>&lt;b&gt;"
    assert analysis.highlight("㈱公司", ["公司"]) == "㈱<mark>公司</mark>"


def test_pinyin_keys():
    keys = analysis.pinyin_keys("县民政局低保审批").split()
    assert "minzhengju" in keys or "minzheng" in keys
    assert "dibao" in keys
    assert analysis.is_pinyin_prefix("MinZheng") and not analysis.is_pinyin_prefix("民政")

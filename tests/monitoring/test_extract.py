"""Reading pages: dates in the four formats, list items, navigation columns, footer, meta, personal data."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.monitoring.engine import extract, fetch, pii


def test_four_date_formats():
    assert extract.find_dates("发布于2026-11-20") == [dt.date(2026, 11, 20)]
    assert extract.find_dates("2026年11月20日 印发") == [dt.date(2026, 11, 20)]
    assert extract.find_dates("（2026/11/20）") == [dt.date(2026, 11, 20)]
    assert extract.find_dates("[11-20]") == []  # no year known
    assert extract.find_dates("[11-20]", year=2026) == [dt.date(2026, 11, 20)]
    assert extract.find_dates("2026-02-30") == []  # not a date


def test_short_dates_take_the_year_heading():
    html = """<html><body><div class="list"><h3>2026年</h3><ul><li><a href="a.html">通知一</a>[11-20]</li>
    <li><a href="b.html">通知二</a>[03-01]</li></ul><h3>2025</h3><ul><li><a href="c.html">通知三</a>[12-31]</li>
    <li><a href="d.html">没有日期的通知</a></li></ul></div></body></html>"""
    items = extract.list_items(extract.parse(html), "http://x/tzgg/")
    assert [(i.title, i.date) for i in items] == [
        ("通知一", dt.date(2026, 11, 20)),
        ("通知二", dt.date(2026, 3, 1)),
        ("通知三", dt.date(2025, 12, 31)),
        ("没有日期的通知", None),
    ]
    assert items[0].url == "http://x/tzgg/a.html"


def test_items_from_a_css_selector_and_navigation_is_not_a_list():
    html = """<html><body><nav><ul><li><a href="/dt/">工作动态 2026-11-01</a></li></ul></nav>
    <div class="news"><p class="row"><a href="1.html">新闻</a> 2026-11-19</p></div></body></html>"""
    assert extract.list_items(extract.parse(html), "http://x/") == []
    items = extract.list_items(extract.parse(html), "http://x/", "div.news p.row")
    assert [i.date for i in items] == [dt.date(2026, 11, 19)]
    assert extract.list_items(extract.parse(html), "http://x/", "p:::bad") == []  # bad selector: detection


def test_navigation_proposes_typed_columns():
    html = """<html><body><header><nav><a href="/">首页</a><a href="/dt/">工作动态</a><a href="/tzgg/">通知公告</a>
    <a href="/zcwj/">政策文件</a><a href="/zcjd/">政策解读</a><a href="/hdjl/">互动交流</a><a href="/bs/">网上办事</a>
    <a href="/about/">走进西屏</a><a href="https://other.gov.cn/">上级网站动态</a></nav></header></body></html>"""
    cols = extract.navigation_columns(extract.parse(html), "http://x/")
    assert [(c.name, c.kind) for c in cols] == [
        ("工作动态", "news"),
        ("通知公告", "notice"),
        ("政策文件", "policy"),
        ("政策解读", "interpretation"),
        ("互动交流", "interaction"),
        ("网上办事", "service"),
    ]


def test_footer_identifiers():
    text = "主办单位：松阳县人民政府办公室 网站标识码：3311240001 浙ICP备05012345号-1 浙公网安备 33112402000123号"
    assert extract.footer_identifiers(text) == {
        "organiser": "主办单位：松阳县人民政府办公室",
        "site_code": "3311240001",
        "icp": "浙ICP备05012345号-1",
        "police": "公网安备 33112402000123号",
    }
    assert extract.footer_identifiers("版权所有") == {}


def test_meta_tags_case_insensitive():
    tree = extract.parse(
        '<head><meta name="sitename" content="西屏"><meta name="PubDate" content="2026-11-20 09:00"></head>'
    )
    assert extract.meta_tags(tree) == {"SiteName": "西屏", "PubDate": "2026-11-20 09:00"}


# --- personal data ------------------------------------------------------------------------------


def make_id(body17: str) -> str:
    return body17 + pii.id_check_digit(body17)


def test_id_number_needs_its_check_digit_and_a_real_birth_date():
    good = make_id("33112419800101001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert pii.valid_id(good) and not pii.valid_id(bad)
    assert not pii.valid_id(make_id("33112419800231001"))  # 31 Feb
    hits = pii.find(f"申请人身份证号{good}，另{bad}")
    assert [(h.kind, h.masked) for h in hits] == [("id_number", good[:4] + "**********" + good[-4:])]


def test_mobile_found_landline_not():
    hits = pii.find("联系人手机13905781234，办公电话0578-8061234，传真05788061235")
    assert [(h.kind, h.masked) for h in hits] == [("mobile", "139****1234")]


def test_mobile_in_contact_block_has_lower_confidence():
    hits = pii.find("咨询电话13905781234", office_text="联系电话：139 0578 1234")
    assert hits[0].confidence < 0.9


def test_bank_card_luhn():
    card = "6222021234567890128"  # 19 digits, Luhn-valid
    assert pii.luhn(card)
    hits = pii.find(f"补贴发放至卡号{card}")
    assert [(h.kind, h.masked) for h in hits] == [("bank_card", "6222 **** **** 0128")]
    assert pii.find("卡号6222021234567890127") == []  # check digit wrong


def test_masking_never_leaves_a_full_number():
    text = f"身份证{make_id('11010519491231002')}电话13800138000卡号6222021234567890128"
    masked = pii.mask_all(text)
    assert "13800138000" not in masked and "6222021234567890128" not in masked and "1949123100" not in masked


@settings(deadline=None)
@given(
    st.integers(min_value=110000, max_value=659999),
    st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.integers(0, 999),
)
def test_every_valid_id_is_found_and_masked(area, born, seq):
    number = make_id(f"{area}{born:%Y%m%d}{seq:03d}")
    hits = pii.find(f"身份证号：{number}。")
    assert len(hits) == 1 and hits[0].kind == "id_number" and number not in hits[0].context


# --- charset ------------------------------------------------------------------------------------


def test_decode_declared_gbk_and_wrong_declarations():
    text = "松阳县人民政府通知公告"
    gbk = f'<html><head><meta charset="gb2312"></head><body>{text}</body></html>'.encode("gbk")
    assert text in fetch.decode(gbk)[0]
    assert fetch.decode(gbk)[1] == "gb18030"
    lying = f"<html><body>{text}</body></html>".encode("gbk")  # declared utf-8 by the server
    decoded, used = fetch.decode(lying, "text/html; charset=utf-8")
    assert text in decoded and used == "gb18030"
    assert text in fetch.decode(text.encode("utf-8"), "text/html; charset=bogus-charset")[0]
    assert fetch.looks_binary(b"%PDF-1.7\n") and fetch.looks_binary(b"ab\x00cd")

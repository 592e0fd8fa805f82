"""Each inspection rule at and just below its threshold (国办秘函〔2019〕19号), on synthetic reports."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core import deadlines
from gongkai.monitoring.engine import rules
from gongkai.monitoring.engine.crawl import ColumnResult, ColumnSpec, PageResult, SiteReport

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 20)  # a Friday


def ctx(**kw) -> rules.Context:
    return rules.Context(as_of=kw.pop("as_of", AS_OF), due=deadlines.due_date, **kw)


def report(home_dates=(AS_OF,), columns=()) -> SiteReport:
    r = SiteReport(home_url="http://127.0.0.1/xp/")
    r.home = PageResult(r.home_url, "home", 200, meta={"SiteName": "x", "SiteDomain": "x", "SiteIDCode": "x"})
    r.home_dates = list(home_dates)
    r.footer = {"organiser": "x", "site_code": "3311240001", "icp": "x", "police": "x"}
    r.columns = list(columns)
    return r


def col(name, kind, latest, items=5, empty=False) -> ColumnResult:
    page = PageResult(
        f"http://127.0.0.1/xp/{name}/",
        "column",
        200,
        meta={"SiteName": "x", "SiteDomain": "x", "SiteIDCode": "x", "ColumnName": name},
        column=name,
    )
    return ColumnResult(
        ColumnSpec(name, kind, page.url),
        page,
        items=items,
        dated=items if latest else 0,
        latest=latest,
        says_empty=empty,
    )


def rules_of(findings, rule):
    return [f for f in findings if f.rule == rule]


# --- availability: ≥ 5 % of the week's probes ----------------------------------------------------


def test_unreachable_at_five_percent_is_a_veto():
    found = rules.availability(report(), ctx(availability=rules.Availability(probes=140, failed=7)))
    assert [f.severity for f in found] == ["veto"] and "5.0%" in found[0].evidence_text


def test_unreachable_just_below_five_percent_is_not():
    assert rules.availability(report(), ctx(availability=rules.Availability(probes=141, failed=7))) == []


# --- home page: 2 weeks ---------------------------------------------------------------------------


def test_home_updated_exactly_two_weeks_ago_is_fresh():
    assert rules.home_freshness(report(home_dates=[AS_OF - dt.timedelta(days=14)]), ctx()) == []


def test_home_updated_fifteen_days_ago_is_a_veto():
    found = rules.home_freshness(report(home_dates=[AS_OF - dt.timedelta(days=15)]), ctx())
    assert [(f.rule, f.severity) for f in found] == [("home_not_updated", "veto")]


def test_home_without_dates_counts_as_not_updated_and_future_dates_are_ignored():
    assert rules.home_freshness(report(home_dates=[]), ctx())[0].rule == "home_not_updated"
    assert rules.home_freshness(report(home_dates=[AS_OF + dt.timedelta(days=30)]), ctx())[0].rule == "home_not_updated"


# --- columns -------------------------------------------------------------------------------------


def test_news_column_two_weeks_vs_fifteen_days():
    fresh = col("工作动态", "news", AS_OF - dt.timedelta(days=14))
    stale = col("部门动态", "news", AS_OF - dt.timedelta(days=15))
    found = rules.columns([fresh, stale], ctx())
    assert [(f.column, f.severity) for f in found] == [("部门动态", "deduction")]


def test_notice_column_six_months_vs_one_day_more():
    fresh = col("通知公告", "notice", dt.date(2026, 5, 20))  # six months before 20 Nov
    stale = col("政策文件", "policy", dt.date(2026, 5, 19))
    found = rules.columns([fresh, stale], ctx())
    assert [f.column for f in found] == ["政策文件"]


def test_future_dates_on_a_list_are_not_updates():
    c = col("规范性文件", "policy", dt.date(2028, 7, 15))
    c.dates = [dt.date(2025, 1, 3), dt.date(2028, 7, 15)]  # an effective date in the future
    found = rules.columns([c], ctx())
    assert found and "2025-01-03" in found[0].evidence_text


def test_undated_column_counts_as_not_updated():
    found = rules.columns([col("通知公告", "notice", None)], ctx())
    assert found[0].rule == "column_not_updated" and "无日期" in found[0].evidence_text


def _stale_news(n):
    return [col(f"动态{i}", "news", AS_OF - dt.timedelta(days=30)) for i in range(n)]


def test_five_stale_news_columns_are_a_veto_four_are_not():
    assert {f.severity for f in rules.columns(_stale_news(5), ctx())} == {"veto"}
    assert {f.severity for f in rules.columns(_stale_news(4), ctx())} == {"deduction"}


def test_ten_stale_columns_in_all_are_a_veto_nine_are_not():
    others = [col(f"其他{i}", "other", AS_OF - dt.timedelta(days=400)) for i in range(10)]
    assert {f.severity for f in rules.columns(others, ctx())} == {"veto"}
    assert {f.severity for f in rules.columns(others[:9], ctx())} == {"deduction"}


def test_five_blank_columns_are_a_veto_four_are_not():
    blank = [col(f"空栏目{i}", "notice", None, items=0) for i in range(4)] + [col("暂无", "policy", AS_OF, empty=True)]
    assert {(f.rule, f.severity) for f in rules.columns(blank, ctx())} == {("column_blank", "veto")}
    assert {(f.rule, f.severity) for f in rules.columns(blank[:4], ctx())} == {("column_blank", "deduction")}


def test_interaction_and_service_columns_have_no_freshness_rule():
    assert rules.columns([col("办事服务", "service", AS_OF - dt.timedelta(days=999))], ctx()) == []


def test_unreachable_column_is_a_dead_link():
    c = col("通知公告", "notice", None)
    c.page.status = 404
    found = rules.columns([c], ctx())
    assert [(f.rule, f.severity) for f in found] == [("dead_link", "deduction")]


# --- interaction: 3 months veto, 5 working days flagged ---------------------------------------------


def test_unanswered_exactly_three_months_is_not_a_veto_one_day_more_is():
    three = dt.date(2026, 8, 20)
    assert rules.interaction_counts([(three, None, True)], ctx()) == (0, 1)
    assert rules.interaction_counts([(three - dt.timedelta(days=1), None, True)], ctx()) == (1, 0)


def test_reply_within_five_working_days_is_fine_sixth_is_flagged():
    asked = dt.date(2026, 9, 25)  # 中秋 (a holiday); 1–7 Oct National Day are not working days either
    fifth = deadlines.due_date(asked, "monitoring.interaction_reply")
    assert fifth == dt.date(2026, 10, 9)  # 28, 29, 30 Sep, 8, 9 Oct
    assert rules.interaction_counts([(asked, fifth, False)], ctx()) == (0, 0)
    assert rules.interaction_counts([(asked, fifth + dt.timedelta(days=1), False)], ctx()) == (0, 1)


def test_portal_interaction_rows_become_findings():
    found = rules.interaction(report(), ctx(interaction_rows=[(dt.date(2026, 7, 1), None, True)]))
    assert [(f.rule, f.severity) for f in found] == [("interaction_unanswered", "veto")]


# --- footer, meta, transport --------------------------------------------------------------------------


def test_each_missing_footer_identifier_is_one_finding():
    r = report()
    r.footer = {"organiser": "松阳县人民政府办公室"}
    found = rules.footer(r, ctx())
    assert sorted(f.evidence_text for f in found) == sorted(
        ["网站底部未标注网站标识码", "网站底部未标注ICP备案编号", "网站底部未标注公安机关备案号"]
    )


def test_footer_code_differing_from_registry():
    found = rules.footer(report(), ctx(registered_code="3311240002"))
    assert found and "不符" in found[0].evidence_text


def test_meta_missing_lists_the_tags():
    r = report()
    r.home.meta = {"SiteName": "x"}
    found = rules.meta(r)
    assert found[0].rule == "meta_missing" and "SiteDomain" in found[0].evidence_text and found[0].severity == "notice"


def test_https_and_ipv6():
    r = report()
    r.https, r.ipv6 = False, False
    assert [f.rule for f in rules.transport(r)] == ["https_missing", "ipv6_missing"]
    r.https, r.ipv6 = True, True
    assert rules.transport(r) == []


def test_fingerprint_is_stable_and_page_bound_for_content():
    a = rules.FindingData("personal_data", "deduction", "http://x/1", key="mobile:139****1234:1234")
    b = rules.FindingData("personal_data", "deduction", "http://x/2", key="mobile:139****1234:1234")
    assert a.fingerprint("1") == a.fingerprint("1") != b.fingerprint("1")
    c = rules.FindingData("column_not_updated", "veto", "http://x/1", key="column:u")
    d = rules.FindingData("column_not_updated", "deduction", "http://x/1", key="column:u")
    assert c.fingerprint("1") == d.fingerprint("1")  # severity changes do not make a new finding

"""Timeframe parsing (公开时限) and due-date computation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.catalogue import timeframes
from gongkai.catalogue.timeframes import TimeframeRule, due_date, parse, parse_result
from gongkai.core import workdays

D = dt.date
HOLIDAYS = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "core" / "data" / "holidays"


def _calendar() -> workdays.Calendar:
    """The official calendar from the seeded holiday files (no database needed)."""
    overrides, years = {}, set()
    for path in HOLIDAYS.glob("*.json"):
        data = json.loads(path.read_text("utf-8"))
        years.add(int(data["year"]))
        for day in data["days"]:
            overrides[dt.date.fromisoformat(day["date"])] = not day["isOffDay"]
    return workdays.Calendar(overrides=overrides, years=frozenset(years))


CAL = _calendar()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("信息形成或变更之日起20个工作日内", {"kind": "working_days", "days": 20, "event": "信息形成或变更"}),
        ("自信息形成（变更）之日起20个工作日内", {"kind": "working_days", "days": 20}),
        ("自作出行政处罚决定之日起7个工作日内", {"kind": "working_days", "days": 7, "event": "作出行政处罚决定"}),
        ("自该信息形成之日起二十个工作日内予以公开", {"kind": "working_days", "days": 20}),
        ("公示期满后5个工作日内", {"kind": "working_days", "days": 5, "event": "公示期满"}),
        ("２０个工作日内", {"kind": "working_days", "days": 20}),
        ("收到申请之日起15日内", {"kind": "days", "days": 15}),
        ("自公示之日起十天内", {"kind": "days", "days": 10}),
        ("实时", {"kind": "realtime"}),
        ("即时更新", {"kind": "realtime"}),
        ("每月", {"kind": "periodic", "period": "month"}),
        ("每月10日前", {"kind": "periodic", "period": "month", "day": 10, "next_period": True}),
        ("每月底前", {"kind": "periodic", "period": "month", "day": 31}),
        ("每季度", {"kind": "periodic", "period": "quarter"}),
        ("每季度结束后15日内", {"kind": "periodic", "period": "quarter", "days": 15, "working": False}),
        ("每季度结束后10个工作日内", {"kind": "periodic", "period": "quarter", "days": 10, "working": True}),
        ("每季度首月15日前", {"kind": "periodic", "period": "quarter", "month": 1, "day": 15, "next_period": True}),
        ("每半年", {"kind": "periodic", "period": "half_year"}),
        ("每年", {"kind": "periodic", "period": "year"}),
        ("每年1月31日前", {"kind": "periodic", "period": "year", "month": 1, "day": 31}),
        (
            "每年3月底前公开上一年度决算",
            {"kind": "periodic", "period": "year", "month": 3, "day": 31, "next_period": True},
        ),
        ("次年1月31日前", {"kind": "periodic", "period": "year", "month": 1, "day": 31, "next_period": True}),
        ("2025年3月31日前", {"kind": "fixed_date", "date": "2025-03-31"}),
        ("长期公开", {"kind": "standing"}),
    ],
)
def test_parse_table(text, expected):
    result = parse_result(text)
    assert result.ok, result.message
    data = result.rule.to_json()
    for key, value in expected.items():
        assert data.get(key) == value, (key, data)
    assert data["text"] == text


@pytest.mark.parametrize("text", ["看情况", "随工作进度", "", "2025年2月30日前", "第三阶段"])
def test_unparsed_keeps_text_and_reports(text):
    result = parse_result(text)
    assert not result.ok
    assert result.message
    assert result.rule.kind == "unparsed"
    assert result.rule.text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # named no period: 政府信息公开条例 art. 26 applies, text kept, rule flagged
        ("及时公开", {"kind": "working_days", "legal_default": True}),
        ("定期公开", {"kind": "working_days", "legal_default": True}),
        ("按规定时限", {"kind": "working_days", "legal_default": True}),
        ("项目批准后", {"kind": "working_days", "legal_default": True, "event": "项目批准"}),
        ("项目批准后及时公开", {"kind": "working_days", "legal_default": True, "event": "项目批准"}),
        ("作出决定之日起公开", {"kind": "working_days", "legal_default": True, "event": "作出决定"}),
        ("常态化公开", {"kind": "standing", "legal_default": True}),
        ("长期公开", {"kind": "standing", "legal_default": True}),
        ("动态更新", {"kind": "standing", "legal_default": True}),
        # named a period
        ("实时公开", {"kind": "realtime"}),
        ("第一时间公开", {"kind": "realtime"}),
        ("按季度", {"kind": "periodic", "period": "quarter"}),
        ("按季度更新", {"kind": "periodic", "period": "quarter"}),
        ("20工作日", {"kind": "working_days", "days": 20}),
        ("与政策文件同步发布，时间跨度不超过5个工作日", {"kind": "working_days", "days": 5}),
        ("关联规范性文件公开3个工作日内", {"kind": "working_days", "days": 3}),
        ("制定或获取信息之日起10个工作日内，公示7个工作日", {"kind": "working_days", "days": 10}),
    ],
)
def test_real_phrasings(text, expected):
    """Phrasings found in published county catalogues (tests/catalogue/real_catalogues.py) and the issue."""
    result = parse_result(text)
    assert result.ok, result.message
    data = result.rule.to_json()
    for key, value in expected.items():
        assert data.get(key) == value, (key, data)
    assert data["text"] == text
    assert result.flagged == bool(expected.get("legal_default"))


@pytest.mark.django_db
def test_legal_default_follows_the_configured_period():
    from gongkai.core.models import LegalPeriod

    rule = parse("项目批准后")
    assert "项目批准之日起20个工作日内" in rule.describe()
    assert due_date(rule, D(2025, 3, 3), calendar=CAL) == CAL.add_working_days(D(2025, 3, 3), 20)
    LegalPeriod.objects.filter(code="disclosure.proactive").update(length=15)
    timeframes.deadlines.invalidate()
    try:
        assert due_date(rule, D(2025, 3, 3), calendar=CAL) == CAL.add_working_days(D(2025, 3, 3), 15)
        assert "15个工作日" in rule.describe()
    finally:
        LegalPeriod.objects.filter(code="disclosure.proactive").update(length=20)
        timeframes.deadlines.invalidate()


@pytest.mark.django_db
def test_rule_json_round_trip():
    for text in [
        "每季度结束后15日内",
        "信息形成或变更之日起20个工作日内",
        "每年3月底前公开上一年度决算",
        "实时",
        "及时公开",
    ]:
        rule = parse(text)
        restored = TimeframeRule.from_json(json.loads(json.dumps(rule.to_json(), ensure_ascii=False)))
        assert restored == rule
        assert rule.describe()


class TestDueDate:
    def test_working_days_skip_national_day_holiday(self):
        # 2025-09-30 is a Tuesday; 10-01..10-08 is the National Day holiday, 10-11 (Sat) a make-up workday.
        rule = parse("信息形成或变更之日起5个工作日内")
        cal = CAL
        assert due_date(rule, D(2025, 9, 30), calendar=CAL) == cal.add_working_days(D(2025, 9, 30), 5)
        assert due_date(rule, D(2025, 9, 30), calendar=CAL) == D(2025, 10, 14)  # 9,10,11(调休),13,14

    @pytest.mark.django_db
    def test_default_is_twenty_working_days(self):
        expected = CAL.add_working_days(D(2025, 3, 3), 20)
        assert due_date(None, D(2025, 3, 3), calendar=CAL) == expected
        assert due_date(parse("及时公开"), D(2025, 3, 3), calendar=CAL) == expected
        assert due_date(parse("长期公开"), D(2025, 3, 3), calendar=CAL) == expected
        assert due_date(parse("看情况"), D(2025, 3, 3), calendar=CAL) == expected

    def test_calendar_days(self):
        assert due_date(parse("收到申请之日起15日内"), D(2025, 1, 20), calendar=CAL) == D(2025, 2, 4)

    def test_realtime_and_fixed(self):
        assert due_date(parse("实时"), D(2025, 5, 6), calendar=CAL) == D(2025, 5, 6)
        assert due_date(parse("2025年3月31日前"), D(2025, 1, 2), calendar=CAL) == D(2025, 3, 31)

    def test_quarter_after_end(self):
        rule = parse("每季度结束后15日内")
        assert due_date(rule, D(2025, 5, 10), calendar=CAL) == D(2025, 7, 15)
        assert due_date(rule, D(2025, 5, 10), period=(D(2025, 1, 1), D(2025, 3, 31))) == D(2025, 4, 15)

    def test_quarter_after_end_working_days(self):
        rule = parse("每季度结束后10个工作日内")
        assert due_date(rule, D(2025, 8, 1), calendar=CAL) == CAL.add_working_days(D(2025, 9, 30), 10)

    def test_annual_previous_year(self):
        rule = parse("每年3月底前公开上一年度决算")
        assert due_date(rule, D(2025, 6, 1), calendar=CAL) == D(2026, 3, 31)
        assert due_date(rule, D(2025, 6, 1), period=D(2024, 7, 1), calendar=CAL) == D(2025, 3, 31)

    def test_annual_plain_deadline_is_next_occurrence(self):
        rule = parse("每年1月31日前")
        assert due_date(rule, D(2025, 1, 10), calendar=CAL) == D(2025, 1, 31)
        assert due_date(rule, D(2025, 3, 10), calendar=CAL) == D(2026, 1, 31)

    def test_monthly(self):
        assert due_date(parse("每月10日前"), D(2025, 2, 14), calendar=CAL) == D(2025, 3, 10)
        assert due_date(parse("每月底前"), D(2025, 2, 14), calendar=CAL) == D(2025, 2, 28)
        assert due_date(parse("每月"), D(2024, 2, 3), calendar=CAL) == D(2024, 2, 29)

    def test_quarter_first_month(self):
        assert due_date(parse("每季度首月15日前"), D(2025, 11, 3), calendar=CAL) == D(2026, 1, 15)

    def test_plain_periodic_is_end_of_period(self):
        assert due_date(parse("每半年"), D(2025, 8, 1), calendar=CAL) == D(2025, 12, 31)
        assert due_date(parse("每年"), D(2025, 8, 1), calendar=CAL) == D(2025, 12, 31)

    def test_accepts_json(self):
        rule = parse("信息形成或变更之日起20个工作日内").to_json()
        assert due_date(rule, D(2025, 3, 3), calendar=CAL) == CAL.add_working_days(D(2025, 3, 3), 20)


_NUMERALS = {1: "一", 2: "二", 3: "三", 5: "五", 7: "七", 10: "十", 15: "十五", 20: "二十", 30: "三十"}


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=90),
    event=st.sampled_from(["信息形成或变更", "作出决定", "收到材料", "项目批准"]),
)
def test_working_days_phrases_parse_any_number(n, event):
    rule = parse(f"自{event}之日起{n}个工作日内")
    assert rule.kind == "working_days" and rule.days == n and rule.event == event


@settings(max_examples=30, deadline=None)
@given(n=st.sampled_from(sorted(_NUMERALS)))
def test_chinese_numerals(n):
    assert parse(f"信息形成之日起{_NUMERALS[n]}个工作日内").days == n


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=40))
def test_parse_never_raises_and_keeps_text(text):
    rule = parse(text)
    assert rule.kind in timeframes.KINDS
    assert rule.text == text.strip()
    json.dumps(rule.to_json(), ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 11, 30)),
    text=st.sampled_from(
        ["每月", "每月10日前", "每季度", "每季度结束后15日内", "每半年", "每年1月31日前", "每年3月底前公开上一年度决算"]
    ),
)
def test_periodic_due_is_not_before_event_without_period(day, text):
    due = due_date(parse(text), day, calendar=workdays.Calendar(years=frozenset(range(2019, 2028))))
    assert due is not None and due >= day
    assert (due - day).days <= 366 + 92

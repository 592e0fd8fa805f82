"""Working-day calendar: real 2024–2026 holiday periods (table tests) and properties (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import workdays
from gongkai.core.workdays import CalendarMissing

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 4), True),  # Sunday, make-up workday before Spring Festival 2024
        (D(2024, 2, 9), True),  # 除夕 2024 was an ordinary Friday (rest period 10–17 Feb)
        (D(2024, 2, 10), False),  # 春节
        (D(2024, 2, 17), False),
        (D(2024, 2, 18), True),  # Sunday make-up workday
        (D(2024, 9, 29), True),  # Sunday make-up workday before National Day
        (D(2024, 10, 1), False),
        (D(2024, 10, 7), False),
        (D(2024, 10, 8), True),
        (D(2024, 10, 12), True),  # Saturday make-up workday
        (D(2025, 1, 26), True),  # Sunday make-up workday
        (D(2025, 1, 28), False),  # 除夕 (holiday from 2025)
        (D(2025, 2, 4), False),
        (D(2025, 2, 8), True),  # Saturday make-up workday
        (D(2025, 9, 28), True),  # Sunday make-up workday
        (D(2025, 10, 8), False),
        (D(2025, 10, 11), True),  # Saturday make-up workday
        (D(2026, 1, 4), True),  # Sunday make-up workday after New Year
        (D(2026, 2, 14), True),  # Saturday make-up workday
        (D(2026, 2, 23), False),
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday make-up workday
        (D(2026, 9, 20), True),  # Sunday make-up workday
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),  # Saturday make-up workday
        (D(2026, 11, 23), True),  # an ordinary Monday
        (D(2026, 11, 22), False),  # an ordinary Sunday
    ],
)
def test_is_working_day_real_schedules(day, working):
    assert workdays.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 9, 30), 1, D(2024, 10, 8)),  # National Day 2024: 1 Oct–7 Oct off
        (D(2024, 9, 27), 1, D(2024, 9, 29)),  # Friday → make-up Sunday
        (D(2024, 2, 8), 2, D(2024, 2, 18)),  # Thu → Fri 9th, then Sun 18th (make-up)
        (D(2025, 9, 26), 20, D(2025, 10, 30)),  # across National Day 2025 with two make-up days
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday → make-up Saturday 14 Feb 2026
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # Spring Festival 2026: 15–23 Feb off
        (D(2026, 2, 14), 20, D(2026, 3, 20)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 5, 8), 1, D(2026, 5, 9)),  # Saturday make-up after Labour Day 2026
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
        (D(2026, 11, 22), 0, D(2026, 11, 22)),  # n=0 gives d even on a rest day
    ],
)
def test_add_working_days_real_schedules(start, n, expected):
    assert workdays.add_working_days(start, n) == expected


def test_working_days_between_counts_after_start_up_to_end():
    # 2024-09-30 (Mon) .. 2024-10-12 (Sat make-up): 8,9,10,11 Oct + 12 Oct = 5
    assert workdays.working_days_between(D(2024, 9, 30), D(2024, 10, 12)) == 5
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 13)) == 0
    assert workdays.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 14th (Sat) and 24th


def test_year_without_data_raises_clear_error():
    with pytest.raises(CalendarMissing) as excinfo:
        workdays.is_working_day(D(2031, 3, 3))
    assert "2031" in str(excinfo.value)
    with pytest.raises(CalendarMissing):
        workdays.add_working_days(D(2026, 12, 20), 20)  # runs into 2027, which is not loaded


def test_calendar_reloads_after_holiday_change():
    from gongkai.core import services

    assert workdays.is_working_day(D(2026, 11, 23))
    services.holiday_save(actor=None, date=D(2026, 11, 23), kind="holiday", name="测试假日")
    workdays.invalidate()  # on_commit does not fire inside the test transaction
    assert not workdays.is_working_day(D(2026, 11, 23))


# Late enough to cover 2026, early enough that +30 working days stays inside the loaded years.
dates = st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 10, 31))


@pytest.fixture(scope="module")
def cal(django_db_blocker):
    from tests.factories import ensure_holiday_seed

    with django_db_blocker.unblock():
        ensure_holiday_seed()
        return workdays._load()


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(min_value=0, max_value=25))
def test_property_add_then_count(cal, d, n):
    result = cal.add_working_days(d, n)
    assert cal.working_days_between(d, result) == n
    if n >= 1:
        assert cal.is_working_day(result)
        assert result > d
    else:
        assert result == d


@settings(max_examples=300, deadline=None)
@given(a=dates, b=dates, c=dates)
def test_property_between_is_additive_and_antisymmetric(cal, a, b, c):
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)
    assert cal.working_days_between(a, c) == cal.working_days_between(a, b) + cal.working_days_between(b, c)


@settings(max_examples=200, deadline=None)
@given(d=dates, m=st.integers(0, 15), n=st.integers(0, 15))
def test_property_add_composes(cal, d, m, n):
    assert cal.add_working_days(cal.add_working_days(d, m), n) == cal.add_working_days(d, m + n)


@settings(max_examples=200, deadline=None)
@given(d=dates)
def test_property_weekday_rule_only_changed_by_table(cal, d):
    if d not in cal.overrides:
        assert cal.is_working_day(d) == (d.weekday() < 5)

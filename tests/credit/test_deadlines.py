"""双公示 periods: 7 working days to publish (调休 counted), display periods by severity, the
credit-repair minimum and the 3-working-day withdrawal, all on the core due-date engine."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import deadlines as core_deadlines
from gongkai.core import services as core_services
from gongkai.core import workdays
from gongkai.core.models import LegalPeriod
from gongkai.credit import deadlines

pytestmark = pytest.mark.django_db


def test_publication_due_spring_festival_2026():
    # 2026-02-13 is a Friday; 2-14 (Sat) is a make-up workday, 2-15..2-23 holidays, 2-28 (Sat) make-up workday
    assert deadlines.publication_due(dt.date(2026, 2, 13)) == dt.date(2026, 3, 2)


def test_publication_due_ordinary_week():
    assert deadlines.publication_due(dt.date(2026, 6, 1)) == dt.date(2026, 6, 10)  # Mon + 7 working days
    # National Day 2026: 10-1..10-7 off, 9-20 (Sun) and 10-10 (Sat) make-up workdays
    assert deadlines.publication_due(dt.date(2026, 9, 30)) == dt.date(2026, 10, 15)


def test_year_without_calendar_raises_the_calendar_error():
    with pytest.raises(workdays.CalendarMissing) as exc:
        deadlines.publication_due(dt.date(2031, 5, 6))
    assert exc.value.year == 2031


def test_withdrawal_is_three_working_days():
    assert deadlines.withdrawal_due(dt.date(2026, 4, 30)) == dt.date(2026, 5, 8)  # 5-1..5-5 off, 5-9 make-up


@pytest.mark.parametrize(
    ("severity", "longest", "shortest"),
    [
        ("minor", dt.date(2026, 5, 13), dt.date(2026, 2, 13)),
        ("ordinary", dt.date(2027, 2, 13), dt.date(2026, 5, 13)),
        ("serious", dt.date(2029, 2, 13), dt.date(2027, 2, 13)),
    ],
)
def test_display_periods_by_severity(severity, longest, shortest):
    decided = dt.date(2026, 2, 13)
    assert deadlines.display_maximum(decided, severity) == longest
    assert deadlines.display_minimum(decided, severity) == shortest


def test_periods_are_configurable_rows(tree):
    row = LegalPeriod.objects.get(code="credit.display.ordinary")
    assert "信用修复" in row.legal_basis and row.unit == "months"
    LegalPeriod.objects.filter(code="credit.display.ordinary").update(length=6)
    core_deadlines.invalidate()
    assert deadlines.display_maximum(dt.date(2026, 2, 13), "ordinary") == dt.date(2026, 8, 13)


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 12, 1)))
def test_publication_due_is_seven_working_days_later(decided):
    due = deadlines.publication_due(decided)
    assert due > decided
    assert workdays.working_days_between(decided, due) == 7
    assert workdays.is_working_day(due)


def test_calendar_change_recomputes_stored_due_dates(tree, django_capture_on_commit_callbacks):
    from gongkai.credit import services
    from tests.credit.factories import penalty_data

    record = services.record_create(actor=tree.editor_a, kind="penalty", unit=tree.dept_a, data=penalty_data())
    assert record.publication_due == dt.date(2026, 3, 2)
    # an administrator declares 2026-02-24 a holiday: the draft's due date moves on commit
    with django_capture_on_commit_callbacks(execute=True):
        core_services.holiday_save(actor=tree.sysadmin, date=dt.date(2026, 2, 24), kind="holiday", name="测试")
    record.refresh_from_db()
    assert record.publication_due == dt.date(2026, 3, 3)

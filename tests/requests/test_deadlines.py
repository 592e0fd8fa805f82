"""The deadline engine against the official 2024–2026 schedules (src/gongkai/core/data/holidays/*.json).

Every expected date was counted by hand from the State Council notices; the
comment on each row shows the count (n = n-th working day; 班 = make-up workday).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from gongkai.core import workdays
from gongkai.requests import deadlines

D = dt.date


@pytest.fixture
def cal(db):
    return workdays.current_calendar()


REPLY_CASES = [
    # 2024 National Day: 9/29(Sun 班)=1, 9/30=2, 10/1–7 off, 10/8=3 … 10/12(Sat 班)=7, 10/14=8 … 10/30=20
    ("2024 国庆", D(2024, 9, 27), None, (), 0, D(2024, 10, 30)),
    # 2024 Spring Festival: 2/4(Sun 班)=1, 2/5–2/9=2..6, 2/10–17 off, 2/18(Sun 班)=7, 2/19–23=8..12, 2/26–3/1=13..17, 3/4–3/6=18..20
    ("2024 春节", D(2024, 2, 2), None, (), 0, D(2024, 3, 6)),
    # 2025 Spring Festival: 1/26(Sun 班)=1, 1/27=2, 1/28–2/4 off, 2/5–7=3..5, 2/8(Sat 班)=6, 2/10–14=7..11, 2/17–21=12..16, 2/24–27=17..20
    ("2025 春节", D(2025, 1, 24), None, (), 0, D(2025, 2, 27)),
    # 2025 National Day + Mid-autumn: 9/28(Sun 班)=1, 9/29–30=2,3, 10/1–8 off, 10/9–10=4,5, 10/11(Sat 班)=6, 10/13–17=7..11, 10/20–24=12..16, 10/27–30=17..20
    ("2025 国庆中秋", D(2025, 9, 26), None, (), 0, D(2025, 10, 30)),
    # 2026 Spring Festival: 2/14(Sat 班)=1, 2/15–23 off, 2/24–27=2..5, 2/28(Sat 班)=6, 3/2–6=7..11, 3/9–13=12..16, 3/16–19=17..20
    ("2026 春节", D(2026, 2, 13), None, (), 0, D(2026, 3, 19)),
    # 2026 National Day: 9/20(Sun 班)=1, 9/21–24=2..5, 9/25–27 中秋 off, 9/28–30=6..8, 10/1–7 off, 10/8–9=9,10, 10/10(Sat 班)=11, 10/12–16=12..16, 10/19–22=17..20
    ("2026 国庆", D(2026, 9, 18), None, (), 0, D(2026, 10, 22)),
    # New Year into 2026: 12/22–26=1..5, 12/29–31=6..8, 1/1–3 off, 1/4(Sun 班)=9, 1/5–9=10..14, 1/12–16=15..19, 1/19=20
    ("跨年 2025→2026", D(2025, 12, 19), None, (), 0, D(2026, 1, 19)),
    # correction restarts the clock (art. 30): from 9/27 as in row 1, the receipt date no longer matters
    ("补正后重新起算", D(2024, 9, 20), D(2024, 9, 27), (), 0, D(2024, 10, 30)),
    # extension of 20 (art. 33): 10/30=20, 10/31=21, 11/1=22, 11/4–8=23..27, 11/11–15=28..32, 11/18–22=33..37, 11/25–27=38..40
    ("延长20个工作日", D(2024, 9, 27), None, (), 20, D(2024, 11, 27)),
    # pause 9/29→10/13/2025: paused working days 9/30, 10/9, 10/10, 10/11(班), 10/13 = 5; 10/30=20, 10/31=21, 11/3–6=22..25
    ("征求意见暂停", D(2025, 9, 26), None, ((D(2025, 9, 29), D(2025, 10, 13)),), 0, D(2025, 11, 6)),
    # pause 9/30→10/7/2024 covers only holidays: 0 working days, nothing changes
    ("暂停期间全为假日", D(2024, 9, 27), None, ((D(2024, 9, 30), D(2024, 10, 7)),), 0, D(2024, 10, 30)),
    # overlapping pauses count each day once: {3/5,3/6,3/7,3/8} ∪ {3/7,3/8,3/11} = 5 days; 3/29=20, 4/1–3=21..23,
    # 4/4–6 清明 off, 4/7(Sun 班)=24, 4/8=25
    (
        "重叠的暂停只计一次",
        D(2024, 3, 1),
        None,
        ((D(2024, 3, 4), D(2024, 3, 8)), (D(2024, 3, 6), D(2024, 3, 11))),
        0,
        D(2024, 4, 8),
    ),
    # everything together: corrected 2026-02-13 (row 5 start), pause 3/2→3/4 (3/3, 3/4 = 2), extension 5:
    # 3/19=20, 3/20=21, 3/23–27=22..26, 3/30=27
    ("补正+暂停+延期", D(2026, 2, 5), D(2026, 2, 13), ((D(2026, 3, 2), D(2026, 3, 4)),), 5, D(2026, 3, 30)),
]


@pytest.mark.parametrize("label,received,corrected,pauses,ext,expected", REPLY_CASES, ids=[c[0] for c in REPLY_CASES])
def test_due_date_table(cal, label, received, corrected, pauses, ext, expected):
    assert deadlines.due_date(received, corrected_on=corrected, pauses=pauses, extension_days=ext) == expected
    # the snapshot used by bulk recomputation gives the same answer
    assert (
        deadlines.due_date(received, corrected_on=corrected, pauses=pauses, extension_days=ext, calendar=cal)
        == expected
    )


OTHER_CASES = [
    # correction notice (art. 30, 7 wd): 9/29(班)=1, 9/30=2, 10/8–11=3..6, 10/12(Sat 班)=7
    (deadlines.correction_notice_due, D(2024, 9, 27), D(2024, 10, 12)),
    # 2025 Spring Festival: 1/26(班)=1, 1/27=2, 2/5–7=3..5, 2/8(班)=6, 2/10=7
    (deadlines.correction_notice_due, D(2025, 1, 24), D(2025, 2, 10)),
    # third party (art. 32, 15 wd) from 2026-09-24: 9/25–27 off, 9/28–30=1..3, 10/8–9=4,5, 10/10(班)=6, 10/12–16=7..11, 10/19–22=12..15
    (deadlines.third_party_reply_due, D(2026, 9, 24), D(2026, 10, 22)),
    # 2026 Spring Festival from 2/12: 2/13=1, 2/14(班)=2, 2/24–27=3..6, 2/28(班)=7, 3/2–6=8..12, 3/9–11=13..15
    (deadlines.third_party_reply_due, D(2026, 2, 12), D(2026, 3, 11)),
]


@pytest.mark.parametrize("fn,start,expected", OTHER_CASES)
def test_other_periods(cal, fn, start, expected):
    assert fn(start) == expected


def test_correction_deadline_is_a_legal_period(cal, tree):
    """The "reasonable" correction period (art. 30) is the period request.correction_deadline (15 by
    default), which the administrator can change; it replaces the old GONGKAI_REQUEST_CORRECTION_DAYS."""
    from gongkai.core import services as core_services
    from gongkai.core.models import LegalPeriod

    # 15 wd after 9/27/2024: 9/29(班)=1, 9/30=2, 10/8–11=3..6, 10/12(班)=7, 10/14–18=8..12, 10/21–23=13..15
    assert deadlines.correction_deadline(D(2024, 9, 27)) == D(2024, 10, 23)
    row = LegalPeriod.objects.get(code="request.correction_deadline")
    core_services.period_update(actor=tree.sysadmin, period=row, length=7, note="本地规定7个工作日")
    assert deadlines.correction_deadline(D(2024, 9, 27)) == D(2024, 10, 12)
    assert deadlines.correction_deadline(D(2024, 9, 27), days=2) == D(2024, 9, 30)


@pytest.mark.parametrize("ext", [-1, 21, 5.0, True])
def test_extension_is_validated(cal, ext):
    with pytest.raises(ValueError):
        deadlines.due_date(D(2025, 3, 3), extension_days=ext)


def test_bad_timelines_are_rejected(cal):
    with pytest.raises(ValueError):
        deadlines.due_date(D(2025, 3, 3), pauses=[(D(2025, 3, 10), D(2025, 3, 5))])
    with pytest.raises(ValueError):
        deadlines.due_date(D(2025, 3, 3), corrected_on=D(2025, 3, 1))


def test_missing_year_raises_calendar_missing(cal):
    with pytest.raises(workdays.CalendarMissing) as exc:
        deadlines.due_date(D(2026, 12, 10))
    assert exc.value.year == 2027


# --- properties -------------------------------------------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 6, 30))  # + up to ~85 working days stays in 2026
HS = hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def pauses(draw, start):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        a = start + dt.timedelta(days=draw(st.integers(0, 40)))
        b = a + dt.timedelta(days=draw(st.integers(0, 20)))
        out.append((a, b))
    return out


@HS
@given(data=st.data(), received=dates, ext=st.integers(0, 20))
def test_due_is_a_working_day_after_start(cal, data, received, ext):
    p = data.draw(pauses(received))
    due = deadlines.due_date(received, pauses=p, extension_days=ext, calendar=cal)
    assert due > received
    assert cal.is_working_day(due)
    assert cal.working_days_between(received, due) == 20 + ext + deadlines.paused_working_days(p, calendar=cal)


@HS
@given(data=st.data(), received=dates, ext=st.integers(0, 19))
def test_monotonic_in_extension_and_pauses(cal, data, received, ext):
    p = data.draw(pauses(received))
    base = deadlines.due_date(received, pauses=p, extension_days=ext, calendar=cal)
    assert deadlines.due_date(received, pauses=p, extension_days=ext + 1, calendar=cal) > base
    extra = data.draw(pauses(received))
    assert deadlines.due_date(received, pauses=p + extra, extension_days=ext, calendar=cal) >= base


@HS
@given(received=dates, offset=st.integers(0, 30))
def test_pause_without_working_days_changes_nothing(cal, received, offset):
    day = received + dt.timedelta(days=offset)
    base = deadlines.due_date(received, calendar=cal)
    assert deadlines.due_date(received, pauses=[(day, day)], calendar=cal) == base
    # a pause from a working day to the next non-working stretch's end adds exactly the working days inside it
    nxt = cal.add_working_days(day, 1)
    assert deadlines.due_date(received, pauses=[(day, nxt)], calendar=cal) == cal.add_working_days(base, 1)


@HS
@given(received=dates, days=st.integers(0, 30))
def test_correction_restarts_from_corrected_day(cal, received, days):
    corrected = received + dt.timedelta(days=days)
    assert deadlines.due_date(received, corrected_on=corrected, calendar=cal) == deadlines.due_date(
        corrected, calendar=cal
    )
    assert deadlines.due_date(received, corrected_on=corrected, calendar=cal) >= deadlines.due_date(
        received, calendar=cal
    )

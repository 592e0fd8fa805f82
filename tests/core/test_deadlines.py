"""Legal periods as data and the one due-date function; recomputation after calendar and period changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import deadlines, services, workdays
from gongkai.core.audit import AuditAction
from gongkai.core.deadlines import Period
from gongkai.core.models import AuditEvent, LegalPeriod

D = dt.date
pytestmark = pytest.mark.django_db

REPLY = Period("t.reply", 20)


def test_every_period_the_product_uses_is_seeded_with_its_basis():
    rows = {p.code: p for p in LegalPeriod.objects.all()}
    expected = {
        "request.reply": (20, "working_days"),
        "request.extension": (20, "working_days"),
        "request.correction_notice": (7, "working_days"),
        "request.third_party": (15, "working_days"),
        "request.other_body": (15, "working_days"),
        "disclosure.proactive": (20, "working_days"),
        "consultation.minimum": (30, "calendar_days"),
        "faq.review": (12, "months"),
        "credit.publication": (7, "working_days"),
        "appeal.consult": (5, "working_days"),
    }
    for code, (length, unit) in expected.items():
        assert (rows[code].length, rows[code].unit) == (length, unit), code
        assert rows[code].legal_basis and rows[code].starts_on
    assert "第三十三条" in rows["request.reply"].legal_basis
    assert rows["request.extension"].is_maximum


def test_working_day_period_skips_holidays_and_counts_make_up_days():
    # received on Friday 2026-09-18; National Day 10/1–10/8 off, 9/20 and 10/10 are make-up workdays
    assert deadlines.due_date(D(2026, 9, 18), "request.reply") == D(2026, 10, 22)
    assert deadlines.due_date(D(2026, 2, 13), "credit.publication") == D(2026, 3, 2)  # the 双公示 example


def test_calendar_and_month_periods():
    assert deadlines.due_date(D(2026, 9, 1), "consultation.minimum") == D(2026, 10, 1)
    assert deadlines.due_date(D(2026, 1, 31), "faq.review") == D(2027, 1, 31)
    assert deadlines.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert deadlines.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_pauses_and_extension_extend_the_period():
    base = deadlines.due_date(D(2026, 10, 9), REPLY)
    assert base == D(2026, 11, 5)
    # a consultation from 10/12 to 10/16 stops the clock for 4 working days (13, 14, 15, 16)
    assert deadlines.due_date(D(2026, 10, 9), REPLY, pauses=[(D(2026, 10, 12), D(2026, 10, 16))]) == D(2026, 11, 11)
    # overlapping pauses count each day once
    two = [(D(2026, 10, 12), D(2026, 10, 16)), (D(2026, 10, 14), D(2026, 10, 16))]
    assert deadlines.due_date(D(2026, 10, 9), REPLY, pauses=two) == D(2026, 11, 11)
    assert deadlines.due_date(D(2026, 10, 9), REPLY, extra=20) == D(2026, 12, 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"extra": -1}, "非负整数"),
        ({"extra": True}, "非负整数"),
        ({"pauses": [(D(2026, 10, 16), D(2026, 10, 12))]}, "早于开始日期"),
        ({"pauses": [(None, D(2026, 10, 12))]}, "不能为空"),
    ],
)
def test_impossible_timelines_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        deadlines.due_date(D(2026, 10, 9), REPLY, **kwargs)


def test_unknown_period_and_missing_calendar_raise():
    with pytest.raises(deadlines.UnknownPeriod):
        deadlines.due_date(D(2026, 10, 9), "no.such.period")
    with pytest.raises(workdays.CalendarMissing):
        deadlines.due_date(D(2026, 12, 20), REPLY)  # runs into 2027, which has no schedule


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 8, 31)),
    length=st.integers(min_value=0, max_value=25),
    pause_len=st.integers(min_value=0, max_value=10),
    extra=st.integers(min_value=0, max_value=20),
)
def test_due_date_properties(start, length, pause_len, extra):
    cal = workdays.current_calendar()
    p = Period("t", length)
    due = deadlines.due_date(start, p, calendar=cal)
    # exactly `length` working days after the start, and the due day itself is a working day
    assert cal.working_days_between(start, due) == length
    assert length == 0 or cal.is_working_day(due)
    # an extension or a pause never makes it earlier; the extension adds exactly its working days
    extended = deadlines.due_date(start, p, extra=extra, calendar=cal)
    assert cal.working_days_between(due, extended) == extra
    pause = (start, start + dt.timedelta(days=pause_len))
    paused = deadlines.due_date(start, p, pauses=[pause], calendar=cal)
    assert paused >= due
    assert cal.working_days_between(due, paused) == deadlines.paused_days([pause], calendar=cal)


@settings(max_examples=40, deadline=None)
@given(
    received=st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 8, 31)),
    extension=st.integers(min_value=0, max_value=20),
    pause_start=st.integers(min_value=0, max_value=15),
    pause_len=st.integers(min_value=0, max_value=15),
)
def test_the_request_engine_is_the_core_function(received, extension, pause_start, pause_len):
    from gongkai.requests import deadlines as request_deadlines

    start = received + dt.timedelta(days=pause_start)
    pauses = [(start, start + dt.timedelta(days=pause_len))]
    assert request_deadlines.due_date(received, pauses=pauses, extension_days=extension) == deadlines.due_date(
        received, "request.reply", pauses=pauses, extra=extension
    )


def test_administrator_changes_a_period_audited(tree):
    period = LegalPeriod.objects.get(code="request.correction_deadline")
    services.period_update(actor=tree.sysadmin, period=period, length=10, note="本地规定补正期限10个工作日")
    assert deadlines.period("request.correction_deadline").length == 10
    event = AuditEvent.objects.filter(action=AuditAction.PERIOD_UPDATE).latest("id")
    assert event.before["length"] == 15 and event.after["length"] == 10
    with pytest.raises(PermissionDenied):
        services.period_update(actor=tree.office, period=period, length=12)
    with pytest.raises(ValidationError):
        services.period_update(actor=tree.sysadmin, period=period, length=0)


def test_calendar_change_runs_every_registered_recompute(tree, django_capture_on_commit_callbacks):
    calls = []
    deadlines.register_recompute("test.kind", lambda: calls.append("run") or 3)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.holiday_save(actor=tree.sysadmin, date=D(2026, 10, 30), kind="holiday", name="临时假日")
        assert calls == ["run"]
        with django_capture_on_commit_callbacks(execute=True):
            services.period_update(actor=tree.sysadmin, period=LegalPeriod.objects.get(pk="request.reply"), length=20)
        assert calls == ["run", "run"]
        # nothing is recomputed when the change rolls back
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.holiday_save(actor=tree.sysadmin, date=D(2026, 11, 2), kind="holiday", name="临时假日")
        assert calls == ["run", "run"] and callbacks
    finally:
        deadlines._recomputers.pop("test.kind", None)


def test_one_failing_recompute_does_not_stop_the_others():
    deadlines.register_recompute("test.broken", lambda: 1 / 0)
    deadlines.register_recompute("test.fine", lambda: 2)
    try:
        result = deadlines.recompute_all(only=["test.broken", "test.fine"])
    finally:
        deadlines._recomputers.pop("test.broken", None)
        deadlines._recomputers.pop("test.fine", None)
    assert result == {"test.broken": -1, "test.fine": 2}


def test_periods_page(tree, client_for):
    body = client_for(tree.editor_a).get(reverse("core:period-list")).content.decode()
    assert "依申请公开答复期限" in body and "第三十三条" in body and "periods/request.reply/" not in body
    assert client_for(tree.editor_a).get(reverse("core:period-edit", args=["request.reply"])).status_code == 403


def test_sysadmin_edits_a_period_in_the_workbench(tree, client_for):
    c = client_for(tree.sysadmin)
    url = reverse("core:period-edit", args=["request.correction_deadline"])
    assert c.get(url).status_code == 200
    r = c.post(url, {"length": "abc"})
    assert r.status_code == 400 and "整数" in r.content.decode()
    r = c.post(url, {"length": "12", "note": "依本县规定"})
    assert r.status_code == 302
    assert LegalPeriod.objects.get(pk="request.correction_deadline").length == 12
    assert c.get(reverse("core:period-edit", args=["no.such"])).status_code == 404

"""Due dates follow calendar changes; reminders are sent once per threshold; missing calendar years are flagged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from gongkai.core import services as core_services
from gongkai.core import workdays
from gongkai.core.models import CalendarYear
from gongkai.requests import selectors, services
from gongkai.requests.models import ReminderSent, StepKind

pytestmark = pytest.mark.usefixtures("direct_replies")  # replies without sign-off here (see test_signoff)

D = dt.date


@pytest.fixture
def now_2026():
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


def test_holiday_change_recomputes(tree, submit, now_2026, django_capture_on_commit_callbacks):
    req = submit(tree.dept_a, received_on=D(2026, 10, 9))
    # 10/10(班)=1, 10/12–16, 10/19–23, 10/26–30 = 16, 11/2–5 = 20
    assert req.due_date == D(2026, 11, 5)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.holiday_save(actor=tree.sysadmin, date=D(2026, 10, 30), kind="holiday", name="测试临时假日")
    req.refresh_from_db()  # recomputed on commit of the calendar change
    assert req.due_date == D(2026, 11, 6)
    assert selectors.check_stored_due_dates([req]) == []
    step = req.steps.get(kind=StepKind.DUE_RECOMPUTED)
    assert not step.internal and "2026年11月6日" in step.public_note
    assert services.recompute_due_dates().changed == 0  # idempotent


def test_missing_calendar_year_is_flagged_not_crashing(tree, submit, client_for, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 12, 10, 9, 0), tick=False):
        req = submit(tree.dept_a, received_on=D(2026, 12, 10))
        assert req.due_date is None and "日历缺失" in req.due_problem
        body = client_for(tree.editor_a).get("/workbench/requests/").content.decode()
        assert "日历缺失" in body and req.tracking_code in body
        assert "日历缺失" in client_for(tree.editor_a).get(f"/workbench/requests/{req.pk}/").content.decode()
        home = client_for(tree.editor_a).get("/workbench/").content.decode()
        assert "日历缺失" in home
        # the administrator loads 2027: the next recomputation fills the date in
        with django_capture_on_commit_callbacks(execute=True):
            CalendarYear.objects.create(year=2027, source="测试")
            workdays.invalidate()
        services.recompute_due_dates()
        req.refresh_from_db()
        assert req.due_date is not None and req.due_problem == ""


def test_reminders_once_per_threshold(tree, submit, settings):
    settings.GONGKAI_REQUEST_REMINDER_DAYS = (5, 2, 0)
    tree.editor_a.email = "lina@songyang.gov.cn"
    tree.editor_a.save()
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0), tick=False):
        req = submit(tree.dept_a, received_on=D(2026, 9, 18))  # due 2026-10-22
        services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_a)
    runs = [
        (D(2026, 10, 12), 0),
        (D(2026, 10, 15), 1),
        (D(2026, 10, 15), 0),
        (D(2026, 10, 20), 1),
        (D(2026, 10, 22), 1),
        (D(2026, 10, 23), 1),
        (D(2026, 10, 26), 0),
    ]
    for day, expected in runs:
        # 10/12: 8 wd left → none; 10/15: 5 left → threshold 5; again → none; 10/20: 2 → threshold 2;
        # 10/22: 0 → threshold 0; 10/23: overdue → -1 once
        with time_machine.travel(dt.datetime.combine(day, dt.time(9)), tick=False):
            mail.outbox.clear()
            sent = services.send_reminders(as_of=day)
        assert sent == expected, day
    assert sorted(ReminderSent.objects.values_list("threshold", flat=True)) == [-1, 0, 2, 5]


def test_reminder_mail_sent_after_commit(tree, submit, django_capture_on_commit_callbacks):
    tree.editor_a.email = "lina@songyang.gov.cn"
    tree.editor_a.save()
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0), tick=False):
        req = submit(tree.dept_a, received_on=D(2026, 9, 18))
        services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_a)
        with django_capture_on_commit_callbacks(execute=True):
            services.send_reminders(as_of=D(2026, 10, 23))
    assert len(mail.outbox) == 1 and "逾期" in mail.outbox[0].subject and mail.outbox[0].to == ["lina@songyang.gov.cn"]


def test_overdue_never_leaves_queue_until_replied(tree, submit, client_for):
    with time_machine.travel(dt.datetime(2026, 10, 26, 9, 0), tick=False):
        req = submit(tree.dept_a, received_on=D(2026, 9, 18))  # due 10/22, overdue now
        for view in ("open", "due_soon", "overdue"):
            assert req in selectors.queue(tree.editor_a, view=view), view
        services.request_reply(actor=tree.editor_a, req=req, outcome="public")
        assert req not in selectors.queue(tree.editor_a, view="overdue")


def test_management_commands(tree, submit, capsys):
    call_command("recompute_due_dates")
    call_command("send_request_reminders")
    out = capsys.readouterr().out
    assert "检查" in out and "发送提醒" in out


def test_beat_schedule_registered(settings):
    tasks = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"gongkai.core.tasks.recompute_due_dates", "gongkai.requests.tasks.send_reminders"} <= tasks


def test_calendar_change_moves_due_dates_on_commit(
    tree, submit, client_for, now_2026, django_capture_on_commit_callbacks
):
    req = submit(tree.dept_a, received_on=D(2026, 10, 9))
    assert req.due_date == D(2026, 11, 5)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.holiday_save(actor=tree.sysadmin, date=D(2026, 10, 30), kind="holiday", name="测试临时假日")
    req.refresh_from_db()
    assert req.due_date == D(2026, 11, 6)  # recomputed on commit (eager Celery in the embedded default)
    assert D(2026, 11, 6).strftime("%Y-%m-%d") in client_for(tree.editor_a).get("/workbench/requests/").content.decode()


def test_period_change_in_the_workbench_moves_open_due_dates(
    tree, submit, client_for, now_2026, django_capture_on_commit_callbacks
):
    """The administrator shortens the reply period (法定期限 page): every open request's due date moves on
    commit, the applicant sees a step, the change is audited; finished requests keep theirs."""
    from django.urls import reverse

    from gongkai.core.models import AuditEvent

    open_req = submit(tree.dept_a, received_on=D(2026, 10, 9))
    done = submit(tree.dept_a, received_on=D(2026, 10, 9))
    done = services.request_reply(actor=tree.editor_a, req=done, outcome="public", replied_on=D(2026, 10, 12))
    assert open_req.due_date == D(2026, 11, 5)
    url = reverse("core:period-edit", args=["request.reply"])
    with django_capture_on_commit_callbacks(execute=True):
        resp = client_for(tree.sysadmin).post(url, {"length": 15, "note": "测试：本地规定缩短"})
    assert resp.status_code == 302
    open_req.refresh_from_db()
    done.refresh_from_db()
    # 15 wd from 10/9: 10/10(班)=1, 10/12–16=2..6, 10/19–23=7..11, 10/26–29=12..15
    assert open_req.due_date == D(2026, 10, 29)
    assert done.due_date == D(2026, 11, 5)
    step = open_req.steps.get(kind=StepKind.DUE_RECOMPUTED)
    assert not step.internal and "2026年10月29日" in step.public_note
    event = AuditEvent.objects.get(action="requests.request.due_recomputed", object_id=str(open_req.pk))
    assert event.before["due_date"] == "2026-11-05" and event.after["due_date"] == "2026-10-29"
    assert "phone" not in event.after
    # the correction notice period is recomputed for requests that have not had one yet
    with django_capture_on_commit_callbacks(execute=True):
        client_for(tree.sysadmin).post(reverse("core:period-edit", args=["request.correction_notice"]), {"length": 5})
    open_req.refresh_from_db()
    assert open_req.correction_notice_due == D(2026, 10, 15)  # 10/10(班)=1, 10/12–15=2..5

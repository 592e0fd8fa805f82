"""Appeal time limits, the reopening period, the FAQ review cycle and the consultation minimum come
from the legal periods in core, and stored dates follow calendar and period changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from gongkai.core import deadlines
from gongkai.core import services as core_services
from gongkai.core.audit import AuditAction as CoreAuditAction
from gongkai.core.models import AuditEvent, LegalPeriod
from gongkai.core.transitions import TransitionRefused
from gongkai.interaction import services
from gongkai.interaction.audit_actions import AuditAction
from gongkai.interaction.models import Appeal, AppealStatus, FaqEntry, Policy, StepKind

D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def oct_2026():
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=CST), tick=False):
        yield


def _period(code: str) -> LegalPeriod:
    return LegalPeriod.objects.get(code=code)


def test_each_type_is_linked_to_its_period(types):
    assert {t.code: t.period_id for t in types.values()} == {
        "consult": "appeal.consult",
        "suggest": "appeal.suggest",
        "complain": "appeal.complain",
        "help": "appeal.help",
    }
    assert [types[c].time_limit_days for c in ("consult", "suggest", "complain", "help")] == [5, 15, 10, 5]
    assert "收到留言之日" in _period("appeal.consult").starts_on
    # the old per-app settings are gone: the periods table is the one place
    assert not {"reopen_days", "faq_review_months", "consultation_min_days"} & {f.name for f in Policy._meta.fields}


def test_due_date_uses_the_period_and_the_calendar(tree, submit, oct_2026):
    appeal = submit(code="complain")  # 10 working days from Monday 2026-10-12
    assert appeal.clock_started_on == D(2026, 10, 12)
    assert appeal.due_date == deadlines.due_date(D(2026, 10, 12), "appeal.complain") == D(2026, 10, 26)


def test_holiday_added_moves_open_due_dates(tree, submit, oct_2026, django_capture_on_commit_callbacks):
    open_appeal = submit(title="路灯不亮", content="紫荆路路灯不亮已一周")
    answered = submit(title="已答复的咨询", content="内容")
    answered = services.appeal_accept(actor=tree.office, appeal=answered)
    answered = services.appeal_assign(actor=tree.office, appeal=answered, unit=tree.dept_a)
    answered = services.appeal_answer(actor=tree.editor_a, appeal=answered, answer="已答复")
    assert open_appeal.due_date == answered.due_date == D(2026, 10, 19)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.holiday_save(actor=tree.sysadmin, date=D(2026, 10, 15), kind="holiday", name="测试临时假日")
    moved = Appeal.objects.get(pk=open_appeal.pk)
    assert moved.due_date == D(2026, 10, 20)  # recomputed on commit, no polling
    step = moved.steps.get(kind=StepKind.DUE_CHANGED)
    assert not step.is_internal and "2026-10-20" in step.summary
    event = AuditEvent.objects.get(action=AuditAction.APPEAL_DUE_RECOMPUTED, object_id=str(moved.pk))
    assert event.before["due_date"] == "2026-10-19" and event.after["due_date"] == "2026-10-20"
    assert Appeal.objects.get(pk=answered.pk).due_date == D(2026, 10, 19)  # answered: history stays
    assert services.appeal_recompute_due_dates() == 0  # idempotent


def test_editing_a_type_limit_edits_its_period_and_recomputes(
    tree, types, submit, oct_2026, django_capture_on_commit_callbacks
):
    appeal = submit()
    assert appeal.due_date == D(2026, 10, 19)
    with pytest.raises(PermissionDenied):
        services.appeal_type_update(actor=tree.office, appeal_type=types["consult"], time_limit_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_type_update(actor=tree.sysadmin, appeal_type=types["consult"], time_limit_days=3)
    assert _period("appeal.consult").length == 3
    assert AuditEvent.objects.filter(action=CoreAuditAction.PERIOD_UPDATE, object_id="appeal.consult").exists()
    event = AuditEvent.objects.get(action=AuditAction.APPEAL_TYPE_UPDATE)
    assert event.before["time_limit_days"] == 5 and event.after["time_limit_days"] == 3
    assert Appeal.objects.get(pk=appeal.pk).due_date == D(2026, 10, 15)
    # the periods table edits the same row: the type follows
    with django_capture_on_commit_callbacks(execute=True):
        core_services.period_update(actor=tree.sysadmin, period=_period("appeal.consult"), length=4)
    assert Appeal.objects.get(pk=appeal.pk).due_date == D(2026, 10, 16)


def test_a_new_type_gets_its_own_period(tree, oct_2026):
    t = services.appeal_type_create(actor=tree.sysadmin, code="report", name="举报", time_limit_days=20)
    period = _period("appeal.report")
    assert t.period == period and period.length == 20 and period.unit == "working_days"
    assert period.app == "interaction" and period.legal_basis
    appeal, _ = services.appeal_submit(
        appeal_type=t, target_unit=tree.county, title="举报违章搭建", content="内容", phone="13905781234"
    )
    assert appeal.due_date == deadlines.due_date(D(2026, 10, 12), "appeal.report")
    with pytest.raises(Exception, match="已被使用"):
        services.appeal_type_create(actor=tree.sysadmin, code="report", name="重复", time_limit_days=5)


def test_missing_calendar_year_leaves_the_date_open_until_loaded(tree, submit, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 12, 28, 9, 0, tzinfo=CST), tick=False):
        appeal = submit(code="suggest")  # 15 working days run into 2027, not in the calendar yet
        assert appeal.due_date is None
        with django_capture_on_commit_callbacks(execute=True):
            core_services.holiday_save(actor=tree.sysadmin, date=D(2027, 1, 1), kind="holiday", name="元旦")
        appeal = Appeal.objects.get(pk=appeal.pk)
        assert appeal.due_date is not None and appeal.due_date.year == 2027


def test_reopen_period_comes_from_the_periods_table(tree, assigned):
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=CST), tick=False):
        appeal = services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="答复")
        appeal = services.appeal_close(actor=tree.editor_a, appeal=appeal)
    assert appeal.reopen_deadline() == D(2026, 10, 27)  # 15 calendar days after closure
    core_services.period_update(actor=tree.sysadmin, period=_period("appeal.reopen"), length=5)
    assert appeal.reopen_deadline() == D(2026, 10, 17)
    with time_machine.travel(dt.datetime(2026, 10, 18, 9, 0, tzinfo=CST), tick=False):
        with pytest.raises(TransitionRefused, match="期限已过"):
            services.appeal_reopen(appeal=appeal, reason="不满意")
    with time_machine.travel(dt.datetime(2026, 10, 16, 9, 0, tzinfo=CST), tick=False):
        appeal = services.appeal_reopen(appeal=appeal, reason="不满意")
        # a new time limit starts on the day of the request, and recomputation keeps that start
        assert appeal.status == AppealStatus.IN_PROGRESS and appeal.clock_started_on == D(2026, 10, 16)
        assert appeal.due_date == D(2026, 10, 23)
        services.appeal_recompute_due_dates()
        assert Appeal.objects.get(pk=appeal.pk).due_date == D(2026, 10, 23)


def test_faq_review_date_counts_months_not_days(tree, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 1, 31, 9, 0, tzinfo=CST), tick=False):
        entry = services.faq_create(
            actor=tree.editor_a, unit=tree.dept_a, question="低保怎么申请？", answer="向乡镇申请。"
        )
        manual = services.faq_create(
            actor=tree.editor_a,
            unit=tree.dept_a,
            question="医保怎么办？",
            answer="到医保局。",
            review_date=D(2026, 6, 1),
        )
    assert entry.reviewed_on == D(2026, 1, 31) and entry.review_date == D(2027, 1, 31)  # 12 months, not 365 days
    assert not entry.review_date_manual and manual.review_date_manual
    with django_capture_on_commit_callbacks(execute=True):
        core_services.period_update(actor=tree.sysadmin, period=_period("faq.review"), length=1)
    assert FaqEntry.objects.get(pk=entry.pk).review_date == D(2026, 2, 28)  # clamped to the month's end
    assert FaqEntry.objects.get(pk=manual.pk).review_date == D(2026, 6, 1)  # an editor's date stays
    event = AuditEvent.objects.get(action=AuditAction.FAQ_REVIEW_DATE_RECOMPUTED, object_id=str(entry.pk))
    assert event.before["review_date"] == "2027-01-31" and event.after["review_date"] == "2026-02-28"
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, 0, tzinfo=CST), tick=False):
        reviewed = services.faq_mark_reviewed(actor=tree.editor_a, entry=entry)
    assert reviewed.reviewed_on == D(2026, 3, 15) and reviewed.review_date == D(2026, 4, 15)


def test_consultation_minimum_comes_from_the_period(tree):
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=CST), tick=False):
        c = services.consultation_create(
            actor=tree.editor_a,
            unit=tree.dept_a,
            title="松阳县临时救助实施细则（征求意见稿）",
            draft="<p>第一条</p>",
            explanation="<p>起草说明</p>",
            opens_on=D(2026, 10, 12),
            closes_on=D(2026, 11, 6),  # 25 days after the day of opening
        )
        assert c.is_short and c.period_days == 25
        with pytest.raises(TransitionRefused, match="征集期不足30日") as refused:
            services.consultation_open(actor=tree.leader_a, consultation=c)
        assert refused.value.code == "condition"
        core_services.period_update(actor=tree.sysadmin, period=_period("consultation.minimum"), length=20)
        c = services.consultation_open(actor=tree.leader_a, consultation=c)
        assert c.status == "open"


def test_thirty_days_after_the_opening_day_is_enough(tree):
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=CST), tick=False):
        c = services.consultation_create(
            actor=tree.editor_a,
            unit=tree.dept_a,
            title="征求意见稿",
            draft="<p>正文</p>",
            explanation="<p>说明</p>",
            opens_on=D(2026, 10, 12),
            closes_on=D(2026, 11, 11),  # the opening day is not counted: 30 days
        )
        assert not c.is_short
        assert services.consultation_open(actor=tree.leader_a, consultation=c).status == "open"

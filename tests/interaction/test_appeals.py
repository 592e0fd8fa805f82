import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed

from gongkai.core.models import AuditEvent
from gongkai.interaction import selectors, services
from gongkai.interaction.models import Appeal, AppealStatus, StepKind


def kinds(appeal):
    return list(appeal.steps.order_by("created_at", "pk").values_list("kind", flat=True))


def test_full_lifecycle_with_public_steps_and_audit(tree, submit):
    appeal = submit()
    assert appeal.status == AppealStatus.RECEIVED and appeal.tracking_code.startswith("LY-")
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    appeal = services.appeal_start(actor=tree.editor_a, appeal=appeal)
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=appeal, answer="请到乡镇社会事务办申请。")
    appeal = services.appeal_close(actor=tree.editor_a, appeal=appeal)
    assert appeal.status == AppealStatus.CLOSED and appeal.closed_at
    assert kinds(appeal) == [
        StepKind.SUBMITTED,
        StepKind.ACCEPTED,
        StepKind.ASSIGNED,
        StepKind.HANDLING,
        StepKind.ANSWERED,
        StepKind.CLOSED,
    ]
    actions = set(
        AuditEvent.objects.filter(object_id=str(appeal.pk), object_type="interaction.appeal").values_list(
            "action", flat=True
        )
    )
    assert {
        "interaction.appeal.submit",
        "interaction.appeal.accept",
        "interaction.appeal.assign",
        "interaction.appeal.start",
        "interaction.appeal.answer",
        "interaction.appeal.close",
    } <= actions


@pytest.mark.parametrize("step", ["start", "answer", "close"])
def test_forbidden_transitions_from_received(tree, submit, step):
    appeal = submit()
    from django.core.exceptions import PermissionDenied

    with pytest.raises((ValidationError, PermissionDenied)):
        if step == "start":
            services.appeal_start(actor=tree.editor_a, appeal=appeal)
        elif step == "answer":
            services.appeal_answer(actor=tree.editor_a, appeal=appeal, answer="x")
        else:
            services.appeal_close(actor=tree.office, appeal=appeal)
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.RECEIVED


def test_assign_needs_acceptance_and_close_needs_answer(tree, submit):
    appeal = submit()
    with pytest.raises(ValidationError):
        services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    with pytest.raises(ValidationError):
        services.appeal_accept(actor=tree.office, appeal=appeal)
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    with pytest.raises(ValidationError):
        services.appeal_close(actor=tree.office, appeal=appeal)


def test_status_field_is_protected(submit):
    appeal = submit()
    with pytest.raises(AttributeError):
        appeal.status = AppealStatus.CLOSED
    with pytest.raises(TransitionNotAllowed):
        appeal.close()


def test_reject_needs_reason(tree, submit):
    appeal = submit()
    with pytest.raises(ValidationError):
        services.appeal_reject(actor=tree.office, appeal=appeal, reason="  ")
    appeal = services.appeal_reject(actor=tree.office, appeal=appeal, reason="属于信访事项，请向信访部门反映")
    assert appeal.status == AppealStatus.REJECTED and appeal.reject_reason


def test_reassign_and_joint_handling(tree, assigned):
    appeal = services.appeal_assign(
        actor=tree.office, appeal=assigned, unit=tree.dept_b, co_units=[tree.dept_a, tree.town_a]
    )
    assert appeal.unit == tree.dept_b and set(appeal.co_units.all()) == {tree.dept_a, tree.town_a}
    step = appeal.steps.get(kind=StepKind.REASSIGNED)
    assert "改派" in step.summary and "协办" in step.summary
    # the co-handling unit contributes an opinion, but only the lead unit answers
    services.appeal_note(actor=tree.editor_a, appeal=appeal, text="我局意见：符合临时救助条件")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appeal_answer(actor=tree.editor_a, appeal=appeal, answer="x")
    appeal = services.appeal_answer(actor=tree.editor_b, appeal=appeal, answer="经会商，已办理。")
    assert appeal.status == AppealStatus.ANSWERED


def test_only_office_dispatches(tree, submit):
    from django.core.exceptions import PermissionDenied

    appeal = submit()
    with pytest.raises(PermissionDenied):
        services.appeal_accept(actor=tree.editor_a, appeal=appeal)


def test_due_date_counts_working_days_across_national_day(tree, types):
    with time_machine.travel(dt.datetime(2025, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        appeal, _ = services.appeal_submit(
            appeal_type=types["consult"],
            target_unit=tree.county,
            title="国庆前的咨询",
            content="内容",
            phone="13905781234",
        )
    # 10-01..10-08 holiday, 10-11 (Saturday) make-up workday: 10-09, 10-10, 10-11, 10-13, 10-14
    assert appeal.due_date == dt.date(2025, 10, 14)


def test_time_limits_are_configurable(tree, types, submit):
    # an administrator changes the limit of 咨询 (its legal period appeal.consult)
    services.appeal_type_update(actor=tree.sysadmin, appeal_type=types["consult"], time_limit_days=3)
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        appeal = submit()
    assert appeal.due_date == dt.date(2025, 6, 5)


def test_rating_closes_and_reopen_once_within_period(tree, assigned):
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="答复")
    with pytest.raises(ValidationError):
        services.appeal_rate(appeal=appeal, speed=6, outcome=5, attitude=5)
    appeal = services.appeal_rate(appeal=appeal, speed=5, outcome=3, attitude=4, comment="基本满意")
    assert appeal.status == AppealStatus.CLOSED and appeal.rating_average == 4.0
    with pytest.raises(ValidationError):
        services.appeal_rate(appeal=appeal, speed=5, outcome=5, attitude=5)
    appeal = services.appeal_reopen(appeal=appeal, reason="问题没有解决")
    assert appeal.status == AppealStatus.IN_PROGRESS and appeal.reopen_count == 1 and appeal.rated_at is None
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=appeal, answer="补充答复")
    appeal = services.appeal_close(actor=tree.office, appeal=appeal)
    with pytest.raises(ValidationError, match="只能申请重新办理一次"):
        services.appeal_reopen(appeal=appeal, reason="还是不满意")


def test_reopen_after_period_is_refused(tree, assigned):
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="答复")
    appeal = services.appeal_close(actor=tree.editor_a, appeal=appeal)
    with time_machine.travel(dt.datetime.now() + dt.timedelta(days=16)):
        with pytest.raises(ValidationError, match="期限已过"):
            services.appeal_reopen(appeal=appeal, reason="不满意")


def test_supplement_only_while_open(tree, assigned):
    services.appeal_supplement(appeal=assigned, text="补充：我母亲户籍在古市镇")
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="答复")
    appeal = services.appeal_close(actor=tree.editor_a, appeal=appeal)
    with pytest.raises(ValidationError):
        services.appeal_supplement(appeal=appeal, text="再补充")


def test_duplicate_submission_returns_existing(tree, types, submit):
    first = submit()
    again, created = services.appeal_submit(
        appeal_type=types["consult"],
        target_unit=tree.county,
        title=first.title,
        content=first.content + " ",
        phone="13905781234",
    )
    assert not created and again.pk == first.pk
    other, created = services.appeal_submit(
        appeal_type=types["consult"],
        target_unit=tree.county,
        title=first.title,
        content=first.content,
        phone="13905789999",
    )
    assert created and other.pk != first.pk


@pytest.mark.parametrize(
    "title,content,phone,email",
    [("", "内容", "139", ""), ("标题", "", "1", ""), ("标题", "内容", "", ""), ("标" * 101, "内容", "1", "")],
)
def test_bad_input_is_refused(tree, types, title, content, phone, email):
    with pytest.raises(ValidationError):
        services.appeal_submit(
            appeal_type=types["consult"],
            target_unit=tree.county,
            title=title,
            content=content,
            phone=phone,
            email=email,
        )
    assert not Appeal.objects.exists()


def test_queues_and_reminders(tree, submit):
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        appeal = submit()
        appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
        appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    tree.editor_a.email = "lina@example.gov.cn"
    tree.editor_a.save()
    due = appeal.due_date  # 2025-06-09
    with time_machine.travel(dt.datetime(2025, 6, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        assert list(selectors.appeal_queue(tree.editor_a, "due_soon")) == []
    with time_machine.travel(
        dt.datetime.combine(due, dt.time(9)).replace(tzinfo=dt.timezone(dt.timedelta(hours=8))) - dt.timedelta(days=1)
    ):
        assert list(selectors.appeal_queue(tree.editor_a, "due_soon")) == [appeal]
    with time_machine.travel(
        dt.datetime.combine(due + dt.timedelta(days=1), dt.time(9)).replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    ):
        assert list(selectors.appeal_queue(tree.office, "overdue")) == [appeal]
        assert list(selectors.appeal_queue(tree.editor_b, "overdue")) == []
        sent = services.appeal_remind_due()
        assert sent == 1
        assert services.appeal_remind_due() == 0  # once a day
    assert Appeal.objects.get(pk=appeal.pk).steps.filter(kind=StepKind.REMINDED, is_internal=True).exists()


def test_reminder_mail_is_sent_on_commit(tree, assigned, django_capture_on_commit_callbacks):
    tree.editor_a.email = "lina@example.gov.cn"
    tree.editor_a.save()
    Appeal.objects.filter(pk=assigned.pk).update(due_date=dt.date.today() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_remind_due()
    assert len(mail.outbox) == 1 and "已超期" in mail.outbox[0].subject


def test_statistics_per_unit(tree, submit):
    year = dt.date.today().year
    a1 = services.appeal_assign(
        actor=tree.office, appeal=services.appeal_accept(actor=tree.office, appeal=submit(title="一")), unit=tree.dept_a
    )
    a2 = services.appeal_assign(
        actor=tree.office, appeal=services.appeal_accept(actor=tree.office, appeal=submit(title="二")), unit=tree.dept_a
    )
    services.appeal_assign(
        actor=tree.office, appeal=services.appeal_accept(actor=tree.office, appeal=submit(title="三")), unit=tree.dept_b
    )
    a1 = services.appeal_answer(actor=tree.editor_a, appeal=a1, answer="答复")
    services.appeal_rate(appeal=a1, speed=5, outcome=4, attitude=3)
    a2 = services.appeal_answer(actor=tree.editor_a, appeal=a2, answer="答复")
    Appeal.objects.filter(pk=a2.pk).update(due_date=dt.date.today() - dt.timedelta(days=1))  # answered late
    rows = {r["unit"]: r for r in selectors.interaction_stats([tree.dept_a, tree.dept_b], year)}
    a = rows[tree.dept_a]
    assert (a["volume"], a["answered"], a["on_time"], a["rated"]) == (2, 2, 1, 1)
    assert a["on_time_rate"] == 0.5 and a["satisfaction"] == 4.0
    assert rows[tree.dept_b]["volume"] == 1 and rows[tree.dept_b]["on_time_rate"] is None
    assert selectors.interaction_stats([tree.dept_a], year - 1)[0]["volume"] == 0


def test_publication_requires_consent_and_clean_text(tree, assigned):
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=assigned, answer="吴秀英您好，请拨打13905781234联系。")
    with pytest.raises(ValidationError, match="未同意公开"):
        services.appeal_publish(
            actor=tree.office, appeal=appeal, public_title="t", public_content="c", public_answer="a"
        )
    Appeal.objects.filter(pk=appeal.pk).update(publish_consent=True)
    appeal = Appeal.objects.get(pk=appeal.pk)
    with pytest.raises(ValidationError, match="个人信息"):
        services.appeal_publish(
            actor=tree.office,
            appeal=appeal,
            public_title=appeal.title,
            public_content=appeal.content,
            public_answer=appeal.answer,
        )
    proposal = services.appeal_publication_proposal(appeal)
    assert "13905781234" not in proposal["answer"].masked
    appeal = services.appeal_publish(
        actor=tree.office,
        appeal=appeal,
        public_title=proposal["title"].masked,
        public_content=proposal["content"].masked,
        public_answer=proposal["answer"].masked,
    )
    assert appeal.public_status == "published"


def test_lead_unit_sends_back_for_reassignment(tree, assigned):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appeal_send_back(actor=tree.editor_b, appeal=assigned, reason="不是我们的")
    with pytest.raises(ValidationError):
        services.appeal_send_back(actor=tree.editor_a, appeal=assigned, reason="")
    appeal = services.appeal_send_back(actor=tree.editor_a, appeal=assigned, reason="属于人社局职责")
    assert appeal.status == AppealStatus.ACCEPTED and appeal.unit is None
    assert appeal.steps.filter(kind=StepKind.RETURNED).exists()
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_b)
    assert appeal.status == AppealStatus.ASSIGNED and appeal.unit == tree.dept_b


def test_periodic_jobs_are_scheduled_and_runnable(tree, assigned):
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command

    tasks = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "interaction.appeal_reminders",
        "interaction.consultation_close_expired",
        "interaction.faq_stale_check",
    } <= tasks
    with time_machine.travel(assigned.due_date + dt.timedelta(days=2)):
        out = StringIO()
        call_command("interaction_jobs", stdout=out)
    assert "催办 1 件" in out.getvalue()


def test_assign_with_joint_handling_over_http(tree, submit, client_for):
    appeal = services.appeal_accept(actor=tree.office, appeal=submit())
    client = client_for(tree.office)
    r = client.post(
        f"/workbench/interaction/appeals/{appeal.pk}/act/assign/",
        {
            "assign-unit": tree.dept_a.pk,
            "assign-co_units": [tree.dept_b.pk, tree.town_a.pk],
            "assign-note": "请民政局牵头",
        },
    )
    assert r.status_code == 302
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.unit == tree.dept_a and set(appeal.co_units.all()) == {tree.dept_b, tree.town_a}
    r = client.post(f"/workbench/interaction/appeals/{appeal.pk}/act/reassign/", {"reassign-unit": tree.province.pk})
    assert r.status_code == 400  # not a unit below the office
    assert Appeal.objects.get(pk=appeal.pk).unit == tree.dept_a

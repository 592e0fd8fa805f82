"""Periodic and triggered work on appeals: due-date recomputation and reminders (催办)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.core import audit, workdays

from ..audit_actions import AuditAction
from ..models import OPEN_STATUSES, Appeal, StepKind
from ._common import mail_after_commit
from .appeals import APPEAL_SNAPSHOT, add_step, compute_due_date, owner

log = logging.getLogger(__name__)


def appeal_recompute_due_dates() -> int:
    """Recompute the due date of every open appeal from its start day, type period and the calendar.

    Registered with :func:`gongkai.core.deadlines.register_recompute` (``interaction.appeal``):
    runs on commit of every holiday-calendar or period change (so the next page load shows the
    new dates), and daily with the reminders (filling dates that waited for a missing calendar
    year). Each change is its own transaction with a step the requester sees and an audit event.
    Returns how many due dates changed.
    """
    calendar = workdays.current_calendar()
    changed = 0
    for pk in list(Appeal.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True)):
        with transaction.atomic():
            appeal = (
                Appeal.objects.select_for_update(of=("self",)).select_related("type", "unit", "target_unit").get(pk=pk)
            )
            if not appeal.is_open:
                continue
            start = appeal.clock_started_on or timezone.localdate(appeal.received_at)
            due = compute_due_date(start, appeal.type, calendar=calendar)
            if due == appeal.due_date and start == appeal.clock_started_on:
                continue
            before = audit.snapshot(appeal, APPEAL_SNAPSHOT)
            old = appeal.due_date
            appeal.clock_started_on, appeal.due_date = start, due
            appeal.save(update_fields=["clock_started_on", "due_date", "updated_at"])
            if due is not None and old != due:
                add_step(
                    appeal,
                    StepKind.DUE_CHANGED,
                    gettext_noop("因工作日历或办理时限调整，办理期限重新计算为%(date)s"),
                    {"date": due.isoformat()},
                    unit=owner(appeal),
                )
            audit.record(
                actor=None,
                action=AuditAction.APPEAL_DUE_RECOMPUTED,
                obj=appeal,
                unit=owner(appeal),
                before=before,
                after=audit.snapshot(appeal, APPEAL_SNAPSHOT),
            )
            changed += old != due
    return changed


def appeal_remind_due(*, today: dt.date | None = None) -> int:
    """Periodic: remind the lead units of appeals due soon or overdue (once a day each)."""
    from .. import selectors

    today = today or timezone.localdate()
    sent = 0
    for appeal in selectors.due_soon_or_overdue(today=today).exclude(reminded_on=today):
        with transaction.atomic():
            locked = (
                Appeal.objects.select_for_update(of=("self",)).select_related("unit", "target_unit").get(pk=appeal.pk)
            )
            if locked.reminded_on == today or not locked.is_open or locked.due_date is None:
                continue
            overdue = locked.due_date < today
            locked.reminded_on = today
            locked.save(update_fields=["reminded_on", "updated_at"])
            template = (
                gettext_noop("系统催办：已超期（期限%(date)s）")
                if overdue
                else gettext_noop("系统催办：即将到期（期限%(date)s）")
            )
            add_step(
                locked,
                StepKind.REMINDED,
                template,
                {"date": locked.due_date.isoformat()},
                unit=owner(locked),
                internal=True,
            )
            audit.record(
                actor=None,
                action=AuditAction.APPEAL_REMIND,
                obj=locked,
                unit=owner(locked),
                after={"due_date": locked.due_date, "overdue": overdue},
            )
            label = _("已超期") if overdue else _("即将到期")
            recipients = list(owner(locked).staff.exclude(email="").values_list("email", flat=True))
            mail_after_commit(
                _("【留言%(label)s】%(code)s %(title)s")
                % {"label": label, "code": locked.tracking_code, "title": locked.title},
                _("办理期限：%(date)s，请及时办理。") % {"date": locked.due_date.isoformat()},
                recipients,
            )
            sent += 1
    return sent

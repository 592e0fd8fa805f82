"""Periodic jobs: recompute stored due dates (registered with the core deadline engine) and
send due-date reminders; and the per-unit request policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit, deadlines, workdays
from gongkai.core.models import Organisation, User

from .. import access
from .. import deadlines as deadlines_for_requests
from ..audit_actions import AuditAction
from ..models import OPEN_STATUSES, InformationRequest, ReminderSent, RequestPolicy, Status, StepKind
from .common import AUDIT_FIELDS, cn_date, in_record_language, log, refresh_due, step, today


@dataclass
class RecomputeReport:
    checked: int = 0
    changed: int = 0
    missing: int = 0


def _recompute_one(pk: int, *, calendar, as_of) -> tuple[bool, bool]:
    """(changed, missing) for one open request, in its own transaction."""
    with transaction.atomic():
        req = InformationRequest.objects.select_for_update().select_related("unit").get(pk=pk)
        before = audit.snapshot(req, [*AUDIT_FIELDS, "correction_notice_due"])
        old = req.due_date
        changed = refresh_due(req, calendar=calendar, as_of=as_of)
        if req.correction_requested_on is None:
            try:
                notice_due = deadlines_for_requests.correction_notice_due(req.received_on, calendar=calendar)
            except workdays.CalendarMissing:
                notice_due = None
            changed |= notice_due != req.correction_notice_due
            req.correction_notice_due = notice_due
        if not changed:
            return False, bool(req.due_problem)
        req.save(update_fields=["due_date", "due_problem", "due_computed_at", "correction_notice_due", "updated_at"])
        if req.due_date and old != req.due_date and req.status not in (Status.CONSULTING, Status.CORRECTION):
            with in_record_language():
                step(
                    req,
                    StepKind.DUE_RECOMPUTED,
                    public_note=_("因工作日历（节假日安排）或法定期限调整，答复期限重新计算为%(date)s。")
                    % {"date": cn_date(req.due_date)},
                )
        audit.record(
            actor=None,
            action=AuditAction.DUE_RECOMPUTED,
            obj=req,
            unit=req.unit,
            before=before,
            after=audit.snapshot(req, [*AUDIT_FIELDS, "correction_notice_due"]),
        )
        return True, bool(req.due_problem)


def recompute_due_dates(*, as_of: dt.date | None = None) -> RecomputeReport:
    """Recompute every open request's due date (and correction-notice date) from its timeline.

    Registered with :func:`gongkai.core.deadlines.register_recompute` in ``apps.py``: runs on
    commit of every calendar or legal-period change, hourly (an open consultation pauses the
    clock up to today) and on demand (``gongkai recompute_due_dates``). Each change is its own
    transaction, recorded as a step the applicant sees and as an audit event.
    """
    report = RecomputeReport()
    deadlines.invalidate()  # read the periods as committed now
    calendar = workdays.current_calendar()
    ids = list(InformationRequest.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    for pk in ids:
        report.checked += 1
        changed, missing = _recompute_one(pk, calendar=calendar, as_of=as_of)
        report.changed += changed
        report.missing += missing
    if report.missing:
        from django.core.mail import mail_admins

        log.error("requests: %d open requests have no due date (calendar missing)", report.missing)
        mail_admins(
            _("依申请公开：工作日历缺失"),
            _("有 %(n)s 件在办申请因工作日历缺少节假日安排而无法计算答复期限，请尽快录入。") % {"n": report.missing},
            fail_silently=True,
        )
    return report


def reminder_thresholds() -> list[int]:
    return sorted({int(x) for x in getattr(settings, "GONGKAI_REQUEST_REMINDER_DAYS", (5, 2, 0))}, reverse=True)


def send_reminders(*, as_of: dt.date | None = None) -> int:
    """E-mail handlers when a due date is within a threshold (working days; -1 = overdue).

    Idempotent: a :class:`ReminderSent` row per (request, threshold, due date) means a
    rerun, or a second worker, sends nothing twice. Mail goes out after commit.
    """
    from django.urls import reverse

    now = as_of or today()
    calendar = workdays.current_calendar()
    thresholds = reminder_thresholds()
    sent = 0
    qs = (
        InformationRequest.objects.filter(status__in=OPEN_STATUSES, due_date__isnull=False)
        .exclude(status=Status.CORRECTION)
        .select_related("unit", "handler")
    )
    for req in qs:
        try:
            left = calendar.working_days_between(now, req.due_date)
        except workdays.CalendarMissing:
            continue
        if left < 0:
            threshold = -1
        else:
            crossed = [t for t in thresholds if left <= t]
            if not crossed:
                continue
            threshold = min(crossed)
        with transaction.atomic():
            obj, created = ReminderSent.objects.get_or_create(request=req, threshold=threshold, due_date=req.due_date)
            if not created:
                continue
            recipients = _reminder_recipients(req)
            obj.recipients = ",".join(recipients)
            obj.save(update_fields=["recipients"])
            subject = (
                _("【逾期】依申请公开 %(code)s 已超过答复期限") % {"code": req.tracking_code}
                if threshold < 0
                else _("【提醒】依申请公开 %(code)s 距答复期限还有%(n)s个工作日")
                % {"code": req.tracking_code, "n": left}
            )
            body = _("申请 %(code)s（%(unit)s）答复期限：%(date)s。\n请登录工作台办理：%(url)s") % {
                "code": req.tracking_code,
                "unit": req.unit.name,
                "date": cn_date(req.due_date),
                "url": reverse("requests_wb:detail", args=[req.pk]),
            }
            if recipients:
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(
                        s, b, settings.DEFAULT_FROM_EMAIL, r, fail_silently=True
                    )
                )
            sent += 1
    return sent


def _reminder_recipients(req: InformationRequest) -> list[str]:
    if req.handler and req.handler.email:
        return [req.handler.email]
    from gongkai.core.models import Membership

    return sorted(
        {
            m.user.email
            for m in Membership.objects.filter(unit=req.unit, role__in=access.HANDLER_ROLES).select_related("user")
            if m.user.email
        }
    )


# --- the per-unit policy ----------------------------------------------------------------------


@transaction.atomic
def policy_update(
    *, actor: User, unit: Organisation, reply_signoff: bool, accepts_requests: bool | None = None
) -> RequestPolicy:
    """Change a unit's request settings (its leader, or the disclosure office overseeing it)."""
    if not access.can_set_policy(actor, unit):
        raise PermissionDenied(_("只有单位负责人或政务公开办可以修改依申请公开设置"))
    if not isinstance(reply_signoff, bool) or accepts_requests not in (True, False, None):
        raise ValidationError(_("设置值无效"))
    policy, _created = RequestPolicy.objects.select_for_update().get_or_create(unit=unit)
    before = audit.snapshot(policy, ["reply_signoff", "accepts_requests"])
    policy.reply_signoff, policy.accepts_requests = reply_signoff, accepts_requests
    policy.save()
    audit.record(
        actor=actor,
        action=AuditAction.POLICY_UPDATE,
        obj=policy,
        unit=unit,
        before=before,
        after=audit.snapshot(policy, ["reply_signoff", "accepts_requests"]),
    )
    return policy

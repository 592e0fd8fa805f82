"""Helpers shared by the request services: dates, the trail, due dates, the transition runner."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.core import audit, chinese, transitions, workdays

from .. import deadlines, identity
from ..audit_actions import AuditAction
from ..models import ApplicantType, InformationRequest, RequestStep

log = logging.getLogger("gongkai.requests.services")

STOPWORDS = {
    "的",
    "了",
    "和",
    "与",
    "及",
    "关于",
    "申请",
    "公开",
    "信息",
    "政府",
    "请",
    "提供",
    "我",
    "要求",
    "相关",
    "有关",
}

# Fields of a request recorded in audit events by the transition runner: never personal data.
AUDIT_FIELDS = [
    "tracking_code",
    "unit_id",
    "status",
    "channel",
    "applicant_type",
    "org_type",
    "received_on",
    "corrected_on",
    "correction_requested_on",
    "correction_deadline",
    "extension_days",
    "due_date",
    "due_problem",
    "handler_id",
    "outcome",
    "legal_basis",
    "finished_on",
]


#: The trail (steps the applicant reads on the tracking page) and letters are official records:
#: they are written in Simplified Chinese whatever language the member of staff uses.
RECORD_LANGUAGE = "zh-hans"


def in_record_language():
    """``with in_record_language(): step(...)`` — compose trail text in the record's language."""
    return translation.override(RECORD_LANGUAGE)


def today() -> dt.date:
    return timezone.localdate()


def cn_date(d: dt.date) -> str:
    """2026年9月30日 (no leading zeros, as in official documents)."""
    return f"{d.year}年{d.month}月{d.day}日"


def content_words(text: str) -> str:
    """Normalised word set of a description (duplicate detection), space-separated."""
    return " ".join(sorted({w for w in chinese.words(text) if w not in STOPWORDS and len(w) > 1 or w.isdigit()}))


def audit_view(req: InformationRequest) -> dict:
    """The request as stored in a creation event: personal data masked (never the full ID number)."""
    person = req.applicant_type == ApplicantType.PERSON
    view = audit.snapshot(req, AUDIT_FIELDS)
    view.update(
        {
            "name": identity.mask_name(req.name) if person else req.name,
            "id_type": req.id_type,
            "id_number": identity.mask_id(req.id_number),
            "credit_code": req.credit_code,
            "phone": identity.mask_phone(req.phone),
            "address": identity.mask_address(req.address),
        }
    )
    return view


def step(req, kind, *, actor=None, on=None, public_note="", internal_note="", internal=False) -> RequestStep:
    """One entry of the request's trail; ``internal`` steps are hidden from the applicant."""
    return RequestStep.objects.create(
        request=req,
        kind=kind,
        at=timezone.now(),
        on=on or today(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.display_name if getattr(actor, "pk", None) else _("系统"))[:150],
        public_note=public_note,
        internal_note=internal_note,
        internal=internal,
        due_after=req.due_date,
    )


def pauses_of(req: InformationRequest, *, as_of: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """Consultation pauses; an unanswered consultation pauses the clock up to today (art. 33)."""
    if req.pk is None:
        return []
    now = as_of or today()
    return [(c.sent_on, c.answered_on or max(now, c.sent_on)) for c in req.consultations.all()]


def compute_due(req: InformationRequest, *, calendar=None, as_of=None) -> tuple[dt.date | None, str]:
    """(due date, problem) from the request's timeline; the problem is set when it cannot be computed."""
    try:
        due = deadlines.due_date(
            req.received_on,
            corrected_on=req.corrected_on,
            pauses=pauses_of(req, as_of=as_of),
            extension_days=req.extension_days,
            calendar=calendar,
        )
    except workdays.CalendarMissing as exc:
        return None, _("日历缺失：%(year)s年节假日安排未录入") % {"year": exc.year}
    except ValueError as exc:  # e.g. an approved extension longer than a since shortened maximum
        return None, str(exc)[:200]
    return due, ""


def refresh_due(req: InformationRequest, *, calendar=None, as_of=None) -> bool:
    """Recompute and set the due date (not saved); returns True when it changed."""
    due, problem = compute_due(req, calendar=calendar, as_of=as_of)
    changed = (due, problem) != (req.due_date, req.due_problem)
    req.due_date, req.due_problem = due, problem
    req.due_computed_at = timezone.now()
    if problem:
        log.error("requests: %s due date cannot be computed: %s", req.tracking_code, problem)
    return changed


def check_date(value: dt.date, *, field: str, earliest: dt.date, message: str) -> None:
    """A date entered by staff must lie between ``earliest`` and today."""
    if value < earliest or value > today():
        raise ValidationError({field: message})


def run(
    req: InformationRequest,
    name: str,
    *,
    actor,
    action: AuditAction,
    update: Callable[[InformationRequest], None] | None = None,
    step_fn: Callable[[InformationRequest], object] | None = None,
    unit=None,
    args: tuple = (),
) -> InformationRequest:
    """Run a transition of the request through the core runner (lock, check, save, trail, audit).

    Refusals: ``TransitionRefused`` (state or condition, 409) or ``PermissionDenied`` (403).
    The audit event records :data:`AUDIT_FIELDS` before and after — no personal data.
    """

    def _update(locked):
        if update is not None:
            update(locked)

    def _step(locked):
        if step_fn is not None:
            with in_record_language():
                step_fn(locked)

    return transitions.run(
        req,
        name,
        actor=actor,
        action=action,
        unit=unit,
        snapshot_fields=AUDIT_FIELDS,
        update=_update,
        step=_step,
        args=args,
    )


def locked(req: InformationRequest) -> InformationRequest:
    return InformationRequest.objects.select_for_update().select_related("unit").get(pk=req.pk)


@transaction.atomic
def personal_data_viewed(*, actor, req: InformationRequest, where: str) -> None:
    """Record that ``actor`` was shown the applicant's unmasked personal data (等保 安全审计, 个人信息保护法
    art. 51): the request page, an attachment, or the API's detail. Called only when the data is shown
    in clear; masked views are not events."""
    from ..audit_actions import AuditAction

    audit.record(
        actor=actor,
        action=AuditAction.PERSONAL_DATA_VIEW,
        obj=req,
        unit=req.unit,
        after={"where": where, "tracking_code": req.tracking_code},
    )

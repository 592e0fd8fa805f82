"""通报 → rectification notice → response → re-check → closed or escalated; yellow and red cards,
督办函, 约谈; the stored due dates' recomputation."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, deadlines, numbering, transitions
from gongkai.core.models import Organisation

from ..audit_actions import AuditAction
from ..models import (
    Bulletin,
    BulletinEntry,
    Card,
    CardColour,
    Evidence,
    Interview,
    Letter,
    Period,
    PeriodStatus,
    Rectification,
    RectStatus,
)
from .common import RECT_FIELDS, _require_office, today
from .paperwork import _enqueue_document


def recompute_due_dates() -> int:
    changed = 0
    with transaction.atomic():
        for r in Rectification.objects.select_for_update().filter(
            status__in=[RectStatus.NOTIFIED, RectStatus.RESPONDED, RectStatus.RECHECKING]
        ):
            due = deadlines.due_date(r.issued_on, "assessment.rectification")
            recheck = deadlines.due_date(r.responded_at.date(), "assessment.recheck") if r.responded_at else None
            if (due, recheck) != (r.due_on, r.recheck_due):
                before = {"due_on": r.due_on, "recheck_due": r.recheck_due}
                Rectification.objects.filter(pk=r.pk).update(due_on=due, recheck_due=recheck)
                audit.record(
                    actor=None,
                    action=AuditAction.RECT_DUE,
                    obj=r,
                    unit=r.unit,
                    before=before,
                    after={"due_on": due, "recheck_due": recheck},
                )
                changed += 1
        for p in Period.objects.select_for_update().filter(status=PeriodStatus.PUBLISHED, published_on__isnull=False):
            due = deadlines.due_date(p.published_on, "assessment.appeal")
            if due != p.appeal_due:
                Period.objects.filter(pk=p.pk).update(appeal_due=due)
                audit.record(
                    actor=None,
                    action=AuditAction.RECT_DUE,
                    obj=p,
                    unit=p.root,
                    before={"appeal_due": p.appeal_due},
                    after={"appeal_due": due},
                )
                changed += 1
    return changed


def propose_entries(root: Organisation, period: Period | None) -> list[dict]:
    """Units to name: confirmed open findings (per unit) and, for a ranked period, failing units."""
    from gongkai.monitoring import selectors as monitoring

    entries: dict[int, dict] = {}
    for f in monitoring.open_confirmed_under(root):
        e = entries.setdefault(f["unit_id"], {"unit_id": f["unit_id"], "problems": [], "finding_ids": []})
        e["problems"].append(f"{f['site']}{f['rule_label']}（{f['evidence']}）")
        e["finding_ids"].append(f["id"])
    if period is not None and period.ranked_at is not None:
        for a in period.assessees.filter(passed=False):
            e = entries.setdefault(a.unit_id, {"unit_id": a.unit_id, "problems": [], "finding_ids": []})
            why = "单项否决（" + "、".join(a.veto_reasons) + "）" if a.vetoed else f"得分{a.total}分，未达到合格分"
            e["problems"].append(f"{period.name}评估{why}")
    return [{**e, "problems": "；".join(e["problems"])} for e in entries.values()]


@transaction.atomic
def bulletin_draft(
    *,
    actor,
    root: Organisation,
    title: str,
    period: Period | None = None,
    number: str = "",
    intro: str = "",
    entries: list[dict] | None = None,
) -> Bulletin:
    _require_office(actor, root)
    bulletin = Bulletin.objects.create(root=root, period=period, title=title, number=number, intro=intro)
    for e in entries if entries is not None else propose_entries(root, period):
        unit = Organisation.objects.get(pk=e["unit_id"])
        if not unit.path.startswith(root.path):
            raise ValidationError(_("只能点名管辖范围内的单位"))
        BulletinEntry.objects.create(
            bulletin=bulletin, unit=unit, problems=e["problems"], finding_ids=e.get("finding_ids", [])
        )
    audit.record(
        actor=actor,
        action=AuditAction.BULLETIN_DRAFT,
        obj=bulletin,
        unit=root,
        after={"entries": bulletin.entries.count()},
    )
    return bulletin


def _card(*, actor, unit, period, colour, reason, rectification=None) -> Card:
    card = Card.objects.create(
        unit=unit,
        period=period,
        colour=colour,
        reason=reason[:300],
        rectification=rectification,
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CARD_ISSUE,
        obj=card,
        unit=unit,
        after={"colour": colour, "reason": reason, "period": getattr(period, "pk", None)},
    )
    return card


def _notify(*, actor, unit, problems, finding_ids, period, bulletin) -> Rectification:
    issued = today()
    rect = Rectification.objects.create(
        period=period,
        bulletin=bulletin,
        unit=unit,
        problems=problems,
        finding_ids=list(finding_ids),
        issued_on=issued,
        due_on=deadlines.due_date(issued, "assessment.rectification"),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor, action=AuditAction.RECT_CREATE, obj=rect, unit=unit, after=audit.snapshot(rect, RECT_FIELDS)
    )
    named_before = (
        Card.objects.filter(unit=unit, period=period).exists()
        if period
        else Card.objects.filter(unit=unit, period__isnull=True, issued_at__year=issued.year).exists()
    )
    if not named_before:
        _card(
            actor=actor,
            unit=unit,
            period=period,
            colour=CardColour.YELLOW,
            reason=_("本评估周期内首次被通报点名"),
            rectification=rect,
        )
    transaction.on_commit(lambda: _enqueue_document("notice", rect.pk))
    return rect


@transaction.atomic
def bulletin_issue(*, actor, bulletin: Bulletin) -> Bulletin:
    def update(b: Bulletin) -> None:
        b.issued_on, b.issued_by = today(), actor
        if not b.number:
            seq = numbering.next_value(f"assessment:bulletin:{b.root_id}:{b.issued_on.year}")
            b.number = f"{b.root.short_name or b.root.name}公开办〔{b.issued_on.year}〕{seq}号"

    bulletin = transitions.run(
        bulletin,
        "issue",
        actor=actor,
        action=AuditAction.BULLETIN_ISSUE,
        unit=lambda b: b.root,
        update=update,
        snapshot_fields=["status", "number", "issued_on"],
    )
    for e in bulletin.entries.select_related("unit"):
        _notify(
            actor=actor,
            unit=e.unit,
            problems=e.problems,
            finding_ids=e.finding_ids,
            period=bulletin.period,
            bulletin=bulletin,
        )
    transaction.on_commit(lambda: _enqueue_document("bulletin", bulletin.pk))
    return bulletin


@transaction.atomic
def rectification_create(
    *, actor, unit: Organisation, problems: str, finding_ids: list[int] | None = None, period: Period | None = None
) -> Rectification:
    _require_office(actor, unit)
    if not problems.strip():
        raise ValidationError({"problems": _("请填写存在的问题")})
    return _notify(
        actor=actor, unit=unit, problems=problems.strip(), finding_ids=finding_ids or [], period=period, bulletin=None
    )


@transaction.atomic
def rectification_respond(*, actor, rectification: Rectification, response: str, files=()) -> Rectification:
    from gongkai.core import uploads

    Rectification.objects.filter(pk=rectification.pk).update(response=(response or "").strip())
    checked = []
    for f in files or ():
        data = f.read()
        c = uploads.check_file(f.name, data, allowed=uploads.DOCUMENT_KINDS)
        checked.append((f.name, data, c.sha256))

    def update(r: Rectification) -> None:
        r.responded_at, r.responded_by = timezone.now(), actor
        r.recheck_due = deadlines.due_date(today(), "assessment.recheck")

    def step(r: Rectification) -> None:
        for name, data, sha in checked:
            ev = Evidence(rectification=r, name=uploads.clean_filename(name)[:200], sha256=sha, uploaded_by=actor)
            ev.file.save(f"{sha[:16]}-{ev.name}", ContentFile(data), save=False)
            ev.save()

    return transitions.run(
        rectification,
        "respond",
        actor=actor,
        action=AuditAction.RECT_RESPOND,
        update=update,
        step=step,
        snapshot_fields=["status", "response", "responded_at"],
    )


@transaction.atomic
def rectification_recheck(*, actor, rectification: Rectification) -> Rectification:
    """Start the re-check: an automatic crawl where the problems came from one, else a person decides."""
    rect = transitions.run(
        rectification,
        "recheck",
        actor=actor,
        action=AuditAction.RECT_RECHECK,
        update=lambda r: setattr(r, "recheck_requested_at", timezone.now()),
        snapshot_fields=["status", "recheck_requested_at"],
    )
    if rect.finding_ids:
        from .. import tasks

        pk, ids = rect.pk, list(rect.finding_ids)
        transaction.on_commit(lambda: tasks.start_recheck(pk, ids))
    return rect


@transaction.atomic
def rectification_evaluate(*, rectification_id: int) -> str:
    """After the automatic re-check: close when every finding is fixed, escalate when one is seen again."""
    from gongkai.monitoring import selectors as monitoring

    rect = Rectification.objects.select_for_update().get(pk=rectification_id)
    if rect.status != RectStatus.RECHECKING:
        return rect.status
    outcome = monitoring.recheck_outcome(rect.finding_ids, since=rect.recheck_requested_at)
    if outcome == "passed":
        transitions.run(
            rect,
            "close",
            actor=None,
            action=AuditAction.RECT_CLOSE,
            snapshot_fields=["status", "recheck_note"],
            update=lambda r: (
                setattr(r, "closed_at", timezone.now()),
                setattr(r, "recheck_note", _("自动复查：问题均已整改")),
            ),
        )
    elif outcome == "failed":
        _escalate(actor=None, rect=rect, reason=_("复查未通过"))
    return outcome


@transaction.atomic
def rectification_pass(*, actor, rectification: Rectification, note: str = "") -> Rectification:
    return transitions.run(
        rectification,
        "close",
        actor=actor,
        action=AuditAction.RECT_CLOSE,
        snapshot_fields=["status", "recheck_note"],
        update=lambda r: (setattr(r, "closed_at", timezone.now()), setattr(r, "recheck_note", note)),
    )


@transaction.atomic
def rectification_fail(*, actor, rectification: Rectification, note: str = "") -> Rectification:
    return _escalate(actor=actor, rect=rectification, reason=note or _("复查未通过"))


def _escalate(*, actor, rect: Rectification, reason: str) -> Rectification:
    def update(r: Rectification) -> None:
        r.escalated_at, r.escalation_reason = timezone.now(), reason[:200]

    rect = transitions.run(
        rect,
        "escalate",
        actor=actor,
        action=AuditAction.RECT_ESCALATE,
        update=update,
        snapshot_fields=["status", "escalation_reason"],
    )
    _card(actor=actor, unit=rect.unit, period=rect.period, colour=CardColour.RED, reason=reason, rectification=rect)
    year = today().year
    seq = numbering.next_value(f"assessment:letter:{year}")
    letter = Letter.objects.create(
        rectification=rect,
        number=f"督办〔{year}〕{seq}号",
        issued_on=today(),
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor, action=AuditAction.LETTER_ISSUE, obj=letter, unit=rect.unit, after={"number": letter.number}
    )
    transaction.on_commit(lambda: _enqueue_document("letter", letter.pk))
    return rect


def escalate_overdue(*, on: dt.date | None = None) -> int:
    """Red cards for notices whose deadline passed without a response (daily job)."""
    on = on or today()
    n = 0
    for rect in Rectification.objects.filter(status=RectStatus.NOTIFIED, due_on__lt=on):
        with transaction.atomic():
            _escalate(actor=None, rect=rect, reason=_("逾期未整改"))
        n += 1
    return n


@transaction.atomic
def interview_record(
    *,
    actor,
    unit: Organisation,
    held_on: dt.date,
    attendees: str,
    summary: str,
    place: str = "",
    rectification: Rectification | None = None,
) -> Interview:
    _require_office(actor, unit)
    iv = Interview.objects.create(
        unit=unit,
        rectification=rectification,
        held_on=held_on,
        place=place,
        attendees=attendees,
        summary=summary,
        recorded_by=actor,
    )
    audit.record(actor=actor, action=AuditAction.INTERVIEW_RECORD, obj=iv, unit=unit, after=audit.snapshot(iv))
    return iv

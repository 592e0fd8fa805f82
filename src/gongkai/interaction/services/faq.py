"""The FAQ knowledge base: entries with versions, the review cycle, promotion of answered appeals.

Review cycle: the period ``faq.review`` (months, from the last review or edit). An entry whose
review date was not chosen by an editor gets ``deadlines.due_date(reviewed_on, "faq.review")``,
recomputed when the period changes (:func:`faq_recompute_review_dates`, registered in
``InteractionConfig.ready()``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongkai.core import audit, deadlines, transitions
from gongkai.core.chinese import normalise
from gongkai.core.models import Organisation

from .. import access, screening, search_sources, suggest
from ..audit_actions import AuditAction
from ..models import Appeal, FaqEntry, FaqStatus, FaqVersion, StepKind, TopicWord
from ._common import ANSWER_MAX, check_text
from .appeals import add_step
from .appeals import run as run_appeal

REVIEW_PERIOD = "faq.review"
FAQ_SNAPSHOT = [
    "question",
    "answer",
    "unit_id",
    "domain_id",
    "domain_name",
    "status",
    "version",
    "reviewed_on",
    "review_date",
    "review_date_manual",
]


def default_review_date(reviewed_on: dt.date | None = None) -> dt.date:
    """The next review date: one review cycle (period ``faq.review``) after ``reviewed_on`` (today)."""
    return deadlines.due_date(reviewed_on or timezone.localdate(), REVIEW_PERIOD)


def _topics(names: Iterable[str]) -> list[TopicWord]:
    out = []
    for name in names:
        name = (name or "").strip()[:30]
        if name:
            out.append(TopicWord.objects.get_or_create(name=name)[0])
    return out


def _faq_version(entry: FaqEntry, actor, note: str) -> FaqVersion:
    return FaqVersion.objects.create(
        entry=entry,
        number=entry.version,
        question=entry.question,
        answer=entry.answer,
        topics="、".join(entry.topics.values_list("name", flat=True)),
        domain_name=entry.domain_name,
        review_date=entry.review_date,
        note=note[:200],
        editor=actor if getattr(actor, "pk", None) else None,
    )


def _faq_changed(entry: FaqEntry) -> None:
    """After commit: the suggester's index is rebuilt and 一网通查 reindexes (or drops) the entry."""
    transaction.on_commit(suggest.invalidate)
    search_sources.schedule(search_sources.FAQ, entry.pk)


def _run(entry: FaqEntry, name: str, *, actor, action: AuditAction, update=None, step=None) -> FaqEntry:
    return transitions.run(
        entry, name, actor=actor, action=action, snapshot_fields=FAQ_SNAPSHOT, update=update, step=step
    )


@transaction.atomic
def faq_create(
    *,
    actor,
    unit: Organisation,
    question: str,
    answer: str,
    domain_name: str = "",
    topics: Iterable[str] = (),
    review_date: dt.date | None = None,
    note: str = "",
    source_appeal: Appeal | None = None,
    domain=None,
) -> FaqEntry:
    access.require_unit_content(actor, unit)
    question = check_text(question, "question", _("问题"), 200)
    answer = check_text(answer, "answer", _("标准答复"), ANSWER_MAX)
    today = timezone.localdate()
    entry = FaqEntry.objects.create(
        unit=unit,
        question=question,
        answer=answer,
        domain=domain,
        domain_name=(domain.name if domain is not None else (domain_name or ""))[:60],
        reviewed_on=today,
        review_date=review_date or default_review_date(today),
        review_date_manual=review_date is not None,
        source_appeal=source_appeal,
    )
    entry.topics.set(_topics(topics))
    _faq_version(entry, actor, note)
    audit.record(
        actor=actor, action=AuditAction.FAQ_CREATE, obj=entry, unit=unit, after=audit.snapshot(entry, FAQ_SNAPSHOT)
    )
    _faq_changed(entry)
    return entry


@transaction.atomic
def faq_update(
    *,
    actor,
    entry: FaqEntry,
    question: str,
    answer: str,
    domain_name: str = "",
    topics: Iterable[str] = (),
    review_date: dt.date | None = None,
    note: str = "",
    unit: Organisation | None = None,
    domain=None,
) -> FaqEntry:
    """Editing creates a new version (and counts as a review); earlier versions stay in the history."""
    question = check_text(question, "question", _("问题"), 200)
    answer = check_text(answer, "answer", _("标准答复"), ANSWER_MAX)
    today = timezone.localdate()

    def update(e: FaqEntry):
        if unit is not None and unit != e.unit:
            access.require_unit_content(actor, unit)
            e.unit = unit
        e.question, e.answer = question, answer
        e.domain = domain
        e.domain_name = (domain.name if domain is not None else (domain_name or ""))[:60]
        e.reviewed_on = today
        e.review_date = review_date or default_review_date(today)
        e.review_date_manual = review_date is not None
        e.version += 1

    def step(e: FaqEntry):
        e.topics.set(_topics(topics))
        _faq_version(e, actor, note)

    entry = _run(entry, "edit", actor=actor, action=AuditAction.FAQ_UPDATE, update=update, step=step)
    _faq_changed(entry)
    return entry


@transaction.atomic
def faq_mark_reviewed(*, actor, entry: FaqEntry, review_date: dt.date | None = None) -> FaqEntry:
    """The answer was checked and is still right: the next review is one cycle later (or on the date given)."""
    today = timezone.localdate()
    new_date = review_date or default_review_date(today)
    if new_date <= today:
        raise ValidationError({"review_date": _("下次复核日期应晚于今天")})

    def update(e: FaqEntry):
        e.reviewed_on = today
        e.review_date = new_date
        e.review_date_manual = review_date is not None

    return _run(entry, "review", actor=actor, action=AuditAction.FAQ_REVIEW, update=update)


@transaction.atomic
def faq_withdraw(*, actor, entry: FaqEntry) -> FaqEntry:
    entry = _run(entry, "withdraw", actor=actor, action=AuditAction.FAQ_WITHDRAW)
    _faq_changed(entry)
    return entry


@transaction.atomic
def faq_restore(*, actor, entry: FaqEntry) -> FaqEntry:
    entry = _run(entry, "restore", actor=actor, action=AuditAction.FAQ_RESTORE)
    _faq_changed(entry)
    return entry


def faq_set_status(*, actor, entry: FaqEntry, status: str) -> FaqEntry:
    """Withdraw or republish (kept for callers that pass the wanted status)."""
    if status == FaqStatus.WITHDRAWN:
        return faq_withdraw(actor=actor, entry=entry)
    if status == FaqStatus.PUBLISHED:
        return faq_restore(actor=actor, entry=entry)
    raise ValidationError({"status": _("无效的状态")})


def faq_recompute_review_dates() -> int:
    """Review dates not chosen by an editor follow the review cycle; returns how many changed.

    Registered with :func:`gongkai.core.deadlines.register_recompute` (``interaction.faq``): runs
    after a change of the period ``faq.review`` (or of the calendar). Each change is audited.
    """
    changed = 0
    for pk in list(FaqEntry.objects.filter(review_date_manual=False).values_list("pk", flat=True)):
        with transaction.atomic():
            entry = FaqEntry.objects.select_for_update().get(pk=pk)
            due = default_review_date(entry.reviewed_on)
            if entry.review_date_manual or due == entry.review_date:
                continue
            before = {"review_date": entry.review_date}
            entry.review_date = due
            entry.save(update_fields=["review_date"])
            audit.record(
                actor=None,
                action=AuditAction.FAQ_REVIEW_DATE_RECOMPUTED,
                obj=entry,
                unit=entry.unit,
                before=before,
                after={"review_date": due, "reviewed_on": entry.reviewed_on},
            )
            changed += 1
    return changed


def faq_notify_stale(*, today: dt.date | None = None, force: bool = False) -> int:
    """Periodic check: tell each unit which of its answers are past their review date.

    Runs daily (Celery beat); mails on Mondays (or when ``force``) so staff get one
    digest a week. Returns the number of stale entries.
    """
    today = today or timezone.localdate()
    stale = (
        FaqEntry.objects.filter(status=FaqStatus.PUBLISHED, review_date__lt=today)
        .select_related("unit")
        .order_by("unit_id", "review_date")
    )
    by_unit: dict[Organisation, list[FaqEntry]] = {}
    for entry in stale:
        by_unit.setdefault(entry.unit, []).append(entry)
    if force or today.weekday() == 0:
        for unit, entries in by_unit.items():
            recipients = list(unit.staff.exclude(email="").values_list("email", flat=True))
            lines = "\n".join(
                _("- %(question)s（复核日期 %(date)s）") % {"question": e.question, "date": e.review_date.isoformat()}
                for e in entries
            )
            if recipients:  # a periodic job, not a transaction: the digest goes out now
                send_mail(
                    _("【常见问题待复核】%(unit)s %(n)s 条") % {"unit": unit.display_name, "n": len(entries)},
                    _("以下答复已过复核日期，请核对后修改或确认复核：\n%(lines)s") % {"lines": lines},
                    settings.DEFAULT_FROM_EMAIL,
                    recipients,
                    fail_silently=True,
                )
    return sum(len(v) for v in by_unit.values())


# --- promotion of an answered appeal ------------------------------------------------------------------


def faq_promotion_proposal(appeal: Appeal) -> dict:
    known = [appeal.name, appeal.phone, appeal.email]
    question = screening.screen(appeal.public_title or appeal.title, known=known)
    answer = screening.screen(appeal.public_answer or appeal.answer, known=known)
    text = normalise(appeal.title + appeal.content)
    topics = [t for t in TopicWord.objects.values_list("name", flat=True) if t and t in text][:8]
    return {"question": question, "answer": answer, "topics": topics}


@transaction.atomic
def faq_promote_from_appeal(*, actor, appeal: Appeal) -> FaqEntry:
    """One click: an answered message becomes a FAQ entry, personal data removed (一键收入常见问题库)."""
    made: list[FaqEntry] = []

    def step(a: Appeal):
        proposal = faq_promotion_proposal(a)
        if proposal["question"].sensitive_words or proposal["answer"].sensitive_words:
            raise ValidationError(_("留言或答复含敏感词，请在常见问题编辑器中手工整理后再发布"))
        made.append(
            faq_create(
                actor=actor,
                unit=a.unit or a.target_unit,
                question=proposal["question"].masked[:200],
                answer=proposal["answer"].masked,
                topics=proposal["topics"],
                note=_("由留言 %(code)s 转入") % {"code": a.tracking_code},
                source_appeal=a,
            )
        )
        add_step(a, StepKind.PROMOTED, gettext_noop("答复已收入常见问题库"), actor=actor, unit=a.unit, internal=True)

    run_appeal(appeal, "promote", actor=actor, action=AuditAction.APPEAL_PROMOTE, step=step)
    return made[0]

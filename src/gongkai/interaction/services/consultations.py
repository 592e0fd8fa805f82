"""Public consultation on draft decisions (意见征集): drafts, attachments, the comment period,
moderation, adoption decisions and the feedback report.

The minimum comment period is the legal period ``consultation.minimum`` (checked by the
``open`` transition's conditions); rich text goes through :func:`gongkai.core.html.sanitize_html`,
attachments through :func:`gongkai.core.uploads.check_file`.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, transitions, uploads
from gongkai.core.html import sanitize_html
from gongkai.core.models import Organisation

from .. import access, screening, search_sources
from ..audit_actions import AuditAction
from ..models import Adoption, Comment, Consultation, ConsultationAttachment, ConsultationStatus, Policy
from ._common import COMMENT_MAX, check_text, content_hash, content_hashes, serialise_on

ATTACHMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "odt", "png", "jpg"})
DRAFT_MAX = 200_000
EXPLANATION_MAX = 100_000
CONSULTATION_SNAPSHOT = [
    "unit_id",
    "title",
    "summary",
    "opens_on",
    "closes_on",
    "short_period_reason",
    "status",
    "contact",
    "reported_at",
]
COMMENT_SNAPSHOT = ["consultation_id", "status", "reject_reason", "adoption", "adoption_note"]


def _run(c: Consultation, name: str, *, actor, action: AuditAction, update=None, step=None) -> Consultation:
    return transitions.run(
        c, name, actor=actor, action=action, snapshot_fields=CONSULTATION_SNAPSHOT, update=update, step=step
    )


def _rich(value: str, field: str, label, max_len: int) -> str:
    return sanitize_html(check_text(value, field, label, max_len))


@transaction.atomic
def consultation_create(
    *,
    actor,
    unit: Organisation,
    title: str,
    draft: str,
    explanation: str,
    summary: str = "",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    short_period_reason: str = "",
    contact: str = "",
) -> Consultation:
    access.require_unit_content(actor, unit)
    c = Consultation.objects.create(
        unit=unit,
        title=check_text(title, "title", _("标题"), 150),
        summary=(summary or "").strip()[:300],
        draft=_rich(draft, "draft", _("征求意见稿"), DRAFT_MAX),
        explanation=_rich(explanation, "explanation", _("起草说明"), EXPLANATION_MAX),
        opens_on=opens_on,
        closes_on=closes_on,
        short_period_reason=(short_period_reason or "").strip(),
        contact=(contact or "").strip()[:120],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CONSULTATION_CREATE,
        obj=c,
        unit=unit,
        after=audit.snapshot(c, CONSULTATION_SNAPSHOT),
    )
    return c


@transaction.atomic
def consultation_update(*, actor, consultation: Consultation, **fields) -> Consultation:
    """Change a draft (title, texts, period, contact); only while it is a draft."""
    if "title" in fields:
        fields["title"] = check_text(fields["title"], "title", _("标题"), 150)
    if "draft" in fields:
        fields["draft"] = _rich(fields["draft"], "draft", _("征求意见稿"), DRAFT_MAX)
    if "explanation" in fields:
        fields["explanation"] = _rich(fields["explanation"], "explanation", _("起草说明"), EXPLANATION_MAX)

    def update(c: Consultation):
        for name in (
            "title",
            "summary",
            "draft",
            "explanation",
            "opens_on",
            "closes_on",
            "short_period_reason",
            "contact",
        ):
            if name in fields:
                value = fields[name]
                setattr(
                    c, name, value.strip() if isinstance(value, str) and name not in ("draft", "explanation") else value
                )

    return _run(consultation, "edit", actor=actor, action=AuditAction.CONSULTATION_UPDATE, update=update)


def _read_upload(upload) -> bytes:
    if upload is None:
        raise ValidationError({"file": _("请选择文件")})
    size, limit = getattr(upload, "size", None), uploads.max_bytes()
    if size is not None and size > limit:  # refuse before reading a huge file into memory
        raise ValidationError(
            {
                "file": _("“%(name)s”过大，单个附件不能超过 %(limit)s MB。")
                % {"name": upload.name, "limit": limit // 2**20}
            }
        )
    upload.seek(0)
    return upload.read()


@transaction.atomic
def consultation_add_attachment(*, actor, consultation: Consultation, title: str, upload) -> ConsultationAttachment:
    """A document published with the draft (type sniffed from the content, size and archive limits)."""
    data = _read_upload(upload)
    try:
        checked = uploads.check_file(upload.name, data, allowed=ATTACHMENT_KINDS, extract=False)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    title = check_text(title or os.path.splitext(checked.name)[0], "title", _("附件名称"), 150)
    made: list[ConsultationAttachment] = []

    def step(c: Consultation):
        att = ConsultationAttachment(
            consultation=c, title=title, content_type=checked.content_type, size=checked.size, sha256=checked.sha256
        )
        att.file.save(f"{uuid.uuid4().hex}{checked.extension}", ContentFile(checked.data), save=False)
        att.save()
        made.append(att)

    _run(consultation, "edit", actor=actor, action=AuditAction.CONSULTATION_ATTACH, step=step)
    return made[0]


def _public_changed(c: Consultation) -> Consultation:
    """一网通查 reindexes the consultation (and its feedback report) after commit."""
    search_sources.schedule(search_sources.CONSULTATION, c.pk)
    return c


@transaction.atomic
def consultation_open(*, actor, consultation: Consultation) -> Consultation:
    """发布: comments are accepted from the opening to the closing date (conditions on the transition)."""
    return _public_changed(_run(consultation, "open", actor=actor, action=AuditAction.CONSULTATION_OPEN))


@transaction.atomic
def consultation_close(*, actor, consultation: Consultation) -> Consultation:
    """结束征集 by staff (early) or by the daily job (``actor=None``) after the closing date."""

    def update(c: Consultation):
        today = timezone.localdate()
        if c.closes_on and c.closes_on > today:
            c.closes_on = today  # closed early: the record shows the real end

    return _public_changed(
        _run(consultation, "close", actor=actor, action=AuditAction.CONSULTATION_CLOSE, update=update)
    )


def consultation_close_expired(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    n = 0
    for c in Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_on__lt=today):
        consultation_close(actor=None, consultation=c)
        n += 1
    return n


@transaction.atomic
def consultation_report(*, actor, consultation: Consultation, report: str) -> Consultation:
    """Publish the feedback report; every approved comment must have an adoption decision (conditions)."""
    report = _rich(report, "report", _("意见采纳情况说明"), EXPLANATION_MAX)

    def update(c: Consultation):
        c.feedback_report = report
        c.reported_at = timezone.now()

    return _public_changed(
        _run(consultation, "report", actor=actor, action=AuditAction.CONSULTATION_REPORT, update=update)
    )


# --- comments -------------------------------------------------------------------------------------


def comment_submit(
    *, consultation: Consultation, content: str, author_name: str = "", contact: str = ""
) -> tuple[Comment, bool]:
    """A citizen's comment (kept pending until moderated); a duplicate returns the existing one."""
    content = check_text(content, "content", _("意见内容"), COMMENT_MAX)
    if not consultation.accepting_comments:
        raise ValidationError(_("该征集当前不接受意见"))
    digest = content_hash(content, contact, str(consultation.pk))
    since = timezone.now() - dt.timedelta(hours=Policy.get().duplicate_window_hours)
    with transaction.atomic():
        serialise_on(digest)
        existing = Comment.objects.filter(
            consultation=consultation,
            content_hash__in=content_hashes(content, contact, str(consultation.pk)),
            created_at__gte=since,
        ).first()
        if existing:
            return existing, False
        comment = Comment.objects.create(
            consultation=consultation,
            content=content,
            author_name=(author_name or "").strip()[:40],
            contact=(contact or "").strip()[:100],
            content_hash=digest,
        )
        audit.record(
            actor=None,
            action=AuditAction.COMMENT_SUBMIT,
            obj=comment,
            unit=consultation.unit,
            after={"consultation": consultation.pk, "length": len(content)},
        )
    return comment, True


def _run_comment(comment: Comment, name: str, *, actor, action: AuditAction, update=None) -> Comment:
    return transitions.run(
        comment,
        name,
        actor=actor,
        action=action,
        unit=lambda c: c.consultation.unit,
        snapshot_fields=COMMENT_SNAPSHOT,
        update=update,
    )


@transaction.atomic
def comment_approve(*, actor, comment: Comment) -> Comment:
    """通过: the comment is shown on the portal with personal data masked."""

    def update(c: Comment):
        c.public_content = screening.screen(c.content, known=[c.author_name, c.contact]).masked
        c.reject_reason = ""
        c.moderated_by, c.moderated_at = actor, timezone.now()

    return _run_comment(comment, "approve", actor=actor, action=AuditAction.COMMENT_APPROVE, update=update)


@transaction.atomic
def comment_reject(*, actor, comment: Comment, reason: str) -> Comment:
    """不通过 with a reason; the comment is kept in the record."""
    reason = check_text(reason, "reason", _("未通过理由"), 200)

    def update(c: Comment):
        c.reject_reason = reason
        c.moderated_by, c.moderated_at = actor, timezone.now()

    return _run_comment(comment, "reject", actor=actor, action=AuditAction.COMMENT_REJECT, update=update)


def comment_moderate(*, actor, comment: Comment, approve: bool, reason: str = "") -> Comment:
    """Approve or reject (kept for callers that pass the decision as a flag)."""
    if approve:
        return comment_approve(actor=actor, comment=comment)
    return comment_reject(actor=actor, comment=comment, reason=reason)


@transaction.atomic
def comment_set_adoption(*, actor, comment: Comment, adoption: str, note: str = "") -> Comment:
    """采纳 / 部分采纳 / 未采纳; the last two need a reason (published in the feedback report)."""
    if adoption not in (Adoption.ADOPTED, Adoption.PARTLY, Adoption.NOT_ADOPTED):
        raise ValidationError({"adoption": _("请选择采纳情况")})
    note = (note or "").strip()
    if adoption != Adoption.ADOPTED and not note:
        raise ValidationError({"note": _("未采纳或部分采纳的意见须说明理由")})

    def update(c: Comment):
        c.adoption, c.adoption_note = adoption, note[:500]

    return _run_comment(comment, "adopt", actor=actor, action=AuditAction.COMMENT_ADOPTION, update=update)

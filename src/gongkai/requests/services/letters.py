"""Letters: issued in the transaction of the step that needs them (number, content snapshot,
trail, audit), rendered to DOCX and PDF after commit by a Celery task (in-process in the
embedded mode). A rendering failure never undoes the step: the letter is marked failed with
the reason (e.g. a template field that does not exist) and can be rendered again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.models import User

from .. import access
from .. import letters as documents
from ..audit_actions import AuditAction
from ..models import (
    Consultation,
    ExtensionStatus,
    InformationRequest,
    Letter,
    LetterKind,
    LetterState,
    StepKind,
)
from .common import check_date, in_record_language, step, today

log = logging.getLogger("gongkai.requests.letters")


def issuable_kinds(req: InformationRequest) -> list[str]:
    """Letters to the applicant that the request's record supports now."""
    kinds = []
    if req.finished_on and req.outcome and req.status in ("replied", "closed"):
        kinds.append(LetterKind.REPLY)
    if req.correction_requested_on:
        kinds.append(LetterKind.CORRECTION)
    if req.extensions.filter(status=ExtensionStatus.APPROVED).exists():
        kinds.append(LetterKind.EXTENSION)
    return kinds


def issue_in_transaction(
    *,
    actor: User | None,
    req: InformationRequest,
    kind: str,
    consultation: Consultation | None = None,
    issued_on: dt.date | None = None,
) -> Letter:
    """Number the letter, freeze its content, record the step and the audit event; render after commit.

    Must run inside the caller's transaction (the step that the letter belongs to).
    """
    with in_record_language():
        letter = documents.prepare(req=req, kind=kind, actor=actor, consultation=consultation, issued_on=issued_on)
        step(
            req,
            StepKind.LETTER,
            actor=actor,
            on=letter.issued_on,
            internal=not letter.to_applicant,
            public_note=_("出具《%(kind)s》（%(number)s）")
            % {"kind": letter.get_kind_display(), "number": letter.number},
            internal_note=""
            if letter.to_applicant
            else _("%(kind)s送%(who)s") % {"kind": letter.get_kind_display(), "who": consultation.recipient},
        )
    audit.record(
        actor=actor,
        action=AuditAction.LETTER_ISSUE,
        obj=req,
        unit=req.unit,
        after={"letter": letter.pk, "kind": kind, "number": letter.number},
    )
    transaction.on_commit(lambda pk=letter.pk: _enqueue(pk))
    return letter


def _enqueue(pk: int) -> None:
    from ..tasks import render_letter

    try:
        render_letter.delay(pk)
    except Exception:  # broker down: the letter stays "pending" and can be rendered again
        log.exception("could not enqueue the rendering of letter %s", pk)


@transaction.atomic
def letter_issue(
    *,
    actor: User,
    req: InformationRequest,
    kind: str,
    consultation: Consultation | None = None,
    issued_on: dt.date | None = None,
) -> Letter:
    """Issue (again) a letter for a request: the 文书 panel of the workbench and the API."""
    req = InformationRequest.objects.select_for_update().select_related("unit").get(pk=req.pk)
    if not access.can_handle(req, actor):
        raise PermissionDenied(_("您无权办理该申请"))
    issued_on = issued_on or today()
    check_date(
        issued_on, field="issued_on", earliest=req.received_on, message=_("文书日期应在收到申请之后且不晚于今天")
    )
    if kind == LetterKind.CONSULTATION:
        if consultation is None or consultation.request_id != req.pk:
            raise ValidationError({"consultation": _("请选择征求意见")})
    elif kind not in issuable_kinds(req):
        raise ValidationError({"kind": _("该申请目前不能出具此类文书")})
    return issue_in_transaction(actor=actor, req=req, kind=kind, consultation=consultation, issued_on=issued_on)


def letter_render(letter_id: int) -> Letter:
    """Render a letter's DOCX and PDF from its frozen content (the Celery task calls this)."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("request").get(pk=letter_id)
        try:
            docx_bytes, pdf_bytes = documents.render(letter.kind, letter.context)
        except documents.LetterTemplateError as exc:
            letter.state, letter.error = LetterState.FAILED, str(exc)[:300]
            letter.save(update_fields=["state", "error"])
            log.warning("letter %s (%s) not rendered: %s", letter.pk, letter.number, exc)
            return letter
        stem = f"{letter.kind}-{letter.issued_on.year}-{letter.pk}"
        letter.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
        letter.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        letter.state, letter.error = LetterState.READY, ""
        letter.save()
    return letter


@transaction.atomic
def letter_rerender(*, actor: User, letter: Letter) -> Letter:
    """Render a failed or pending letter again (after the template was fixed)."""
    if not access.can_handle(letter.request, actor):
        raise PermissionDenied(_("您无权办理该申请"))
    transaction.on_commit(lambda pk=letter.pk: _enqueue(pk))
    return letter

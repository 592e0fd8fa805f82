"""Generated documents (通报, 整改通知, 督办函) from the editable templates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit, deadlines

from .. import documents
from ..audit_actions import AuditAction
from ..models import (
    Bulletin,
    DocumentTemplate,
    Letter,
    Rectification,
)
from .common import _office_anywhere, log, today


@transaction.atomic
def template_update(*, actor, kind: str, title: str, body: str) -> DocumentTemplate:
    _office_anywhere(actor)
    try:
        documents.render_text(body, {})
    except Exception as exc:  # a template syntax error is the user's input error
        raise ValidationError({"body": _("模板语法错误：%(error)s") % {"error": exc}}) from None
    tpl, _created = DocumentTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
    before = {"title": tpl.title, "body": tpl.body}
    tpl.title, tpl.body, tpl.updated_by = title, body, actor
    tpl.save()
    audit.record(
        actor=actor, action=AuditAction.TEMPLATE_UPDATE, obj=tpl, before=before, after={"title": title, "body": body}
    )
    return tpl


def _enqueue_document(kind: str, pk: int) -> None:
    from .. import tasks

    try:
        tasks.render_document.delay(kind, pk)
    except Exception:
        log.exception("could not enqueue document %s %s", kind, pk)


def _template(kind: str) -> tuple[str, str]:
    tpl = DocumentTemplate.objects.filter(kind=kind).first()
    return (tpl.title, tpl.body) if tpl else documents.DEFAULTS[kind]


def document_context(kind: str, obj) -> tuple[str, str, dict]:
    days = deadlines.period("assessment.rectification").length
    if kind == "bulletin":
        entries = [{"unit": e.unit.name, "problems": e.problems} for e in obj.entries.select_related("unit")]
        ranking = []
        if obj.period and obj.period.ranked_at:
            ranking = [
                {
                    "rank": a.rank,
                    "unit": a.unit.name,
                    "category": a.get_category_display(),
                    "total": a.total,
                    "vetoed": a.vetoed,
                }
                for a in obj.period.assessees.select_related("unit").order_by("category", "rank", "unit__path")
            ]
        due = deadlines.due_date(obj.issued_on or today(), "assessment.rectification")
        ctx = {
            "period": obj.period.name if obj.period else "",
            "root": obj.root.name,
            "intro": obj.intro,
            "entries": entries,
            "ranking": ranking,
            "days": days,
            "due": f"{due:%Y年%m月%d日}",
            "date": f"{obj.issued_on or today():%Y年%m月%d日}",
        }
        return obj.title or _template(kind)[0], obj.number, ctx
    rect = obj if kind == "notice" else obj.rectification
    root = (
        rect.bulletin.root.name
        if rect.bulletin
        else (rect.period.root.name if rect.period else rect.unit.government().name)
    )
    ctx = {
        "unit": rect.unit.name,
        "problems": rect.problems,
        "due": f"{rect.due_on:%Y年%m月%d日}",
        "days": days,
        "root": root,
        "issued": f"{rect.issued_on:%Y年%m月%d日}",
        "reason": rect.escalation_reason or "",
        "date": f"{today():%Y年%m月%d日}",
    }
    return _template(kind)[0], (obj.number if kind == "letter" else ""), ctx


def render_document(kind: str, pk: int) -> None:
    model = {"bulletin": Bulletin, "notice": Rectification, "letter": Letter}[kind]
    obj = model.objects.get(pk=pk)
    title, number, ctx = document_context(kind, obj)
    paragraphs = documents.render_text(_template(kind)[1], ctx)
    pdf = documents.to_pdf(title, number, paragraphs)
    docx = documents.to_docx(title, number, paragraphs)
    stem = f"{kind}-{pk}"
    pdf_field, docx_field = ("notice_pdf", "notice_docx") if kind == "notice" else ("pdf", "docx")
    getattr(obj, pdf_field).save(f"{stem}.pdf", ContentFile(pdf), save=False)
    getattr(obj, docx_field).save(f"{stem}.docx", ContentFile(docx), save=False)
    model.objects.filter(pk=pk).update(
        **{pdf_field: getattr(obj, pdf_field).name, docx_field: getattr(obj, docx_field).name}
    )

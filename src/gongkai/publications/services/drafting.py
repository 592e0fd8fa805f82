"""Drafting: create, edit and delete drafts, their attachments, and the catalogue item an item fulfils.

Editing is guarded by the ``edit`` transition (a draft, an editor of its unit), run through
:func:`gongkai.core.transitions.run`, so the same refusal (409 for the state, 403 for the role)
comes back from the workbench and the API.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.catalogue import selectors as catalogue
from gongkai.core import audit, permissions, transitions, uploads
from gongkai.core import html as text
from gongkai.core.models import Organisation, Role, User
from gongkai.core.transitions import TransitionRefused

from ..audit import AuditAction
from ..choices import INTERPRETABLE_TYPES, DocType, InterpretationForm, State
from ..guards import readiness_errors
from ..models import Attachment, Publication
from ._common import AUDIT_FIELDS, EDITABLE_FIELDS, snapshot, today

__all__ = [
    "attachment_add",
    "attachment_remove",
    "publication_create",
    "publication_delete",
    "publication_link_unit_item",
    "publication_update",
    "readiness_errors",
]

PLAIN_FIELDS = ("issuer", "document_number", "short_comment_reason", "video_url")


# --- validation ------------------------------------------------------------------


def _clean_text(out: dict, errors: dict) -> None:
    if "title" in out:
        out["title"] = text.clean_title(out["title"])
        if not out["title"]:
            errors["title"] = _("请填写标题（标题为纯文本，不能只包含标签或符号）")
        elif len(out["title"]) > 300:
            errors["title"] = _("标题不能超过300字")
    for name in ("body", "drafting_notes"):
        if name in out:
            out[name] = text.sanitize_html(out[name] or "")
    for name in PLAIN_FIELDS:
        if out.get(name) is not None:
            out[name] = text.clean_title(out[name])
    if out.get("attribute_reason") is not None:
        out["attribute_reason"] = out["attribute_reason"].strip()


def _date_errors(merged: dict, errors: dict) -> None:
    made_on, changed_on = merged.get("made_on"), merged.get("changed_on")
    eff, exp = merged.get("effective_from"), merged.get("expires_on")
    if made_on and made_on > today():
        errors["made_on"] = _("成文日期不能晚于今天")
    if changed_on and made_on and changed_on < made_on:
        errors["changed_on"] = _("变更日期不能早于成文日期")
    if eff and exp and exp <= eff:
        errors["expires_on"] = _("失效日期必须晚于施行日期")
    if eff and made_on and eff < made_on:
        errors["effective_from"] = _("施行日期不能早于成文日期")
    year = merged.get("fiscal_year")
    if year is not None and not (1990 <= year <= today().year + 1):
        errors["fiscal_year"] = _("预决算年度不正确")


def _interpretation_errors(merged: dict, given: dict, instance: Publication | None, errors: dict) -> None:
    interprets = merged.get("interprets")
    if merged.get("doc_type") != DocType.INTERPRETATION:
        if "interprets" in given and interprets is not None:
            errors["interprets"] = _("只有政策解读可以关联所解读的文件")
        return
    if interprets is not None:
        if interprets.doc_type not in INTERPRETABLE_TYPES:
            errors["interprets"] = _("只能解读政策文件、规章、规范性文件或决策草案")
        elif instance is not None and interprets.pk == instance.pk:
            errors["interprets"] = _("解读不能指向自身")
        elif interprets.state in (State.WITHDRAWN, State.RETAINED):
            errors["interprets"] = _("所选政策文件已撤回或不予主动公开")
    if merged.get("interpretation_form") == InterpretationForm.VIDEO and not merged.get("video_url"):
        errors["video_url"] = _("视频解读须填写视频链接")


def _clean(actor: User, data: dict, *, unit: Organisation, instance: Publication | None = None) -> dict:
    """Normalise and validate editable fields; raise ValidationError({field: message})."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    out = dict(data)
    _clean_text(out, errors)
    merged = {f: getattr(instance, f, None) for f in EDITABLE_FIELDS} if instance is not None else {}
    merged.update(out)
    if merged.get("doc_type") not in DocType.values:
        errors["doc_type"] = _("请选择信息类型")
    _date_errors(merged, errors)
    _interpretation_errors(merged, out, instance, errors)
    interprets = out.get("interprets")
    if interprets is not None and not permissions.can_view(actor, interprets.unit):
        errors["interprets"] = _("所选政策文件不存在或无权查看")
    unit_item = merged.get("unit_item")
    if unit_item is not None and unit.pk not in (unit_item.unit_id, unit_item.responsible_unit_id):
        errors["unit_item"] = _("只能关联本单位目录中的事项")
    if errors:
        raise ValidationError(errors)
    if unit_item is not None and not merged.get("domain"):
        out["domain"] = catalogue.domain_of(unit_item)
    return out


def _apply(pub: Publication, cleaned: dict) -> None:
    for key, value in cleaned.items():
        setattr(pub, key, value)
    pub.plain_text = text.plain_text(pub.body)
    pub.due_on = pub.compute_due_on()


# --- drafting --------------------------------------------------------------------


@transaction.atomic
def publication_create(*, actor: User, unit: Organisation, **data) -> Publication:
    permissions.require(actor, Role.EDITOR, unit)
    data.setdefault("title", "")
    cleaned = _clean(actor, data, unit=unit)
    pub = Publication(unit=unit, created_by=actor)
    _apply(pub, cleaned)
    if not pub.issuer:
        pub.issuer = unit.name
    pub.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=pub, unit=unit, after=snapshot(pub))
    return pub


@transaction.atomic
def publication_update(*, actor: User, publication: Publication, **data) -> Publication:
    def update(pub: Publication) -> None:
        _apply(pub, _clean(actor, data, unit=pub.unit, instance=pub))

    return transitions.run(
        publication, "edit", actor=actor, action=AuditAction.UPDATE, snapshot_fields=AUDIT_FIELDS, update=update
    )


def _lock(pub: Publication) -> Publication:
    try:
        return Publication.objects.select_for_update().select_related("unit").get(pk=pub.pk)
    except Publication.DoesNotExist as exc:
        raise TransitionRefused(_("该记录已不存在"), code="missing") from exc


@transaction.atomic
def publication_delete(*, actor: User, publication: Publication) -> None:
    pub = _lock(publication)
    transitions.check(pub, "edit", actor)
    if pub.transitions.exists():
        raise TransitionRefused(_("只能删除从未提交审核的草稿"), code="condition")
    if pub.interpretations.exists():
        raise TransitionRefused(_("已有政策解读关联此文件，不能删除"), code="condition")
    audit.record(actor=actor, action=AuditAction.DELETE, obj=pub, unit=pub.unit, before=snapshot(pub))
    files = [a.file.name for a in pub.attachments.all() if a.file]
    storage = Attachment._meta.get_field("file").storage
    pub.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in files if not _file_shared(name)])


def _file_shared(name: str) -> bool:
    return Attachment.objects.filter(file=name).exists()


# --- attachments -----------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor: User, publication: Publication, name: str, data: bytes) -> Attachment:
    pub = _lock(publication)
    transitions.check(pub, "edit", actor)
    checked = uploads.check_file(name, data)
    attachment = Attachment(
        publication=pub,
        name=checked.name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        text=checked.text,
        uploaded_by=actor,
        sort_order=pub.attachments.count(),
    )
    existing = Attachment.objects.filter(sha256=checked.sha256).exclude(file="").first()
    if existing and existing.file.storage.exists(existing.file.name):
        attachment.file.name = existing.file.name  # same bytes already stored: share the file
    else:
        attachment.file.save(checked.name, ContentFile(checked.data), save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action=AuditAction.ATTACHMENT_ADD,
        obj=attachment,
        unit=pub.unit,
        after={"publication": pub.pk, "name": attachment.name, "size": attachment.size, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    pub = _lock(attachment.publication)
    transitions.check(pub, "edit", actor)
    audit.record(
        actor=actor,
        action=AuditAction.ATTACHMENT_REMOVE,
        obj=attachment,
        unit=pub.unit,
        before={"publication": pub.pk, "name": attachment.name, "sha256": attachment.sha256},
    )
    name = attachment.file.name if attachment.file else ""
    storage = attachment.file.storage if attachment.file else None
    attachment.delete()
    if name:
        transaction.on_commit(lambda: None if _file_shared(name) else storage.delete(name))


# --- the catalogue item an item fulfils -------------------------------------------------


@transaction.atomic
def publication_link_unit_item(*, actor: User, publication: Publication, unit_item) -> Publication:
    """Link an item (in any state) to the catalogue item it fulfils, or unlink (None).

    The due date (应公开日期) and, for published items, the late flag follow the catalogue
    item's timeframe."""

    def update(pub: Publication) -> None:
        cleaned = _clean(actor, {"unit_item": unit_item}, unit=pub.unit, instance=pub)
        pub.unit_item = cleaned["unit_item"]
        if cleaned.get("domain") is not None and not pub.domain_id:
            pub.domain = cleaned["domain"]
        pub.due_on = pub.compute_due_on()
        if pub.published_on:
            pub.is_late = pub.compute_is_late()

    pub = transitions.run(
        publication,
        "link_unit_item",
        actor=actor,
        action=AuditAction.LINK_UNIT_ITEM,
        snapshot_fields=AUDIT_FIELDS,
        update=update,
    )
    if pub.state == State.PUBLISHED:
        from .. import indexing

        indexing.schedule(pub)
    return pub

"""Every change of a standard system: create it (with the GB/T 24421 tree), add parts, add,
edit, adopt and repeal standards, attach the text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, permissions, transitions, uploads
from gongkai.core.models import Organisation, Role

from . import indexing
from .models import Node, Standard, StandardSystem, Status
from .structure import STRUCTURE


@audit.register_actions
class StandardsAudit(models.TextChoices):
    SYSTEM_CREATE = "standards.system.create", gettext_lazy("建立标准体系")
    SYSTEM_UPDATE = "standards.system.update", gettext_lazy("修改标准体系")
    NODE_ADD = "standards.node.add", gettext_lazy("增加子体系")
    STANDARD_ADD = "standards.standard.add", gettext_lazy("纳入标准")
    STANDARD_UPDATE = "standards.standard.update", gettext_lazy("修改标准")
    STANDARD_ADOPT = "standards.standard.adopt", gettext_lazy("标准发布实施")
    STANDARD_REPEAL = "standards.standard.repeal", gettext_lazy("废止标准")
    STANDARD_ATTACH = "standards.standard.attach", gettext_lazy("上传标准文本")


# audit.snapshot() cannot serialise an empty FileField (core audit._default reads .url): name the fields
SNAPSHOT = [
    "id",
    "system_id",
    "node_id",
    "level",
    "number",
    "title",
    "status",
    "effective_on",
    "repealed_on",
    "replaced_by",
    "attachment_name",
    "note",
]


def _snap(standard: Standard) -> dict:
    return audit.snapshot(standard, SNAPSHOT)


def _index(standard: Standard) -> Standard:
    transaction.on_commit(lambda: indexing.schedule(standard))
    return standard


def require_editor(actor, unit: Organisation) -> None:
    permissions.require(actor, [Role.EDITOR, Role.REVIEWER], unit)


@transaction.atomic
def system_create(
    *, actor, unit: Organisation, title: str, description: str = "", published_on: dt.date | None = None
) -> StandardSystem:
    require_editor(actor, unit)
    if StandardSystem.objects.filter(unit=unit).exists():
        raise ValidationError(_("该单位已建立标准体系"))
    system = StandardSystem.objects.create(unit=unit, title=title, description=description, published_on=published_on)
    for i, (code, name, parts) in enumerate(STRUCTURE):
        parent = Node.objects.create(system=system, code=code, name=name, sort_order=i * 100)
        for j, (part_code, part_name) in enumerate(parts, start=1):
            Node.objects.create(system=system, parent=parent, code=part_code, name=part_name, sort_order=i * 100 + j)
    audit.record(actor=actor, action=StandardsAudit.SYSTEM_CREATE, obj=system, unit=unit, after=audit.snapshot(system))
    return system


@transaction.atomic
def node_add(*, actor, system: StandardSystem, parent: Node | None, code: str, name: str) -> Node:
    require_editor(actor, system.unit)
    if parent is not None and parent.system_id != system.pk:
        raise ValidationError({"parent": [_("上级子体系不属于该标准体系")]})
    if system.nodes.filter(code=code).exists():
        raise ValidationError({"code": [_("编号“%(code)s”已存在") % {"code": code}]})
    order = (system.nodes.aggregate(m=models.Max("sort_order"))["m"] or 0) + 1
    node = Node.objects.create(system=system, parent=parent, code=code, name=name, sort_order=order)
    audit.record(actor=actor, action=StandardsAudit.NODE_ADD, obj=node, unit=system.unit, after=audit.snapshot(node))
    return node


FIELDS = ("node", "level", "number", "title", "effective_on", "replaced_by", "note")


def _check(system: StandardSystem, data: dict[str, Any], exclude_pk=None) -> None:
    errors = {}
    node = data.get("node")
    if node is not None and node.system_id != system.pk:
        errors["node"] = [_("子体系不属于该标准体系")]
    number = (data.get("number") or "").strip()
    if number and system.standards.filter(number=number).exclude(pk=exclude_pk).exists():
        errors["number"] = [_("标准编号“%(n)s”已在体系中") % {"n": number}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def standard_add(*, actor, system: StandardSystem, data: dict[str, Any], drafting: bool = False) -> Standard:
    require_editor(actor, system.unit)
    _check(system, data)
    standard = Standard(
        system=system,
        created_by=actor if getattr(actor, "pk", None) else None,
        status=Status.DRAFTING if drafting else Status.CURRENT,
        **{k: data[k] for k in FIELDS if k in data},
    )
    standard.full_clean(exclude=["status", "attachment"])
    standard.save()
    audit.record(actor=actor, action=StandardsAudit.STANDARD_ADD, obj=standard, unit=system.unit, after=_snap(standard))
    return _index(standard)


@transaction.atomic
def standard_update(*, actor, standard: Standard, data: dict[str, Any]) -> Standard:
    require_editor(actor, standard.system.unit)
    locked = Standard.objects.select_for_update().select_related("system").get(pk=standard.pk)
    _check(locked.system, data, exclude_pk=locked.pk)
    before = _snap(locked)
    for key in FIELDS:
        if key in data:
            setattr(locked, key, data[key])
    locked.full_clean(exclude=["status", "attachment"])
    locked.save()
    audit.record(
        actor=actor,
        action=StandardsAudit.STANDARD_UPDATE,
        obj=locked,
        unit=locked.system.unit,
        before=before,
        after=_snap(locked),
    )
    return _index(locked)


@transaction.atomic
def standard_adopt(*, actor, standard: Standard, effective_on: dt.date | None = None) -> Standard:
    def update(obj):
        if effective_on:
            obj.effective_on = effective_on

    return _index(
        transitions.run(
            standard,
            "adopt",
            actor=actor,
            action=StandardsAudit.STANDARD_ADOPT,
            unit=lambda s: s.system.unit,
            update=update,
            snapshot_fields=SNAPSHOT,
        )
    )


@transaction.atomic
def standard_repeal(
    *, actor, standard: Standard, repealed_on: dt.date | None = None, replaced_by: str = ""
) -> Standard:
    def update(obj):
        if repealed_on:
            obj.repealed_on = repealed_on
        if replaced_by:
            obj.replaced_by = replaced_by

    return _index(
        transitions.run(
            standard,
            "repeal",
            actor=actor,
            action=StandardsAudit.STANDARD_REPEAL,
            unit=lambda s: s.system.unit,
            update=update,
            snapshot_fields=SNAPSHOT,
        )
    )


@transaction.atomic
def standard_attach(*, actor, standard: Standard, name: str, data: bytes) -> Standard:
    """Attach the standard's text (PDF or DOCX, checked by content)."""
    require_editor(actor, standard.system.unit)
    checked = uploads.check_file(name, data, allowed={"pdf", "docx"}, extract=False)
    locked = Standard.objects.select_for_update().select_related("system").get(pk=standard.pk)
    locked.attachment.save(checked.name, ContentFile(checked.data), save=False)
    locked.attachment_name = checked.name
    locked.save()
    audit.record(
        actor=actor,
        action=StandardsAudit.STANDARD_ATTACH,
        obj=locked,
        unit=locked.system.unit,
        after={"attachment": checked.name, "sha256": checked.sha256},
    )
    return locked

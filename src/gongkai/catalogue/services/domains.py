"""Domains (公开领域) and element templates: kept by a 政务公开办, national ones by a system administrator."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gongkai.core import audit, chinese
from gongkai.core.models import Organisation, User

from .. import elements as el
from ..audit import AuditAction
from ..builtin import ensure_builtin
from ..models import Domain, ElementDefinition, ElementTemplate, ElementType
from ._common import configuration, sysadmin

ELEMENT_SPEC_FIELDS = ("key", "name", "type", "required", "allowed_values", "aliases", "help_text")


def _slug(name: str, fallback: str, model, field: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", chinese.pinyin_key(name))[:30].strip("-") or fallback
    candidate, n = base, 2
    while model.objects.filter(**{field: candidate}).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _domain_name(name: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写领域名称")})
    clash = Domain.objects.filter(name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": _("领域“%(name)s”已存在") % {"name": name}})
    return name


def _domain_authority(actor: User | None, owner_unit: Organisation | None) -> None:
    if owner_unit is None:
        sysadmin(actor, _("国家试点领域"))
    else:
        configuration(actor, owner_unit)


@transaction.atomic
def domain_create(
    *, actor: User | None, owner_unit: Organisation | None, name: str, description: str = "", code: str = ""
) -> Domain:
    """A local domain (地方自选领域), owned by a disclosure office's unit."""
    _domain_authority(actor, owner_unit)
    name = _domain_name(name)
    order = (Domain.objects.aggregate(m=Max("sort_order"))["m"] or 0) + 10
    domain = Domain.objects.create(
        code=code or _slug(name, "domain", Domain, "code"),
        name=name,
        description=description,
        owner_unit=owner_unit,
        is_national=owner_unit is None,
        sort_order=order,
    )
    audit.record(
        actor=actor, action=AuditAction.DOMAIN_CREATE, obj=domain, unit=owner_unit, after=audit.snapshot(domain)
    )
    return domain


@transaction.atomic
def domain_update(*, actor: User | None, domain: Domain, **data) -> Domain:
    allowed = {"name", "description", "sort_order", "is_active"}
    if set(data) - allowed:
        raise TypeError(f"unknown fields {set(data) - allowed}")
    _domain_authority(actor, None if domain.is_national else domain.owner_unit)
    before = audit.snapshot(domain)
    if "name" in data:
        data["name"] = _domain_name(data["name"], exclude=domain.pk)
    for k, v in data.items():
        setattr(domain, k, v)
    domain.save()
    audit.record(
        actor=actor,
        action=AuditAction.DOMAIN_UPDATE,
        obj=domain,
        unit=domain.owner_unit,
        before=before,
        after=audit.snapshot(domain),
    )
    return domain


# --- element templates ---------------------------------------------------------------


def _template_authority(actor: User | None, template: ElementTemplate) -> None:
    if template.is_builtin or template.owner_unit is None:
        sysadmin(actor, _("内置要素模板"))
    else:
        configuration(actor, template.owner_unit)


def _clean_list(value) -> list[str]:
    value = value or []
    return el.split_values(value) if isinstance(value, str) else list(value)


def _clean_element(spec: dict) -> dict:
    key = re.sub(r"[^a-z0-9_-]", "", (spec.get("key") or "").strip().lower())
    name = (spec.get("name") or "").strip()
    etype = spec.get("type") or ElementType.TEXT
    if not name:
        raise ValidationError({"name": _("请填写要素名称")})
    if etype not in ElementType.values:
        raise ValidationError({"type": _("未知的要素类型“%(type)s”") % {"type": etype}})
    if not key:
        key = re.sub(r"[^a-z0-9]+", "_", chinese.pinyin_key(name))[:30].strip("_") or "element"
    allowed = _clean_list(spec.get("allowed_values"))
    if etype in (ElementType.CHOICE, ElementType.MULTICHOICE) and not allowed:
        raise ValidationError({"allowed_values": _("单选或多选要素必须列出可选值")})
    return {
        "key": key,
        "name": name,
        "type": etype,
        "required": bool(spec.get("required")),
        "allowed_values": allowed,
        "aliases": _clean_list(spec.get("aliases")),
        "help_text": (spec.get("help_text") or "")[:200],
    }


@transaction.atomic
def template_create(
    *,
    actor: User | None,
    owner_unit: Organisation,
    name: str,
    description: str = "",
    elements: Iterable[dict] = (),
    copy_from: ElementTemplate | None = None,
) -> ElementTemplate:
    configuration(actor, owner_unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写模板名称")})
    template = ElementTemplate.objects.create(
        key=_slug(name, "template", ElementTemplate, "key"), name=name, description=description, owner_unit=owner_unit
    )
    specs = [
        {f: getattr(d, f) for f in ELEMENT_SPEC_FIELDS} for d in (copy_from.ordered_elements() if copy_from else [])
    ] + list(elements)
    if not any(s.get("type") == ElementType.NAME for s in specs):
        specs.insert(0, {"key": "name", "name": "事项名称", "type": ElementType.NAME, "required": True})
    seen = set()
    for order, spec in enumerate(specs, start=1):
        clean = _clean_element(spec)
        if clean["key"] in seen:
            raise ValidationError({"key": _("要素代码“%(key)s”重复") % {"key": clean["key"]}})
        seen.add(clean["key"])
        ElementDefinition.objects.create(template=template, order=order * 10, **clean)
    audit.record(
        actor=actor,
        action=AuditAction.TEMPLATE_CREATE,
        obj=template,
        unit=owner_unit,
        after={**audit.snapshot(template), "elements": [d.key for d in template.ordered_elements()]},
    )
    return template


@transaction.atomic
def element_add(*, actor: User | None, template: ElementTemplate, **spec) -> ElementDefinition:
    _template_authority(actor, template)
    clean = _clean_element(spec)
    if template.elements.filter(key=clean["key"]).exists():
        raise ValidationError({"key": _("要素代码“%(key)s”已存在") % {"key": clean["key"]}})
    if clean["type"] == ElementType.NAME and template.elements.filter(type=ElementType.NAME).exists():
        raise ValidationError({"type": _("一个模板只能有一个“事项名称”要素")})
    if clean["type"] == ElementType.TIMEFRAME and template.elements.filter(type=ElementType.TIMEFRAME).exists():
        raise ValidationError({"type": _("一个模板只能有一个“公开时限”要素")})
    order = (template.elements.aggregate(m=Max("order"))["m"] or 0) + 10
    element = ElementDefinition.objects.create(template=template, order=spec.get("order") or order, **clean)
    audit.record(
        actor=actor,
        action=AuditAction.ELEMENT_ADD,
        obj=element,
        unit=template.owner_unit,
        after=audit.snapshot(element),
    )
    return element


@transaction.atomic
def element_update(*, actor: User | None, element: ElementDefinition, **spec) -> ElementDefinition:
    template = element.template
    _template_authority(actor, template)
    before = audit.snapshot(element)
    clean = _clean_element({**before, **spec, "key": element.key})
    for k, v in clean.items():
        setattr(element, k, v)
    if "order" in spec:
        element.order = int(spec["order"])
    element.save()
    audit.record(
        actor=actor,
        action=AuditAction.ELEMENT_UPDATE,
        obj=element,
        unit=template.owner_unit,
        before=before,
        after=audit.snapshot(element),
    )
    return element


@transaction.atomic
def element_remove(*, actor: User | None, element: ElementDefinition) -> None:
    template = element.template
    _template_authority(actor, template)
    if element.type == ElementType.NAME:
        raise ValidationError(_("“事项名称”要素不能删除"))
    before = audit.snapshot(element)
    element.delete()
    audit.record(
        actor=actor,
        action=AuditAction.ELEMENT_REMOVE,
        object_type="catalogue.elementdefinition",
        object_id=before["id"],
        object_repr=f"{template.name} · {before['name']}",
        unit=template.owner_unit,
        before=before,
    )


def ensure_reference_data() -> None:
    """National domains and built-in templates (also loaded by migration 0002)."""
    ensure_builtin(Domain, ElementTemplate, ElementDefinition)

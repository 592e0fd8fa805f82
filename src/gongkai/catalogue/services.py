"""Every state change of the catalogue app: one transaction, authorised, audited.

Authority (RULES.md "Standard catalogues"; permissions.py):
- domains, element templates and standard catalogues are kept by a 政务公开办
  (disclosure office) — at the owning unit or any unit above it; built-in
  templates and national domains only by a system administrator;
- a unit's own list: its editors, leaders (and the overseeing office) add, edit and
  drop local items and set responsible units; mandatory standard items cannot be dropped.
``actor=None`` means the system (migrations, demo loader, management commands run by
an operator who chose ``--as`` nobody).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core import audit, chinese, permissions
from gongkai.core.models import Organisation, Role, User

from . import elements as el
from . import search_sources
from .builtin import ensure_builtin
from .models import (
    Catalogue,
    CatalogueItem,
    CatalogueVersion,
    Domain,
    ElementDefinition,
    ElementTemplate,
    ElementType,
    RetiredKind,
    UnitItem,
    UnitList,
    VersionStatus,
)

UNIT_LIST_ROLES = [Role.EDITOR, Role.LEADER, Role.DISCLOSURE_OFFICE]
ITEM_FIELDS = ("level1", "name", "elements", "mandatory", "timeframe_text", "sort_order")


# --- authority helpers -------------------------------------------------------------


def _office(actor: User | None, unit: Organisation) -> None:
    if actor is None:
        return
    permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], unit)


def _sysadmin(actor: User | None, what: str) -> None:
    if actor is not None and not permissions.is_sysadmin(actor):
        raise PermissionDenied(f"{what}只能由系统管理员修改")


def _draft(version: CatalogueVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError("已发布的版本不能修改，请先“新建修订版本”")


def _unit_list_actor(actor: User | None, unit: Organisation) -> None:
    if actor is None:
        return
    permissions.require(actor, UNIT_LIST_ROLES + [Role.SYSADMIN], unit)


def new_key(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:16]


def item_key_for(level1: str, name: str) -> str:
    """A stable key derived from the normalised names (used by imports so re-imports diff cleanly)."""
    import hashlib

    base = chinese.normalise(f"{level1.strip()}|{(name or '').strip()}")
    base = re.sub(r"\s+", "", base)
    return "k" + hashlib.sha1(base.encode(), usedforsecurity=False).hexdigest()[:20]


# --- domains -----------------------------------------------------------------------


def _domain_code(name: str) -> str:
    code = re.sub(r"[^a-z0-9]+", "-", chinese.pinyin_key(name))[:30].strip("-") or "domain"
    candidate, n = code, 2
    while Domain.objects.filter(code=candidate).exists():
        candidate = f"{code}-{n}"
        n += 1
    return candidate


@transaction.atomic
def domain_create(
    *, actor: User | None, owner_unit: Organisation | None, name: str, description: str = "", code: str = ""
) -> Domain:
    """A local domain (地方自选领域), owned by a disclosure office's unit."""
    name = (name or "").strip()
    if owner_unit is None:
        _sysadmin(actor, "国家试点领域")
    else:
        _office(actor, owner_unit)
    if not name:
        raise ValidationError({"name": "请填写领域名称"})
    if Domain.objects.filter(name=name).exists():
        raise ValidationError({"name": f"领域“{name}”已存在"})
    order = (Domain.objects.aggregate(m=Max("sort_order"))["m"] or 0) + 10
    domain = Domain.objects.create(
        code=code or _domain_code(name),
        name=name,
        description=description,
        owner_unit=owner_unit,
        is_national=owner_unit is None,
        sort_order=order,
    )
    audit.record(
        actor=actor, action="catalogue.domain.create", obj=domain, unit=owner_unit, after=audit.snapshot(domain)
    )
    return domain


@transaction.atomic
def domain_update(*, actor: User | None, domain: Domain, **data) -> Domain:
    allowed = {"name", "description", "sort_order", "is_active"}
    if set(data) - allowed:
        raise TypeError(f"unknown fields {set(data) - allowed}")
    if domain.is_national or domain.owner_unit is None:
        _sysadmin(actor, "国家试点领域")
    else:
        _office(actor, domain.owner_unit)
    before = audit.snapshot(domain)
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            raise ValidationError({"name": "请填写领域名称"})
        if Domain.objects.filter(name=data["name"]).exclude(pk=domain.pk).exists():
            raise ValidationError({"name": f"领域“{data['name']}”已存在"})
    for k, v in data.items():
        setattr(domain, k, v)
    domain.save()
    audit.record(
        actor=actor,
        action="catalogue.domain.update",
        obj=domain,
        unit=domain.owner_unit,
        before=before,
        after=audit.snapshot(domain),
    )
    return domain


# --- element templates ---------------------------------------------------------------


def _template_authority(actor: User | None, template: ElementTemplate) -> None:
    if template.is_builtin or template.owner_unit is None:
        _sysadmin(actor, "内置要素模板")
    else:
        _office(actor, template.owner_unit)


def _template_key(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", chinese.pinyin_key(name))[:30].strip("-") or "template"
    candidate, n = base, 2
    while ElementTemplate.objects.filter(key=candidate).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _clean_element(spec: dict) -> dict:
    key = re.sub(r"[^a-z0-9_-]", "", (spec.get("key") or "").strip().lower())
    name = (spec.get("name") or "").strip()
    etype = spec.get("type") or ElementType.TEXT
    if not name:
        raise ValidationError({"name": "请填写要素名称"})
    if etype not in ElementType.values:
        raise ValidationError({"type": f"未知的要素类型“{etype}”"})
    if not key:
        key = re.sub(r"[^a-z0-9]+", "_", chinese.pinyin_key(name))[:30].strip("_") or "element"
    allowed = spec.get("allowed_values") or []
    if isinstance(allowed, str):
        allowed = el.split_values(allowed)
    if etype in (ElementType.CHOICE, ElementType.MULTICHOICE) and not allowed:
        raise ValidationError({"allowed_values": "单选或多选要素必须列出可选值"})
    aliases = spec.get("aliases") or []
    if isinstance(aliases, str):
        aliases = el.split_values(aliases)
    return {
        "key": key,
        "name": name,
        "type": etype,
        "required": bool(spec.get("required")),
        "allowed_values": list(allowed),
        "aliases": list(aliases),
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
    _office(actor, owner_unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写模板名称"})
    template = ElementTemplate.objects.create(
        key=_template_key(name), name=name, description=description, owner_unit=owner_unit
    )
    specs = [
        {f: getattr(d, f) for f in ("key", "name", "type", "required", "allowed_values", "aliases", "help_text")}
        for d in (copy_from.ordered_elements() if copy_from else [])
    ] + list(elements)
    if not any(s.get("type") == ElementType.NAME for s in specs):
        specs.insert(0, {"key": "name", "name": "事项名称", "type": ElementType.NAME, "required": True})
    seen = set()
    for order, spec in enumerate(specs, start=1):
        clean = _clean_element(spec)
        if clean["key"] in seen:
            raise ValidationError({"key": f"要素代码“{clean['key']}”重复"})
        seen.add(clean["key"])
        ElementDefinition.objects.create(template=template, order=order * 10, **clean)
    audit.record(
        actor=actor,
        action="catalogue.template.create",
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
        raise ValidationError({"key": f"要素代码“{clean['key']}”已存在"})
    if clean["type"] == ElementType.NAME and template.elements.filter(type=ElementType.NAME).exists():
        raise ValidationError({"type": "一个模板只能有一个“事项名称”要素"})
    if clean["type"] == ElementType.TIMEFRAME and template.elements.filter(type=ElementType.TIMEFRAME).exists():
        raise ValidationError({"type": "一个模板只能有一个“公开时限”要素"})
    order = (template.elements.aggregate(m=Max("order"))["m"] or 0) + 10
    element = ElementDefinition.objects.create(template=template, order=spec.get("order") or order, **clean)
    audit.record(
        actor=actor,
        action="catalogue.element.add",
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
        action="catalogue.element.update",
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
        raise ValidationError("“事项名称”要素不能删除")
    before = audit.snapshot(element)
    element.delete()
    audit.record(
        actor=actor,
        action="catalogue.element.remove",
        object_type="catalogue.elementdefinition",
        object_id=before["id"],
        object_repr=f"{template.name} · {before['name']}",
        unit=template.owner_unit,
        before=before,
    )


# --- catalogues and versions -----------------------------------------------------------


@transaction.atomic
def catalogue_create(
    *,
    actor: User | None,
    owner: Organisation,
    domain: Domain,
    template: ElementTemplate,
    target_kind: str,
    target_level: str,
    title: str = "",
    description: str = "",
) -> Catalogue:
    _office(actor, owner)
    if Catalogue.objects.filter(
        owner=owner, domain=domain, target_kind=target_kind, target_level=target_level
    ).exists():
        raise ValidationError("本单位已有该领域、该类型和层级的标准目录")
    from gongkai.core.models import Level, OrgKind

    if target_kind not in OrgKind.values or target_level not in Level.values:
        raise ValidationError("适用单位类型或层级无效")
    title = (
        title.strip()
        or f"{owner.display_name}{domain.name}领域{Level(target_level).label}{OrgKind(target_kind).label}公开标准目录"
    )
    catalogue = Catalogue.objects.create(
        owner=owner,
        domain=domain,
        template=template,
        target_kind=target_kind,
        target_level=target_level,
        title=title[:120],
        description=description,
    )
    CatalogueVersion.objects.create(catalogue=catalogue, number=1, created_by=actor if actor and actor.pk else None)
    audit.record(
        actor=actor, action="catalogue.catalogue.create", obj=catalogue, unit=owner, after=audit.snapshot(catalogue)
    )
    return catalogue


@transaction.atomic
def catalogue_update(*, actor: User | None, catalogue: Catalogue, **data) -> Catalogue:
    _office(actor, catalogue.owner)
    allowed = {"title", "description", "template"}
    if set(data) - allowed:
        raise TypeError(f"unknown fields {set(data) - allowed}")
    if "template" in data and data["template"] != catalogue.template and catalogue.latest_published():
        raise ValidationError("目录已发布过版本，不能更换要素模板；请新建目录")
    before = audit.snapshot(catalogue)
    for k, v in data.items():
        setattr(catalogue, k, v)
    catalogue.save()
    audit.record(
        actor=actor,
        action="catalogue.catalogue.update",
        obj=catalogue,
        unit=catalogue.owner,
        before=before,
        after=audit.snapshot(catalogue),
    )
    return catalogue


@transaction.atomic
def version_start_draft(*, actor: User | None, catalogue: Catalogue, note: str = "") -> CatalogueVersion:
    """A new draft revision, starting as a copy of the latest published version."""
    _office(actor, catalogue.owner)
    Catalogue.objects.select_for_update().filter(pk=catalogue.pk).first()
    if catalogue.current_draft():
        raise ValidationError("该目录已有未发布的草稿版本")
    previous = catalogue.latest_published()
    number = (catalogue.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = CatalogueVersion.objects.create(
        catalogue=catalogue,
        number=number,
        note=note[:200],
        based_on=previous,
        created_by=actor if actor and actor.pk else None,
    )
    if previous:
        CatalogueItem.objects.bulk_create(
            [
                CatalogueItem(
                    version=version,
                    item_key=i.item_key,
                    sort_order=i.sort_order,
                    level1=i.level1,
                    name=i.name,
                    elements=i.elements,
                    mandatory=i.mandatory,
                    timeframe_text=i.timeframe_text,
                    timeframe_rule=i.timeframe_rule,
                    search_text=i.search_text,
                )
                for i in previous.items.all()
            ],
            batch_size=1000,
        )
    audit.record(
        actor=actor, action="catalogue.version.create", obj=version, unit=catalogue.owner, after={"number": number}
    )
    return version


@transaction.atomic
def version_discard(*, actor: User | None, version: CatalogueVersion) -> None:
    catalogue = version.catalogue
    _office(actor, catalogue.owner)
    _draft(version)
    if catalogue.versions.count() == 1:
        raise ValidationError("目录的第一个版本不能删除，可直接修改草稿")
    before = {"number": version.number, "items": version.items.count()}
    pk = version.pk
    version.items.all().delete()
    version.delete()
    audit.record(
        actor=actor,
        action="catalogue.version.discard",
        object_type="catalogue.catalogueversion",
        object_id=pk,
        object_repr=f"{catalogue.title} 第{before['number']}版",
        unit=catalogue.owner,
        before=before,
    )


def _checked(version: CatalogueVersion, *, level1, name, elements, timeframe_text) -> el.ElementCheck:
    result = el.check(
        version.catalogue.template, level1=level1, name=name, elements=elements or {}, timeframe_text=timeframe_text
    )
    if result.errors:
        raise ValidationError(result.errors)
    return result


@transaction.atomic
def item_add(
    *,
    actor: User | None,
    version: CatalogueVersion,
    level1: str,
    name: str = "",
    elements: dict | None = None,
    timeframe_text: str = "",
    mandatory: bool = True,
    item_key: str = "",
    sort_order: int | None = None,
) -> CatalogueItem:
    _office(actor, version.catalogue.owner)
    _draft(version)
    level1, name = (level1 or "").strip(), (name or "").strip()
    checked = _checked(version, level1=level1, name=name, elements=elements, timeframe_text=timeframe_text)
    norm = chinese.normalise(f"{level1}|{name}")
    if any(chinese.normalise(f"{a}|{b}") == norm for a, b in version.items.values_list("level1", "name")):
        raise ValidationError(f"本版本已有事项“{level1} {name}”".strip())
    key = item_key or item_key_for(level1, name)
    if version.items.filter(item_key=key).exists():
        key = new_key("k")  # the name-derived key is held by an item that was renamed since
    if sort_order is None:
        sort_order = (version.items.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    item = CatalogueItem.objects.create(
        version=version,
        item_key=key,
        sort_order=sort_order,
        level1=level1,
        name=name,
        elements=checked.elements,
        mandatory=mandatory,
        timeframe_text=timeframe_text.strip(),
        timeframe_rule=checked.timeframe_rule,
        search_text=el.search_text(level1, name, checked.elements, timeframe_text),
    )
    audit.record(
        actor=actor, action="catalogue.item.add", obj=item, unit=version.catalogue.owner, after=audit.snapshot(item)
    )
    return item


@transaction.atomic
def item_update(*, actor: User | None, item: CatalogueItem, **data) -> CatalogueItem:
    version = item.version
    _office(actor, version.catalogue.owner)
    _draft(version)
    if set(data) - set(ITEM_FIELDS):
        raise TypeError(f"unknown fields {set(data) - set(ITEM_FIELDS)}")
    before = audit.snapshot(item)
    merged = {f: data.get(f, getattr(item, f)) for f in ITEM_FIELDS}
    merged["level1"] = (merged["level1"] or "").strip()
    merged["name"] = (merged["name"] or "").strip()
    checked = _checked(
        version,
        level1=merged["level1"],
        name=merged["name"],
        elements=merged["elements"],
        timeframe_text=merged["timeframe_text"],
    )
    norm = chinese.normalise(f"{merged['level1']}|{merged['name']}")
    others = version.items.exclude(pk=item.pk).values_list("level1", "name")
    if any(chinese.normalise(f"{a}|{b}") == norm for a, b in others):
        raise ValidationError(f"本版本已有事项“{merged['level1']} {merged['name']}”".strip())
    for f in ITEM_FIELDS:
        setattr(item, f, merged[f])
    item.elements = checked.elements
    item.timeframe_text = (merged["timeframe_text"] or "").strip()
    item.timeframe_rule = checked.timeframe_rule
    item.search_text = el.search_text(item.level1, item.name, item.elements, item.timeframe_text)
    item.save()
    audit.record(
        actor=actor,
        action="catalogue.item.update",
        obj=item,
        unit=version.catalogue.owner,
        before=before,
        after=audit.snapshot(item),
    )
    return item


@transaction.atomic
def item_delete(*, actor: User | None, item: CatalogueItem) -> None:
    version = item.version
    _office(actor, version.catalogue.owner)
    _draft(version)
    before = audit.snapshot(item)
    item.delete()
    audit.record(
        actor=actor,
        action="catalogue.item.delete",
        object_type="catalogue.catalogueitem",
        object_id=before["id"],
        object_repr=f"{before['level1']} {before['name']}".strip(),
        unit=version.catalogue.owner,
        before=before,
    )


@dataclass
class ItemRow:
    """One validated row for :func:`items_replace` (imports)."""

    level1: str
    name: str
    elements: dict
    timeframe_text: str
    timeframe_rule: dict
    mandatory: bool = True
    item_key: str = ""


@transaction.atomic
def items_replace(*, actor: User | None, version: CatalogueVersion, rows: list[ItemRow], source: str = "") -> int:
    """Replace all items of a draft with already-validated rows (bulk path used by imports)."""
    _office(actor, version.catalogue.owner)
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    removed = version.items.count()
    version.items.all().delete()
    seen: set[str] = set()
    values = []
    for n, row in enumerate(rows, start=1):
        key = row.item_key or item_key_for(row.level1, row.name)
        if key in seen:
            raise ValidationError(f"事项重复：{row.level1} {row.name}")
        seen.add(key)
        values.append(
            (
                key,
                n,
                row.level1,
                row.name,
                row.elements,
                row.mandatory,
                row.timeframe_text,
                row.timeframe_rule,
                el.search_text(row.level1, row.name, row.elements, row.timeframe_text),
            )
        )
    _insert_items(version, values)
    audit.record(
        actor=actor,
        action="catalogue.version.import",
        obj=version,
        unit=version.catalogue.owner,
        before={"items": removed},
        after={"items": len(values), "source": source[:200]},
    )
    return len(values)


def _insert_items(version: CatalogueVersion, values: list[tuple]) -> None:
    """Insert validated rows with one prepared statement (executemany): a province-size import
    spends its time reading the spreadsheet, not compiling 20,000 ORM INSERTs."""
    from django.db import connection

    ops, qn = connection.ops, connection.ops.quote_name
    cols = [
        "version_id",
        "item_key",
        "sort_order",
        "level1",
        "name",
        "elements",
        "mandatory",
        "timeframe_text",
        "timeframe_rule",
        "search_text",
    ]
    sql = f"INSERT INTO {qn(CatalogueItem._meta.db_table)} ({', '.join(qn(c) for c in cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    params = [
        (
            version.pk,
            key,
            n,
            level1,
            name,
            ops.adapt_json_value(elements, None),
            mandatory,
            tf_text,
            ops.adapt_json_value(tf_rule, None),
            text,
        )
        for key, n, level1, name, elements, mandatory, tf_text, tf_rule, text in values
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


# --- diff ----------------------------------------------------------------------------------


def _item_state(item: CatalogueItem) -> dict:
    return {
        "level1": item.level1,
        "name": item.name,
        "mandatory": item.mandatory,
        "timeframe_text": item.timeframe_text,
        "elements": item.elements or {},
    }


def compute_diff(previous: CatalogueVersion | None, current: CatalogueVersion) -> dict:
    """Added / removed / changed items (by item_key) and the changed elements of each."""
    template = current.catalogue.template
    labels = {d.key: d.name for d in template.ordered_elements()}
    labels.update({"level1": "一级事项", "name": "二级事项", "mandatory": "必选事项", "timeframe_text": "公开时限"})
    old = {i.item_key: i for i in previous.items.all()} if previous else {}
    new = {i.item_key: i for i in current.items.all()}
    added = [{"key": k, "name": new[k].display_name} for k in new if k not in old]
    removed = [{"key": k, "name": old[k].display_name} for k in old if k not in new]
    changed = []
    for key in new.keys() & old.keys():
        a, b = _item_state(old[key]), _item_state(new[key])
        changes = []
        for f in ("level1", "name", "mandatory", "timeframe_text"):
            if a[f] != b[f]:
                changes.append({"field": f, "label": labels[f], "old": a[f], "new": b[f]})
        for ek in sorted(
            set(a["elements"]) | set(b["elements"]), key=lambda k: list(labels).index(k) if k in labels else 999
        ):
            va, vb = a["elements"].get(ek), b["elements"].get(ek)
            if va != vb:
                changes.append(
                    {"field": ek, "label": labels.get(ek, ek), "old": el.display_value(va), "new": el.display_value(vb)}
                )
        if changes:
            changed.append({"key": key, "name": new[key].display_name, "changes": changes})
    order = {k: i for i, k in enumerate(new)}
    changed.sort(key=lambda c: order.get(c["key"], 0))
    return {
        "previous": previous.number if previous else None,
        "added": added,
        "removed": removed,
        "changed": changed,
        "summary": {"added": len(added), "removed": len(removed), "changed": len(changed), "total": len(new)},
    }


# --- publish and derive ----------------------------------------------------------------------


@transaction.atomic
def version_publish(*, actor: User | None, version: CatalogueVersion, note: str = "") -> dict:
    """Publish a draft (immutable afterwards) and derive every matching unit's list."""
    catalogue = version.catalogue
    _office(actor, catalogue.owner)
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    if not version.items.exists():
        raise ValidationError("草稿中没有事项，不能发布")
    template = catalogue.template
    defs = template.ordered_elements()
    problems = []
    for item in version.items.all():
        result = el.check(
            template,
            level1=item.level1,
            name=item.name,
            elements=item.elements,
            timeframe_text=item.timeframe_text,
            definitions=defs,
        )
        if result.errors:
            problems.append(f"{item.display_name}：{'；'.join(result.errors)}")
    if problems:
        raise ValidationError(["以下事项要素不完整，请修改后再发布："] + problems[:20])
    previous = catalogue.latest_published()
    diff = compute_diff(previous, version)
    version.publish()
    version.diff = diff
    version.published_at = timezone.now()
    version.published_by = actor if actor and actor.pk else None
    if note:
        version.note = note[:200]
    version.save()
    derived = derive_unit_lists(version)
    audit.record(
        actor=actor,
        action="catalogue.version.publish",
        obj=version,
        unit=catalogue.owner,
        after={"number": version.number, "diff": diff["summary"], "derived": derived},
    )
    search_sources.version_published(version)
    return {"diff": diff, "derived": derived}


def target_units(catalogue: Catalogue):
    """Units that get a list: of the catalogue's kind and level, at or below the owner
    (restricted to ``target_units`` when the office named them, e.g. a domain's lead department)."""
    qs = catalogue.owner.descendants(include_self=True).filter(
        kind=catalogue.target_kind, level=catalogue.target_level, is_active=True
    )
    if catalogue.pk and catalogue.target_units.exists():
        qs = qs.filter(pk__in=catalogue.target_units.values("pk"))
    return qs


@transaction.atomic
def catalogue_set_target_units(*, actor: User | None, catalogue: Catalogue, units: Iterable[Organisation]) -> Catalogue:
    _office(actor, catalogue.owner)
    units = list(units)
    for u in units:
        if not (
            u.path.startswith(catalogue.owner.path)
            and u.kind == catalogue.target_kind
            and u.level == catalogue.target_level
        ):
            raise ValidationError(f"“{u.name}”不是本目录适用类型和层级的下属单位")
    before = sorted(catalogue.target_units.values_list("pk", flat=True))
    catalogue.target_units.set(units)
    audit.record(
        actor=actor,
        action="catalogue.catalogue.targets",
        obj=catalogue,
        unit=catalogue.owner,
        before={"target_units": before},
        after={"target_units": sorted(u.pk for u in units)},
    )
    return catalogue


def derive_unit_lists(version: CatalogueVersion, *, batch_size: int = 2000) -> dict:
    """Create or update every matching unit's list from a published version (set-based; in the caller's transaction).

    - new standard items are added to every list (responsible unit = the unit itself);
    - existing derived items take the new names, elements, timeframe and mandatory flag (one
      UPDATE per standard item across all units); items a unit dropped stay dropped unless
      they became mandatory; items withdrawn earlier and now back are reactivated;
    - items no longer in the standard are retired (kept for content linked to them);
    - local items and each unit's own details (responsible unit, column, note) are never touched.
    """
    from django.db.models import Q

    catalogue = version.catalogue
    now = timezone.now()
    units = list(target_units(catalogue).values_list("id", flat=True))
    std = list(version.items.all())
    lists = dict(UnitList.objects.filter(catalogue=catalogue).values_list("unit_id", "id"))
    new_lists = [
        UnitList(unit_id=u, catalogue=catalogue, version=version, adopted_at=now) for u in units if u not in lists
    ]
    UnitList.objects.bulk_create(new_lists, batch_size=batch_size)
    if new_lists:
        lists = dict(UnitList.objects.filter(catalogue=catalogue).values_list("unit_id", "id"))
    UnitList.objects.filter(catalogue=catalogue, unit_id__in=units).update(version=version, adopted_at=now)
    std_keys = [i.item_key for i in std]
    std_text = {
        i.item_key: i.search_text or el.search_text(i.level1, i.name, i.elements, i.timeframe_text) for i in std
    }
    stats = {
        "units": len(units),
        "lists_created": len(new_lists),
        "items_created": 0,
        "items_updated": 0,
        "items_retired": 0,
    }
    derived = UnitItem.objects.filter(unit_list__catalogue=catalogue, is_local=False)

    # Existing derived items: one UPDATE per standard item, across every unit's list.
    for item in std if derived.exists() else []:
        same = derived.filter(item_key=item.item_key)
        revive = Q(retired_kind=RetiredKind.WITHDRAWN) | (Q(pk__isnull=False) if item.mandatory else Q(pk__isnull=True))
        same.filter(is_active=False).filter(revive).update(is_active=True, retired_kind="", retired_reason="")
        stats["items_updated"] += same.update(
            source_item=item,
            mandatory=item.mandatory,
            sort_order=item.sort_order,
            level1=item.level1,
            name=item.name,
            elements=item.elements,
            timeframe_text=item.timeframe_text,
            timeframe_rule=item.timeframe_rule,
            search_text=std_text[item.item_key],
            updated_at=now,
        )
    stats["items_retired"] = (
        derived.filter(is_active=True)
        .exclude(item_key__in=std_keys)
        .update(
            is_active=False,
            retired_kind=RetiredKind.WITHDRAWN,
            retired_reason=f"第{version.number}版标准目录已取消该事项",
            updated_at=now,
        )
    )

    # Missing (unit, item) pairs: one INSERT … SELECT (unit lists × standard items) run by the
    # database, so a province-size publication does not round-trip 500,000 rows through Python.
    for item in std:
        if not item.search_text:
            item.search_text = std_text[item.item_key]
            item.save(update_fields=["search_text"])
    stats["items_created"] = _insert_missing_items(version, now)
    return stats


@transaction.atomic
def catalogue_rederive(*, actor: User | None, catalogue: Catalogue) -> dict:
    """Derive the current published version again: units created (or re-activated) since the
    last publication get their list; existing lists are brought in line. Idempotent."""
    _office(actor, catalogue.owner)
    version = catalogue.latest_published()
    if version is None:
        raise ValidationError("该目录尚未发布")
    stats = derive_unit_lists(version)
    audit.record(
        actor=actor,
        action="catalogue.catalogue.rederive",
        obj=catalogue,
        unit=catalogue.owner,
        after={"derived": stats},
    )
    return stats


def _insert_missing_items(version: CatalogueVersion, now) -> int:
    """INSERT every (unit list on this version, standard item) pair that has no derived item yet."""
    from django.db import connection

    qn = connection.ops.quote_name
    ui, ul, ci = UnitItem._meta.db_table, UnitList._meta.db_table, CatalogueItem._meta.db_table
    stamp = connection.ops.adapt_datetimefield_value(now)
    sql = f"""
        INSERT INTO {qn(ui)} (unit_list_id, unit_id, source_item_id, item_key, is_local, mandatory, sort_order,
            level1, name, elements, timeframe_text, timeframe_rule, responsible_unit_id, column_name, note,
            is_active, retired_kind, retired_reason, search_text, created_at, updated_at)
        SELECT l.id, l.unit_id, c.id, c.item_key, %s, c.mandatory, c.sort_order,
            c.level1, c.name, c.elements, c.timeframe_text, c.timeframe_rule, l.unit_id, '', '',
            %s, '', '', c.search_text, %s, %s
        FROM {qn(ul)} l JOIN {qn(ci)} c ON c.version_id = %s
        WHERE l.catalogue_id = %s AND l.version_id = %s
          AND NOT EXISTS (SELECT 1 FROM {qn(ui)} x WHERE x.unit_list_id = l.id AND x.item_key = c.item_key)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [False, True, stamp, stamp, version.pk, version.catalogue_id, version.pk])
        return max(cursor.rowcount, 0)


# --- unit lists ---------------------------------------------------------------------------------


def _responsible(unit: Organisation, responsible: Organisation | None) -> Organisation:
    if responsible is None:
        return unit
    if not (responsible.pk == unit.pk or unit.is_ancestor_of(responsible)):
        raise ValidationError({"responsible_unit": "责任单位应为本单位或本单位的下属单位"})
    return responsible


@transaction.atomic
def unit_item_add_local(
    *,
    actor: User | None,
    unit_list: UnitList,
    level1: str,
    name: str = "",
    elements: dict | None = None,
    timeframe_text: str = "",
    responsible_unit: Organisation | None = None,
    column_name: str = "",
    note: str = "",
) -> UnitItem:
    """A local item (本单位自增事项) in a unit's list, validated against the catalogue's template."""
    unit = unit_list.unit
    _unit_list_actor(actor, unit)
    level1, name = (level1 or "").strip(), (name or "").strip()
    checked = el.check(
        unit_list.catalogue.template, level1=level1, name=name, elements=elements or {}, timeframe_text=timeframe_text
    )
    if checked.errors:
        raise ValidationError(checked.errors)
    norm = chinese.normalise(f"{level1}{name}")
    for other in unit_list.items.filter(is_active=True).only("level1", "name"):
        if chinese.normalise(f"{other.level1}{other.name}") == norm:
            raise ValidationError("本单位目录中已有同名事项")
    order = (unit_list.items.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    item = UnitItem.objects.create(
        unit_list=unit_list,
        unit=unit,
        item_key=new_key("L"),
        is_local=True,
        mandatory=False,
        sort_order=order,
        level1=level1,
        name=name,
        elements=checked.elements,
        timeframe_text=(timeframe_text or "").strip(),
        timeframe_rule=checked.timeframe_rule,
        responsible_unit=_responsible(unit, responsible_unit),
        column_name=column_name.strip()[:120],
        note=note.strip()[:500],
        search_text=el.search_text(level1, name, checked.elements, timeframe_text),
    )
    audit.record(actor=actor, action="catalogue.unititem.add", obj=item, unit=unit, after=audit.snapshot(item))
    return item


@transaction.atomic
def unit_item_update(*, actor: User | None, item: UnitItem, **data) -> UnitItem:
    """Derived items: only responsible unit, column and note; local items: everything."""
    unit = item.unit
    _unit_list_actor(actor, unit)
    derived_fields = {"responsible_unit", "column_name", "note"}
    local_fields = derived_fields | {"level1", "name", "elements", "timeframe_text"}
    allowed = local_fields if item.is_local else derived_fields
    bad = set(data) - allowed
    if bad:
        if not item.is_local and bad <= local_fields:
            raise ValidationError("标准目录派生的事项只能调整责任单位、公开栏目和细化说明；要素由标准目录统一规定")
        raise TypeError(f"unknown fields {bad}")
    before = audit.snapshot(item)
    if "responsible_unit" in data:
        item.responsible_unit = _responsible(unit, data["responsible_unit"])
    if "column_name" in data:
        item.column_name = (data["column_name"] or "").strip()[:120]
    if "note" in data:
        item.note = (data["note"] or "").strip()[:500]
    if item.is_local and (set(data) & {"level1", "name", "elements", "timeframe_text"}):
        level1 = (data.get("level1", item.level1) or "").strip()
        name = (data.get("name", item.name) or "").strip()
        timeframe_text = (data.get("timeframe_text", item.timeframe_text) or "").strip()
        checked = el.check(
            item.unit_list.catalogue.template,
            level1=level1,
            name=name,
            elements=data.get("elements", item.elements) or {},
            timeframe_text=timeframe_text,
        )
        if checked.errors:
            raise ValidationError(checked.errors)
        item.level1, item.name, item.elements = level1, name, checked.elements
        item.timeframe_text, item.timeframe_rule = timeframe_text, checked.timeframe_rule
    item.search_text = el.search_text(item.level1, item.name, item.elements, item.timeframe_text, item.column_name)
    item.save()
    audit.record(
        actor=actor, action="catalogue.unititem.update", obj=item, unit=unit, before=before, after=audit.snapshot(item)
    )
    return item


@transaction.atomic
def unit_item_drop(*, actor: User | None, item: UnitItem, reason: str = "") -> UnitItem:
    """Drop an item from a unit's list. Mandatory standard items cannot be dropped.

    The row is kept inactive (content already published under it stays linked)."""
    unit = item.unit
    _unit_list_actor(actor, unit)
    if item.mandatory and not item.is_local:
        raise ValidationError("该事项是标准目录规定的必选事项，不能删除")
    if not item.is_active:
        raise ValidationError("该事项已停用")
    before = audit.snapshot(item)
    item.is_active = False
    item.retired_kind = RetiredKind.DROPPED
    item.retired_reason = (reason or "").strip()[:200] or "本单位不涉及"
    item.save(update_fields=["is_active", "retired_kind", "retired_reason", "updated_at"])
    audit.record(
        actor=actor, action="catalogue.unititem.drop", obj=item, unit=unit, before=before, after=audit.snapshot(item)
    )
    return item


@transaction.atomic
def unit_item_restore(*, actor: User | None, item: UnitItem) -> UnitItem:
    unit = item.unit
    _unit_list_actor(actor, unit)
    if item.is_active:
        return item
    if item.retired_kind == RetiredKind.WITHDRAWN:
        raise ValidationError("该事项已被标准目录取消，不能恢复；如仍需公开，请作为本单位自增事项添加")
    before = audit.snapshot(item)
    item.is_active, item.retired_kind, item.retired_reason = True, "", ""
    item.save(update_fields=["is_active", "retired_kind", "retired_reason", "updated_at"])
    audit.record(
        actor=actor, action="catalogue.unititem.restore", obj=item, unit=unit, before=before, after=audit.snapshot(item)
    )
    return item


def ensure_reference_data() -> None:
    """National domains and built-in templates (also loaded by migration 0002)."""
    ensure_builtin(Domain, ElementTemplate, ElementDefinition)

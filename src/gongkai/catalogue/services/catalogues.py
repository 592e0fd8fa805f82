"""Standard catalogues, their versions (draft → published) and items; the diff between versions.

A draft may hold *incomplete* items (a required element blank, a tick missing, a timeframe not
understood): they are saved with their problems listed. The ``publish`` transition
(``CatalogueVersion.publish``: the owning office, a draft with items, every incomplete item
completed or accepted) is run through :func:`gongkai.core.transitions.run`; so is
``accept_incomplete``, by which the office accepts the listed items as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, chinese, transitions
from gongkai.core.models import Level, Organisation, OrgKind, User
from gongkai.core.transitions import TransitionRefused

from .. import elements as el
from .. import search_sources
from ..audit import AuditAction
from ..models import Catalogue, CatalogueItem, CatalogueVersion, Domain, ElementTemplate
from ._common import ITEM_FIELDS, actor_or_none, item_key_for, new_key, office, require_draft
from .derive import derive_unit_lists

COPIED_ITEM_FIELDS = (
    "item_key",
    "sort_order",
    "level1",
    "name",
    "elements",
    "mandatory",
    "timeframe_text",
    "timeframe_rule",
    "is_complete",
    "problems",
    "incomplete_accepted",
    "search_text",
)


# --- catalogues ------------------------------------------------------------------------------


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
    office(actor, owner)
    if target_kind not in OrgKind.values or target_level not in Level.values:
        raise ValidationError(_("适用单位类型或层级无效"))
    if Catalogue.objects.filter(
        owner=owner, domain=domain, target_kind=target_kind, target_level=target_level
    ).exists():
        raise ValidationError(_("本单位已有该领域、该类型和层级的标准目录"))
    title = title.strip() or _("%(owner)s%(domain)s领域%(level)s%(kind)s公开标准目录") % {
        "owner": owner.display_name,
        "domain": domain.name,
        "level": Level(target_level).label,
        "kind": OrgKind(target_kind).label,
    }
    catalogue = Catalogue.objects.create(
        owner=owner,
        domain=domain,
        template=template,
        target_kind=target_kind,
        target_level=target_level,
        title=title[:120],
        description=description,
    )
    CatalogueVersion.objects.create(catalogue=catalogue, number=1, created_by=actor_or_none(actor))
    audit.record(
        actor=actor,
        action=AuditAction.CATALOGUE_CREATE,
        obj=catalogue,
        unit=owner,
        after=audit.snapshot(catalogue),
    )
    return catalogue


@transaction.atomic
def catalogue_update(*, actor: User | None, catalogue: Catalogue, **data) -> Catalogue:
    office(actor, catalogue.owner)
    allowed = {"title", "description", "template"}
    if set(data) - allowed:
        raise TypeError(f"unknown fields {set(data) - allowed}")
    if "template" in data and data["template"] != catalogue.template and catalogue.latest_published():
        raise ValidationError(_("目录已发布过版本，不能更换要素模板；请新建目录"))
    before = audit.snapshot(catalogue)
    for k, v in data.items():
        setattr(catalogue, k, v)
    catalogue.save()
    audit.record(
        actor=actor,
        action=AuditAction.CATALOGUE_UPDATE,
        obj=catalogue,
        unit=catalogue.owner,
        before=before,
        after=audit.snapshot(catalogue),
    )
    return catalogue


@transaction.atomic
def catalogue_set_target_units(*, actor: User | None, catalogue: Catalogue, units: Iterable[Organisation]) -> Catalogue:
    office(actor, catalogue.owner)
    units = list(units)
    for u in units:
        if not (
            u.path.startswith(catalogue.owner.path)
            and u.kind == catalogue.target_kind
            and u.level == catalogue.target_level
        ):
            raise ValidationError({"units": _("“%(name)s”不是本目录适用类型和层级的下属单位") % {"name": u.name}})
    before = sorted(catalogue.target_units.values_list("pk", flat=True))
    catalogue.target_units.set(units)
    audit.record(
        actor=actor,
        action=AuditAction.CATALOGUE_TARGETS,
        obj=catalogue,
        unit=catalogue.owner,
        before={"target_units": before},
        after={"target_units": sorted(u.pk for u in units)},
    )
    return catalogue


# --- versions ----------------------------------------------------------------------------------


@transaction.atomic
def version_start_draft(*, actor: User | None, catalogue: Catalogue, note: str = "") -> CatalogueVersion:
    """A new draft revision, starting as a copy of the latest published version."""
    office(actor, catalogue.owner)
    Catalogue.objects.select_for_update().filter(pk=catalogue.pk).first()
    if catalogue.current_draft():
        raise TransitionRefused(_("该目录已有未发布的草稿版本"))
    previous = catalogue.latest_published()
    number = (catalogue.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = CatalogueVersion.objects.create(
        catalogue=catalogue, number=number, note=note[:200], based_on=previous, created_by=actor_or_none(actor)
    )
    if previous:
        CatalogueItem.objects.bulk_create(
            [
                CatalogueItem(version=version, **{f: getattr(i, f) for f in COPIED_ITEM_FIELDS})
                for i in previous.items.all()
            ],
            batch_size=1000,
        )
    audit.record(
        actor=actor,
        action=AuditAction.VERSION_CREATE,
        obj=version,
        unit=catalogue.owner,
        after={"number": number},
    )
    return version


def discard_refusal(version: CatalogueVersion) -> str | None:
    """Why a version cannot be discarded (None: it can)."""
    if not version.is_draft:
        return _("已发布的版本不能删除")
    if not version.catalogue.versions.exclude(pk=version.pk).exists():
        return _("目录的第一个版本不能删除，可直接修改草稿")
    return None


@transaction.atomic
def version_discard(*, actor: User | None, version: CatalogueVersion) -> Catalogue:
    catalogue = version.catalogue
    office(actor, catalogue.owner)
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    problem = discard_refusal(version)
    if problem:
        raise TransitionRefused(problem)
    before = {"number": version.number, "items": version.items.count()}
    pk = version.pk
    version.items.all().delete()
    version.delete()
    audit.record(
        actor=actor,
        action=AuditAction.VERSION_DISCARD,
        object_type="catalogue.catalogueversion",
        object_id=pk,
        object_repr=_("%(title)s 第%(n)s版") % {"title": catalogue.title, "n": before["number"]},
        unit=catalogue.owner,
        before=before,
    )
    return catalogue


@transaction.atomic
def version_accept_incomplete(*, actor: User | None, version: CatalogueVersion, note: str) -> CatalogueVersion:
    """The office accepts the draft's incomplete items as they are, so the draft can be published.

    Each accepted item keeps its listed problems; editing an item afterwards withdraws its
    acceptance (it is checked again)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请说明为何按现状发布这些不完整的事项")})

    def update(v: CatalogueVersion) -> None:
        v.accepted_at = timezone.now()
        v.accepted_by = actor_or_none(actor)
        v.accepted_note = note[:500]

    def step(v: CatalogueVersion) -> None:
        items = v.unaccepted_incomplete()
        v.accepted_items = [i.display_name for i in items.only("level1", "name")]
        items.update(incomplete_accepted=True)

    return transitions.run(
        version,
        "accept_incomplete",
        actor=actor,
        action=AuditAction.VERSION_ACCEPT_INCOMPLETE,
        unit=lambda v: v.catalogue.owner,
        snapshot_fields=["status", "number", "accepted_note", "accepted_items"],
        update=update,
        step=step,
    )


@transaction.atomic
def version_publish(*, actor: User | None, version: CatalogueVersion, note: str = "") -> dict:
    """Publish a draft (immutable afterwards) and derive every matching unit's list.

    The transition checks the office, that the draft has items and that every incomplete item
    was completed or accepted; the derivation runs in the same transaction."""
    previous = version.catalogue.latest_published()

    def update(v: CatalogueVersion) -> None:
        v.diff = compute_diff(previous, v)
        v.published_at = timezone.now()
        v.published_by = actor_or_none(actor)
        if note:
            v.note = note[:200]

    def step(v: CatalogueVersion) -> None:
        v.derived = derive_unit_lists(v)

    version = transitions.run(
        version,
        "publish",
        actor=actor,
        action=AuditAction.VERSION_PUBLISH,
        unit=lambda v: v.catalogue.owner,
        snapshot_fields=["status", "number", "note", "diff_summary", "derived"],
        update=update,
        step=step,
    )
    search_sources.version_published(version)
    return {"diff": version.diff, "derived": version.derived, "version": version}


# --- items -------------------------------------------------------------------------------------


def _checked(version: CatalogueVersion, *, level1, name, elements, timeframe_text) -> el.ElementCheck:
    result = el.check(
        version.catalogue.template, level1=level1, name=name, elements=elements or {}, timeframe_text=timeframe_text
    )
    if result.errors:
        raise ValidationError(result.errors)
    return result


def _duplicate(version: CatalogueVersion, level1: str, name: str, exclude: int | None = None) -> None:
    norm = chinese.normalise(f"{level1}|{name}")
    others = version.items.all() if exclude is None else version.items.exclude(pk=exclude)
    if any(chinese.normalise(f"{a}|{b}") == norm for a, b in others.values_list("level1", "name")):
        raise ValidationError(_("本版本已有事项“%(name)s”") % {"name": f"{level1} {name}".strip()})


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
    """Add an item to a draft. Missing elements do not refuse it: it is saved as incomplete."""
    office(actor, version.catalogue.owner)
    require_draft(version)
    level1, name = (level1 or "").strip(), (name or "").strip()
    checked = _checked(version, level1=level1, name=name, elements=elements, timeframe_text=timeframe_text)
    _duplicate(version, level1, name)
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
        is_complete=not checked.problems,
        problems=checked.problems,
        search_text=el.search_text(level1, name, checked.elements, timeframe_text),
    )
    audit.record(
        actor=actor,
        action=AuditAction.ITEM_ADD,
        obj=item,
        unit=version.catalogue.owner,
        after=audit.snapshot(item),
    )
    return item


@transaction.atomic
def item_update(*, actor: User | None, item: CatalogueItem, **data) -> CatalogueItem:
    """Edit an item of a draft; its completeness is checked again (an earlier acceptance lapses)."""
    version = item.version
    office(actor, version.catalogue.owner)
    require_draft(version)
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
    _duplicate(version, merged["level1"], merged["name"], exclude=item.pk)
    for f in ITEM_FIELDS:
        setattr(item, f, merged[f])
    item.elements = checked.elements
    item.timeframe_text = (merged["timeframe_text"] or "").strip()
    item.timeframe_rule = checked.timeframe_rule
    item.is_complete, item.problems = not checked.problems, checked.problems
    item.incomplete_accepted = False
    item.search_text = el.search_text(item.level1, item.name, item.elements, item.timeframe_text)
    item.save()
    audit.record(
        actor=actor,
        action=AuditAction.ITEM_UPDATE,
        obj=item,
        unit=version.catalogue.owner,
        before=before,
        after=audit.snapshot(item),
    )
    return item


@transaction.atomic
def item_delete(*, actor: User | None, item: CatalogueItem) -> None:
    version = item.version
    office(actor, version.catalogue.owner)
    require_draft(version)
    before = audit.snapshot(item)
    item.delete()
    audit.record(
        actor=actor,
        action=AuditAction.ITEM_DELETE,
        object_type="catalogue.catalogueitem",
        object_id=before["id"],
        object_repr=f"{before['level1']} {before['name']}".strip(),
        unit=version.catalogue.owner,
        before=before,
    )


@dataclass
class ItemRow:
    """One checked row for :func:`items_replace` (imports); ``problems`` make it an incomplete item."""

    level1: str
    name: str
    elements: dict
    timeframe_text: str
    timeframe_rule: dict
    mandatory: bool = True
    item_key: str = ""
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def items_replace(*, actor: User | None, version: CatalogueVersion, rows: list[ItemRow], source: str = "") -> int:
    """Replace all items of a draft with checked rows (bulk path used by imports).

    Rows that repeat an earlier row's name get their own key and are listed as incomplete
    (a duplicate to merge or delete) rather than refusing the file."""
    office(actor, version.catalogue.owner)
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    require_draft(version)
    removed = version.items.count()
    version.items.all().delete()
    seen: set[str] = set()
    values = []
    for n, row in enumerate(rows, start=1):
        key = row.item_key or item_key_for(row.level1, row.name)
        problems = list(row.problems)
        if key in seen:
            key = new_key("k")
            if not problems:  # the importer's report already names the row it repeats
                problems.append(_("与本目录中另一事项同名，请合并或删除"))
        seen.add(key)
        text = el.search_text(row.level1, row.name, row.elements, row.timeframe_text)
        values.append(
            (key, n, row.level1, row.name, row.elements, row.mandatory, row.timeframe_text)
            + (row.timeframe_rule, not problems, problems, text)
        )
    _insert_items(version, values)
    incomplete = sum(1 for v in values if not v[8])
    audit.record(
        actor=actor,
        action=AuditAction.VERSION_IMPORT,
        obj=version,
        unit=version.catalogue.owner,
        before={"items": removed},
        after={"items": len(values), "incomplete": incomplete, "source": source[:200]},
    )
    return len(values)


_INSERT_COLUMNS = (
    "version_id",
    "item_key",
    "sort_order",
    "level1",
    "name",
    "elements",
    "mandatory",
    "timeframe_text",
    "timeframe_rule",
    "is_complete",
    "problems",
    "incomplete_accepted",
    "search_text",
)


def _insert_items(version: CatalogueVersion, values: list[tuple]) -> None:
    """Insert checked rows with one prepared statement (executemany): a province-size import
    spends its time reading the spreadsheet, not compiling 20,000 ORM INSERTs."""
    from django.db import connection

    ops, qn = connection.ops, connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(CatalogueItem._meta.db_table)} ({', '.join(qn(c) for c in _INSERT_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))})"
    )
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
            complete,
            ops.adapt_json_value(problems, None),
            False,
            text,
        )
        for key, n, level1, name, elements, mandatory, tf_text, tf_rule, complete, problems, text in values
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


def _changes(a: dict, b: dict, labels: dict) -> list[dict]:
    changes = []
    for f in ("level1", "name", "mandatory", "timeframe_text"):
        if a[f] != b[f]:
            changes.append({"field": f, "label": labels[f], "old": a[f], "new": b[f]})
    order = list(labels)
    for ek in sorted(set(a["elements"]) | set(b["elements"]), key=lambda k: order.index(k) if k in order else 999):
        va, vb = a["elements"].get(ek), b["elements"].get(ek)
        if va != vb:
            changes.append(
                {"field": ek, "label": labels.get(ek, ek), "old": el.display_value(va), "new": el.display_value(vb)}
            )
    return changes


def compute_diff(previous: CatalogueVersion | None, current: CatalogueVersion) -> dict:
    """Added / removed / changed items (by item_key) and the changed elements of each."""
    template = current.catalogue.template
    labels = {d.key: d.name for d in template.ordered_elements()}
    labels.update(
        {"level1": _("一级事项"), "name": _("二级事项"), "mandatory": _("必选事项"), "timeframe_text": _("公开时限")}
    )
    labels = {k: str(v) for k, v in labels.items()}
    old = {i.item_key: i for i in previous.items.all()} if previous else {}
    new = {i.item_key: i for i in current.items.all()}
    added = [{"key": k, "name": new[k].display_name} for k in new if k not in old]
    removed = [{"key": k, "name": old[k].display_name} for k in old if k not in new]
    changed = []
    for key in new.keys() & old.keys():
        changes = _changes(_item_state(old[key]), _item_state(new[key]), labels)
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

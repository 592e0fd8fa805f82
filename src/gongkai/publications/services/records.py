"""Records around publications: repeal/amendment of normative documents, per-unit review
policies, and the recomputation of stored due dates (应公开日期) after calendar or period changes."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from gongkai.core import audit, permissions, transitions, workdays
from gongkai.core import html as text
from gongkai.core.models import Organisation, Role, User

from .. import indexing
from ..audit import AuditAction
from ..choices import LinkKind, State
from ..models import LegalLink, Publication, ReviewPolicy

log = logging.getLogger(__name__)

__all__ = ["RecomputeReport", "legal_link_add", "recompute_due_dates", "review_policy_set"]


def _legal_link_errors(target: Publication, kind: str, effective_on, by: Publication | None) -> dict:
    errors = {}
    if kind not in LinkKind.values:
        errors["kind"] = _("请选择废止或修改")
    elif kind == LinkKind.REPEAL and target.legal_links_in.filter(kind=LinkKind.REPEAL).exists():
        errors["kind"] = _("该文件已登记废止")
    if effective_on is None:
        errors["effective_on"] = _("请填写生效日期")
    elif target.effective_from and effective_on < target.effective_from:
        errors["effective_on"] = _("废止/修改的生效日期不能早于该文件的施行日期")
    if by is not None:
        if by.pk == target.pk:
            errors["by"] = _("文件不能废止或修改自身")
        elif by.state != State.PUBLISHED:
            errors["by"] = _("依据文件须为已发布的文件")
    if LegalLink.objects.filter(kind=kind, target=target, by=by).exists():
        errors["by"] = _("该记录已存在")
    return errors


@transaction.atomic
def legal_link_add(
    *,
    actor: User,
    target: Publication,
    kind: str,
    effective_on: dt.date,
    by: Publication | None = None,
    note: str = "",
) -> LegalLink:
    """Record that ``target`` is repealed or amended from ``effective_on`` (optionally by
    another published document). The target's status changes by itself on that date."""
    target = Publication.objects.select_for_update().select_related("unit").get(pk=target.pk)
    transitions.check(target, "record_legal_link", actor)
    errors = _legal_link_errors(target, kind, effective_on, by)
    if errors:
        raise ValidationError(errors)
    link = LegalLink.objects.create(
        kind=kind, target=target, by=by, effective_on=effective_on, note=text.clean_title(note)[:500], created_by=actor
    )
    audit.record(
        actor=actor,
        action=AuditAction.LEGAL_LINK_REPEAL if kind == LinkKind.REPEAL else AuditAction.LEGAL_LINK_AMEND,
        obj=link,
        unit=target.unit,
        after={"target": target.pk, "by": by.pk if by else None, "effective_on": effective_on, "note": link.note},
    )
    indexing.schedule(target)
    return link


POLICY_FIELDS = ["require_confidentiality", "require_signoff", "separate_reviewer"]


@transaction.atomic
def review_policy_set(
    *,
    actor: User,
    unit: Organisation,
    require_confidentiality: bool,
    require_signoff: bool,
    separate_reviewer: bool,
) -> ReviewPolicy:
    permissions.require(actor, [Role.LEADER, Role.DISCLOSURE_OFFICE], unit)
    policy, _created = ReviewPolicy.objects.select_for_update().get_or_create(unit=unit)
    before = audit.snapshot(policy, POLICY_FIELDS)
    policy.require_confidentiality = bool(require_confidentiality)
    policy.require_signoff = bool(require_signoff)
    policy.separate_reviewer = bool(separate_reviewer)
    policy.save()
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW_POLICY_UPDATE,
        obj=policy,
        unit=unit,
        before=before,
        after=audit.snapshot(policy, POLICY_FIELDS),
    )
    return policy


# --- stored due dates ------------------------------------------------------------------------


@dataclass
class RecomputeReport:
    checked: int = 0
    changed: int = 0
    undetermined: int = 0


BATCH = 500


def _changes(batch: list[Publication], calendar: workdays.Calendar, report: RecomputeReport) -> list:
    changed = []
    for pub in batch:
        due = pub.compute_due_on(calendar=calendar)
        report.undetermined += due is None
        late = bool(due and pub.published_on and pub.published_on > due)
        if due != pub.due_on or late != pub.is_late:
            changed.append((pub, {"due_on": due, "is_late": late}))
    return changed


def recompute_due_dates() -> RecomputeReport:
    """Recompute every stored 应公开日期 (and the late flag of published items).

    Registered with :func:`gongkai.core.deadlines.register_recompute`: runs on commit of every
    change of the holiday calendar or of the ``disclosure.proactive`` period, and hourly (so a
    changed catalogue timeframe reaches the items linked to it). Every change is audited: one
    event per batch of up to 500 items, listing each item's old and new due date and late flag."""
    report = RecomputeReport()
    calendar = workdays.current_calendar()
    qs = (
        Publication.objects.exclude(made_on__isnull=True, changed_on__isnull=True)
        .select_related("unit", "unit_item")
        .only(
            "pk",
            "title",
            "unit",
            "made_on",
            "changed_on",
            "published_on",
            "due_on",
            "is_late",
            "unit_item__timeframe_rule",
        )
        .order_by("pk")
    )
    last = 0
    while batch := list(qs.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        report.checked += len(batch)
        changed = _changes(batch, calendar, report)
        if changed:
            _save_changes(changed)
            report.changed += len(changed)
    if report.changed:
        log.info("publications: %d of %d due dates recomputed", report.changed, report.checked)
    return report


@transaction.atomic
def _save_changes(changed: list[tuple[Publication, dict]]) -> None:
    """One UPDATE per batch and one audit event listing every item's old and new values."""
    rows, by_unit = [], {}
    for pub, values in changed:
        rows.append(
            {"id": pub.pk, "due_on": [pub.due_on, values["due_on"]], "is_late": [pub.is_late, values["is_late"]]}
        )
        pub.due_on, pub.is_late = values["due_on"], values["is_late"]
        by_unit.setdefault(pub.unit_id, pub.unit)
    groups: dict[tuple, list[int]] = {}
    for pub, values in changed:
        groups.setdefault((values["due_on"], values["is_late"]), []).append(pub.pk)
    for (due_on, is_late), pks in groups.items():  # items made the same day move together
        Publication.objects.filter(pk__in=pks).update(due_on=due_on, is_late=is_late)
    ids = [row["id"] for row in rows]
    with translation.override(None):
        label = _("重新计算 %(n)s 条信息的应公开日期") % {"n": len(ids)}
    audit.record(
        actor=None,
        action=AuditAction.DUE_RECOMPUTED,
        object_type="publications.publication",
        object_id=f"{ids[0]}-{ids[-1]}" if len(ids) > 1 else ids[0],
        object_repr=label,
        unit=next(iter(by_unit.values())) if len(by_unit) == 1 else None,
        after={"changes": rows},
    )

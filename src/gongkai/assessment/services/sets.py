"""Indicator sets: versions (published sets are immutable), indicator changes, publishing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, transitions
from gongkai.core.transitions import TransitionRefused

from ..audit_actions import AuditAction
from ..models import (
    Indicator,
    IndicatorSet,
    SetStatus,
)
from .common import _office_anywhere


@transaction.atomic
def indicator_set_new_version(*, actor, indicator_set: IndicatorSet) -> IndicatorSet:
    """A draft copy of a set (published sets are immutable: change a new version)."""
    _office_anywhere(actor)
    src = indicator_set
    latest = IndicatorSet.objects.filter(name=src.name).order_by("-version").first()
    copy = IndicatorSet.objects.create(
        name=src.name,
        version=latest.version + 1,
        year=src.year,
        issuer=src.issuer,
        basis=src.basis,
        unit_category=src.unit_category,
        total_points=src.total_points,
        pass_mark=src.pass_mark,
        bonus_threshold=src.bonus_threshold,
        bonus_cap=src.bonus_cap,
        note=src.note,
        previous=src,
        created_by=actor,
    )
    mapping: dict[int, Indicator] = {}
    for ind in _tree_order(src):
        mapping[ind.pk] = Indicator.objects.create(
            indicator_set=copy,
            parent=mapping.get(ind.parent_id),
            code=ind.code,
            name=ind.name,
            method=ind.method,
            weight=ind.weight,
            per_item=ind.per_item,
            cap=ind.cap,
            source=ind.source,
            verified=ind.verified,
            note=ind.note,
            order=ind.order,
        )
    audit.record(actor=actor, action=AuditAction.SET_VERSION, obj=copy, after={"from": src.pk, "version": copy.version})
    return copy


def _tree_order(s: IndicatorSet) -> list[Indicator]:
    items = list(s.indicators.order_by("order", "pk"))
    by_parent: dict[int | None, list[Indicator]] = {}
    for i in items:
        by_parent.setdefault(i.parent_id, []).append(i)
    out: list[Indicator] = []

    def walk(pid):
        for i in by_parent.get(pid, []):
            out.append(i)
            walk(i.pk)

    walk(None)
    return out


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **data) -> Indicator:
    _office_anywhere(actor)
    ind = Indicator.objects.select_for_update().select_related("indicator_set").get(pk=indicator.pk)
    if ind.indicator_set.status != SetStatus.DRAFT:
        raise TransitionRefused(_("已发布的指标体系不能修改，请新建版本后修改"), code="immutable")
    before = audit.snapshot(ind)
    for key in ("name", "weight", "per_item", "cap", "note", "source", "verified"):
        if key in data:
            setattr(ind, key, data[key])
    ind.full_clean()
    ind.save()
    audit.record(actor=actor, action=AuditAction.INDICATOR_UPDATE, obj=ind, before=before, after=audit.snapshot(ind))
    return ind


@transaction.atomic
def indicator_set_publish(*, actor, indicator_set: IndicatorSet) -> IndicatorSet:
    return transitions.run(
        indicator_set,
        "publish",
        actor=actor,
        action=AuditAction.SET_PUBLISH,
        unit=lambda s: None,
        update=lambda s: setattr(s, "published_at", timezone.now()),
        snapshot_fields=["status", "published_at"],
    )


@transaction.atomic
def indicator_set_retire(*, actor, indicator_set: IndicatorSet) -> IndicatorSet:
    return transitions.run(
        indicator_set,
        "retire",
        actor=actor,
        action=AuditAction.SET_RETIRE,
        unit=lambda s: None,
        snapshot_fields=["status"],
    )

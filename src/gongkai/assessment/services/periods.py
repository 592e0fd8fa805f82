"""Periods: assessed units, inputs from the records, reproducible scores and ranks, manual scores,
seeded samples, publication with the appeal window, result appeals."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, deadlines, permissions, transitions
from gongkai.core.models import Organisation, OrgKind, Role
from gongkai.core.transitions import TransitionRefused

from .. import metrics, scoring
from ..audit_actions import AuditAction
from ..models import (
    Assessee,
    Indicator,
    IndicatorSet,
    Method,
    Period,
    PeriodStatus,
    ResultAppeal,
    Sample,
    Score,
    SetStatus,
    UnitCategory,
)
from .common import LEAF_METHODS, _require_office, today


def default_units(root: Organisation, category: str) -> list[Organisation]:
    below = root.descendants(include_self=False).filter(is_active=True)
    if category == UnitCategory.TOWNSHIP:
        return list(below.filter(kind=OrgKind.GOVERNMENT, level="township"))
    if category in (UnitCategory.WEBSITE, UnitCategory.NEW_MEDIA):
        from gongkai.monitoring import selectors as monitoring

        ids = monitoring.owner_unit_ids(category)
        return list(root.descendants().filter(pk__in=ids))
    if category == UnitCategory.INSTITUTION:
        return list(below.exclude(kind__in=[OrgKind.GOVERNMENT, OrgKind.DEPARTMENT]))
    return list(below.filter(kind=OrgKind.DEPARTMENT, parent=root))


@transaction.atomic
def period_create(
    *,
    actor,
    indicator_set: IndicatorSet,
    root: Organisation,
    name: str,
    start: dt.date,
    end: dt.date,
    units: list[Organisation] | None = None,
    seed: int | None = None,
) -> Period:
    _require_office(actor, root)
    if indicator_set.status != SetStatus.PUBLISHED:
        raise ValidationError({"indicator_set": _("只能使用已发布的指标体系")})
    if end < start:
        raise ValidationError({"end": _("截止日期不能早于起始日期")})
    period = Period.objects.create(
        name=name,
        indicator_set=indicator_set,
        root=root,
        start=start,
        end=end,
        seed=seed if seed is not None else random.SystemRandom().randrange(1, 10**6),
        created_by=actor,
    )
    units = units if units is not None else default_units(root, indicator_set.unit_category)
    for unit in units:
        if not unit.path.startswith(root.path):
            raise ValidationError(_("评估对象必须在组织单位的管辖范围内"))
        Assessee.objects.create(period=period, unit=unit, category=indicator_set.unit_category)
    audit.record(
        actor=actor,
        action=AuditAction.PERIOD_CREATE,
        obj=period,
        unit=root,
        after={**audit.snapshot(period), "units": [u.pk for u in units]},
    )
    return period


def _leaves(s: IndicatorSet) -> list[Indicator]:
    return [i for i in s.indicators.all() if i.method in LEAF_METHODS]


def _editable(period: Period) -> None:
    if period.status not in (PeriodStatus.OPEN, PeriodStatus.RANKED):
        raise TransitionRefused(_("评估结果已公布，不能再修改得分"), code="state")


@transaction.atomic
def period_refresh_inputs(*, actor, period: Period) -> Period:
    """Read the automatic indicators' inputs from the records and store them with each score."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    _require_office(actor, period.root)
    _editable(period)
    leaves = _leaves(period.indicator_set)
    assessees = list(period.assessees.select_related("unit"))
    sources = {i.source for i in leaves if i.source}
    facts = metrics.gather([a.unit for a in assessees], period.start, period.end, sources)
    for a in assessees:
        for ind in leaves:
            inputs = facts.get(a.unit_id, {}).get(ind.source, {}) if ind.source else {}
            Score.objects.update_or_create(assessee=a, indicator=ind, defaults={"inputs": inputs})
    period.inputs_at = timezone.now()
    period.save(update_fields=["inputs_at"])
    audit.record(
        actor=actor,
        action=AuditAction.PERIOD_INPUTS,
        obj=period,
        unit=period.root,
        after={"assessees": len(assessees), "sources": sorted(sources)},
    )
    return period


def _ind(i: Indicator) -> scoring.Ind:
    return scoring.Ind(i.pk, i.code, i.name, i.method, i.weight, i.per_item, i.cap)


def compute_ranking(period: Period) -> tuple[dict[int, tuple[scoring.Total, dict]], dict[int, int], str]:
    """Points, totals and ranks from the stored inputs only (no record is read again)."""
    s = period.indicator_set
    leaves = sorted(_leaves(s), key=lambda i: (i.order, i.pk))
    assessees = list(period.assessees.select_related("unit").order_by("unit__path", "pk"))
    scores = {(sc.assessee_id, sc.indicator_id): sc for sc in Score.objects.filter(assessee__period=period)}
    results: dict[int, tuple[scoring.Total, dict]] = {}
    canonical = []
    for a in assessees:
        outcomes = {}
        for ind in leaves:
            sc = scores.get((a.pk, ind.pk))
            inputs = sc.inputs if sc else {}
            manual = sc.manual_points if sc else None
            outcomes[ind.pk] = scoring.score_leaf(_ind(ind), inputs, manual)
            canonical.append([a.unit_id, ind.code, inputs, str(manual) if manual is not None else None])
        tot = scoring.total(
            [(_ind(i), outcomes[i.pk]) for i in leaves],
            total_points=s.total_points,
            pass_mark=s.pass_mark,
            bonus_threshold=s.bonus_threshold,
            bonus_cap=s.bonus_cap,
        )
        results[a.pk] = (tot, outcomes)
    ranks = scoring.rank(
        (a.pk, a.category, results[a.pk][0].vetoed, results[a.pk][0].total, a.unit.path) for a in assessees
    )
    digest = hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
    return results, ranks, digest


@transaction.atomic
def period_rank(*, actor, period: Period) -> Period:
    period = Period.objects.select_for_update().get(pk=period.pk)
    _editable(period)
    if period.inputs_at is None:
        raise TransitionRefused(_("请先取数"), code="condition")
    results, ranks, digest = compute_ranking(period)
    for a in period.assessees.all():
        tot, outcomes = results[a.pk]
        for ind_id, out in outcomes.items():
            Score.objects.update_or_create(
                assessee=a,
                indicator_id=ind_id,
                defaults={
                    "points": out.points,
                    "applicable": out.points is not None or out.vetoed,
                    "vetoed": out.vetoed,
                    "auto_note": out.note,
                },
            )
        Assessee.objects.filter(pk=a.pk).update(
            base=tot.base,
            bonus=tot.bonus,
            total=tot.total,
            vetoed=tot.vetoed,
            veto_reasons=tot.veto_reasons,
            passed=tot.passed,
            rank=ranks[a.pk],
        )

    def update(p: Period) -> None:
        p.ranked_at, p.ranking_hash = timezone.now(), digest

    return transitions.run(
        period,
        "rank",
        actor=actor,
        action=AuditAction.PERIOD_RANK,
        unit=lambda p: p.root,
        update=update,
        snapshot_fields=["status", "ranking_hash"],
    )


@transaction.atomic
def score_manual(*, actor, assessee: Assessee, indicator: Indicator, points: Decimal | None, note: str = "") -> Score:
    period = assessee.period
    _require_office(actor, period.root)
    _editable(period)
    if indicator.indicator_set_id != period.indicator_set_id or indicator.method not in (
        Method.MANUAL,
        Method.BONUS,
        Method.VETO,
    ):
        raise ValidationError({"indicator": _("该指标不能人工评分")})
    if indicator.method != Method.VETO and points is not None and (points < 0 or points > indicator.weight):
        raise ValidationError({"points": _("得分须在0到%(max)s之间") % {"max": indicator.weight}})
    score, _created = Score.objects.get_or_create(assessee=assessee, indicator=indicator)
    before = audit.snapshot(score, ["manual_points", "note", "inputs"])
    if indicator.method == Method.VETO:
        score.inputs = {**score.inputs, "manual_veto": bool(points)}
    else:
        score.manual_points = points
    score.note, score.scored_by = note[:300], actor
    score.save()
    audit.record(
        actor=actor,
        action=AuditAction.SCORE_MANUAL,
        obj=score,
        unit=assessee.unit,
        before=before,
        after=audit.snapshot(score, ["manual_points", "note", "inputs"]),
    )
    return score


@transaction.atomic
def period_publish(*, actor, period: Period) -> Period:
    def update(p: Period) -> None:
        p.published_on = today()
        p.appeal_due = deadlines.due_date(p.published_on, "assessment.appeal")

    return transitions.run(
        period,
        "publish",
        actor=actor,
        action=AuditAction.PERIOD_PUBLISH,
        unit=lambda p: p.root,
        update=update,
        snapshot_fields=["status", "published_on", "appeal_due"],
    )


@transaction.atomic
def period_close(*, actor, period: Period) -> Period:
    return transitions.run(
        period, "close", actor=actor, action=AuditAction.PERIOD_CLOSE, unit=lambda p: p.root, snapshot_fields=["status"]
    )


def seeded_choice(ids: list[int], k: int, seed: str) -> list[int]:
    """The same seed and population always give the same sample."""
    population = sorted(ids)
    return sorted(random.Random(seed).sample(population, min(k, len(population))))


@transaction.atomic
def sample_draw(*, actor, period: Period, size: int = 5) -> list[Sample]:
    """Per assessed unit, a seeded random sample of its publications in the period, for human review."""
    _require_office(actor, period.root)
    if size < 1 or size > 100:
        raise ValidationError({"size": _("抽样数量须在1到100之间")})
    from gongkai.publications import selectors as publications

    out = []
    for a in period.assessees.select_related("unit"):
        ids = list(
            publications.published(unit=a.unit)
            .filter(published_on__gte=period.start, published_on__lte=period.end)
            .values_list("pk", flat=True)
        )
        chosen = seeded_choice(ids, size, f"{period.seed}:{a.unit_id}:publications")
        sample, _created = Sample.objects.update_or_create(
            period=period,
            assessee=a,
            kind="publications",
            defaults={"seed": period.seed, "population": len(ids), "chosen": chosen},
        )
        out.append(sample)
    audit.record(
        actor=actor,
        action=AuditAction.SAMPLE_DRAW,
        obj=period,
        unit=period.root,
        after={"seed": period.seed, "size": size},
    )
    return out


@transaction.atomic
def appeal_submit(*, actor, assessee: Assessee, reason: str) -> ResultAppeal:
    permissions.require(actor, [Role.EDITOR, Role.REVIEWER, Role.LEADER], assessee.unit)
    period = assessee.period
    if period.status != PeriodStatus.PUBLISHED or period.appeal_due is None:
        raise TransitionRefused(_("评估结果尚未公布，不能申诉"), code="state")
    if today() > period.appeal_due:
        raise TransitionRefused(_("申诉期已于%(due)s届满") % {"due": period.appeal_due}, code="condition")
    if not reason.strip():
        raise ValidationError({"reason": _("请填写申诉理由")})
    appeal = ResultAppeal.objects.create(
        assessee=assessee, reason=reason.strip(), submitted_by=actor, submitted_on=today()
    )
    audit.record(
        actor=actor, action=AuditAction.APPEAL_SUBMIT, obj=appeal, unit=assessee.unit, after={"reason": appeal.reason}
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: ResultAppeal, uphold: bool, decision: str) -> ResultAppeal:
    return transitions.run(
        appeal,
        "uphold" if uphold else "reject",
        actor=actor,
        action=AuditAction.APPEAL_DECIDE,
        unit=lambda a: a.assessee.unit,
        update=lambda a: (setattr(a, "decision", decision), setattr(a, "decided_by", actor)),
        snapshot_fields=["status", "decision"],
    )

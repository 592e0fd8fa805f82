"""Every state change of the assessment app (each one transaction, audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import random
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, deadlines, numbering, permissions, transitions
from gongkai.core.models import Organisation, OrgKind, Role
from gongkai.core.transitions import TransitionRefused

from . import documents, metrics, scoring
from .audit_actions import AuditAction
from .models import (
    Assessee,
    Bulletin,
    BulletinEntry,
    Card,
    CardColour,
    DocumentTemplate,
    Evidence,
    Indicator,
    IndicatorSet,
    Interview,
    Letter,
    Method,
    Period,
    PeriodStatus,
    Rectification,
    RectStatus,
    ResultAppeal,
    Sample,
    Score,
    SetStatus,
    UnitCategory,
)

log = logging.getLogger(__name__)
LEAF_METHODS = {m for m in Method.values if m != Method.GROUP}
RECT_FIELDS = ["unit", "period", "bulletin", "problems", "finding_ids", "issued_on", "due_on", "status"]


def today() -> dt.date:
    return timezone.localdate()


def _require_office(actor, unit: Organisation) -> None:
    if actor is not None:
        permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], unit)


def _office_anywhere(actor) -> None:
    if not (permissions.is_sysadmin(actor) or permissions.units_with_role(actor, Role.DISCLOSURE_OFFICE).exists()):
        raise PermissionDenied(_("只有政务公开办管理员可以管理指标体系"))


# --- indicator sets --------------------------------------------------------------------------


@transaction.atomic
def indicator_set_new_version(*, actor, indicator_set: IndicatorSet) -> IndicatorSet:
    """A draft copy of a set (published sets are immutable: change a new version)."""
    _office_anywhere(actor)
    src = indicator_set
    latest = IndicatorSet.objects.filter(name=src.name).order_by("-version").first()
    copy = IndicatorSet.objects.create(
        name=src.name, version=latest.version + 1, year=src.year, issuer=src.issuer, basis=src.basis,
        unit_category=src.unit_category, total_points=src.total_points, pass_mark=src.pass_mark,
        bonus_threshold=src.bonus_threshold, bonus_cap=src.bonus_cap, note=src.note, previous=src, created_by=actor,
    )
    mapping: dict[int, Indicator] = {}
    for ind in _tree_order(src):
        mapping[ind.pk] = Indicator.objects.create(
            indicator_set=copy, parent=mapping.get(ind.parent_id), code=ind.code, name=ind.name, method=ind.method,
            weight=ind.weight, per_item=ind.per_item, cap=ind.cap, source=ind.source, verified=ind.verified, note=ind.note, order=ind.order,
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
    return transitions.run(indicator_set, "publish", actor=actor, action=AuditAction.SET_PUBLISH, unit=lambda s: None,
                           update=lambda s: setattr(s, "published_at", timezone.now()), snapshot_fields=["status", "published_at"])


@transaction.atomic
def indicator_set_retire(*, actor, indicator_set: IndicatorSet) -> IndicatorSet:
    return transitions.run(indicator_set, "retire", actor=actor, action=AuditAction.SET_RETIRE, unit=lambda s: None, snapshot_fields=["status"])


# --- periods -----------------------------------------------------------------------------------


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
def period_create(*, actor, indicator_set: IndicatorSet, root: Organisation, name: str, start: dt.date, end: dt.date,
                  units: list[Organisation] | None = None, seed: int | None = None) -> Period:
    _require_office(actor, root)
    if indicator_set.status != SetStatus.PUBLISHED:
        raise ValidationError({"indicator_set": _("只能使用已发布的指标体系")})
    if end < start:
        raise ValidationError({"end": _("截止日期不能早于起始日期")})
    period = Period.objects.create(
        name=name, indicator_set=indicator_set, root=root, start=start, end=end,
        seed=seed if seed is not None else random.SystemRandom().randrange(1, 10**6), created_by=actor,
    )
    units = units if units is not None else default_units(root, indicator_set.unit_category)
    for unit in units:
        if not unit.path.startswith(root.path):
            raise ValidationError(_("评估对象必须在组织单位的管辖范围内"))
        Assessee.objects.create(period=period, unit=unit, category=indicator_set.unit_category)
    audit.record(actor=actor, action=AuditAction.PERIOD_CREATE, obj=period, unit=root, after={**audit.snapshot(period), "units": [u.pk for u in units]})
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
    audit.record(actor=actor, action=AuditAction.PERIOD_INPUTS, obj=period, unit=period.root, after={"assessees": len(assessees), "sources": sorted(sources)})
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
            total_points=s.total_points, pass_mark=s.pass_mark, bonus_threshold=s.bonus_threshold, bonus_cap=s.bonus_cap,
        )
        results[a.pk] = (tot, outcomes)
    ranks = scoring.rank((a.pk, a.category, results[a.pk][0].vetoed, results[a.pk][0].total, a.unit.path) for a in assessees)
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
                assessee=a, indicator_id=ind_id,
                defaults={"points": out.points, "applicable": out.points is not None or out.vetoed, "vetoed": out.vetoed, "note": out.note[:300]},
            )
        Assessee.objects.filter(pk=a.pk).update(
            base=tot.base, bonus=tot.bonus, total=tot.total, vetoed=tot.vetoed, veto_reasons=tot.veto_reasons, passed=tot.passed, rank=ranks[a.pk]
        )

    def update(p: Period) -> None:
        p.ranked_at, p.ranking_hash = timezone.now(), digest

    return transitions.run(period, "rank", actor=actor, action=AuditAction.PERIOD_RANK, unit=lambda p: p.root, update=update,
                           snapshot_fields=["status", "ranking_hash"])


@transaction.atomic
def score_manual(*, actor, assessee: Assessee, indicator: Indicator, points: Decimal | None, note: str = "") -> Score:
    period = assessee.period
    _require_office(actor, period.root)
    _editable(period)
    if indicator.indicator_set_id != period.indicator_set_id or indicator.method not in (Method.MANUAL, Method.BONUS, Method.VETO):
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
    audit.record(actor=actor, action=AuditAction.SCORE_MANUAL, obj=score, unit=assessee.unit, before=before, after=audit.snapshot(score, ["manual_points", "note", "inputs"]))
    return score


@transaction.atomic
def period_publish(*, actor, period: Period) -> Period:
    def update(p: Period) -> None:
        p.published_on = today()
        p.appeal_due = deadlines.due_date(p.published_on, "assessment.appeal")

    return transitions.run(period, "publish", actor=actor, action=AuditAction.PERIOD_PUBLISH, unit=lambda p: p.root, update=update,
                           snapshot_fields=["status", "published_on", "appeal_due"])


@transaction.atomic
def period_close(*, actor, period: Period) -> Period:
    return transitions.run(period, "close", actor=actor, action=AuditAction.PERIOD_CLOSE, unit=lambda p: p.root, snapshot_fields=["status"])


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
            publications.published(unit=a.unit).filter(published_on__gte=period.start, published_on__lte=period.end).values_list("pk", flat=True)
        )
        chosen = seeded_choice(ids, size, f"{period.seed}:{a.unit_id}:publications")
        sample, _created = Sample.objects.update_or_create(
            period=period, assessee=a, kind="publications", defaults={"seed": period.seed, "population": len(ids), "chosen": chosen}
        )
        out.append(sample)
    audit.record(actor=actor, action=AuditAction.SAMPLE_DRAW, obj=period, unit=period.root, after={"seed": period.seed, "size": size})
    return out


# --- due dates (registered with core.deadlines) ------------------------------------------------


def recompute_due_dates() -> int:
    changed = 0
    with transaction.atomic():
        for r in Rectification.objects.select_for_update().filter(status__in=[RectStatus.NOTIFIED, RectStatus.RESPONDED, RectStatus.RECHECKING]):
            due = deadlines.due_date(r.issued_on, "assessment.rectification")
            recheck = deadlines.due_date(r.responded_at.date(), "assessment.recheck") if r.responded_at else None
            if (due, recheck) != (r.due_on, r.recheck_due):
                before = {"due_on": r.due_on, "recheck_due": r.recheck_due}
                Rectification.objects.filter(pk=r.pk).update(due_on=due, recheck_due=recheck)
                audit.record(actor=None, action=AuditAction.RECT_DUE, obj=r, unit=r.unit, before=before, after={"due_on": due, "recheck_due": recheck})
                changed += 1
        for p in Period.objects.select_for_update().filter(status=PeriodStatus.PUBLISHED, published_on__isnull=False):
            due = deadlines.due_date(p.published_on, "assessment.appeal")
            if due != p.appeal_due:
                Period.objects.filter(pk=p.pk).update(appeal_due=due)
                audit.record(actor=None, action=AuditAction.RECT_DUE, obj=p, unit=p.root, before={"appeal_due": p.appeal_due}, after={"appeal_due": due})
                changed += 1
    return changed


# --- bulletins, rectifications, cards ------------------------------------------------------------


def propose_entries(root: Organisation, period: Period | None) -> list[dict]:
    """Units to name: confirmed open findings (per unit) and, for a ranked period, failing units."""
    from gongkai.monitoring import selectors as monitoring

    entries: dict[int, dict] = {}
    for f in monitoring.open_confirmed_under(root):
        e = entries.setdefault(f["unit_id"], {"unit_id": f["unit_id"], "problems": [], "finding_ids": []})
        e["problems"].append(f"{f['site']}{f['rule_label']}（{f['evidence']}）")
        e["finding_ids"].append(f["id"])
    if period is not None and period.ranked_at is not None:
        for a in period.assessees.filter(passed=False):
            e = entries.setdefault(a.unit_id, {"unit_id": a.unit_id, "problems": [], "finding_ids": []})
            why = "单项否决（" + "、".join(a.veto_reasons) + "）" if a.vetoed else f"得分{a.total}分，未达到合格分"
            e["problems"].append(f"{period.name}评估{why}")
    return [{**e, "problems": "；".join(e["problems"])} for e in entries.values()]


@transaction.atomic
def bulletin_draft(*, actor, root: Organisation, title: str, period: Period | None = None, number: str = "", intro: str = "", entries: list[dict] | None = None) -> Bulletin:
    _require_office(actor, root)
    bulletin = Bulletin.objects.create(root=root, period=period, title=title, number=number, intro=intro)
    for e in entries if entries is not None else propose_entries(root, period):
        unit = Organisation.objects.get(pk=e["unit_id"])
        if not unit.path.startswith(root.path):
            raise ValidationError(_("只能点名管辖范围内的单位"))
        BulletinEntry.objects.create(bulletin=bulletin, unit=unit, problems=e["problems"], finding_ids=e.get("finding_ids", []))
    audit.record(actor=actor, action=AuditAction.BULLETIN_DRAFT, obj=bulletin, unit=root, after={"entries": bulletin.entries.count()})
    return bulletin


def _card(*, actor, unit, period, colour, reason, rectification=None) -> Card:
    card = Card.objects.create(unit=unit, period=period, colour=colour, reason=reason[:300], rectification=rectification, issued_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action=AuditAction.CARD_ISSUE, obj=card, unit=unit, after={"colour": colour, "reason": reason, "period": getattr(period, "pk", None)})
    return card


def _notify(*, actor, unit, problems, finding_ids, period, bulletin) -> Rectification:
    issued = today()
    rect = Rectification.objects.create(
        period=period, bulletin=bulletin, unit=unit, problems=problems, finding_ids=list(finding_ids), issued_on=issued,
        due_on=deadlines.due_date(issued, "assessment.rectification"), created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(actor=actor, action=AuditAction.RECT_CREATE, obj=rect, unit=unit, after=audit.snapshot(rect, RECT_FIELDS))
    named_before = Card.objects.filter(unit=unit, period=period).exists() if period else Card.objects.filter(unit=unit, period__isnull=True, issued_at__year=issued.year).exists()
    if not named_before:
        _card(actor=actor, unit=unit, period=period, colour=CardColour.YELLOW, reason=_("本评估周期内首次被通报点名"), rectification=rect)
    transaction.on_commit(lambda: _enqueue_document("notice", rect.pk))
    return rect


@transaction.atomic
def bulletin_issue(*, actor, bulletin: Bulletin) -> Bulletin:
    def update(b: Bulletin) -> None:
        b.issued_on, b.issued_by = today(), actor
        if not b.number:
            seq = numbering.next_value(f"assessment:bulletin:{b.root_id}:{b.issued_on.year}")
            b.number = f"{b.root.short_name or b.root.name}公开办〔{b.issued_on.year}〕{seq}号"

    bulletin = transitions.run(bulletin, "issue", actor=actor, action=AuditAction.BULLETIN_ISSUE, unit=lambda b: b.root, update=update,
                               snapshot_fields=["status", "number", "issued_on"])
    for e in bulletin.entries.select_related("unit"):
        _notify(actor=actor, unit=e.unit, problems=e.problems, finding_ids=e.finding_ids, period=bulletin.period, bulletin=bulletin)
    transaction.on_commit(lambda: _enqueue_document("bulletin", bulletin.pk))
    return bulletin


@transaction.atomic
def rectification_create(*, actor, unit: Organisation, problems: str, finding_ids: list[int] | None = None, period: Period | None = None) -> Rectification:
    _require_office(actor, unit)
    if not problems.strip():
        raise ValidationError({"problems": _("请填写存在的问题")})
    return _notify(actor=actor, unit=unit, problems=problems.strip(), finding_ids=finding_ids or [], period=period, bulletin=None)


@transaction.atomic
def rectification_respond(*, actor, rectification: Rectification, response: str, files=()) -> Rectification:
    from gongkai.core import uploads

    Rectification.objects.filter(pk=rectification.pk).update(response=(response or "").strip())
    checked = []
    for f in files or ():
        data = f.read()
        c = uploads.check_file(f.name, data, allowed=uploads.DOCUMENT_KINDS)
        checked.append((f.name, data, c.sha256))

    def update(r: Rectification) -> None:
        r.responded_at, r.responded_by = timezone.now(), actor
        r.recheck_due = deadlines.due_date(today(), "assessment.recheck")

    def step(r: Rectification) -> None:
        for name, data, sha in checked:
            ev = Evidence(rectification=r, name=uploads.clean_filename(name)[:200], sha256=sha, uploaded_by=actor)
            ev.file.save(f"{sha[:16]}-{ev.name}", ContentFile(data), save=False)
            ev.save()

    return transitions.run(rectification, "respond", actor=actor, action=AuditAction.RECT_RESPOND, update=update, step=step,
                           snapshot_fields=["status", "response", "responded_at"])


@transaction.atomic
def rectification_recheck(*, actor, rectification: Rectification) -> Rectification:
    """Start the re-check: an automatic crawl where the problems came from one, else a person decides."""
    rect = transitions.run(rectification, "recheck", actor=actor, action=AuditAction.RECT_RECHECK,
                           update=lambda r: setattr(r, "recheck_requested_at", timezone.now()), snapshot_fields=["status", "recheck_requested_at"])
    if rect.finding_ids:
        from . import tasks

        pk, ids = rect.pk, list(rect.finding_ids)
        transaction.on_commit(lambda: tasks.start_recheck(pk, ids))
    return rect


@transaction.atomic
def rectification_evaluate(*, rectification_id: int) -> str:
    """After the automatic re-check: close when every finding is fixed, escalate when one is seen again."""
    from gongkai.monitoring import selectors as monitoring

    rect = Rectification.objects.select_for_update().get(pk=rectification_id)
    if rect.status != RectStatus.RECHECKING:
        return rect.status
    outcome = monitoring.recheck_outcome(rect.finding_ids, since=rect.recheck_requested_at)
    if outcome == "passed":
        transitions.run(rect, "close", actor=None, action=AuditAction.RECT_CLOSE, snapshot_fields=["status", "recheck_note"],
                        update=lambda r: (setattr(r, "closed_at", timezone.now()), setattr(r, "recheck_note", _("自动复查：问题均已整改"))))
    elif outcome == "failed":
        _escalate(actor=None, rect=rect, reason=_("复查未通过"))
    return outcome


@transaction.atomic
def rectification_pass(*, actor, rectification: Rectification, note: str = "") -> Rectification:
    return transitions.run(rectification, "close", actor=actor, action=AuditAction.RECT_CLOSE, snapshot_fields=["status", "recheck_note"],
                           update=lambda r: (setattr(r, "closed_at", timezone.now()), setattr(r, "recheck_note", note)))


@transaction.atomic
def rectification_fail(*, actor, rectification: Rectification, note: str = "") -> Rectification:
    return _escalate(actor=actor, rect=rectification, reason=note or _("复查未通过"))


def _escalate(*, actor, rect: Rectification, reason: str) -> Rectification:
    def update(r: Rectification) -> None:
        r.escalated_at, r.escalation_reason = timezone.now(), reason[:200]

    rect = transitions.run(rect, "escalate", actor=actor, action=AuditAction.RECT_ESCALATE, update=update, snapshot_fields=["status", "escalation_reason"])
    _card(actor=actor, unit=rect.unit, period=rect.period, colour=CardColour.RED, reason=reason, rectification=rect)
    year = today().year
    seq = numbering.next_value(f"assessment:letter:{year}")
    letter = Letter.objects.create(rectification=rect, number=f"督办〔{year}〕{seq}号", issued_on=today(), issued_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action=AuditAction.LETTER_ISSUE, obj=letter, unit=rect.unit, after={"number": letter.number})
    transaction.on_commit(lambda: _enqueue_document("letter", letter.pk))
    return rect


def escalate_overdue(*, on: dt.date | None = None) -> int:
    """Red cards for notices whose deadline passed without a response (daily job)."""
    on = on or today()
    n = 0
    for rect in Rectification.objects.filter(status=RectStatus.NOTIFIED, due_on__lt=on):
        with transaction.atomic():
            _escalate(actor=None, rect=rect, reason=_("逾期未整改"))
        n += 1
    return n


@transaction.atomic
def interview_record(*, actor, unit: Organisation, held_on: dt.date, attendees: str, summary: str, place: str = "", rectification: Rectification | None = None) -> Interview:
    _require_office(actor, unit)
    iv = Interview.objects.create(unit=unit, rectification=rectification, held_on=held_on, place=place, attendees=attendees, summary=summary, recorded_by=actor)
    audit.record(actor=actor, action=AuditAction.INTERVIEW_RECORD, obj=iv, unit=unit, after=audit.snapshot(iv))
    return iv


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
    appeal = ResultAppeal.objects.create(assessee=assessee, reason=reason.strip(), submitted_by=actor, submitted_on=today())
    audit.record(actor=actor, action=AuditAction.APPEAL_SUBMIT, obj=appeal, unit=assessee.unit, after={"reason": appeal.reason})
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: ResultAppeal, uphold: bool, decision: str) -> ResultAppeal:
    return transitions.run(appeal, "uphold" if uphold else "reject", actor=actor, action=AuditAction.APPEAL_DECIDE,
                           unit=lambda a: a.assessee.unit, update=lambda a: (setattr(a, "decision", decision), setattr(a, "decided_by", actor)),
                           snapshot_fields=["status", "decision"])


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
    audit.record(actor=actor, action=AuditAction.TEMPLATE_UPDATE, obj=tpl, before=before, after={"title": title, "body": body})
    return tpl


# --- documents --------------------------------------------------------------------------------


def _enqueue_document(kind: str, pk: int) -> None:
    from . import tasks

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
                {"rank": a.rank, "unit": a.unit.name, "category": a.get_category_display(), "total": a.total, "vetoed": a.vetoed}
                for a in obj.period.assessees.select_related("unit").order_by("category", "rank", "unit__path")
            ]
        due = deadlines.due_date(obj.issued_on or today(), "assessment.rectification")
        ctx = {"period": obj.period.name if obj.period else "", "root": obj.root.name, "intro": obj.intro, "entries": entries,
               "ranking": ranking, "days": days, "due": f"{due:%Y年%m月%d日}", "date": f"{obj.issued_on or today():%Y年%m月%d日}"}
        return obj.title or _template(kind)[0], obj.number, ctx
    rect = obj if kind == "notice" else obj.rectification
    root = rect.bulletin.root.name if rect.bulletin else (rect.period.root.name if rect.period else rect.unit.government().name)
    ctx = {"unit": rect.unit.name, "problems": rect.problems, "due": f"{rect.due_on:%Y年%m月%d日}", "days": days, "root": root,
           "issued": f"{rect.issued_on:%Y年%m月%d日}", "reason": rect.escalation_reason or "", "date": f"{today():%Y年%m月%d日}"}
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
    model.objects.filter(pk=pk).update(**{pdf_field: getattr(obj, pdf_field).name, docx_field: getattr(obj, docx_field).name})

"""Every state change of 双公示 records: create (form, import, case-system API), edit a draft,
publish, withdraw after revocation (行政处罚法 art. 48), credit repair, end of display, and the
recomputation of stored due dates after a calendar or period change."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import audit, permissions, transitions, workdays
from gongkai.core.models import Organisation, Role

from . import deadlines, indexing, validation
from .models import CreditRecord, CreditRepair, Licence, Penalty, Severity, State

log = logging.getLogger(__name__)

MODELS: dict[str, type[CreditRecord]] = {"licence": Licence, "penalty": Penalty}


@audit.register_actions
class CreditAudit(models.TextChoices):
    LICENCE_CREATE = "credit.licence.create", gettext_lazy("录入行政许可")
    LICENCE_UPDATE = "credit.licence.update", gettext_lazy("修改行政许可")
    LICENCE_PUBLISH = "credit.licence.publish", gettext_lazy("公示行政许可")
    LICENCE_WITHDRAW = "credit.licence.withdraw", gettext_lazy("撤回行政许可公示")
    PENALTY_CREATE = "credit.penalty.create", gettext_lazy("录入行政处罚")
    PENALTY_UPDATE = "credit.penalty.update", gettext_lazy("修改行政处罚")
    PENALTY_PUBLISH = "credit.penalty.publish", gettext_lazy("公示行政处罚")
    PENALTY_WITHDRAW = "credit.penalty.withdraw", gettext_lazy("撤回行政处罚公示")
    PENALTY_REPAIR = "credit.penalty.repair", gettext_lazy("行政处罚信用修复")
    PENALTY_EXPIRE = "credit.penalty.expire", gettext_lazy("行政处罚公示期满下线")
    IMPORT = "credit.import", gettext_lazy("导入双公示数据")
    EXPORT = "credit.export", gettext_lazy("导出双公示数据")
    DUE_RECOMPUTED = "credit.due_recomputed", gettext_lazy("重新计算双公示公示期限")


def _action(record: CreditRecord, verb: str) -> CreditAudit:
    return CreditAudit[f"{record.kind.upper()}_{verb.upper()}"]


def model_for(kind: str) -> type[CreditRecord]:
    try:
        return MODELS[kind]
    except KeyError:
        raise ValidationError(_("未知的数据类别“%(kind)s”（应为 licence 或 penalty）") % {"kind": kind}) from None


def require_editor(actor, unit: Organisation) -> None:
    permissions.require(actor, [Role.EDITOR, Role.REVIEWER], unit)


# --- derived dates ------------------------------------------------------------------------


def safe_publication_due(decided_on: dt.date, calendar=None) -> dt.date | None:
    """The publication due date, or ``None`` while the decision year has no calendar data
    (the record is kept and flagged; the date appears once the calendar is loaded)."""
    try:
        if calendar is not None:
            from gongkai.core import deadlines as core_deadlines

            return core_deadlines.due_date(decided_on, deadlines.PUBLICATION, calendar=calendar)
        return deadlines.publication_due(decided_on)
    except workdays.CalendarMissing:
        return None


def default_display_until(data: dict[str, Any]) -> dt.date | None:
    """The penalty's 公示截止期 when none was given: the longest period for its severity;
    minor violations are not published by default (``None``)."""
    if data.get("display_until") or data.get("severity") == Severity.MINOR:
        return data.get("display_until")
    return deadlines.display_maximum(data["decided_on"], data.get("severity") or Severity.ORDINARY)


def prepare(kind: str, data: dict[str, Any], *, unit: Organisation, calendar=None) -> dict[str, Any]:
    """Fill in what the record derives: deciding body and data source defaults, due dates."""
    data = dict(data)
    data.setdefault("authority_name", unit.name)
    data["authority_name"] = data["authority_name"] or unit.name
    data["authority_code"] = data.get("authority_code") or unit.credit_code
    data["source_unit_name"] = data.get("source_unit_name") or unit.name
    data["source_unit_code"] = data.get("source_unit_code") or unit.credit_code
    data["publication_due"] = safe_publication_due(data["decided_on"], calendar)
    if kind == "penalty":
        data["display_until"] = default_display_until(data)
    else:
        data.pop("severity", None)
        data.pop("display_until", None)
    return data


# --- create / edit ------------------------------------------------------------------------


@transaction.atomic
def record_create(
    *,
    actor,
    kind: str,
    unit: Organisation,
    data: dict[str, Any],
    source: str = "manual",
    external_id: str = "",
    publish: bool = False,
) -> CreditRecord:
    """Enter one licence or penalty (raw or typed values; validated like an import row)."""
    model = model_for(kind)
    require_editor(actor, unit)
    values = prepare(kind, validation.clean(kind, data), unit=unit)
    if model.objects.filter(unit=unit, decision_number=values["decision_number"]).exists():
        raise ValidationError(
            {"decision_number": [_("本单位已有文号为“%(n)s”的记录") % {"n": values["decision_number"]}]}
        )
    record = model(unit=unit, source=source, external_id=external_id, created_by=_user(actor), **values)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:  # a concurrent entry of the same number
        raise ValidationError({"decision_number": [_("文号重复")]}) from exc
    audit.record(actor=actor, action=_action(record, "create"), obj=record, unit=unit, after=audit.snapshot(record))
    if publish:
        record = record_publish(actor=actor, record=record)
    return record


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


EDITABLE_EXCLUDE = {"state", "unit", "published_at", "withdrawn_at"}


@transaction.atomic
def record_update(*, actor, record: CreditRecord, data: dict[str, Any]) -> CreditRecord:
    """Correct a record that is not yet public (published records are withdrawn and re-entered)."""
    require_editor(actor, record.unit)
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if locked.state != State.DRAFT:
        raise transitions.TransitionRefused(_("已公示的记录不能修改；如决定被变更，请撤回后重新录入"))
    current = {f.name: getattr(locked, f.name) for f in locked._meta.concrete_fields}
    values = prepare(record.kind, validation.clean(record.kind, {**current, **data}), unit=locked.unit)
    duplicate = (
        type(record)
        .objects.filter(unit=locked.unit, decision_number=values["decision_number"])
        .exclude(pk=locked.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"decision_number": [_("本单位已有文号为“%(n)s”的记录") % {"n": values["decision_number"]}]}
        )
    before = audit.snapshot(locked)
    for name, value in values.items():
        if name not in EDITABLE_EXCLUDE:
            setattr(locked, name, value)
    locked.save()
    audit.record(
        actor=actor,
        action=_action(locked, "update"),
        obj=locked,
        unit=locked.unit,
        before=before,
        after=audit.snapshot(locked),
    )
    return locked


# --- transitions --------------------------------------------------------------------------


@transaction.atomic
def record_publish(*, actor, record: CreditRecord) -> CreditRecord:
    published = transitions.run(record, "publish", actor=actor, action=_action(record, "publish"))
    transaction.on_commit(lambda: indexing.schedule(published))
    return published


@transaction.atomic
def record_withdraw(
    *, actor, record: CreditRecord, revocation_kind: str, revoked_on: dt.date, reason: str
) -> CreditRecord:
    """Withdraw a published decision that was changed, revoked or annulled, with the reason
    (行政处罚法 art. 48: within 3 working days; a late withdrawal is recorded as late)."""
    if revoked_on > timezone.localdate():
        raise ValidationError({"revoked_on": [_("变更或撤销日期不能晚于今天")]})
    if revoked_on < record.decided_on:
        raise ValidationError({"revoked_on": [_("变更或撤销日期不能早于决定日期")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请说明撤回理由")]})
    due = None
    try:
        due = deadlines.withdrawal_due(revoked_on)
    except workdays.CalendarMissing:
        log.warning("credit: no calendar for %s, withdrawal due date unknown", revoked_on.year)

    def update(obj):
        obj.revocation_kind = revocation_kind
        obj.revoked_on = revoked_on
        obj.withdrawal_due = due
        obj.withdrawal_reason = reason.strip()

    withdrawn = transitions.run(record, "withdraw", actor=actor, action=_action(record, "withdraw"), update=update)
    transaction.on_commit(lambda: indexing.schedule(withdrawn))
    return withdrawn


@transaction.atomic
def penalty_repair(*, actor, penalty: Penalty, applicant: str, received_on: dt.date, correction: str) -> Penalty:
    """Accept a credit-repair request (信用修复) once the minimum display period has passed:
    the penalty leaves the public pages at once and stays in the unit's records."""
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("收到申请日期不能晚于今天")]})

    def step(obj):
        CreditRepair.objects.create(
            penalty=obj, applicant=applicant, received_on=received_on, correction=correction, handled_by=_user(actor)
        )

    repaired = transitions.run(penalty, "repair", actor=actor, action=CreditAudit.PENALTY_REPAIR, step=step)
    transaction.on_commit(lambda: indexing.schedule(repaired))
    return repaired


def expire_displays(*, today: dt.date | None = None) -> int:
    """Take penalties whose display period has ended off the public pages (kept internally).

    The portal already hides a penalty from the day after its 公示截止期 (the query filters on
    the date); this job records the change of state and removes it from the search index.
    Runs daily on Celery beat. Each penalty is its own transaction.
    """
    today = today or timezone.localdate()
    ids = list(Penalty.objects.filter(state=State.PUBLISHED, display_until__lt=today).values_list("pk", flat=True))
    done = 0
    for pk in ids:
        with transaction.atomic():
            penalty = Penalty.objects.get(pk=pk)
            try:
                expired = transitions.run(penalty, "expire", actor=None, action=CreditAudit.PENALTY_EXPIRE)
            except transitions.TransitionRefused:
                continue
            transaction.on_commit(lambda p=expired: indexing.schedule(p))
            done += 1
    return done


def recompute_due_dates() -> int:
    """Recompute the publication due date of every record not yet published (a calendar or
    period change); one query per distinct decision date, each change audited."""
    calendar = workdays.current_calendar()
    changed = 0
    for model in MODELS.values():
        open_qs = model.objects.filter(state=State.DRAFT)
        for decided_on in open_qs.values_list("decided_on", flat=True).distinct().order_by():
            due = safe_publication_due(decided_on, calendar)
            with transaction.atomic():
                stale = list(
                    open_qs.filter(decided_on=decided_on)
                    .exclude(publication_due=due)
                    .select_for_update()
                    .values_list("pk", "publication_due", "unit_id")
                )
                if not stale:
                    continue
                model.objects.filter(pk__in=[s[0] for s in stale]).update(publication_due=due)
                for pk, old, unit_id in stale:
                    audit.record(
                        actor=None,
                        action=CreditAudit.DUE_RECOMPUTED,
                        object_type=model._meta.label_lower,
                        object_id=pk,
                        object_repr=f"{model._meta.verbose_name} #{pk}",
                        unit=Organisation(pk=unit_id),
                        before={"publication_due": old},
                        after={"publication_due": due},
                    )
                changed += len(stale)
    return changed


def check_can_export(actor, units) -> None:
    if not units:
        raise PermissionDenied(_("您无权导出双公示数据"))


@transaction.atomic
def record_export_logged(*, actor, kind: str, unit: Organisation | None, count: int) -> None:
    """The export to the credit platform contains ID numbers: every export is audited."""
    audit.record(
        actor=actor,
        action=CreditAudit.EXPORT,
        object_type=f"credit.{kind}",
        object_repr=f"{kind} ×{count}",
        unit=unit,
        after={"kind": kind, "count": count},
    )

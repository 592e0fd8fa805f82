"""Appeal types (咨询/建议/投诉/求助 …) and their time limits, which are legal periods in core.

A type's limit is the :class:`~gongkai.core.models.LegalPeriod` ``appeal.<code>``: creating a
type creates its period, editing the limit edits the period through
:func:`gongkai.core.services.period_update` (audited; open appeals' due dates are recomputed on
commit). The periods table (工作台 › 法定期限) edits the same rows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit, deadlines, permissions
from gongkai.core import services as core_services
from gongkai.core.models import LegalPeriod, PeriodUnit

from ..audit_actions import AuditAction
from ..models import AppealType

PERIOD_BASIS = "平台默认值（各地政务咨询办理规定不一，可配置）"
PERIOD_STARTS_ON = "收到留言之日（重新办理的，自申请重新办理之日）"
TYPE_FIELDS = ["code", "name", "description", "period_id", "sort_order", "is_active"]


def _require_admin(actor) -> None:
    if actor is not None and not permissions.is_configuration_admin(actor):
        raise PermissionDenied(_("只有系统管理员可以设置留言类型"))


def _check_limit(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise ValidationError({"time_limit_days": _("办理时限必须是 1 到 365 之间的工作日数")})
    return days


@transaction.atomic
def appeal_type_create(
    *, actor, code: str, name: str, time_limit_days: int, description: str = "", sort_order: int = 0, is_active=True
) -> AppealType:
    """A new appeal type with its own period ``appeal.<code>`` (working days from receipt)."""
    _require_admin(actor)
    days = _check_limit(time_limit_days)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValidationError(_("请填写代码和名称"))
    if AppealType.objects.filter(code=code).exists():
        raise ValidationError({"code": _("代码“%(code)s”已被使用") % {"code": code}})
    period, created = LegalPeriod.objects.get_or_create(
        code=f"appeal.{code}",
        defaults={
            "name": _("%(name)s类留言办理时限") % {"name": name},
            "app": "interaction",
            "length": days,
            "unit": PeriodUnit.WORKING_DAYS,
            "starts_on": PERIOD_STARTS_ON,
            "legal_basis": PERIOD_BASIS,
        },
    )
    if created:
        deadlines.bump_version()
    elif period.length != days:
        period = core_services.period_update(actor=actor, period=period, length=days)
    appeal_type = AppealType.objects.create(
        code=code,
        name=name,
        description=(description or "")[:200],
        period=period,
        sort_order=sort_order,
        is_active=is_active,
    )
    audit.record(
        actor=actor,
        action=AuditAction.APPEAL_TYPE_CREATE,
        obj=appeal_type,
        after={**audit.snapshot(appeal_type, TYPE_FIELDS), "time_limit_days": days},
    )
    return appeal_type


@transaction.atomic
def appeal_type_update(*, actor, appeal_type: AppealType, time_limit_days: int | None = None, **fields) -> AppealType:
    """Change name, description, order, activity; a changed limit changes the type's period (audited)."""
    _require_admin(actor)
    row = AppealType.objects.select_for_update().get(pk=appeal_type.pk)
    before = {**audit.snapshot(row, TYPE_FIELDS), "time_limit_days": row.period.length}
    for name in ("name", "description", "sort_order", "is_active"):
        if name in fields:
            setattr(row, name, fields[name])
    if not (row.name or "").strip():
        raise ValidationError({"name": _("请填写名称")})
    row.save()
    if time_limit_days is not None and time_limit_days != row.period.length:
        core_services.period_update(actor=actor, period=row.period, length=_check_limit(time_limit_days))
    audit.record(
        actor=actor,
        action=AuditAction.APPEAL_TYPE_UPDATE,
        obj=row,
        before=before,
        after={**audit.snapshot(row, TYPE_FIELDS), "time_limit_days": LegalPeriod.objects.get(pk=row.period_id).length},
    )
    return row

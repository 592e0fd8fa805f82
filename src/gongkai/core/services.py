"""State-changing use cases of the core app. Each runs in one transaction and audits itself."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, credit_code, deadlines, permissions, workdays
from .audit import AuditAction
from .models import (
    ADMIN_ROLES,
    CalendarYear,
    Holiday,
    HolidayKind,
    LegalPeriod,
    Level,
    Membership,
    Organisation,
    OrgKind,
    Role,
    User,
)

ORG_FIELDS = [
    "name",
    "short_name",
    "kind",
    "level",
    "credit_code",
    "division_code",
    "contact_phone",
    "contact_email",
    "address",
    "website",
    "office_hours",
    "sort_order",
    "is_active",
]


def _path_for(pk: int, parent: Organisation | None) -> str:
    return (parent.path if parent else "") + f"{pk:06d}."


def _validate_parent(org: Organisation, parent: Organisation | None) -> None:
    if parent is None:
        return
    if org.pk and (parent.pk == org.pk or parent.path.startswith(org.path)):
        raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位（会形成循环）")})
    if org.kind == OrgKind.GOVERNMENT:
        if parent.kind != OrgKind.GOVERNMENT:
            raise ValidationError({"parent": _("人民政府的上级单位必须是上一级人民政府")})
        order = [str(x) for x in (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)]
        if org.level not in order or order.index(org.level) != order.index(parent.level) + 1:
            raise ValidationError({"level": _("政府层级应为上级政府的下一级（省→市→县→乡）")})
    elif org.level != parent.level:
        raise ValidationError({"level": _("部门和企事业单位的层级应与上级单位相同")})


def _validate_root(org: Organisation) -> None:
    if org.kind != OrgKind.GOVERNMENT:
        raise ValidationError({"parent": _("部门和企事业单位必须有上级单位")})


def _check_authority(actor: User | None, parent: Organisation | None) -> None:
    if actor is None:  # system (migrations, demo loader, management commands)
        return
    if parent is None:
        if not permissions.is_configuration_admin(actor):
            raise permissions.PermissionDenied(_("只有系统管理员可以创建顶级单位"))
        return
    permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], parent)


@transaction.atomic
def organisation_create(*, actor: User | None, parent: Organisation | None, **data) -> Organisation:
    _check_authority(actor, parent)
    unknown = set(data) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if parent is not None and "level" not in data:
        data["level"] = parent.level
    data["credit_code"] = credit_code.normalise(data.get("credit_code") or "")
    org = Organisation(parent=parent, **data)
    if parent is None:
        _validate_root(org)
    _validate_parent(org, parent)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = _path_for(org.pk, parent)
    org.depth = org.path.count(".") - 1
    org.save(update_fields=["path", "depth"])
    audit.record(actor=actor, action=AuditAction.ORGANISATION_CREATE, obj=org, unit=org, after=audit.snapshot(org))
    return org


@transaction.atomic
def organisation_update(*, actor: User | None, org: Organisation, parent=..., **data) -> Organisation:
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    if actor is not None:
        permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], org.parent or org)
    before = audit.snapshot(org)
    for key, value in data.items():
        if key not in ORG_FIELDS:
            raise TypeError(f"unknown field {key}")
        setattr(org, key, value)
    org.credit_code = credit_code.normalise(org.credit_code)
    moved = parent is not ... and (parent.pk if parent else None) != org.parent_id
    if moved:
        if actor is not None:
            if parent is None and not permissions.is_configuration_admin(actor):
                raise permissions.PermissionDenied(_("只有系统管理员可以把单位设为顶级单位"))
            if parent is not None:
                permissions.require(actor, [Role.DISCLOSURE_OFFICE, Role.SYSADMIN], parent)
        if parent is None:
            _validate_root(org)
        _validate_parent(org, parent)
        org.parent = parent
    else:
        _validate_parent(org, org.parent)
    org.full_clean(exclude=["path"])
    org.save()
    if moved:
        old_prefix = org.path
        new_prefix = _path_for(org.pk, org.parent)
        for node in Organisation.objects.select_for_update().filter(path__startswith=old_prefix):
            node.path = new_prefix + node.path[len(old_prefix) :]
            node.depth = node.path.count(".") - 1
            node.save(update_fields=["path", "depth"])
        org.refresh_from_db()
    audit.record(
        actor=actor, action=AuditAction.ORGANISATION_UPDATE, obj=org, unit=org, before=before, after=audit.snapshot(org)
    )
    return org


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    full_name: str = "",
    unit: Organisation | None = None,
    roles: list[str] = (),
    phone: str = "",
    email: str = "",
) -> User:
    if actor is not None:
        if unit is None:
            if not permissions.is_security_admin(actor):
                raise permissions.PermissionDenied(_("只有安全管理员可以创建不属于任何单位的账号"))
        else:
            permissions.require_manages_accounts(actor, unit)
    if roles and unit is None:
        raise ValidationError({"unit": _("分配角色前须指定所属单位")})
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("账号 %(username)s 已存在") % {"username": username}})
    if password:
        try:
            password_validation.validate_password(password, User(username=username, full_name=full_name))
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    user = User(username=username, full_name=full_name, unit=unit, phone=phone, email=email, is_staff=False)
    if password:
        user.set_password(password)
        user.password_changed_at = timezone.now()
        # An initial password chosen by an administrator is changed by its owner at the first login.
        user.must_change_password = actor is not None
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action=AuditAction.USER_CREATE,
        obj=user,
        unit=unit,
        after={"username": username, "full_name": full_name},
    )
    for role in roles:
        membership_grant(actor=actor, user=user, unit=unit, role=role)
    return user


@transaction.atomic
def membership_grant(*, actor: User | None, user: User, unit: Organisation, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("未知角色：%(role)s") % {"role": role}})
    if actor is not None:
        if role in ADMIN_ROLES and not permissions.is_security_admin(actor):
            raise permissions.PermissionDenied(_("只有安全管理员可以授予管理员角色"))
        permissions.require_manages_accounts(actor, unit)
        _require_manages_user(actor, user)
        if role in ADMIN_ROLES and user.pk == actor.pk:
            raise ValidationError({"role": _("不能给自己授予管理员角色")})
    if not user.is_active:
        raise ValidationError({"user": _("该账号已停用，不能分配角色")})
    if role in ADMIN_ROLES:
        # Two grants racing for one person must not both pass the separation check: lock the user row.
        User.objects.select_for_update().filter(pk=user.pk).first()
        _require_separation(user, role)
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit.record(
            actor=actor,
            action=AuditAction.MEMBERSHIP_GRANT,
            obj=membership,
            unit=unit,
            after={"user": user.username, "unit": unit.pk, "role": role},
        )
    if role == Role.SYSADMIN and not user.is_staff:
        user.is_staff = True  # Django admin holds reference data only
        user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    if actor is not None:
        if membership.role in ADMIN_ROLES and not permissions.is_security_admin(actor):
            raise permissions.PermissionDenied(_("只有安全管理员可以撤销管理员角色"))
        permissions.require_manages_accounts(actor, membership.unit)
    before = {"user": membership.user.username, "unit": membership.unit_id, "role": membership.role}
    audit.record(actor=actor, action=AuditAction.MEMBERSHIP_REVOKE, obj=membership, unit=membership.unit, before=before)
    membership.delete()


def _require_manages_user(actor: User, user: User) -> None:
    """Staff accounts are managed by the disclosure office over the user's own unit, or the security
    administrator; accounts holding an administrator role (or the superuser) by the security administrator only."""
    if permissions.is_security_admin(actor):
        return
    if user.is_superuser or user.memberships.filter(role__in=ADMIN_ROLES).exists():
        raise permissions.PermissionDenied(_("管理员账号只能由安全管理员管理"))
    if not permissions.manages_accounts(actor, user.unit):
        raise permissions.PermissionDenied(_("您无权管理该工作人员账号"))


def _require_separation(user: User, role: str) -> None:
    """三员分立: the system, security and audit administrators are three different accounts."""
    labels = dict(Role.choices)
    if user.is_superuser:
        raise ValidationError({"role": _("三员分立：超级用户仅用于安装，不能担任%(role)s") % {"role": labels[role]}})
    held = set(user.memberships.filter(role__in=ADMIN_ROLES).exclude(role=role).values_list("role", flat=True))
    if held:
        raise ValidationError(
            {
                "role": _("三员分立：该账号已是%(held)s，不能同时担任%(role)s")
                % {"held": "、".join(str(labels[r]) for r in sorted(held)), "role": labels[role]}
            }
        )


USER_FIELDS = ["full_name", "phone", "email", "unit", "is_active"]


@transaction.atomic
def user_update(*, actor: User | None, user: User, **data) -> User:
    """Change a staff account's name, contact details, unit or active flag (audited)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    unknown = set(data) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if actor is not None:
        _require_manages_user(actor, user)
        new_unit = data.get("unit", user.unit)
        if new_unit is not None and new_unit != user.unit:
            permissions.require_manages_accounts(actor, new_unit)
        if new_unit is None and not permissions.is_security_admin(actor):
            raise permissions.PermissionDenied(_("只有安全管理员可以取消账号的所属单位"))
        if data.get("is_active") is False and user.pk == actor.pk:
            raise ValidationError({"is_active": _("不能停用自己的账号")})
    fields = ["full_name", "phone", "email", "unit_id", "is_active"]
    before = audit.snapshot(user, fields)
    for key, value in data.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"], validate_unique=False)
    # Only a changed field can newly collide with another account (a username check per write otherwise).
    user.validate_unique(exclude=[f.name for f in User._meta.fields if f.name not in data])
    user.save(update_fields=list(data))  # the row is locked: the other columns are as just read
    audit.record(
        actor=actor,
        action=AuditAction.USER_UPDATE,
        obj=user,
        unit=user.unit,
        before=before,
        after=audit.snapshot(user, fields),
    )
    return user


# --- Working-day calendar -----------------------------------------------------


@dataclass
class HolidayRow:
    date: dt.date
    kind: str
    name: str
    where: str = ""  # "第5行" (CSV) or "2027年第3条" (JSON), for error messages


@dataclass
class HolidayImportReport:
    rows: list[HolidayRow] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_holiday_file(content: bytes, filename: str = "") -> HolidayImportReport:
    """Parse a holiday-cn JSON file or a CSV (date,kind,name) into rows, collecting errors.

    holiday-cn layout: ``{"year": 2026, "papers": [...], "days": [{"name": "春节",
    "date": "2026-02-15", "isOffDay": true}, ...]}`` (isOffDay false = 调休上班).
    CSV: header ``date,kind,name`` with kind ``holiday``/``workday`` (or 休/班).
    """
    report = HolidayImportReport()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append(_("文件不是 UTF-8 编码，请另存为 UTF-8 后再导入"))
        return report
    stripped = text.lstrip()
    if not stripped:
        report.errors.append(_("文件为空，没有任何节假日记录"))
        return report
    if filename.lower().endswith(".json") or stripped.startswith(("{", "[")):
        _parse_holiday_json(stripped, report)
    else:
        _parse_holiday_csv(text, report)
    seen: dict[dt.date, str] = {}
    for i, row in enumerate(report.rows, start=1):
        where = row.where or _("第%(i)s条") % {"i": i}
        if row.date in seen:
            report.errors.append(
                _("%(where)s：日期 %(date)s 重复（与%(first)s）")
                % {"where": where, "date": row.date, "first": seen[row.date]}
            )
        seen.setdefault(row.date, where)
    if not report.rows and not report.errors:
        report.errors.append(_("文件中没有任何节假日记录"))
    return report


def _parse_holiday_json(text: str, report: HolidayImportReport) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        report.errors.append(
            _("JSON 格式错误：第%(lineno)s行第%(colno)s列 %(msg)s")
            % {"lineno": exc.lineno, "colno": exc.colno, "msg": exc.msg}
        )
        return
    files = data if isinstance(data, list) else [data]
    for f_index, obj in enumerate(files, start=1):
        if not isinstance(obj, dict) or "days" not in obj or not isinstance(obj["days"], list):
            report.errors.append(_("第%(f_index)s个对象不是 holiday-cn 格式（缺少 days 列表）") % {"f_index": f_index})
            continue
        year = obj.get("year")
        if not isinstance(year, int) or not 1990 <= year <= 2200:
            report.errors.append(
                _("第%(f_index)s个对象的 year 无效：%(year)s") % {"f_index": f_index, "year": repr(year)}
            )
            continue
        report.years.add(year)
        for d_index, day in enumerate(obj["days"], start=1):
            where = _("%(year)s年第%(d_index)s条") % {"year": year, "d_index": d_index}
            if not isinstance(day, dict):
                report.errors.append(_("%(where)s：不是对象") % {"where": where})
                continue
            missing = [k for k in ("name", "date", "isOffDay") if k not in day]
            if missing:
                report.errors.append(
                    _("%(where)s：缺少字段 %(fields)s") % {"where": where, "fields": ", ".join(missing)}
                )
                continue
            try:
                date = dt.date.fromisoformat(str(day["date"]))
            except ValueError:
                report.errors.append(
                    _("%(where)s：日期格式错误 %(value)s（应为 YYYY-MM-DD）")
                    % {"where": where, "value": repr(day["date"])}
                )
                continue
            if abs(date.year - year) > 1:
                report.errors.append(
                    _("%(where)s：日期 %(date)s 不属于%(year)s年的安排") % {"where": where, "date": date, "year": year}
                )
                continue
            if not isinstance(day["isOffDay"], bool):
                report.errors.append(_("%(where)s：isOffDay 应为 true 或 false") % {"where": where})
                continue
            name = str(day["name"]).strip()[:40]
            if not name:
                report.errors.append(_("%(where)s：名称为空") % {"where": where})
                continue
            kind = HolidayKind.HOLIDAY if day["isOffDay"] else HolidayKind.WORKDAY
            report.rows.append(HolidayRow(date, kind, name, where))


_KIND_ALIASES = {
    "holiday": HolidayKind.HOLIDAY,
    "休": HolidayKind.HOLIDAY,
    "假": HolidayKind.HOLIDAY,
    "workday": HolidayKind.WORKDAY,
    "班": HolidayKind.WORKDAY,
    "调休上班": HolidayKind.WORKDAY,
}


def _parse_holiday_csv(text: str, report: HolidayImportReport) -> None:
    reader = csv.DictReader(io.StringIO(text))
    expected = {"date", "kind", "name"}
    if not reader.fieldnames or not expected <= {(h or "").strip().lower() for h in reader.fieldnames}:
        report.errors.append(_("CSV 表头应为 date,kind,name（日期,类型,名称）"))
        return
    for line_no, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        try:
            date = dt.date.fromisoformat(row["date"])
        except ValueError:
            report.errors.append(
                _("第%(line_no)s行：日期格式错误 %(value)s（应为 YYYY-MM-DD）")
                % {"line_no": line_no, "value": repr(row["date"])}
            )
            continue
        kind = _KIND_ALIASES.get(row["kind"].lower())
        if kind is None:
            report.errors.append(
                _("第%(line_no)s行：类型应为 holiday 或 workday，而不是 %(value)s")
                % {"line_no": line_no, "value": repr(row["kind"])}
            )
            continue
        if not row["name"]:
            report.errors.append(_("第%(line_no)s行：名称为空") % {"line_no": line_no})
            continue
        report.rows.append(HolidayRow(date, kind, row["name"][:40], _("第%(line_no)s行") % {"line_no": line_no}))
        report.years.add(date.year)


@transaction.atomic
def holidays_import(*, actor: User | None, report: HolidayImportReport, source: str = "") -> HolidayImportReport:
    """Save a parsed holiday file all-or-nothing; the years it covers become known."""
    if not report.ok:
        raise ValidationError(report.errors)
    if actor is not None and not permissions.is_configuration_admin(actor):
        raise permissions.PermissionDenied(_("只有系统管理员可以导入工作日历"))
    for row in report.rows:
        _holiday, created = Holiday.objects.update_or_create(
            date=row.date, defaults={"kind": row.kind, "name": row.name}
        )
        if created:
            report.created += 1
        else:
            report.updated += 1
    for year in sorted(report.years):
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source[:255]})
    workdays.bump_version()
    deadlines.schedule_recompute("calendar")
    audit.record(
        actor=actor,
        action=AuditAction.CALENDAR_IMPORT,
        object_type="core.calendaryear",
        object_id=",".join(str(y) for y in sorted(report.years)),
        object_repr=f"节假日导入 {source}"[:255],
        after={"created": report.created, "updated": report.updated, "years": sorted(report.years)},
    )
    return report


@transaction.atomic
def holiday_save(*, actor: User | None, date: dt.date, kind: str, name: str) -> Holiday:
    if actor is not None and not permissions.is_configuration_admin(actor):
        raise permissions.PermissionDenied(_("只有系统管理员可以修改工作日历"))
    existing = Holiday.objects.filter(date=date).first()
    before = audit.snapshot(existing) if existing else None
    holiday = existing or Holiday(date=date)
    holiday.kind = kind
    holiday.name = name
    holiday.full_clean()
    holiday.save()
    CalendarYear.objects.get_or_create(year=date.year, defaults={"source": "手工录入"})
    workdays.bump_version()
    deadlines.schedule_recompute("calendar")
    audit.record(
        actor=actor, action=AuditAction.CALENDAR_SAVE, obj=holiday, before=before, after=audit.snapshot(holiday)
    )
    return holiday


@transaction.atomic
def holiday_delete(*, actor: User | None, holiday: Holiday) -> None:
    if actor is not None and not permissions.is_configuration_admin(actor):
        raise permissions.PermissionDenied(_("只有系统管理员可以修改工作日历"))
    snapshot = audit.snapshot(holiday)
    holiday_id = holiday.pk
    holiday.delete()
    workdays.bump_version()
    deadlines.schedule_recompute("calendar")
    audit.record(
        actor=actor,
        action=AuditAction.CALENDAR_DELETE,
        object_type="core.holiday",
        object_id=holiday_id,
        object_repr=str(holiday)[:255],
        before=snapshot,
    )


@transaction.atomic
def period_update(*, actor: User | None, period: LegalPeriod, length: int, note: str | None = None) -> LegalPeriod:
    """Change a legal period's length (and note); every stored due date using it is recomputed on commit."""
    if actor is not None and not permissions.is_configuration_admin(actor):
        raise permissions.PermissionDenied(_("只有系统管理员可以修改法定期限"))
    row = LegalPeriod.objects.select_for_update().get(pk=period.pk)
    before = audit.snapshot(row)
    if isinstance(length, bool) or not isinstance(length, int) or not 0 < length <= 3650:
        raise ValidationError({"length": _("期限长度必须是 1 到 3650 之间的整数")})
    row.length = length
    if note is not None:
        row.note = note.strip()[:300]
    row.full_clean()
    row.save()
    deadlines.bump_version()
    deadlines.schedule_recompute("period")
    audit.record(actor=actor, action=AuditAction.PERIOD_UPDATE, obj=row, before=before, after=audit.snapshot(row))
    return row


def next_sort_order(parent: Organisation | None) -> int:
    return (Organisation.objects.filter(parent=parent).aggregate(m=Max("sort_order"))["m"] or 0) + 10


__all__ = [
    "credit_code",
    "holiday_delete",
    "holiday_save",
    "holidays_import",
    "membership_grant",
    "membership_revoke",
    "organisation_create",
    "organisation_update",
    "parse_holiday_file",
    "user_create",
    "user_update",
]

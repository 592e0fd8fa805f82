"""Organisation-scoped authorisation, used by every staff view, API view and service.

Rules:
- a user acts in a unit through a :class:`Membership` (unit + role);
- a 政务公开办 administrator (disclosure_office) at a unit has oversight of that
  unit and every unit below it: can see everything there and perform the
  supervisory actions (catalogues, assessment, reports, audit log);
- 三员分立 (等保 2.0): the system administrator does configuration only — the organisation tree,
  the working-day calendar, legal periods, catalogue domains and element templates, appeal types,
  the monitoring registry, the search dictionary (:func:`is_configuration_admin`); it neither reads
  nor changes units' business records (requests, publications, appeals, reports, credit records…)
  unless it also holds a business membership in that unit. The security administrator manages
  accounts, roles, lockouts and passwords (:func:`manages_accounts`); the audit administrator reads
  and exports the audit log and changes nothing (:func:`audit_scope`);
- the Django superuser is for installation only: it passes every check, and its use is audited;
- nobody else sees or changes another unit's records.

``visible_units(user)`` answers "which units' records may this user list/read";
``has_role(user, role, unit)`` answers "may this user act in this role for that unit".
Services call :func:`require`; views/querysets call :func:`scope`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import ADMIN_ROLES, Membership, Organisation, Role, User


def is_superuser(user) -> bool:
    """The Django superuser (installation only): passes every check; its use is audited and flagged."""
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def is_configuration_admin(user) -> bool:
    """May ``user`` change the platform's configuration (organisation tree, calendar, legal periods,
    catalogue domains and templates, appeal types, monitoring registry, search dictionary…)?

    The system administrator (and the superuser, for installation). This grants nothing over units'
    business records: those checks (:func:`has_role`, :func:`can_view`, :func:`scope`…) ignore it.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(_roles(user).get(Role.SYSADMIN))


def _roles(user: User) -> dict[str, list[str]]:
    """role -> list of unit paths (cached on the user object for the request)."""
    cached = getattr(user, "_gk_roles", None)
    if cached is None:
        cached: dict[str, list[str]] = {}
        for role, path in Membership.objects.filter(user=user, unit__is_active=True).values_list("role", "unit__path"):
            cached.setdefault(role, []).append(path)
        user._gk_roles = cached
    return cached


def _business_roles(user: User) -> dict[str, list[str]]:
    """The user's unit roles, without the three administrator roles (which grant no business access)."""
    return {r: paths for r, paths in _roles(user).items() if r not in ADMIN_ROLES}


def is_business_staff(user) -> bool:
    """Holds a business role (editor, reviewer, leader, disclosure office) somewhere, or is the superuser."""
    return is_superuser(user) or bool(getattr(user, "is_authenticated", False) and _business_roles(user))


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(_roles(user))
    if user.is_superuser:
        roles.add(Role.SYSADMIN)
    return roles


def has_role(user, role: str, unit: Organisation) -> bool:
    """May ``user`` act as ``role`` for ``unit``?

    Holds if the user has that role in the unit itself, or (for the disclosure-office role) in an
    ancestor unit, or is the superuser. ``Role.SYSADMIN`` is a configuration authority over every
    unit (e.g. editing the organisation tree): it holds for :func:`is_configuration_admin` and lets
    nobody act in another role.
    """
    if not getattr(user, "is_authenticated", False) or unit is None:
        return False
    if user.is_superuser:
        return True
    if role == Role.SYSADMIN:
        return is_configuration_admin(user)
    if role in ADMIN_ROLES:
        return bool(_roles(user).get(role))
    paths = _roles(user).get(role, [])
    if role == Role.DISCLOSURE_OFFICE:
        return any(unit.path.startswith(p) for p in paths)
    return unit.path in paths


def has_any_role(user, roles: Iterable[str], unit: Organisation) -> bool:
    return any(has_role(user, r, unit) for r in roles)


def oversees(user, unit: Organisation) -> bool:
    return has_role(user, Role.DISCLOSURE_OFFICE, unit)


def can_view(user, unit: Organisation) -> bool:
    """May ``user`` read ``unit``'s staff-side records?"""
    if not getattr(user, "is_authenticated", False) or unit is None:
        return False
    if user.is_superuser:
        return True
    roles = _business_roles(user)
    if any(unit.path in paths for paths in roles.values()):
        return True
    return oversees(user, unit)


def require(user, role: str | Iterable[str], unit: Organisation) -> None:
    """Raise PermissionDenied unless the user may act as (one of) ``role`` for ``unit``."""
    wanted = [role] if isinstance(role, str) else list(role)
    if not has_any_role(user, wanted, unit):
        raise PermissionDenied(_("您没有在该单位执行此操作的权限"))


def require_view(user, unit: Organisation) -> None:
    if not can_view(user, unit):
        raise PermissionDenied(_("您无权查看该单位的信息"))


def visible_units(user) -> QuerySet[Organisation]:
    """Units whose records the user may list: own units plus everything overseen."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    roles = _business_roles(user)
    exact = {p for r, paths in roles.items() if r != Role.DISCLOSURE_OFFICE for p in paths}
    q = Q(path__in=exact)
    for p in roles.get(Role.DISCLOSURE_OFFICE, []):
        q |= Q(path__startswith=p)
    if not exact and not roles.get(Role.DISCLOSURE_OFFICE):
        return Organisation.objects.none()
    return Organisation.objects.filter(q)


def units_with_role(user, role: str) -> QuerySet[Organisation]:
    """Units in which the user may act as ``role`` (incl. oversight for disclosure office)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    if role == Role.SYSADMIN:
        return Organisation.objects.all() if is_configuration_admin(user) else Organisation.objects.none()
    paths = _roles(user).get(role, [])
    if not paths:
        return Organisation.objects.none()
    if role == Role.DISCLOSURE_OFFICE:
        q = Q()
        for p in paths:
            q |= Q(path__startswith=p)
        return Organisation.objects.filter(q)
    return Organisation.objects.filter(path__in=paths)


def scope(qs: QuerySet, user, unit_field: str = "unit") -> QuerySet:
    """Restrict a queryset of unit-owned records to what the user may see."""
    if is_superuser(user):
        return qs
    return qs.filter(**{f"{unit_field}__in": visible_units(user)})


def organisation_units(user) -> QuerySet[Organisation]:
    """Units whose own page (name, codes, place in the tree) the user may see: :func:`visible_units`,
    or every unit for the system administrator (who maintains the tree) and the security
    administrator (who grants roles in any unit). Grants no access to the units' records."""
    if is_configuration_admin(user) or is_security_admin(user):
        return Organisation.objects.all()
    return visible_units(user)


def may_view_organisation(user, unit: Organisation) -> bool:
    return can_view(user, unit) or is_configuration_admin(user) or is_security_admin(user)


def is_staff_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and (user.is_superuser or bool(_roles(user)))


# --- 三员分立: the security and audit administrators --------------------------------------------


def _holds(user, role: str) -> bool:
    return getattr(user, "is_authenticated", False) and (user.is_superuser or bool(_roles(user).get(role)))


def is_security_admin(user) -> bool:
    """Accounts, roles, lockouts, passwords (the superuser too, for installation)."""
    return _holds(user, Role.SECURITY_ADMIN)


def is_audit_admin(user) -> bool:
    """Reads and exports the audit log (the superuser too, for installation)."""
    return _holds(user, Role.AUDIT_ADMIN)


def is_administrator(user) -> bool:
    """Holds one of the three administrator roles, or is the superuser."""
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or any(_roles(user).get(r) for r in ADMIN_ROLES)
    )


def _office_paths(user) -> list[str]:
    """Units the user oversees through a real disclosure-office membership (no system-administrator shortcut)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_roles(user).get(Role.DISCLOSURE_OFFICE, []))


def _subtrees(paths: list[str]) -> QuerySet[Organisation]:
    if not paths:
        return Organisation.objects.none()
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return Organisation.objects.filter(q)


def manages_accounts(user, unit: Organisation | None) -> bool:
    """May ``user`` create, change, grant roles to, or revoke roles of staff in ``unit``?

    The security administrator everywhere; a disclosure office in the units it oversees. The
    system administrator does not (三员分立), unless it also holds one of these roles.
    """
    if is_security_admin(user):
        return True
    return unit is not None and any(unit.path.startswith(p) for p in _office_paths(user))


def account_units(user) -> QuerySet[Organisation]:
    """Units in which :func:`manages_accounts` holds."""
    if is_security_admin(user):
        return Organisation.objects.all()
    return _subtrees(_office_paths(user))


def require_manages_accounts(user, unit: Organisation | None) -> None:
    if not manages_accounts(user, unit):
        raise PermissionDenied(_("只有安全管理员或该单位的政务公开办管理员可以管理工作人员账号"))


def audit_scope(user) -> QuerySet[Organisation] | None:
    """Units whose audit events the user may read: ``None`` = all (audit administrator), else a queryset."""
    if is_audit_admin(user):
        return None
    return _subtrees(_office_paths(user))


def may_read_audit(user) -> bool:
    scope_ = audit_scope(user)
    return scope_ is None or scope_.exists()

"""Organisation-scoped authorisation, used by every staff view, API view and service.

Rules:
- a user acts in a unit through a :class:`Membership` (unit + role);
- a 政务公开办 administrator (disclosure_office) at a unit has oversight of that
  unit and every unit below it: can see everything there and perform the
  supervisory actions (catalogues, assessment, reports, audit log);
- a system administrator may do everything;
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

from .models import Membership, Organisation, Role, User


def is_sysadmin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return _roles(user).get(Role.SYSADMIN) is not None


def _roles(user: User) -> dict[str, list[str]]:
    """role -> list of unit paths (cached on the user object for the request)."""
    cached = getattr(user, "_gk_roles", None)
    if cached is None:
        cached: dict[str, list[str]] = {}
        for role, path in Membership.objects.filter(user=user, unit__is_active=True).values_list("role", "unit__path"):
            cached.setdefault(role, []).append(path)
        user._gk_roles = cached
    return cached


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(_roles(user))
    if user.is_superuser:
        roles.add(Role.SYSADMIN)
    return roles


def has_role(user, role: str, unit: Organisation) -> bool:
    """May ``user`` act as ``role`` for ``unit``?

    Holds if the user has that role in the unit itself, or (for the
    disclosure-office role) in an ancestor unit, or is a system administrator.
    """
    if not getattr(user, "is_authenticated", False) or unit is None:
        return False
    if is_sysadmin(user):
        return True
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
    if is_sysadmin(user):
        return True
    roles = _roles(user)
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
    if is_sysadmin(user):
        return Organisation.objects.all()
    roles = _roles(user)
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
    if is_sysadmin(user):
        return Organisation.objects.all()
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
    if is_sysadmin(user):
        return qs
    return qs.filter(**{f"{unit_field}__in": visible_units(user)})


def is_staff_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and (user.is_superuser or bool(_roles(user)))

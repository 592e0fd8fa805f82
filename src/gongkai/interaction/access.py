"""Who may see and do what with appeals, FAQ entries and consultations.

- The disclosure office (政务公开办) of the receiving government and everything
  above it dispatches: accepts, rejects, assigns, re-assigns, closes; it sees all
  appeals of its government and the units below it, but not the contact data.
- Handlers (editor, reviewer, leader) of the lead unit handle and answer; handlers
  of co-handling units (joint handling) see the appeal and add opinions.
- Contact data is visible only to handlers of the assigned units.
- A unit never sees another unit's appeals.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.core import permissions
from gongkai.core.models import Organisation, Role

HANDLER_ROLES = (Role.EDITOR, Role.REVIEWER, Role.LEADER)
APPROVER_ROLES = (Role.REVIEWER, Role.LEADER)


def handler_units(user) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    q = Q(pk__in=[])
    for role in HANDLER_ROLES:
        q |= Q(pk__in=permissions.units_with_role(user, role).values("pk"))
    return Organisation.objects.filter(q)


def is_handler(user, unit: Organisation | None, roles=HANDLER_ROLES) -> bool:
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    return any(permissions.has_role(user, r, unit) for r in roles)


def dispatches(user, appeal) -> bool:
    return permissions.oversees(user, appeal.target_unit)


def leads(user, appeal, roles=HANDLER_ROLES) -> bool:
    return is_handler(user, appeal.unit, roles)


def co_handles(user, appeal) -> bool:
    return any(is_handler(user, u) for u in appeal.co_units.all())


def can_view_appeal(user, appeal) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        permissions.is_superuser(user)
        or dispatches(user, appeal)
        or (appeal.unit is not None and permissions.oversees(user, appeal.unit))
        or leads(user, appeal)
        or co_handles(user, appeal)
    )


def can_see_contact(user, appeal) -> bool:
    """Contact data: only handlers of the assigned (lead or joint) units."""
    return leads(user, appeal) or co_handles(user, appeal)


def require_view_appeal(user, appeal) -> None:
    if not can_view_appeal(user, appeal):
        raise PermissionDenied(_("您无权查看该留言"))


def visible_appeals(qs: QuerySet, user) -> QuerySet:
    if permissions.is_superuser(user):
        return qs
    mine = handler_units(user)
    q = Q(unit__in=mine) | Q(co_units__in=mine)
    overseen = permissions.units_with_role(user, Role.DISCLOSURE_OFFICE)
    if overseen.exists():
        q |= Q(target_unit__in=overseen) | Q(unit__in=overseen)
    return qs.filter(q).distinct()


def can_edit_unit_content(user, unit) -> bool:
    """FAQ entries and consultations of a unit: its handlers or the overseeing office."""
    return is_handler(user, unit) or permissions.oversees(user, unit)


def require_unit_content(user, unit) -> None:
    if not can_edit_unit_content(user, unit):
        raise PermissionDenied(_("您无权管理该单位的内容"))


def require_unit_approver(user, unit) -> None:
    if not (is_handler(user, unit, APPROVER_ROLES) or permissions.oversees(user, unit)):
        raise PermissionDenied(_("该操作需要本单位审核员、负责人或政务公开办管理员权限"))


def content_units(user) -> QuerySet[Organisation]:
    """Units whose FAQ entries and consultations the user may manage."""
    if permissions.is_superuser(user):
        return Organisation.objects.all()
    q = Q(pk__in=handler_units(user).values("pk"))
    q |= Q(pk__in=permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).values("pk"))
    return Organisation.objects.filter(q)


# --- transition permissions: (instance, user) -> bool, declared on the models' transitions -----------


def may_dispatch(appeal, user) -> bool:
    """Accept, reject, assign, re-assign: the disclosure office of the receiving government (or above)."""
    return dispatches(user, appeal)


def may_handle(appeal, user) -> bool:
    """Start, answer, send back: handlers of the lead unit."""
    return leads(user, appeal)


def may_close(appeal, user) -> bool:
    """Close, promote the answer to the FAQ: the lead unit's handlers or the office."""
    return leads(user, appeal) or dispatches(user, appeal)


def may_note(appeal, user) -> bool:
    """Internal opinions (会办意见): handlers of the lead or a co-handling unit."""
    return leads(user, appeal) or co_handles(user, appeal)


def may_publish(appeal, user) -> bool:
    """Publication on the portal: a reviewer or leader of the lead unit, or the office."""
    return leads(user, appeal, APPROVER_ROLES) or dispatches(user, appeal)


def requester_only(appeal, user) -> bool:
    """Steps only the requester takes (through the tracking page, authenticated by code + contact)."""
    return False


def may_edit_content(obj, user) -> bool:
    """FAQ entries and consultation drafts: handlers of the unit or the overseeing office."""
    return can_edit_unit_content(user, obj.unit)


def may_approve_content(obj, user) -> bool:
    """Open/close a consultation, publish its report: reviewers and leaders of the unit, or the office."""
    return is_handler(user, obj.unit, APPROVER_ROLES) or permissions.oversees(user, obj.unit)


def may_moderate(comment, user) -> bool:
    return can_edit_unit_content(user, comment.consultation.unit)


def dispatch_units(user, appeal) -> QuerySet[Organisation]:
    """Units the user may assign this appeal to: the receiving government and the units below it that
    the user oversees."""
    units = appeal.target_unit.descendants()
    if not permissions.is_superuser(user):
        units = units.filter(pk__in=permissions.units_with_role(user, Role.DISCLOSURE_OFFICE).values("pk"))
    return units.filter(is_active=True).order_by("path")

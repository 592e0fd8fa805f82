"""Masking of personal data in staff lists (phones, ID numbers)."""

from __future__ import annotations

from . import permissions
from .models import Role


def mask_phone(value: str | None) -> str:
    """``13905781234`` → ``139****1234``; landlines keep the area code and last 4 digits."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if len(digits) <= 4:
        return "*" * len(value)
    keep = set(digits[-4:])
    if len(digits) >= 11:
        keep |= set(digits[:3])
    return "".join(c if (i in keep or not c.isdigit()) else "*" for i, c in enumerate(value))


def sees_contact_details(user) -> bool:
    """Disclosure-office administrators and system administrators see staff phone numbers."""
    return permissions.is_sysadmin(user) or Role.DISCLOSURE_OFFICE in permissions.roles_of(user)


def can_see_phone(viewer, staff_user) -> bool:
    """Unmasked phone for the disclosure office over the staff member's unit, or a sysadmin."""
    if permissions.is_sysadmin(viewer):
        return True
    return staff_user.unit is not None and permissions.oversees(viewer, staff_user.unit)

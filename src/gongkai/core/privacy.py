"""Masking of personal data in staff lists (phones, ID numbers)."""

from __future__ import annotations

from . import permissions
from .models import Role


def mask_phone(value: str | None) -> str:
    """Mask the middle of a phone number, keeping what identifies the line's owner least.

    ``13905781234`` → ``139****1234`` (mobile: network prefix and last 4 digits),
    ``+86 139 0578 1234`` → ``+86 139 **** 1234``, ``0578-8061234`` → ``0578-***1234``
    (landline: area code and last 4 digits); anything else keeps only its last 4 digits.
    """
    value = (value or "").strip()
    if not value:
        return ""
    positions = [i for i, c in enumerate(value) if c.isdigit()]
    digits = "".join(value[i] for i in positions)
    if len(digits) <= 4:
        return "".join("*" if c.isdigit() else c for c in value)
    keep = set(positions[-4:])
    national = positions
    if digits.startswith("86") and len(digits) == 13:
        keep |= set(positions[:2])
        national = positions[2:]
    national_digits = "".join(value[i] for i in national)
    if len(national_digits) == 11 and national_digits.startswith("1"):
        keep |= set(national[:3])
    elif value.startswith("0") and "-" in value:
        area_end = value.index("-")
        keep |= {i for i in positions if i < area_end}
    return "".join(c if (i in keep or not c.isdigit()) else "*" for i, c in enumerate(value))


def sees_contact_details(user) -> bool:
    """Disclosure-office administrators and system administrators see staff phone numbers."""
    return permissions.is_sysadmin(user) or Role.DISCLOSURE_OFFICE in permissions.roles_of(user)


def can_see_phone(viewer, staff_user) -> bool:
    """Unmasked phone for the disclosure office over the staff member's unit, or a sysadmin."""
    if permissions.is_sysadmin(viewer):
        return True
    return staff_user.unit is not None and permissions.oversees(viewer, staff_user.unit)


def mask_person_name(name: str | None) -> str:
    """A natural person's name, partly masked for public pages: 张* / 张*明 / 欧**华.

    Keeps the first character (the surname, as 双公示 practice shows it) and, for names of
    three or more characters, the last; organisations' names are not personal data and are
    never passed here.
    """
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(value: str | None) -> str:
    """An identity-document number for staff lists: first 4 and last 4 characters kept
    (``3311**********123X``). Never shown on public pages at all, masked or not."""
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]

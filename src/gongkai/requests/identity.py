"""Applicant identity: ID number validation (GB 11643-1999) and masking of personal data.

Personal data (ID numbers, phone numbers, addresses) is shown in clear only to
the assigned handler and the unit's leader; everywhere else (lists, exports,
audit events, the API) it goes through the ``mask_*`` functions.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


class IdNumberError(ValueError):
    pass


def resident_id_check(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate_resident_id(number: str) -> str:
    """Validate an 18-digit 居民身份证号码 (GB 11643-1999); return it normalised."""
    n = (number or "").strip().upper().replace(" ", "")
    if len(n) != 18:
        raise IdNumberError(_("居民身份证号码应为18位，当前为%(n)s位") % {"n": len(n)})
    if not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        raise IdNumberError(_("居民身份证号码前17位应为数字，最后一位为数字或X"))
    try:
        birth = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError as exc:
        raise IdNumberError(_("居民身份证号码中的出生日期无效")) from exc
    if birth.year < 1900 or birth > dt.date.today():
        raise IdNumberError(_("居民身份证号码中的出生日期无效"))
    if resident_id_check(n[:17]) != n[17]:
        raise IdNumberError(_("居民身份证号码校验位错误，请核对后重新填写"))
    return n


_OTHER_ID = re.compile(r"^[A-Za-z0-9\-()（）]{5,30}$")


def validate_other_id(number: str, label: str) -> str:
    n = (number or "").strip().upper().replace(" ", "")
    if not _OTHER_ID.match(n):
        raise IdNumberError(_("%(label)s号码格式不正确（5至30位字母或数字）") % {"label": label})
    return n


def mask_id(number: str) -> str:
    """3301**********123X — keeps the first 4 and last 4 characters."""
    n = number or ""
    if len(n) <= 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def mask_phone(phone: str) -> str:
    """139****5678 / 0578-****1234 — keeps the first 3 and last 4 digits."""
    p = phone or ""
    if len(p) <= 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]


def mask_address(address: str) -> str:
    """Keeps the first 6 characters (province/city/county level)."""
    a = address or ""
    return a[:6] + ("****" if len(a) > 6 else "")


def mask_email(email: str) -> str:
    if "@" not in (email or ""):
        return ""
    local, domain = email.split("@", 1)
    return (local[:1] + "***@" + domain) if local else "***@" + domain


def mask_name(name: str) -> str:
    """张*明 for people; organisations are not personal data and stay readable."""
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def phone_tail(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:]

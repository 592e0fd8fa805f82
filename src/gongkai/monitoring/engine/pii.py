"""Personal data in page text: resident ID numbers (GB 11643 check digit and a real birth date),
mobile numbers (11 digits starting 13–19) and bank card numbers (UnionPay/Visa/Mastercard
prefixes, 16–19 digits, Luhn). Office landlines (``0578-8061234``) are never personal data.

Every value leaves this module masked: evidence never carries the full number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gongkai.core.messages import N_
from gongkai.core.privacy import mask_phone

ID_RE = re.compile(
    r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx])(?![0-9A-Za-z])"
)
MOBILE_RE = re.compile(r"(?<![\d\-－])(?:\+?86[\s\-]?)?(1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4})(?![\d\-])")
CARD_RE = re.compile(r"(?<![\d\-])((?:62|4\d|5[1-5])\d{2}(?:[\s\-]?\d{4}){2,3}(?:[\s\-]?\d{1,3})?)(?![\d\-])")
LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}[\-－\s]?\d{7,8}(?!\d)")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def valid_id(number: str) -> bool:
    number = number.upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > dt.date.today():
        return False
    return id_check_digit(number[:17]) == number[17]


def luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def mask_id(number: str) -> str:
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_card(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return digits[:4] + " **** **** " + digits[-4:]


def mask_all(text: str) -> str:
    """The text with every ID, mobile and card number masked (for evidence and context)."""
    text = ID_RE.sub(lambda m: mask_id(m.group(1)) if valid_id(m.group(1)) else m.group(0), text)
    text = CARD_RE.sub(lambda m: mask_card(m.group(1)) if _is_card(m.group(1)) else m.group(0), text)
    text = MOBILE_RE.sub(lambda m: m.group(0).replace(m.group(1), mask_phone(re.sub(r"\D", "", m.group(1)))), text)
    return text


def _is_card(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    return 16 <= len(digits) <= 19 and luhn(digits) and not valid_id(digits)


@dataclass(frozen=True)
class Hit:
    kind: str  # id_number | mobile | bank_card
    masked: str
    context: str  # masked surrounding text
    start: int
    confidence: float
    key: str  # a stable, non-reversible key for dismissals (kind + masked)


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    return mask_all(text[max(0, start - width) : end + width])


def find(text: str, *, office_text: str = "") -> list[Hit]:
    """Personal data in ``text``. ``office_text`` (footer and contact blocks) lowers the
    confidence of a mobile number found there: it may be an office's published hotline."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for m in ID_RE.finditer(text):
        if valid_id(m.group(1)):
            masked = mask_id(m.group(1).upper())
            hits.append(
                Hit("id_number", masked, _context(text, m.start(1), m.end(1)), m.start(1), 0.95, f"id:{masked}")
            )
            taken.append((m.start(1), m.end(1)))
    for m in CARD_RE.finditer(text):
        if _overlaps(m.start(1), m.end(1), taken) or not _is_card(m.group(1)):
            continue
        masked = mask_card(m.group(1))
        hits.append(Hit("bank_card", masked, _context(text, m.start(1), m.end(1)), m.start(1), 0.8, f"card:{masked}"))
        taken.append((m.start(1), m.end(1)))
    for m in MOBILE_RE.finditer(text):
        if _overlaps(m.start(1), m.end(1), taken):
            continue
        digits = re.sub(r"\D", "", m.group(1))
        masked = mask_phone(digits)
        confidence = 0.6 if digits in re.sub(r"[\s\-]", "", office_text) else 0.9
        hits.append(
            Hit(
                "mobile",
                masked,
                _context(text, m.start(1), m.end(1)),
                m.start(1),
                confidence,
                f"mobile:{masked}:{digits[-4:]}",
            )
        )
    return hits


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


KIND_LABELS = {"id_number": N_("身份证号码"), "mobile": N_("手机号码"), "bank_card": N_("银行卡号")}

"""Numbering: 索引号 (public information index numbers) and public tracking codes.

Index numbers come from per-scope counters (:class:`NumberSequence`) incremented
under a row lock inside the caller's transaction, so parallel writers never get
the same number; a rolled-back transaction gives its number back.

Tracking codes are random (``secrets``), about 60 bits, in an unambiguous
alphabet with a check character, so they cannot be guessed or enumerated and a
mistyped code is recognised before any lookup. Uniqueness is enforced by the
owning model's unique constraint; :func:`create_with_tracking_code` retries on
the (astronomically rare) collision.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import NumberSequence

# Crockford base32: no I, L, O, U (easy to read aloud and to type).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = 3
GROUP_LEN = 4

T = TypeVar("T")


def next_value(scope: str) -> int:
    """Increment and return the counter for ``scope``; call inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside a transaction")
    if not NumberSequence.objects.filter(scope=scope).exists():
        try:
            with transaction.atomic():
                NumberSequence.objects.create(scope=scope, last_value=0)
        except IntegrityError:
            pass  # another writer created it first
    NumberSequence.objects.filter(scope=scope).update(last_value=F("last_value") + 1)
    return NumberSequence.objects.get(scope=scope).last_value


def index_number(*, unit_code: str, category: str, year: int, fmt: str | None = None) -> str:
    """Allocate the next 索引号 for a unit, category and year.

    The layout is ``settings.GONGKAI_INDEX_NUMBER_FORMAT`` (default
    ``{unit_code}-{category}-{year}-{seq:05d}``); the sequence restarts for each
    unit, category and year.
    """
    layout = fmt or settings.GONGKAI_INDEX_NUMBER_FORMAT
    seq = next_value(f"index:{unit_code}:{category}:{year}")
    return layout.format(unit_code=unit_code, category=category, year=year, seq=seq)


def _check_char(body: str) -> str:
    total = sum((i + 1) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def tracking_code(prefix: str = "") -> str:
    """A new random code like ``YS-7KQ4-M9XD-2PHA`` (last character is a check)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_GROUPS * GROUP_LEN - 1))
    body += _check_char(body)
    groups = [body[i : i + GROUP_LEN] for i in range(0, len(body), GROUP_LEN)]
    return "-".join(([prefix] if prefix else []) + groups)


def normalise_tracking_code(code: str) -> str:
    """Upper-case, map look-alikes (O→0, I/L→1), and re-insert dashes."""
    raw = (code or "").strip().upper().replace(" ", "")
    parts = raw.split("-")
    prefix = parts[0] if len(parts) > 1 and not _is_body_group(parts[0]) else ""
    body = "".join(parts[1:] if prefix else parts)
    body = body.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    groups = [body[i : i + GROUP_LEN] for i in range(0, len(body), GROUP_LEN)]
    return "-".join(([prefix] if prefix else []) + groups)


def _is_body_group(part: str) -> bool:
    return len(part) == GROUP_LEN and all(c in ALPHABET for c in part) and any(c.isdigit() for c in part)


def tracking_code_is_wellformed(code: str) -> bool:
    parts = normalise_tracking_code(code).split("-")
    body = "".join(parts[-CODE_GROUPS:])
    if len(parts) < CODE_GROUPS or len(body) != CODE_GROUPS * GROUP_LEN:
        return False
    if any(c not in ALPHABET for c in body):
        return False
    return _check_char(body[:-1]) == body[-1]


def create_with_tracking_code(create: Callable[[str], T], *, prefix: str = "", attempts: int = 5) -> T:
    """Call ``create(code)`` with fresh codes until the unique constraint accepts one."""
    for attempt in range(attempts):
        code = tracking_code(prefix)
        try:
            with transaction.atomic():
                return create(code)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")

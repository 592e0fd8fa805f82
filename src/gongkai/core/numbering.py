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


def next_value(scope: str, count: int = 1) -> int:
    """Advance the counter for ``scope`` by ``count`` and return its new (last) value.

    Call inside a transaction: the UPDATE holds the row lock until commit, so parallel
    writers get disjoint values, and a rollback gives the values back.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside a transaction")
    if count < 1:
        raise ValueError("count must be >= 1")
    if not NumberSequence.objects.filter(scope=scope).exists():
        try:
            with transaction.atomic():
                NumberSequence.objects.create(scope=scope, last_value=0)
        except IntegrityError:
            pass  # another writer created it first
    NumberSequence.objects.filter(scope=scope).update(last_value=F("last_value") + count)
    return NumberSequence.objects.get(scope=scope).last_value


def _index_scope(unit_code: str, category: str, year: int) -> str:
    return f"index:{unit_code}:{category}:{year}"


def index_number(*, unit_code: str, category: str, year: int, fmt: str | None = None) -> str:
    """Allocate the next 索引号 for a unit, category and year.

    The layout is ``settings.GONGKAI_INDEX_NUMBER_FORMAT`` (default
    ``{unit_code}-{category}-{year}-{seq:05d}``); the sequence restarts for each
    unit, category and year.
    """
    return index_numbers(unit_code=unit_code, category=category, year=year, count=1, fmt=fmt)[0]


def index_numbers(*, unit_code: str, category: str, year: int, count: int, fmt: str | None = None) -> list[str]:
    """Reserve ``count`` consecutive 索引号 in one counter update (bulk imports)."""
    if count <= 0:
        return []
    layout = fmt or settings.GONGKAI_INDEX_NUMBER_FORMAT
    last = next_value(_index_scope(unit_code, category, year), count)
    return [
        layout.format(unit_code=unit_code, category=category, year=year, seq=seq)
        for seq in range(last - count + 1, last + 1)
    ]


def _gf32_mul(a: int, b: int) -> int:
    """Multiply in GF(2^5) (polynomial x^5 + x^2 + 1)."""
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= 0b100101
    return result


def _gf32_weights(n: int) -> list[int]:
    weights, w = [], 1
    for _ in range(n):
        weights.append(w)
        w = _gf32_mul(w, 2)  # powers of the generator x: all distinct and non-zero
    return weights


_WEIGHTS = _gf32_weights(CODE_GROUPS * GROUP_LEN)


def _check_char(body: str) -> str:
    """Check character over GF(32): a weighted XOR-sum with distinct non-zero weights.

    Because GF(32) is a field, changing any single character changes the sum
    (w * delta != 0), and swapping two different characters does too
    ((w_i + w_j) * delta != 0), so every single-character typo and every
    transposition is caught.
    """
    total = 0
    for weight, char in zip(_WEIGHTS, body, strict=False):
        total ^= _gf32_mul(weight, ALPHABET.index(char))
    return ALPHABET[total]


def tracking_code(prefix: str = "") -> str:
    """A new random code like ``YS-7KQ4-M9XD-2PHA`` (last character is a check)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_GROUPS * GROUP_LEN - 1))
    body += _check_char(body)
    groups = [body[i : i + GROUP_LEN] for i in range(0, len(body), GROUP_LEN)]
    return "-".join(([prefix] if prefix else []) + groups)


_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_BODY_LEN = CODE_GROUPS * GROUP_LEN


def normalise_tracking_code(code: str) -> str:
    """Canonical form of a typed code: upper case, look-alikes mapped (O→0, I/L→1), dashes re-inserted.

    The body is always the last 12 letters/digits, whatever dashes or spaces the
    citizen typed (or left out); anything before it is the prefix.
    """
    raw = "".join((code or "").split()).upper()
    raw = raw.replace("－", "-").replace("—", "-").replace("–", "-")
    compact = raw.replace("-", "")
    if len(compact) <= _BODY_LEN:
        prefix, body = "", compact
    else:
        # Walk back over the last 12 non-dash characters; the rest is the prefix.
        seen, cut = 0, len(raw)
        while seen < _BODY_LEN:
            cut -= 1
            if raw[cut] != "-":
                seen += 1
        prefix, body = raw[:cut].strip("-"), raw[cut:].replace("-", "")
    body = body.translate(_LOOKALIKES)
    groups = [body[i : i + GROUP_LEN] for i in range(0, len(body), GROUP_LEN)]
    return "-".join(([prefix] if prefix else []) + groups)


def _is_body_group(part: str) -> bool:
    return len(part) == GROUP_LEN and all(c in ALPHABET for c in part)


def tracking_code_is_wellformed(code: str, prefix: str | None = None) -> bool:
    """True when ``code`` (in any typed form) has 12 valid characters and a correct check character.

    With ``prefix`` given, the code must carry exactly that prefix.
    """
    normal = normalise_tracking_code(code)
    parts = normal.split("-")
    body = "".join(parts[-CODE_GROUPS:])
    if len(parts) < CODE_GROUPS or len(body) != _BODY_LEN:
        return False
    if any(c not in ALPHABET for c in body):
        return False
    if prefix is not None and "-".join(parts[:-CODE_GROUPS]) != prefix.upper():
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

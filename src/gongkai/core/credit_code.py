"""统一社会信用代码 (unified social credit code) validation, GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative
division code (6), organisation identifier (9, itself checksummed under GB 11714),
and a check character computed modulo 31 over the alphabet below.
"""

import unicodedata

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class CreditCodeError(ValueError):
    pass


_VALUES = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    if len(first17) != len(WEIGHTS):
        raise ValueError("check_character() needs the first 17 characters")
    try:
        total = sum(map(int.__mul__, map(_VALUES.__getitem__, first17), WEIGHTS))
    except KeyError as exc:
        raise ValueError(f"not in the code alphabet: {exc.args[0]!r}") from None
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Full-width → ASCII (NFKC), trimmed, upper case."""
    return unicodedata.normalize("NFKC", code or "").strip().upper()


def validate(code: str) -> str:
    """Return the normalised code or raise CreditCodeError with a readable reason."""
    # NFKC: full-width letters and digits typed with a Chinese input method become ASCII.
    code = normalise(code)
    if len(code) != 18:
        raise CreditCodeError(_("统一社会信用代码应为18位，当前为%(length)s位") % {"length": len(code)})
    bad = [c for c in code if c not in ALPHABET]
    if bad:
        raise CreditCodeError(_("统一社会信用代码含有非法字符：%(chars)s") % {"chars": "".join(sorted(set(bad)))})
    if not code[2:8].isdigit():
        raise CreditCodeError(_("统一社会信用代码第3至8位应为行政区划代码（数字）"))
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(_("统一社会信用代码校验位错误（应为 %(expected)s）") % {"expected": expected})
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True


def make(prefix17: str) -> str:
    """Complete a 17-character prefix with its check character (demo data, tests)."""
    return prefix17 + check_character(prefix17)

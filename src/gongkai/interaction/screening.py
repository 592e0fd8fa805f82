"""Screening before anything becomes public: sensitive words and personal data.

- Sensitive words: one Aho-Corasick automaton (pyahocorasick) over the active
  :class:`SensitiveWord` rows plus the shipped default list ``data/sensitive_words.txt``;
  rebuilt in every process when the list changes (version counter in the cache).
- Personal data: regular expressions for resident ID numbers (GB 11643-1999,
  checksum verified), mobile and landline phone numbers, e-mail addresses, bank
  card numbers (Luhn verified) and street addresses, plus any contact data the
  submitter gave us (name, phone, e-mail) → masked in the public version.

Screening never publishes anything by itself: services use the result to
propose a masked public text that staff confirm.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
from django.core.cache import cache
from django.utils.translation import gettext, gettext_lazy, ngettext

from gongkai.core.chinese import normalise

DATA_DIR = Path(__file__).parent / "data"
_VERSION_KEY = "gongkai:interaction:sensitive:version"

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"

ID_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])"
)
ID15_RE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
CARD_RE = re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{4}(?:\d{1,3}|[ -]\d{1,3})?(?!\d)")
ADDRESS_RE = re.compile(
    r"[\u4e00-\u9fa5]{1,12}(?:路|街|巷|弄|大道|村|小区|社区|花园|公寓)"
    r"\d+(?:-\d+)?(?:号|组|幢|栋|弄)(?:\d+(?:-\d+)?(?:幢|栋|号楼|单元|楼|层|室|号))*"
)


def id_number_valid(value: str) -> bool:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2)."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def luhn_valid(digits: str) -> bool:
    digits = re.sub(r"\D", "", digits)
    if not 16 <= len(digits) <= 19:
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


@dataclass
class Finding:
    kind: str  # id_number, mobile, landline, email, bank_card, address, contact, sensitive
    label: str
    start: int
    end: int


@dataclass
class ScreeningResult:
    original: str
    masked: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def personal_data(self) -> list[Finding]:
        return [f for f in self.findings if f.kind != "sensitive"]

    @property
    def sensitive_words(self) -> list[str]:
        return sorted({self.original[f.start : f.end] for f in self.findings if f.kind == "sensitive"})

    @property
    def clean(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        """What was found, in the active language (e.g. "手机号码 1 处；敏感词 2 处")."""
        if self.clean:
            return gettext("未发现个人信息或敏感词")
        kinds: dict[str, int] = {}
        for f in self.findings:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        return "；".join(
            ngettext("%(label)s %(n)s 处", "%(label)s %(n)s 处", n) % {"label": LABELS[k], "n": n}
            for k, n in kinds.items()
        )


LABELS = {
    "id_number": gettext_lazy("身份证号码"),
    "mobile": gettext_lazy("手机号码"),
    "landline": gettext_lazy("固定电话"),
    "email": gettext_lazy("电子邮箱"),
    "bank_card": gettext_lazy("银行卡号"),
    "address": gettext_lazy("详细地址"),
    "contact": gettext_lazy("留言人联系信息"),
    "sensitive": gettext_lazy("敏感词"),
}


# --- sensitive word automaton ------------------------------------------------------

_cached: tuple[str, ahocorasick.Automaton | None] | None = None


def default_words() -> list[str]:
    path = DATA_DIR / "sensitive_words.txt"
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def invalidate() -> None:
    global _cached
    _cached = None
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def _version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_VERSION_KEY)
    return version


def _automaton() -> ahocorasick.Automaton | None:
    global _cached
    version = _version()
    if _cached is not None and _cached[0] == version:
        return _cached[1]
    from .models import SensitiveWord

    words = set(normalise(w) for w in default_words())
    try:
        words |= {normalise(w) for w in SensitiveWord.objects.filter(is_active=True).values_list("word", flat=True)}
    except Exception:  # noqa: BLE001, S110 - table missing during migrations
        pass
    words.discard("")
    automaton = None
    if words:
        automaton = ahocorasick.Automaton()
        for w in words:
            automaton.add_word(w, w)
        automaton.make_automaton()
    _cached = (version, automaton)
    return automaton


# --- screening -------------------------------------------------------------------------


def _pattern_rules():
    """(kind, compiled pattern, validator or None): personal data found by regular expressions."""
    return [
        ("id_number", ID_RE, id_number_valid),
        ("id_number", ID15_RE, None),
        ("bank_card", CARD_RE, luhn_valid),
        ("mobile", MOBILE_RE, None),
        ("landline", LANDLINE_RE, None),
        ("email", EMAIL_RE, None),
        ("address", ADDRESS_RE, None),
    ]


def _known_spans(text: str, known: list[str]):
    """The submitter's own name, phone and e-mail wherever they appear."""
    for value in known:
        value = (value or "").strip()
        if len(value) >= 2:
            for m in re.finditer(re.escape(value), text):
                yield m.start(), m.end()


def _sensitive_spans(text: str):
    automaton = _automaton()
    if automaton is None:
        return
    # Normalisation (NFKC, 繁→简, lower case) keeps string length for CJK text
    # in practice; map back by position only when lengths agree.
    norm = normalise(text)
    if len(norm) == len(text):
        for end, word in automaton.iter(norm):
            yield end - len(word) + 1, end + 1


def _spans(text: str, known: list[str]) -> list[Finding]:
    found = [
        Finding(kind, LABELS[kind], m.start(), m.end())
        for kind, pattern, valid in _pattern_rules()
        for m in pattern.finditer(text)
        if valid is None or valid(m.group())
    ]
    found += [Finding("contact", LABELS["contact"], a, b) for a, b in _known_spans(text, known)]
    found += [Finding("sensitive", LABELS["sensitive"], a, b) for a, b in _sensitive_spans(text)]
    return found


def _mask_span(kind: str, s: str) -> str:
    if kind in ("mobile",) and len(re.sub(r"\D", "", s)) >= 11:
        digits = re.sub(r"\D", "", s)[-11:]
        return digits[:3] + "****" + digits[-4:]
    if kind == "email":
        local, _at, domain = s.partition("@")
        return (local[:1] + "***@" + domain) if domain else "***"
    if kind == "address":
        m = re.match(r"[\u4e00-\u9fa5]+", s)
        head = m.group() if m else ""
        return head + "**号"
    if kind == "contact":
        return s[:1] + "*" * (len(s) - 1)
    return "*" * len(s)


def screen(text: str, *, known: list[str] | None = None) -> ScreeningResult:
    """Find personal data and sensitive words; return the masked public version."""
    text = text or ""
    findings = _spans(text, known or [])
    # Resolve overlaps: longest span first, then earliest.
    findings.sort(key=lambda f: (-(f.end - f.start), f.start))
    chosen: list[Finding] = []
    taken = [False] * len(text)
    for f in findings:
        if any(taken[f.start : f.end]):
            continue
        for i in range(f.start, f.end):
            taken[i] = True
        chosen.append(f)
    chosen.sort(key=lambda f: f.start)
    out, pos = [], 0
    for f in chosen:
        out.append(text[pos : f.start])
        out.append(_mask_span(f.kind, text[f.start : f.end]))
        pos = f.end
    out.append(text[pos:])
    return ScreeningResult(original=text, masked="".join(out), findings=chosen)


def contains_sensitive(text: str) -> list[str]:
    return screen(text).sensitive_words


def term_is_sensitive(text: str) -> bool:
    """For ``gongkai.core.privacy.register_term_screen``: a visitor's search term containing a
    sensitive word never appears on public pages."""
    return bool(contains_sensitive(text))

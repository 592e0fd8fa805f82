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
    """Disclosure-office administrators (and the superuser) see staff phone numbers."""
    return permissions.is_superuser(user) or Role.DISCLOSURE_OFFICE in permissions.roles_of(user)


def can_see_phone(viewer, staff_user) -> bool:
    """Unmasked phone for the disclosure office over the staff member's unit, or the superuser."""
    if permissions.is_superuser(viewer):
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


# --- screening short public texts (search terms) and visitor hashes --------------------------
#
# Visitors' search terms are republished (热门检索, autocomplete, statistics) only when they pass
# this screening (and gongkai.search's visitor thresholds). The patterns are deliberately broad:
# a term wrongly held back costs nothing, a phone number wrongly published cannot be taken back.

import datetime as _dt  # noqa: E402
import hashlib as _hashlib  # noqa: E402
import hmac as _hmac  # noqa: E402
import re as _re  # noqa: E402
from collections.abc import Callable as _Callable  # noqa: E402

_SEP = r"[\s\-－—.·_/]?"
#: six or more digits, single separators allowed between them: phones (139 1234 5678,
#: 0578-8061234), ID numbers, bank cards, licence plates' digit runs, house-number chains
_DIGIT_RUN = _re.compile(r"\d(?:" + _SEP + r"\d){5,}")
_ID_LIKE = _re.compile(r"\d{14,17}[\dxX]|[A-Za-z]\d{7,}")  # resident ID, passport / HK-Macau permit
_EMAIL = _re.compile(r"[@＠]|\b[\w.+-]+\s*(?:at|\[at\])\s*[\w-]+\s*(?:\.|dot)\s*[a-z]{2,}\b", _re.IGNORECASE)
_NUM = r"[0-9０-９一二三四五六七八九十百千零〇两]+"
#: a house number after a street/village word, or a room/building/unit number
_ADDRESS = _re.compile(
    r"(?:路|街|巷|弄|道|村|组|小区|花园|苑|公寓|大厦|家园|新村|社区)\s*" + _NUM + r"\s*(?:号|弄|栋|幢|室|单元|楼|组|排)"
    r"|" + _NUM + r"\s*(?:室|栋|幢|单元|号楼|号院|层)"
)
#: the 100 commonest surnames (covering about 85 % of the population) and compound surnames
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_COMPOUND = "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|长孙|令狐|夏侯"
_NAME = r"(?:" + _COMPOUND + r"|[" + _SURNAMES + r"])[\u4e00-\u9fff]{1,2}"
#: a personal name followed by words that say "this is where someone lives"
_NAME_ADDRESS = _re.compile(
    _NAME + r"\s*(?:家住|住址|住在|现住|户籍地|家庭住址|地址)"
    r"|" + _NAME + r"\s+[\u4e00-\u9fff]{0,8}(?:路|街|巷|弄|村|小区|社区|镇|乡|苑|花园|公寓)"
)
#: 〔2019〕54号 / [2026]12号: a document number is not a house number
_DOC_NUMBER = _re.compile(r"[〔\[（(【]\s*\d{4}\s*[〕\]）)】]\s*\d+\s*号")


def personal_data_kind(text: str) -> str:
    """Which kind of personal data a short public text (a search term) seems to contain:
    "phone_or_number", "id_number", "email", "address", "name_address", or "" if none.

    Broad on purpose (see above); document numbers (国办发〔2019〕54号) are not addresses."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text or "")
    if _EMAIL.search(text):
        return "email"
    if _ID_LIKE.search(text):
        return "id_number"
    if _DIGIT_RUN.search(_DOC_NUMBER.sub(" ", text)):
        return "phone_or_number"
    if _ADDRESS.search(_DOC_NUMBER.sub(" ", text)):
        return "address"
    if _NAME_ADDRESS.search(text):
        return "name_address"
    return ""


def looks_personal(text: str) -> bool:
    return bool(personal_data_kind(text))


_TERM_SCREENS: list[_Callable[[str], bool]] = []


def register_term_screen(fn: _Callable[[str], bool]) -> None:
    """An app adds a check ``fn(text) -> True if the text must not be published`` (the
    interaction app registers its sensitive-word list from ``AppConfig.ready()``)."""
    if fn not in _TERM_SCREENS:
        _TERM_SCREENS.append(fn)


def publishable_term(text: str) -> bool:
    """May a visitor's short text (a search term) appear on a public page? No personal data
    and no registered screen (sensitive words) objects."""
    if looks_personal(text):
        return False
    return not any(screen(text) for screen in _TERM_SCREENS)


def _visitor_key() -> bytes:
    from django.conf import settings

    key = getattr(settings, "GONGKAI_VISITOR_HASH_KEY", "") or settings.SECRET_KEY
    return _hmac.new(key.encode(), b"gongkai.visitor-hash.v1", _hashlib.sha256).digest()


def visitor_hash(address: str, day: _dt.date) -> str:
    """A keyed hash of a visitor's address for one day: the same visitor on the same day gives
    the same value, nothing links two days, and without the key (``GONGKAI_VISITOR_HASH_KEY``,
    default derived from ``SECRET_KEY``) the address cannot be recovered by trying all of them.
    The raw address is never stored."""
    day_key = _hmac.new(_visitor_key(), day.isoformat().encode(), _hashlib.sha256).digest()
    return _hmac.new(day_key, (address or "").strip().lower().encode(), _hashlib.sha256).hexdigest()[:32]


def client_address(request) -> str:
    """The visitor's address as seen by this server. Throttles and visitor hashes share one
    notion of the client: if ``gongkai.core.clientip`` (trusted proxy count) exists, use it."""
    try:
        from . import clientip  # type: ignore[attr-defined]

        return clientip.client_ip(request) or ""
    except ImportError:
        return request.META.get("REMOTE_ADDR", "") or ""

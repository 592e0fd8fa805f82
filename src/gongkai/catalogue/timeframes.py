"""Disclosure timeframes (公开时限) as data.

Catalogue items state their time limit in free text. :func:`parse` turns the
phrasings real catalogues use into a :class:`TimeframeRule` (the free text is always
kept) and :func:`due_date` computes when content is due, so that publications,
monitoring and assessment can check timeliness.

Recognised kinds:

``working_days``  信息形成或变更之日起20个工作日内 · 自作出决定之日起7个工作日内 · 20工作日
``days``          收到申请之日起15日内 · 自公示之日起10天内 (calendar days)
``realtime``      实时公开 / 即时 / 随时 / 第一时间 / 同步公开 (due the day of the event)
``periodic``      每月 / 按季度 / 每半年 / 每年, optionally with a deadline:
                  每年1月31日前 · 每年3月底前 · 每月10日前 · 每季度结束后15日内 ·
                  每季度首月15日前 · 次年1月31日前 (上年度 → the following period)
``fixed_date``    2025年3月31日前
``standing``      长期公开 / 常年公开 / 常态化公开 / 动态更新 (kept up to date: changes follow art. 26)
``unparsed``      anything else; the text is kept and :attr:`ParseResult.ok` is False so
                  imports and editors report it.

Phrasings that name no period (及时公开, 定期公开, 按规定时限, 项目批准后 …) parse to a
``working_days`` rule with ``legal_default=True``: the period is the proactive-disclosure
period of 政府信息公开条例 art. 26 (the ``disclosure.proactive`` legal period in core,
20 working days after the information is made or changed, or after the event the text
names), the text is kept as written and the rule is flagged so that the office sees it was
not stated. ``standing`` rules are flagged the same way.

Day counting goes through the product's one due-date function,
:func:`gongkai.core.deadlines.due_date` (the event day is not counted; working days come
from the holiday table, with make-up workdays). Without a rule, or for text that could not
be parsed, the art. 26 period applies.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import deadlines, workdays

__all__ = [
    "KINDS",
    "PERIODS",
    "PROACTIVE_PERIOD",
    "ParseResult",
    "TimeframeRule",
    "due_date",
    "parse",
    "parse_result",
    "period_containing",
    "proactive_days",
    "rule_json",
]

#: the legal period (core.LegalPeriod code) of 政府信息公开条例 art. 26
PROACTIVE_PERIOD = "disclosure.proactive"

KINDS = ("working_days", "days", "realtime", "periodic", "fixed_date", "standing", "unparsed")
PERIODS = {
    "month": gettext_lazy("每月"),
    "quarter": gettext_lazy("每季度"),
    "half_year": gettext_lazy("每半年"),
    "year": gettext_lazy("每年"),
}
_LENGTH = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def proactive_days() -> int:
    """The length of the art. 26 period as configured (20 working days as enacted)."""
    try:
        return deadlines.period(PROACTIVE_PERIOD).length
    except deadlines.UnknownPeriod:  # the periods table is not seeded (a bare database)
        return 20


@dataclass(frozen=True)
class TimeframeRule:
    kind: str
    text: str = ""
    days: int | None = None  # working_days / days; periodic: days after the period ends
    working: bool = True  # periodic "after period" days: working or calendar days
    period: str | None = None  # month | quarter | half_year | year
    month: int | None = None  # periodic deadline month (year: 1-12; quarter: 1-3 = month of the next quarter)
    day: int | None = None  # periodic deadline day of month (31 = end of month)
    next_period: bool = False  # deadline falls in the period after the one reported on (上年度, 次年)
    date: str | None = None  # fixed_date ISO
    event: str = ""  # the triggering event as written (信息形成或变更, 作出决定 ...)
    legal_default: bool = False  # the text names no period: art. 26 applies (flagged)

    def to_json(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if v not in (None, "", False) and k != "working"}
        if self.kind == "periodic" and self.days is not None:
            data["working"] = self.working
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> TimeframeRule | None:
        if not data or "kind" not in data:
            return None
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def is_parsed(self) -> bool:
        return self.kind != "unparsed"

    @property
    def flagged(self) -> bool:
        """The period was not written in the catalogue: the legal default applies."""
        return self.legal_default or self.kind in ("standing", "unparsed")

    def describe(self) -> str:
        """A short normalised description (shown next to the free text)."""
        event = self.event or _("信息形成或者变更")
        if self.kind == "working_days" and self.legal_default:
            return _("未写明期限，按条例第二十六条：%(event)s之日起%(n)s个工作日内") % {
                "event": event,
                "n": proactive_days(),
            }
        if self.kind == "working_days":
            return _("%(event)s之日起%(n)s个工作日内") % {"event": event, "n": self.days}
        if self.kind == "days":
            return _("%(event)s之日起%(n)s日内") % {"event": event, "n": self.days}
        if self.kind == "realtime":
            return _("实时公开（当日）")
        if self.kind == "standing":
            return _("长期公开，内容变更后%(n)s个工作日内更新（条例第二十六条）") % {"n": proactive_days()}
        if self.kind == "fixed_date":
            return _("%(date)s前") % {"date": self.date}
        if self.kind == "periodic":
            return _describe_periodic(self)
        return _("未能识别，按条例第二十六条默认%(n)s个工作日") % {"n": proactive_days()}


def _describe_periodic(rule: TimeframeRule) -> str:
    base = str(PERIODS.get(rule.period or "", _("定期")))
    if rule.days is not None:
        if rule.working:
            return _("%(period)s，期满后%(n)s个工作日内") % {"period": base, "n": rule.days}
        return _("%(period)s，期满后%(n)s日内") % {"period": base, "n": rule.days}
    if rule.day is None:
        return _("%(period)s更新（期末前）") % {"period": base}
    period = rule.period or "year"
    if period == "month":
        scope = _("次月") if rule.next_period else _("当月")
        if rule.day == 31:
            return _("每月，%(scope)s月底前") % {"scope": scope}
        return _("每月，%(scope)s%(day)s日前") % {"scope": scope, "day": rule.day}
    if period == "year":
        scope = _("次年") if rule.next_period else _("当年")
        month = rule.month or 1
        if rule.day == 31 and month in (2, 4, 6, 9, 11):
            return _("每年，%(scope)s%(month)s月底前") % {"scope": scope, "month": month}
        return _("每年，%(scope)s%(month)s月%(day)s日前") % {"scope": scope, "month": month, "day": rule.day}
    if period == "quarter":
        scope = _("下季度") if rule.next_period else _("本季度")
    else:
        scope = _("下半年度") if rule.next_period else _("本半年度")
    month = rule.month or 1
    if rule.day == 31:
        return _("%(period)s，%(scope)s第%(month)s个月底前") % {"period": base, "scope": scope, "month": month}
    return _("%(period)s，%(scope)s第%(month)s个月%(day)s日前") % {
        "period": base,
        "scope": scope,
        "month": month,
        "day": rule.day,
    }


@dataclass(frozen=True)
class ParseResult:
    rule: TimeframeRule
    ok: bool
    message: str = ""

    @property
    def flagged(self) -> bool:
        return self.rule.flagged


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _cn_number(token: str) -> int | None:
    """'20', '二十', '十五', '三十一', '一百' → int."""
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if token == "十":  # noqa: S105 - a numeral, not a password
        return 10
    total = 0
    if "百" in token:
        head, _sep, token = token.partition("百")
        total += (_CN_DIGITS.get(head, 1) if head else 1) * 100
    if "十" in token:
        head, _sep, tail = token.partition("十")
        total += (_CN_DIGITS.get(head, 1) if head else 1) * 10
        token = tail
    if token:
        if token not in _CN_DIGITS:
            return None
        total += _CN_DIGITS[token]
    return total


_DIGITS = "0-9零〇一二两三四五六七八九十百"
_NUM = rf"([{_DIGITS}]+)"
_RE_WORKING = re.compile(
    rf"(?:(?:自|从|于)?(?P<event>[^，。；,;]*?)(?:之日|之时|后|起|以来)+)?[^{_DIGITS}]*?{_NUM}\s*个?\s*工作日"
)
_RE_DAYS = re.compile(
    rf"(?:(?:自|从|于)?(?P<event>[^，。；,;]*?)(?:之日|之时|后|起)+)?[^{_DIGITS}]*?{_NUM}\s*(?:个)?\s*(?:自然日|日|天)(?:内|以内|之内)"
)
_RE_FIXED = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_RE_PERIOD = re.compile(r"(?:每|按)\s*(月|月度|季|季度|半年|半年度|学期|年|年度)")
_RE_MONTH_DAY = re.compile(rf"{_NUM}\s*月\s*(?:{_NUM}\s*日|(底|末|份))")
_RE_DAY_ONLY = re.compile(rf"{_NUM}\s*(?:日|号)\s*(?:前|以前|之前)")
_RE_AFTER_PERIOD = re.compile(rf"(?:结束|届满|期满|终了)后\s*{_NUM}\s*个?\s*(工作日|日|天)")
_RE_FIRST_MONTH = re.compile(rf"(?:首月|第一个月)\s*{_NUM}\s*日")
# "项目批准后", "作出决定之日起公开", "审批后及时公开": an event, no period
_RE_EVENT_ONLY = re.compile(r"^(?:自|从|于|在)?(?P<event>[^，。；,;0-9]{2,30}?)(?:之日起|之日后|之后|以后|后)")

_PERIOD_WORDS = {
    "月": "month",
    "月度": "month",
    "季": "quarter",
    "季度": "quarter",
    "半年": "half_year",
    "半年度": "half_year",
    "年": "year",
    "年度": "year",
    "学期": "half_year",
}
_NEXT_PERIOD_WORDS = (
    "上年",
    "上一年",
    "上季度",
    "上一季度",
    "上月",
    "上一月",
    "上半年",
    "次年",
    "次月",
    "下季度",
    "下一季度",
)
_REALTIME = ("实时", "即时", "随时", "第一时间", "同步公开", "同步发布", "同步更新")
_STANDING = ("长期", "常年", "动态更新", "动态调整", "动态公开", "常态化", "持续公开", "持续更新")
# Instructions that name no period: art. 26 applies (kept as written and flagged).
_NO_PERIOD = ("及时", "适时", "尽快", "定期", "按规定", "按照规定", "依法", "法定", "按要求", "按时", "不定期")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    return re.sub(r"\s+", "", text)


def _event(raw: str | None) -> str:
    if not raw:
        return ""
    raw = re.sub(r"^(自|从|于|在)", "", raw)
    raw = raw.replace("（", "(").replace("）", ")")
    return raw.strip("()，,")[:40]


def _month_day(match) -> tuple[int | None, int | None]:
    month = _cn_number(match.group(1))
    day = 31 if match.group(3) in ("底", "末", "份") else _cn_number(match.group(2) or "")
    if month and 1 <= month <= 12 and day and 1 <= day <= 31:
        return month, day
    return None, None


def _ok(**fields) -> ParseResult:
    return ParseResult(TimeframeRule(**fields), True)


def _parse_previous_year(s: str, original: str) -> ParseResult | None:
    """次年1月31日前 / 上年度 … 3月底前 without 每年."""
    if not re.search(r"(次年|上年|上一年|年度)", s):
        return None
    md = _RE_MONTH_DAY.search(s)
    if md is None:
        return None
    month, day = _month_day(md)
    if month is None:
        return None
    return _ok(kind="periodic", text=original, period="year", month=month, day=day, next_period=True)


def _parse_periodic(s: str, original: str) -> ParseResult | None:
    m = _RE_PERIOD.search(s)
    if m is None:
        return _parse_previous_year(s, original)
    period = _PERIOD_WORDS[m.group(1)]
    rest = s[m.end() :]
    next_period = any(w in s for w in _NEXT_PERIOD_WORDS)
    after = _RE_AFTER_PERIOD.search(rest) or _RE_AFTER_PERIOD.search(s)
    if after:
        days = _cn_number(after.group(1))
        return _ok(kind="periodic", text=original, period=period, days=days, working=after.group(2) == "工作日")
    md = _RE_MONTH_DAY.search(rest) or _RE_MONTH_DAY.search(s)
    if md:
        month, day = _month_day(md)
        if month is not None:
            return _ok(kind="periodic", text=original, period=period, month=month, day=day, next_period=next_period)
    fm = _RE_FIRST_MONTH.search(rest)
    day = _cn_number(fm.group(1)) if fm else None
    if day and 1 <= day <= 31:
        return _ok(kind="periodic", text=original, period=period, month=1, day=day, next_period=True)
    d = _RE_DAY_ONLY.search(rest)
    day = _cn_number(d.group(1)) if d else None
    if day and 1 <= day <= 31:
        return _ok(kind="periodic", text=original, period=period, day=day, next_period=next_period or period == "month")
    if period == "month" and (re.search(r"(月底|月末)", s) or rest.startswith(("底", "末"))):
        return _ok(kind="periodic", text=original, period=period, day=31)
    return _ok(kind="periodic", text=original, period=period)


def _parse_fixed(s: str, original: str) -> ParseResult | None:
    m = _RE_FIXED.search(s)
    if m is None:
        return None
    try:
        when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        message = _("日期无效：%(date)s") % {"date": m.group(0)}
        return ParseResult(TimeframeRule(kind="unparsed", text=original), False, message)
    return _ok(kind="fixed_date", text=original, date=when.isoformat())


def _parse_counted(s: str, original: str) -> ParseResult | None:
    m = _RE_WORKING.search(s)
    if m:
        days = _cn_number(m.group(2))
        if days is not None and 0 < days <= 365:
            return _ok(kind="working_days", text=original, days=days, event=_event(m.group("event")))
    m = _RE_DAYS.search(s)
    if m:
        days = _cn_number(m.group(2))
        if days is not None and 0 < days <= 366:
            return _ok(kind="days", text=original, days=days, event=_event(m.group("event")))
    return None


def _parse_words(s: str, original: str) -> ParseResult | None:
    if any(w in s for w in _REALTIME):
        return _ok(kind="realtime", text=original)
    if any(w in s for w in _STANDING):
        return _ok(kind="standing", text=original, legal_default=True)
    if re.search(rf"[{_DIGITS}]", s):
        return None  # a number we could not place: do not guess a default
    m = _RE_EVENT_ONLY.search(s)
    if m and not any(m.group("event").startswith(w) for w in _NO_PERIOD):
        return _ok(kind="working_days", text=original, event=_event(m.group("event")), legal_default=True)
    if any(w in s for w in _NO_PERIOD):
        return _ok(kind="working_days", text=original, legal_default=True)
    return None


def parse_result(text: str) -> ParseResult:
    original = (text or "").strip()
    s = _clean(original)
    if not s:
        return ParseResult(TimeframeRule(kind="unparsed", text=original), False, _("公开时限为空"))
    for parser in (_parse_periodic, _parse_fixed, _parse_counted, _parse_words):
        result = parser(s, original)
        if result is not None:
            return result
    message = _(
        "无法识别公开时限“%(text)s”，请写明如“信息形成或变更之日起20个工作日内”“每季度结束后15日内”“每年1月31日前”"
    ) % {"text": original[:40]}
    return ParseResult(TimeframeRule(kind="unparsed", text=original), False, message)


def parse(text: str) -> TimeframeRule:
    """Parse a timeframe; unknown phrasing gives ``kind='unparsed'`` with the text kept."""
    return parse_result(text).rule


def rule_json(text: str) -> tuple[dict, str]:
    """(rule as JSON, error message or '') — for services that store both."""
    result = parse_result(text)
    return result.rule.to_json(), result.message


# --- Due dates -----------------------------------------------------------------


def period_containing(period: str, d: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month / quarter / half-year / year that contains ``d``."""
    if period == "month":
        start_month, length = d.month, 1
    elif period == "quarter":
        start_month, length = (d.month - 1) // 3 * 3 + 1, 3
    elif period == "half_year":
        start_month, length = (1 if d.month <= 6 else 7), 6
    elif period == "year":
        start_month, length = 1, 12
    else:
        raise ValueError(f"unknown period {period!r}")
    start = dt.date(d.year, start_month, 1)
    end_month = start_month + length - 1
    end = dt.date(d.year, end_month, calendar.monthrange(d.year, end_month)[1])
    return start, end


def _clamp(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(d: dt.date, months: int) -> dt.date:
    total = d.year * 12 + d.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _count(start: dt.date, days: int, *, working: bool, cal: workdays.Calendar | None) -> dt.date:
    unit = deadlines.WORKING_DAYS if working else deadlines.CALENDAR_DAYS
    period = deadlines.Period(code="catalogue.timeframe", length=days, unit=unit)
    return deadlines.due_date(start, period, calendar=cal)


def _periodic_due(rule: TimeframeRule, event_date, period, cal) -> dt.date | None:
    if rule.period not in _LENGTH:
        return None
    if isinstance(period, tuple):
        start, end = period
    else:
        start, end = period_containing(rule.period, period or event_date)
    if rule.days is not None:
        return _count(end, rule.days, working=rule.working, cal=cal)
    if rule.day is None:
        return end  # 每季度 etc.: within the period
    length = _LENGTH[rule.period]
    base = _add_months(start, length) if rule.next_period else start
    month_offset = (rule.month or 1) - 1 if rule.period != "month" else 0
    target_month = _add_months(base, month_offset)
    due = _clamp(target_month.year, target_month.month, rule.day)
    if period is None and due < event_date:
        # No period named: the next deadline on or after the event.
        nxt = _add_months(target_month, length)
        due = _clamp(nxt.year, nxt.month, rule.day)
    return due


def due_date(
    rule: TimeframeRule | dict | None,
    event_date: dt.date,
    *,
    period: tuple[dt.date, dt.date] | dt.date | None = None,
    calendar: workdays.Calendar | None = None,
) -> dt.date | None:
    """When content under an item with this timeframe is due.

    ``event_date`` is the day the information was made or changed (or, for
    periodic items, any day in the period reported on unless ``period`` is
    given as a ``(start, end)`` pair or a date inside it). Without a rule, for
    text that could not be parsed, for standing items and for texts that name no
    period, the art. 26 period applies (:data:`PROACTIVE_PERIOD`, through
    :func:`gongkai.core.deadlines.due_date`). ``None`` only when a rule has no
    computable deadline (a periodic rule with an unknown period). A year without
    holiday data raises :class:`~gongkai.core.workdays.CalendarMissing`.
    """
    if isinstance(rule, dict):
        rule = TimeframeRule.from_json(rule)
    if rule is None or rule.kind in ("unparsed", "standing") or (rule.kind == "working_days" and not rule.days):
        return deadlines.due_date(event_date, PROACTIVE_PERIOD, calendar=calendar)
    if rule.kind == "working_days":
        return _count(event_date, rule.days, working=True, cal=calendar)
    if rule.kind == "days":
        return _count(event_date, rule.days or 0, working=False, cal=calendar)
    if rule.kind == "realtime":
        return event_date
    if rule.kind == "fixed_date":
        return dt.date.fromisoformat(rule.date) if rule.date else None
    if rule.kind == "periodic":
        return _periodic_due(rule, event_date, period, calendar)
    return None

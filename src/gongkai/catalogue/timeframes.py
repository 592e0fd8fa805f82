"""Disclosure timeframes (公开时限) as data.

Catalogue items state their time limit in free text. :func:`parse` turns the
usual phrasings into a :class:`TimeframeRule` (the free text is always kept) and
:func:`due_date` computes when content is due, so that publications, monitoring
and assessment can check timeliness.

Recognised kinds:

``working_days``  信息形成或变更之日起20个工作日内 · 自作出决定之日起7个工作日内
``days``          收到申请之日起15日内 · 自公示之日起10天内 (calendar days)
``realtime``      实时 / 即时 / 实时更新
``periodic``      每月 / 每季度 / 每半年 / 每年, optionally with a deadline:
                  每年1月31日前 · 每年3月底前 · 每月10日前 · 每季度结束后15日内 ·
                  每季度首月15日前 · 次年1月31日前 (上年度 → the following period)
``fixed_date``    2025年3月31日前
``standing``      长期公开 / 常年公开 / 动态更新 (kept up to date: art. 26 applies to changes)
``unparsed``      anything else; the text is kept and :attr:`ParseResult.ok` is False so
                  imports and editors report it.

Day counting follows RULES.md: a period starts on the day after the event; working
days come from :mod:`gongkai.core.workdays` (holidays and make-up workdays). When
an item has no rule, or the rule cannot be computed, the default of the
Regulations art. 26 applies: 20 working days after the information is made or changed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass

from gongkai.core import workdays

__all__ = [
    "DEFAULT_WORKING_DAYS",
    "KINDS",
    "PERIODS",
    "ParseResult",
    "TimeframeRule",
    "due_date",
    "parse",
    "parse_result",
    "period_containing",
]

DEFAULT_WORKING_DAYS = 20  # 政府信息公开条例 art. 26

KINDS = ("working_days", "days", "realtime", "periodic", "fixed_date", "standing", "unparsed")
PERIODS = {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}


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

    def to_json(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if v not in (None, "", False) and k != "working"}
        if self.kind == "periodic" and self.days is not None:
            data["working"] = self.working
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> TimeframeRule | None:
        if not data or "kind" not in data:
            return None
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def is_parsed(self) -> bool:
        return self.kind != "unparsed"

    def describe(self) -> str:
        """A short normalised description in Chinese (shown next to the free text)."""
        if self.kind == "working_days":
            return f"{self.event or '事件发生'}后{self.days}个工作日内"
        if self.kind == "days":
            return f"{self.event or '事件发生'}后{self.days}日内"
        if self.kind == "realtime":
            return "实时公开"
        if self.kind == "standing":
            return f"长期公开，变更后{DEFAULT_WORKING_DAYS}个工作日内更新"
        if self.kind == "fixed_date":
            return f"{self.date}前"
        if self.kind == "periodic":
            base = PERIODS.get(self.period or "", "定期")
            if self.days is not None:
                unit = "个工作日" if self.working else "日"
                return f"{base}，期满后{self.days}{unit}内"
            if self.day is not None:
                nxt = {"month": "次月", "quarter": "下季度", "half_year": "下半年度", "year": "次年"}[
                    self.period or "year"
                ]
                prefix = (
                    nxt
                    if self.next_period
                    else {"month": "当月", "quarter": "本季度", "half_year": "本半年度", "year": "当年"}[
                        self.period or "year"
                    ]
                )
                if self.period == "month":
                    when = ""
                elif self.period == "year":
                    when = f"{self.month or 1}月"
                else:
                    when = f"第{self.month or 1}个月"
                day = "底" if (self.day == 31 and self.period != "year") else f"{self.day}日"
                if self.period == "year" and self.day == 31 and (self.month or 1) in (2, 4, 6, 9, 11):
                    day = "底"
                if self.period == "month":
                    day = "月底" if self.day == 31 else f"{self.day}日"
                return f"{base}，{prefix}{when}{day}前"
            return f"{base}更新"
        return "未能识别，按条例第二十六条默认20个工作日"


@dataclass(frozen=True)
class ParseResult:
    rule: TimeframeRule
    ok: bool
    message: str = ""


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
        head, _, token = token.partition("百")
        total += (_CN_DIGITS.get(head, 1) if head else 1) * 100
    if "十" in token:
        head, _, tail = token.partition("十")
        total += (_CN_DIGITS.get(head, 1) if head else 1) * 10
        token = tail
    if token:
        if token not in _CN_DIGITS:
            return None
        total += _CN_DIGITS[token]
    return total


_NUM = r"(\d+|[零〇一二两三四五六七八九十百]+)"
_RE_WORKING = re.compile(
    rf"(?:(?:自|从|于)?(?P<event>[^，。；,;]*?)(?:之日|之时|后|起|以来)+)?[^0-9零〇一二两三四五六七八九十百]*?{_NUM}\s*个?\s*工作日"
)
_RE_DAYS = re.compile(
    rf"(?:(?:自|从|于)?(?P<event>[^，。；,;]*?)(?:之日|之时|后|起)+)?[^0-9零〇一二两三四五六七八九十百]*?{_NUM}\s*(?:个)?\s*(?:自然日|日|天)(?:内|以内|之内)"
)
_RE_FIXED = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_RE_PERIOD = re.compile(r"(?:每|按)\s*(月|月度|季|季度|半年|半年度|学期|年|年度)")
_RE_MONTH_DAY = re.compile(rf"{_NUM}\s*月\s*(?:{_NUM}\s*日|(底|末|份))")
_RE_DAY_ONLY = re.compile(rf"{_NUM}\s*(?:日|号)\s*(?:前|以前|之前)")
_RE_AFTER_PERIOD = re.compile(rf"(?:结束|届满|期满|终了)后\s*{_NUM}\s*个?\s*(工作日|日|天)")
_RE_FIRST_MONTH = re.compile(rf"(?:首月|第一个月)\s*{_NUM}\s*日")

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
_REALTIME = ("实时", "即时", "随时")
_STANDING = ("长期", "常年", "动态更新", "动态调整", "常态化")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip()
    return re.sub(r"\s+", "", text)


def _event(raw: str | None) -> str:
    if not raw:
        return ""
    raw = re.sub(r"^(自|从|于|在)", "", raw)
    raw = raw.replace("（", "(").replace("）", ")")
    return raw.strip("()，,")[:40]


def parse_result(text: str) -> ParseResult:
    original = (text or "").strip()
    s = _clean(original)
    if not s:
        return ParseResult(TimeframeRule(kind="unparsed", text=original), False, "公开时限为空")

    # Periodic (每月/每季度/每半年/每年 ...)
    m = _RE_PERIOD.search(s)
    if m is None and re.search(r"(次年|上年|上一年|年度)", s) and _RE_MONTH_DAY.search(s):
        md = _RE_MONTH_DAY.search(s)
        month = _cn_number(md.group(1))
        day = 31 if md.group(3) in ("底", "末", "份") else _cn_number(md.group(2) or "")
        if month and 1 <= month <= 12 and day and 1 <= day <= 31:
            return ParseResult(
                TimeframeRule(kind="periodic", text=original, period="year", month=month, day=day, next_period=True),
                True,
            )
    if m:
        period = _PERIOD_WORDS[m.group(1)]
        rest = s[m.end() :]
        next_period = any(
            w in s
            for w in (
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
        )
        after = _RE_AFTER_PERIOD.search(rest) or _RE_AFTER_PERIOD.search(s)
        if after:
            days = _cn_number(after.group(1))
            return ParseResult(
                TimeframeRule(
                    kind="periodic", text=original, period=period, days=days, working=after.group(2) == "工作日"
                ),
                True,
            )
        md = _RE_MONTH_DAY.search(rest) or _RE_MONTH_DAY.search(s)
        if md:
            month = _cn_number(md.group(1))
            day = 31 if md.group(3) in ("底", "末", "份") else _cn_number(md.group(2) or "")
            if month and 1 <= month <= 12 and day and 1 <= day <= 31:
                return ParseResult(
                    TimeframeRule(
                        kind="periodic", text=original, period=period, month=month, day=day, next_period=next_period
                    ),
                    True,
                )
        fm = _RE_FIRST_MONTH.search(rest)
        if fm:
            day = _cn_number(fm.group(1))
            if day and 1 <= day <= 31:
                return ParseResult(
                    TimeframeRule(kind="periodic", text=original, period=period, month=1, day=day, next_period=True),
                    True,
                )
        d = _RE_DAY_ONLY.search(rest)
        if d:
            day = _cn_number(d.group(1))
            if day and 1 <= day <= 31:
                return ParseResult(
                    TimeframeRule(
                        kind="periodic",
                        text=original,
                        period=period,
                        day=day,
                        next_period=next_period or period == "month",
                    ),
                    True,
                )
        if period == "month" and (re.search(r"(月底|月末)", s) or rest.startswith(("底", "末"))):
            return ParseResult(TimeframeRule(kind="periodic", text=original, period=period, day=31), True)
        return ParseResult(TimeframeRule(kind="periodic", text=original, period=period), True)

    # Fixed date
    m = _RE_FIXED.search(s)
    if m:
        try:
            when = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return ParseResult(TimeframeRule(kind="unparsed", text=original), False, f"日期无效：{m.group(0)}")
        return ParseResult(TimeframeRule(kind="fixed_date", text=original, date=when.isoformat()), True)

    m = _RE_WORKING.search(s)
    if m:
        days = _cn_number(m.group(2))
        if days is not None and 0 < days <= 365:
            return ParseResult(
                TimeframeRule(kind="working_days", text=original, days=days, event=_event(m.group("event"))), True
            )
    m = _RE_DAYS.search(s)
    if m:
        days = _cn_number(m.group(2))
        if days is not None and 0 < days <= 366:
            return ParseResult(
                TimeframeRule(kind="days", text=original, days=days, event=_event(m.group("event"))), True
            )
    if any(w in s for w in _REALTIME):
        return ParseResult(TimeframeRule(kind="realtime", text=original), True)
    if any(w in s for w in _STANDING):
        return ParseResult(TimeframeRule(kind="standing", text=original), True)
    return ParseResult(
        TimeframeRule(kind="unparsed", text=original),
        False,
        f"无法识别公开时限“{original[:40]}”，请写明如“信息形成或变更之日起20个工作日内”“每季度结束后15日内”“每年1月31日前”",
    )


def parse(text: str) -> TimeframeRule:
    """Parse a timeframe; unknown phrasing gives ``kind='unparsed'`` with the text kept."""
    return parse_result(text).rule


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
    given as a ``(start, end)`` pair or a date inside it). Without a rule, or for
    text that could not be parsed, the legal default applies: 20 working days
    after the event (政府信息公开条例 art. 26). ``None`` is returned only when a
    rule has no computable deadline (a periodic rule with an unknown period).
    """
    if isinstance(rule, dict):
        rule = TimeframeRule.from_json(rule)
    if rule is None or rule.kind in ("unparsed", "standing"):
        return workdays.add_working_days(event_date, DEFAULT_WORKING_DAYS, calendar=calendar)
    if rule.kind == "working_days":
        return workdays.add_working_days(event_date, rule.days or DEFAULT_WORKING_DAYS, calendar=calendar)
    if rule.kind == "days":
        return event_date + dt.timedelta(days=rule.days or 0)
    if rule.kind == "realtime":
        return event_date
    if rule.kind == "fixed_date":
        return dt.date.fromisoformat(rule.date) if rule.date else None
    if rule.kind == "periodic":
        if rule.period not in PERIODS:
            return None
        if isinstance(period, tuple):
            start, end = period
        else:
            start, end = period_containing(rule.period, period or event_date)
        if rule.days is not None:
            if rule.working:
                return workdays.add_working_days(end, rule.days, calendar=calendar)
            return end + dt.timedelta(days=rule.days)
        if rule.day is None:
            return end  # 每季度 etc.: within the period
        length = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[rule.period]
        base = _add_months(start, length) if rule.next_period else start
        month_offset = (rule.month or 1) - 1 if rule.period != "month" else 0
        target_month = _add_months(base, month_offset)
        due = _clamp(target_month.year, target_month.month, rule.day)
        if period is None and due < event_date:
            # No period named: the next deadline on or after the event.
            nxt = _add_months(target_month, length)
            due = _clamp(nxt.year, nxt.month, rule.day)
        return due
    return None


def rule_json(text: str) -> tuple[dict, str]:
    """(rule as JSON, error message or '') — for services that store both."""
    result = parse_result(text)
    return result.rule.to_json(), result.message


__all__ += ["rule_json"]

"""Working-day arithmetic on the Chinese official calendar (public API).

Working days are Monday–Friday, minus public holidays, plus make-up workdays
(调休: weekend days declared working days). Both come from the ``Holiday``
table, seeded from the State Council's yearly notices and editable by an
administrator; nothing here assumes that Saturday and Sunday are always rest.

Day counting follows the legal convention (政府信息公开条例 and 民法典 art. 201):
a period starts on the day after the event, so the event day is not counted.

    is_working_day(d)            -> bool
    add_working_days(d, n)       -> the n-th working day after d (n=0 gives d)
    working_days_between(a, b)   -> number of working days w with a < w <= b

A date in a year without holiday data raises :class:`CalendarMissing` rather
than silently treating that year as weekends-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .snapshots import VersionedSnapshot

__all__ = [
    "Calendar",
    "CalendarMissing",
    "add_working_days",
    "bump_version",
    "current_calendar",
    "invalidate",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]


class CalendarMissing(LookupError):
    """The holiday schedule for a year has not been loaded."""

    def __init__(self, year: int):
        self.year = year
        from django.utils.translation import gettext

        super().__init__(
            gettext(
                "%(year)s年的节假日安排尚未录入工作日历，无法计算工作日。"
                "请在“工作日历”中录入或导入国务院办公厅发布的%(year)s年节假日安排"
                "（gongkai import_holidays FILE）。"
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class Calendar:
    """An immutable snapshot of the holiday table: usable without the database."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)  # date -> is working day
    years: frozenset[int] = frozenset()

    def _check(self, d: dt.date) -> None:
        if d.year not in self.years:
            raise CalendarMissing(d.year)

    def is_working_day(self, d: dt.date) -> bool:
        self._check(d)
        override = self.overrides.get(d)
        if override is not None:
            return override
        return d.weekday() < 5

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        if n < 0:
            raise ValueError("n must be >= 0")
        current = d
        remaining = n
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day(self, d: dt.date) -> dt.date:
        """d itself if it is a working day, else the first working day after it."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days w with a < w <= b; negative when b < a (antisymmetric)."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        current = a
        while current < b:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


# Process-local snapshot, revalidated against a version counter kept in the database
# (see :mod:`gongkai.core.snapshots`), bumped by every calendar service in its own
# transaction; a calendar change also recomputes every stored due date on commit
# (:func:`gongkai.core.deadlines.recompute_all`).
VERSION_SCOPE = "calendar:version"


def _load() -> Calendar:
    from .models import CalendarYear, Holiday, HolidayKind

    overrides = {h.date: h.kind == HolidayKind.WORKDAY for h in Holiday.objects.all().only("date", "kind")}
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return Calendar(overrides=overrides, years=years)


_snapshot: VersionedSnapshot[Calendar] = VersionedSnapshot(VERSION_SCOPE, _load)


def bump_version() -> None:
    """Record a calendar change; call inside the transaction that changes the holiday table."""
    _snapshot.bump()


def invalidate() -> None:
    """Drop this process's snapshot (the next call reloads from the database)."""
    _snapshot.forget()


_forget = invalidate  # kept for tests that reset the snapshot between cases


def current_calendar() -> Calendar:
    """The calendar as stored now; reloaded in every process when it changes."""
    return _snapshot.get()


def is_working_day(d: dt.date, *, calendar: Calendar | None = None) -> bool:
    return (calendar or current_calendar()).is_working_day(d)


def add_working_days(d: dt.date, n: int, *, calendar: Calendar | None = None) -> dt.date:
    """The n-th working day after d; the start day is not counted; n=0 gives d."""
    return (calendar or current_calendar()).add_working_days(d, n)


def next_working_day(d: dt.date, *, calendar: Calendar | None = None) -> dt.date:
    return (calendar or current_calendar()).next_working_day(d)


def working_days_between(a: dt.date, b: dt.date, *, calendar: Calendar | None = None) -> int:
    """The number of working days w with a < w <= b."""
    return (calendar or current_calendar()).working_days_between(a, b)

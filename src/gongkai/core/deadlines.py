"""Legal periods as data and the one due-date function of the product.

Every period the product uses (an information request's 20 working days, the 7 working
days of 双公示, an appeal type's limit, the FAQ review cycle …) is a
:class:`~gongkai.core.models.LegalPeriod` row with its legal basis, seeded by the
migrations and editable by a system administrator (audited). Code names a period by
its ``code`` and computes dates with :func:`due_date`::

    from gongkai.core import deadlines

    deadlines.due_date(received_on, "request.reply", pauses=[(sent, answered)], extra=extension_days)
    deadlines.period("request.reply").length          # 20

Counting (RULES.md): a period starts on the day after the event, so the event day is not
counted. Working days come from :mod:`gongkai.core.workdays` (public holidays are rest
days, make-up workdays 调休 are working days); a year without holiday data raises
:class:`~gongkai.core.workdays.CalendarMissing`. A pause (time consulting a third party,
政府信息公开条例 art. 33) adds every day ``w`` of the period's unit with
``start < w <= end``; overlapping pauses count each day once.

Stored due dates
----------------
An app that stores a computed due date registers how to recompute it::

    deadlines.register_recompute("requests.request", services.recompute_due_dates)

(in its ``AppConfig.ready()``). A change of the holiday calendar (save, delete, import)
or of a period schedules :func:`recompute_all` on commit (a Celery task, run in-process
in the embedded mode), so every stored date is right as soon as the change is saved.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import workdays
from .snapshots import VersionedSnapshot
from .workdays import Calendar, CalendarMissing

__all__ = [
    "CalendarMissing",
    "Period",
    "UnknownPeriod",
    "add_months",
    "due_date",
    "paused_days",
    "period",
    "periods",
    "recompute_all",
    "register_recompute",
    "schedule_recompute",
]

log = logging.getLogger(__name__)

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
MONTHS = "months"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, MONTHS)


class UnknownPeriod(LookupError):
    """No legal period with that code exists (a programming or seeding error)."""


@dataclass(frozen=True)
class Period:
    """An immutable copy of a :class:`~gongkai.core.models.LegalPeriod` row."""

    code: str
    length: int
    unit: str = WORKING_DAYS
    name: str = ""
    legal_basis: str = ""
    is_maximum: bool = False

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unknown period unit {self.unit!r}")
        if self.length < 0:
            raise ValueError("a period cannot be negative")


# --- the periods table --------------------------------------------------------------

VERSION_SCOPE = "periods:version"


def _load() -> dict[str, Period]:
    from .models import LegalPeriod

    return {
        row.code: Period(row.code, row.length, row.unit, row.name, row.legal_basis, row.is_maximum)
        for row in LegalPeriod.objects.all()
    }


_snapshot: VersionedSnapshot[dict[str, Period]] = VersionedSnapshot(VERSION_SCOPE, _load)


def periods() -> dict[str, Period]:
    """Every period by code, as stored now (a process-local snapshot, see core.snapshots)."""
    return _snapshot.get()


def period(code: str) -> Period:
    try:
        return periods()[code]
    except KeyError:
        raise UnknownPeriod(_("未定义的法定期限：%(code)s") % {"code": code}) from None


def bump_version() -> None:
    """Record a change of the periods table; call inside the changing transaction."""
    _snapshot.bump()


def invalidate() -> None:
    _snapshot.forget()


# --- the due-date function ------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(d.day, _calendar.monthrange(year, month)[1]))


def paused_days(
    pauses: Iterable[tuple[dt.date, dt.date]], *, unit: str = WORKING_DAYS, calendar: Calendar | None = None
) -> int:
    """Days w (working or calendar days, by ``unit``) with start < w <= end for some pause.

    Overlapping pauses count each day once: the clock is either stopped on a day or not.
    """
    if unit == MONTHS:
        raise ValueError("a period counted in months cannot be paused")
    cal = calendar or (workdays.current_calendar() if unit == WORKING_DAYS else None)
    days: set[dt.date] = set()
    for start, end in pauses:
        if start is None or end is None:
            raise ValueError(_("暂停期间的起止日期不能为空"))
        if end < start:
            raise ValueError(_("暂停期间结束日期 %(end)s 早于开始日期 %(start)s") % {"end": end, "start": start})
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if unit == CALENDAR_DAYS or cal.is_working_day(current):
                days.add(current)
    return len(days)


def due_date(
    start: dt.date,
    period_or_code: Period | str,
    *,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    extra: int = 0,
    calendar: Calendar | None = None,
) -> dt.date:
    """The last day of a period that starts after ``start`` (the start day is not counted).

    ``extra`` lengthens the period by that many units (an approved extension), ``pauses``
    stop the clock. Pure apart from reading the period and calendar snapshots when they
    are not passed in.
    """
    p = period(period_or_code) if isinstance(period_or_code, str) else period_or_code
    if isinstance(extra, bool) or not isinstance(extra, int) or extra < 0:
        raise ValueError(_("延长的期限必须是非负整数"))
    if p.unit == MONTHS:
        if tuple(pauses):
            raise ValueError("a period counted in months cannot be paused")
        return add_months(start, p.length + extra)
    if p.unit == CALENDAR_DAYS:
        return start + dt.timedelta(days=p.length + extra + paused_days(pauses, unit=CALENDAR_DAYS))
    cal = calendar or workdays.current_calendar()
    return cal.add_working_days(start, p.length + extra + paused_days(pauses, unit=WORKING_DAYS, calendar=cal))


def days_left(today: dt.date, due: dt.date, *, unit: str = WORKING_DAYS, calendar: Calendar | None = None) -> int:
    """Units from today to the due date: 0 on the due day, negative when overdue."""
    if unit == WORKING_DAYS:
        return (calendar or workdays.current_calendar()).working_days_between(today, due)
    return (due - today).days


# --- recomputing stored due dates -----------------------------------------------------

_recomputers: dict[str, Callable[[], int | None]] = {}


def register_recompute(name: str, fn: Callable[[], int | None]) -> None:
    """Register how to recompute the stored due dates of one kind of record.

    ``fn()`` recomputes every open record (each change audited by the owning app's
    service) and returns how many changed. Call from the app's ``AppConfig.ready()``.
    """
    _recomputers[name] = fn


def recomputers() -> dict[str, Callable[[], int | None]]:
    return dict(_recomputers)


def recompute_all(*, only: Iterable[str] | None = None) -> dict[str, int]:
    """Run every registered recomputation; one failing kind does not stop the others."""
    wanted = set(only) if only is not None else None
    changed: dict[str, int] = {}
    for name, fn in sorted(_recomputers.items()):
        if wanted is not None and name not in wanted:
            continue
        try:
            changed[name] = int(fn() or 0)
        except Exception:
            log.exception("recomputing due dates of %s failed", name)
            changed[name] = -1
    return changed


def schedule_recompute(reason: str) -> None:
    """After the current transaction commits, recompute every stored due date (Celery task).

    Call from the service that changes the calendar or a period. In the embedded mode
    (eager Celery) the recomputation runs in-process right after the commit, so the next
    page load of any app shows the new dates.
    """
    from django.db import transaction

    def _enqueue():
        from .tasks import recompute_due_dates

        try:
            recompute_due_dates.delay(reason)
        except Exception:  # broker down: the periodic job catches up
            log.exception("could not enqueue the due-date recomputation (%s)", reason)

    transaction.on_commit(_enqueue)

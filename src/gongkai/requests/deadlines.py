"""Legal deadlines for information requests (政府信息公开条例, 2019 revision).

Every period here is counted in **working days** on the official calendar
(:mod:`gongkai.core.workdays`: public holidays are rest days, make-up workdays
(调休) are working days) and starts on the day after the event (the event day
is not counted).

Rules implemented (article numbers of the 2019 Regulations):

* art. 33 — reply within 20 working days of receipt (:data:`REPLY_DAYS`);
  one extension of at most 20 working days (:data:`MAX_EXTENSION_DAYS`) with the
  approval of the head of the disclosure office, notified to the applicant;
  time spent consulting third parties or other bodies is **not counted** (a pause).
* art. 30 — an unclear request gets one correction notice (补正告知) within
  7 working days of receipt (:data:`CORRECTION_NOTICE_DAYS`); the reply period
  then runs **from the day the corrected request is received** (a restart, not
  a pause); no correction within the stated reasonable time → deemed abandoned.
* art. 32 — a consulted third party answers within 15 working days of the
  letter (:data:`THIRD_PARTY_DAYS`); art. 34 gives other bodies the same 15.
* art. 31 — the receipt date depends on the channel (see ``models.Channel``).

:func:`due_date` is a pure function of the request's timeline, so the stored due
date can always be recomputed and checked (``recompute_due_dates``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from gongkai.core import workdays
from gongkai.core.workdays import Calendar, CalendarMissing

__all__ = [
    "CORRECTION_NOTICE_DAYS",
    "MAX_EXTENSION_DAYS",
    "REPLY_DAYS",
    "THIRD_PARTY_DAYS",
    "CalendarMissing",
    "correction_deadline",
    "correction_notice_due",
    "due_date",
    "paused_working_days",
    "third_party_reply_due",
    "working_days_left",
]

REPLY_DAYS = 20  # art. 33 para. 2
MAX_EXTENSION_DAYS = 20  # art. 33 para. 2
CORRECTION_NOTICE_DAYS = 7  # art. 30
THIRD_PARTY_DAYS = 15  # art. 32 (third parties), art. 34 (other bodies)


def _cal(calendar: Calendar | None) -> Calendar:
    return calendar or workdays.current_calendar()


def paused_working_days(pauses: Iterable[tuple[dt.date, dt.date]], *, calendar: Calendar | None = None) -> int:
    """Working days w with start < w <= end for some pause (start, end).

    Overlapping pauses (two consultations running at once) count each day once:
    the clock is either stopped on a day or it is not (art. 33 para. 2).
    """
    cal = _cal(calendar)
    days: set[dt.date] = set()
    for start, end in pauses:
        if start is None or end is None:
            raise ValueError("暂停期间的起止日期不能为空")
        if end < start:
            raise ValueError(f"暂停期间结束日期 {end} 早于开始日期 {start}")
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if cal.is_working_day(current):
                days.add(current)
    return len(days)


def due_date(
    received: dt.date,
    *,
    corrected_on: dt.date | None = None,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
    extension_days: int = 0,
    calendar: Calendar | None = None,
) -> dt.date:
    """The reply due date of a request (art. 30, 33).

    The period runs from ``corrected_on`` when the request was corrected (art. 30:
    a restart), else from ``received`` (art. 31 receipt date). It is 20 working
    days, plus ``extension_days`` (0–20, art. 33), plus every working day w with
    start < w <= end of each consultation pause (art. 32–34: not counted).

    Raises :class:`CalendarMissing` when a needed year has no holiday schedule
    and ``ValueError`` for an impossible timeline.
    """
    if not isinstance(extension_days, int) or isinstance(extension_days, bool):
        raise ValueError("延长天数必须是整数")
    if not 0 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"延长答复期限最多{MAX_EXTENSION_DAYS}个工作日（条例第三十三条）")
    if corrected_on is not None and corrected_on < received:
        raise ValueError("补正日期不能早于收到申请的日期")
    cal = _cal(calendar)
    start = corrected_on or received
    total = REPLY_DAYS + extension_days + paused_working_days(pauses, calendar=cal)
    return cal.add_working_days(start, total)


def correction_notice_due(received: dt.date, *, calendar: Calendar | None = None) -> dt.date:
    """Last day to send the one correction notice: 7 working days after receipt (art. 30)."""
    return _cal(calendar).add_working_days(received, CORRECTION_NOTICE_DAYS)


def correction_deadline(notice_sent: dt.date, *, days: int | None = None, calendar: Calendar | None = None) -> dt.date:
    """The "reasonable" deadline for the applicant to correct (art. 30).

    The regulation leaves the length to the body; the default is
    ``settings.GONGKAI_REQUEST_CORRECTION_DAYS`` working days (15 unless configured).
    """
    n = days if days is not None else int(getattr(settings, "GONGKAI_REQUEST_CORRECTION_DAYS", 15))
    return _cal(calendar).add_working_days(notice_sent, n)


def third_party_reply_due(letter_sent: dt.date, *, calendar: Calendar | None = None) -> dt.date:
    """A consulted third party (art. 32) or body (art. 34) answers within 15 working days."""
    return _cal(calendar).add_working_days(letter_sent, THIRD_PARTY_DAYS)


def working_days_left(today: dt.date, due: dt.date, *, calendar: Calendar | None = None) -> int:
    """Working days from today to the due date (0 on the due day, negative when overdue)."""
    return _cal(calendar).working_days_between(today, due)

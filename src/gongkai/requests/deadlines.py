"""Legal deadlines for information requests (政府信息公开条例, 2019 revision).

The period lengths are rows of the core periods table (:mod:`gongkai.core.deadlines`,
editable by the system administrator, audited) and the arithmetic is the product's one
due-date function, :func:`gongkai.core.deadlines.due_date`. This module keeps the
request-shaped functions the app (and the annual report) use:

* art. 33 — reply within ``request.reply`` (20) working days of receipt; one extension of at
  most ``request.extension`` (20) working days with the approval of the head of the disclosure
  office, notified to the applicant; time spent consulting third parties or other bodies is
  **not counted** (a pause).
* art. 30 — an unclear request gets one correction notice within ``request.correction_notice``
  (7) working days of receipt; the reply period then runs **from the day the corrected request
  is received** (a restart, not a pause); no correction within the reasonable time stated in
  the notice (``request.correction_deadline``, 15 by default: the law only says "reasonable")
  → deemed abandoned.
* art. 32 — a consulted third party answers within ``request.third_party`` (15) working days of
  the letter; art. 34 gives other bodies ``request.other_body`` (15).
* art. 31 — the receipt date depends on the channel (see ``choices.Channel``).

Every period is counted in working days on the official calendar (public holidays are rest
days, make-up workdays 调休 are working days) and starts on the day after the event.
:func:`due_date` is a pure function of the request's timeline (and of the periods and calendar
snapshots), so the stored due date can always be recomputed (``services.recompute_due_dates``,
registered with core: a calendar or period change recomputes every open request on commit).

The old constants (``REPLY_DAYS``, ``MAX_EXTENSION_DAYS``, ``CORRECTION_NOTICE_DAYS``,
``THIRD_PARTY_DAYS``) are still readable: they return the current length of their period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from gongkai.core import deadlines as core_deadlines
from gongkai.core import workdays
from gongkai.core.workdays import Calendar, CalendarMissing

__all__ = [
    "CalendarMissing",
    "correction_deadline",
    "correction_notice_due",
    "due_date",
    "max_extension_days",
    "paused_working_days",
    "third_party_reply_due",
    "working_days_left",
]

REPLY = "request.reply"  # art. 33 para. 2
EXTENSION = "request.extension"  # art. 33 para. 2 (a maximum)
CORRECTION_NOTICE = "request.correction_notice"  # art. 30
CORRECTION_DEADLINE = "request.correction_deadline"  # art. 30 ("reasonable")
THIRD_PARTY = "request.third_party"  # art. 32
OTHER_BODY = "request.other_body"  # art. 34

_LEGACY = {
    "REPLY_DAYS": REPLY,
    "MAX_EXTENSION_DAYS": EXTENSION,
    "CORRECTION_NOTICE_DAYS": CORRECTION_NOTICE,
    "THIRD_PARTY_DAYS": THIRD_PARTY,
}


def __getattr__(name: str) -> int:
    if name in _LEGACY:
        return core_deadlines.period(_LEGACY[name]).length
    raise AttributeError(name)


def _cal(calendar: Calendar | None) -> Calendar:
    return calendar or workdays.current_calendar()


def max_extension_days() -> int:
    return core_deadlines.period(EXTENSION).length


def paused_working_days(pauses: Iterable[tuple[dt.date, dt.date]], *, calendar: Calendar | None = None) -> int:
    """Working days w with start < w <= end for some pause (start, end).

    Overlapping pauses (two consultations running at once) count each day once:
    the clock is either stopped on a day or it is not (art. 33 para. 2).
    """
    return core_deadlines.paused_days(pauses, calendar=_cal(calendar))


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
        raise ValueError(_("延长天数必须是整数"))
    limit = max_extension_days()
    if not 0 <= extension_days <= limit:
        raise ValueError(_("延长答复期限最多%(days)s个工作日（条例第三十三条）") % {"days": limit})
    if corrected_on is not None and corrected_on < received:
        raise ValueError(_("补正日期不能早于收到申请的日期"))
    return core_deadlines.due_date(
        corrected_on or received, REPLY, pauses=pauses, extra=extension_days, calendar=_cal(calendar)
    )


def correction_notice_due(received: dt.date, *, calendar: Calendar | None = None) -> dt.date:
    """Last day to send the one correction notice: 7 working days after receipt (art. 30)."""
    return core_deadlines.due_date(received, CORRECTION_NOTICE, calendar=_cal(calendar))


def correction_deadline(notice_sent: dt.date, *, days: int | None = None, calendar: Calendar | None = None) -> dt.date:
    """The "reasonable" deadline for the applicant to correct (art. 30).

    The regulation leaves the length to the body: the period ``request.correction_deadline``
    (15 working days unless the administrator changed it); ``days`` overrides it.
    """
    if days is not None:
        return _cal(calendar).add_working_days(notice_sent, days)
    return core_deadlines.due_date(notice_sent, CORRECTION_DEADLINE, calendar=_cal(calendar))


def third_party_reply_due(
    letter_sent: dt.date, *, other_body: bool = False, calendar: Calendar | None = None
) -> dt.date:
    """A consulted third party (art. 32) or body (art. 34) answers within 15 working days."""
    return core_deadlines.due_date(letter_sent, OTHER_BODY if other_body else THIRD_PARTY, calendar=_cal(calendar))


def working_days_left(today: dt.date, due: dt.date, *, calendar: Calendar | None = None) -> int:
    """Working days from today to the due date (0 on the due day, negative when overdue)."""
    return _cal(calendar).working_days_between(today, due)

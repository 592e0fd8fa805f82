"""Due dates for proactive disclosure (政府信息公开条例 art. 26).

Information must be published within 20 working days of being made or changed, unless
the catalogue item it fulfils sets another timeframe (e.g. "7 working days" for 双公示,
"each quarter", "in real time"). The catalogue's structured timeframe rule is evaluated by
``gongkai.catalogue.timeframes.due_date``; without a catalogue item, or when the item has
no structured rule, the statutory default applies. Working days come from the holiday
table (``gongkai.core.workdays``); a year without holiday data gives no due date rather
than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import logging

from gongkai.core import workdays

log = logging.getLogger(__name__)

DEFAULT_WORKING_DAYS = 20  # 政府信息公开条例 art. 26


def default_due_date(event: dt.date) -> dt.date | None:
    try:
        return workdays.add_working_days(event, DEFAULT_WORKING_DAYS)
    except workdays.CalendarMissing:
        return None


def due_date_for(pub) -> dt.date | None:
    """The date by which ``pub`` must be published, or None when it cannot be computed."""
    event = pub.event_date
    if event is None:
        return None
    unit_item = getattr(pub, "unit_item", None)
    rule = getattr(unit_item, "timeframe_rule", None) if unit_item is not None else None
    if rule:
        from gongkai.catalogue import timeframes

        try:
            due = timeframes.due_date(rule, event)
        except workdays.CalendarMissing:
            return None
        except Exception:  # a malformed rule must not block publishing: fall back to the statute
            log.exception("catalogue timeframe rule %r could not be evaluated", rule)
            return default_due_date(event)
        if due is not None:
            return due
    return default_due_date(event)


def is_late(pub) -> bool:
    return bool(pub.due_on and pub.published_on and pub.published_on > pub.due_on)

"""双公示 periods, all computed by the one due-date function :func:`gongkai.core.deadlines.due_date`
from the :class:`~gongkai.core.models.LegalPeriod` rows this app seeds (editable, audited):

============================  ==========================  =================================================
code                          length                      source
============================  ==========================  =================================================
``credit.publication``        7 working days              发改办财金〔2018〕424号 (seeded by core)
``credit.withdrawal``         3 working days              《行政处罚法》第四十八条第二款, 第八十五条 (“三日”为工作日)
``credit.display.minor``      3 months (maximum)          轻微：原则上不公示，公示的最长3个月
``credit.display.ordinary``   12 months (maximum)         一般：最短3个月，最长1年
``credit.display.serious``    36 months (maximum)         严重：最短1年，最长3年
``credit.repair.minor``       0 months (minimum)          轻微：无最短公示期
``credit.repair.ordinary``    3 months (minimum)          一般：公示满3个月可申请信用修复
``credit.repair.serious``     12 months (minimum)         严重：公示满1年可申请信用修复
============================  ==========================  =================================================

Display and repair lengths follow the credit-repair rules in force from 2026-04-01 as RULES.md
summarises them (*unverified*: configurable in 工作台 › 法定期限).

Counting: the decision (or revocation) day is not counted; working days come from the holiday
table, so 调休 make-up days count and a year without calendar data raises
:class:`~gongkai.core.workdays.CalendarMissing`.
"""

from __future__ import annotations

import datetime as dt

from gongkai.core import deadlines

PUBLICATION = "credit.publication"
WITHDRAWAL = "credit.withdrawal"
DISPLAY = {"minor": "credit.display.minor", "ordinary": "credit.display.ordinary", "serious": "credit.display.serious"}
REPAIR = {"minor": "credit.repair.minor", "ordinary": "credit.repair.ordinary", "serious": "credit.repair.serious"}


def publication_due(decided_on: dt.date) -> dt.date:
    """Last day to publish a licence or penalty: 7 working days after the decision.

    >>> publication_due(dt.date(2026, 2, 13))  # Spring Festival 2026; 2-14 and 2-28 are 调休 workdays
    datetime.date(2026, 3, 2)
    """
    return deadlines.due_date(decided_on, PUBLICATION)


def withdrawal_due(revoked_on: dt.date) -> dt.date:
    """Last day to withdraw a published decision after it was changed, revoked or annulled."""
    return deadlines.due_date(revoked_on, WITHDRAWAL)


def display_maximum(decided_on: dt.date, severity: str) -> dt.date:
    """The default (longest) 公示截止期 for a penalty of this severity: the last day shown."""
    return deadlines.due_date(decided_on, DISPLAY[severity])


def display_minimum(decided_on: dt.date, severity: str) -> dt.date:
    """The shortest display end: before it neither a shorter display period nor credit repair."""
    return deadlines.due_date(decided_on, REPAIR[severity])


def repair_earliest(penalty) -> dt.date:
    """First day a credit-repair request for this penalty may be accepted."""
    return display_minimum(penalty.decided_on, penalty.severity)

"""Public appeal lookups by tracking code + the phone number or e-mail given, with a per-code guess lock.

The same lock as the information requests' tracking (:class:`gongkai.core.throttle.GuessLock`): a
code guessed wrongly ``GONGKAI_GUESS_LIMIT`` times (default 5) is locked for
``GONGKAI_GUESS_LOCK_SECONDS`` (default one hour) for everyone, whatever the address; the lock is
audited once (core ``auth.guess_lock``).
"""

from __future__ import annotations

from gongkai.core import numbering
from gongkai.core.throttle import GuessLock, GuessLocked

from . import services
from .models import Appeal

SCOPE = "interaction.tracking"
LOCK = GuessLock(SCOPE)
TrackingLocked = GuessLocked


def lookup(code: str, contact: str, *, address: str) -> Appeal | None:
    """The appeal, ``None`` for a wrong pair, or :class:`TrackingLocked` while the code is locked."""
    subject = numbering.normalise_tracking_code(code) if numbering.tracking_code_is_wellformed(code) else ""
    return LOCK.guard(subject, lambda: services.appeal_find(code, contact), address=address)

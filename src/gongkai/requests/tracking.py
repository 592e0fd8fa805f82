"""Public status lookups by tracking code + the phone's last four digits, with a per-code guess lock.

Ten thousand possible phone tails are guessable from many addresses, so besides the per-address
limit a code that was guessed wrongly ``GONGKAI_GUESS_LIMIT`` times (default 5) is locked for
``GONGKAI_GUESS_LOCK_SECONDS`` (default one hour) for everyone, whatever the address. The lock
is audited once (core ``auth.guess_lock``); the applicant can still phone the unit.
"""

from __future__ import annotations

from gongkai.core import numbering
from gongkai.core.throttle import GuessLock, GuessLocked

from . import selectors
from .models import InformationRequest

SCOPE = "requests.tracking"
LOCK = GuessLock(SCOPE)
TrackingLocked = GuessLocked  # the name the views and the API catch


def lookup(code: str, phone_tail: str, *, address: str) -> InformationRequest | None:
    """The request, ``None`` for a wrong pair, or :class:`TrackingLocked` while the code is locked."""
    subject = numbering.normalise_tracking_code(code) if numbering.tracking_code_is_wellformed(code) else ""
    return LOCK.guard(subject, lambda: selectors.public_lookup(code, phone_tail), address=address)

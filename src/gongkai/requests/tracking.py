"""Public status lookups by tracking code + the phone's last four digits, with a per-code guess lock.

Ten thousand possible phone tails are guessable from many addresses, so besides the per-address
limit a code that was guessed wrongly ``GONGKAI_GUESS_LIMIT`` times (default 5) is locked for
``GONGKAI_GUESS_LOCK_SECONDS`` (default one hour) for everyone, whatever the address. The lock
is audited once (core ``auth.guess_lock``); the applicant can still phone the unit.
"""

from __future__ import annotations

from gongkai.core import authn, numbering
from gongkai.core.throttle import GuessLock

from . import selectors
from .models import InformationRequest

SCOPE = "requests.tracking"
LOCK = GuessLock(SCOPE)


class TrackingLocked(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def lookup(code: str, phone_tail: str, *, address: str) -> InformationRequest | None:
    """The request, ``None`` for a wrong pair, or :class:`TrackingLocked` while the code is locked."""
    subject = numbering.normalise_tracking_code(code) if numbering.tracking_code_is_wellformed(code) else ""
    if subject:
        wait = LOCK.retry_after(subject)
        if wait:
            raise TrackingLocked(wait)
    req = selectors.public_lookup(code, phone_tail)
    if subject:
        if req is not None:
            LOCK.succeeded(subject)
        elif LOCK.failed(subject):
            authn.guess_lock_recorded(scope=SCOPE, subject=subject, address=address)
    return req

"""Throttles shared by every face: forms (django-ratelimit), the API (DRF) and guess limits.

Every counter lives in the default cache (Redis in production, so one limit holds across app
servers) and is keyed by :func:`gongkai.core.client_address.client_address`:

* :func:`public_write_limited` — the public forms' limit (``GONGKAI_PUBLIC_FORM_RATE``) for a
  group such as ``"requests:apply"``; :class:`PublicWriteThrottle` is the same counter for the
  API, so filing through the API and through the form draws on one allowance.
* :class:`ClientAddressMixin` — DRF's own throttles, keyed by our client address instead of
  DRF's reading of ``X-Forwarded-For``.
* :class:`GuessLock` — a secret (a tracking code with the phone's last four digits) that was
  guessed wrongly too often is locked for everyone, whatever the address the guesses came from.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle

from .client_address import client_address

T = TypeVar("T")


def _usage(request, group: str, rate: str, *, increment: bool):
    # method="POST" exactly as the forms' @ratelimit(method="POST"): the method is part of the
    # counter's cache key, so the API and the form count into the same counter.
    return get_usage(request, group=group, key="ip", rate=rate, method="POST", increment=increment)


def public_write_limited(request, group: str, *, rate: str | None = None) -> int:
    """Count one public write for ``group``; 0 if allowed, else the seconds until the next one is."""
    usage = _usage(request, group, rate or settings.GONGKAI_PUBLIC_FORM_RATE, increment=True)
    if not usage or not usage["should_limit"]:
        return 0
    return max(int(usage["time_left"]), 1)


class PublicWriteThrottle(BaseThrottle):
    """DRF face of :func:`public_write_limited`: the view names the form's group (``throttle_group``)."""

    def allow_request(self, request, view):
        self._wait = public_write_limited(request._request, view.throttle_group)
        return not self._wait

    def wait(self):
        return self._wait


class ClientAddressMixin:
    """Put before a DRF throttle class: identify anonymous callers by our client address."""

    def get_ident(self, request):
        return client_address(request._request if hasattr(request, "_request") else request)


class GuessLocked(Exception):
    """The secret is locked after too many wrong guesses; ``retry_after`` seconds remain."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


class GuessLock:
    """Lock a secret after ``limit`` wrong guesses within ``seconds``, for every caller.

    ``scope`` names what is guessed ("requests.tracking"); ``subject`` is the identifier
    (the normalised tracking code), stored only as a hash in the cache key.
    """

    def __init__(self, scope: str, *, limit: int | None = None, seconds: int | None = None):
        self.scope = scope
        self.limit = limit or settings.GONGKAI_GUESS_LIMIT
        self.seconds = seconds or settings.GONGKAI_GUESS_LOCK_SECONDS

    def _key(self, kind: str, subject: str) -> str:
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        return f"gk:guess:{self.scope}:{kind}:{digest}"

    def retry_after(self, subject: str) -> int:
        """Seconds the subject stays locked (0 = not locked)."""
        until = cache.get(self._key("lock", subject))
        return max(int(until - time.time()), 1) if until else 0

    def failed(self, subject: str) -> bool:
        """Count a wrong guess; True when this one locked the subject."""
        key = self._key("count", subject)
        cache.add(key, 0, self.seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.seconds)
            count = 1
        if count >= self.limit and not cache.get(self._key("lock", subject)):
            cache.set(self._key("lock", subject), time.time() + self.seconds, self.seconds)
            cache.delete(key)
            return True
        return False

    def succeeded(self, subject: str) -> None:
        cache.delete(self._key("count", subject))

    def guard(self, subject: str, find: Callable[[], T | None], *, address: str) -> T | None:
        """Run the lookup ``find`` for ``subject`` (e.g. a normalised tracking code; "" = not well-formed,
        nothing to lock): :class:`GuessLocked` while the subject is locked, else ``find()``'s result,
        counting a ``None`` as a wrong guess. The lock is audited once (core ``auth.guess_lock``)."""
        if subject:
            wait = self.retry_after(subject)
            if wait:
                raise GuessLocked(wait)
        found = find()
        if subject:
            if found is not None:
                self.succeeded(subject)
            elif self.failed(subject):
                from . import authn

                authn.guess_lock_recorded(scope=self.scope, subject=subject, address=address)
        return found

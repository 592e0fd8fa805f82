"""The client's address, the one way every throttle, lockout and audit event learns it.

Behind reverse proxies the TCP peer (``REMOTE_ADDR``) is the last proxy, and the client's own
address is in ``X-Forwarded-For``. That header is written by whoever sends the request, so only
the entries appended by proxies we run can be believed. ``GONGKAI_TRUSTED_PROXIES`` says how
many there are (default 0: the header is ignored, the peer address is the client):

    client → proxy A → proxy B → app      X-Forwarded-For: "<anything the client sent>, client, A"
    GONGKAI_TRUSTED_PROXIES=2 → the 2nd entry from the right ("client"); what the client wrote
    to the left of it is never read, so a forged header cannot reset a limit.

A malformed entry falls back to the peer address (one limit for everyone behind that proxy
rather than a limit the caller can choose).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's IP address as a string (``"0.0.0.0"`` when nothing usable is known)."""
    meta = getattr(request, "META", {})
    peer = _valid(meta.get("REMOTE_ADDR") or "") or "0.0.0.0"  # noqa: S104 - an address, not a bind
    trusted = int(getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return peer
    forwarded = [part for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    if not forwarded:
        return peer
    # Fewer entries than proxies: the request skipped a proxy; the leftmost was still written by one.
    entry = forwarded[-min(trusted, len(forwarded))]
    return _valid(entry) or peer


def ratelimit_key(group: str, request) -> str:
    """``key=`` for django-ratelimit (``RATELIMIT_IP_META_KEY`` points at :func:`client_address` too)."""
    return client_address(request)

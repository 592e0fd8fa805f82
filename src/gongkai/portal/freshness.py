"""Cache keys that change when the content behind them changes.

Each app offers a *change marker* in its selectors: a queryset that yields one value, the
newest ``updated_at`` of the rows a public list shows (``SELECT updated_at … ORDER BY
updated_at DESC LIMIT 1``). :func:`marker` runs all of them as scalar subqueries of **one**
``SELECT`` and hashes the result with the date and the language. Publishing, editing or
withdrawing anything shown changes a timestamp and therefore the key, in every process and on
every app server; no app has to tell the portal about its changes, and nothing needs to be
deleted from the cache (old entries expire).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import connections
from django.db.models import QuerySet


def newest(querysets: Iterable[QuerySet]) -> tuple:
    """The single values of several one-value querysets, in one database round trip.

    Runs on the database the router gives the first queryset's reads (the replica for an
    anonymous page view when one is configured, like the lists themselves)."""
    querysets = list(querysets)
    if not querysets:
        return ()
    alias = querysets[0].db
    parts, params = [], []
    for qs in querysets:
        sql, qs_params = qs.query.get_compiler(using=alias).as_sql()
        parts.append(f"({sql})")
        params.extend(qs_params)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)  # noqa: S608 - compiled querysets, parameters bound
        return tuple(cursor.fetchone())


def digest(*values) -> str:
    return hashlib.sha1(repr(values).encode(), usedforsecurity=False).hexdigest()[:16]


def marker(querysets: Iterable[QuerySet], *extra) -> str:
    """A short key for "the content of these lists as of now" (``extra``: date, language …)."""
    return digest(newest(querysets), *extra)

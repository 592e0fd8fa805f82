"""Process-local snapshots of small reference tables, revalidated against a version in the database.

The holiday calendar and the legal periods are read on almost every page but change a few
times a year. Each process keeps an immutable snapshot and checks a version counter (one
indexed single-row query on :class:`~gongkai.core.models.NumberSequence`) at most every
``check_seconds``. The database, not the Django cache, is the source of truth, so a change
made by ``gongkai import_holidays`` in another process, or on another app server, reaches
every process within ``check_seconds``; the process that made the change sees it at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class VersionedSnapshot(Generic[T]):
    def __init__(self, scope: str, loader: Callable[[], T], *, check_seconds: float = 2.0):
        self.scope = scope
        self.loader = loader
        self.check_seconds = check_seconds
        self._cached: tuple[int, T] | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def _db_version(self) -> int:
        from .models import NumberSequence

        return NumberSequence.objects.filter(scope=self.scope).values_list("last_value", flat=True).first() or 0

    def get(self) -> T:
        now = time.monotonic()
        cached = self._cached
        if cached is not None and now - self._checked_at < self.check_seconds:
            return cached[1]
        version = self._db_version()
        with self._lock:
            if self._cached is None or self._cached[0] != version:
                self._cached = (version, self.loader())
            self._checked_at = now
            return self._cached[1]

    def bump(self) -> None:
        """Record a change; call inside the transaction that changes the underlying table."""
        from .numbering import next_value

        next_value(self.scope)
        self.forget()

    def forget(self) -> None:
        """Drop this process's snapshot (the next :meth:`get` reloads)."""
        with self._lock:
            self._cached = None
            self._checked_at = 0.0

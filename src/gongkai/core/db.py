"""Read replica routing for the public portal (optional: ``DATABASE_REPLICA_URL``).

Anonymous visitors' GET requests on public pages read from the replica; everything else
(staff pages, the API's staff endpoints, every write) uses the primary. A visitor who has
just submitted something (any POST) reads from the primary for a few seconds afterwards
(a short-lived cookie), so a tracking page right after submitting never misses the new
request because of replication lag.
"""

from __future__ import annotations

import contextvars

from django.conf import settings

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("gongkai_use_replica", default=False)

REPLICA = "replica"
STICKY_COOKIE = "gk_primary"
STICKY_SECONDS = 15
STAFF_PREFIXES = ("/workbench/", "/staff/", "/admin/", "/api/v1/staff/", "/api/schema/")


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _use_replica.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadsMiddleware:
    """Route an anonymous public GET's reads to the replica (only when one is configured)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        public_read = (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(STAFF_PREFIXES)
            and STICKY_COOKIE not in request.COOKIES
            and not getattr(getattr(request, "user", None), "is_authenticated", False)
        )
        token = _use_replica.set(public_read)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(STICKY_COOKIE, "1", max_age=STICKY_SECONDS, httponly=True, samesite="Lax")
        return response

"""Logging for the public error pages.

A refused request (403 ``PermissionDenied``, 400 ``SuspiciousOperation``/``BadRequest``) is an
expected outcome, not a fault: Django logs it on ``django.request`` with the exception attached,
so each one printed a full traceback. :class:`ClientErrorFilter` keeps the one-line warning
(method, path, status, request id) and drops the traceback for 4xx responses; server errors (5xx)
keep theirs. Installed on the ``django.request`` logger by ``settings.LOGGING``.
"""

from __future__ import annotations

import logging


class ClientErrorFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

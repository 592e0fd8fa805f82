"""Request id propagation (logs, audit events) and 繁體 rendering of public pages."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.utils import translation

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("gongkai_request_id", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Take X-Request-ID from the proxy when well-formed, else make one; echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True


# Form values are never converted: an edit form opened in 繁體 must send back
# exactly the stored (简体) text, or saving it would silently rewrite the data.
# Text explicitly marked as Simplified Chinese (lang="zh-Hans", e.g. the 简体中文
# language button) stays as it is, too.
_PROTECTED = re.compile(
    r"""(<textarea\b[^>]*>.*?</textarea\s*>"""
    r"""|<(?:button|span|a|option|p|li)\b[^>]*\blang\s*=\s*["']zh-Hans["'][^>]*>[^<]*"""
    r"""|\bvalue\s*=\s*(?:"[^"]*"|'[^']*'))""",
    re.IGNORECASE | re.DOTALL,
)


def to_traditional_html(html: str) -> str:
    """Convert an HTML page to 繁體, leaving form field values and textarea contents untouched."""
    from gongkai.core.chinese import to_traditional

    parts = _PROTECTED.split(html)
    # split() with one capturing group alternates: text, protected, text, protected, ...
    return "".join(part if i % 2 else to_traditional(part) for i, part in enumerate(parts))


class TraditionalChineseMiddleware:
    """When the active language is 繁體, convert database text on rendered pages.

    UI strings come from the zh_Hant catalogue; content typed by staff (titles,
    bodies, names) is stored in 简体 and converted here with OpenCC. Only GET
    HTML responses are converted, and never the values of form fields
    (``value="..."``, ``<textarea>``), so what a form submits is what is stored
    or what the user typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and translation.get_language() == "zh-hant"
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
            and response.status_code == 200
        ):
            charset = response.charset or "utf-8"
            response.content = to_traditional_html(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

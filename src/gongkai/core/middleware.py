"""Request id propagation (logs, audit events) and 繁體 rendering of public pages."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from html.parser import HTMLParser

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


_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _TraditionalConverter(HTMLParser):
    """Re-emits an HTML page with its text converted to 繁體, token by token.

    Never converted: form field values (a tag with a ``value`` attribute is kept as written:
    an edit form opened in 繁體 must send back exactly the stored 简体 text), textarea contents,
    scripts and styles (except JSON data blocks, e.g. chart data), and anything inside an
    element marked ``lang="zh-Hans"`` (e.g. the 简体中文 language button).
    """

    def __init__(self, convert):
        super().__init__(convert_charrefs=False)
        self.convert = convert
        self.out: list[str] = []
        self.protected: list[str] = []  # open elements whose content stays as written

    def _keep(self, tag: str, attrs) -> bool:
        names = dict(attrs)
        if tag in ("textarea", "style") or (names.get("lang") or "").lower() == "zh-hans":
            return True
        return tag == "script" and (names.get("type") or "").lower() not in ("application/json", "application/ld+json")

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        as_written = bool(self.protected) or any(name == "value" for name, _ in attrs)
        self.out.append(raw if as_written else self.convert(raw))
        if tag not in _VOID and (self.protected or self._keep(tag, attrs)):
            self.protected.append(tag)

    def handle_startendtag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        as_written = bool(self.protected) or any(name == "value" for name, _ in attrs)
        self.out.append(raw if as_written else self.convert(raw))

    def handle_endtag(self, tag):
        if self.protected and self.protected[-1] == tag:
            self.protected.pop()
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data if self.protected else self.convert(data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def to_traditional_html(html: str) -> str:
    """Convert an HTML page to 繁體, leaving form field values and textarea contents untouched."""
    from gongkai.core.chinese import to_traditional

    parser = _TraditionalConverter(to_traditional)
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


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


class ServiceUnavailableMiddleware:
    """A database or Redis that is down or restarting gives a clear 503 with Retry-After, never a 500.

    Nothing is half-written: the request's transaction rolls back with the failed connection,
    and a citizen's form is shown again with its data (the browser keeps it on "back").
    """

    RETRY_AFTER = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_outage(exception):
            return None
        logging.getLogger("gongkai.outage").error("service unavailable: %s: %s", type(exception).__name__, exception)
        from django.http import JsonResponse
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        message = _("系统正在维护或暂时繁忙，您提交的内容未被保存，请稍后重试。")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message, "code": "unavailable"}, status=503)
        else:
            try:
                response = render(
                    request,
                    "portal/error.html",
                    {"status": 503, "title": _("服务暂时不可用"), "message": message},
                    status=503,
                )
            except Exception:  # the error page itself needs something that is down
                from django.http import HttpResponse

                response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(self.RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response


def _is_outage(exception: BaseException) -> bool:
    from django.db import InterfaceError, OperationalError

    if isinstance(exception, InterfaceError | OperationalError):
        return True
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    return isinstance(exception, RedisConnectionError | RedisTimeoutError)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache`` for HTTP/1.0 proxies) on responses
    that may hold personal data: paths under ``GONGKAI_NO_STORE_PREFIXES`` (workbench, staff
    login, staff API, admin, applicants' tracking pages) and everything served to a signed-in
    user (so every staff export and download). Public pages and public downloads for anonymous
    visitors keep their caching headers."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "GONGKAI_NO_STORE_PREFIXES", ()))
        self.session_cookie = settings.SESSION_COOKIE_NAME

    def _signed_in(self, request) -> bool:
        # Only look at the user when a session cookie came: touching the session of an
        # anonymous visitor would add "Vary: Cookie" to every public page.
        if "HTTP_AUTHORIZATION" in request.META:  # API token: DRF authenticates in the view, not here
            return True
        if self.session_cookie not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes) or self._signed_in(request):
            from django.utils.cache import patch_cache_control

            if "max-age" in response.get("Cache-Control", "") or "public" in response.get("Cache-Control", ""):
                del response["Cache-Control"]
            patch_cache_control(response, no_store=True, private=True)
            response["Pragma"] = "no-cache"
            if response.has_header("Expires"):
                del response["Expires"]
        return response

"""Staff sessions (等保 2.0 身份鉴别): idle timeout, a pending password change or second-factor
enrolment before anything else, and an audit event for every change made by the superuser."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import authn
from .auth_views import LAST_SEEN, PENDING_STEP
from .client_address import client_address

_STEP_URLS = {"password": "core:password-change", "otp_enrol": "core:security"}
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
_TOUCH_SECONDS = 60  # write the last-seen time at most once a minute


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        idle = settings.GONGKAI_SESSION_IDLE_MINUTES * 60
        last = request.session.get(LAST_SEEN)
        if idle and last and now - last > idle:
            authn.logout_recorded(user=user, address=client_address(request), reason="idle")
            logout(request)
            messages.info(
                request, _("您已超过%(n)s分钟未操作，请重新登录") % {"n": settings.GONGKAI_SESSION_IDLE_MINUTES}
            )
            return self.get_response(request)  # continues as an anonymous visitor (staff pages ask to log in)
        if not last or now - last > _TOUCH_SECONDS:
            request.session[LAST_SEEN] = now
        step = request.session.get(PENDING_STEP)
        if step in _STEP_URLS:
            allowed = {reverse(_STEP_URLS[step]), reverse("core:logout")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect(_STEP_URLS[step])
        response = self.get_response(request)
        if user.is_superuser and request.method not in _SAFE_METHODS:
            authn.superuser_use_recorded(
                user=user,
                method=request.method,
                path=request.path,
                status=response.status_code,
                address=client_address(request),
            )
        return response

"""Public portal shell: home page, large-text mode, accessibility statement."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from gongkai.core import selectors


def home(request):
    counties = selectors.governments("county")
    return render(request, "portal/home.html", {"counties": counties})


def text_size(request):
    """Switch large-text mode (适老化) with a plain link: works without JavaScript."""
    size = request.GET.get("size", "normal")
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if size == "large":
        response.set_cookie("gk_text", "large", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie("gk_text")
    return response


def accessibility(request):
    return render(request, "portal/accessibility.html")

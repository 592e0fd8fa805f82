"""Public portal shell: home page, unit directory, large-text mode, accessibility statement."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from . import directory
from . import home as home_page


@require_GET
def home(request):
    tab = home_page.tab_for(request.GET.get("tab"))
    blocks = home_page.sections(tab)
    return render(
        request,
        "portal/home.html",
        {
            "blocks": blocks,
            "tab": tab,
            "search_url": home_page.first_url("search:search"),
            "suggest_url": home_page.first_url("search:suggest"),
            "nothing_yet": not (blocks["latest"] or blocks["interaction"] or blocks["figures"]),
        },
    )


@require_GET
def units(request):
    """公开主体: every unit of the site's governments, grouped, with its catalogue and contact."""
    return render(request, "portal/units.html", {"groups": directory.unit_directory()})


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

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from . import permissions


def _nav(attr: str, user) -> list[dict]:
    entries = []
    for config in apps.get_app_configs():
        for label, url_name, order, role in getattr(config, attr, []):
            if role and not (permissions.is_sysadmin(user) or permissions.units_with_role(user, role).exists()):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": label, "url": url, "order": order, "name": url_name})
    return sorted(entries, key=lambda e: e["order"])


def gongkai(request):
    user = getattr(request, "user", None)
    large = request.COOKIES.get("gk_text") == "large"
    context = {
        "site_name": settings.GONGKAI_SITE_NAME,
        "large_text": large,
        "portal_nav": _nav("portal_nav", user),
        "is_demo": settings.DEMO,
    }
    if request.path.startswith("/workbench/") or request.path.startswith("/staff/"):
        context["workbench_nav"] = _nav("workbench_nav", user) if user and user.is_authenticated else []
        context["user_roles"] = permissions.roles_of(user) if user else set()
    return context

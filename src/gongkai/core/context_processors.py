from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from . import permissions

#: The default site name, marked for translation so that the English and 繁體 pages name the site in
#: their language; a name configured with GONGKAI_SITE_NAME is shown as configured.
DEFAULT_SITE_NAME = "政务公开平台"


def site_name() -> str:
    configured = settings.GONGKAI_SITE_NAME
    return _("政务公开平台") if configured == DEFAULT_SITE_NAME else configured


def _nav(attr: str, user) -> list[dict]:
    entries = []
    for config in apps.get_app_configs():
        for label, url_name, order, role in getattr(config, attr, []):
            if callable(role):  # a predicate, e.g. permissions.is_security_admin (三员分立 pages)
                if not role(user):
                    continue
            elif role and not permissions.units_with_role(user, role).exists():
                continue
            elif not role and attr == "workbench_nav" and not permissions.is_business_staff(user):
                # Business pages are for business staff: the three administrators (三员分立) see only
                # the entries whose predicate names them (configuration, accounts, audit).
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": label, "url": url, "order": order, "name": url_name})
    return sorted(entries, key=lambda e: e["order"])


def site_identifiers() -> dict:
    """The identifiers the footer and the <meta> tags show; empty values are left out of the page."""
    from urllib.parse import urlsplit

    return {
        "organiser": settings.GONGKAI_SITE_ORGANISER,
        "id_code": settings.GONGKAI_SITE_ID_CODE,
        "icp": settings.GONGKAI_SITE_ICP,
        "police_record": settings.GONGKAI_SITE_POLICE_RECORD,
        "domain": urlsplit(settings.GONGKAI_SITE_URL).hostname or "",
    }


def gongkai(request):
    user = getattr(request, "user", None)
    large = request.COOKIES.get("gk_text") == "large"
    name = site_name()
    context = {
        # Views may shadow ``site_name`` (Django's LoginView sets it to the request's host name,
        # which showed "127.0.0.1:8300" in the header): the layout uses ``gongkai_site_name``.
        "site_name": name,
        "gongkai_site_name": name,
        "large_text": large,
        "portal_nav": _nav("portal_nav", user),
        "is_demo": settings.DEMO,
        "site_ids": site_identifiers(),
    }
    if request.path.startswith("/workbench/") or request.path.startswith("/staff/"):
        context["workbench_nav"] = _nav("workbench_nav", user) if user and user.is_authenticated else []
        context["user_roles"] = permissions.roles_of(user) if user else set()
    return context

"""Template tags of the public portal: the one breadcrumb trail every public page uses.

Usage in a page that extends ``portal/base.html``::

    {% load portal_tags %}
    {% block breadcrumbs %}{% url 'catalogue:home' as catalogue_url %}
    {% breadcrumbs _("标准目录") catalogue_url domain.name %}{% endblock %}

Arguments are (label, url) pairs for the levels above the page, then the page's own label.
首页 is always the first item; the page's own item is marked ``aria-current="page"``.
Pages that define no trail get one derived from the main navigation (``portal/base.html``).
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()

CURRENT_MAX_CHARS = 40


def _render(context, crumbs: list[dict]) -> str:
    home = {"label": _("首页"), "url": reverse("portal:home")}
    return render_to_string("portal/_breadcrumbs.html", {"crumbs": [home, *crumbs]}, request=context.get("request"))


@register.simple_tag(takes_context=True)
def breadcrumbs(context, *parts):
    """首页 › label1 (url1) › label2 (url2) › … › current label."""
    parts = list(parts)
    current = parts.pop() if len(parts) % 2 else None
    crumbs = [{"label": str(label), "url": url or ""} for label, url in zip(parts[::2], parts[1::2], strict=True)]
    if current is not None and str(current):
        crumbs.append({"label": Truncator(str(current)).chars(CURRENT_MAX_CHARS), "url": ""})
    return _render(context, crumbs)


@register.simple_tag(takes_context=True)
def nav_breadcrumbs(context):
    """The fallback trail for pages that define none: 首页 › the main-navigation section of the page."""
    request = context.get("request")
    path = getattr(request, "path", "/")
    if path == reverse("portal:home"):
        return ""
    sections = [e for e in context.get("portal_nav", []) if e["url"] != "/" and path.startswith(e["url"])]
    if not sections:
        return _render(context, [])
    section = max(sections, key=lambda e: len(e["url"]))
    url = "" if section["url"] == path else section["url"]
    return _render(context, [{"label": str(section["label"]), "url": url}])

from django import template
from django.utils.safestring import mark_safe

from gongkai.core.html import sanitize_html

register = template.Library()


@register.filter
def clean_html(value: str) -> str:
    """Render stored rich text: sanitised again at output (defence in depth)."""
    return mark_safe(sanitize_html(value or ""))  # noqa: S308 - nh3 output


@register.filter
def filesize(n) -> str:
    n = int(n or 0)
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


STATUS_BADGE = {"valid": "ok", "amended": "warn", "not_yet": "warn", "invalid": "danger"}


@register.filter
def status_badge(value: str) -> str:
    return STATUS_BADGE.get(value or "", "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def status_label(value: str) -> str:
    from ..models import LegalStatus

    return LegalStatus(value).label if value in LegalStatus.values else ""


@register.inclusion_tag("publications/_published_under.html")
def published_under(unit_item, limit: int = 50):
    """The content published under a catalogue item (used by the catalogue's item page, so the
    catalogue app never imports publications)."""
    from .. import selectors

    return {"publications": list(selectors.published_for_unit_item(unit_item)[:limit])}

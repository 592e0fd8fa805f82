"""Template filters of the interaction app."""

from django import template
from django.utils.safestring import mark_safe

from gongkai.core.html import sanitize_html

register = template.Library()


@register.filter
def rich_text(value):
    """Stored rich text (consultation drafts, reports), sanitised again on output (core.html)."""
    return mark_safe(sanitize_html(value or ""))  # noqa: S308 - nh3 output

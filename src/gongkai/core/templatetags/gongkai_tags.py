"""Template helpers: ``{% load gongkai_tags %}``, then ``{{ phone|mask_phone }}``."""

from django import template

from gongkai.core.privacy import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value):
    return _mask_phone(value)


@register.filter
def audit_action(value):
    """Readable name of an audit action code (falls back to the code)."""
    from gongkai.core.audit import action_label

    return action_label(value)


@register.filter
def message(value):
    """A stored system message (``gongkai.core.messages``) in the visitor's language; plain text as it is."""
    from gongkai.core.messages import render

    return render(value)

"""Template helpers: ``{% load gongkai_tags %}``, then ``{{ phone|mask_phone }}``."""

from django import template

from gongkai.core.privacy import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_phone(value):
    return _mask_phone(value)

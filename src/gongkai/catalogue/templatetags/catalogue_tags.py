from django import template

from gongkai.catalogue import elements as el
from gongkai.catalogue.timeframes import TimeframeRule

register = template.Library()


@register.filter
def element(item, key):
    """The display value of one element of an item (CatalogueItem or UnitItem)."""
    return el.display_value((getattr(item, "elements", None) or {}).get(key))


@register.filter
def element_list(value):
    return value if isinstance(value, list) else ([value] if value else [])


@register.filter
def timeframe_describe(rule):
    r = TimeframeRule.from_json(rule) if isinstance(rule, dict) else rule
    return r.describe() if r else ""


@register.filter
def timeframe_ok(rule):
    return bool(rule) and rule.get("kind") != "unparsed"


@register.filter
def timeframe_flagged(rule):
    """The period was not written in the catalogue (art. 26 applies)."""
    r = TimeframeRule.from_json(rule) if isinstance(rule, dict) else rule
    return bool(r) and r.flagged and r.kind != "unparsed"

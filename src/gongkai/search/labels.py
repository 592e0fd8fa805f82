"""Display labels for facet values. Source apps may add their own with :func:`register_labels`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FACET_TITLES = {
    "kind": _("来源"),
    "type": _("文件类型"),
    "unit": _("发布单位"),
    "domain": _("领域"),
    "year": _("年份"),
    "status": _("效力状态"),
}

_labels: dict[str, dict[str, str]] = {
    # Kinds are named by their registration (registry.register_source(label=...)); this is only
    # the fallback for sources registered without a label.
    "kind": {"publication": _("公开信息")},
    "type": {
        "policy": _("政策文件"),
        "regulation": _("规章"),
        "normative": _("规范性文件"),
        "interpretation": _("政策解读"),
        "notice": _("通知公告"),
        "budget": _("财政预决算"),
        "draft_decision": _("重大行政决策草案"),
        "general": _("其他公开信息"),
    },
}


def register_labels(facet: str, labels: dict[str, str]) -> None:
    """Add display labels for a facet's values, e.g. ``register_labels("type", {"policy": "政策文件"})``."""
    _labels.setdefault(facet, {}).update(labels)


def label(facet: str, value: str) -> str:
    if facet == "year" and value:
        return _("%(year)s年") % {"year": value}
    if facet == "kind":
        from .registry import kind_label

        registered = kind_label(value)
        if registered:
            return registered
    return str(_labels.get(facet, {}).get(value, value))

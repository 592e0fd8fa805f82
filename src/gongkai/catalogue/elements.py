"""Validation and normalisation of item elements against an element template.

:func:`check` sorts what it finds into three kinds:

* ``errors`` — the item cannot be saved at all (it has no name, or the name is too long);
* ``problems`` — the item is *incomplete*: a required element is blank (no tick under
  公开对象/公开方式/公开层级, no 公开依据 …), a value is outside the allowed options, a text
  is too long, or the timeframe could not be understood. Incomplete items of a standard
  catalogue are saved and listed; the catalogue is published only when they are completed
  or the disclosure office accepts them (``CatalogueVersion.accept_incomplete``);
* ``warnings`` — informational (columns the template does not have; a timeframe that names
  no period and therefore follows 政府信息公开条例 art. 26).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.core import chinese

from . import timeframes
from .models import ElementDefinition, ElementTemplate, ElementType

_SPLIT = re.compile(r"[、，,/／;；\s|]+")
TICKS = {"√", "✓", "✔", "■", "●", "☑", "是", "Y", "y", "1", "√√", "x", "X", "✗"}
EMPTY_TICKS = {"", "□", "○", "☐", "否", "N", "n", "0", "无", "/", "／", "—", "-", "－", "——"}
#: How real catalogues head or fill the tick columns, mapped to the national template's options.
SYNONYMS = {
    "特定群众": "特定群体",
    "特定对象": "特定群体",
    "社会": "全社会",
    "全社": "全社会",
    "主动公开": "主动",
    "依申请公开": "依申请",
    "申请": "依申请",
    "区级": "县级",
    "县区级": "县级",
    "县(市、区)级": "县级",
    "县(市区)级": "县级",
    "镇级": "乡级",
    "乡镇级": "乡级",
    "乡镇(街道)级": "乡级",
    "乡、村级": "乡级",
    "乡村级": "乡级",
    "乡(镇)级": "乡级",
    "村级": "乡级",
    "街道": "乡级",
}
NAME_LIMIT = 200


@dataclass
class ElementCheck:
    elements: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    timeframe_rule: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.errors and not self.problems


def split_values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in _SPLIT.split(str(value).strip()) if v]


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", chinese.normalise(value or ""))


def match_allowed(value: str, allowed: list[str]) -> str | None:
    """The allowed option a cell or header means (全社会/特定群众/乡、村级 …), or None."""
    if value in allowed:
        return value
    norm = _squash(value)
    norm = _squash(SYNONYMS.get(norm, norm))
    for option in allowed:
        o = _squash(option)
        if norm == o or norm.rstrip("公开") == o.rstrip("公开") or (len(norm) >= 2 and (norm in o or o in norm)):
            return option
    return None


_match_allowed = match_allowed  # the importer's historical name


def _required_missing(d: ElementDefinition) -> str:
    return _("缺少必填要素“%(name)s”") % {"name": d.name}


def _check_timeframe(d: ElementDefinition, text: str, result: ElementCheck) -> None:
    text = (text or "").strip()
    if not text:
        if d.required:
            result.problems.append(_required_missing(d))
        return
    parsed = timeframes.parse_result(text)
    result.timeframe_rule = parsed.rule.to_json()
    if not parsed.ok:
        result.problems.append(_("公开时限无法识别：%(message)s") % {"message": parsed.message})
    elif parsed.rule.legal_default:
        result.warnings.append(_("公开时限“%(text)s”：%(rule)s") % {"text": text, "rule": parsed.rule.describe()})


def _not_allowed(d: ElementDefinition, value: str) -> str:
    return _("“%(name)s”的取值“%(value)s”不在可选范围（%(options)s）内") % {
        "name": d.name,
        "value": value,
        "options": "、".join(d.allowed_values),
    }


def _check_multichoice(d: ElementDefinition, raw, result: ElementCheck) -> None:
    chosen: list[str] = []
    for v in split_values(raw):
        match = match_allowed(v, d.allowed_values) if d.allowed_values else v
        if match is None:
            result.problems.append(_not_allowed(d, v))
        elif match not in chosen:
            chosen.append(match)
    if d.allowed_values:
        chosen.sort(key=d.allowed_values.index)
    if chosen:
        result.elements[d.key] = chosen
    elif d.required:
        result.problems.append(_("缺少必填要素“%(name)s”（未勾选任何一项）") % {"name": d.name})


def _check_text(d: ElementDefinition, raw, result: ElementCheck) -> None:
    text = "" if raw is None else (" ".join(raw) if isinstance(raw, list) else str(raw)).strip()
    if not text:
        if d.required:
            result.problems.append(_required_missing(d))
        return
    if d.type == ElementType.CHOICE and d.allowed_values:
        match = match_allowed(text, d.allowed_values)
        if match is None:
            result.problems.append(_not_allowed(d, text))
            return
        text = match
    limit = 4000 if d.type == ElementType.LONGTEXT else 500
    if len(text) > limit:
        result.problems.append(
            _("“%(name)s”过长（%(n)s字，上限%(limit)s字）") % {"name": d.name, "n": len(text), "limit": limit}
        )
    result.elements[d.key] = text


def check(
    template: ElementTemplate,
    *,
    level1: str,
    name: str,
    elements: dict,
    timeframe_text: str,
    definitions: list[ElementDefinition] | None = None,
) -> ElementCheck:
    """Validate and normalise; returns the elements to store plus readable messages."""
    result = ElementCheck()
    defs = definitions if definitions is not None else template.ordered_elements()
    for d in defs:
        if d.type == ElementType.NAME:
            if not (level1 or "").strip():
                result.errors.append(_("缺少事项名称（“%(name)s”）") % {"name": d.name})
        elif d.type == ElementType.TIMEFRAME:
            _check_timeframe(d, timeframe_text, result)
        elif d.type == ElementType.MULTICHOICE:
            _check_multichoice(d, elements.get(d.key), result)
        else:
            _check_text(d, elements.get(d.key), result)
    extra = set(elements) - {d.key for d in defs}
    if extra:
        result.warnings.append(_("模板中没有这些要素，已忽略：%(keys)s") % {"keys": "、".join(sorted(extra))})
    if len(level1 or "") > NAME_LIMIT or len(name or "") > NAME_LIMIT:
        result.errors.append(_("事项名称过长（上限%(n)s字）") % {"n": NAME_LIMIT})
    return result


def display_value(value) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def search_text(level1: str, name: str, elements: dict, timeframe_text: str, extra: str = "") -> str:
    parts = [level1, name, timeframe_text, extra] + [display_value(v) for v in (elements or {}).values()]
    return chinese.normalise(" ".join(p for p in parts if p))[:8000]

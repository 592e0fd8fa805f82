"""Validation and normalisation of item elements against an element template."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.core import chinese

from . import timeframes
from .models import ElementDefinition, ElementTemplate, ElementType

_SPLIT = re.compile(r"[、，,/／;；\s|]+")
TICKS = {"√", "✓", "✔", "■", "●", "☑", "是", "Y", "y", "1", "√√", "x", "X", "✗"}
EMPTY_TICKS = {"", "□", "○", "☐", "否", "N", "n", "0"}


@dataclass
class ElementCheck:
    elements: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    timeframe_rule: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def split_values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in _SPLIT.split(str(value).strip()) if v]


def _match_allowed(value: str, allowed: list[str]) -> str | None:
    if value in allowed:
        return value
    norm = chinese.normalise(value)
    for option in allowed:
        o = chinese.normalise(option)
        if norm == o or norm.rstrip("公开") == o.rstrip("公开") or (len(norm) >= 2 and (norm in o or o in norm)):
            return option
    return None


def check(
    template: ElementTemplate,
    *,
    level1: str,
    name: str,
    elements: dict,
    timeframe_text: str,
    definitions: list[ElementDefinition] | None = None,
) -> ElementCheck:
    """Validate and normalise; returns the elements to store plus readable Chinese errors."""
    result = ElementCheck()
    defs = definitions if definitions is not None else template.ordered_elements()
    known = {d.key for d in defs}
    for d in defs:
        if d.type == ElementType.NAME:
            if d.required and not (level1 or "").strip():
                result.errors.append(f"缺少必填要素“{d.name}”")
            continue
        if d.type == ElementType.TIMEFRAME:
            text = (timeframe_text or "").strip()
            if not text:
                if d.required:
                    result.errors.append(f"缺少必填要素“{d.name}”")
                continue
            parsed = timeframes.parse_result(text)
            result.timeframe_rule = parsed.rule.to_json()
            if not parsed.ok:
                result.errors.append(f"公开时限无法识别：{parsed.message}")
            continue
        raw = elements.get(d.key)
        if d.type == ElementType.MULTICHOICE:
            values = split_values(raw)
            chosen = []
            for v in values:
                match = _match_allowed(v, d.allowed_values) if d.allowed_values else v
                if match is None:
                    result.errors.append(f"“{d.name}”的取值“{v}”不在可选范围（{'、'.join(d.allowed_values)}）内")
                elif match not in chosen:
                    chosen.append(match)
            if d.allowed_values:
                chosen.sort(key=d.allowed_values.index)
            if chosen:
                result.elements[d.key] = chosen
            elif d.required:
                result.errors.append(f"缺少必填要素“{d.name}”")
            continue
        text = "" if raw is None else (" ".join(raw) if isinstance(raw, list) else str(raw)).strip()
        if not text:
            if d.required:
                result.errors.append(f"缺少必填要素“{d.name}”")
            continue
        if d.type == ElementType.CHOICE and d.allowed_values:
            match = _match_allowed(text, d.allowed_values)
            if match is None:
                result.errors.append(f"“{d.name}”的取值“{text}”不在可选范围（{'、'.join(d.allowed_values)}）内")
                continue
            text = match
        limit = 4000 if d.type == ElementType.LONGTEXT else 500
        if len(text) > limit:
            result.errors.append(f"“{d.name}”过长（{len(text)}字，上限{limit}字）")
            continue
        result.elements[d.key] = text
    extra = set(elements) - known
    if extra:
        result.warnings.append("模板中没有这些要素，已忽略：" + "、".join(sorted(extra)))
    if len(level1 or "") > 200 or len(name or "") > 200:
        result.errors.append("事项名称过长（上限200字）")
    return result


def display_value(value) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def search_text(level1: str, name: str, elements: dict, timeframe_text: str, extra: str = "") -> str:
    parts = [level1, name, timeframe_text, extra] + [display_value(v) for v in (elements or {}).values()]
    return chinese.normalise(" ".join(p for p in parts if p))[:8000]

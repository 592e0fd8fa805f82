"""Reading a catalogue sheet's header: which column is which element, tick columns, the domain.

Headers as offices write them: one or two rows (merged or repeated top cells), 公开事项 over
一级/二级/三级事项, tick columns under 公开对象/公开方式/公开层级 with the local words for the
options (特定群众, 乡、村级 …: ``elements.SYNONYMS``), aliases of the template's element names,
columns the import ignores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.core import chinese

from . import elements as el
from .models import Domain, ElementDefinition, ElementTemplate, ElementType

SAME_AS_ABOVE = {"同上", "同上。", "〃", "同前"}
IGNORED_HEADERS = {"序号", "编号", "备注", "说明", "事项来源", "责任单位", "公开栏目", "细化说明", "状态", "责任科室"}
LEVEL1_HEADERS = {"一级事项", "一级", "事项类别", "主项", "一级目录"}
LEVEL2_HEADERS = {"二级事项", "二级", "子项", "二级目录", "具体事项"}
LEVEL3_HEADERS = {"三级事项", "三级", "三级目录"}
NAME_TOP_HEADERS = {"公开事项", "事项名称", "事项", "信息名称"}
DOMAIN_HEADERS = {"领域", "公开领域", "所属领域", "试点领域"}
MANDATORY_HEADERS = {"必选事项", "是否必选", "必选"}
NOT_MANDATORY = {"否", "可选", "非必选", "N", "n", "0", "□"}


def _norm(h: str) -> str:
    h = chinese.normalise(h or "")
    return re.sub(r"[\s“”\"'（）()【】\[\]：:*＊]", "", h)


def _normset(words) -> set[str]:
    return {_norm(w) for w in words}


_LEVEL1, _LEVEL2, _LEVEL3 = _normset(LEVEL1_HEADERS), _normset(LEVEL2_HEADERS), _normset(LEVEL3_HEADERS)
_NAME_TOP, _DOMAIN, _MANDATORY = _normset(NAME_TOP_HEADERS), _normset(DOMAIN_HEADERS), _normset(MANDATORY_HEADERS)
_IGNORED = _normset(IGNORED_HEADERS)
_SUB_HEADER_WORDS = (
    _LEVEL1
    | _LEVEL2
    | _LEVEL3
    | _normset(["全社会", "特定群体", "主动", "依申请", "县级", "乡级", "主动公开", "依申请公开"])
)


@dataclass
class ColumnMap:
    level1: int | None = None
    name: int | None = None
    level3: int | None = None
    timeframe: int | None = None
    domain: int | None = None
    mandatory: int | None = None
    element: dict[str, int] = field(default_factory=dict)  # element key -> column
    ticks: dict[str, dict[str, int]] = field(default_factory=dict)  # element key -> {value: column}
    ignored: list[str] = field(default_factory=list)
    header_rows: int = 1


def element_lookup(template: ElementTemplate) -> dict[str, ElementDefinition]:
    lookup = {}
    for d in template.ordered_elements():
        for label in [d.name, *d.aliases]:
            lookup[_norm(label)] = d
    return lookup


def find_header(rows: list[list[str]], lookup: dict) -> int | None:
    known = set(lookup) | _NAME_TOP | _LEVEL1 | _DOMAIN
    best, best_score = None, 0
    for i, row in enumerate(rows[:15]):
        score = sum(1 for c in row if _norm(c) in known)
        if score > best_score and score >= 2:
            best, best_score = i, score
    return best


def two_level(top: list[str], sub: list[str]) -> bool:
    """A second header row: ≥2 sub-header words under merged (repeated) or blank top cells."""
    hits = [ci for ci, c in enumerate(sub) if _norm(el.SYNONYMS.get(_norm(c), c)) in _SUB_HEADER_WORDS]
    if len(hits) < 2:
        return False
    for ci in hits:
        t = top[ci] if ci < len(top) else ""
        left = top[ci - 1] if 0 < ci <= len(top) else None
        right = top[ci + 1] if ci + 1 < len(top) else None
        if not t or t == left or t == right:
            return True
    return False


def _header_pair(top: list[str], sub: list[str] | None, ci: int, last_top: str) -> tuple[str, str]:
    t = top[ci] if ci < len(top) else ""
    s = (sub[ci] if ci < len(sub) else "") if sub is not None else ""
    if sub is not None and not t and s:
        t = last_top  # top header written once above several sub-columns, not merged
    if s == t:
        s = ""  # vertically merged header
    return t, s


def _map_name_column(cmap: ColumnMap, ci: int, nt: str, ns: str) -> bool:
    header = ns or nt
    if header in _LEVEL1:
        cmap.level1 = ci
    elif header in _LEVEL2:
        cmap.name = ci
    elif header in _LEVEL3:
        cmap.level3 = ci
    elif not ns and nt in _NAME_TOP:
        cmap.level1 = ci if cmap.level1 is None else cmap.level1
    elif nt in _DOMAIN:
        cmap.domain = ci
    elif nt in _MANDATORY:
        cmap.mandatory = ci
    else:
        return False
    return True


def _map_element_column(cmap: ColumnMap, ci: int, d: ElementDefinition, s: str) -> bool:
    if d.type == ElementType.NAME:
        cmap.level1 = ci if cmap.level1 is None else cmap.level1
    elif d.type == ElementType.MULTICHOICE and s:
        value = el.match_allowed(s, d.allowed_values)
        if not value:
            return False
        cmap.ticks.setdefault(d.key, {}).setdefault(value, ci)
    elif d.type == ElementType.TIMEFRAME:
        cmap.timeframe = ci
    else:
        cmap.element[d.key] = ci
    return True


def map_columns(top: list[str], sub: list[str] | None, template: ElementTemplate) -> ColumnMap:
    lookup = element_lookup(template)
    cmap = ColumnMap(header_rows=2 if sub is not None else 1)
    last_top = ""
    for ci in range(max(len(top), len(sub or []))):
        t, s = _header_pair(top, sub, ci, last_top)
        last_top = t or last_top
        nt, ns = _norm(t), _norm(s)
        if not nt and not ns:
            continue
        if _map_name_column(cmap, ci, nt, ns):
            continue
        d = lookup.get(nt)
        if d is not None and _map_element_column(cmap, ci, d, s):
            continue
        if nt not in _IGNORED:
            cmap.ignored.append(t + (f"→{s}" if s else ""))
    return cmap


def is_tick(value: str) -> bool | None:
    v = value.strip()
    if v in el.EMPTY_TICKS:
        return False
    if v in el.TICKS:
        return True
    return None


def col_letter(ci: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(ci + 1)


def domain_for(names: list[str], domains: dict[str, Domain]) -> Domain | None:
    for text in names:
        n = chinese.normalise(text or "").strip()
        if n and n in domains:
            return domains[n]
    for text in names:
        n = chinese.normalise(text or "")
        hits = [d for key, d in domains.items() if key and key in n]
        if hits:
            return max(hits, key=lambda d: len(d.name))
    return None

"""Import of service guides exported by provincial 政务服务网 platforms (JSON Lines, one 事项 per line).

The reference layout is the Guangdong platform's (TASK_NAME, TASK_CODE, TASK_TYPE_TEXT,
DEPT_NAME, handle_time "30(工作日)", handle_time_limit, accept_standard, material_intro (list),
handle_location, consult_phone, complain_phone, visit_number, service_object_name (list),
theme_category (list), URL, matter_level); another province's export is read with a field map
(``{"element": "SOURCE_KEY", ...}``) that overrides these keys.

Real exports are incomplete ("无", empty lists, missing keys): such a row is imported as a draft
flagged incomplete and listed in the report with what is missing. Only unreadable lines (not
JSON, not UTF-8, not an object) and rows without a name are refused. Nothing is half-saved:
each row is one transaction, and ``dry_run`` rolls everything back.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ELEMENTS, GuideKind, VersionState

GUANGDONG_FIELDS: dict[str, str | list[str]] = {
    "name": "TASK_NAME",
    "code": "TASK_CODE",
    "kind": "TASK_TYPE_TEXT",
    "implementing_body": "DEPT_NAME",
    "legal_limit_days": "handle_time",
    "promised_limit_days": "handle_time_limit",
    "conditions": "accept_standard",
    "materials": "material_intro",
    "location_time": "handle_location",
    "consultation": "consult_phone",
    "complaint": "complain_phone",
    "visits": "visit_number",
    "service_objects": "service_object_name",
    "theme": "theme_category",
    "online_url": "URL",
    "level": "matter_level",
    # Not in every export; read when present.
    "legal_basis": ["by_law", "BY_LAW", "LAW_BASIS", "setting_basis"],
    "process": ["handle_flow", "HANDLE_FLOW", "process"],
    "fees": ["charge_standard", "CHARGE_STANDARD", "is_charge", "IS_CHARGE"],
}

EMPTY = {"", "无", "无。", "暂无", "null", "none", "/", "-", "—", "空"}

_KINDS = {str(label): value for value, label in GuideKind.choices}
_KINDS.update(
    {
        "其他权力": GuideKind.OTHER,
        "其他行政权力": GuideKind.OTHER,
        "其它行政权力": GuideKind.OTHER,
        "公共服务事项": GuideKind.PUBLIC_SERVICE,
        "公共服务": GuideKind.PUBLIC_SERVICE,
    }
)


def _empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in EMPTY
    if isinstance(value, list | dict):
        return not value
    return False


def _get(row: dict, keys) -> Any:
    for key in [keys] if isinstance(keys, str) else keys:
        if key in row and not _empty(row[key]):
            return row[key]
    return None


def _text(value) -> str:
    if _empty(value):
        return ""
    if isinstance(value, list):
        return "；".join(_text(v) for v in value if not _empty(v))
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v)}" for k, v in value.items() if not _empty(v))
    return str(value).strip()


def _days(value) -> int | None:
    """'30(工作日)', '20个工作日', '即办', 15 → working days (即办 = 0); None when unreadable."""
    if _empty(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if value >= 0 else None
    text = str(value)
    if "即办" in text or "当场" in text:
        return 0
    m = re.search(r"(\d+)", text)
    return int(m.group(1)) if m else None


def _visits(value) -> int | None:
    if _empty(value):
        return None
    text = str(value)
    if "不见面" in text or "零次" in text or "0次" in text:
        return 0
    m = re.search(r"(\d+)", text)
    if m:
        return int(m.group(1))
    return {"一": 1, "二": 2, "两": 2, "三": 3}.get(text.strip().rstrip("次"))


def _kind(value) -> str:
    text = _text(value)
    if not text:
        return ""
    if text in _KINDS:
        return _KINDS[text]
    for label, kind in _KINDS.items():
        if label in text:
            return kind
    return GuideKind.OTHER if "权力" in text else ""


_MATERIAL_KEYS = {
    "name": ["name", "MATERIAL_NAME", "material_name", "名称"],
    "necessity": ["necessity", "IS_NEED", "is_need", "必要性"],
    "form": ["form", "MATERIAL_FORM", "material_form", "材料形式"],
    "copies": ["copies", "PAGE_NUM", "page_num", "份数"],
    "source": ["source", "MATERIAL_SOURCE", "source_channel", "来源渠道"],
    "blank_form": ["blank_form", "TEMPLATE_URL", "empty_table", "空白表格"],
    "sample": ["sample", "SAMPLE_URL", "example_table", "示例样表"],
}


def _materials(value) -> list[dict]:
    if _empty(value):
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[；;\n]|(?<=[。])", value) if v.strip()]
    if not isinstance(value, list):
        value = [value]
    out = []
    for entry in value:
        if isinstance(entry, dict):
            material = {k: _text(_get(entry, keys)) for k, keys in _MATERIAL_KEYS.items()}
        else:
            material = {k: "" for k in _MATERIAL_KEYS}
            material["name"] = re.sub(r"^\s*\d+[\.、．)]\s*", "", _text(entry))
        if material["name"]:
            necessity = material["necessity"]
            material["necessity"] = (
                "optional" if necessity in ("否", "非必要", "0") else "tolerated" if "容缺" in necessity else "required"
            )
            out.append(material)
    return out


def _fees(value) -> tuple[bool, list[dict]]:
    if _empty(value):
        return False, []
    text = _text(value)
    if text in ("否", "不收费", "0", "false", "False") or "不收费" in text:
        return True, []
    return False, [{"item": text, "standard": "", "basis": ""}]


def _list(value) -> list[str]:
    if _empty(value):
        return []
    if isinstance(value, list):
        return [_text(v) for v in value if not _empty(v)]
    return [v.strip() for v in re.split(r"[,，、;；]", str(value)) if v.strip()]


def map_row(row: dict, fields: dict) -> tuple[dict, str]:
    """A source record → (guide version data, theme)."""
    g = lambda element: _get(row, fields.get(element, []))  # noqa: E731 - local shorthand
    no_fee, fees = _fees(g("fees"))
    process = g("process")
    data = {
        "name": _text(g("name")),
        "code": _text(g("code"))[:80],
        "kind": _kind(g("kind")),
        "legal_basis": _text(g("legal_basis")),
        "implementing_body": _text(g("implementing_body"))[:200],
        "service_objects": _list(g("service_objects")),
        "conditions": _text(g("conditions")),
        "materials": _materials(g("materials")),
        "process": _list(process) if isinstance(process, list) else ([_text(process)] if process else []),
        "legal_limit_days": _days(g("legal_limit_days")),
        "promised_limit_days": _days(g("promised_limit_days")),
        "no_fee": no_fee,
        "fees": fees,
        "consultation": _text(g("consultation"))[:300],
        "complaint": _text(g("complaint"))[:300],
        "location_time": _text(g("location_time")),
        "visits": _visits(g("visits")),
        "online_url": _url(_text(g("online_url"))),
        "level": _text(g("level"))[:40],
    }
    return data, ",".join(_list(g("theme")))[:200]


def _url(text: str) -> str:
    return text[:500] if text.startswith(("http://", "https://")) else ""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    incomplete: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (line, name, missing labels)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "incomplete": [{"line": n, "name": name, "missing": m} for n, name, m in self.incomplete],
            "refused": [{"line": n, "reason": r} for n, r in self.refused],
            "dry_run": self.dry_run,
        }


def parse_lines(data: bytes):
    """Yield ``(line_number, row_or_None, error)`` for every non-blank line of a JSONL file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, None, _("不是UTF-8编码（可能是GBK导出），请转换为UTF-8后再导入")
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, None, _("不是有效的JSON：%(msg)s（第%(col)s列）") % {"msg": exc.msg, "col": exc.colno}
            continue
        if not isinstance(row, dict):
            yield number, None, _("每行应为一个JSON对象")
            continue
        yield number, row, ""


def import_guides(*, actor, unit, data: bytes, field_map: dict | None = None, dry_run: bool = False) -> ImportReport:
    """Import a JSONL export for ``unit``; see the module docstring. Returns the report."""
    from gongkai.core import permissions

    from . import services
    from .models import Guide

    permissions.require(actor, services.EDIT_ROLES, unit)
    fields = dict(GUANGDONG_FIELDS)
    for element, key in (field_map or {}).items():
        if element not in fields:
            raise ValidationError(_("字段对照表中有未知要素：%(e)s") % {"e": element})
        fields[element] = key
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        for number, row, error in parse_lines(data):
            if row is None:
                report.refused.append((number, error))
                continue
            version_data, theme = map_row(row, fields)
            if not version_data["name"]:
                report.refused.append((number, _("缺少事项名称")))
                continue
            version_data["raw"] = row
            try:
                with transaction.atomic():
                    existing = (
                        Guide.objects.filter(unit=unit, code=version_data["code"]).first()
                        if version_data["code"]
                        else None
                    )
                    version = _save(services, actor, unit, existing, version_data, theme)
            except ValidationError as exc:
                report.refused.append((number, "；".join(exc.messages)))
                continue
            if existing is None:
                report.created += 1
            else:
                report.updated += 1
            missing = version.missing_elements()
            if missing:
                report.incomplete.append((number, version.name, [str(ELEMENTS[m]) for m in missing]))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _save(services, actor, unit, existing, data: dict, theme: str):
    from .models import GuideVersion

    raw = data.pop("raw")
    if existing is None:
        guide = services.guide_create(actor=actor, unit=unit, data=data, theme=theme, imported=True)
        version = guide.versions.get()
    else:
        latest = existing.versions.order_by("-number").first()
        if latest is None or latest.state not in (VersionState.DRAFT,):
            latest = services.guide_version_new(actor=actor, guide=existing)
        version = services.guide_version_update(actor=actor, version=latest, data=data)
    flagged = bool(version.missing_elements())
    GuideVersion.objects.filter(pk=version.pk).update(raw=raw, flagged_incomplete=flagged, source="import")
    version.flagged_incomplete = flagged
    return version

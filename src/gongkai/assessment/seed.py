"""Reference data of the assessment app, used by its data migration (historical models) and by
the test suite's re-seeding: legal periods, document templates, the shipped indicator sets."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

PERIODS = [
    {
        "code": "assessment.rectification",
        "name": "限期整改期限",
        "length": 15,
        "unit": "working_days",
        "starts_on": "整改通知下发之日",
        "legal_basis": "平台默认值：各地通报整改时限不一（常见10至15个工作日），可配置",
        "note": "逾期未反馈整改情况的予以红牌警示",
    },
    {
        "code": "assessment.recheck",
        "name": "整改复查期限",
        "length": 5,
        "unit": "working_days",
        "starts_on": "单位反馈整改情况之日",
        "legal_basis": "平台默认值：政务公开办收到整改反馈后的复查时限，可配置",
        "note": "",
    },
    {
        "code": "assessment.appeal",
        "name": "评估结果申诉期",
        "length": 5,
        "unit": "working_days",
        "starts_on": "评估结果公布之日",
        "legal_basis": "平台默认值：评估结果公布后的申诉期，可配置",
        "note": "",
    },
]


def seed(apps, schema_editor=None) -> None:
    from .documents import DEFAULTS

    LegalPeriod = apps.get_model("core", "LegalPeriod")
    for row in PERIODS:
        row = dict(row)
        LegalPeriod.objects.get_or_create(
            code=row.pop("code"), defaults={**row, "app": "assessment", "is_maximum": False}
        )
    DocumentTemplate = apps.get_model("assessment", "DocumentTemplate")
    for kind, (title, body) in DEFAULTS.items():
        DocumentTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    data = json.loads((Path(__file__).resolve().parent / "data" / "indicator_sets.json").read_text("utf-8"))
    for spec in data:
        spec = dict(spec)
        indicators = spec.pop("indicators")
        if IndicatorSet.objects.filter(name=spec["name"]).exists():
            continue
        s = IndicatorSet.objects.create(
            **{k: (Decimal(str(v)) if isinstance(v, int | float) and k != "year" else v) for k, v in spec.items()},
            status="published",
        )
        _add(Indicator, s, indicators, None, [0])


def _add(Indicator, s, items, parent, order: list[int]) -> None:
    for item in items:
        item = dict(item)
        children = item.pop("children", [])
        order[0] += 1
        ind = Indicator.objects.create(
            indicator_set=s,
            parent=parent,
            code=item["code"],
            name=item["name"],
            method=item["method"],
            weight=Decimal(str(item.get("weight", 0))),
            per_item=Decimal(str(item.get("per_item", 0))),
            cap=Decimal(str(item["cap"])) if item.get("cap") is not None else None,
            source=item.get("source", ""),
            verified=item.get("verified", True),
            note=item.get("note", ""),
            order=order[0],
        )
        _add(Indicator, s, children, ind, order)

"""Legal periods of the inspection rules (国办秘函〔2019〕19号) and the shipped example word lists."""

import json
from pathlib import Path

from django.db import migrations

PERIODS = [
    {"code": "monitoring.home_update", "name": "首页更新周期", "length": 14, "unit": "calendar_days",
     "starts_on": "首页最新信息的发布日期", "legal_basis": "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）单项否决：首页栏目信息超过2周未更新",
     "note": "超过该期限未更新即单项否决"},
    {"code": "monitoring.column_news", "name": "动态要闻类栏目更新周期", "length": 14, "unit": "calendar_days",
     "starts_on": "栏目最新信息的发布日期", "legal_basis": "国办秘函〔2019〕19号：动态、要闻类栏目2周内未更新", "note": ""},
    {"code": "monitoring.column_notice", "name": "通知公告、政策文件类栏目更新周期", "length": 6, "unit": "months",
     "starts_on": "栏目最新信息的发布日期", "legal_basis": "国办秘函〔2019〕19号：通知公告、政策文件类栏目6个月内未更新", "note": ""},
    {"code": "monitoring.column_other", "name": "其他应更新栏目更新周期", "length": 6, "unit": "months",
     "starts_on": "栏目最新信息的发布日期", "legal_basis": "国办秘函〔2019〕19号：应更新但长期未更新的栏目（平台按6个月计，可配置）",
     "note": "指标原文未给出其他栏目的具体周期，平台默认6个月"},
    {"code": "monitoring.interaction_veto", "name": "留言未回复否决期限", "length": 3, "unit": "months",
     "starts_on": "网民留言之日", "legal_basis": "国办秘函〔2019〕19号单项否决：互动回应差（超过3个月未回复有效留言）", "note": ""},
    {"code": "monitoring.interaction_reply", "name": "政务咨询答复时限（监测）", "length": 5, "unit": "working_days",
     "starts_on": "网民留言之日", "legal_basis": "平台默认值：政务咨询类留言5个工作日内答复（各地规定不一，可配置）", "note": ""},
    {"code": "monitoring.account_update", "name": "政务新媒体更新周期", "length": 14, "unit": "calendar_days",
     "starts_on": "账号最近一次发文日期", "legal_basis": "国办秘函〔2019〕19号政务新媒体单项否决：监测时间点前2周内无更新（未核实，可配置）", "note": ""},
]


def seed(apps, schema_editor):
    LegalPeriod = apps.get_model("core", "LegalPeriod")
    for row in PERIODS:
        row = dict(row)
        code = row.pop("code")
        LegalPeriod.objects.get_or_create(code=code, defaults={**row, "app": "monitoring", "is_maximum": False})
    WordList = apps.get_model("monitoring", "WordList")
    WordEntry = apps.get_model("monitoring", "WordEntry")
    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "words.json").read_text("utf-8"))
    for spec in data:
        wl, created = WordList.objects.get_or_create(name=spec["name"], defaults={"kind": spec["kind"], "source": spec["source"]})
        if created:
            for text, correct, note in spec["entries"]:
                WordEntry.objects.get_or_create(word_list=wl, text=text, defaults={"correct": correct, "note": note})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("core", "0003_legal_periods")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

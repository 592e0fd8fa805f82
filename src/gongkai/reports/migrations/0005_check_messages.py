"""Report checks store their message as a translatable message (``gongkai.core.messages``), not as text.

Existing checks stored as 简体 text are converted when the text matches one of the check messages
(the parts inside a list, such as "自然人列 12 ≠ 13", stay as they were written); other text is kept
and shown as it is. Draft checks are rewritten anyway whenever a draft is refreshed.
"""

from django.db import migrations

SOURCES = [
    "所有数字均已填写",
    "以下数字尚未填写：%(cells)s",
    "没有负数",
    "存在负数",
    "表三各列：一＋二＝三（七）＋四",
    "表三“一＋二＝三（七）＋四”不成立：%(columns)s",
    "表三“总计”列与“（七）总计”行等于各项之和",
    "表三合计不等于各项之和：%(items)s",
    "表四各“总计”等于各项之和",
    "表四“总计”不等于各项之和：%(columns)s",
    "规章和行政规范性文件库未接入，无法核对表二的件数",
    "表二规章、行政规范性文件件数与文件库一致",
    "表二与规范性文件库不一致：%(diffs)s",
    "人工填报的数字均注明了来源",
    "人工填报的数字须注明来源：%(rows)s",
    "上年结转数与上年度报告的结转下年度数一致",
    "“二、上年结转”与上年度报告“四、结转下年度继续办理”不一致：%(columns)s",
    "每个统计数字都能追溯到对应的记录",
    "以下数字与可追溯的记录条数不一致：%(cells)s",
]


def forwards(apps, schema_editor):
    from gongkai.core.messages import parse

    AnnualReport = apps.get_model("reports", "AnnualReport")
    for report in AnnualReport.objects.only("pk", "checks").iterator():
        changed = False
        for check in report.checks or []:
            text = check.get("message")
            if isinstance(text, str):
                found = parse(text, SOURCES)
                if found is not None:
                    check["message"] = found
                    changed = True
        if changed:
            AnnualReport.objects.filter(pk=report.pk).update(checks=report.checks)


def backwards(apps, schema_editor):
    from gongkai.core.messages import render

    AnnualReport = apps.get_model("reports", "AnnualReport")
    for report in AnnualReport.objects.only("pk", "checks").iterator():
        for check in report.checks or []:
            check["message"] = render(check.get("message"))
        AnnualReport.objects.filter(pk=report.pk).update(checks=report.checks)


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_pageview_moved_to_core")]

    operations = [migrations.RunPython(forwards, backwards)]

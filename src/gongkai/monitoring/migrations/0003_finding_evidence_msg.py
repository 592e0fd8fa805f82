"""What a check found is stored as a translatable message (``evidence_msg``, ``gongkai.core.messages``);
``evidence`` keeps quoted text only.

Existing evidence written by the checks is converted when it matches one of their messages (a
personal-data hit keeps its masked value; the words inside, such as a column's dates, stay as
written); evidence that matches none is kept as it is and shown unchanged.
"""

import re

from django.db import migrations, models

SOURCES = [
    "敏感词：%(word)s",
    "“%(word)s”应为“%(correct)s”",
    "错误表述：%(word)s",
    "首页无法访问（%(why)s）",
    "近%(days)s天监测%(probes)s次，%(failed)s次无法访问或超过15秒（%(pct)s%%，达到%(limit)s否决标准）",
    "首页最新信息日期为%(date)s，超过2周未更新",
    "首页未发现带日期的信息（视为未更新）",
    "栏目列表页无法打开（%(why)s）",
    "网站标识码%(code)s与登记的%(registered)s不符",
    "首页缺少元数据：%(names)s",
    "%(count)s篇文章页缺少元数据（如：%(names)s）",
    "“%(column)s”有%(count)s条留言超过3个月未回复",
    "“%(column)s”有%(count)s条留言超过5个工作日未回复或答复",
    "网站未提供HTTPS访问",
    "网站域名无可连接的IPv6地址",
    "axe 检出 %(count)s 类问题：%(rules)s",
    "%(unit)s在%(platform)s已有运营中的账号，“%(account)s”为重复开设",
]
LABELS = {
    "kind": ["身份证号码", "手机号码", "银行卡号"],
    "label": ["主办单位", "网站标识码", "ICP备案编号", "公安机关备案号"],
}


def convert(text: str):
    from gongkai.core.messages import message, parse

    for kind in LABELS["kind"]:
        if text.startswith(kind + "："):
            return message("%(kind)s：%(value)s", kind=message(kind), value=text[len(kind) + 1 :])
    for label in LABELS["label"]:
        if text == f"网站底部未标注{label}":
            return message("网站底部未标注%(label)s", label=message(label))
    m = re.fullmatch(r"(首页|页面)(图片|附件|链接)不可用：(.*)（(.*)）", text, flags=re.S)
    if m:
        return message(
            f"{m.group(1)}%(what)s不可用：%(url)s（%(why)s）", what=message(m.group(2)), url=m.group(3), why=m.group(4)
        )
    return parse(text, SOURCES)


def forwards(apps, schema_editor):
    Finding = apps.get_model("monitoring", "Finding")
    for f in Finding.objects.exclude(evidence="").only("pk", "evidence").iterator():
        found = convert(f.evidence)
        if found is not None:
            Finding.objects.filter(pk=f.pk).update(evidence_msg=found, evidence="")


def backwards(apps, schema_editor):
    from gongkai.core.messages import render

    Finding = apps.get_model("monitoring", "Finding")
    for f in Finding.objects.filter(evidence="").only("pk", "evidence_msg").iterator():
        if f.evidence_msg:
            Finding.objects.filter(pk=f.pk).update(evidence=render(f.evidence_msg))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_periods_and_words")]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="evidence_msg",
            field=models.JSONField(blank=True, default=dict, verbose_name="证据说明"),
        ),
        migrations.RunPython(forwards, backwards),
    ]

"""Seed the matcher's profile attributes and the recipient-list display period (公示期)."""

from django.db import migrations

COUNTIES = ["松阳县", "莲都区", "龙泉市", "青田县", "缙云县", "遂昌县", "云和县", "庆元县", "景宁畲族自治县", "丽水市以外"]
INDUSTRIES = [
    "农林牧渔业",
    "制造业",
    "建筑业",
    "批发和零售业",
    "住宿和餐饮业",
    "信息传输、软件和信息技术服务业",
    "文化、体育和娱乐业",
    "交通运输业",
    "其他",
]

# (code, label, type, audience, unit, choices, help, order)
ATTRIBUTES = [
    ("registered_in", "注册地", "choice", "enterprise", "", COUNTIES, "营业执照上的住所所在县（市、区）", 1),
    ("employees", "从业人数", "number", "enterprise", "人", [], "上年末参保职工人数", 2),
    ("industry", "所属行业", "choice", "enterprise", "", INDUSTRIES, "可多选", 3),
    ("years_founded", "成立年限", "number", "enterprise", "年", [], "自成立之日起满多少年", 4),
    ("high_tech", "高新技术企业", "boolean", "enterprise", "", [], "是否持有有效的高新技术企业证书", 5),
    ("annual_revenue", "上年营业收入", "number", "enterprise", "万元", [], "", 6),
    ("small_micro", "小型微型企业", "boolean", "enterprise", "", [], "按《中小企业划型标准规定》", 7),
    ("new_hires", "本年新招用人数", "number", "enterprise", "人", [], "签订1年以上劳动合同并参保", 8),
    ("hukou", "户籍所在地", "choice", "resident", "", COUNTIES, "", 1),
    ("age", "年龄", "number", "resident", "岁", [], "", 2),
    ("income_per_capita", "家庭月人均收入", "number", "resident", "元", [], "", 3),
    ("disability_card", "持有残疾人证", "boolean", "resident", "", [], "", 4),
    ("employment", "就业状态", "choice", "resident", "", ["就业", "灵活就业", "登记失业", "退休", "在校学生"], "", 5),
    ("children", "子女数", "number", "resident", "个", [], "", 6),
    ("graduate_years", "毕业年限", "number", "resident", "年", [], "高校毕业后满多少年（在校填0）", 7),
]

PERIOD = {
    "code": "benefits.recipient_display",
    "name": "惠企利民兑现名单公示期",
    "app": "benefits",
    "length": 7,
    "unit": "calendar_days",
    "starts_on": "名单公示之日",
    "legal_basis": "《最低生活保障审核确认办法》（民发〔2021〕57号）：审核确认结果公示期为7天；其他事项按各项政策规定",
    "is_maximum": False,
    "note": "各项政策另有规定的，按政策规定调整期限",
}


def seed(apps, schema_editor):
    Attribute = apps.get_model("benefits", "Attribute")
    for code, label, type_, audience, unit, choices, help_text, order in ATTRIBUTES:
        Attribute.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "type": type_,
                "audience": audience,
                "unit_label": unit,
                "choices": choices,
                "help_text": help_text,
                "sort_order": order,
            },
        )
    LegalPeriod = apps.get_model("core", "LegalPeriod")
    LegalPeriod.objects.get_or_create(code=PERIOD["code"], defaults={k: v for k, v in PERIOD.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial"), ("core", "0003_legal_periods")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The credit app's legal periods (the 7-working-day publication period is seeded by core)."""

from django.db import migrations

BASIS_REPAIR = "《失信行为纠正后的信用信息修复管理办法》及2026年4月1日起施行的信用修复规定（平台默认值，可配置）"

PERIODS = [
    {
        "code": "credit.withdrawal",
        "name": "撤回行政处罚决定信息期限",
        "app": "credit",
        "length": 3,
        "unit": "working_days",
        "starts_on": "行政处罚决定被依法变更、撤销、确认违法或者确认无效之日",
        "legal_basis": "《行政处罚法》第四十八条第二款；第八十五条（“三日”指工作日）",
        "is_maximum": True,
        "note": "在三日内撤回行政处罚决定信息并公开说明理由",
    },
    {
        "code": "credit.display.minor",
        "name": "轻微失信行为处罚信息最长公示期限",
        "app": "credit",
        "length": 3,
        "unit": "months",
        "starts_on": "行政处罚决定作出之日",
        "legal_basis": BASIS_REPAIR,
        "is_maximum": True,
        "note": "轻微失信行为的处罚信息原则上不公示；公示的，最长3个月",
    },
    {
        "code": "credit.display.ordinary",
        "name": "一般失信行为处罚信息最长公示期限",
        "app": "credit",
        "length": 12,
        "unit": "months",
        "starts_on": "行政处罚决定作出之日",
        "legal_basis": BASIS_REPAIR,
        "is_maximum": True,
        "note": "一般失信行为：最短3个月，最长1年",
    },
    {
        "code": "credit.display.serious",
        "name": "严重失信行为处罚信息最长公示期限",
        "app": "credit",
        "length": 36,
        "unit": "months",
        "starts_on": "行政处罚决定作出之日",
        "legal_basis": BASIS_REPAIR,
        "is_maximum": True,
        "note": "严重失信行为：最短1年，最长3年",
    },
    {
        "code": "credit.repair.minor",
        "name": "轻微失信行为信用修复最短公示期限",
        "app": "credit",
        "length": 0,
        "unit": "months",
        "starts_on": "行政处罚决定作出之日",
        "legal_basis": BASIS_REPAIR,
        "is_maximum": False,
        "note": "无最短公示期限",
    },
    {
        "code": "credit.repair.ordinary",
        "name": "一般失信行为信用修复最短公示期限",
        "app": "credit",
        "length": 3,
        "unit": "months",
        "starts_on": "行政处罚决定作出之日",
        "legal_basis": BASIS_REPAIR,
        "is_maximum": False,
        "note": "公示满3个月后方可申请信用修复",
    },
    {
        "code": "credit.repair.serious",
        "name": "严重失信行为信用修复最短公示期限",
        "app": "credit",
        "length": 12,
        "unit": "months",
        "starts_on": "行政处罚决定作出之日",
        "legal_basis": BASIS_REPAIR,
        "is_maximum": False,
        "note": "公示满1年后方可申请信用修复",
    },
]


def seed_periods(apps, schema_editor):
    LegalPeriod = apps.get_model("core", "LegalPeriod")
    for row in PERIODS:
        row = dict(row)
        code = row.pop("code")
        LegalPeriod.objects.get_or_create(code=code, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial"), ("core", "0003_legal_periods")]

    operations = [migrations.RunPython(seed_periods, migrations.RunPython.noop)]

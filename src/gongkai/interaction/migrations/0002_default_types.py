"""Default appeal types and time limits. These are the platform's configurable defaults
(咨询 5, 建议 15, 投诉 10, 求助 5 working days), not a legal rule: change them in the admin."""

from django.db import migrations

TYPES = [
    ("consult", "咨询", "政策、办事等方面的咨询", 5, 1),
    ("suggest", "建议", "对政府工作的意见建议", 15, 2),
    ("complain", "投诉", "对行政机关及其工作人员的投诉", 10, 3),
    ("help", "求助", "生产生活中遇到困难需要帮助", 5, 4),
]


def forwards(apps, schema_editor):
    AppealType = apps.get_model("interaction", "AppealType")
    Policy = apps.get_model("interaction", "Policy")
    for code, name, desc, days, order in TYPES:
        AppealType.objects.get_or_create(
            code=code, defaults={"name": name, "description": desc, "time_limit_days": days, "sort_order": order}
        )
    Policy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("interaction", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Legal periods (rectification, re-check, appeal window), document templates and the shipped
indicator sets (国办秘函〔2019〕19号 website and new-media indicators; a county example)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gongkai.assessment.seed import seed

    seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial"), ("core", "0003_legal_periods")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

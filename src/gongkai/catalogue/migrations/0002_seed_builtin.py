from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.catalogue.builtin import ensure_builtin

    ensure_builtin(
        apps.get_model("catalogue", "Domain"),
        apps.get_model("catalogue", "ElementTemplate"),
        apps.get_model("catalogue", "ElementDefinition"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""GIN indexes for the full-text columns, on PostgreSQL only (SQLite has no tsvector)."""

from django.db import migrations

INDEXES = [
    ("search_searchentry_tsv_gin", "CREATE INDEX IF NOT EXISTS search_searchentry_tsv_gin ON search_searchentry USING gin (tsv)"),
    ("search_searchentry_py_gin", "CREATE INDEX IF NOT EXISTS search_searchentry_py_gin ON search_searchentry USING gin (py)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

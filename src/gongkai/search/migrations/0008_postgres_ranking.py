"""PostgreSQL only: a GIN index on the title tokens, a narrow heap (bodies and token vectors
stored out of line, so facet counts read few pages), finer planner statistics of the token
column (its most common elements are the document frequencies the ranking uses)."""

from django.db import migrations

FORWARDS = [
    "CREATE INDEX IF NOT EXISTS search_searchentry_title_tsv_gin ON search_searchentry USING gin (title_tsv)",
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 256)",
    "ALTER TABLE search_searchentry ALTER COLUMN tsv SET STATISTICS 1000",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS search_searchentry_title_tsv_gin",
    "ALTER TABLE search_searchentry RESET (toast_tuple_target)",
    "ALTER TABLE search_searchentry ALTER COLUMN tsv SET STATISTICS -1",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_ranking_columns")]
    operations = [migrations.RunPython(forwards, backwards)]

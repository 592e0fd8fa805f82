"""PostgreSQL only: a narrow heap — bodies and the full token vector stored out of line, the
facet columns and the title tokens always inline — so counting facets and picking title
candidates read few pages and never detoast; finer planner statistics of the token column
(its most common elements are the document frequencies the ranking uses)."""

from django.db import migrations

PLAIN = ["kind", "unit_name", "doc_type", "domain", "status"]
FORWARDS = [
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 256)",
    "ALTER TABLE search_searchentry ALTER COLUMN tsv SET STATISTICS 1000",
    "ALTER TABLE search_searchentry ALTER COLUMN title_tsv SET STORAGE MAIN",
    *[f"ALTER TABLE search_searchentry ALTER COLUMN {c} SET STORAGE PLAIN" for c in PLAIN],
]
BACKWARDS = [
    "ALTER TABLE search_searchentry RESET (toast_tuple_target)",
    "ALTER TABLE search_searchentry ALTER COLUMN tsv SET STATISTICS -1",
    "ALTER TABLE search_searchentry ALTER COLUMN title_tsv SET STORAGE EXTENDED",
    *[f"ALTER TABLE search_searchentry ALTER COLUMN {c} SET STORAGE EXTENDED" for c in PLAIN],
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

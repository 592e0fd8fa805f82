"""Normalised title and body for the PostgreSQL backend's ranking (issue 18 item 2): columns on
every database, the title kept inline on PostgreSQL (no TOAST lookup per candidate), and finer
planner statistics of the title tokens (their document frequencies weigh title matches)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN rank_title SET STORAGE MAIN")
        # The title tokens' document frequencies weigh title matches (BM25 per field).
        schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN title_tsv SET STATISTICS 1000")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN rank_title SET STORAGE EXTENDED")
        schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN title_tsv SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_search_terms_visitors")]
    operations = [
        migrations.AddField(
            model_name="searchentry", name="rank_title", field=models.TextField(blank=True, default="")
        ),
        migrations.AddField(model_name="searchentry", name="rank_body", field=models.TextField(blank=True, default="")),
        migrations.AddIndex(
            model_name="searchentry", index=models.Index(fields=["title_len", "id"], name="search_entry_title_len")
        ),
        migrations.RunPython(forwards, backwards),
    ]

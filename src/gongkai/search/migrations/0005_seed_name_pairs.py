"""Seed the everyday ↔ official name dictionary from data/name_pairs.tsv and take over the
synonym groups staff had added for the FAQ suggester (interaction.SynonymGroup): one
dictionary for search and suggestions."""

import re
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "name_pairs.tsv"


def shipped():
    for line in DATA_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
            yield parts[0].strip(), parts[1].strip(), (parts[2].strip() if len(parts) > 2 else "")


def seed(apps, schema_editor):
    NamePair = apps.get_model("search", "NamePair")
    rows = {(a, b): s for a, b, s in shipped()}
    try:
        SynonymGroup = apps.get_model("interaction", "SynonymGroup")
    except LookupError:
        SynonymGroup = None
    if SynonymGroup is not None:
        for group in SynonymGroup.objects.all():
            words = [w for w in re.split(r"[,，、\s]+", group.words) if w]
            for w in words[1:]:
                if w != words[0]:
                    rows.setdefault((w[:60], words[0][:120]), "互动交流同义词组（管理后台录入，迁移自 interaction.SynonymGroup）")
    existing = set(NamePair.objects.values_list("everyday", "official"))
    NamePair.objects.bulk_create(
        [NamePair(everyday=a, official=b, source=s[:300]) for (a, b), s in rows.items() if (a, b) not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_name_pairs"),
        ("interaction", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

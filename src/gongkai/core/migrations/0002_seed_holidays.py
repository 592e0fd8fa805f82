"""Seed the working-day calendar with the State Council schedules 2019–2026.

Source files (holiday-cn layout) are in gongkai/core/data/holidays/; each names
the State Council General Office notice it was taken from. Later years are
imported with ``gongkai import_holidays FILE``.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "holidays"


def seed(apps, schema_editor):
    from gongkai.core.services import parse_holiday_file

    Holiday = apps.get_model("core", "Holiday")
    CalendarYear = apps.get_model("core", "CalendarYear")
    for path in sorted(DATA.glob("*.json")):
        report = parse_holiday_file(path.read_bytes(), path.name)
        if not report.ok:
            raise RuntimeError(f"{path.name}: {report.errors}")
        papers = "；".join(json.loads(path.read_text("utf-8")).get("papers", []))
        for row in report.rows:
            Holiday.objects.update_or_create(date=row.date, defaults={"kind": row.kind, "name": row.name})
        for year in report.years:
            CalendarYear.objects.update_or_create(year=year, defaults={"source": papers[:255]})


def unseed(apps, schema_editor):
    apps.get_model("core", "Holiday").objects.filter(date__year__gte=2019, date__year__lte=2026).delete()
    apps.get_model("core", "CalendarYear").objects.filter(year__gte=2019, year__lte=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

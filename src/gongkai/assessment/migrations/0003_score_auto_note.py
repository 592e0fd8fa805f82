"""A score's system-generated note (how the points were reached) is stored as a translatable message in
``auto_note``; ``note`` keeps only what the person who scored typed.

Existing generated notes (text written by ranking) are moved to ``auto_note`` when they match one of
the scoring messages; a note that matches none (typed by staff) stays in ``note``.
"""

from django.db import migrations, models

SOURCES = [
    "否决：%(count)s处",
    "%(count)s处，扣%(points)s分",
    "无可计算的记录，不适用",
    "不适用",
    "达标",
    "未达标",
    "尚未评分",
]


def forwards(apps, schema_editor):
    import re

    from gongkai.core.messages import parse

    Score = apps.get_model("assessment", "Score")
    for score in Score.objects.exclude(note="").only("pk", "note").iterator():
        found = parse(score.note, SOURCES)
        if found is None and re.fullmatch(r"\d+/\d+", score.note):
            found = score.note  # a ratio note has no words to translate
        if found is not None:
            Score.objects.filter(pk=score.pk).update(auto_note=found, note="")


def backwards(apps, schema_editor):
    from gongkai.core.messages import render

    Score = apps.get_model("assessment", "Score")
    for score in Score.objects.filter(note="").only("pk", "auto_note").iterator():
        text = render(score.auto_note)
        if text:
            Score.objects.filter(pk=score.pk).update(note=text[:300])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_reference_data")]

    operations = [
        migrations.AddField(
            model_name="score",
            name="auto_note",
            field=models.JSONField(blank=True, default=dict, verbose_name="计分说明"),
        ),
        migrations.RunPython(forwards, backwards),
    ]

from django.apps import apps

from gongkai.core import demo
from gongkai.interaction.models import Appeal, AppealStatus, Comment, Consultation, FaqEntry


def test_demo_loads_and_is_idempotent(db):
    ctx = demo.load()
    config = apps.get_app_config("interaction")
    config.load_demo(ctx)
    counts = (FaqEntry.objects.count(), Appeal.objects.count(), Consultation.objects.count(), Comment.objects.count())
    assert counts[0] >= 40 and counts[1] == 8 and counts[2] == 2
    assert set(Appeal.objects.values_list("status", flat=True)) >= {s.value for s in AppealStatus}
    assert Appeal.objects.filter(rated_at__isnull=False, public_status="published").count() == 2
    assert set(Consultation.objects.values_list("status", flat=True)) == {"open", "reported"}
    config.load_demo(ctx)
    assert (
        FaqEntry.objects.count(),
        Appeal.objects.count(),
        Consultation.objects.count(),
        Comment.objects.count(),
    ) == counts

"""Demo content loads through the services, covers every status, and is idempotent."""

from __future__ import annotations

import pytest
from django.apps import apps

from gongkai.core import demo
from gongkai.publications.models import Publication, State

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_with_all_statuses():
    ctx = demo.load()
    config = apps.get_app_config("publications")
    config.load_demo(ctx)
    n = Publication.objects.count()
    config.load_demo(ctx)
    assert Publication.objects.count() == n
    statuses = {p.legal_status() for p in Publication.objects.filter(doc_type="normative", state=State.PUBLISHED)}
    assert {"valid", "invalid", "not_yet", "amended"} <= statuses
    states = set(Publication.objects.values_list("state", flat=True))
    assert {"draft", "attribute_review", "confidentiality_review", "signoff", "published", "withdrawn"} <= states
    policy = Publication.objects.get(title="松阳县养老服务补贴管理办法")
    assert policy.interpretations.filter(state=State.PUBLISHED).exists()
    assert Publication.objects.filter(doc_type="budget", state=State.PUBLISHED).get().attachments.exists()
    assert Publication.objects.filter(doc_type="draft_decision", state=State.PUBLISHED).exists()
    assert Publication.objects.filter(is_late=True, title="关于公布2024年度最低工资标准的通知").exists()

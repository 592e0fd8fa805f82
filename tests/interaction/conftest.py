"""Fixtures for the interaction app: appeal types, a submitted appeal, the human check."""

from __future__ import annotations

import pytest

from gongkai.interaction import services
from gongkai.interaction.models import AppealType


def ensure_default_types() -> dict[str, AppealType]:
    """The default types and their periods come from data migrations; transactional tests flush them."""
    from importlib import import_module

    from django.apps import apps

    import_module("gongkai.core.migrations.0003_legal_periods").seed_periods(apps, None)
    import_module("gongkai.interaction.migrations.0007_periods_data").seed(apps, None)
    return {t.code: t for t in AppealType.objects.select_related("period")}


@pytest.fixture
def types(db):
    return ensure_default_types()


@pytest.fixture
def submit(tree, types):
    def _submit(
        title="低保申请需要哪些材料",
        content="我母亲一个人生活，收入很少，想问申请低保要准备什么材料？",
        code="consult",
        **kw,
    ):
        kw.setdefault("phone", "13905781234")
        kw.setdefault("name", "吴秀英")
        appeal, _created = services.appeal_submit(
            appeal_type=types[code], target_unit=tree.county, title=title, content=content, **kw
        )
        return appeal

    return _submit


@pytest.fixture
def assigned(tree, submit):
    """An appeal accepted by the office and assigned to dept_a (民政局)."""
    appeal = submit()
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    return services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)


def human_answer(client, key: str) -> int:
    q = client.session[f"gk_hc_{key}"]
    return q["a"] + q["b"]

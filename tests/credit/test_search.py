"""一网通查: published 双公示 records are searchable (kind ``credit``), masked; others are not."""

from __future__ import annotations

import pytest

from gongkai.credit import indexing, services
from gongkai.search import registry
from tests.credit.factories import natural_person, penalty_data

pytestmark = pytest.mark.django_db


def test_credit_source_is_registered_and_masks_people(tree):
    assert registry.get_source("credit") is not None
    draft = services.record_create(actor=tree.editor_a, kind="penalty", unit=tree.dept_a, data=penalty_data())
    assert registry.fetch(indexing.doc_id("penalty", draft.pk)) is None
    person = services.record_create(
        actor=tree.editor_a,
        kind="penalty",
        unit=tree.dept_a,
        publish=True,
        data=penalty_data(decision_number="松民罚〔2026〕7号", **natural_person()),
    )
    doc = registry.fetch(indexing.doc_id("penalty", person.pk))
    assert doc.kind == "credit" and "欧**华" in doc.title and "欧阳明华" not in doc.title + doc.body
    assert person.id_number not in doc.body
    assert [d.id for d in registry.get_source("credit").iter_all()] == [doc.id]
    assert registry.fetch("credit:x1") is None and registry.fetch("credit:pabc") is None

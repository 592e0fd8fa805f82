"""一网通查: published datasets are searchable (kind ``dataset``)."""

from __future__ import annotations

import pytest

from gongkai.opendata import services
from gongkai.search import registry
from tests.opendata.factories import published_dataset

pytestmark = pytest.mark.django_db


def test_dataset_source(tree):
    ds = published_dataset(tree.editor_a, tree.dept_a)
    doc = registry.fetch(f"dataset:{ds.pk}")
    assert doc.kind == "dataset" and doc.title == "松阳县公交站点信息" and "公交" in doc.body
    assert doc.url == ds.get_absolute_url() and doc.index_number == ds.identifier
    services.dataset_withdraw(actor=tree.reviewer_a, dataset=ds)
    assert registry.fetch(f"dataset:{ds.pk}") is None
    assert list(registry.get_source("dataset").iter_all()) == []

"""The portal's search results come from the shared cache until the index changes: a document
indexed, changed or removed (published, edited, withdrawn) is seen by the very next search."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse

from gongkai.search import get_backend, services
from gongkai.search.backends import index_generation
from gongkai.search.models import SearchLog
from gongkai.search.types import SearchQuery

from .conftest import make_doc

pytestmark = pytest.mark.django_db

LOWBAO = dict(doc_type="notice", published_on=dt.date(2025, 3, 6), year=2025)


def _search(client, q="城乡低保"):
    return client.get(reverse("search:search"), {"q": q}).content.decode()


def test_repeated_search_is_served_from_the_cache(client, monkeypatch):
    get_backend().index([make_doc("关于2025年城乡低保标准的通知", "城乡低保标准提高到每人每月850元。", **LOWBAO)])
    assert "标准的通知" in _search(client)
    calls = []
    real = type(get_backend()).search
    monkeypatch.setattr(type(get_backend()), "search", lambda self, *a, **kw: calls.append(1) or real(self, *a, **kw))
    assert "标准的通知" in _search(client)
    assert calls == []  # the backend was not asked again
    # popular terms still count every search, cached or not
    assert SearchLog.objects.get(query="城乡低保").count == 2


def test_indexing_changing_and_removing_renew_the_results(client):
    backend = get_backend()
    first = make_doc("关于2025年城乡低保标准的通知", "城乡低保标准提高到每人每月850元。", **LOWBAO)
    backend.index([first])
    generation = index_generation()
    assert "共 1 条" in _search(client)
    second = make_doc("城乡低保资金发放情况公示", "2025年第一季度城乡低保资金发放情况。", **LOWBAO)
    backend.index([second])  # published
    assert index_generation() != generation
    html = _search(client)
    assert "共 2 条" in html and "资金发放情况公示" in html
    backend.index([dataclasses.replace(second, title="城乡低保资金发放情况公示（更正）")])  # changed
    assert "（更正）" in _search(client)
    backend.delete([second.id])  # withdrawn
    html = _search(client)
    assert "共 1 条" in html and "资金发放情况公示" not in html


def test_other_languages_and_queries_have_their_own_entries(client):
    get_backend().index([make_doc("关于2025年城乡低保标准的通知", "城乡低保标准。", **LOWBAO)])
    assert "共 1 条" in _search(client)
    assert "共 1 条" not in _search(client, q="就业补贴")
    uncached = services.run_search(SearchQuery(text="城乡低保"), log_terms=False)
    assert uncached.total == 1

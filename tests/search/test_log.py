"""Search-term statistics for reports: anonymous daily counts and ``top_terms``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.search.models import SearchLog, SearchTerm
from gongkai.search.selectors import popular_terms_with_prefix, top_terms
from gongkai.search.services import log_search_term, normalise_term

pytestmark = pytest.mark.django_db


def test_terms_are_normalised_and_counted_per_day():
    for text in ["低保", " 低保 ", "低保", "醫保", "医保", "ＡＢＣ  申请"]:
        log_search_term(text)
    today = timezone.localdate()
    counts = dict(SearchLog.objects.filter(day=today).values_list("query", "count"))
    assert counts == {"低保": 3, "医保": 2, "abc 申请": 1}


def test_personal_data_is_not_logged():
    for text in ["13800138000", "110101199003071234", "张三 zhangsan@example.com", "", "   "]:
        log_search_term(text)
    assert not SearchLog.objects.exists()


def test_top_terms_since_and_limit():
    today = timezone.localdate()
    for q in ["旧词", "低保", "医保", "防汛"]:  # qualified for public display (test_popular_terms.py)
        SearchTerm.objects.create(query=q, visitor_days=5, days=2, qualified_on=today)
    SearchLog.objects.create(day=today - dt.timedelta(days=40), query="旧词", count=100)
    SearchLog.objects.create(day=today - dt.timedelta(days=3), query="低保", count=5)
    SearchLog.objects.create(day=today, query="低保", count=2)
    SearchLog.objects.create(day=today, query="医保", count=6)
    SearchLog.objects.create(day=today, query="防汛", count=1)
    assert top_terms(today - dt.timedelta(days=30), 2) == [("低保", 7), ("医保", 6)]
    assert top_terms(None, 1) == [("旧词", 100)]
    assert top_terms(today, 10, until=today) == [("医保", 6), ("低保", 2), ("防汛", 1)]
    assert popular_terms_with_prefix("低") == ["低保"]


def test_normalise_term_limits_length():
    assert len(normalise_term("字" * 500)) == 100

"""Popular search terms (热门检索, autocomplete, statistics) are visitors' words republished:
a term is public only after at least 5 visitor-days on at least 2 different days (searches
with results), when it passes the personal-data and sensitive-word screening, and unless staff
hid it. Visitors are counted by a keyed hash valid for one day; no address is stored."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from gongkai.core import privacy
from gongkai.core.models import AuditEvent
from gongkai.search import get_backend, selectors, services
from gongkai.search.models import SearchLog, SearchTerm, SearchVisit

from .conftest import make_doc

pytestmark = pytest.mark.django_db

DAY1 = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAY2 = DAY1 + dt.timedelta(days=1)


@pytest.fixture
def indexed():
    get_backend().index(
        [
            make_doc("关于2026年城乡低保标准的通知", "城乡低保标准提高到每人每月1150元。幸福路12号 139 1234 5678"),
            make_doc("养老服务补贴申领指南", "80周岁以上老年人养老服务补贴。张伟 幸福路"),
        ]
    )


def search(client, q: str, ip: str):
    return client.get(reverse("search:search"), {"q": q}, REMOTE_ADDR=ip)


def public_everywhere(client, term: str) -> dict[str, bool]:
    """Where the term shows up publicly: the search page's list, autocomplete, API, statistics."""
    page = client.get(reverse("search:search")).content.decode()
    hot = page[page.index("top-terms-heading") :] if "top-terms-heading" in page else ""
    suggest = client.get(reverse("search:suggest"), {"q": term[:1]}).json()["suggestions"]
    api = client.get("/api/v1/search/suggest/", {"q": term[:1]}).json()["suggestions"]
    csv = client.get(reverse("reports:statistics-csv", args=["top_terms"]))
    return {
        "list": term in hot,
        "suggest": term in suggest,
        "api": term in api,
        "stats": csv.status_code == 200 and term in csv.content.decode("utf-8-sig"),
        "selector": term in dict(selectors.top_terms(None, 50)),
    }


def test_one_visitor_searching_often_stays_private(tree, client, indexed):
    with time_machine.travel(DAY1, tick=False):
        for _ in range(12):
            search(client, "低保标准", "203.0.113.7")
    with time_machine.travel(DAY2, tick=False):
        for _ in range(3):
            search(client, "低保标准", "203.0.113.7")
        term = SearchTerm.objects.get(query="低保标准")
        assert (term.visitor_days, term.days, term.qualified_on) == (2, 2, None)
        assert SearchLog.objects.filter(query="低保标准").count() == 2  # searches are still counted
        assert not any(public_everywhere(client, "低保标准").values())


def test_five_visitors_on_one_day_are_not_enough(client, indexed):
    with time_machine.travel(DAY1, tick=False):
        for i in range(8):
            search(client, "养老服务补贴", f"198.51.100.{i}")
        term = SearchTerm.objects.get(query="养老服务补贴")
        assert (term.visitor_days, term.days, term.qualified_on) == (8, 1, None)
        assert not any(public_everywhere(client, "养老服务补贴").values())


def test_five_visitors_over_two_days_make_a_term_public(tree, client, indexed):
    with time_machine.travel(DAY1, tick=False):
        for i in range(3):
            search(client, "低保标准", f"198.51.100.{i}")
    with time_machine.travel(DAY2, tick=False):
        search(client, "低保标准", "198.51.100.1")  # yesterday's visitor: a new visitor-day
        assert SearchTerm.objects.get(query="低保标准").qualified_on is None
        search(client, "低保标准", "2001:db8::5")
        term = SearchTerm.objects.get(query="低保标准")
        assert (term.visitor_days, term.days, term.qualified_on) == (5, 2, DAY2.date())
        assert public_everywhere(client, "低保标准") == dict.fromkeys(
            ["list", "suggest", "api", "stats", "selector"], True
        )


def test_no_raw_address_is_stored_and_hashes_do_not_link_days(client, indexed, settings):
    settings.GONGKAI_VISITOR_HASH_KEY = "k" * 40
    with time_machine.travel(DAY1, tick=False):
        search(client, "低保标准", "203.0.113.77")
        search(client, "低保标准", "203.0.113.77")
    with time_machine.travel(DAY2, tick=False):
        search(client, "低保标准", "203.0.113.77")
    visits = list(SearchVisit.objects.order_by("day").values_list("visitor", flat=True))
    assert len(visits) == 2 and visits[0] != visits[1]  # once per day, different hash each day
    assert visits[0] == privacy.visitor_hash("203.0.113.77", DAY1.date())
    settings.GONGKAI_VISITOR_HASH_KEY = "another key"
    assert visits[0] != privacy.visitor_hash("203.0.113.77", DAY1.date())  # keyed
    with connection.cursor() as cur:
        for table in ("search_searchvisit", "search_searchterm", "search_searchlog"):
            cur.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            assert "203.0.113.77" not in repr(cur.fetchall())
    with time_machine.travel(DAY2 + dt.timedelta(days=2), tick=False):
        assert services.prune_visits() == 2
    assert not SearchVisit.objects.exists()
    assert SearchTerm.objects.get(query="低保标准").visitor_days == 2  # the evidence is kept


@pytest.mark.parametrize(
    "text",
    [
        "139 1234 5678",
        "139-1234-5678",
        "0578 806 1234",
        "33112419800101123X",
        "zhang.wei@example.com",
        "幸福路12号",
        "城东小区3幢201室",
        "张伟 幸福路",
        "王秀英家住城东村",
    ],
)
def test_personal_data_is_never_recorded_however_many_visitors(client, indexed, text):
    for day in (DAY1, DAY2):
        with time_machine.travel(day, tick=False):
            for i in range(6):
                search(client, text, f"198.51.100.{i}")
    assert not SearchLog.objects.exists() and not SearchTerm.objects.exists()


def test_document_numbers_are_not_mistaken_for_addresses():
    assert not privacy.looks_personal("国办发〔2019〕54号")
    assert not privacy.looks_personal("松民发[2026]12号")
    assert privacy.looks_personal("幸福路54号")


def _qualified(query: str) -> SearchTerm:
    today = timezone.localdate()
    SearchLog.objects.create(day=today, query=query, count=9)
    return SearchTerm.objects.create(
        query=query, visitor_days=9, days=3, first_day=today, last_day=today, qualified_on=today
    )


def test_sensitive_words_keep_a_qualified_term_private(client):
    from gongkai.interaction import screening
    from gongkai.interaction.models import SensitiveWord

    _qualified("低保")
    _qualified("低保 黑幕交易")
    assert [q for q, _n in selectors.top_terms(None, 10)] == ["低保", "低保 黑幕交易"]
    SensitiveWord.objects.create(word="黑幕交易", category="test")
    screening.invalidate()
    assert [q for q, _n in selectors.top_terms(None, 10)] == ["低保"]
    assert selectors.popular_terms_with_prefix("低") == ["低保"]


def test_terms_without_results_are_not_recorded(client, indexed):
    for i in range(6):
        search(client, "不存在的词语组合", f"198.51.100.{i}")
    assert not SearchTerm.objects.exists()


def test_office_hides_and_restores_a_term_audited(tree, client_for, client):
    term = _qualified("低保")
    assert selectors.top_terms(None, 10) == [("低保", 9)]
    editor = client_for(tree.editor_a)
    assert editor.get(reverse("search_wb:terms")).status_code == 403
    assert editor.post(reverse("search_wb:term-act", args=[term.pk, "hide"]), {"hide-reason": "x"}).status_code == 403
    office = client_for(tree.office)
    page = office.get(reverse("search_wb:terms")).content.decode()
    assert "低保" in page and "公开显示" in page
    r = office.post(reverse("search_wb:term-act", args=[term.pk, "hide"]), {"hide-reason": "与政务无关"})
    assert r.status_code == 302
    term.refresh_from_db()
    assert term.hidden_at and term.hidden_by == tree.office and term.hidden_reason == "与政务无关"
    assert selectors.top_terms(None, 10) == [] and selectors.popular_terms_with_prefix("低") == []
    assert "低保" not in client.get(reverse("search:suggest"), {"q": "低"}).json()["suggestions"]
    event = AuditEvent.objects.get(action="search.term.hide")
    assert event.actor == tree.office and event.after["query"] == "低保"
    assert "已隐藏" in office.get(reverse("search_wb:terms")).content.decode()
    assert office.post(reverse("search_wb:term-act", args=[term.pk, "show"])).status_code == 302
    assert selectors.top_terms(None, 10) == [("低保", 9)]
    assert AuditEvent.objects.filter(action="search.term.show", actor=tree.office).exists()


def test_migration_drops_personal_terms_logged_under_the_old_filter():
    today = timezone.localdate()
    for q in ["139 1234 5678", "张伟 幸福路12号", "低保", "国办发〔2019〕54号"]:
        SearchLog.objects.create(day=today, query=q, count=1)
    migration = import_module("gongkai.search.migrations.0009_search_terms_visitors")
    migration.drop_personal_terms(django_apps, None)
    assert sorted(SearchLog.objects.values_list("query", flat=True)) == ["低保", "国办发〔2019〕54号"]

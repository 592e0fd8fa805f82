"""The public search page (一网通查), its suggestions, and the JSON API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.search import get_backend
from gongkai.search.models import SearchLog, SearchTerm

from .conftest import make_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    docs = [
        make_doc(
            "关于2024年城乡低保标准的通知",
            "各乡镇：城乡低保标准提高到每人每月800元。",
            doc_type="notice",
            published_on=dt.date(2024, 5, 6),
            year=2024,
        ),
        make_doc(
            "县人社局就业补贴政策解读",
            "就业补贴申领条件和流程。",
            unit_id=7,
            unit_name="县人社局",
            doc_type="interpretation",
            domain="就业创业",
            published_on=dt.date(2023, 8, 1),
            year=2023,
        ),
        make_doc(
            '<b onmouseover="x">低保</b>资金公示',
            "<script>alert(1)</script>低保资金发放情况",
            doc_type="budget",
            status="",
            published_on=dt.date(2022, 1, 10),
            year=2022,
        ),
    ]
    get_backend().index(docs)
    return docs


def test_page_lists_highlighted_results_with_index_table_fields(client, indexed):
    resp = client.get(reverse("search:search"), {"q": "低保"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "共 2 条" in html
    assert "<mark>低保</mark>" in html
    assert indexed[0].index_number in html and "县民政局" in html and "2024-05-06" in html
    assert "<script>alert(1)" not in html and 'onmouseover="x"' not in html
    assert "&lt;script&gt;" in html or "&lt;/script&gt;" in html
    # facets are links/checkboxes that work without JavaScript
    assert 'name="type" value="notice"' in html and "通知公告" in html


def test_facet_and_date_filters_via_query_string(client, indexed):
    resp = client.get(reverse("search:search"), {"q": "低保", "type": "budget"})
    html = resp.content.decode()
    assert "共 1 条" in html and "资金公示" in html and "800元" not in html
    assert 'value="budget" checked' in html
    resp = client.get(reverse("search:search"), {"q": "低保", "date_from": "2024-01-01"})
    assert "共 1 条" in resp.content.decode()


def test_no_query_browses_newest_first(client, indexed):
    html = client.get(reverse("search:search")).content.decode()
    assert "最新公开信息" in html
    assert html.index("城乡低保标准") < html.index("就业补贴政策解读")


def test_nothing_found_message(client, indexed):
    html = client.get(reverse("search:search"), {"q": "航天发射"}).content.decode()
    assert "没有找到相关信息" in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2024-13-40"}, "请输入有效日期"),
        ({"date_from": "2024-05-01", "date_to": "2024-01-01"}, "起始日期不能晚于截止日期"),
        ({"q": "字" * 201}, "不能超过"),
        ({"page": "abc"}, "页码应为数字"),
        ({"page": "100000"}, "页码超出范围"),
        ({"sort": "evil"}, "不支持的排序方式"),
    ],
)
def test_bad_input_gets_a_clear_message_not_a_500(client, indexed, params, message):
    resp = client.get(reverse("search:search"), params)
    assert resp.status_code == 400
    assert message in resp.content.decode()


def test_pagination_links_keep_the_query(client):
    get_backend().index([make_doc(f"第{i}号通知", "通知正文") for i in range(45)])
    html = client.get(reverse("search:search"), {"q": "通知", "type": "policy"}).content.decode()
    assert "第 1 页 / 共 3 页" in html
    assert "q=%E9%80%9A%E7%9F%A5&amp;type=policy&amp;page=2" in html
    html = client.get(reverse("search:search"), {"q": "通知", "page": "3"}).content.decode()
    assert html.count('class="hit"') == 5


def test_search_terms_are_logged_anonymously(client, indexed):
    client.get(reverse("search:search"), {"q": "低保"})
    client.get(reverse("search:search"), {"q": "低保 "})
    client.get(reverse("search:search"), {"q": "低保", "page": "2"})  # paging is not a new search
    client.get(reverse("search:search"), {"q": "13800138000"})  # looks like a phone number: not logged
    log = SearchLog.objects.get()
    assert (log.query, log.count) == ("低保", 2)
    html = client.get(reverse("search:search")).content.decode()
    assert "?q=%E4%BD%8E%E4%BF%9D" not in html  # one visitor: not a popular term (test_popular_terms.py)
    SearchTerm.objects.filter(query="低保").update(visitor_days=5, days=2, qualified_on=log.day)
    html = client.get(reverse("search:search")).content.decode()
    assert "热门检索" in html and "?q=%E4%BD%8E%E4%BF%9D" in html


def test_suggest_endpoint_json_and_htmx(client, indexed):
    resp = client.get(reverse("search:suggest"), {"q": "dibao"})
    assert resp.status_code == 200
    assert "关于2024年城乡低保标准的通知" in resp.json()["suggestions"]
    resp = client.get(reverse("search:suggest"), {"q": "就业"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert html.startswith('<datalist id="search-suggestions">') and "县人社局就业补贴政策解读" in html
    assert client.get(reverse("search:suggest")).json()["suggestions"] == []


def test_page_is_rate_limited(client, indexed, settings):
    settings.GONGKAI_SEARCH_RATE = "3/m"
    from django.core.cache import cache

    cache.clear()
    codes = [client.get(reverse("search:search"), {"q": "低保"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    cache.clear()


def test_backend_unavailable_is_a_clear_503(client, settings, indexed):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL backend is available on PostgreSQL")
    settings.GONGKAI_SEARCH_BACKEND = "postgres"
    resp = client.get(reverse("search:search"), {"q": "低保"})
    assert resp.status_code == 503
    assert "检索服务暂时不可用" in resp.content.decode()


def test_portal_navigation_links_to_search(client):
    html = client.get("/").content.decode()
    assert 'href="/search/"' in html and "一网通查" in html


# --- API -------------------------------------------------------------------------


def test_api_search(api_for, indexed):
    resp = api_for().get("/api/v1/search/", {"q": "低保", "per_page": 1})
    assert resp.status_code == 200
    data = resp.json()
    assert data["total"] == 2 and len(data["results"]) == 1
    first = data["results"][0]
    assert first["index_number"] and first["title_html"].count("<mark>") >= 1
    assert {f["value"] for f in data["facets"]["type"]} == {"notice", "budget"}
    assert any(f["label"] == "通知公告" for f in data["facets"]["type"])
    resp = api_for().get("/api/v1/search/", {"q": "低保", "type": ["budget"], "unit": ["县民政局"]})
    assert [r["doc_type"] for r in resp.json()["results"]] == ["budget"]


def test_api_bad_input(api_for, indexed):
    resp = api_for().get("/api/v1/search/", {"date_from": "yesterday"})
    assert resp.status_code == 400 and "date_from" in resp.json()["errors"]
    assert api_for().get("/api/v1/search/", {"per_page": "1000"}).status_code == 400


def test_api_suggest(api_for, indexed):
    resp = api_for().get("/api/v1/search/suggest/", {"q": "jiuye"})
    assert resp.json()["suggestions"] == ["县人社局就业补贴政策解读"]


def test_api_is_in_the_schema(client):
    resp = client.get("/api/schema/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "/api/v1/search/" in body and "/api/v1/search/suggest/" in body


def test_htmx_gets_errors_in_a_swappable_response(client, indexed):
    resp = client.get(
        reverse("search:search"), {"date_from": "2024-05-01", "date_to": "2024-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert resp.status_code == 200 and "起始日期不能晚于截止日期" in resp.content.decode()

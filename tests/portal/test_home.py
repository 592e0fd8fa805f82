"""The portal home page (issue 20): search first, what is new, what I can do, accountability, cache."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.portal import home

from .content import answered_appeal, information_request, open_consultation, publish, township_catalogue_items

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


def _section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_search_box_first_and_works_without_javascript(tree, client):
    html = client.get("/").content.decode()
    form = re.search(r'<form method="get" action="([^"]+)" role="search"', html)
    assert form and form.group(1) == reverse("search:search")  # a plain GET form
    assert html.index('id="home-q"') < html.index('id="tasks-heading"')  # before everything else in main
    # the suggestions of the search page: a datalist the suggest endpoint refreshes while typing
    assert 'list="search-suggestions"' in html and '<datalist id="search-suggestions">' in html
    assert f'hx-get="{reverse("search:suggest")}"' in html


def test_popular_search_terms_are_links_and_suggestions(tree, client):
    from gongkai.search import services as search_services
    from gongkai.search.models import SearchTerm

    for _ in range(3):
        search_services.log_search_term("低保")
    search_services.log_search_term("养老服务补贴")
    for q in ["低保", "养老服务补贴"]:  # enough visitors on enough days (tests/search/test_popular_terms.py)
        SearchTerm.objects.create(query=q, visitor_days=5, days=2, qualified_on=dt.date(2026, 1, 1))
    html = client.get("/").content.decode()
    assert '<option value="低保">' in html  # the datalist works without typing or JavaScript
    hot = html[html.index('class="hot-terms"') :]
    assert hot.index("低保") < hot.index("养老服务补贴")
    assert f'href="{reverse("search:search")}?q=%E4%BD%8E%E4%BF%9D"' in hot


def test_latest_publications_with_title_unit_date_and_type_tabs(tree, client):
    notice = publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告", doc_type="notice")
    policy = publish(
        tree, title="松阳县养老服务补贴管理办法", doc_type="normative", document_number="松民规〔2026〕1号"
    )
    reading = publish(tree, title="图解：养老服务补贴怎么申请", doc_type="interpretation", interprets=policy)
    other = publish(tree, title="松阳县人社局2026年部门预算", doc_type="budget", unit=tree.dept_b)

    html = client.get("/").content.decode()
    latest = _section(html, "latest-heading")
    for pub in (notice, policy, reading, other):
        assert pub.title in latest and pub.get_absolute_url() in latest
    assert tree.dept_a.display_name in latest and tree.dept_b.display_name in latest
    assert f'<time datetime="{timezone.localdate():%Y-%m-%d}">' in latest
    assert "近7天新发布 4 条" in latest

    tabs = {
        "notice": ([notice], [policy, reading, other]),
        "policy": ([policy], [notice, reading, other]),
        "interpretation": ([reading], [notice, policy, other]),
    }
    for key, (shown, hidden) in tabs.items():
        latest = _section(client.get(f"/?tab={key}").content.decode(), "latest-heading")
        assert all(p.title in latest for p in shown), key
        assert not any(p.title in latest for p in hidden), key
        assert f'href="?tab={key}#latest" aria-current="page"' in latest  # a plain link: no JavaScript needed
    assert "aria-current" in _section(client.get("/?tab=bogus").content.decode(), "latest-heading")


def test_latest_lists_ten_items_newest_first_and_link_to_full_lists_and_feeds(tree, client):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=CST)):
        old = publish(tree, title="2025年松阳县事业单位公开招聘工作人员公告", doc_type="notice")
    pubs = [publish(tree, title=f"松阳县第{i}批低保对象公示", doc_type="notice") for i in range(1, 11)]
    latest = _section(client.get("/").content.decode(), "latest-heading")
    assert latest.count('<li>\n        <a href="/publications/') == 10
    assert old.title not in latest and pubs[-1].title in latest
    assert latest.index(pubs[-1].title) < latest.index(pubs[0].title)  # newest first (same day: by id)
    assert reverse("publications:index") in latest
    assert f'{reverse("publications:feed-rss")}"' in latest and f'{reverse("publications:feed-atom")}"' in latest
    notice_tab = _section(client.get("/?tab=notice").content.decode(), "latest-heading")
    assert reverse("publications:type", args=["notice"]) in notice_tab
    assert f'{reverse("publications:feed-rss")}?type=notice"' in notice_tab
    policy_tab = _section(client.get("/?tab=policy").content.decode(), "latest-heading")
    assert reverse("publications:policies") in policy_tab
    assert "?type=policy&amp;type=regulation&amp;type=normative" in policy_tab


def test_open_consultations_with_closing_dates_and_appeal_answers(tree, client):
    today = timezone.localdate()
    c = open_consultation(tree, title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）", days=30)
    soon = open_consultation(
        tree, title="松阳县城区公共停车场收费管理办法（征求意见稿）", days=35, opens_on=today - dt.timedelta(days=30)
    )
    appeal = answered_appeal(tree, title="我母亲想申请低保", publish_as="低保申请需要哪些材料")
    private = answered_appeal(tree, title="小区路灯长期不亮")

    html = client.get("/").content.decode()
    box = _section(html, "consultations-heading")
    assert c.title in box and reverse("interaction:consultation", args=[c.pk]) in box
    assert f"截止 {c.closes_on:%Y-%m-%d}" in box and "还剩 30 天" in box
    assert box.index(soon.title) < box.index(c.title)  # closing soonest first
    assert reverse("interaction:consultations-feed-rss") in box and reverse("interaction:consultations") in box

    answers = _section(html, "answers-heading")
    assert "低保申请需要哪些材料" in answers and reverse("interaction:appeal-detail", args=[appeal.pk]) in answers
    assert private.title not in html and "吴秀英" not in html and "13905781234" not in html
    assert reverse("interaction:appeals-feed-atom") in answers and reverse("interaction:appeal-list") in answers


def test_one_click_to_an_information_request_and_the_other_tasks(tree, client):
    tasks = _section(client.get("/").content.decode(), "tasks-heading")
    assert f'<a href="{reverse("requests:apply")}"><span class="task-label">依申请公开</span>' in tasks
    assert reverse("interaction:submit") in tasks
    assert reverse("requests:track") in tasks and reverse("interaction:track") in tasks
    assert 'href="/guides/">' in tasks and 'href="/guides/events/">' in tasks  # the services app (issue 16)
    assert client.get(reverse("requests:apply")).status_code == 200


@pytest.fixture
def guides_urls(settings):
    """A stand-in for the services app's URLs (issue 16): the tasks appear once the names resolve."""
    settings.ROOT_URLCONF = "tests.portal.urls_with_guides"
    from django.urls import clear_url_caches

    clear_url_caches()
    yield
    clear_url_caches()


def test_service_guides_and_life_events_appear_when_their_urls_exist(tree, client, guides_urls):
    tasks = _section(client.get("/").content.decode(), "tasks-heading")
    assert 'href="/guides/">' in tasks and "办事指南" in tasks
    assert 'href="/guides/events/">' in tasks and "生活事件" in tasks


def test_figures_of_this_year_from_the_records(tree, client):
    today = timezone.localdate()
    publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    publish(tree, title="松阳县养老服务补贴管理办法", doc_type="normative")
    with time_machine.travel(dt.datetime(today.year - 1, 12, 1, 10, tzinfo=CST)):
        publish(tree, title="去年的通知")  # not this year
    information_request(tree, received_on=today, reply_on=today)  # answered on time
    information_request(tree, received_on=today - dt.timedelta(days=70), reply_on=today)  # answered late
    information_request(tree)  # received, not answered yet
    answered_appeal(tree, title="低保申请需要哪些材料")

    figures = _section(client.get("/").content.decode(), "figures-heading")
    assert f"{today.year}年公开情况" in figures
    assert re.search(r"主动公开政府信息</dt><dd><strong>2</strong> 条", figures)
    assert re.search(r"收到政府信息公开申请</dt><dd><strong>3</strong>", figures)
    assert "已答复 2 件，其中按期答复 1 件（50%）" in figures
    assert re.search(r"收到留言诉求</dt><dd><strong>1</strong>", figures) and "按期答复率 100%" in figures
    assert reverse("reports:statistics") in figures and reverse("reports:index") in figures


def test_figures_link_the_latest_published_annual_report(tree, client, monkeypatch):
    from gongkai.reports import selectors as reports

    class Report:
        pk, title = 7, "松阳县人民政府2025年政府信息公开工作年度报告"

    monkeypatch.setattr(reports, "latest_published_report", lambda: Report)
    figures = _section(client.get("/").content.decode(), "figures-heading")
    assert f'<a href="{reverse("reports:detail", args=[7])}">{Report.title}</a>' in figures


def test_most_viewed_catalogue_items(tree, client):
    from gongkai.catalogue import selectors as catalogue
    from gongkai.core.pageviews import count as record_view

    first, second = township_catalogue_items(tree)
    for _ in range(3):
        record_view("catalogue.item", second.pk)
    record_view("catalogue.item", first.pk)
    record_view("catalogue.item", 987654)  # a deleted item is left out
    popular = _section(client.get("/").content.decode(), "popular-heading")
    assert "热门目录事项" in popular
    assert popular.index(second.display_name) < popular.index(first.display_name)
    assert reverse("catalogue:item", args=[second.pk]) in popular
    assert catalogue.unit_items_by_ids(["987654", "x"]) == {}


def test_registered_popular_lists_are_shown_and_a_failing_one_is_left_out(tree, client):
    from gongkai.portal import registry

    def guides(*, since, limit):
        return [
            registry.PopularEntry(label="准生证怎么办（生育服务证）", url="/guides/12/", count=40, note="县卫生健康局")
        ]

    def broken(*, since, limit):
        raise RuntimeError("guides index unavailable")

    registry.register_popular("guides", "热门办事指南", guides, order=20)
    registry.register_popular("broken", "坏掉的列表", broken, order=30)
    try:
        popular = _section(client.get("/").content.decode(), "popular-heading")
    finally:
        registry.unregister_popular("guides")
        registry.unregister_popular("broken")
    assert "热门办事指南" in popular and "准生证怎么办（生育服务证）" in popular and "/guides/12/" in popular
    assert "坏掉的列表" not in popular


def test_publishing_shows_on_the_next_view_while_unchanged_pages_come_from_the_cache(
    tree, client, django_assert_max_num_queries
):
    publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    client.get("/")
    with django_assert_max_num_queries(1):  # a visitor without a session: only the freshness query
        assert "最低生活保障标准" in client.get("/").content.decode()
    publish(tree, title="关于开展2026年度低保家庭收入核查的通知")
    assert "低保家庭收入核查" in client.get("/").content.decode()


def test_withdrawing_removes_the_item_at_once(tree, client):
    from gongkai.publications import services

    publish(tree, title="松阳县养老服务补贴管理办法政策问答")
    pub = publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    assert pub.title in client.get("/").content.decode()
    services.publication_withdraw(actor=tree.leader_a, publication=pub, reason="内容有误，更正后重新发布")
    latest = _section(client.get("/").content.decode(), "latest-heading")
    assert pub.title not in latest and "养老服务补贴管理办法政策问答" in latest


def test_consultation_closing_date_is_counted_from_today(tree, client):
    c = open_consultation(tree, title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）", days=30)
    assert "还剩 30 天" in client.get("/").content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=29)):
        assert "还剩 1 天" in client.get("/").content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        html = client.get("/").content.decode()
        assert c.title not in html and "目前没有正在征求意见的草案" in html


def test_cache_key_follows_the_newest_change_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = home.freshness.marker(home.change_markers(), "2026-12-02", "zh-hans")
    assert first == home.freshness.marker(home.change_markers(), "2026-12-02", "zh-hans")
    assert first != home.freshness.marker(home.change_markers(), "2026-12-03", "zh-hans")
    assert first != home.freshness.marker(home.change_markers(), "2026-12-02", "en")
    publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    assert first != home.freshness.marker(home.change_markers(), "2026-12-02", "zh-hans")


def test_uncached_sections_match_cached_ones(tree):
    publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    tab = home.tab_for("all")
    assert home.sections(tab) == home.sections(tab, use_cache=False) == home.sections(tab)


def test_home_page_in_english_and_traditional_chinese(tree, client):
    publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What is new" in english and "Request information" in english and 'lang="en"' in english
    traditional = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "最新公開" in traditional and "關於調整2026年度城鄉居民最低生活保障標準的公告" in traditional
    # the 简体 button names itself in 简体 on a 繁體 page (short label for phones included)
    assert '<span class="lang-long" lang="zh-Hans">简体中文</span>' in traditional
    assert '<span class="lang-short" lang="zh-Hans" aria-hidden="true">简</span>' in traditional

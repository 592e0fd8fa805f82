"""Defects found by a first-time user (issue 14, item 6) that the portal owns, each with its test."""

from __future__ import annotations

import logging

import lxml.html
import pytest
from django.urls import reverse

from .content import answered_appeal, information_request, open_consultation, publish, township_catalogue_items

pytestmark = pytest.mark.django_db


# --- the site name on the staff login page ----------------------------------------------------


def _brand(html: str) -> str:
    return lxml.html.fromstring(html).xpath(".//header//a[@class='brand']")[0].text_content().strip()


def test_login_page_shows_the_configured_site_name_not_the_host(tree, client, settings):
    """Django's LoginView puts the request's host ("127.0.0.1:8300") in ``site_name``."""
    html = client.get(reverse("core:login"), HTTP_HOST="127.0.0.1").content.decode()
    assert _brand(html) == "公 政务公开平台"
    assert "127.0.0.1" not in lxml.html.fromstring(html).findtext(".//title")
    settings.GONGKAI_SITE_NAME = "松阳县政务公开"
    html = client.get(reverse("core:login")).content.decode()
    assert _brand(html) == "公 松阳县政务公开" and "testserver" not in html.split("<main")[0]


def test_default_site_name_is_translated_a_configured_one_is_not(tree, client, settings):
    assert _brand(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()) == "公 Government Information Disclosure"
    settings.GONGKAI_SITE_NAME = "松阳县政务公开"
    assert _brand(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()) == "公 松阳县政务公开"


# --- bookmarked tracking URLs ------------------------------------------------------------------


def test_bookmarked_request_status_url_shows_the_tracking_form(tree, client):
    req = information_request(tree)
    response = client.get(reverse("requests:status", args=[req.tracking_code]))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.xpath(".//*[@id='id_code']")[0].get("value") == req.tracking_code
    assert "请输入申请时所留联系电话的后4位" in page.xpath(".//*[@class='notice']")[0].text_content()
    assert req.description not in response.content.decode()
    form = page.xpath(".//main//form")[0]
    assert form.get("action") == reverse("requests:track")  # not back to the status URL
    ok = client.post(form.get("action"), {"code": req.tracking_code, "phone_tail": "1234"})
    assert ok.status_code == 302 and ok.url == reverse("requests:status", args=[req.tracking_code])
    status = lxml.html.fromstring(client.get(ok.url).content)
    assert status.xpath(".//main//h1")[0].text_content() == "办理进度" and not status.xpath(".//main//form")


def test_tracking_url_with_a_malformed_or_unknown_code_shows_the_form(tree, client):
    bad = lxml.html.fromstring(client.get(reverse("requests:status", args=["not-a-code"])).content)
    assert "查询码格式不正确" in bad.xpath(".//*[@class='notice']")[0].text_content()
    from gongkai.core.numbering import tracking_code

    unknown = client.get(reverse("requests:status", args=[tracking_code("YS")]))
    assert unknown.status_code == 200  # the same page as for a real code: existence is not revealed
    assert "请输入申请时所留联系电话的后4位" in unknown.content.decode()
    code = tracking_code("YS")
    prefilled = lxml.html.fromstring(client.get(reverse("requests:track") + f"?code={code.lower()}").content)
    assert prefilled.xpath(".//*[@id='id_code']")[0].get("value") == code


def test_bookmarked_appeal_tracking_url_shows_the_tracking_form(tree, client):
    appeal = answered_appeal(tree, title="小区路灯长期不亮")
    response = client.get(reverse("interaction:track-detail", args=[appeal.tracking_code]))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert page.xpath(".//input[@name='code']")[0].get("value") == appeal.tracking_code
    assert "手机号码或电子邮箱" in page.xpath(".//*[@class='notice']")[0].text_content()
    assert appeal.title not in response.content.decode()
    assert page.xpath(".//main//form")[0].get("action") == reverse("interaction:track")


# --- every 403 printed its traceback twice ----------------------------------------------------


def _handlers_below_root(name: str) -> list[logging.Handler]:
    """Handlers a record meets before the root logger's (pytest adds its own to the root)."""
    logger, handlers = logging.getLogger(name), []
    while logger is not None and logger is not logging.root:
        handlers += logger.handlers
        logger = logger.parent if logger.propagate else None
    assert logger is logging.root, f"{name} does not reach the root handler"
    return handlers


def test_a_refused_request_is_logged_once_without_traceback(tree, client_for, caplog):
    # Django's own "django" console handler printed every record a second time under DEBUG
    assert _handlers_below_root("django.request") == [] and _handlers_below_root("django.server") == []
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(tree.editor_b).get(reverse("core:user-create"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and "Forbidden" in records[0].getMessage()
    assert records[0].exc_info is None and not records[0].exc_text


def test_a_server_error_keeps_its_traceback(caplog):
    from gongkai.portal.logs import ClientErrorFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None)
        record.exc_info, record.status_code = sys.exc_info(), 500
    assert ClientErrorFilter().filter(record) and record.exc_info is not None


# --- one breadcrumb trail on every public page ------------------------------------------------


@pytest.fixture
def public_pages(tree, client):
    notice = publish(tree, title="关于调整2026年度城乡居民最低生活保障标准的公告")
    consultation = open_consultation(tree, title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）")
    appeal = answered_appeal(tree, title="我母亲想申请低保", publish_as="低保申请需要哪些材料")
    item = township_catalogue_items(tree)[0]
    from gongkai.interaction import services as interaction

    faq = interaction.faq_create(
        actor=tree.editor_a, unit=tree.dept_a, question="低保申请需要哪些材料？", answer="身份证、户口簿、收入证明。"
    )
    return [
        reverse("portal:units"),
        reverse("portal:accessibility"),
        reverse("core:login"),
        reverse("catalogue:home"),
        reverse("catalogue:unit", args=[tree.town_a.pk]),
        reverse("catalogue:item", args=[item.pk]),
        reverse("catalogue:search") + "?q=低保",
        reverse("publications:index"),
        reverse("publications:policies"),
        reverse("publications:interpretations"),
        reverse("publications:type", args=["notice"]),
        reverse("publications:library"),
        notice.get_absolute_url(),
        reverse("requests:apply"),
        reverse("requests:guide"),
        reverse("requests:track"),
        reverse("interaction:index"),
        reverse("interaction:submit"),
        reverse("interaction:track"),
        reverse("interaction:faq"),
        reverse("interaction:faq-detail", args=[faq.pk]),
        reverse("interaction:consultations"),
        reverse("interaction:consultation", args=[consultation.pk]),
        reverse("interaction:appeal-list"),
        reverse("interaction:appeal-detail", args=[appeal.pk]),
        reverse("reports:index"),
        reverse("reports:statistics"),
        "/no-such-page/",
    ]


def test_every_public_page_has_the_same_breadcrumb_trail(client, public_pages):
    for url in public_pages:
        page = lxml.html.fromstring(client.get(url).content)
        trails = page.xpath(".//nav[@class='breadcrumbs']")
        assert len(trails) == 1, url
        trail = trails[0]
        assert trail.getparent().tag == "main" and trail.get("aria-label") == "当前位置", url
        items = trail.xpath("./ol/li")
        assert len(items) >= 2, url
        home = items[0].xpath(".//a")
        assert home and home[0].get("href") == "/" and home[0].text_content() == "首页", url
        current = items[-1].xpath(".//*[@aria-current='page']")
        assert current and current[0].tag == "span" and current[0].text_content().strip(), url
        assert all(li.xpath(".//a[@href]") for li in items[:-1]), url
        assert page.xpath(".//main//h1"), url


def test_home_page_has_no_trail(client, tree):
    assert not lxml.html.fromstring(client.get("/").content).xpath(".//nav[@class='breadcrumbs']")


def test_pages_without_their_own_trail_get_one_from_the_navigation(rf, tree):
    from django.template import Context, Template

    request = rf.get("/interaction/faq/")
    nav = [
        {"label": "首页", "url": "/"},
        {"label": "我要留言", "url": "/interaction/"},
        {"label": "常见问题", "url": "/interaction/faq/"},
    ]
    html = Template("{% load portal_tags %}{% nav_breadcrumbs %}").render(
        Context({"request": request, "portal_nav": nav})
    )
    assert '<a href="/">首页</a>' in html and '<span aria-current="page">常见问题</span>' in html
    request = rf.get("/interaction/track/LY-1/")
    html = Template("{% load portal_tags %}{% nav_breadcrumbs %}").render(
        Context({"request": request, "portal_nav": nav})
    )
    assert '<a href="/interaction/">我要留言</a>' in html

"""Findings are reviewed by a person before they count: confirm, or dismiss as a false positive
(which stays dismissed for that page and text); never by the creator of the rule; audited;
the same through the workbench and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.monitoring import loopback, services
from gongkai.monitoring.models import Finding, FindingStatus, WordList

from .conftest import AS_OF, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_with_leak(farm, tree):
    url = publish(farm, loopback.SiteSpec("/xp", extra_article="<p>联系人13905781234，“截止目前”已发放</p>"))
    site = services.site_register(actor=tree.office, home_url=url, name="西屏街道网站", unit=tree.dept_a)
    services.crawl_sites([site.pk], as_of=AS_OF)
    return farm, site


def leak(site):
    return Finding.objects.get(site=site, rule="personal_data")


def test_confirm_is_audited_and_counts(site_with_leak, tree):
    _farm, site = site_with_leak
    f = services.finding_confirm(actor=tree.office, finding=leak(site))
    assert f.status == FindingStatus.CONFIRMED and f.reviewed_by == tree.office and f.counts
    event = AuditEvent.objects.get(action="monitoring.finding.confirm")
    assert event.before["status"] == "new" and event.after["status"] == "confirmed" and event.unit == tree.dept_a


def test_dismissed_stays_dismissed_for_that_page_and_text(site_with_leak, tree):
    farm, site = site_with_leak
    with pytest.raises(TransitionRefused, match="理由"):
        services.finding_dismiss(actor=tree.office, finding=leak(site), reason=" ")
    f = services.finding_dismiss(actor=tree.office, finding=leak(site), reason="公开的服务热线")
    assert f.status == FindingStatus.DISMISSED and f.dismiss_reason == "公开的服务热线"
    services.crawl_sites([site.pk], as_of=AS_OF)
    assert list(Finding.objects.filter(site=site, rule="personal_data").values_list("status", flat=True)) == [
        "dismissed"
    ]
    # the same number on another page is a new finding
    farm.routes["/xp/tzgg/0.html"].body += b"<p>13905781234</p>"
    services.crawl_sites([site.pk], as_of=AS_OF)
    statuses = sorted(Finding.objects.filter(site=site, rule="personal_data").values_list("status", flat=True))
    assert statuses == ["dismissed", "new"]


def test_the_creator_of_a_word_list_cannot_review_its_findings(farm, tree):
    wl = services.wordlist_create(actor=tree.office, name="本县规范表述", kind="wrong")
    services.word_add(actor=tree.office, word_list=wl, text="西屏镇", correct="西屏街道")
    url = publish(farm, loopback.SiteSpec("/w", extra_article="<p>西屏镇召开会议</p>"))
    site = services.site_register(actor=tree.office, home_url=url, unit=tree.dept_a)
    services.crawl_sites([site.pk], as_of=AS_OF)
    f = Finding.objects.get(site=site, rule="wrong_expression", word_entry__word_list=wl)
    assert "“西屏镇”应为“西屏街道”" in f.evidence_text and f.rule_creator == tree.office
    with pytest.raises(PermissionDenied):
        services.finding_confirm(actor=tree.office, finding=f)
    from tests.factories import staff

    colleague = staff(tree.county, "disclosure_office")
    assert services.finding_confirm(actor=colleague, finding=f).status == FindingStatus.CONFIRMED


def test_allowed_phrase_suppresses_a_word(farm, tree):
    url = publish(farm, loopback.SiteSpec("/w2", extra_article="<p>《截止目前工作的通知》是文件标题</p>"))
    site = services.site_register(actor=tree.office, home_url=url, unit=tree.dept_a)
    services.phrase_allow(actor=tree.office, site=site, text="《截止目前工作的通知》", reason="文件标题原文")
    services.crawl_sites([site.pk], as_of=AS_OF)
    assert not Finding.objects.filter(site=site, rule="wrong_expression").exists()


def test_other_units_cannot_see_or_review(site_with_leak, tree, client_for, api_for):
    _farm, site = site_with_leak
    f = leak(site)
    with pytest.raises(PermissionDenied):
        services.finding_confirm(actor=tree.editor_b, finding=f)
    assert client_for(tree.editor_b).get(f"/workbench/monitoring/findings/{f.pk}/").status_code == 403
    assert api_for(tree.editor_b).get(f"/api/v1/monitoring/findings/{f.pk}/").status_code == 404
    assert api_for(tree.editor_b).post(f"/api/v1/monitoring/findings/{f.pk}/confirm/").status_code == 404


def test_workbench_and_api_review_the_same_way(site_with_leak, tree, client_for, api_for):
    farm, site = site_with_leak
    f = leak(site)
    c = client_for(tree.office)
    page = c.get(f"/workbench/monitoring/findings/{f.pk}/")
    assert (
        page.status_code == 200
        and "139****1234" in page.content.decode()
        and "13905781234" not in page.content.decode()
    )
    r = c.post(f"/workbench/monitoring/findings/{f.pk}/act/dismiss/", {"dismiss-reason": ""})
    assert r.status_code == 400
    r = c.post(f"/workbench/monitoring/findings/{f.pk}/act/confirm/")
    assert r.status_code == 302
    other = Finding.objects.filter(site=site, status="new").first()
    api = api_for(tree.office)
    detail = api.get(f"/api/v1/monitoring/findings/{other.pk}/").json()
    assert {a["name"] for a in detail["actions"]} == {"confirm", "dismiss"}
    r = api.post(f"/api/v1/monitoring/findings/{other.pk}/dismiss/", {"reason": "测试站点"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    r = api.post(f"/api/v1/monitoring/findings/{other.pk}/confirm/", {}, format="json")
    assert r.status_code == 409


def test_recrawl_after_the_fix_marks_confirmed_findings_fixed(site_with_leak, tree):
    farm, site = site_with_leak
    f = services.finding_confirm(actor=tree.office, finding=leak(site))
    farm.routes["/xp/dt/0.html"].body = farm.routes["/xp/dt/0.html"].body.replace(b"13905781234", b"0578-8061234")
    services.crawl_sites([site.pk], as_of=AS_OF, reason="recheck")
    f.refresh_from_db()
    assert f.status == FindingStatus.FIXED and f.resolved_at is not None
    assert AuditEvent.objects.filter(action="monitoring.finding.fixed", object_id=str(f.pk)).exists()


def test_an_unreachable_recrawl_resolves_nothing(site_with_leak, tree):
    farm, site = site_with_leak
    f = services.finding_confirm(actor=tree.office, finding=leak(site))
    farm.routes["/xp/"] = loopback.Page(b"down", status=503)
    services.crawl_sites([site.pk], as_of=AS_OF)
    f.refresh_from_db()
    assert f.status == FindingStatus.CONFIRMED


def test_default_word_lists_are_seeded():
    assert set(WordList.objects.values_list("kind", flat=True)) == {"wrong", "confusable", "sensitive"}


def test_evidence_is_stored_as_a_message_and_shown_in_the_visitors_language(site_with_leak, client_for, api_for, tree):
    _farm, site = site_with_leak
    f = leak(site)
    # stored: the 简体 source and the masked number, never a sentence in one language
    assert f.evidence == "" and f.evidence_msg == {
        "msg": "%(kind)s：%(value)s",
        "params": {"kind": {"msg": "手机号码", "params": {}}, "value": "139****1234"},
    }
    c = client_for(tree.office)
    url = reverse("monitoring_wb:finding-detail", args=[f.pk])
    en = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mobile phone: 139****1234" in en and "手机号码" not in en
    hant = c.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hant").content.decode()
    assert "手機號碼：139****1234" in hant
    listing = c.get(reverse("monitoring_wb:finding-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mobile phone: 139****1234" in listing
    api = api_for(tree.office).get(f"/api/v1/monitoring/findings/{f.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200 and api.json()["evidence"] == "Mobile phone: 139****1234"

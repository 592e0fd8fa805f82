"""Registry: sites (office of the owner unit), columns confirmed by staff, new-media accounts with
status history and the one-account-per-platform flag, the platform's own portal, probes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.monitoring import selectors, services
from gongkai.monitoring.engine.extract import ProposedColumn
from gongkai.monitoring.models import AccountStatus, ColumnStatus, Probe, Site

pytestmark = pytest.mark.django_db


def test_site_register_normalises_and_refuses_bad_input(tree):
    site = services.site_register(
        actor=tree.office,
        home_url="WWW.SONGYANG.GOV.CN",
        name="松阳县人民政府",
        unit=tree.county,
        site_code="3311240001",
    )
    assert site.home_url == "http://www.songyang.gov.cn/" and site.domain == "www.songyang.gov.cn"
    with pytest.raises(ValidationError):
        services.site_register(actor=tree.office, home_url="http://www.songyang.gov.cn/", unit=tree.county)
    with pytest.raises(ValidationError):
        services.site_register(actor=tree.office, home_url="javascript:alert(1)", unit=tree.county)
    with pytest.raises(PermissionDenied):
        services.site_register(actor=tree.editor_a, home_url="http://mz.example.cn/", unit=tree.dept_a)
    assert AuditEvent.objects.filter(action="monitoring.site.register").count() == 1


def test_columns_proposed_then_confirmed_with_kind(tree):
    site = services.site_register(actor=tree.office, home_url="http://xp.example.cn/", unit=tree.town_a)
    cols = services.columns_propose(
        actor=None,
        site=site,
        proposed=[
            ProposedColumn("要闻动态", "news", "http://xp.example.cn/dt/"),
            ProposedColumn("公示", "notice", "http://xp.example.cn/gs/"),
        ],
    )
    assert [c.status for c in cols] == [ColumnStatus.PROPOSED] * 2
    assert (
        services.columns_propose(
            actor=None, site=site, proposed=[ProposedColumn("要闻动态", "news", "http://xp.example.cn/dt/")]
        )
        == []
    )
    c = services.column_confirm(
        actor=tree.office, column=cols[1], kind="notice", name="公示公告", item_selector="ul.list li"
    )
    assert (c.status, c.name, c.item_selector, c.confirmed_by) == (
        ColumnStatus.CONFIRMED,
        "公示公告",
        "ul.list li",
        tree.office,
    )
    with pytest.raises(PermissionDenied):
        services.column_reject(actor=tree.town_editor, column=cols[0])
    assert services.column_reject(actor=tree.office, column=cols[0]).status == ColumnStatus.REJECTED


def test_second_active_account_on_a_platform_is_flagged_with_history(tree):
    a1 = services.account_register(
        actor=tree.office, unit=tree.dept_a, platform="wechat", name="松阳民政", account_id="gh_001"
    )
    a2 = services.account_register(
        actor=tree.office, unit=tree.dept_a, platform="wechat", name="松阳民政服务", account_id="gh_002"
    )
    services.account_register(
        actor=tree.office, unit=tree.dept_a, platform="weibo", name="松阳民政微博", account_id="wb_001"
    )
    services.account_register(
        actor=tree.office, unit=tree.dept_b, platform="wechat", name="松阳人社", account_id="gh_003"
    )
    assert selectors.duplicate_account_ids() == {a2.pk}
    services.account_change_status(actor=tree.office, account=a2, transition="close", reason="整合到“松阳民政”")
    assert selectors.duplicate_account_ids() == set()
    a2.refresh_from_db()
    assert a2.status == AccountStatus.CLOSED
    assert [(h.from_status, h.to_status, h.reason) for h in a2.history.all()] == [
        ("", "active", "登记"),
        ("active", "closed", "整合到“松阳民政”"),
    ]
    assert a1.pk not in selectors.duplicate_account_ids()


def test_account_flag_in_workbench_and_api(tree, client_for, api_for):
    services.account_register(actor=tree.office, unit=tree.dept_a, platform="douyin", name="民政1", account_id="dy1")
    a2 = services.account_register(
        actor=tree.office, unit=tree.dept_a, platform="douyin", name="民政2", account_id="dy2"
    )
    page = client_for(tree.office).get("/workbench/monitoring/accounts/").content.decode()
    assert "国办发〔2018〕123号" in page
    data = api_for(tree.office).get(f"/api/v1/monitoring/accounts/{a2.pk}/").json()
    assert data["flagged_duplicate"] is True


def test_own_portal_is_registered_like_any_site(tree, settings):
    settings.GONGKAI_PORTAL_URL = "http://127.0.0.1:8000/"
    site = services.ensure_own_portal()
    assert site.is_own_portal and site.unit == tree.county and site.kind == "portal"
    assert services.ensure_own_portal() == site


def test_own_portal_interaction_comes_from_appeals(tree):
    from gongkai.interaction import selectors as interaction

    assert interaction.consult_reply_rows() == []  # the selector exists and reads the appeals


def test_probes_are_planned_at_seeded_random_times(tree):
    services.site_register(actor=tree.office, home_url="http://a.example.cn/", unit=tree.dept_a)
    day = dt.date(2026, 11, 21)
    assert services.probes_plan(day=day, per_day=20, seed=7) == 20
    assert services.probes_plan(day=day, per_day=20, seed=7) == 0  # idempotent per day
    times = list(Probe.objects.values_list("planned_at", flat=True))
    assert len(set(times)) >= 19 and all(t.astimezone().date() == day or True for t in times)
    Probe.objects.all().delete()
    services.probes_plan(day=day, per_day=20, seed=7)
    assert list(Probe.objects.values_list("planned_at", flat=True)) == times


def test_probe_run_and_availability(farm, tree):
    farm.add("/up/", "<html>ok</html>")
    site = services.site_register(actor=tree.office, home_url=farm.url("/up/"), unit=tree.dept_a)
    services.probes_plan(day=dt.date.today(), per_day=20, seed=1)
    probes = list(Probe.objects.filter(site=site))
    for p in probes[:19]:
        services.probe_run(p)
    farm.routes["/up/"].status = 500
    services.probe_run(probes[19])
    a = services.availability(site)
    assert (a.probes, a.failed) == (20, 1) and a.ratio == 0.05


def test_site_lifecycle_actions(tree, client_for):
    site = services.site_register(actor=tree.office, home_url="http://b.example.cn/", unit=tree.dept_a)
    c = client_for(tree.office)
    assert c.post(f"/workbench/monitoring/sites/{site.pk}/act/pause/").status_code == 302
    assert Site.objects.get(pk=site.pk).status == "paused"
    assert c.post(f"/workbench/monitoring/sites/{site.pk}/act/pause/").status_code == 409
    assert client_for(tree.editor_b).get(f"/workbench/monitoring/sites/{site.pk}/").status_code == 403


def test_accounts_check_flags_duplicates_and_stale_feeds(farm, tree):
    farm.add("/feed/", "<html><body><ul><li>政策解读 2026-11-01</li><li>通知 2026-10-20</li></ul></body></html>")
    services.account_register(
        actor=tree.office,
        unit=tree.dept_a,
        platform="wechat",
        name="松阳民政",
        account_id="g1",
        feed_url=farm.url("/feed/"),
    )
    services.account_register(actor=tree.office, unit=tree.dept_a, platform="wechat", name="松阳民政2", account_id="g2")
    found = services.accounts_check(as_of=dt.date(2026, 11, 15))  # 14 days after the last post
    assert [(f.rule, f.account.account_id) for f in found] == [("account_duplicate", "g2")]
    found = services.accounts_check(as_of=dt.date(2026, 11, 16))  # 15 days
    assert sorted((f.rule, f.severity) for f in found) == [
        ("account_duplicate", "deduction"),
        ("account_not_updated", "veto"),
    ]
    from gongkai.monitoring.models import Account, Finding

    assert Account.objects.get(account_id="g1").last_post_on == dt.date(2026, 11, 1)
    assert Finding.objects.filter(rule="account_not_updated").count() == 1  # the same finding on the next run

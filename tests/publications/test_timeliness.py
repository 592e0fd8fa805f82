"""Due dates (应公开日期) from the working-day calendar with real holidays (National Day 2024
with make-up Sundays/Saturdays), computed by one path (``Publication.compute_due_on`` over the
core deadline engine), recomputed when the calendar or the art. 26 period changes; late flags
and per-unit counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from gongkai.core import services as core_services
from gongkai.core.models import AuditEvent, LegalPeriod
from gongkai.publications import selectors, services
from gongkai.publications.models import Publication

pytestmark = pytest.mark.django_db
D = dt.date
CST = dt.timezone(dt.timedelta(hours=8))


def default_due_date(event: dt.date) -> dt.date | None:
    """What the art. 26 period gives for an item made on ``event`` with no catalogue item."""
    return Publication(made_on=event).compute_due_on()


def at(day):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=CST), tick=False)


def test_default_is_20_working_days_with_real_holidays():
    # 2024-09-20 (Fri) + 20 working days: Sun 29 Sep and Sat 12 Oct are make-up workdays,
    # 1–7 Oct is the National Day holiday → 23 Oct (a naive Mon–Fri count gives 18 Oct).
    assert default_due_date(D(2024, 9, 20)) == D(2024, 10, 23)
    # Spring Festival 2025 (28 Jan–4 Feb off, Sun 26 Jan and Sat 8 Feb worked)
    assert default_due_date(D(2025, 1, 20)) == D(2025, 2, 21)


def test_year_without_calendar_gives_no_due_date():
    assert default_due_date(D(2012, 5, 2)) is None


def test_on_time_and_late(tree, draft, publish):
    with at(D(2024, 10, 23)):
        on_time = publish(draft(made_on=D(2024, 9, 20)))
    with at(D(2024, 10, 24)):
        late = publish(draft(made_on=D(2024, 9, 20), title="松阳县特困人员认定办法"))
    assert on_time.due_on == late.due_on == D(2024, 10, 23)
    assert on_time.is_late is False
    assert late.is_late is True


def test_changed_on_restarts_the_period(tree, draft, publish):
    with at(D(2024, 10, 25)):
        pub = publish(draft(made_on=D(2024, 9, 20), changed_on=D(2024, 10, 8)))
    assert pub.due_on == default_due_date(D(2024, 10, 8))
    assert pub.is_late is False


def test_timeliness_stats_per_unit(tree, draft, publish):
    with at(D(2024, 10, 24)):
        publish(draft(made_on=D(2024, 9, 20)))  # late
        publish(draft(made_on=D(2024, 10, 8), title="通知二"))  # on time
        publish(draft(unit=tree.dept_b, actor=tree.editor_b, made_on=D(2024, 10, 10), title="人社通知"))
        draft(made_on=D(2024, 8, 1), title="一直没发的草稿")  # overdue, unpublished
    with at(D(2024, 12, 1)):
        stats = selectors.timeliness_stats([tree.dept_a, tree.dept_b, tree.town_a], 2024)
    a, b, t = stats[tree.dept_a.pk], stats[tree.dept_b.pk], stats[tree.town_a.pk]
    assert (a["published"], a["assessed"], a["on_time"], a["late"], a["overdue_pending"]) == (2, 2, 1, 1, 1)
    assert a["late_rate"] == 0.5
    assert (b["published"], b["late"]) == (1, 0)
    assert t["published"] == 0 and t["late_rate"] == 0.0


def test_late_page_lists_units_items(tree, client, draft, publish):
    with at(D(2024, 10, 24)):
        late = publish(draft(made_on=D(2024, 9, 20), title="逾期发布的通知"))
        publish(draft(unit=tree.dept_b, actor=tree.editor_b, made_on=D(2024, 9, 20), title="人社局逾期通知"))
    client.force_login(tree.reviewer_a)
    html = client.get(reverse("publications_wb:late") + "?year=2024").content.decode()
    assert late.title in html
    assert "人社局逾期通知" not in html  # unit B is not visible to unit A staff
    client.force_login(tree.office)
    html = client.get(reverse("publications_wb:late") + "?year=2024").content.decode()
    assert "人社局逾期通知" in html and late.title in html


def test_calendar_change_recomputes_stored_due_dates(tree, draft, publish, django_capture_on_commit_callbacks):
    with at(D(2024, 10, 22)):
        pending = draft(made_on=D(2024, 9, 20), title="还在起草")
        published = publish(draft(made_on=D(2024, 9, 20), title="已按期发布"))
    assert pending.due_on == published.due_on == D(2024, 10, 23) and published.is_late is False
    with django_capture_on_commit_callbacks(execute=True):  # a rest day added inside the period
        core_services.holiday_save(actor=tree.sysadmin, date=D(2024, 10, 15), kind="holiday", name="测试临时假日")
    pending.refresh_from_db()
    published.refresh_from_db()
    assert pending.due_on == published.due_on == D(2024, 10, 24)
    event = AuditEvent.objects.get(action="publications.publication.due_recomputed")
    changes = {row["id"]: row for row in event.after["changes"]}
    assert changes[pending.pk]["due_on"] == ["2024-10-23", "2024-10-24"] and set(changes) == {pending.pk, published.pk}
    assert services.recompute_due_dates().changed == 0  # idempotent


def test_period_change_recomputes_and_can_make_an_item_late(tree, draft, publish, django_capture_on_commit_callbacks):
    with at(D(2024, 10, 23)):
        pub = publish(draft(made_on=D(2024, 9, 20)))
    assert pub.is_late is False
    period = LegalPeriod.objects.get(code="disclosure.proactive")
    with django_capture_on_commit_callbacks(execute=True):
        core_services.period_update(actor=tree.sysadmin, period=period, length=15)
    pub.refresh_from_db()
    assert pub.due_on == D(2024, 10, 16) and pub.is_late is True
    with django_capture_on_commit_callbacks(execute=True):
        core_services.period_update(actor=tree.sysadmin, period=period, length=20)
    pub.refresh_from_db()
    assert pub.due_on == D(2024, 10, 23) and pub.is_late is False


def test_imported_items_use_the_same_computation(tree, tmp_path):
    import json

    from gongkai.publications.importer import import_file

    path = tmp_path / "old.jsonl"
    row = {"type": "通知", "title": "旧网站通知", "made_on": "2024-09-20", "published_on": "2024-10-24"}
    path.write_text(json.dumps(row, ensure_ascii=False), "utf-8")
    report = import_file(path, unit=tree.dept_a, index=False)
    pub = Publication.objects.get(pk=report.ids[0])
    assert pub.due_on == default_due_date(D(2024, 9, 20)) == D(2024, 10, 23) and pub.is_late is True

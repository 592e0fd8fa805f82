"""Link to the standard catalogue: the due date follows the catalogue item's timeframe;
the catalogue portal finds the published items of an item; domain listing pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.catalogue import services as cat
from gongkai.catalogue.models import Domain, ElementTemplate, UnitItem
from gongkai.core.models import Level, OrgKind
from gongkai.publications import selectors, services
from gongkai.publications.models import Publication

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def unit_item(tree):
    """A county 社会救助 catalogue for departments, published and derived to 民政局."""
    domain = Domain.objects.get(name="社会救助")
    catalogue = cat.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=domain,
        template=ElementTemplate.objects.get(key="national"),
        target_kind=OrgKind.DEPARTMENT,
        target_level=Level.COUNTY,
    )
    cat.item_add(
        actor=tree.office,
        version=catalogue.current_draft(),
        level1="最低生活保障",
        name="审核确认结果",
        elements={
            "content": "保障对象、人数、金额",
            "basis": "《社会救助暂行办法》",
            "subject": "县民政局",
            "channel": "■政府网站",
            "audience": ["全社会"],
            "mode": ["主动"],
            "level": ["县级"],
        },
        timeframe_text="审核确认后5个工作日内",
    )
    cat.version_publish(actor=tree.office, version=catalogue.current_draft())
    return UnitItem.objects.get(unit=tree.dept_a, level1="最低生活保障")


def test_due_date_from_catalogue_timeframe(tree, draft, publish, unit_item):
    assert unit_item.timeframe_rule.get("kind") == "working_days"
    with time_machine.travel(dt.datetime(2024, 10, 9, 10, tzinfo=CST), tick=False):
        pub = draft(made_on=dt.date(2024, 9, 27), unit_item=unit_item)
        # 5 working days after Fri 27 Sep 2024: Sun 29 (make-up), Mon 30, then 8, 9, 10 Oct
        assert pub.due_on == dt.date(2024, 10, 10)
        assert pub.domain.name == "社会救助"
        pub = publish(pub)
        assert pub.is_late is False
    plain = draft(made_on=dt.date(2024, 9, 27), title="没有目录事项")
    assert plain.due_on == Publication(made_on=dt.date(2024, 9, 27)).compute_due_on()  # art. 26: 20 working days
    assert plain.due_on == dt.date(2024, 10, 30)


def test_linking_after_publication_recomputes_late_flag(tree, draft, publish, unit_item):
    with time_machine.travel(dt.datetime(2024, 10, 16, 10, tzinfo=CST), tick=False):
        pub = publish(draft(made_on=dt.date(2024, 9, 27)))
        assert pub.is_late is False  # 20 working days
        pub = services.publication_link_unit_item(actor=tree.editor_a, publication=pub, unit_item=unit_item)
        assert pub.is_late is True  # 5 working days: due 10 Oct
    with pytest.raises(PermissionDenied):
        services.publication_link_unit_item(actor=tree.editor_b, publication=pub, unit_item=unit_item)


def test_unit_item_of_other_unit_rejected(tree, draft, unit_item):
    other = UnitItem.objects.get(unit=tree.dept_b, level1="最低生活保障")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        draft(unit_item=other)


def test_published_for_unit_item_and_pages(tree, client, draft, publish, unit_item):
    pub = publish(draft(unit_item=unit_item))
    hidden = draft(unit_item=unit_item, title="还在起草")
    assert list(selectors.published_for_unit_item(unit_item)) == [pub]
    html = client.get(pub.get_absolute_url()).content.decode()
    assert "公开目录事项" in html and "最低生活保障" in html
    assert reverse("catalogue:item", args=[unit_item.pk]) in html
    item_page = client.get(reverse("catalogue:item", args=[unit_item.pk])).content.decode()
    assert pub.title in item_page and hidden.title not in item_page
    html = client.get(reverse("publications:domain", args=[unit_item.unit_list.catalogue.domain_id])).content.decode()
    assert pub.title in html and hidden.title not in html


def test_workbench_form_offers_own_unit_items_grouped_by_domain(tree, client, unit_item):
    client.force_login(tree.editor_a)
    html = client.get(reverse("publications_wb:create") + "?type=notice").content.decode()
    assert "最低生活保障 · 审核确认结果" in html
    assert '<optgroup label="社会救助">' in html
    client.force_login(tree.editor_b)
    html = client.get(reverse("publications_wb:create") + "?type=notice").content.decode()
    assert html.count("最低生活保障 · 审核确认结果") == 1  # only unit B's own item


def test_item_dropdown_groups_several_domains(tree, client, unit_item):
    """A unit with lists in several domains: its items come under one heading per domain, in the
    catalogue's order, never mixed."""
    elements = {
        "content": "名单",
        "basis": "《就业促进法》",
        "subject": "县人社局",
        "channel": "■政府网站",
        "audience": ["全社会"],
        "mode": ["主动"],
        "level": ["县级"],
    }
    employment = cat.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=Domain.objects.get(name="就业"),
        template=ElementTemplate.objects.get(key="national"),
        target_kind=OrgKind.DEPARTMENT,
        target_level=Level.COUNTY,
    )
    for name in ("就业困难人员认定", "公益性岗位招聘"):
        cat.item_add(
            actor=tree.office, version=employment.current_draft(), level1=name, elements=elements, timeframe_text="实时"
        )
    cat.version_publish(actor=tree.office, version=employment.current_draft())
    client.force_login(tree.editor_a)
    html = client.get(reverse("publications_wb:create") + "?type=notice").content.decode()
    groups = html.split("<optgroup")
    assert html.count("<optgroup") == 2
    employment_group = next(g for g in groups if 'label="就业"' in g)
    assistance_group = next(g for g in groups if 'label="社会救助"' in g)
    assert "就业困难人员认定" in employment_group and "公益性岗位招聘" in employment_group
    assert "就业困难人员认定" not in assistance_group and "审核确认结果" in assistance_group
    # national guideline order: 就业 comes before 社会救助
    assert html.index('label="就业"') < html.index('label="社会救助"')

"""Workbench pages: create with a catalogue item, edit a draft, life-event editor, statistics access."""

import pytest

from gongkai.guides.models import Guide, LifeEvent, StatKind
from gongkai.guides.services import stat_hit

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db


def test_create_edit_and_import_pages(tree, client_for):
    c = client_for(tree.editor_a)
    data = {
        **COMPLETE,
        "unit": tree.dept_a.pk,
        "materials": "居民身份证|必要|原件|1份|申请人自备",
        "service_objects": "自然人",
        "process": "申请\n办结",
        "no_fee": "on",
    }
    r = c.post("/workbench/guides/new/", data)
    assert r.status_code == 302
    guide = Guide.objects.get()
    version = guide.versions.get()
    assert version.materials[0]["name"] == "居民身份证" and version.missing_elements() == []
    r = c.post(
        f"/workbench/guides/versions/{version.pk}/edit/", {**data, "promised_limit_days": 9, "legal_limit_days": 1}
    )
    assert r.status_code == 400 and "承诺时限不能长于法定时限" in r.content.decode()
    assert c.get(f"/workbench/guides/{guide.pk}/").status_code == 200
    assert client_for(tree.editor_b).get(f"/workbench/guides/versions/{version.pk}/edit/").status_code == 403
    assert c.get("/workbench/guides/import/").status_code == 200


def test_life_event_editor(tree, client_for, make_guide):
    guide = make_guide()
    c = client_for(tree.office)
    form = {
        "title": "我要生孩子",
        "slug": "have-a-baby",
        "audience": "resident",
        "keywords": "孩子出生\n新生儿",
        "is_published": "on",
        "steps": f"guide|{guide.pk}|先做生育登记|\nnote||其他|可咨询12345",
    }
    bad = c.post("/workbench/guides/events/new/", {**form, "steps": "guide|999999|不存在|"})
    assert bad.status_code == 400 and "没有编号为999999的办事指南" in bad.content.decode()
    assert c.post("/workbench/guides/events/new/", form).status_code == 302
    event = LifeEvent.objects.get()
    assert [s.kind for s in event.steps.order_by("order")] == ["guide", "note"] and event.keywords == [
        "孩子出生",
        "新生儿",
    ]
    page = c.get(f"/workbench/guides/events/{event.pk}/").content.decode()
    assert f"guide|{guide.pk}|先做生育登记|" in page


def test_statistics_are_for_the_office(tree, client_for, make_guide):
    guide = make_guide()
    stat_hit(StatKind.GUIDE_VIEW, str(guide.pk))
    stat_hit(StatKind.MISSED_SEARCH, "火星移民许可")
    assert client_for(tree.editor_a).get("/workbench/guides/stats/").status_code == 403
    page = client_for(tree.office).get("/workbench/guides/stats/").content.decode()
    assert "火星移民许可" in page and "生育登记" in page

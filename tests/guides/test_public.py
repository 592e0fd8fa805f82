"""Public pages: search by everyday name / question / life event, detail, short guide PDF, lists, map, events."""

import pytest

from gongkai.guides import selectors, services
from gongkai.guides.models import GuideStat, StatKind
from tests.factories import unit_clerk

from .conftest import reindex

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_guides(tree, make_guide, search_index):
    birth = make_guide(everyday="准生证")
    estate = make_guide(
        name="国有建设用地使用权及房屋所有权首次登记",
        code="331124-XZ-0005",
        kind="confirmation",
        visits=1,
        no_fee=False,
        fees=[{"item": "不动产登记费", "standard": "住宅每件80元", "basis": ""}],
    )
    services.guide_wording_save(actor=unit_clerk(estate.unit), guide=estate, everyday_name="办房本", aliases=["房产证"])
    event = services.event_save(
        actor=tree.office,
        unit=tree.county,
        data={"slug": "have-a-baby", "title": "我要生孩子", "keywords": "孩子出生,新生儿", "is_published": True},
        steps=[
            {"kind": "guide", "guide": birth, "title": "先做生育登记"},
            {"kind": "note", "title": "其他", "note": "可咨询12345"},
        ],
    )
    return birth, estate, event
    return birth, estate, event


def titles(hits):
    return [h.guide.current.name for h in hits]


def test_found_by_everyday_name_question_and_event(county_guides):
    birth, estate, _event = county_guides
    reindex()
    assert titles(selectors.find_guides("办房本")[0]) == [estate.current.name]
    assert titles(selectors.find_guides("房产证怎么办")[0])[0] == estate.current.name
    hits, events = selectors.find_guides("孩子出生后要办哪些证")
    assert titles(hits)[0] == "生育登记" and [e.slug for e in events] == ["have-a-baby"]
    assert titles(selectors.find_guides("我要生孩子")[0]) == ["生育登记"]
    assert selectors.find_guides("火星移民许可")[0] == []


def test_search_page_counts_missed_queries(client, county_guides):
    reindex()
    r = client.get("/guides/", {"q": "准生证"})
    assert r.status_code == 200 and "生育登记" in r.content.decode()
    client.get("/guides/", {"q": "火星移民许可"})
    assert GuideStat.objects.filter(kind=StatKind.MISSED_SEARCH, key="火星移民许可").exists()


def test_kind_guide_in_one_search(county_guides):
    from gongkai.search import SearchQuery, get_backend

    reindex()
    results = get_backend().search(SearchQuery(text="准生证", filters={"kind": ["guide"]}))
    assert [h.document.kind for h in results.hits] == ["guide"]


def test_detail_short_guide_and_lists(client, county_guides):
    birth, estate, _event = county_guides
    page = client.get(f"/guides/{estate.pk}/").content.decode()
    assert "办房本" in page and "住宅每件80元" in page and "见一次面" in page
    pdf = client.get(f"/guides/{birth.pk}/short.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1 and "生育登记" in reader.pages[0].extract_text()
    assert "生育登记" in client.get("/guides/lists/zero/").content.decode()
    once = client.get("/guides/lists/once/").content.decode()
    assert estate.current.name in once and "生育登记" not in once
    power = client.get("/guides/lists/power/", {"kind": "confirmation"}).content.decode()
    assert estate.current.name in power
    assert client.get("/guides/lists/nonsense/").status_code == 404
    assert client.get("/guides/999999/").status_code == 404


def test_retired_guide_leaves_public_pages(tree, client, county_guides):
    birth, _estate, _event = county_guides
    services.guide_version_retire(actor=tree.reviewer_a, version=birth.current, reason="事项取消")
    assert client.get(f"/guides/{birth.pk}/").status_code == 404


def test_event_shows_steps_in_order(client, county_guides):
    page = client.get("/guides/events/have-a-baby/").content.decode()
    assert page.index("先做生育登记") < page.index("可咨询12345")
    assert client.get("/guides/events/unknown/").status_code == 404


def test_search_command_and_public_api(county_guides, api_for, capsys):
    import json

    from django.core.management import call_command

    reindex()
    call_command("search", "准生证", "--json", "--kind", "guide")
    out = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in out["results"]] == ["guide"] and out["results"][0]["title"] == "生育登记（准生证）"
    data = api_for().get("/api/v1/guides/public/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert {"生育登记", "国有建设用地使用权及房屋所有权首次登记"} == {r["name"] for r in rows}
    assert {r["everyday_name"] for r in rows} == {"准生证", "办房本"}

"""The catalogue's workflow actions are served by the workbench and the API alike: every
action is an API route, and both faces give the same answer for the same user, object and input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalogue import services
from gongkai.catalogue.actions import CATALOGUE_ACTIONS, UNIT_ITEM_ACTIONS, VERSION_ACTIONS
from gongkai.catalogue.models import Catalogue, Domain, UnitItem

from .conftest import T20, national_elements

pytestmark = pytest.mark.django_db

FACES = {  # action set: (workbench URL name, API path)
    "catalogue": ("catalogue_wb:catalogue-act", "/api/v1/catalogue/catalogues/{id}/{name}/"),
    "catalogue_version": ("catalogue_wb:version-act", "/api/v1/catalogue/versions/{id}/{name}/"),
    "unit_item": ("catalogue_wb:unititem-act", "/api/v1/catalogue/unit-items/{id}/{name}/"),
}


def test_every_action_is_served_by_both_faces():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for action_set in (CATALOGUE_ACTIONS, VERSION_ACTIONS, UNIT_ITEM_ACTIONS):
        url_name, api = FACES[action_set.kind]
        for act in action_set:
            assert reverse(url_name, args=[1, act.name])
            operation = paths[api.replace("{name}", act.name)]["post"]
            assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])


def _catalogue(tree, national, domain: Domain, *, incomplete: bool = False, published: bool = False) -> Catalogue:
    catalogue = services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=domain,
        template=national,
        target_kind="government",
        target_level="township",
    )
    draft = catalogue.current_draft()
    services.item_add(
        actor=tree.office, version=draft, level1="办事指南", elements=national_elements(), timeframe_text=T20
    )
    if incomplete:
        services.item_add(actor=tree.office, version=draft, level1="未勾选", elements={}, timeframe_text="及时公开")
    if published:
        services.version_publish(actor=tree.office, version=draft)
    return catalogue


def _wb(status: int) -> int:
    return 200 if status == 302 else status


def _same(user, obj_wb, obj_api, kind: str, name: str, data: dict, client_for, api_for) -> int:
    url_name, api_path = FACES[kind]
    form = {f"{name}-{k}": v for k, v in data.items()}
    wb = client_for(user).post(reverse(url_name, args=[obj_wb.pk, name]), form)
    api = api_for(user).post(api_path.format(id=obj_api.pk, name=name), data, format="json")
    assert _wb(wb.status_code) == api.status_code, (kind, name, user, data, api.content[:300])
    return api.status_code


@pytest.mark.parametrize("name", [a.name for a in VERSION_ACTIONS])
def test_version_actions_answer_alike(name, tree, national, client_for, api_for):
    answers = set()
    domains = iter(Domain.objects.all())
    for user in (tree.office, tree.editor_a):
        for data in ({}, {"note": "按上级目录原文发布"}):
            for incomplete in (True, False):
                one = _catalogue(tree, national, next(domains), incomplete=incomplete).current_draft()
                two = _catalogue(tree, national, next(domains), incomplete=incomplete).current_draft()
                answers.add(_same(user, one, two, "catalogue_version", name, data, client_for, api_for))
    assert len(answers) >= 2


@pytest.mark.parametrize("name", [a.name for a in CATALOGUE_ACTIONS])
def test_catalogue_actions_answer_alike(name, tree, national, client_for, api_for):
    answers = set()
    domains = iter(Domain.objects.all())
    for user in (tree.office, tree.editor_a):
        for published in (False, True):
            one = _catalogue(tree, national, next(domains), published=published)
            two = _catalogue(tree, national, next(domains), published=published)
            data = {"note": "修订", "units": [tree.town_a.pk]}
            answers.add(_same(user, one, two, "catalogue", name, data, client_for, api_for))
    assert len(answers) >= 2


@pytest.mark.parametrize("name", [a.name for a in UNIT_ITEM_ACTIONS])
def test_unit_item_actions_answer_alike(name, tree, published, client_for, api_for):
    answers = set()
    a = UnitItem.objects.get(unit=tree.town_a, name="救助结果")  # optional item
    b = UnitItem.objects.get(unit=tree.town_b, name="救助结果")
    mandatory_a = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    mandatory_b = UnitItem.objects.get(unit=tree.town_b, name="办事指南")
    for one, two in ((a, b), (mandatory_a, mandatory_b)):
        answers.add(_same(tree.office, one, two, "unit_item", name, {"reason": "不涉及"}, client_for, api_for))
    answers.add(_same(tree.editor_b, a, b, "unit_item", name, {}, client_for, api_for))
    assert len(answers) >= 2

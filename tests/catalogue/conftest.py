"""Fixtures for catalogue tests: the national template and a published township catalogue."""

from __future__ import annotations

import pytest

from gongkai.catalogue import services
from gongkai.catalogue.models import Domain, ElementTemplate
from gongkai.core.models import Level, OrgKind

T20 = "信息形成或变更之日起20个工作日内"


def national_elements(**over) -> dict:
    data = {
        "content": "1.申请条件 2.申请材料 3.办理流程 4.办理时限",
        "basis": "《社会救助暂行办法》",
        "subject": "县民政局、乡镇人民政府（街道办事处）",
        "channel": "■政府网站 ■政务新媒体 ■便民服务站",
        "audience": ["全社会"],
        "mode": ["主动"],
        "level": ["县级", "乡级"],
    }
    data.update(over)
    return data


@pytest.fixture(autouse=True)
def _reference_data(request):
    """National domains and built-in templates come from data migration 0002. A transactional test
    elsewhere in the session (browser tests) flushes the database, and ``--reuse-db`` keeps that
    flushed database for the next run; so make sure they exist for every database test here."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and not marker.kwargs.get("transaction") and "transactional_db" not in request.fixturenames:
        request.getfixturevalue("db")
        services.ensure_reference_data()
    yield


@pytest.fixture
def national(db) -> ElementTemplate:
    return ElementTemplate.objects.get(key="national")


@pytest.fixture
def assistance(db) -> Domain:
    return Domain.objects.get(name="社会救助")


@pytest.fixture
def township_catalogue(tree, national, assistance):
    """A county-owned 社会救助 catalogue for townships, with a draft of three items (not published)."""
    catalogue = services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=assistance,
        template=national,
        target_kind=OrgKind.GOVERNMENT,
        target_level=Level.TOWNSHIP,
    )
    draft = catalogue.current_draft()
    services.item_add(
        actor=tree.office,
        version=draft,
        level1="最低生活保障",
        name="办事指南",
        elements=national_elements(),
        timeframe_text=T20,
    )
    services.item_add(
        actor=tree.office,
        version=draft,
        level1="最低生活保障",
        name="审核确认结果公示",
        elements=national_elements(audience=["特定群体"], level=["乡级"]),
        timeframe_text="审核确认后5个工作日内",
    )
    services.item_add(
        actor=tree.office,
        version=draft,
        level1="临时救助",
        name="救助结果",
        mandatory=False,
        elements=national_elements(),
        timeframe_text="每季度结束后15日内",
    )
    return catalogue


@pytest.fixture
def published(tree, township_catalogue):
    services.version_publish(actor=tree.office, version=township_catalogue.current_draft())
    return township_catalogue

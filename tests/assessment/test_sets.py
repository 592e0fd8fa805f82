"""Indicator sets as versioned data: the 2019 fixture, immutability, new versions, publishing."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from gongkai.assessment import services
from gongkai.assessment.models import IndicatorSet, SetStatus
from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused

pytestmark = pytest.mark.django_db


def test_2019_indicators_are_shipped_with_unverified_deductions(website_set):
    assert website_set.status == SetStatus.PUBLISHED and website_set.basis.startswith(
        "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
    )
    inds = {i.code: i for i in website_set.indicators.all()}
    vetoes = [i for i in inds.values() if i.method == "veto"]
    assert len(vetoes) == 5 and all(i.verified for i in vetoes)
    assert inds["否决2"].source == "findings:site_unreachable"
    assert all(not i.verified for i in inds.values() if i.method == "deduction")
    assert website_set.weights_ok() and website_set.bonus_cap == D(30)


def test_published_set_is_immutable_edit_a_new_version(website_set, tree):
    ind = website_set.indicators.get(code="4.1")
    with pytest.raises(TransitionRefused, match="新建版本"):
        services.indicator_update(actor=tree.office, indicator=ind, weight=D(8))
    v2 = services.indicator_set_new_version(actor=tree.office, indicator_set=website_set)
    assert (v2.version, v2.status, v2.indicators.count()) == (2, SetStatus.DRAFT, website_set.indicators.count())
    assert v2.indicators.get(code="4.1").parent.code == "4"
    services.indicator_update(
        actor=tree.office, indicator=v2.indicators.get(code="4.1"), weight=D(8), per_item=D("0.5")
    )
    with pytest.raises(TransitionRefused, match="分值之和"):
        services.indicator_set_publish(actor=tree.office, indicator_set=v2)  # 98 ≠ 100
    services.indicator_update(actor=tree.office, indicator=v2.indicators.get(code="4"), weight=D(23))
    services.indicator_update(actor=tree.office, indicator=v2.indicators.get(code="2"), weight=D(22))
    with pytest.raises(TransitionRefused, match="分组分值"):
        services.indicator_set_publish(actor=tree.office, indicator_set=v2)  # group 2 ≠ its child 2.1
    services.indicator_update(actor=tree.office, indicator=v2.indicators.get(code="2.1"), weight=D(22))
    v2 = services.indicator_set_publish(actor=tree.office, indicator_set=v2)
    assert v2.status == SetStatus.PUBLISHED and website_set.indicators.get(code="4.1").weight == D(10)
    assert AuditEvent.objects.filter(action="assessment.indicator.update").count() == 4


def test_only_the_office_manages_sets(website_set, tree, client_for, api_for):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.indicator_set_new_version(actor=tree.editor_a, indicator_set=website_set)
    assert client_for(tree.editor_a).get(f"/workbench/assessment/sets/{website_set.pk}/").status_code == 403
    r = api_for(tree.office).post(f"/api/v1/assessment/indicator-sets/{website_set.pk}/new-version/")
    assert (
        r.status_code == 200
        and r.json()["version"] == 2
        and IndicatorSet.objects.filter(name=website_set.name).count() == 2
    )

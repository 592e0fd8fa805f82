from __future__ import annotations

import pytest

from tests.monitoring.conftest import _fast_crawler, farm  # noqa: F401 - shared loopback fixtures


@pytest.fixture
def website_set():
    from gongkai.assessment.models import IndicatorSet

    return IndicatorSet.objects.get(name="政府网站检查指标", version=1)


@pytest.fixture
def county_set():
    from gongkai.assessment.models import IndicatorSet

    return IndicatorSet.objects.get(name="县级政务公开工作考核指标（示例）", version=1)

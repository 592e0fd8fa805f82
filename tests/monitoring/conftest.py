"""Fixtures for the monitoring tests: a loopback site farm (never the internet) and fast limits."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.monitoring import loopback

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fast_crawler(settings):
    settings.GONGKAI_MONITORING_HOST_DELAY = 0
    settings.GONGKAI_MONITORING_TIMEOUT = 3.0
    settings.GONGKAI_MONITORING_SITE_SECONDS = 20.0
    settings.GONGKAI_MONITORING_SCREENSHOTS = False
    settings.GONGKAI_MONITORING_MAX_PAGE_BYTES = 256 * 1024


@pytest.fixture
def farm():
    with loopback.Farm() as f:
        yield f


def publish(farm, spec: loopback.SiteSpec) -> str:
    for path, page in loopback.gov_site(spec).items():
        farm.add(path, page)
    return farm.url(spec.prefix + "/")

"""Fixtures for the information-request tests."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.requests import identity, services
from gongkai.requests.models import ApplicantType, Delivery, Format, IdType, OrgType


def resident_id(prefix17: str = "33112519850312002") -> str:
    return prefix17 + identity.resident_id_check(prefix17)


def person(**kw) -> services.ApplicantData:
    data = dict(
        applicant_type=ApplicantType.PERSON,
        name="王小明",
        id_type=IdType.RESIDENT,
        id_number=resident_id(),
        phone="13905781234",
        address="浙江省丽水市松阳县西屏街道长松路18号",
        postcode="323400",
        description="请公开2024年度松阳县城乡居民最低生活保障资金发放情况（分乡镇汇总）",
        preferred_format=Format.EMAIL,
        delivery=Delivery.EMAIL,
        email="wxm@example.cn",
    )
    data.update(kw)
    return services.ApplicantData(**data)


def organisation(**kw) -> services.ApplicantData:
    from tests.factories import make_credit_code

    data = dict(
        applicant_type=ApplicantType.ORGANISATION,
        org_type=OrgType.LEGAL,
        name="浙江松州律师事务所",
        credit_code=make_credit_code(registry="31"),
        legal_representative="周建国",
        contact_person="叶晓琳",
        phone="0578-8061234",
        address="浙江省丽水市松阳县水南街道环城东路66号",
        description="请提供松阳县2025年养老服务补贴政策的制定依据和发放标准文件",
        preferred_format=Format.PAPER,
        delivery=Delivery.POST,
    )
    data.update(kw)
    return services.ApplicantData(**data)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _calendar(_isolated, db):
    """Every request test has the database and a freshly loaded calendar (the shared
    conftest re-seeds the holiday table after any flushing test and clears the cache)."""
    from gongkai.core import workdays

    workdays.invalidate()


@pytest.fixture
def submit():
    """Submit a request to ``unit`` on ``received_on`` through the public service."""

    def _submit(unit, received_on: dt.date | None = None, data: services.ApplicantData | None = None):
        return services.request_submit(unit=unit, data=data or person(), received_on=received_on)

    return _submit


@pytest.fixture
def direct_replies(tree):
    """Units of the tree reply without sign-off (the default policy requires it; see test_signoff)."""
    from gongkai.requests.models import RequestPolicy

    for unit in (tree.dept_a, tree.dept_b, tree.town_a, tree.town_b, tree.county):
        RequestPolicy.objects.update_or_create(unit=unit, defaults={"reply_signoff": False})

import pytest

from gongkai.guides import services
from gongkai.guides.models import Guide
from tests.factories import unit_clerk

COMPLETE = {
    "name": "生育登记",
    "code": "331124-GG-0001",
    "kind": "public_service",
    "legal_basis": "《浙江省人口与计划生育条例》",
    "implementing_body": "松阳县民政局",
    "service_objects": ["自然人"],
    "conditions": "夫妻双方符合法律法规规定生育条件的",
    "materials": [
        {
            "name": "居民身份证",
            "necessity": "required",
            "form": "原件",
            "copies": "1份",
            "source": "",
            "blank_form": "",
            "sample": "",
        }
    ],
    "process": ["网上申请", "审核", "办结"],
    "legal_limit_days": 1,
    "promised_limit_days": 0,
    "no_fee": True,
    "fees": [],
    "consultation": "0578-8061234",
    "complaint": "12345",
    "location_time": "县行政服务中心，工作日",
    "visits": 0,
}


@pytest.fixture
def make_guide(tree):
    def _make(unit=None, publish=True, everyday="", **overrides):
        unit = unit or tree.dept_a
        guide = services.guide_create(
            actor=tree.editor_a if unit == tree.dept_a else unit_clerk(unit), unit=unit, data={**COMPLETE, **overrides}
        )
        version = guide.versions.get()
        if publish:
            version = services.guide_version_submit(actor=unit_clerk(unit), version=version)
            services.guide_version_publish(actor=unit_clerk(unit), version=version)
        if everyday:
            services.guide_wording_save(actor=unit_clerk(unit), guide=guide, everyday_name=everyday, aliases=[])
        return Guide.objects.get(pk=guide.pk)

    return _make


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    from gongkai.search.testing import isolated_index

    yield from isolated_index(settings, tmp_path)


def reindex():
    """Index every published guide (index updates run on commit, which plain tests do not reach)."""
    from gongkai.guides import indexing
    from gongkai.search import get_backend

    backend = get_backend()
    backend.clear()
    backend.index(list(indexing.iter_all()))

"""一网通查 over all public content: FAQ entries, published appeals (masked), consultations and
their feedback reports, catalogue items — indexed on commit by the owning apps' services, one
index with a kind facet on the portal, the API and ``gongkai search --kind``."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.models import Domain, ElementTemplate
from gongkai.core.models import Level, OrgKind
from gongkai.interaction import search_sources, services
from gongkai.interaction.models import Appeal, AppealType
from gongkai.search import SearchQuery, get_backend, registry
from gongkai.search import services as search_services

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def kinds_of(text, **kw):
    res = search_services.run_search(SearchQuery(text=text, **kw), log_terms=False)
    return {h.document.kind for h in res.hits}, res


def ensure_types():
    from importlib import import_module

    for code, name, desc, days, order in import_module("gongkai.interaction.migrations.0002_default_types").TYPES:
        AppealType.objects.get_or_create(
            code=code, defaults={"name": name, "description": desc, "time_limit_days": days, "sort_order": order}
        )
    return {t.code: t for t in AppealType.objects.all()}


def published_appeal(tree):
    appeal, _created = services.appeal_submit(
        appeal_type=ensure_types()["consult"],
        target_unit=tree.county,
        title="低保申请需要哪些材料",
        content="我母亲一个人生活，想问申请低保要准备什么材料？电话13905781234",
        name="吴秀英",
        phone="13905781234",
    )
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    appeal = services.appeal_answer(actor=tree.editor_a, appeal=appeal, answer="请携带身份证到乡镇申请低保。")
    Appeal.objects.filter(pk=appeal.pk).update(publish_consent=True)
    appeal = Appeal.objects.get(pk=appeal.pk)
    proposal = services.appeal_publication_proposal(appeal)
    return services.appeal_publish(
        actor=tree.office,
        appeal=appeal,
        public_title=proposal["title"].masked,
        public_content=proposal["content"].masked,
        public_answer=proposal["answer"].masked,
    )


def test_dibao_finds_publications_faq_and_the_published_appeal(tree, run_on_commit):
    from .conftest import make_doc

    get_backend().index([make_doc("关于2024年城乡低保标准的通知", "城乡低保标准提高。")])
    with run_on_commit():
        faq = services.faq_create(
            actor=tree.editor_a, unit=tree.dept_a, question="低保怎么申请？", answer="向乡镇申请。"
        )
    with run_on_commit():
        appeal = published_appeal(tree)
    found, res = kinds_of("低保")
    assert found == {"publication", "faq", "appeal"}
    assert dict(res.facets["kind"]) == {"publication": 1, "faq": 1, "appeal": 1}
    appeal_hit = next(h for h in res.hits if h.document.kind == "appeal")
    assert "13905781234" not in appeal_hit.document.body and "吴秀英" not in appeal_hit.document.body
    assert appeal_hit.document.url == f"/interaction/appeals/{appeal.pk}/"
    # the kind facet filters, and labels come from the registrations
    only_faq, _res = kinds_of("低保", filters={"kind": ["faq"]})
    assert only_faq == {"faq"}
    assert registry.kind_label("faq") == "常见问题" and registry.kind_label("appeal") == "留言答复"
    # withdrawn / unpublished items leave the index after commit
    with run_on_commit():
        services.faq_set_status(actor=tree.editor_a, entry=faq, status="withdrawn")
        services.appeal_unpublish(actor=tree.office, appeal=appeal)
    assert kinds_of("低保")[0] == {"publication"}


def test_masking_catches_a_number_left_in_the_public_text():
    assert "13905781234" not in search_sources.masked("请拨打13905781234联系")
    assert search_sources.masked("请拨打13905781234联系").endswith("1234联系")


def test_consultation_and_its_feedback_report(tree, run_on_commit):
    c = services.consultation_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）",
        draft="<p>第一条 为规范低保家庭经济状况认定……</p>",
        explanation="<p>起草背景……</p>",
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=30),
    )
    assert kinds_of("经济状况认定")[0] == set()  # a draft is not public
    with run_on_commit():
        services.consultation_open(actor=tree.leader_a, consultation=c)
    assert kinds_of("经济状况认定")[0] == {"consultation"}
    with run_on_commit():
        services.consultation_close(actor=tree.leader_a, consultation=c)
        services.consultation_report(
            actor=tree.leader_a, consultation=c, report="<p>共采纳意见三条，主要修改了收入核算口径。</p>"
        )
    found, res = kinds_of("收入核算口径")
    assert found == {"consultation_report"}
    assert res.hits[0].document.url.endswith("#rep-h")


def test_catalogue_items_of_the_latest_published_version(tree, run_on_commit):
    catalogue = catalogue_services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=Domain.objects.get(name="社会救助"),
        template=ElementTemplate.objects.get(key="national"),
        target_kind=OrgKind.GOVERNMENT,
        target_level=Level.TOWNSHIP,
    )
    elements = {
        "content": "申请条件、申请材料、办理流程",
        "basis": "《社会救助暂行办法》",
        "subject": "县民政局",
        "channel": "■政府网站",
        "audience": ["全社会"],
        "mode": ["主动"],
        "level": ["县级"],
    }
    catalogue_services.item_add(
        actor=tree.office,
        version=catalogue.current_draft(),
        level1="特困人员救助供养",
        name="办事指南",
        elements=elements,
        timeframe_text="信息形成或变更之日起20个工作日内",
    )
    assert kinds_of("特困人员救助供养")[0] == set()
    with run_on_commit():
        catalogue_services.version_publish(actor=tree.office, version=catalogue.current_draft())
    found, res = kinds_of("特困人员救助供养")
    assert found == {"catalogue_item"}
    first = res.hits[0].id
    # a new version replaces the old version's items in the index
    draft = catalogue_services.version_start_draft(actor=tree.office, catalogue=catalogue)
    with run_on_commit():
        catalogue_services.version_publish(actor=tree.office, version=draft)
    res = kinds_of("特困人员救助供养")[1]
    assert res.total == 1 and res.hits[0].id != first


def test_cli_and_api_filter_by_kind(tree, client, run_on_commit):
    from .conftest import make_doc

    get_backend().index([make_doc("医保缴费通知", "城乡居民医保缴费。")])
    with run_on_commit():
        services.faq_create(actor=tree.editor_a, unit=tree.dept_a, question="医保怎么缴费？", answer="在线缴费。")
    out = StringIO()
    call_command("search", "医保", "--kind", "faq", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [r["kind"] for r in data["results"]] == ["faq"]
    body = client.get("/api/v1/search/", {"q": "医保", "kind": "faq"}).json()
    assert [r["kind"] for r in body["results"]] == ["faq"]
    labels = {f["value"]: f["label"] for f in client.get("/api/v1/search/", {"q": "医保"}).json()["facets"]["kind"]}
    assert labels == {"faq": "常见问题", "publication": "公开信息"}
    html = client.get("/search/", {"q": "医保"}).content.decode()
    assert 'name="kind" value="faq"' in html and "常见问题" in html


def test_reindex_covers_every_registered_kind(tree, run_on_commit):
    with run_on_commit():
        services.faq_create(actor=tree.editor_a, unit=tree.dept_a, question="户口迁移需要什么材料？", answer="身份证。")
    counts = search_services.reindex()
    assert counts["faq"] == 1 and {"appeal", "consultation", "consultation_report", "catalogue_item"} <= set(counts)

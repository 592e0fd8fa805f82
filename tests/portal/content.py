"""Content for the portal tests, made through the apps' services as staff would (realistic 松阳县 data)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

BODY = (
    "<p>为进一步规范最低生活保障审核确认工作，根据《社会救助暂行办法》和《浙江省最低生活保障办法》，"
    "结合本县实际，制定本办法。</p><p>一、低保申请以家庭为单位，由申请人向户籍所在地乡镇（街道）提出。</p>"
)


def publish(tree, *, title: str, doc_type: str = "notice", unit=None, **kw):
    """Draft → attribute review → (confidentiality) → sign-off → published, as the unit's staff."""
    from gongkai.publications import services

    unit = unit or tree.dept_a
    a = unit.pk == tree.dept_a.pk
    editor, reviewer, leader = (
        (tree.editor_a, tree.reviewer_a, tree.leader_a) if a else (tree.editor_b, tree.reviewer_b, tree.leader_b)
    )
    data = {"doc_type": doc_type, "title": title, "body": BODY, "made_on": timezone.localdate(), **kw}
    if doc_type in ("normative", "regulation"):
        data.setdefault("effective_from", timezone.localdate())
        data.setdefault("document_number", "松民规〔2026〕1号")
    if doc_type == "budget":
        data.setdefault("fiscal_year", timezone.localdate().year)
        data.setdefault("budget_kind", "budget")
    if doc_type == "interpretation":
        data.setdefault("interpretation_form", "text")
    pub = services.publication_create(actor=editor, unit=unit, **data)
    pub = services.publication_submit(actor=editor, publication=pub)
    pub = services.publication_review_attribute(actor=reviewer, publication=pub, attribute="proactive")
    if pub.state == "confidentiality_review":
        pub = services.publication_review_confidentiality(actor=reviewer, publication=pub)
    if pub.state == "signoff":
        pub = services.publication_sign_off(actor=leader, publication=pub)
    assert pub.state == "published", pub.state
    return pub


def open_consultation(tree, *, title: str, days: int = 30, opens_on: dt.date | None = None):
    from gongkai.interaction import services

    opens_on = opens_on or timezone.localdate()
    c = services.consultation_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        title=title,
        draft="<p>第一条 为规范最低生活保障家庭经济状况认定工作，制定本办法。</p>",
        explanation="<p>起草背景：根据《浙江省最低生活保障办法》修订。</p>",
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=days),
    )
    return services.consultation_open(actor=tree.leader_a, consultation=c)


def ensure_appeal_types():
    from tests.interaction.conftest import ensure_default_types

    return ensure_default_types()


def answered_appeal(tree, *, title: str = "低保申请需要哪些材料", publish_as: str = ""):
    """An appeal received by the county, assigned to 民政局 and answered (published when ``publish_as``)."""
    from gongkai.interaction import services

    types = ensure_appeal_types()
    appeal, _created = services.appeal_submit(
        appeal_type=types["consult"],
        target_unit=tree.county,
        title=title,
        content="我母亲一个人生活，收入很少，想问申请低保要准备什么材料？",
        name="吴秀英",
        phone="13905781234",
        publish_consent=bool(publish_as),
    )
    appeal = services.appeal_accept(actor=tree.office, appeal=appeal)
    appeal = services.appeal_assign(actor=tree.office, appeal=appeal, unit=tree.dept_a)
    appeal = services.appeal_answer(
        actor=tree.editor_a,
        appeal=appeal,
        answer="请携带身份证、户口簿和收入证明到户籍所在地乡镇（街道）社会事务办申请。",
    )
    if publish_as:
        appeal = services.appeal_publish(
            actor=tree.office,
            appeal=appeal,
            public_title=publish_as,
            public_content="申请低保需要准备哪些材料？",
            public_answer="请携带身份证、户口簿和收入证明到户籍所在地乡镇（街道）社会事务办申请。",
        )
    return appeal


def information_request(tree, *, received_on: dt.date | None = None, reply_on: dt.date | None = None):
    """An online request to 民政局, received on ``received_on``; replied on ``reply_on`` when given."""
    from gongkai.requests import services
    from gongkai.requests.models import Outcome, RequestPolicy
    from tests.requests.conftest import person

    RequestPolicy.objects.update_or_create(unit=tree.dept_a, defaults={"reply_signoff": False})
    req = services.request_submit(unit=tree.dept_a, data=person(), received_on=received_on)
    if reply_on is not None:
        services.request_assign(actor=tree.editor_a, req=req, handler=tree.editor_a)
        req = services.request_reply(actor=tree.editor_a, req=req, outcome=Outcome.PUBLIC, replied_on=reply_on)
    return req


def township_catalogue_items(tree) -> list:
    """Publish a county 社会救助 catalogue for townships; returns the items of 西屏街道's derived list."""
    from gongkai.catalogue import selectors, services
    from gongkai.catalogue.models import Domain, ElementTemplate
    from gongkai.core.models import Level, OrgKind
    from tests.catalogue.conftest import T20, national_elements

    services.ensure_reference_data()
    catalogue = services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=Domain.objects.get(name="社会救助"),
        template=ElementTemplate.objects.get(key="national"),
        target_kind=OrgKind.GOVERNMENT,
        target_level=Level.TOWNSHIP,
    )
    draft = catalogue.current_draft()
    for level1, name in (("最低生活保障", "办事指南"), ("最低生活保障", "审核确认结果公示")):
        services.item_add(
            actor=tree.office, version=draft, level1=level1, name=name, elements=national_elements(), timeframe_text=T20
        )
    services.version_publish(actor=tree.office, version=draft)
    unit_list = selectors.unit_lists_of(tree.town_a)[0]
    return list(selectors.unit_list_items(unit_list))

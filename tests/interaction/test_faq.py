import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.interaction import selectors, services
from gongkai.interaction.models import FaqEntry, FaqStatus


@pytest.fixture
def entry(tree):
    return services.faq_create(
        actor=tree.editor_a,
        unit=tree.dept_a,
        question="低保怎么申请？",
        answer="向户籍所在地乡镇（街道）提出申请。",
        domain_name="社会救助",
        topics=["低保", "社会救助"],
        review_date=dt.date(2030, 1, 1),
    )


def test_create_records_first_version_and_audit(entry):
    assert entry.version == 1
    assert list(entry.versions.values_list("number", flat=True)) == [1]
    assert sorted(entry.topics.values_list("name", flat=True)) == ["低保", "社会救助"]
    assert AuditEvent.objects.filter(action="interaction.faq.create", object_id=str(entry.pk)).exists()


def test_editing_creates_a_new_version_and_keeps_history(tree, entry):
    services.faq_update(
        actor=tree.reviewer_a,
        entry=entry,
        question="低保怎么申请？",
        answer="可通过“浙里办”在线申请。",
        topics=["低保"],
        note="增加在线申请渠道",
        review_date=dt.date(2031, 1, 1),
    )
    entry = FaqEntry.objects.get(pk=entry.pk)
    assert entry.version == 2
    versions = list(entry.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].answer == "向户籍所在地乡镇（街道）提出申请。"
    assert versions[1].note == "增加在线申请渠道" and versions[1].editor == tree.reviewer_a


def test_stale_answers_are_flagged_and_review_moves_the_date(tree, entry, client_for):
    with time_machine.travel(dt.date(2030, 2, 1)):
        assert entry.is_stale
        assert list(selectors.stale_faq(tree.editor_a)) == [entry]
        page = client_for(tree.editor_a).get("/workbench/interaction/faq/?stale=1")
        assert "待复核" in page.content.decode() and entry.question in page.content.decode()
        services.faq_mark_reviewed(actor=tree.editor_a, entry=entry, review_date=dt.date(2031, 2, 1))
        assert not selectors.stale_faq(tree.editor_a).exists()
        with pytest.raises(ValidationError):
            services.faq_mark_reviewed(actor=tree.editor_a, entry=entry, review_date=dt.date(2029, 1, 1))


def test_other_unit_cannot_edit(tree, entry, client_for):
    with pytest.raises(PermissionDenied):
        services.faq_update(actor=tree.editor_b, entry=entry, question="x", answer="y")
    client = client_for(tree.editor_b)
    assert client.get(f"/workbench/interaction/faq/{entry.pk}/edit/").status_code == 403
    assert client.post(f"/workbench/interaction/faq/{entry.pk}/act/withdraw/").status_code == 403
    assert entry.question not in client.get("/workbench/interaction/faq/").content.decode()
    assert FaqEntry.objects.get(pk=entry.pk).status == FaqStatus.PUBLISHED


def test_faq_editor_view_creates_version(tree, entry, client_for):
    client = client_for(tree.editor_a)
    r = client.post(
        f"/workbench/interaction/faq/{entry.pk}/edit/",
        {
            "question": "最低生活保障怎么申请？",
            "answer": "新的答复",
            "unit": tree.dept_a.pk,
            "domain_name": "社会救助",
            "topics": "低保、救助",
            "review_date": "2031-06-01",
            "note": "规范表述",
        },
    )
    assert r.status_code == 302
    entry = FaqEntry.objects.get(pk=entry.pk)
    assert entry.version == 2 and entry.question == "最低生活保障怎么申请？"
    detail = client.get(f"/workbench/interaction/faq/{entry.pk}/").content.decode()
    assert "v1" in detail and "v2" in detail and "规范表述" in detail


def test_empty_question_is_refused(tree, client_for):
    r = client_for(tree.editor_a).post(
        "/workbench/interaction/faq/new/", {"question": "", "answer": "", "unit": tree.dept_a.pk}
    )
    assert r.status_code == 400 and "该字段是必填项" in r.content.decode()
    assert not FaqEntry.objects.exists()


def test_public_faq_page_and_search(client, entry):
    page = client.get("/interaction/faq/").content.decode()
    assert entry.question in page
    result = client.get("/interaction/faq/", {"q": "最低生活保障如何申请"}).content.decode()
    assert entry.question in result
    assert client.get(f"/interaction/faq/{entry.pk}/").status_code == 200


def test_withdrawn_entry_is_not_public(tree, entry, client):
    services.faq_set_status(actor=tree.editor_a, entry=entry, status=FaqStatus.WITHDRAWN)
    assert client.get(f"/interaction/faq/{entry.pk}/").status_code == 404


def test_promote_answered_appeal_removes_personal_data(tree, assigned, client_for):
    appeal = services.appeal_answer(
        actor=tree.editor_a,
        appeal=assigned,
        answer="吴秀英您好，请携带户口簿到古市镇社会事务办申请，联系电话13905781234。",
    )
    r = client_for(tree.editor_a).post(f"/workbench/interaction/appeals/{appeal.pk}/act/promote/")
    assert r.status_code == 302
    entry = FaqEntry.objects.get(source_appeal=appeal)
    assert "13905781234" not in entry.answer and "吴秀英" not in entry.answer
    assert "户口簿" in entry.answer
    assert entry.unit == tree.dept_a and entry.versions.count() == 1
    with pytest.raises(ValidationError):
        services.faq_promote_from_appeal(actor=tree.editor_a, appeal=appeal)


def test_promote_before_answer_is_refused(tree, assigned):
    with pytest.raises(ValidationError):
        services.faq_promote_from_appeal(actor=tree.editor_a, appeal=assigned)


def test_periodic_stale_check_mails_the_unit(tree, entry):
    from django.core import mail

    tree.editor_a.email = "lina@example.gov.cn"
    tree.editor_a.save()
    assert services.faq_notify_stale(today=dt.date(2029, 12, 31), force=True) == 0
    assert services.faq_notify_stale(today=dt.date(2030, 2, 4)) == 1  # a Monday
    assert len(mail.outbox) == 1 and entry.question in mail.outbox[0].body
    assert mail.outbox[0].to == ["lina@example.gov.cn"]


def test_faq_links_to_a_catalogue_domain(tree, client):
    from gongkai.catalogue.models import Domain

    domain = Domain.objects.get(name="社会救助")
    entry = services.faq_create(
        actor=tree.editor_a, unit=tree.dept_a, question="临时救助怎么申请？", answer="向乡镇申请。", domain=domain
    )
    assert entry.domain == domain and entry.domain_name == "社会救助"
    page = client.get("/interaction/faq/", {"domain": domain.code}).content.decode()
    assert "临时救助怎么申请？" in page
    other = Domain.objects.get(name="户籍管理")
    assert "临时救助怎么申请？" not in client.get("/interaction/faq/", {"domain": other.code}).content.decode()

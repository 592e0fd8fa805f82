"""Rectification: 通报 → notice with a deadline in working days → the unit's response with
evidence → re-check (an automatic crawl where the finding came from one) → closed or escalated;
yellow card when first named in a period, red card when the deadline passes or the re-check
fails; generated 通报 / 整改通知 / 督办函 (DOCX and A4 PDF from editable templates); 约谈."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.assessment import services
from gongkai.assessment.models import Card, Letter, RectStatus
from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.monitoring import loopback
from gongkai.monitoring import services as monitoring
from gongkai.monitoring.models import Finding, FindingStatus
from tests.monitoring.conftest import AS_OF, publish

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
ISSUE_DAY = dt.datetime(2026, 9, 24, 10, 0, tzinfo=SH)  # Thursday before 中秋 and National Day


@pytest.fixture
def leak(farm, tree):
    url = publish(farm, loopback.SiteSpec("/mz", extra_article="<p>经办人手机13905781234</p>"))
    site = monitoring.site_register(actor=tree.office, home_url=url, name="县民政局网站", unit=tree.dept_a)
    monitoring.crawl_sites([site.pk], as_of=AS_OF)
    f = monitoring.finding_confirm(actor=tree.office, finding=Finding.objects.get(site=site, rule="personal_data"))
    return farm, site, f


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service, then its on-commit callbacks (documents, re-check crawls, due-date
    recomputation), as a real commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def issue(tree, committed, title="关于2026年第三季度政府网站检查情况的通报"):
    with time_machine.travel(ISSUE_DAY, tick=False):
        b = services.bulletin_draft(actor=tree.office, root=tree.county, title=title)
        return committed(services.bulletin_issue, actor=tree.office, bulletin=b)


def test_bulletin_names_units_with_confirmed_findings_and_sends_notices(leak, tree, committed):
    _farm, _site, f = leak
    b = issue(tree, committed)
    entry = b.entries.get()
    assert entry.unit == tree.dept_a and entry.finding_ids == [f.pk] and "139****1234" in entry.problems
    assert b.number.endswith("〔2026〕1号") and b.status == "issued"
    rect = b.rectifications.get()
    # 15 working days after 24 Sep: 25 Sep and 1–7 Oct are holidays, 10 Oct (Saturday) is a make-up workday
    assert (rect.issued_on, rect.due_on) == (dt.date(2026, 9, 24), dt.date(2026, 10, 22))
    assert [(c.colour, c.unit) for c in Card.objects.all()] == [("yellow", tree.dept_a)]
    b.refresh_from_db()
    assert b.pdf.name.endswith(".pdf") and b.docx.name.endswith(".docx")
    pdf = b.pdf.open("rb").read()
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert pdf.startswith(b"%PDF") and (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(b.docx.open("rb").read())).paragraphs)
    assert tree.dept_a.name in text and "13905781234" not in text
    rect.refresh_from_db()
    assert rect.notice_pdf and rect.notice_docx


def test_the_unit_responds_and_the_recheck_closes_it(leak, tree, client_for, committed):
    farm, _site, f = leak
    rect = issue(tree, committed).rectifications.get()
    with pytest.raises(PermissionDenied):
        services.rectification_respond(actor=tree.editor_b, rectification=rect, response="已整改")
    with pytest.raises(TransitionRefused, match="整改情况"):
        services.rectification_respond(actor=tree.editor_a, rectification=rect, response="  ")
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buf, "PNG")
    png = SimpleUploadedFile("整改后截图.png", buf.getvalue())
    c = client_for(tree.editor_a)
    r = c.post(
        f"/workbench/assessment/rectifications/{rect.pk}/act/respond/",
        {"respond-response": "已删除页面中的手机号码", "respond-evidence": png},
    )
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.status == RectStatus.RESPONDED and rect.evidence.count() == 1 and rect.recheck_due is not None
    # the unit fixes the page, the office starts the re-check: a crawl, then the verdict
    farm.routes["/mz/dt/0.html"].body = farm.routes["/mz/dt/0.html"].body.replace(b"13905781234", b"0578-8061234")
    rect = committed(services.rectification_recheck, actor=tree.office, rectification=rect)
    rect.refresh_from_db()
    f.refresh_from_db()
    assert f.status == FindingStatus.FIXED and rect.status == RectStatus.CLOSED and "自动复查" in rect.recheck_note
    assert not Card.objects.filter(colour="red").exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="assessment.rectification")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == [
        "assessment.rectification.create",
        "assessment.rectification.respond",
        "assessment.rectification.recheck",
        "assessment.rectification.close",
    ]


def test_a_failed_recheck_gives_a_red_card_and_a_letter(leak, tree, committed):
    _farm, _site, _f = leak
    rect = issue(tree, committed).rectifications.get()
    services.rectification_respond(actor=tree.editor_a, rectification=rect, response="已整改")
    rect = committed(services.rectification_recheck, actor=tree.office, rectification=rect)  # the page still leaks
    rect.refresh_from_db()
    assert rect.status == RectStatus.ESCALATED and rect.escalation_reason == "复查未通过"
    assert list(Card.objects.values_list("colour", flat=True).order_by("issued_at")) == ["yellow", "red"]
    letter = Letter.objects.get(rectification=rect)
    assert letter.number.startswith("督办〔") and letter.pdf.open("rb").read().startswith(b"%PDF")


def test_deadline_passing_without_response_escalates(leak, tree, committed):
    rect = issue(tree, committed).rectifications.get()
    assert services.escalate_overdue(on=rect.due_on) == 0  # the due day itself is still in time
    assert committed(services.escalate_overdue, on=rect.due_on + dt.timedelta(days=1)) == 1
    rect.refresh_from_db()
    assert rect.status == RectStatus.ESCALATED and rect.escalation_reason == "逾期未整改"
    assert Card.objects.filter(colour="red", unit=tree.dept_a).exists()


def test_yellow_card_only_when_first_named_in_a_period(tree, website_set):
    period = services.period_create(
        actor=tree.office,
        indicator_set=website_set,
        root=tree.county,
        name="Q4",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
        units=[tree.dept_a],
    )
    services.rectification_create(actor=tree.office, unit=tree.dept_a, problems="首页不更新", period=period)
    services.rectification_create(actor=tree.office, unit=tree.dept_a, problems="栏目空白", period=period)
    assert Card.objects.filter(unit=tree.dept_a, colour="yellow").count() == 1


def test_manual_recheck_for_problems_not_from_a_crawl(tree, client_for, committed):
    rect = services.rectification_create(actor=tree.office, unit=tree.dept_b, problems="办事指南缺少办理时限")
    services.rectification_respond(actor=tree.editor_b, rectification=rect, response="已补充")
    rect = committed(services.rectification_recheck, actor=tree.office, rectification=rect)
    assert rect.status == RectStatus.RECHECKING  # nobody crawls: a person decides
    c = client_for(tree.office)
    assert (
        c.post(f"/workbench/assessment/rectifications/{rect.pk}/act/pass/", {"pass-note": "已核实"}).status_code == 302
    )
    rect.refresh_from_db()
    assert rect.status == RectStatus.CLOSED and rect.recheck_note == "已核实"


def test_interview_record(tree, api_for):
    rect = services.rectification_create(actor=tree.office, unit=tree.dept_b, problems="留言超过3个月未回复")
    r = api_for(tree.office).post(
        f"/api/v1/assessment/rectifications/{rect.pk}/interview/",
        {"held_on": "2026-11-25", "attendees": "县人社局局长、办公室主任", "summary": "约谈整改留言办理问题"},
        format="json",
    )
    assert r.status_code == 200 and rect.interviews.get().attendees.startswith("县人社局")
    assert (
        api_for(tree.editor_b)
        .post(f"/api/v1/assessment/rectifications/{rect.pk}/interview/", {}, format="json")
        .status_code
        == 403
    )


def test_rectification_due_dates_follow_the_calendar(tree, committed):
    from gongkai.core import services as core_services

    with time_machine.travel(ISSUE_DAY, tick=False):
        rect = services.rectification_create(actor=tree.office, unit=tree.dept_a, problems="首页不更新")
    assert rect.due_on == dt.date(2026, 10, 22)
    period = __import__("gongkai.core.models", fromlist=["LegalPeriod"]).LegalPeriod.objects.get(
        code="assessment.rectification"
    )
    committed(core_services.period_update, actor=tree.sysadmin, period=period, length=10)
    rect.refresh_from_db()
    assert rect.due_on == dt.date(2026, 10, 15)  # recomputed on commit of the period change


def test_documents_come_from_editable_templates(tree, committed):
    with pytest.raises(Exception, match="模板语法错误"):
        services.template_update(actor=tree.office, kind="notice", title="整改通知书", body="{% for x in %}")
    services.template_update(
        actor=tree.office, kind="notice", title="整改通知书", body="{{ unit }}：请于{{ due }}前整改。\n特此通知"
    )
    rect = committed(services.rectification_create, actor=tree.office, unit=tree.dept_b, problems="x")
    rect.refresh_from_db()
    from docx import Document

    paragraphs = [p.text for p in Document(io.BytesIO(rect.notice_docx.open("rb").read())).paragraphs]
    assert (
        paragraphs[0] == "整改通知书"
        and paragraphs[1].startswith(f"{tree.dept_b.name}：请于")
        and paragraphs[-1] == "特此通知"
    )


def test_unit_b_cannot_see_unit_a_rectification(leak, tree, client_for, api_for, committed):
    rect = issue(tree, committed).rectifications.get()
    assert client_for(tree.editor_b).get(f"/workbench/assessment/rectifications/{rect.pk}/").status_code == 403
    assert api_for(tree.editor_b).get(f"/api/v1/assessment/rectifications/{rect.pk}/").status_code == 404
    assert client_for(tree.editor_b).get(f"/workbench/assessment/documents/notice/{rect.pk}.pdf").status_code == 403
    ok = client_for(tree.editor_a).get(f"/workbench/assessment/documents/notice/{rect.pk}.pdf")
    assert ok.status_code == 200 and b"".join(ok.streaming_content).startswith(b"%PDF")

"""Workbench and portal pages, exports, permissions — through HTTP."""

import io
import json

import pytest
from django.urls import reverse

from gongkai.reports import services
from gongkai.reports.models import AnnualReport, ReportStatus

from .conftest import fill_manual

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tree, county_records):
    return services.report_generate(actor=tree.office, unit=tree.county, year=2025)


def test_office_generates_reviews_and_publishes_over_http(tree, county_records, client_for):
    c = client_for(tree.office)
    assert c.get(reverse("reports_wb:index")).status_code == 200
    resp = c.post(reverse("reports_wb:generate"), {"unit": tree.county.pk, "year": 2025})
    report = AnnualReport.objects.get(unit=tree.county, year=2025)
    assert resp.status_code == 302 and resp.url == reverse("reports_wb:detail", args=[report.pk])
    page = c.get(resp.url).content.decode()
    for label in (
        "一、本年新收政府信息公开申请数量",
        "（七）总计",
        "四、结转下年度继续办理",
        "法人或其他组织",
        "社会公益组织",
        "未经复议直接起诉",
        "复议后起诉",
        "第二十条第（八）项",
        "本年收费金额（单位：万元）",
    ):
        assert label in page
    assert "核对未通过" in page or "项核对未通过" in page
    # publishing refused, page says why
    resp = c.post(reverse("reports_wb:publish", args=[report.pk]), follow=True)
    assert "核对未通过" in resp.content.decode() and "行政许可" in resp.content.decode()
    # manual figure through the form: bad input gets a Chinese error, not a 500
    url = reverse("reports_wb:figure", args=[report.pk, "t2", "licence", "decisions"])
    resp = c.post(url, {"value": "-5", "reason": "县行政审批局统计报表"})
    assert resp.status_code == 200 and "数值不能为负数" in resp.content.decode()
    for row, col, v in (
        ("licence", "decisions", "152"),
        ("penalty", "decisions", "37"),
        ("enforcement", "decisions", "0"),
        ("fees", "amount", "3.25"),
    ):
        resp = c.post(
            reverse("reports_wb:figure", args=[report.pk, "t2", row, col]),
            {"value": v, "reason": "县行政审批局2025年度统计报表"},
        )
        assert resp.status_code == 302
    resp = c.post(
        reverse("reports_wb:edit", args=[report.pk]),
        {"title": report.title, "overview": "2025年，全县政务公开工作稳步推进。"},
    )
    assert resp.status_code == 302
    resp = c.post(reverse("reports_wb:publish", args=[report.pk]), follow=True)
    assert "报告已发布" in resp.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    # the portal lists and shows it; personal data never appears
    index = c.get(reverse("reports:index")).content.decode()
    assert report.title in index
    public = c.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "（七）总计" in public and "王小明" not in public and "13905781234" not in public


def test_trace_lists_the_records_counted(tree, county_records, draft, client_for):
    c = client_for(tree.office)
    detail = c.get(reverse("reports_wb:detail", args=[draft.pk])).content.decode()
    trace_url = reverse("reports_wb:trace", args=[draft.pk, "t3", "open", "natural"])
    assert trace_url in detail
    page = c.get(trace_url).content.decode()
    r = county_records["requests"]
    for key in ("open1", "open2", "carried"):
        assert r[key].tracking_code in page
    assert r["partial"].tracking_code not in page
    assert "王小明" not in page  # the applicant's name is not needed to trace a figure


def test_user_of_another_unit_cannot_read_or_change(tree, county_records, client_for):
    report = services.report_generate(actor=tree.editor_a, unit=tree.dept_a, year=2025)
    c = client_for(tree.editor_b)
    assert c.get(reverse("reports_wb:detail", args=[report.pk])).status_code == 403
    assert c.get(reverse("reports_wb:trace", args=[report.pk, "t3", "new", "natural"])).status_code == 403
    assert c.get(reverse("reports_wb:export", args=[report.pk, "docx"])).status_code == 403
    resp = c.post(
        reverse("reports_wb:figure", args=[report.pk, "t2", "licence", "decisions"]),
        {"value": "1", "reason": "试试看看"},
    )
    assert resp.status_code == 403
    assert c.post(reverse("reports_wb:generate"), {"unit": tree.dept_a.pk, "year": 2025}).status_code == 403
    listing = c.get(reverse("reports_wb:index")).content.decode()
    assert report.title not in listing
    # drafts are not public
    assert c.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert c.get(reverse("reports_wb:oversight")).status_code == 403


def test_exports_docx_pdf_json(tree, county_records, draft, client_for):
    from docx import Document

    c = client_for(tree.office)
    resp = c.get(reverse("reports_wb:export", args=[draft.pk, "json"]))
    data = json.loads(resp.content)
    row = next(r for r in data["tables"]["表三"]["rows"] if r[0] == "一、本年新收政府信息公开申请数量")
    assert row[1:] == [4, 1, 0, 0, 2, 0, 7]
    assert data["tables"]["表三"]["columns"][-1] == "总计"
    resp = c.get(reverse("reports_wb:export", args=[draft.pk, "docx"]))
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(resp.content))
    assert doc.paragraphs[0].text == draft.title
    assert doc.paragraphs[1].text == "（草稿，未发布）"
    t3 = next(t for t in doc.tables if t.cell(0, 3).text == "申请人情况")
    assert len(t3.rows) == 3 + 25 and len(t3.columns) == 10
    assert t3.cell(0, 0).text.startswith("（本列数据的勾稽关系")
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # merged 3×3 header corner
    assert t3.cell(1, 4).text == "法人或其他组织" and t3.cell(1, 4)._tc is t3.cell(1, 8)._tc
    new_row = next(r for r in t3.rows if r.cells[0].text == "一、本年新收政府信息公开申请数量")
    assert [cell.text for cell in new_row.cells[3:]] == ["4", "1", "0", "0", "2", "0", "7"]
    t4 = next(t for t in doc.tables if t.cell(0, 0).text == "行政复议")
    assert len(t4.columns) == 15 and t4.cell(1, 5).text == "未经复议直接起诉"
    import zipfile

    with zipfile.ZipFile(io.BytesIO(resp.content)) as z:
        assert 'w:eastAsia="仿宋"' in z.read("word/document.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
        assert 'w:name="仿宋"' in fonts and 'w:altName w:val="WenQuanYi Micro Hei"' in fonts
    resp = c.get(reverse("reports_wb:export", args=[draft.pk, "pdf"]))
    assert resp.content[:5] == b"%PDF-"
    assert c.get(reverse("reports_wb:export", args=[draft.pk, "exe"])).status_code == 404


def test_oversight_shows_unpublished_units_and_days_left(tree, county_records, client_for, time_machine):
    time_machine.move_to("2026-01-21 10:00 +08:00")
    services.report_generate(actor=tree.office, unit=tree.dept_a, year=2025)
    c = client_for(tree.office)
    page = c.get(reverse("reports_wb:oversight") + "?year=2025").content.decode()
    assert "松阳县民政局" in page and "松阳县人力资源和社会保障局" in page and "西屏街道" in page
    assert "10 天" in page  # 民政局 (department): 31 January
    assert "69 天" in page  # 县政府: 31 March
    assert "松阳县第一中学" not in page
    assert "草稿中" in page and "未开始" in page


def test_generate_all_runs_in_parallel_tasks_with_progress(
    tree, county_records, client_for, django_capture_on_commit_callbacks
):
    # 人社局 already published: it is skipped, its figures stay frozen
    done = services.report_publish(
        actor=tree.office,
        report=fill_manual(services.report_generate(actor=tree.office, unit=tree.dept_b, year=2025), tree.office),
    )
    c = client_for(tree.office)
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(reverse("reports_wb:generate-all"), {"year": 2025, "root": tree.county.pk})
    assert resp.status_code == 302
    # eager Celery in tests: the chord has run when the transaction committed
    page = c.get(resp.url, HTTP_HX_REQUEST="true").content.decode()
    assert "100%" in page and "已完成 4" in page and "1 个单位已发布" in page
    # the county government, its 2 townships and the other department (not the school)
    assert set(AnnualReport.objects.filter(year=2025, status="draft").values_list("unit__name", flat=True)) == {
        "松阳县人民政府",
        "西屏街道",
        "古市镇",
        "松阳县民政局",
    }
    done.refresh_from_db()
    assert done.status == "published"


def test_dashboards_and_csv(tree, county_records, client_for):
    c = client_for(tree.office)
    page = c.get(reverse("reports_wb:statistics") + "?year=2025").content.decode()
    assert "依申请公开：本年度办理结果" in page and "echarts.min.js" in page
    csv = c.get(reverse("reports_wb:statistics-csv", args=["requests_by_outcome"]) + "?year=2025").content.decode(
        "utf-8-sig"
    )
    assert "（一）予以公开,3" in csv
    public = c.get(reverse("reports:statistics") + "?year=2025")
    assert public.status_code == 200
    assert c.get(reverse("reports:statistics-csv", args=["requests_by_applicant"]) + "?year=2025").status_code == 200
    assert c.get(reverse("reports:statistics-csv", args=["nope"])).status_code == 404


def test_on_time_rate_and_page_view_counter(tree, county_records, client_for):
    import datetime as dt

    from gongkai.core import pageviews
    from gongkai.core.models import PageView
    from gongkai.reports import selectors, stats

    r = county_records["requests"]
    from gongkai.requests.models import InformationRequest

    InformationRequest.objects.filter(pk=r["open1"].pk).update(due_date=dt.date(2025, 3, 31))  # answered 20 Mar
    InformationRequest.objects.filter(pk=r["partial"].pk).update(due_date=dt.date(2025, 5, 20))  # answered 30 May
    chart = next(c for c in stats.dashboard(tree.county, 2025, public=True) if c.key == "requests_on_time")
    assert chart.rows[-1] == ["合计", 2, 1, 50.0]
    # the counter: one row per object and day, counts only
    pageviews.count("catalogue.item", 7)
    pageviews.count("catalogue.item", 7)
    pageviews.count("catalogue.item", 9)
    assert PageView.objects.get(object_type="catalogue.item", object_id="7").count == 2
    assert selectors.top_viewed("catalogue.item", since=dt.date(2000, 1, 1)) == [("7", 2), ("9", 1)]


def test_public_pages_do_not_list_drafts_and_show_versions(tree, county_records, client):
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    assert report.title not in client.get(reverse("reports:index")).content.decode()
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404
    v1 = services.report_publish(actor=tree.office, report=fill_manual(report, tree.office))
    v2 = services.report_publish(
        actor=tree.office, report=services.report_correct(actor=tree.office, report=v1, note="更正表二行政许可数量")
    )
    old = client.get(reverse("reports:detail", args=[v1.pk])).content.decode()
    assert "这是已被更正的第1版" in old and reverse("reports:detail", args=[v2.pk]) in old
    new = client.get(reverse("reports:detail", args=[v2.pk])).content.decode()
    assert "更正表二行政许可数量" in new
    index = client.get(reverse("reports:index")).content.decode()
    assert index.count(report.title) == 1  # the archive lists the current version
    assert client.get(reverse("reports:download", args=[v2.pk, "docx"])).status_code == 200


def test_record_pages_count_their_views(tree, county_records, client, client_for):
    from gongkai.core.models import PageView

    doc = county_records["docs"]["n1"]
    url = reverse("publications:detail", args=[doc.pk])
    assert client.get(url).status_code == 200
    client.get(url, HTTP_USER_AGENT="Baiduspider/2.0")  # crawlers are not counted
    client.get(reverse("publications:detail", args=[999999]))  # no such record
    client.get(reverse("reports:index"))  # not a counted page
    client_for(tree.editor_a).get(url)  # staff are not counted
    views = list(PageView.objects.values_list("object_type", "object_id", "count"))
    assert views == [("publications.publication", str(doc.pk), 1)]


def test_public_statistics_per_township_and_csv_is_safe(tree, county_records, client):
    page = client.get(reverse("reports:statistics") + f"?year=2025&unit={tree.town_a.pk}").content.decode()
    assert "西屏街道" in page
    csv = client.get(
        reverse("reports:statistics-csv", args=["requests_by_outcome"]) + f"?year=2025&unit={tree.town_a.pk}"
    ).content.decode("utf-8-sig")
    assert "（四）无法提供,1" in csv and "（一）予以公开,0" in csv  # only the township's request
    # a unit that is not a government under the county falls back to the county
    page = client.get(reverse("reports:statistics") + f"?unit={tree.dept_a.pk}").content.decode()
    assert "政务公开统计 · 松阳县人民政府" in page


def test_csv_neutralises_formulas():
    from gongkai.reports import stats, stats_views

    resp = stats_views._csv(
        stats.Chart("top_terms", "热门检索词", "hbar", ["检索词", "次数"], [["=HYPERLINK(1)", 3]]), "x"
    )
    assert "'=HYPERLINK(1),3" in resp.content.decode("utf-8-sig")


def test_trace_of_a_library_figure_lists_the_documents(tree, county_records, draft, client_for):
    c = client_for(tree.office)
    page = c.get(reverse("reports_wb:trace", args=[draft.pk, "t2", "normative", "in_force"])).content.decode()
    docs = county_records["docs"]
    for key in ("n1", "n2", "old2"):
        assert docs[key].title in page
    assert docs["old"].document_number not in page  # repealed in 2025: not in force
    assert reverse("publications_wb:detail", args=[docs["n1"].pk]) in page


def test_public_api_lists_published_reports_only(tree, county_records, api_for, client):
    draft = services.report_generate(actor=tree.office, unit=tree.dept_a, year=2025)
    pub = services.report_publish(
        actor=tree.office,
        report=fill_manual(services.report_generate(actor=tree.office, unit=tree.county, year=2025), tree.office),
    )
    api = api_for()
    data = api.get("/api/v1/annual-reports/?year=2025").json()
    assert [r["id"] for r in data] == [pub.pk]
    assert api.get(f"/api/v1/annual-reports/{draft.pk}/").status_code == 404
    detail = api.get(f"/api/v1/annual-reports/{pub.pk}/").json()
    assert detail["tables"]["表三"]["rows"][0][0] == "一、本年新收政府信息公开申请数量"
    assert api.get("/api/v1/annual-reports/?year=abc").status_code == 400
    assert "annual-reports" in client.get("/api/schema/").content.decode()


def test_trace_of_a_total_lists_the_records_of_its_parts(tree, county_records, draft, client_for):
    c = client_for(tree.office)
    page = c.get(reverse("reports_wb:trace", args=[draft.pk, "t3", "result_total", "total"])).content.decode()
    r = county_records["requests"]
    for key in ("open1", "open2", "carried", "partial", "not_held", "process", "repeat"):
        assert r[key].tracking_code in page
    assert r["open_eoy"].tracking_code not in page
    page = c.get(reverse("reports_wb:trace", args=[draft.pk, "t4", "count", "review_total"])).content.decode()
    assert r["process"].tracking_code in page and r["not_held"].tracking_code not in page


def test_check_messages_and_figure_notes_follow_the_visitors_language(tree, county_records, client_for):
    report = fill_manual(services.report_generate(actor=tree.office, unit=tree.county, year=2025), tree.office)
    stored = next(c for c in report.checks if c["code"] == "t2_manual_notes")
    # stored: the 简体 source of the message, translated when shown
    assert stored["ok"] and stored["message"] == {"msg": "人工填报的数字均注明了来源", "params": {}}
    c = client_for(tree.office)
    url = reverse("reports_wb:detail", args=[report.pk])
    en = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Every figure entered by hand names its source" in en and "注明了来源" not in en
    # the source note is what staff typed: shown as typed, in any language
    assert "entered by hand, source: 县行政审批局、县综合执法局2025年度统计报表" in en
    hant = c.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hant").content.decode()
    assert "人工填報的數字均註明" in hant and "注明了来源" not in hant
    # (GET pages in 繁體 also show database text converted)
    assert "：人工填報，來源：縣行政審批局、縣綜合執法局2025年度統計報表" in hant

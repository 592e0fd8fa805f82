"""Generating, adjusting, checking, publishing and correcting a report, against real records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.messages import render
from gongkai.core.models import AuditEvent
from gongkai.reports import engine, services
from gongkai.reports.models import AnnualReport, FigureChange, ReportStatus

from .conftest import fill_manual, make_request

pytestmark = pytest.mark.django_db


def test_county_figures_match_the_records(tree, county_records):
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    f = report.figures
    exp = county_records["expected"]
    for (row, col), n in exp["t3"].items():
        assert f["t3"][row][col]["v"] == n, (row, col)
    # every other table 三 cell is zero
    nonzero = {(r, c) for r, cols in f["t3"].items() for c, cell in cols.items() if cell["v"] and c != "total"}
    assert nonzero == {k for k in exp["t3"] if k[1] != "total"}
    assert f["t3"]["open"]["total"]["v"] == 3
    for col, n in exp["t4"].items():
        assert f["t4"]["count"][col]["v"] == n
    assert sum(cell["v"] for cell in f["t4"]["count"].values()) == 4
    for (row, col), n in exp["t2"].items():
        assert f["t2"][row][col]["v"] == n
    assert f["t2"]["rules"]["made"]["v"] == 0
    # traceable: the ids behind a figure are exactly the records counted
    r = county_records["requests"]
    assert sorted(f["t3"]["open"]["natural"]["ids"]) == sorted([r["open1"].pk, r["open2"].pk, r["carried"].pk])
    assert f["t3"]["carried_out"]["legal"]["ids"] == [r["open_eoy"].pk]
    assert f["t2"]["normative"]["repealed"]["ids"] == [county_records["docs"]["old"].pk]
    checks = {c["code"]: c for c in report.checks}
    assert checks["t3_balance"]["ok"] and checks["t3_totals"]["ok"] and checks["t4_totals"]["ok"]
    assert checks["t2_library"]["ok"] and checks["traceable"]["ok"]
    assert not checks["complete"]["ok"]  # licences etc. not yet entered
    assert AuditEvent.objects.filter(action="reports.report.generate", object_id=str(report.pk)).exists()


def test_department_report_counts_only_its_own_unit(tree, county_records):
    report = services.report_generate(actor=tree.leader_a, unit=tree.dept_a, year=2025)
    t3 = report.figures["t3"]
    assert t3["new"]["total"]["v"] == 2 and t3["carried_in"]["total"]["v"] == 1
    assert tree.school.pk not in report.unit_ids  # public institutions report under their own rules


def test_publish_blocked_until_checks_pass_then_frozen(tree, county_records):
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    with pytest.raises(services.PublishBlocked) as exc:
        services.report_publish(actor=tree.office, report=report)
    assert any(c["code"] == "complete" for c in exc.value.failing)
    report = fill_manual(report, tree.office)
    report = services.report_publish(actor=tree.office, report=report)
    assert report.status == ReportStatus.PUBLISHED and report.published_at
    frozen = report.figures
    # new records after publication never change the published figures
    make_request(tree.county, received_on=dt.date(2025, 11, 11), finished_on=dt.date(2025, 11, 20), outcome="public")
    report.refresh_from_db()
    assert report.figures == frozen
    with pytest.raises(ValidationError, match="冻结"):
        services.report_adjust_figure(
            actor=tree.office, report=report, table="t3", row="open", col="natural", value=9, reason="补录纸质申请"
        )
    with pytest.raises(ValidationError, match="冻结"):
        services.report_update_text(actor=tree.office, report=report, title="x", overview="y")
    with pytest.raises(ValidationError, match="已发布"):
        services.report_generate(actor=tree.office, unit=tree.county, year=2025)


def test_publish_refused_when_records_changed_since_review(tree, county_records):
    report = fill_manual(services.report_generate(actor=tree.office, unit=tree.county, year=2025), tree.office)
    make_request(tree.dept_a, received_on=dt.date(2025, 9, 1), finished_on=dt.date(2025, 9, 5), outcome="public")
    with pytest.raises(services.PublishBlocked, match="重新核对"):
        services.report_publish(actor=tree.office, report=report)
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    assert report.figures["t3"]["new"]["natural"]["v"] == 5
    assert services.report_publish(actor=tree.office, report=report).status == ReportStatus.PUBLISHED


def test_adjustment_needs_reason_breaks_balance_and_is_audited(tree, county_records):
    report = fill_manual(services.report_generate(actor=tree.office, unit=tree.county, year=2025), tree.office)
    with pytest.raises(ValidationError, match="理由"):
        services.report_adjust_figure(
            actor=tree.office, report=report, table="t3", row="new", col="natural", value=5, reason=""
        )
    with pytest.raises(ValidationError, match="自动求和"):
        services.report_adjust_figure(
            actor=tree.office, report=report, table="t3", row="new", col="total", value=5, reason="纸质申请补录"
        )
    report = services.report_adjust_figure(
        actor=tree.office,
        report=report,
        table="t3",
        row="new",
        col="natural",
        value=5,
        reason="一件当面提交的纸质申请未录入系统",
    )
    cell = report.figures["t3"]["new"]["natural"]
    assert cell["v"] == 5 and cell["computed"] == 4 and cell["src"] == "adjusted"
    assert report.figures["t3"]["new"]["total"]["v"] == 8
    failing = {c["code"]: c for c in report.checks if not c["ok"]}
    assert "t3_balance" in failing and "自然人列" in render(failing["t3_balance"]["message"])
    with pytest.raises(services.PublishBlocked):
        services.report_publish(actor=tree.office, report=report)
    # completing the adjustment (the paper request was answered: 予以公开) restores the balance
    report = services.report_adjust_figure(
        actor=tree.office, report=report, table="t3", row="open", col="natural", value=4, reason="该纸质申请已予以公开"
    )
    assert all(c["ok"] for c in report.checks), [c["message"] for c in report.check_results if not c["ok"]]
    assert FigureChange.objects.filter(report=report, kind="adjust").count() == 2
    ev = AuditEvent.objects.filter(action="reports.figure.adjust").order_by("-id").first()
    assert ev.after["reason"] == "该纸质申请已予以公开" and ev.before["computed"] == 3
    # adjustments survive a recomputation
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    assert report.figures["t3"]["new"]["natural"]["v"] == 5
    assert all(c["ok"] for c in report.checks), [c["message"] for c in report.check_results if not c["ok"]]
    published = services.report_publish(actor=tree.office, report=report)
    assert published.status == ReportStatus.PUBLISHED


@pytest.mark.parametrize("value,msg", [("-3", "负数"), ("十二", "不是有效的数字"), ("2.5", "整数")])
def test_manual_figures_validated(tree, county_records, value, msg):
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    with pytest.raises(ValidationError, match=msg):
        services.report_set_manual_figure(
            actor=tree.office, report=report, row="licence", col="decisions", value=value, note="县行政审批局统计报表"
        )
    with pytest.raises(ValidationError, match="来源"):
        services.report_set_manual_figure(
            actor=tree.office, report=report, row="licence", col="decisions", value=3, note=""
        )
    with pytest.raises(ValidationError, match="系统根据记录统计"):
        services.report_set_manual_figure(
            actor=tree.office, report=report, row="rules", col="made", value=3, note="县司法局统计报表"
        )


def test_table2_library_check_fails_on_adjusted_counts(tree, county_records):
    report = fill_manual(services.report_generate(actor=tree.office, unit=tree.county, year=2025), tree.office)
    report = services.report_adjust_figure(
        actor=tree.office, report=report, table="t2", row="normative", col="made", value=3, reason="含一件联合发文"
    )
    failing = {c["code"]: c for c in report.checks if not c["ok"]}
    assert "t2_library" in failing and "报告 3，文件库 2" in render(failing["t2_library"]["message"])


def test_correction_creates_new_version_and_supersedes_on_publish(tree, county_records):
    v1 = services.report_publish(
        actor=tree.office,
        report=fill_manual(services.report_generate(actor=tree.office, unit=tree.county, year=2025), tree.office),
    )
    with pytest.raises(ValidationError, match="说明"):
        services.report_correct(actor=tree.office, report=v1, note="")
    make_request(tree.county, received_on=dt.date(2025, 10, 8), finished_on=dt.date(2025, 10, 20), outcome="public")
    v2 = services.report_correct(actor=tree.office, report=v1, note="补充统计一件遗漏的依申请公开办件")
    assert v2.version == 2 and v2.status == ReportStatus.DRAFT and v2.supersedes == v1
    assert v2.figures["t3"]["new"]["natural"]["v"] == 5 and v2.figures["t2"]["licence"]["decisions"]["v"] == 152
    assert v2.overview == v1.overview
    v1.refresh_from_db()
    assert v1.status == ReportStatus.PUBLISHED and v1.figures["t3"]["new"]["natural"]["v"] == 4
    v2 = services.report_publish(actor=tree.office, report=v2)
    v1.refresh_from_db()
    assert v1.status == ReportStatus.SUPERSEDED and v2.status == ReportStatus.PUBLISHED
    assert v1.figures["t3"]["new"]["natural"]["v"] == 4  # the archived version is unchanged


def test_carry_over_checked_against_last_years_published_report(tree, county_records):
    r24 = services.report_generate(actor=tree.office, unit=tree.dept_a, year=2024)
    assert r24.figures["t3"]["carried_out"]["natural"]["v"] == 1
    r24 = fill_manual(r24, tree.office)
    services.report_publish(actor=tree.office, report=r24)
    r25 = services.report_generate(actor=tree.office, unit=tree.dept_a, year=2025)
    check = next(c for c in r25.checks if c["code"] == "t3_carry_over")
    assert check["ok"]


def test_other_units_staff_cannot_touch_the_report(tree, county_records):
    with pytest.raises(PermissionDenied):
        services.report_generate(actor=tree.editor_b, unit=tree.dept_a, year=2025)
    report = services.report_generate(actor=tree.editor_a, unit=tree.dept_a, year=2025)
    with pytest.raises(PermissionDenied):
        services.report_update_text(actor=tree.editor_b, report=report, title="x", overview="y")
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=tree.editor_a, report=report)  # editors draft; leaders/office publish


def test_deadlines_art_49():
    from gongkai.core.models import Organisation

    gov = Organisation(kind="government")
    dept = Organisation(kind="department")
    assert engine.legal_deadline(dept, 2025) == dt.date(2026, 1, 31)
    assert engine.legal_deadline(gov, 2025) == dt.date(2026, 3, 31)


def test_generated_text_follows_figures_until_staff_edit_it(tree, county_records):
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    assert "新收政府信息公开申请7件" in report.requests_text
    make_request(tree.county, received_on=dt.date(2025, 9, 9), finished_on=dt.date(2025, 9, 19), outcome="public")
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    assert "新收政府信息公开申请8件" in report.requests_text
    report = services.report_update_text(
        actor=tree.office,
        report=report,
        title=report.title,
        requests_text="本年度申请量较上年明显增加，主要集中在社会救助领域。",
    )
    make_request(tree.county, received_on=dt.date(2025, 9, 10))
    report = services.report_generate(actor=tree.office, unit=tree.county, year=2025)
    assert report.requests_text == "本年度申请量较上年明显增加，主要集中在社会救助领域。"


def test_workbench_panel_lists_units_not_yet_published(tree, county_records):
    from gongkai.reports import selectors

    panels = selectors.workbench_panels(tree.office)
    assert panels and "年度报告发布进度" in panels[0]["title"]
    assert any("松阳县民政局" in label or "民政局" in label for label, _url in panels[0]["items"])
    assert selectors.workbench_panels(tree.editor_b) == []


def test_demo_loader_generates_last_years_county_draft_once(tree, county_records, time_machine):
    from django.apps import apps

    time_machine.move_to("2026-02-10 10:00 +08:00")
    config = apps.get_app_config("reports")
    ctx = {"county": tree.county, "units": {}, "users": {}, "admin": None}
    config.load_demo(ctx)
    config.load_demo(ctx)
    reports = AnnualReport.objects.filter(unit=tree.county)
    assert reports.count() == 1 and reports[0].year == 2025 and reports[0].overview

"""Annual report table 二: the 2026 report counts the unit's licences and penalties from the 双公示
records; units that do not use the module keep their manual entry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gongkai.credit import selectors, services
from gongkai.reports import services as report_services
from tests.credit.factories import licence_data, penalty_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _december_2026():
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=dt.UTC), tick=False):
        yield


def _records(tree):
    for i, decided in enumerate(["2026-02-13", "2026-05-06", "2025-12-30"]):
        services.record_create(
            actor=tree.editor_a,
            kind="penalty",
            unit=tree.dept_a,
            publish=True,
            data=penalty_data(decision_number=f"松民罚〔{decided[:4]}〕{i + 1}号", decided_on=decided),
        )
    for i, decided in enumerate(["2026-03-02", "2026-11-30"]):
        services.record_create(
            actor=tree.editor_a,
            kind="licence",
            unit=tree.dept_a,
            data=licence_data(decision_number=f"民许〔2026〕{i + 1}号", decided_on=decided, valid_from=decided),
        )


def test_decision_counts_selector(tree):
    _records(tree)
    counts = selectors.decision_counts(tree.dept_a, 2026)
    assert counts["penalty"]["count"] == 2 and counts["licence"]["count"] == 2 and counts["uses_module"]
    assert counts["enforcement"] is None
    assert selectors.decision_counts(tree.dept_b, 2026)["uses_module"] is False


def test_2026_report_table_2_counts_licences_and_penalties(tree):
    _records(tree)
    report = report_services.report_generate(actor=tree.leader_a, unit=tree.dept_a, year=2026)
    t2 = report.figures["t2"]
    assert t2["licence"]["decisions"]["v"] == 2 and t2["licence"]["decisions"]["src"] == "computed"
    assert t2["penalty"]["decisions"]["v"] == 2 and len(t2["penalty"]["decisions"]["ids"]) == 2
    assert t2["enforcement"]["decisions"]["src"] == "manual"  # 行政强制 stays a manual entry
    # a computed figure is not typed over; adjusting it needs a reason
    with pytest.raises(ValidationError, match="系统根据记录统计"):
        report_services.report_set_manual_figure(
            actor=tree.leader_a, report=report, row="penalty", col="decisions", value=5, note="县执法局统计报表"
        )
    notes = {c["code"]: c for c in report.checks}
    assert notes["t2_manual_notes"]["ok"]
    # the county's report rolls up its departments
    county = report_services.report_generate(actor=tree.office, unit=tree.county, year=2026)
    assert county.figures["t2"]["penalty"]["decisions"]["v"] == 2
    # a new penalty is counted when the draft is refreshed
    services.record_create(
        actor=tree.editor_a,
        kind="penalty",
        unit=tree.dept_a,
        data=penalty_data(decision_number="松民罚〔2026〕9号", decided_on="2026-12-01"),
    )
    report = report_services.report_generate(actor=tree.leader_a, unit=tree.dept_a, year=2026)
    assert report.figures["t2"]["penalty"]["decisions"]["v"] == 3


def test_units_without_the_module_keep_manual_entry(tree):
    _records(tree)  # unit A uses the module, unit B does not
    report = report_services.report_generate(actor=tree.leader_b, unit=tree.dept_b, year=2026)
    assert report.figures["t2"]["licence"]["decisions"]["src"] == "manual"
    report = report_services.report_set_manual_figure(
        actor=tree.leader_b,
        report=report,
        row="licence",
        col="decisions",
        value=37,
        note="县人社局2026年度行政许可统计表",
    )
    report = report_services.report_generate(actor=tree.leader_b, unit=tree.dept_b, year=2026)
    assert report.figures["t2"]["licence"]["decisions"]["v"] == 37

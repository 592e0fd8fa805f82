"""Annual report tables 三 and 四 computed from records."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from gongkai.requests import services, stats
from gongkai.requests.models import ConsultationKind, OrgType, Outcome, ReviewKind, ReviewOutcome
from tests.requests.conftest import organisation, person

pytestmark = pytest.mark.usefixtures("direct_replies")  # replies without sign-off here (see test_signoff)

D = dt.date


@pytest.fixture
def records(tree):
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        a = tree.dept_a
        ed = tree.editor_a
        # carried over from 2024: received 2024-12-20, replied 2025-01-10 (partial)
        r1 = services.request_submit(unit=a, data=person(), received_on=D(2024, 12, 20))
        services.request_reply(
            actor=ed, req=r1, outcome=Outcome.PARTIAL, reason="部分涉及个人隐私", replied_on=D(2025, 1, 10)
        )
        # finished in 2024: not in 2025 at all
        r0 = services.request_submit(unit=a, data=person(), received_on=D(2024, 11, 1))
        services.request_reply(actor=ed, req=r0, outcome=Outcome.PUBLIC, replied_on=D(2024, 11, 20))
        # 2025: already public (counts as 予以公开), law firm
        r2 = services.request_submit(unit=a, data=organisation(), received_on=D(2025, 3, 3))
        services.request_reply(actor=ed, req=r2, outcome=Outcome.PUBLIC_ALREADY, replied_on=D(2025, 3, 20))
        # 2025: withheld (process information), commercial
        r3 = services.request_submit(unit=a, data=organisation(org_type=OrgType.COMMERCIAL), received_on=D(2025, 5, 6))
        services.request_reply(
            actor=ed, req=r3, outcome=Outcome.WITHHELD_PROCESS, reason="属于内部讨论记录", replied_on=D(2025, 5, 30)
        )
        # 2025: deemed withdrawn after no correction
        r4 = services.request_submit(unit=a, data=person(), received_on=D(2025, 6, 2))
        services.request_correction_notice(
            actor=ed, req=r4, items="请写明文件名称", sent_on=D(2025, 6, 3), deadline=D(2025, 6, 20)
        )
        services.request_deem_withdrawn(actor=ed, req=r4, on=D(2025, 6, 23))
        # 2025: received in December, replied in January 2026 → carried forward
        r5 = services.request_submit(unit=a, data=organisation(org_type=OrgType.RESEARCH), received_on=D(2025, 12, 22))
        services.consultation_send(
            actor=ed,
            req=r5,
            kind=ConsultationKind.THIRD_PARTY,
            recipient="某公司",
            question="是否同意公开",
            sent_on=D(2025, 12, 23),
        )
        # 2025: repeat request
        r6 = services.request_submit(unit=a, data=person(), received_on=D(2025, 8, 1))
        services.request_reply(actor=ed, req=r6, outcome=Outcome.NOT_HANDLED_REPEAT, replied_on=D(2025, 8, 5))
        # another unit: never counted for dept_a
        services.request_submit(unit=tree.dept_b, data=person(), received_on=D(2025, 4, 1))
        return {"r1": r1, "r2": r2, "r3": r3}


def test_table3_rows_and_identity(tree, records):
    t = stats.annual_table3([tree.dept_a], 2025)
    v = t.value
    assert v("new", "natural") == 2 and v("new", "legal") == 1 and v("new", "commercial") == 1
    assert v("new", "research") == 1 and v("new", "total") == 5
    assert v("carried", "natural") == 1 and v("carried", "total") == 1
    assert v("public", "legal") == 1  # 已主动公开 → 予以公开
    assert v("partial", "natural") == 1
    assert v("withheld", "commercial") == 1 and v("withheld.6", "commercial") == 1
    assert v("other.1", "natural") == 1 and v("other", "natural") == 1
    assert v("not_handled.2", "natural") == 1
    assert v("finished", "total") == 5 and v("forward", "research") == 1 and v("forward", "total") == 1
    for col, _ in stats.COLUMNS:
        assert v("new", col) + v("carried", col) == v("finished", col) + v("forward", col), col
        sections = ["public", "partial", "withheld", "unavailable", "not_handled", "other"]
        assert sum(v(s, col) for s in sections) == v("finished", col)
    # 2026 starts with last year's carried-forward request
    t26 = stats.annual_table3([tree.dept_a], 2026)
    assert t26.value("carried", "research") == 1


def test_table3_rows_match_the_national_form():
    labels = [label for _, label, _ in stats.ROWS]
    assert labels[0].startswith("一、本年新收") and labels[-1] == "四、结转下年度继续办理"
    assert sum(1 for k, _, _ in stats.ROWS if k.startswith("withheld.")) == 8
    assert sum(1 for k, _, _ in stats.ROWS if k.startswith("unavailable.")) == 3
    assert sum(1 for k, _, _ in stats.ROWS if k.startswith("not_handled.")) == 5
    assert sum(1 for k, _, _ in stats.ROWS if k.startswith("other.")) == 3
    assert set(stats.OUTCOME_ROWS) == set(Outcome)
    assert [c for _, c in stats.COLUMNS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]


def test_table4(tree, records):
    r1, r2 = records["r1"], records["r2"]
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0), tick=False):
        services.review_case_record(
            actor=tree.editor_a,
            req=r1,
            kind=ReviewKind.REVIEW,
            filed_on=D(2025, 2, 10),
            outcome=ReviewOutcome.UPHELD,
            decided_on=D(2025, 4, 1),
        )
        services.review_case_record(
            actor=tree.editor_a,
            req=r2,
            kind=ReviewKind.LITIGATION_DIRECT,
            filed_on=D(2025, 9, 1),
            outcome=ReviewOutcome.CORRECTED,
            decided_on=D(2026, 2, 1),
        )
        services.review_case_record(
            actor=tree.editor_a, req=r2, kind=ReviewKind.LITIGATION_AFTER_REVIEW, filed_on=D(2025, 10, 1)
        )
    t = stats.annual_table4([tree.dept_a], 2025)
    assert t["review"]["upheld"] == 1 and t["review"]["total"] == 1
    assert t["litigation_direct"]["pending"] == 1  # decided only in 2026
    assert t["litigation_after_review"]["pending"] == 1
    t26 = stats.annual_table4([tree.dept_a], 2026)
    assert t26["litigation_direct"]["corrected"] == 1 and t26["review"]["total"] == 0


def test_stats_page(client_for, tree, records):
    body = client_for(tree.editor_a).get(f"/workbench/requests/stats/?unit={tree.dept_a.pk}&year=2025").content.decode()
    assert "本年新收政府信息公开申请数量" in body and "结转下年度继续办理" in body
    assert (
        client_for(tree.editor_b).get(f"/workbench/requests/stats/?unit={tree.dept_a.pk}&year=2025").status_code == 200
    )
    # editor_b asked for dept_a: falls back to own unit, never shows dept_a's figures
    body_b = (
        client_for(tree.editor_b).get(f"/workbench/requests/stats/?unit={tree.dept_a.pk}&year=2025").content.decode()
    )
    assert tree.dept_a.name not in body_b


def test_stats_csv(client_for, tree, records):
    resp = client_for(tree.editor_a).get(f"/workbench/requests/stats/?unit={tree.dept_a.pk}&year=2025&format=csv")
    text = resp.content.decode("utf-8-sig")
    assert "一、本年新收政府信息公开申请数量,2,1,1,0,1,0,5" in text
    assert "行政复议" in text


def test_table3_query_count_does_not_grow_with_requests(tree, submit, django_assert_max_num_queries):
    import datetime as dt

    from gongkai.requests.stats import annual_table3

    for _ in range(6):
        submit(tree.dept_a, received_on=dt.date(2026, 3, 2))
    with django_assert_max_num_queries(3):
        table = annual_table3([tree.dept_a], 2026)
    assert table.cells["new"]["total"] == 6

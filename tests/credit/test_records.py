"""Licences and penalties through the services, the workbench and the portal: validation,
publication deadline, display period, masking, withdrawal, credit repair, unit isolation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.actions import perform
from gongkai.core.models import AuditEvent
from gongkai.core.transitions import TransitionRefused
from gongkai.credit import selectors, services
from gongkai.credit.actions import LICENCE_ACTIONS, PENALTY_ACTIONS
from gongkai.credit.models import Penalty, State
from tests.credit.factories import licence_data, natural_person, penalty_data

pytestmark = pytest.mark.django_db

TZ = "+08:00"


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00:00{TZ}"), tick=False)


def make_penalty(tree, publish=False, **overrides):
    return services.record_create(
        actor=tree.editor_a, kind="penalty", unit=tree.dept_a, data=penalty_data(**overrides), publish=publish
    )


@at("2026-02-27")
def test_penalty_shows_its_publication_due_date_and_defaults(tree):
    p = make_penalty(tree)
    assert p.publication_due == dt.date(2026, 3, 2)
    assert p.state == State.DRAFT
    assert p.display_until == dt.date(2027, 2, 13)  # ordinary: at most one year
    assert p.authority_name == tree.dept_a.name and p.authority_code == tree.dept_a.credit_code
    assert p.penalty_types == ["warning", "fine", "confiscate_income"]
    assert str(p.fine_amount) == "5.000000"
    assert AuditEvent.objects.filter(action="credit.penalty.create", object_id=str(p.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_code": "91331124MA2A0BC12X"}, "credit_code", "校验位"),
        ({"credit_code": "9133112"}, "credit_code", "18位"),
        ({"decided_on": "2026-12-31"}, "decided_on", "晚于今天"),
        ({"display_until": "2026-01-01"}, "display_until", "早于处罚决定日期"),
        ({"display_until": "2028-01-01"}, "display_until", "最晚为 2027-02-13"),
        ({"display_until": "2026-03-01"}, "display_until", "最早为 2026-05-13"),
        ({"penalty_types": "罚款;打板子"}, "penalty_types", "不是有效的取值"),
        ({"fine_amount": "五万"}, "fine_amount", "不是数字"),
        ({"decided_on": "2026/13/45"}, "decided_on", "无法识别"),
        ({"credit_code": "", "legal_representative": ""}, "credit_code", "须填写统一社会信用代码"),
    ],
)
@at("2026-06-01")
def test_bad_input_gets_clear_errors(tree, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        make_penalty(tree, **overrides)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Penalty.objects.exists()


@at("2026-06-01")
def test_unknown_licence_category_and_validity(tree):
    with pytest.raises(ValidationError) as exc:
        services.record_create(
            actor=tree.editor_a,
            kind="licence",
            unit=tree.dept_a,
            data=licence_data(category="特别", valid_to="2025-01-01"),
        )
    assert "category" in exc.value.message_dict and "valid_to" in exc.value.message_dict
    with pytest.raises(ValidationError, match="未知的数据类别"):
        services.record_create(actor=tree.editor_a, kind="permit", unit=tree.dept_a, data={})


@at("2026-06-01")
def test_natural_person_needs_valid_id_and_is_masked(tree, client):
    with pytest.raises(ValidationError, match="身份证号码"):
        make_penalty(tree, **natural_person(id_number="331124198503121230"))
    p = make_penalty(tree, publish=True, **natural_person(), decision_number="松市监处罚〔2026〕13号")
    assert p.public_party_name == "欧**华"
    page = client.get(p.get_absolute_url()).content.decode()
    assert "欧**华" in page and "欧阳明华" not in page and p.id_number not in page
    listing = client.get("/credit/?kind=penalty").content.decode()
    assert "欧**华" in listing and p.id_number not in listing and "欧阳明华" not in listing
    # the full name of a person is not a public search key
    assert "欧**华" not in client.get("/credit/?kind=penalty&q=欧阳明华").content.decode()


@at("2026-02-27")
def test_publish_within_period_then_shown_until_display_ends(tree, client):
    p = make_penalty(tree)
    assert client.get(p.get_absolute_url()).status_code == 404  # drafts are not public
    p = perform(PENALTY_ACTIONS.get("publish"), user=tree.editor_a, obj=p)
    assert p.state == State.PUBLISHED and not p.is_late
    assert client.get(p.get_absolute_url()).status_code == 200
    with at("2027-02-13"):
        assert client.get(p.get_absolute_url()).status_code == 200  # last day of display
    with at("2027-02-14"):
        assert client.get(p.get_absolute_url()).status_code == 404  # gone from the portal at once
        assert "松市监处罚〔2026〕12号" not in client.get("/credit/").content.decode()
        assert services.expire_displays() == 1
        p.refresh_from_db()
        assert p.state == State.EXPIRED  # kept internally
        assert selectors.staff_records(tree.editor_a, "penalty").filter(pk=p.pk).exists()
        assert AuditEvent.objects.filter(action="credit.penalty.expire", object_id=str(p.pk)).exists()


def test_late_records_are_flagged_for_the_office(tree):
    with at("2026-02-27"):
        late = make_penalty(tree)
        on_time = make_penalty(tree, decision_number="松市监处罚〔2026〕14号")
        perform(PENALTY_ACTIONS.get("publish"), user=tree.editor_a, obj=on_time)
    with at("2026-03-03"):
        assert list(selectors.late_records("penalty", [tree.dept_a])) == [late]
        panel = selectors.dashboard(tree.office)
        assert panel["overdue"] == 1
        perform(PENALTY_ACTIONS.get("publish"), user=tree.editor_a, obj=late)
        late.refresh_from_db()
        assert late.is_late
        t = selectors.timeliness([tree.dept_a], 2026)
        assert (t["due"], t["on_time"], t["late"], t["overdue"], t["rate"]) == (2, 1, 1, 0, 0.5)


@at("2026-06-01")
def test_minor_penalties_are_not_published_by_default(tree):
    p = make_penalty(tree, severity="轻微")
    assert p.display_until is None
    with pytest.raises(TransitionRefused, match="轻微违法行为"):
        perform(PENALTY_ACTIONS.get("publish"), user=tree.editor_a, obj=p)
    p = perform(
        PENALTY_ACTIONS.get("edit"),
        user=tree.editor_a,
        obj=p,
        data={
            **{k: v for k, v in penalty_data(severity="minor").items()},
            "display_until": "2026-04-01",
            "penalty_types": ["warning"],
            "fine_amount": "0",
        },
    )
    assert p.display_until == dt.date(2026, 4, 1)


def test_credit_repair_only_after_minimum_period(tree):
    with at("2026-02-27"):
        p = make_penalty(tree, publish=True)
    data = {"applicant": "松阳县望松茶叶专业合作社", "received_on": "2026-05-12", "correction": "已缴清罚款并完成整改"}
    with at("2026-05-12"):
        with pytest.raises(TransitionRefused, match="最短公示期限"):
            perform(PENALTY_ACTIONS.get("repair"), user=tree.reviewer_a, obj=p, data=data)
    with at("2026-05-13"):
        with pytest.raises(PermissionDenied):
            perform(PENALTY_ACTIONS.get("repair"), user=tree.editor_a, obj=p, data=data)
        p = perform(PENALTY_ACTIONS.get("repair"), user=tree.reviewer_a, obj=p, data=data)
        assert p.state == State.REPAIRED and p.repairs.count() == 1
        assert not selectors.public_records("penalty").filter(pk=p.pk).exists()


def test_withdrawal_after_revocation_with_reason(tree, client):
    with at("2026-04-20"):
        p = make_penalty(tree, publish=True)
        lic = services.record_create(
            actor=tree.editor_a, kind="licence", unit=tree.dept_a, data=licence_data(), publish=True
        )
    with at("2026-05-11"):
        form = {"revocation_kind": "revoked", "revoked_on": "2026-04-30", "reason": "经行政复议撤销原处罚决定"}
        with pytest.raises(ValidationError):
            perform(PENALTY_ACTIONS.get("withdraw"), user=tree.reviewer_a, obj=p, data={**form, "reason": ""})
        p = perform(PENALTY_ACTIONS.get("withdraw"), user=tree.reviewer_a, obj=p, data=form)
        assert p.state == State.WITHDRAWN
        assert p.withdrawal_due == dt.date(2026, 5, 8) and p.withdrawal_late  # art. 48: 3 working days
        assert client.get(p.get_absolute_url()).status_code == 404
        lic = perform(
            LICENCE_ACTIONS.get("withdraw"), user=tree.leader_a, obj=lic, data={**form, "revoked_on": "2026-05-08"}
        )
        assert lic.status == "2" and not lic.withdrawal_late


@at("2026-06-01")
def test_unit_isolation_and_roles(tree, client_for):
    p = make_penalty(tree)
    with pytest.raises(PermissionDenied):
        services.record_create(actor=tree.editor_b, kind="penalty", unit=tree.dept_a, data=penalty_data())
    assert client_for(tree.editor_b).get(f"/workbench/credit/penalty/{p.pk}/").status_code == 403
    assert client_for(tree.editor_b).post(f"/workbench/credit/penalty/{p.pk}/act/publish/").status_code == 403
    assert not selectors.staff_records(tree.editor_b, "penalty").exists()
    assert client_for(tree.office).get(f"/workbench/credit/penalty/{p.pk}/").status_code == 200  # oversight


@at("2026-06-01")
def test_workbench_entry_detail_and_actions(tree, client_for):
    c = client_for(tree.editor_a)
    form = {
        "unit": tree.dept_a.pk,
        **penalty_data(),
        "penalty_types": ["warning", "fine"],
        "party_category": "legal_person",
        "severity": "ordinary",
    }
    bad = c.post("/workbench/credit/penalty/new/", {**form, "decided_on": "2026-12-01"})
    assert bad.status_code == 400 and "晚于今天" in bad.content.decode()
    ok = c.post("/workbench/credit/penalty/new/", form)
    assert ok.status_code == 302
    p = Penalty.objects.get()
    page = c.get(ok["Location"]).content.decode()
    assert "2026-02-26" in page or p.publication_due.isoformat() in page
    assert f"/workbench/credit/penalty/{p.pk}/act/publish/" in page
    r = c.post(f"/workbench/credit/penalty/{p.pk}/act/publish/")
    assert r.status_code == 302
    again = c.post(f"/workbench/credit/penalty/{p.pk}/act/publish/")
    assert again.status_code == 409
    listing = c.get("/workbench/credit/?kind=penalty&queue=published").content.decode()
    assert p.decision_number in listing
    assert c.get("/workbench/credit/stats/?year=2026").status_code == 200
    assert c.get("/workbench/credit/penalty/999999/").status_code == 404
    assert c.get("/workbench/credit/permit/new/").status_code == 404

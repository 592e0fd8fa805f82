"""CSV/XLSX import in the national template (row-level errors, all-or-nothing by default), CSV
export in the same column order, and the API a unit's case system posts decisions to."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine

from gongkai.core.models import AuditEvent
from gongkai.credit import importer, template
from gongkai.credit.models import Licence, Penalty, State
from tests.credit.factories import company_code, licence_data, natural_person, penalty_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        yield


def rows_for(kind, records):
    cols = template.columns(kind, with_severity=True)
    out = [[c.header for c in cols]]
    for r in records:
        out.append([r.get(c.field, "") for c in cols])
    return out


def as_csv(rows, encoding="utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def as_xlsx(rows, title_row=True) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title_row:
        ws.append(["松阳县市场监督管理局行政处罚信息（2026年第二季度）"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def penalties(n):
    return [
        penalty_data(decision_number=f"松市监处罚〔2026〕{100 + i}号", credit_code=company_code(200 + i))
        for i in range(n)
    ]


def test_csv_import_all_good_publishes(tree):
    data = as_csv(rows_for("penalty", penalties(5)))
    result = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run("q2.csv", data)
    assert result.committed and (result.total, result.created, result.published) == (5, 5, 5)
    assert Penalty.objects.filter(state=State.PUBLISHED).count() == 5
    assert set(Penalty.objects.values_list("publication_due", flat=True)) == {dt.date(2026, 3, 2)}
    event = AuditEvent.objects.get(action="credit.import")
    assert event.after["created"] == 5


def test_gbk_csv_and_xlsx_with_title_row(tree):
    gbk = as_csv(rows_for("licence", [licence_data()]), encoding="gb18030")
    r = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="licence", publish=False).run("a.csv", gbk)
    assert r.committed and Licence.objects.get().state == State.DRAFT
    xlsx = as_xlsx(rows_for("penalty", penalties(2)))
    r = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run("b.xlsx", xlsx)
    assert r.committed and r.created == 2


def test_errors_are_reported_by_row_and_nothing_is_imported(tree):
    rows = penalties(4)
    rows[1]["credit_code"] = "91331124MA2A0BC12X"
    rows[2]["decided_on"] = "2026-12-01"
    rows[3]["decision_number"] = rows[0]["decision_number"]
    result = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run(
        "bad.csv", as_csv(rows_for("penalty", rows))
    )
    assert not result.committed and result.created == 0
    messages = [str(e) for e in result.errors]
    assert messages[0].startswith("第3行“行政相对人代码_1（统一社会信用代码）”") and "校验位" in messages[0]
    assert messages[1].startswith("第4行“处罚决定日期”")
    assert "与第2行文号重复" in messages[2]
    assert not Penalty.objects.exists()
    # partial mode keeps the good rows
    partial = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty", partial=True).run(
        "bad.csv", as_csv(rows_for("penalty", rows))
    )
    assert partial.committed and partial.created == 1 and partial.error_count == 3


def test_existing_numbers_missing_columns_and_wrong_files(tree):
    importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run(
        "a.csv", as_csv(rows_for("penalty", penalties(1)))
    )
    again = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run(
        "a.csv", as_csv(rows_for("penalty", penalties(1)))
    )
    assert not again.committed and "本单位已有该文号" in str(again.errors[0])
    no_facts = [[h for h in row if h != "违法事实"] for row in [template.headers("penalty")]]
    r = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run("c.csv", as_csv(no_facts))
    assert "缺少必填列：违法事实" in str(r.errors[0])
    r = importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run(
        "d.csv", as_csv([["名称", "日期"]])
    )
    assert "未找到表头行" in str(r.errors[0])
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run("e.xlsx", b"PK\x03\x04garbage")


def test_import_is_authorised_per_unit(tree, client_for):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        importer.Importer(actor=tree.editor_b, unit=tree.dept_a, kind="penalty")
    c = client_for(tree.editor_b)
    upload = io.BytesIO(as_csv(rows_for("penalty", penalties(1))))
    upload.name = "x.csv"
    r = c.post(
        "/workbench/credit/import/", {"kind": "penalty", "unit": tree.dept_a.pk, "file": upload, "publish": "on"}
    )
    assert r.status_code == 400 and not Penalty.objects.exists()  # unit A is not a choice for unit B's editor


def test_workbench_import_shows_row_errors(tree, client_for):
    rows = penalties(2)
    rows[1]["fine_amount"] = "abc"
    upload = io.BytesIO(as_csv(rows_for("penalty", rows)))
    upload.name = "q2.csv"
    r = client_for(tree.editor_a).post(
        "/workbench/credit/import/", {"kind": "penalty", "unit": tree.dept_a.pk, "file": upload, "publish": "on"}
    )
    body = r.content.decode()
    assert r.status_code == 400 and "第3行" in body and "不是数字" in body and "未导入任何数据" in body


def test_export_in_template_order_round_trips(tree, client_for):
    rows = penalties(2) + [penalty_data(decision_number="松市监处罚〔2026〕99号", **natural_person())]
    importer.Importer(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run(
        "a.csv", as_csv(rows_for("penalty", rows))
    )
    r = client_for(tree.reviewer_a).get("/workbench/credit/export.csv?kind=penalty&year=2026")
    assert r.status_code == 200
    text = r.content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == template.headers("penalty")
    assert len(parsed) == 4
    person = next(row for row in parsed if row[0] == "欧阳明华")
    assert person[1] == "自然人" and person[template.headers("penalty").index("处罚类别")] == "警告;罚款;没收违法所得"
    assert AuditEvent.objects.filter(action="credit.export").count() == 1
    # what was exported imports again into another unit unchanged
    again = importer.Importer(actor=tree.editor_b, unit=tree.dept_b, kind="penalty").run("re.csv", r.content)
    assert again.committed and again.created == 3
    # unit B's editor cannot export unit A's records
    other = client_for(tree.editor_b).get(f"/workbench/credit/export.csv?kind=penalty&unit={tree.dept_a.pk}")
    assert other.status_code == 404


def test_template_download(tree, client_for):
    r = client_for(tree.editor_a).get("/workbench/credit/template/licence.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]] == template.headers("licence")


# --- the case-system API -----------------------------------------------------------------


def test_case_system_posts_decisions(tree, api_for):
    api = api_for(tree.editor_a)
    body = {"unit": tree.dept_a.pk, "publish": True, "external_id": "ZF-2026-0042", **penalty_data()}
    body["penalty_types"] = ["警告", "罚款", "没收违法所得"]
    r = api.post("/api/v1/credit/penalties/", body, format="json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["state"] == "published" and data["publication_due"] == "2026-03-02" and data["source"] == "api"
    assert data["is_late"] is True  # decided 2026-02-13, posted 2026-06-01
    assert [
        a["name"] for a in api_for(tree.reviewer_a).get(f"/api/v1/credit/penalties/{data['id']}/").json()["actions"]
    ] == [
        "repair",
        "withdraw",
    ]
    bad = api.post("/api/v1/credit/penalties/", {**body, "credit_code": "123"}, format="json")
    assert bad.status_code == 400 and "credit_code" in bad.json()
    dup = api.post("/api/v1/credit/penalties/", body, format="json")
    assert dup.status_code == 400 and "decision_number" in dup.json()
    assert api.post("/api/v1/credit/penalties/", ["x"], format="json").status_code == 400
    other = api_for(tree.editor_b).post("/api/v1/credit/penalties/", {**body, "decision_number": "X1"}, format="json")
    assert other.status_code in (400, 403)
    assert api_for(tree.editor_b).get(f"/api/v1/credit/penalties/{data['id']}/").status_code == 404


def test_api_actions_and_id_numbers(tree, api_for):
    api = api_for(tree.editor_a)
    body = {"unit": tree.dept_a.pk, **licence_data(), **natural_person()}
    r = api.post("/api/v1/credit/licences/", body, format="json")
    assert r.status_code == 201, r.content
    lic = r.json()
    assert lic["id_number"].startswith("3311") and "*" in lic["id_number"]
    r = api.post(f"/api/v1/credit/licences/{lic['id']}/publish/", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "published"
    r = api.post(f"/api/v1/credit/licences/{lic['id']}/publish/", {}, format="json")
    assert r.status_code == 409
    r = api.post(f"/api/v1/credit/licences/{lic['id']}/withdraw/", {"revocation_kind": "revoked"}, format="json")
    assert r.status_code == 403  # editors cannot withdraw
    r = api_for(tree.reviewer_a).post(
        f"/api/v1/credit/licences/{lic['id']}/withdraw/", {"revocation_kind": "x"}, format="json"
    )
    assert r.status_code == 400 and "revocation_kind" in r.json()


def test_import_command(tree, tmp_path):
    from django.core.management import CommandError, call_command

    good = tmp_path / "ok.csv"
    good.write_bytes(as_csv(rows_for("penalty", penalties(3))))
    call_command("import_credit", str(good), kind="penalty", unit=tree.dept_a.credit_code, user="mz_editor")
    assert Penalty.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(as_csv(rows_for("penalty", [penalty_data(decision_number="X1", decided_on="2030-01-01")])))
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_credit", str(bad), kind="penalty", unit=tree.dept_a.credit_code, user="mz_editor")
    with pytest.raises(CommandError):
        call_command("import_credit", str(good), kind="penalty", unit=tree.dept_a.credit_code, user="rs_editor")


def test_a_concurrent_entry_of_the_same_number_gives_a_clear_error(tree):
    """Between the import's duplicate check and its insert another writer takes a decision number:
    the unique constraint stops the import, which answers with a message instead of a traceback."""
    from django.core.exceptions import ValidationError

    from gongkai.credit import services

    rows = penalties(3)

    class RacedImporter(importer.Importer):
        def _write(self, rows_to_write):
            services.record_create(actor=tree.editor_a, unit=tree.dept_a, kind="penalty", data=rows[1])
            return super()._write(rows_to_write)

    with pytest.raises(ValidationError, match="相同的文号"):
        RacedImporter(actor=tree.editor_a, unit=tree.dept_a, kind="penalty").run(
            "q2.csv", as_csv(rows_for("penalty", rows))
        )
    assert not Penalty.objects.exists()

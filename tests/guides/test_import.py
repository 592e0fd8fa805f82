"""import_guides: Guangdong field names, incomplete rows as flagged drafts, refused lines, dry run, field map."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.guides import importer
from gongkai.guides.models import Guide, GuideVersion

pytestmark = pytest.mark.django_db
DATA = (Path(__file__).parent / "data" / "guangdong_guides.jsonl").read_bytes()


def test_import_report(tree):
    report = importer.import_guides(actor=tree.editor_a, unit=tree.dept_a, data=DATA)
    assert report.created == 4
    refused = dict(report.refused)
    assert set(refused) == {5, 6, 7, 8}
    assert "UTF-8" in refused[5] and "JSON" in refused[6] and "名称" in refused[7] and "对象" in refused[8]
    incomplete = {name: missing for _line, name, missing in report.incomplete}
    assert "最低生活保障对象认定" in incomplete
    assert {"受理条件", "申请材料", "法定办结时限", "到现场次数"} <= set(incomplete["最低生活保障对象认定"])
    low = GuideVersion.objects.get(name="最低生活保障对象认定")
    assert low.flagged_incomplete and low.state == "draft" and low.raw["TASK_CODE"].startswith("1144")
    estate = GuideVersion.objects.get(name="不动产首次登记")
    assert estate.legal_limit_days == 30 and estate.promised_limit_days == 5 and estate.visits == 1
    assert estate.kind == "confirmation" and [m["necessity"] for m in estate.materials] == [
        "required",
        "required",
        "optional",
    ]
    assert estate.fees == [{"item": "住宅80元/件", "standard": "", "basis": ""}]
    birth = GuideVersion.objects.get(name="再生育审批（生育登记）")
    assert birth.no_fee and birth.visits == 0 and birth.missing_elements() == [] and not birth.flagged_incomplete


def test_reimport_updates_the_draft_and_dry_run_saves_nothing(tree):
    importer.import_guides(actor=tree.editor_a, unit=tree.dept_a, data=DATA, dry_run=True)
    assert not Guide.objects.exists()
    importer.import_guides(actor=tree.editor_a, unit=tree.dept_a, data=DATA)
    again = importer.import_guides(actor=tree.editor_a, unit=tree.dept_a, data=DATA)
    assert again.created == 0 and again.updated == 4 and Guide.objects.count() == 4


def test_field_map_for_another_province(tree):
    row = {"SXMC": "户口迁移", "SSBM": "330000-001", "SXLX": "行政确认", "FDSX": "20个工作日", "CNSX": "即办"}
    data = json.dumps(row, ensure_ascii=False).encode()
    fields = {"name": "SXMC", "code": "SSBM", "kind": "SXLX", "legal_limit_days": "FDSX", "promised_limit_days": "CNSX"}
    importer.import_guides(actor=tree.editor_a, unit=tree.dept_a, data=data, field_map=fields)
    v = GuideVersion.objects.get(code="330000-001")
    assert (v.name, v.kind, v.legal_limit_days, v.promised_limit_days) == ("户口迁移", "confirmation", 20, 0)


def test_unit_b_editor_cannot_import_into_unit_a(tree):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        importer.import_guides(actor=tree.editor_b, unit=tree.dept_a, data=DATA)
    assert not Guide.objects.exists()


def test_command(tree, tmp_path, capsys):
    path = tmp_path / "guides.jsonl"
    path.write_bytes(DATA)
    call_command("import_guides", str(path), "--unit", tree.dept_a.credit_code, "--json", "--dry-run")
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 4 and out["dry_run"] and not Guide.objects.exists()

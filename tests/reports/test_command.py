import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_annual_report_command_json_and_docx(tree, county_records, tmp_path):
    out = tmp_path / "r.json"
    call_command("annual_report", unit=tree.county.credit_code, year=2025, fmt="json", output=str(out))
    data = json.loads(out.read_text())
    assert data["unit"] == "松阳县人民政府" and data["year"] == 2025
    t3 = data["tables"]["表三"]
    assert t3["columns"] == [
        "申请人情况",
        "自然人",
        "法人或其他组织·商业企业",
        "法人或其他组织·科研机构",
        "法人或其他组织·社会公益组织",
        "法人或其他组织·法律服务机构",
        "法人或其他组织·其他",
        "总计",
    ]
    assert dict((r[0], r[-1]) for r in t3["rows"])["（七）总计"] == 7
    assert len(data["tables"]["表四"]["columns"]) == 15
    docx = tmp_path / "r.docx"
    call_command("annual_report", unit=tree.county.credit_code, year=2025, fmt="docx", output=str(docx))
    assert docx.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="找不到单位"):
        call_command("annual_report", unit="NOPE", year=2025, fmt="json", output=str(out))

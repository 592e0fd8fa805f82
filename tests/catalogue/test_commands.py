"""gongkai import_catalogue / export_catalogue."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gongkai.catalogue.models import Catalogue, UnitList
from gongkai.catalogue.sample import PATH as SAMPLE

from .test_import import csv_bytes, plain_row

pytestmark = pytest.mark.django_db


def test_dry_run_prints_report_and_saves_nothing(tree):
    out = io.StringIO()
    call_command("import_catalogue", str(SAMPLE), "--dry-run", stdout=out)
    assert "共 21 行事项：21 行完整，0 行不完整（可导入，发布前须补全或确认），0 行不能导入。" in out.getvalue()
    assert not Catalogue.objects.exists()


def test_refused_rows_give_non_zero_exit_and_row_report(tree, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([plain_row(), plain_row(domain="火星开发", name="星际移民")]))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path), "--owner", tree.county.credit_code, stdout=out)
    assert "[CSV 第3行] 不能导入 星际移民" in out.getvalue()
    assert not Catalogue.objects.exists()


def test_incomplete_rows_are_saved_as_draft_and_listed(tree, tmp_path):
    path = tmp_path / "incomplete.csv"
    path.write_bytes(csv_bytes([plain_row(), plain_row(name="坏时限", timeframe="看情况")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="不能导入后立即发布"):
        call_command("import_catalogue", str(path), "--owner", tree.county.credit_code, "--publish", stdout=out)
    assert not Catalogue.objects.exists()
    out = io.StringIO()
    call_command("import_catalogue", str(path), "--owner", tree.county.credit_code, stdout=out)
    assert "[CSV 第3行] 不完整 坏时限" in out.getvalue() and "1 项要素不完整" in out.getvalue()
    assert Catalogue.objects.get().current_draft().items.filter(is_complete=False).count() == 1


def test_import_publish_and_export_unit(tree, tmp_path):
    out = io.StringIO()
    call_command(
        "import_catalogue",
        str(SAMPLE),
        "--owner",
        tree.county.credit_code,
        "--level",
        "township",
        "--publish",
        stdout=out,
    )
    assert "已发布" in out.getvalue()
    assert UnitList.objects.filter(unit=tree.town_a).count() == 3
    target = tmp_path / "xp.xlsx"
    call_command("export_catalogue", "--unit", tree.town_a.credit_code, "--output", str(target), stdout=io.StringIO())
    wb = load_workbook(target)
    assert wb.sheetnames == ["就业", "社会救助", "养老服务"]  # national guideline order
    assert "西屏街道" in wb["社会救助"]["A1"].value
    domain_file = tmp_path / "sj.xlsx"
    call_command("export_catalogue", "--domain", "社会救助", "--output", str(domain_file), stdout=io.StringIO())
    assert load_workbook(domain_file).sheetnames == ["社会救助"]


def test_command_argument_errors(tree, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_catalogue", str(tmp_path / "missing.xlsx"), "--dry-run")
    with pytest.raises(CommandError, match="--owner"):
        call_command("import_catalogue", str(SAMPLE))
    with pytest.raises(CommandError, match="领域"):
        call_command("import_catalogue", str(SAMPLE), "--dry-run", "--domain", "不存在的领域")
    with pytest.raises(CommandError, match="公开目录"):
        call_command("export_catalogue", "--unit", tree.dept_b.credit_code, "--output", str(tmp_path / "x.xlsx"))

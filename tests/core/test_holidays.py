"""Holiday import (holiday-cn JSON, CSV) through the service, the command and the calendar page.

Every error leaves the table untouched (all or nothing) and says what is wrong, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.core import services, workdays
from gongkai.core.models import AuditEvent, CalendarYear, Holiday, HolidayKind

pytestmark = pytest.mark.django_db

D = dt.date

# A 2027 schedule in the holiday-cn layout (test data shaped like the State Council notice:
# the real 2027 notice is imported the same way once it is published).
HOLIDAY_CN_2027 = {
    "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
    "year": 2027,
    "papers": ["国务院办公厅关于2027年部分节假日安排的通知（测试数据）"],
    "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": True},
        {"name": "春节", "date": "2027-02-05", "isOffDay": True},
        {"name": "春节", "date": "2027-02-06", "isOffDay": True},
        {"name": "春节", "date": "2027-02-07", "isOffDay": True},
        {"name": "春节", "date": "2027-02-08", "isOffDay": True},
        {"name": "春节", "date": "2027-02-09", "isOffDay": True},
        {"name": "春节", "date": "2027-02-10", "isOffDay": True},
        {"name": "春节", "date": "2027-02-11", "isOffDay": True},
        {"name": "春节", "date": "2027-02-20", "isOffDay": False},
        {"name": "国庆节", "date": "2027-10-01", "isOffDay": True},
        {"name": "国庆节", "date": "2027-10-09", "isOffDay": False},
    ],
}

CSV_2028 = "date,kind,name\n2028-01-01,holiday,元旦\n2028-01-24,休,春节\n2028-02-05,workday,春节\n2028-02-06,班,春节\n"


def _json_bytes(data=None):
    return json.dumps(data or HOLIDAY_CN_2027, ensure_ascii=False, indent=1).encode()


def _counts():
    return Holiday.objects.count(), CalendarYear.objects.count(), AuditEvent.objects.count()


def test_seeded_years():
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= set(range(2019, 2027))
    assert "国办发明电〔2025〕7号" in CalendarYear.objects.get(year=2026).source


def test_import_holiday_cn_json_through_service(tree):
    report = services.parse_holiday_file(_json_bytes(), "2027.json")
    assert report.ok and report.years == {2027} and len(report.rows) == 11
    services.holidays_import(actor=tree.sysadmin, report=report, source="2027.json")
    assert report.created == 11 and report.updated == 0
    assert Holiday.objects.get(date=D(2027, 2, 20)).kind == HolidayKind.WORKDAY
    assert CalendarYear.objects.filter(year=2027).exists()
    event = AuditEvent.objects.get(action="calendar.import")
    assert event.after == {"created": 11, "updated": 0, "years": [2027]} and event.actor == tree.sysadmin
    # The new year is usable at once, in this process...
    assert not workdays.is_working_day(D(2027, 2, 8))
    assert workdays.is_working_day(D(2027, 2, 20))  # Saturday make-up workday
    assert workdays.add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 12)


def test_reimport_updates_instead_of_duplicating(tree):
    for _ in range(2):
        report = services.parse_holiday_file(_json_bytes(), "2027.json")
        services.holidays_import(actor=None, report=report)
    assert report.created == 0 and report.updated == 11
    assert Holiday.objects.filter(date__year=2027).count() == 11


def test_other_processes_see_an_import():
    """A process that cached the calendar before the import reloads it (version kept in the database)."""
    stale = workdays.current_calendar()
    stale_entry = workdays._snapshot._cached
    with pytest.raises(workdays.CalendarMissing):
        stale.is_working_day(D(2027, 3, 1))
    services.holidays_import(actor=None, report=services.parse_holiday_file(_json_bytes(), "2027.json"))
    # Pretend this is another process: it still holds the old snapshot and its last check is old.
    workdays._snapshot._cached, workdays._snapshot._checked_at = stale_entry, 0.0
    assert workdays.is_working_day(D(2027, 3, 1))


def test_import_csv_through_service():
    report = services.parse_holiday_file(CSV_2028.encode("utf-8-sig"), "2028.csv")
    assert report.ok, report.errors
    services.holidays_import(actor=None, report=report, source="2028.csv")
    assert Holiday.objects.get(date=D(2028, 2, 6)).kind == HolidayKind.WORKDAY
    assert Holiday.objects.get(date=D(2028, 1, 24)).kind == HolidayKind.HOLIDAY
    assert workdays.is_working_day(D(2028, 2, 5))  # Saturday make-up


BAD_FILES = [
    ("broken.json", b'{"year": 2027, "days": [', "JSON 格式错误"),
    ("layout.json", json.dumps({"year": 2027, "holidays": []}).encode(), "不是 holiday-cn 格式"),
    ("year.json", json.dumps({"year": "明年", "days": []}).encode(), "year 无效"),
    (
        "date.json",
        _json_bytes(
            {
                **HOLIDAY_CN_2027,
                "days": HOLIDAY_CN_2027["days"] + [{"name": "劳动节", "date": "2027-05-32", "isOffDay": True}],
            }
        ),
        "日期格式错误",
    ),
    (
        "far.json",
        _json_bytes(
            {
                **HOLIDAY_CN_2027,
                "days": HOLIDAY_CN_2027["days"] + [{"name": "劳动节", "date": "2031-05-01", "isOffDay": True}],
            }
        ),
        "不属于2027年",
    ),
    (
        "flag.json",
        _json_bytes(
            {
                **HOLIDAY_CN_2027,
                "days": HOLIDAY_CN_2027["days"] + [{"name": "劳动节", "date": "2027-05-01", "isOffDay": "yes"}],
            }
        ),
        "isOffDay 应为 true 或 false",
    ),
    (
        "dup.json",
        _json_bytes(
            {
                **HOLIDAY_CN_2027,
                "days": HOLIDAY_CN_2027["days"] + [{"name": "春节", "date": "2027-02-08", "isOffDay": True}],
            }
        ),
        "日期 2027-02-08 重复",
    ),
    ("missing.json", _json_bytes({**HOLIDAY_CN_2027, "days": [{"name": "元旦", "isOffDay": True}]}), "缺少字段 date"),
    ("dup.csv", (CSV_2028 + "2028-01-01,holiday,元旦\n").encode(), "第6行：日期 2028-01-01 重复（与第2行）"),
    ("header.csv", "日期,类型\n2028-01-01,休\n".encode(), "CSV 表头应为 date,kind,name"),
    ("kind.csv", (CSV_2028 + "2028-05-01,放假,劳动节\n").encode(), "第6行：类型应为 holiday 或 workday"),
    ("baddate.csv", (CSV_2028 + "2028/05/01,holiday,劳动节\n").encode(), "第6行：日期格式错误"),
    ("gbk.csv", CSV_2028.encode("gbk"), "不是 UTF-8 编码"),
    ("empty.csv", b"", "文件为空"),
    ("bom-only.csv", b"\xef\xbb\xbf  \n", "文件为空"),
    ("empty.json", _json_bytes({"year": 2027, "days": []}), "没有任何节假日记录"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_rejected_and_nothing_is_saved(tree, name, content, message):
    before = _counts()
    report = services.parse_holiday_file(content, name)
    assert not report.ok
    assert any(message in e for e in report.errors), report.errors
    with pytest.raises(ValidationError):
        services.holidays_import(actor=tree.sysadmin, report=report)
    assert _counts() == before


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES[:6], ids=[b[0] for b in BAD_FILES[:6]])
def test_command_rejects_bad_files(tmp_path, name, content, message, capsys):
    path = tmp_path / name
    path.write_bytes(content)
    before = _counts()
    with pytest.raises(CommandError, match="未保存任何记录"):
        call_command("import_holidays", str(path))
    assert message in capsys.readouterr().err
    assert _counts() == before


def test_command_imports_json_and_csv(tmp_path, capsys):
    (tmp_path / "2027.json").write_bytes(_json_bytes())
    (tmp_path / "2028.csv").write_text(CSV_2028, encoding="utf-8")
    call_command("import_holidays", str(tmp_path / "2027.json"), str(tmp_path / "2028.csv"))
    out = capsys.readouterr().out
    assert "2027.json: 新增 11 条" in out and "2028.csv: 新增 4 条" in out
    assert CalendarYear.objects.filter(year__in=[2027, 2028]).count() == 2
    assert AuditEvent.objects.filter(action="calendar.import", actor=None).count() == 2


def test_command_is_all_or_nothing_across_files(tmp_path):
    (tmp_path / "2027.json").write_bytes(_json_bytes())
    (tmp_path / "bad.csv").write_bytes((CSV_2028 + "2028-13-01,holiday,x\n").encode())
    before = _counts()
    with pytest.raises(CommandError):
        call_command("import_holidays", str(tmp_path / "2027.json"), str(tmp_path / "bad.csv"))
    assert _counts() == before


def test_command_dry_run_and_missing_file(tmp_path, capsys):
    (tmp_path / "2027.json").write_bytes(_json_bytes())
    before = _counts()
    call_command("import_holidays", str(tmp_path / "2027.json"), "--dry-run")
    assert "试运行" in capsys.readouterr().out and _counts() == before
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_holidays", str(tmp_path / "nope.json"))


def test_only_sysadmin_imports(tree):
    report = services.parse_holiday_file(_json_bytes(), "2027.json")
    with pytest.raises(services.permissions.PermissionDenied):
        services.holidays_import(actor=tree.office, report=report)


# --- calendar page ---------------------------------------------------------------------


def test_calendar_page_lists_years(tree, client_for):
    page = client_for(tree.editor_a).get(reverse("core:holiday-list")).content.decode()
    assert "2026" in page and "国庆节" in page and "调休上班日" in page
    assert "导入下一年度安排" not in page  # not for editors


def test_calendar_page_import(tree, client_for):
    client = client_for(tree.sysadmin)
    upload = SimpleUploadedFile("2027.json", _json_bytes(), content_type="application/json")
    response = client.post(reverse("core:holiday-list"), {"i-file": upload})
    assert response.status_code == 302
    assert Holiday.objects.filter(date__year=2027).count() == 11
    page = client.get(reverse("core:holiday-list")).content.decode()
    assert "已导入 11 条节假日记录" in page and "2027-02-20" in page


def test_calendar_page_import_errors_shown_and_nothing_saved(tree, client_for):
    client = client_for(tree.sysadmin)
    before = _counts()
    upload = SimpleUploadedFile("dup.csv", (CSV_2028 + "2028-01-01,holiday,元旦\n").encode(), content_type="text/csv")
    response = client.post(reverse("core:holiday-list"), {"i-file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "文件有错误，未导入任何记录" in page and "日期 2028-01-01 重复" in page
    assert _counts() == before


def test_calendar_page_single_day_form(tree, client_for):
    client = client_for(tree.sysadmin)
    response = client.post(
        reverse("core:holiday-list"), {"h-date": "2026-12-31", "h-kind": "holiday", "h-name": "跨年调休"}
    )
    assert response.status_code == 302
    assert not workdays.is_working_day(D(2026, 12, 31))
    response = client.post(reverse("core:holiday-list"), {"h-date": "2026-13-01", "h-kind": "holiday", "h-name": "x"})
    assert response.status_code == 200 and "有效的日期" in response.content.decode()


# --- admin --------------------------------------------------------------------------------


def test_admin_edit_goes_through_the_service(tree, client):
    tree.sysadmin.is_staff = True
    tree.sysadmin.save()
    client.force_login(tree.sysadmin)
    response = client.post(
        reverse("admin:core_holiday_add"), {"date": "2026-12-31", "kind": "holiday", "name": "跨年调休"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="calendar.save")
    assert event.actor == tree.sysadmin and event.after["name"] == "跨年调休"
    holiday = Holiday.objects.get(date=D(2026, 12, 31))
    response = client.post(
        reverse("admin:core_holiday_change", args=[holiday.pk]), {"kind": "workday", "name": "跨年调休"}
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.kind == "workday" and holiday.date == D(2026, 12, 31)
    assert AuditEvent.objects.filter(action="calendar.save").count() == 2
    response = client.post(reverse("admin:core_holiday_delete", args=[holiday.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.delete").count() == 1
    assert workdays.is_working_day(D(2026, 12, 31))

"""Spreadsheet import: real layouts, row-level errors, malformed files, all-or-nothing commit."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from gongkai.catalogue import exporter, importer, services
from gongkai.catalogue.models import Catalogue, CatalogueItem, Domain
from gongkai.catalogue.sample import PATH as SAMPLE
from gongkai.core.models import Level, OrgKind

from .conftest import T20, national_elements

pytestmark = pytest.mark.django_db

PLAIN_HEADER = [
    "领域",
    "事项名称",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "公开方式",
    "公开层级",
]


def plain_row(domain="社会救助", name="低保办事指南", timeframe=T20, **over):
    row = {
        "领域": domain,
        "事项名称": name,
        "公开内容（要素）": "申请条件、材料、流程",
        "公开依据": "《社会救助暂行办法》",
        "公开时限": timeframe,
        "公开主体": "县民政局",
        "公开渠道和载体": "政府网站",
        "公开对象": "全社会",
        "公开方式": "主动",
        "公开层级": "县级、乡级",
    }
    row.update(over)
    return [row[h] for h in PLAIN_HEADER]


def csv_bytes(rows, header=PLAIN_HEADER, encoding="utf-8") -> bytes:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows, header=PLAIN_HEADER, title=None, sheet="Sheet") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_sample_spreadsheet_parses_with_merged_headers_ticks_and_same_as_above(national):
    report = importer.parse(SAMPLE.read_bytes(), filename="sample.xlsx", template=national)
    assert report.ok, report.text()
    assert [s.domain for s in report.sheets] == ["社会救助", "养老服务", "就业"]
    assert all(s.header_row == 3 for s in report.sheets)
    rows = report.by_domain()["社会救助"]
    first, second = rows[0], rows[1]
    assert (
        first.level1 == "政策文件"
        and first.elements["audience"] == ["全社会"]
        and first.elements["level"] == ["县级", "乡级"]
    )
    # 一级事项 merged over rows and 公开主体 "同上" resolved from the row above
    guide, result = rows[1], rows[2]
    assert guide.level1 == result.level1 == "最低生活保障"
    assert second.elements["subject"]
    assert all(r.elements.get("subject") and "同上" not in r.elements["subject"] for r in rows)
    assert result.elements["audience"] == ["特定群体"]


def test_commit_all_domains_as_drafts_then_publish(tree, national):
    report = importer.parse(SAMPLE.read_bytes(), filename="sample.xlsx", template=national)
    result = importer.commit(
        report,
        actor=tree.office,
        owner=tree.county,
        target_kind=OrgKind.GOVERNMENT,
        target_level=Level.TOWNSHIP,
        publish=True,
    )
    assert {c.domain.name for c, _ in result.catalogues} == {"社会救助", "养老服务", "就业"}
    for catalogue, count in result.catalogues:
        assert catalogue.latest_published().items.count() == count
        assert set(catalogue.unit_lists.values_list("unit__name", flat=True)) == {"西屏街道", "古市镇"}


def test_export_then_reimport_round_trip(tree, published, national):
    data = exporter.export_versions([published.latest_published()])
    report = importer.parse(data, filename="export.xlsx", template=national)
    assert report.ok, report.text()
    names = [(r.level1, r.name, r.mandatory) for r in report.rows]
    assert names == [(i.level1, i.name, i.mandatory) for i in published.latest_published().items.order_by("sort_order")]
    assert report.rows[0].elements == published.latest_published().items.order_by("sort_order")[0].elements


def test_reimport_revision_diffs_cleanly(tree, published, national):
    version = published.latest_published()
    rows = [
        exporter.ExportRow(
            i.level1,
            i.name,
            {**i.elements, "basis": "新依据"} if i.name == "办事指南" else i.elements,
            i.timeframe_text,
            ["是" if i.mandatory else "否"],
        )
        for i in version.items.order_by("sort_order")
    ]
    data = exporter.write_layout([("社会救助", "社会救助标准目录", rows)], national, extra_headers=["必选事项"])
    report = importer.parse(data, template=national)
    importer.commit(
        report, actor=tree.office, owner=tree.county, target_kind=OrgKind.GOVERNMENT, target_level=Level.TOWNSHIP
    )
    draft = Catalogue.objects.get(pk=published.pk).current_draft()
    diff = services.compute_diff(version, draft)
    assert diff["summary"]["added"] == 0 and diff["summary"]["removed"] == 0
    assert [c["name"] for c in diff["changed"]] == ["最低生活保障 · 办事指南"]


def test_row_level_report_incomplete_rows_import_refused_rows_block(national):
    rows = [
        plain_row(),
        plain_row(domain="火星开发", name="星际移民"),
        plain_row(name="缺依据", **{"公开依据": ""}),
        plain_row(name="时限乱写", timeframe="看情况"),
        plain_row(),  # the same name as row 2
        plain_row(name="勾选错误", **{"公开对象": "外星人"}),
        plain_row(name="", **{"公开依据": "只有依据没有名称"}),
    ]
    report = importer.parse(csv_bytes(rows), filename="x.csv", template=national)
    refused = {r.row: "；".join(r.errors) for r in report.error_rows}
    incomplete = {r.row: "；".join(r.problems) for r in report.incomplete_rows}
    assert set(refused) == {3, 8}  # unknown domain, no name
    assert "未知领域“火星开发”" in refused[3] and "缺少事项名称" in refused[8]
    assert set(incomplete) == {4, 5, 6, 7}
    assert "公开依据" in incomplete[4]
    assert "公开时限无法识别" in incomplete[5]
    assert "同名" in incomplete[6] and "第2行" in incomplete[6]
    assert "外星人" in incomplete[7]
    assert not report.ok  # refused rows block the commit
    text = report.text()
    assert "[CSV 第3行] 不能导入" in text and "[CSV 第5行] 不完整" in text
    assert "4 行不完整" in text and "2 行不能导入" in text and "未保存任何数据" in text


def test_incomplete_rows_are_imported_as_incomplete_items(tree, national):
    rows = [
        plain_row(),
        plain_row(name="缺勾选", **{"公开对象": "", "公开方式": "", "公开层级": ""}),
        plain_row(name="及时", timeframe="及时公开"),
        plain_row(),  # the same name again
    ]
    report = importer.parse(csv_bytes(rows), template=national)
    assert report.ok, report.text()
    assert [r.row for r in report.incomplete_rows] == [3, 5]
    assert report.rows[2].complete and "条例第二十六条" in report.rows[2].warnings[0]
    with pytest.raises(ValidationError, match="不能导入后立即发布"):
        importer.commit(
            report,
            actor=tree.office,
            owner=tree.county,
            target_kind="government",
            target_level="township",
            publish=True,
        )
    result = importer.commit(
        report, actor=tree.office, owner=tree.county, target_kind="government", target_level="township"
    )
    assert result.incomplete == 2
    draft = result.catalogues[0][0].current_draft()
    items = list(draft.items.order_by("sort_order"))
    assert [i.is_complete for i in items] == [True, False, True, False]
    assert "公开对象" in "；".join(items[1].problems) and "同名" in "；".join(items[3].problems)
    assert items[2].timeframe_rule == {"kind": "working_days", "text": "及时公开", "legal_default": True}
    assert len({i.item_key for i in items}) == 4


def test_commit_refuses_report_with_refused_rows(tree, national):
    report = importer.parse(csv_bytes([plain_row(), plain_row(name="")]), template=national)
    with pytest.raises(ValidationError, match="未保存任何数据"):
        importer.commit(report, actor=tree.office, owner=tree.county, target_kind="government", target_level="township")
    assert not Catalogue.objects.exists()


def test_commit_is_all_or_nothing(tree, national, assistance):
    # 就业 already has a catalogue with another template → the second domain fails → nothing saved.
    putuo = national.__class__.objects.get(key="putuo-9")
    services.catalogue_create(
        actor=tree.office,
        owner=tree.county,
        domain=Domain.objects.get(name="就业"),
        template=putuo,
        target_kind="government",
        target_level="township",
    )
    rows = [plain_row(), plain_row(domain="就业", name="招聘信息")]
    report = importer.parse(csv_bytes(rows), template=national)
    assert report.ok
    with pytest.raises(ValidationError, match="模板"):
        importer.commit(report, actor=tree.office, owner=tree.county, target_kind="government", target_level="township")
    assert not Catalogue.objects.filter(domain=assistance).exists()
    assert not CatalogueItem.objects.exists()


def test_gbk_csv_is_decoded(national):
    report = importer.parse(csv_bytes([plain_row()], encoding="gbk"), filename="gbk.csv", template=national)
    assert report.ok, report.text()
    assert report.rows[0].level1 == "低保办事指南"
    assert any("GB18030" in w for w in report.warnings)


def test_undecodable_csv(national):
    report = importer.parse(b"\xff\xfe\xfa\xfb" * 10 + "事项名称".encode("gbk"), template=national)
    assert report.file_errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"\x00\x01\x02\x03binary\x00", "无法识别"),
        (b"PK\x03\x04 not really a zip", "无法打开"),
        (b"", "为空"),
        (b"<!DOCTYPE html><html></html>", "网页"),
    ],
)
def test_wrong_file_types(national, data, message):
    report = importer.parse(data, filename="catalogue.xlsx", template=national)
    assert not report.ok
    assert message in "；".join(report.file_errors)


def test_unrecognised_headers(national):
    report = importer.parse(csv_bytes([["a", "b"]], header=["姓名", "电话"]), template=national)
    assert not report.ok and "未找到表头" in report.file_errors[0]


def test_missing_required_column_makes_every_row_incomplete(national):
    header = ["事项名称", "公开内容（要素）", "公开时限", "随便一列"]
    report = importer.parse(
        csv_bytes([["x", "y", T20, "z"]], header=header), template=national, domain=Domain.objects.get(name="就业")
    )
    assert report.ok and "公开依据" in report.sheets[0].missing_columns
    assert "公开依据" in "；".join(report.incomplete_rows[0].problems)
    assert "缺少的要素列" in report.text()


def test_empty_rows_skipped_and_reported(national):
    data = xlsx_bytes(
        [plain_row(), ["", "", ""], [None] * 10, plain_row(name="第二项")], title="松阳县社会救助领域标准目录"
    )
    report = importer.parse(data, template=national)
    assert report.ok, report.text()
    assert len(report.rows) == 2 and report.sheets[0].empty_rows == 2


def test_formulas_reported(national):
    row = plain_row()
    row[1] = '=CONCATENATE("低保","指南")'
    report = importer.parse(xlsx_bytes([row]), template=national)
    assert not report.ok  # a formula instead of a name: the row has no name
    assert "公式" in report.error_rows[0].errors[0]
    row = plain_row()
    row[3] = '=A1&"办法"'
    report = importer.parse(xlsx_bytes([row]), template=national)
    assert report.ok and "公式" in report.incomplete_rows[0].problems[0]


def test_too_many_rows_refused(national, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 50)
    rows = [plain_row(name=f"事项{i}") for i in range(120)]
    report = importer.parse(xlsx_bytes(rows), template=national)
    assert not report.ok and "上限" in report.file_errors[0]
    report = importer.parse(csv_bytes(rows), template=national)
    assert not report.ok and "上限" in report.file_errors[0]
    report = importer.parse(csv_bytes(rows), template=national, max_rows=30)
    assert "上限 30 行" in report.file_errors[0] and "gongkai import_catalogue" in report.file_errors[0]


def test_same_as_above_without_row_above(national):
    row = plain_row()
    row[5] = "同上"
    report = importer.parse(csv_bytes([row]), template=national)
    assert "上一行没有内容" in "；".join(report.incomplete_rows[0].problems)


def test_domain_from_default_and_title(national):
    header = PLAIN_HEADER[1:]
    rows = [plain_row()[1:]]
    report = importer.parse(
        xlsx_bytes(rows, header=header, title="松阳县养老服务领域基层政务公开标准目录"), template=national
    )
    assert report.ok and report.rows[0].domain == "养老服务"
    report = importer.parse(csv_bytes(rows, header=header), template=national)
    assert not report.ok and "无法确定所属领域" in report.file_errors[0]
    report = importer.parse(csv_bytes(rows, header=header), template=national, domain=Domain.objects.get(name="救灾"))
    assert report.ok and report.rows[0].domain == "救灾"


def test_haizhu_template_plain_columns(tree):
    from gongkai.catalogue.models import ElementTemplate

    haizhu = ElementTemplate.objects.get(key="haizhu-8")
    header = [
        "序号",
        "事项名称",
        "设立依据",
        "内容要求",
        "公开主体",
        "公开方式",
        "公开时限",
        "“五公开”类别",
        "事项性质",
    ]
    rows = [
        [
            1,
            "失业登记",
            "《就业服务与就业管理规定》",
            "办理条件、材料",
            "区人社局",
            "主动公开",
            "实时",
            "服务",
            "公共服务清单",
        ]
    ]
    report = importer.parse(csv_bytes(rows, header=header), template=haizhu, domain=Domain.objects.get(name="就业"))
    assert report.ok, report.text()
    assert report.rows[0].elements["mode"] == "主动" and report.rows[0].elements["stage"] == "服务"


def test_putuo_nine_element_template(tree):
    from gongkai.catalogue.models import ElementTemplate

    putuo = ElementTemplate.objects.get(key="putuo-9")
    header = [
        "信息名称",
        "公开主体",
        "公开属性",
        "部分公开情况",
        "公开理由",
        "公开依据",
        "公开形式",
        "公开时限",
        "公开平台",
        "公开载体",
    ]
    rows = [
        [
            "区级预算执行情况",
            "区财政局",
            "主动公开",
            "",
            "",
            "《预算法》第十四条",
            "全文公开",
            "每年",
            "普陀区政府门户网站",
            "网页",
        ],
        [
            "某信访事项处理意见",
            "区信访办",
            "不予公开",
            "",
            "涉及个人隐私",
            "《政府信息公开条例》第十五条",
            "—",
            "实时",
            "—",
            "—",
        ],
        ["错误属性", "区财政局", "内部", "", "", "依据", "全文", "每年", "网站", ""],
    ]
    report = importer.parse(
        csv_bytes(rows, header=header), template=putuo, domain=Domain.objects.get(name="财政预决算")
    )
    assert [r.complete for r in report.rows] == [True, True, False]
    assert report.rows[0].elements["attribute"] == "主动公开"
    assert "公开属性" in report.rows[2].problems[0]


def test_unit_export_has_source_and_responsible_unit(tree, published):
    from openpyxl import load_workbook

    from gongkai.catalogue.models import UnitList

    ul = UnitList.objects.get(unit=tree.town_a)
    services.unit_item_add_local(
        actor=tree.town_editor, unit_list=ul, level1="结对帮扶", elements=national_elements(), timeframe_text=T20
    )
    ws = load_workbook(io.BytesIO(exporter.export_unit_lists([ul])))["社会救助"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    flat = [v for row in values for v in row if v]
    assert "事项来源" in flat and "责任单位" in flat and "本单位自增" in flat and "西屏街道" in flat
    assert importer.parse(exporter.export_unit_lists([ul]), template=ul.catalogue.template).ok

"""The official format and the consistency checks, on in-memory table data (the engine is pure)."""

from decimal import Decimal

import pytest

from gongkai.reports import engine, sources
from gongkai.reports import tables as T


def t3_data(cells):
    """Table 三 as a source would return it, keyed by the OFFICIAL labels."""
    raw = {}
    for (row, col), v in cells.items():
        raw.setdefault(row, {})[col] = v
    return sources.normalise_table3(raw)


def balanced():
    return t3_data(
        {
            ("一、本年新收政府信息公开申请数量", "自然人"): 10,
            ("一、本年新收政府信息公开申请数量", "商业企业"): 3,
            ("二、上年结转政府信息公开申请数量", "自然人"): 2,
            ("（一）予以公开", "自然人"): 6,
            ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "自然人"): 2,
            ("1.本机关不掌握相关政府信息", "自然人"): 1,
            ("2.重复申请", "商业企业"): 1,
            ("（一）予以公开", "商业企业"): {"count": 2, "ids": [11, 12], "url": "/workbench/requests/?outcome=open"},
            ("四、结转下年度继续办理", "自然人"): 3,
        }
    )


def test_official_labels_and_structure():
    assert [c.label for c in T.T3_COLS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert {c.group for c in T.T3_COLS if c.group} == {"法人或其他组织"}
    labels = [r.label for r in T.T3_ROWS]
    assert labels[0] == "一、本年新收政府信息公开申请数量"
    assert "（七）总计" in labels and labels[-1] == "四、结转下年度继续办理"
    assert len(T.T3_RESULT_LEAVES) == 2 + 8 + 3 + 5 + 3
    assert len(T.T4_COLS) == 15
    assert [c.label for c in T.T4_COLS[:5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [b.heading for b in T.T2_BLOCKS] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert T.T2_BLOCKS[3].cols[0].label == "本年收费金额（单位：万元）"


def test_totals_derived_and_balance_check_passes():
    figs = engine.build_figures(
        engine.TableData(
            t3=balanced(),
            t4=sources.normalise_table4({}),
            normative={
                "rules": {c: T.cell(0) for c in ("made", "repealed", "in_force")},
                "normative": {c: T.cell(n) for c, n in (("made", 4), ("repealed", 1), ("in_force", 30))},
            },
        )
    )
    t3 = figs["t3"]
    assert t3["new"]["total"]["v"] == 13
    assert t3["result_total"]["natural"]["v"] == 9
    assert t3["result_total"]["commercial"]["v"] == 3
    assert t3["result_total"]["total"]["v"] == 12
    assert t3["open"]["commercial"]["ids"] == [11, 12]
    checks = {
        c.code: c
        for c in T.run_checks(
            figs,
            library={
                "rules": {"made": 0, "repealed": 0, "in_force": 0},
                "normative": {"made": 4, "repealed": 1, "in_force": 30},
            },
        )
    }
    assert checks["t3_balance"].ok, checks["t3_balance"].message
    assert checks["t3_totals"].ok and checks["t4_totals"].ok and checks["t2_library"].ok
    # manual table 二 rows are still empty: not complete
    assert not checks["complete"].ok and "行政许可" in checks["complete"].message


def test_balance_check_names_the_failing_column():
    data = balanced()
    data["carried_out"]["natural"] = T.cell(4)
    figs = engine.build_figures(engine.TableData(t3=data, t4=sources.normalise_table4({})))
    check = next(c for c in T.run_checks(figs, library=None, library_wired=False) if c.code == "t3_balance")
    assert not check.ok
    assert "自然人列 12 ≠ 13" in check.message


def test_source_total_that_disagrees_with_detail_is_flagged():
    data = balanced()
    data["new"]["total"] = T.cell(99)  # the source's own total
    figs = engine.build_figures(engine.TableData(t3=data, t4=sources.normalise_table4({})))
    assert figs["t3"]["new"]["total"]["v"] == 13
    check = next(c for c in T.run_checks(figs, library=None) if c.code == "t3_totals")
    assert not check.ok and "一、本年新收政府信息公开申请数量行" in check.message


def test_library_mismatch_and_unwired_library_fail():
    figs = engine.build_figures(
        engine.TableData(
            t3=balanced(),
            t4=sources.normalise_table4({}),
            normative={
                "rules": {c: T.cell(0) for c in ("made", "repealed", "in_force")},
                "normative": {c: T.cell(2) for c in ("made", "repealed", "in_force")},
            },
        )
    )
    figs["t2"]["normative"]["made"]["v"] = 3  # e.g. an adjustment
    lib = {"rules": {"made": 0, "repealed": 0, "in_force": 0}, "normative": {"made": 2, "repealed": 2, "in_force": 2}}
    check = next(c for c in T.run_checks(figs, library=lib) if c.code == "t2_library")
    assert not check.ok and "报告 3，文件库 2" in check.message
    check = next(c for c in T.run_checks(figs, library=None, library_wired=False) if c.code == "t2_library")
    assert not check.ok and "未接入" in check.message


def test_unwired_sources_leave_figures_empty_not_zero():
    figs = engine.build_figures(engine.TableData())
    assert figs["t3"]["new"]["natural"]["v"] is None
    assert figs["t3"]["new"]["natural"]["src"] == "unwired"
    assert figs["t2"]["rules"]["made"]["v"] is None
    checks = {c.code: c for c in T.run_checks(figs, library=None, library_wired=False)}
    assert not checks["complete"].ok


def test_adjustments_survive_recomputation_with_new_computed_value():
    figs = engine.build_figures(engine.TableData(t3=balanced(), t4=sources.normalise_table4({})))
    figs["t3"]["open"]["natural"] = {**figs["t3"]["open"]["natural"], "v": 7, "src": "adjusted", "note": "纸质台账补录"}
    data = balanced()
    data["open"]["natural"] = T.cell(5)
    again = engine.build_figures(engine.TableData(t3=data, t4=sources.normalise_table4({})), previous=figs)
    assert again["t3"]["open"]["natural"]["v"] == 7
    assert again["t3"]["open"]["natural"]["computed"] == 5
    assert again["t3"]["result_total"]["natural"]["v"] == 10  # totals follow the adjusted figure


def test_carry_over_check_against_last_year():
    figs = engine.build_figures(engine.TableData(t3=balanced(), t4=sources.normalise_table4({})))
    prev = {c: 0 for c in T.T3_COL_KEYS}
    check = next(c for c in T.run_checks(figs, library=None, previous_carried_out=prev) if c.code == "t3_carry_over")
    assert not check.ok and "本年 2，上年 0" in check.message
    prev["natural"] = prev["total"] = 2
    assert next(c for c in T.run_checks(figs, library=None, previous_carried_out=prev) if c.code == "t3_carry_over").ok


@pytest.mark.parametrize(
    "raw,msg",
    [
        ("-1", "负数"),
        ("abc", "不是有效的数字"),
        ("1.5", "整数"),
        ("", "请填写"),
        ("NaN", "不是有效的数字"),
        ("1e30", "过大"),
    ],
)
def test_manual_figures_validated(raw, msg):
    with pytest.raises(T.FigureError, match=msg):
        T.parse_figure(raw, table="t2", row="licence", col="decisions")


def test_fee_amount_in_wan_yuan_accepts_decimals():
    assert T.parse_figure("12.35", table="t2", row="fees", col="amount") == Decimal("12.35")
    assert T.parse_figure("1,024", table="t2", row="licence", col="decisions") == 1024
    with pytest.raises(T.FigureError, match="四位小数"):
        T.parse_figure("0.123456", table="t2", row="fees", col="amount")


def test_table4_accepts_grouped_labels():
    t4 = sources.normalise_table4({"行政复议": {"结果维持": 2, "结果纠正": 1}, "复议后起诉": {"尚未审结": 1}})
    figs = engine.build_figures(engine.TableData(t4=t4))
    row = figs["t4"]["count"]
    assert row["review_upheld"]["v"] == 2 and row["review_total"]["v"] == 3 and row["suit_after_total"]["v"] == 1


def test_unknown_labels_are_an_error_not_a_silent_zero():
    with pytest.raises(ValueError, match="不认识"):
        sources.normalise_table3({"本年新收": {"外国人": 1}})


def test_json_export_uses_official_labels():
    figs = engine.build_figures(engine.TableData(t3=balanced(), t4=sources.normalise_table4({})))
    out = T.as_json_tables(figs)
    assert out["表三"]["columns"][:3] == ["申请人情况", "自然人", "法人或其他组织·商业企业"]
    row = next(r for r in out["表三"]["rows"] if r[0] == "一、本年新收政府信息公开申请数量")
    assert row[1:] == [10, 3, 0, 0, 0, 0, 13]
    assert out["表四"]["columns"][5] == "行政诉讼·未经复议直接起诉·结果维持"

"""The loader reads every sheet of the sample as the reference prints it, with cell locations."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest

from perfreport import contract
from perfreport.fmt import ReportDate
from perfreport.load import _record, load
from perfreport.models import Record

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"


@pytest.fixture(scope="module")
def workbook():
    workbook, problems = load(SAMPLE)
    assert problems == []
    return workbook


def _row(workbook, sheet, field, value):
    return next(r for r in workbook.tables[sheet] if r[field] == value)


def test_every_sheet_is_read(workbook):
    names = {s.name for s in contract.SHEETS}
    assert set(workbook.records) | set(workbook.tables) == names


@pytest.mark.parametrize("sheet,field,expected", [
    ("基本信息", "被评价单位", "枣庄市市中区工业和信息化局"),
    ("基本信息", "评价年度", 2023),
    ("基本信息", "报告日期", ReportDate(2024, 12)),
    ("基本信息", "呈报文号", "京三维报告〔2024〕2056号"),
    ("部门概况", "编制总数", 48),
    ("部门概况", "总资产", Decimal("921.54")),
    ("预决算", "决算支出", Decimal("10271.96")),
    ("预决算", "绩效监控覆盖率", Decimal("0.6812")),
    ("预决算", "调增_其他", Decimal("0")),
])
def test_key_value_fields(workbook, sheet, field, expected):
    assert workbook.records[sheet][field] == expected


def test_table_values_with_their_cells(workbook):
    car = _row(workbook, "固定资产", "资产名称", "轿车")
    assert (car["原值"], car["累计折旧"]) == (Decimal("55.67"), Decimal("45.32"))
    assert car.where("原值") == "固定资产!C8"
    assert _row(workbook, "收入构成", "项目", "一般公共预算")["金额"] == Decimal("1477.74")
    history = {r["年度"]: r for r in workbook.tables["收支决算"]}
    assert history[2021]["收入_年初结转和结余"] == Decimal("1584.04")
    assert history[2022]["收入_年初结转和结余"] is None  # the report prints ——
    july = _row(workbook, "预算执行进度", "月份", 7)
    assert july["月度累计执行_元"] == Decimal("89739891.15")
    assert _row(workbook, "战略目标", "指标名称", "规模以上工业增加值增速")["年度指标值"] == "≥10%"
    revenue = _row(workbook, "目标对比", "绩效指标", "高端装备产业营收及同比增长率")
    assert (revenue["目标数值"], revenue["实际数值"], revenue["职责序号"]) == ("14.227、8", "23.2、27.83", 4)
    assert _row(workbook, "指标体系", "三级指标", "(30) 服务企业满意度")["分值"] == Decimal(4)
    assert _row(workbook, "复评项目", "项目名称", "市属工业企业改革改制资金")["执行"] == Decimal("890.50")
    ninth = [r for r in workbook.tables["问卷"] if r["题号"] == 9]
    assert ninth[0]["单项满意度"] == Decimal("0.8958") and [r["人数"] for r in ninth] == [38, 11, 11, 1]
    assert len(workbook.tables["政策梳理"]) == 4
    assert workbook.tables["评价工作组"][0]["姓名"] == "李芳"
    assert _row(workbook, "实施安排", "阶段", "报告撰写阶段")["起止时间"] == "12月11日—12月25日"
    assert len([r for r in workbook.tables["文字"] if r["章节"] == "相关建议"]) == 5


def test_framework_has_thirty_indicators_summing_to_100(workbook):
    rows = workbook.tables["指标体系"]
    assert len(rows) == 30
    assert sum(r["分值"] for r in rows) == 100


def test_a_table_rows_cells_name_every_field_of_the_row(workbook):
    car = _row(workbook, "固定资产", "资产名称", "轿车")
    cells = dict(car.cells)
    assert cells["原值"] == "C8" and set(cells.values()) == {f"{ref[0]}8" for ref in cells.values()}
    assert len(car.cells) == len(cells) and "原值" in car.cells and car.cells.get("没有这一列") is None


def test_a_number_in_a_text_column_prints_as_typed_however_often_it_repeats(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["目标对比"]
    column = next(c.column for c in sheet[1] if c.value == "目标数值")
    for row, value in zip(range(2, 7), (0.0, -0.0, 0.0, 1.5, 1.5)):
        sheet.cell(row, column).value = value
    book.save(tmp_path / "book.xlsx")
    workbook, _ = load(tmp_path / "book.xlsx")
    assert [r["目标数值"] for r in workbook.tables["目标对比"][:5]] == ["0", "-0", "0", "1.5", "1.5"]


def test_each_grid_goes_to_the_caller_as_read_and_its_own_errors_pass_through():
    from perfreport.xlsx import open_workbook

    tabs = open_workbook(SAMPLE, lambda names: {names[0]}, lambda grid: grid.title)
    first = next(iter(tabs))
    assert tabs[first] == first and set(tabs.values()) == {first, None}

    def fail(grid):
        raise ValueError("the caller's own")
    with pytest.raises(ValueError, match="the caller's own"):  # not a damaged-file refusal
        open_workbook(SAMPLE, set, fail)


def test_a_table_row_is_the_record_its_constructor_makes():
    made = _record("固定资产", MappingProxyType({"原值": Decimal(1)}), {"原值": "C2"}, 2)
    assert made == Record("固定资产", MappingProxyType({"原值": Decimal(1)}), {"原值": "C2"}, 2)
    assert vars(made) == vars(Record("固定资产", made.values, made.cells, 2)) and made["原值"] == Decimal(1)


def test_a_group_merged_over_several_questions_holds_for_each(tmp_path):
    """问题组 merged down questions 6–13 (as a consultant marks a group) reaches every one of them."""
    import openpyxl

    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["问卷"]
    sheet.cell(1, 9).value = "问题组"
    sheet.cell(25, 9).value = "服务对象"
    sheet.merge_cells("I25:I56")
    book.save(tmp_path / "book.xlsx")
    workbook, problems = load(tmp_path / "book.xlsx")
    assert problems == []
    rows = workbook.tables["问卷"]
    assert {r["问题组"] for r in rows if r["类型"] == "满意度问题"} == {"服务对象"}
    assert {r["问题组"] for r in rows if r["类型"] != "满意度问题"} == {None}

"""`perfreport init`: the blank standard workbook, and `check` on it."""
from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfreport import contract
from perfreport.cli import main
from perfreport.contract import SHEETS, Kind
from perfreport.init import CHOICES, DEFAULT_NAME, GUIDE, LIST_LIMIT, blank_workbook, framework, write_blank
from perfreport.load import CellError, convert, load

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
DEPARTMENT_WORDS = ("枣庄", "市中区", "工信局", "工业和信息化")


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    return write_blank(tmp_path_factory.mktemp("init") / "空白.xlsx")


@pytest.fixture(scope="module")
def book(blank):
    return openpyxl.load_workbook(blank)


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# ---- the framework data file ------------------------------------------------

def test_framework_is_the_standard_thirty_indicators():
    rows = framework()
    assert len(rows) == 30
    assert sum(Decimal(str(r["分值"])) for r in rows) == 100
    assert [r["三级指标"].split(")")[0] for r in rows] == [f"({n}" for n in range(1, 31)]
    assert {r["评分方式"] for r in rows} <= set(contract.RULES)
    for row in rows:
        assert set(row) - {"评分参数"} == {"一级指标", "二级指标", "三级指标", "分值", "指标解释", "评价标准", "评分方式"}
        assert row["指标解释"] and row["评价标准"]


def test_framework_names_no_department():
    text = (ROOT / "perfreport" / "framework.json").read_text(encoding="utf-8")
    for word in DEPARTMENT_WORDS:
        assert word not in text
    for scored_by_department in ("得分", "评分依据", "分析", "依据来源", "问题描述"):
        assert f'"{scored_by_department}"' not in text


def test_framework_matches_the_sample_outside_the_department_duties():
    """The shipped file is what sample_workbooks/make_framework.py derives from the sample."""
    spec = importlib.util.spec_from_file_location("make_framework", ROOT / "sample_workbooks" / "make_framework.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(module.framework()) == (ROOT / "perfreport" / "framework.json").read_text(encoding="utf-8")
    sample, _ = load(SAMPLE)
    for row, record in zip(framework(), sample.tables["指标体系"]):
        assert Decimal(str(row["分值"])) == record["分值"]
        if row["评分方式"] != "目标完成率":  # the department's own duties are slots to rewrite
            assert (row["三级指标"], row["评价标准"]) == (record["三级指标"], record["评价标准"])


# ---- the blank workbook ---------------------------------------------------

def test_guide_sheet_comes_first_and_explains_every_column(book):
    assert book.sheetnames == [GUIDE] + [s.name for s in SHEETS] + [CHOICES]
    assert book[CHOICES].sheet_state == "hidden"
    ws = book[GUIDE]
    described = {(r[0], r[1]) for r in ws.iter_rows(values_only=True) if r[1]}
    for sheet in SHEETS:
        for field in sheet.fields:
            assert (sheet.name, field.name) in described
    rows = {(r[0], r[1]): r for r in ws.iter_rows(values_only=True) if r[1]}
    assert rows[("复评项目", "实际绩效等级")][2] == "等级：优/良/中/差（或等级标准中的等级）"
    assert rows[("基本信息", "被评价单位")][3] == "是"
    assert rows[("基本信息", "被评价单位")][5]  # an example


def test_every_sheet_has_its_headers_frozen(book):
    for sheet in SHEETS:
        ws = book[sheet.name]
        headers = [c.value for c in ws[1]]
        expected = ["字段", "值", "说明"] if sheet.key_value else [f.name for f in sheet.fields]
        assert headers == expected, sheet.name
        assert ws.freeze_panes in ("A2", "B2", "D2")
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])


def test_key_value_sheets_have_one_row_per_field_with_its_hint(book):
    for sheet in (s for s in SHEETS if s.key_value):
        ws = book[sheet.name]
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert [r[0] for r in rows] == [f.name for f in sheet.fields]
        assert all(r[1] is None for r in rows)  # nothing department-specific pre-filled
        for (name, _, note), field in zip(rows, sheet.fields):
            if field.hint:
                assert field.hint in note
            assert ("必填" in note) == field.required


def _validations(ws):
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            found[cells.coord.split(":")[0]] = dv
    return found


def test_choice_columns_have_drop_down_lists(book):
    for name in ("评分方式", "类型", "考核", "方向", "列入年度目标表", "章节"):
        sheets = [s for s in SHEETS if any(f.name == name and f.kind is Kind.CHOICE for f in s.fields)]
        assert sheets, name
        for sheet in sheets:
            column = [f.name for f in sheet.fields].index(name) + 1
            letter = openpyxl.utils.get_column_letter(column)
            dv = _validations(book[sheet.name])[f"{letter}2"]
            assert dv.type == "list"
            choices = sheet.field(name).choices
            if len(",".join(choices)) + 2 <= LIST_LIMIT:
                assert dv.formula1 == '"' + ",".join(choices) + '"'
            else:  # too long for the formula: a range of the hidden sheet 选项
                where, cells = dv.formula1.split("!")
                assert where == f"'{CHOICES}'"
                listed = [c.value for row in book[CHOICES][cells.replace("$", "")] for c in row]
                assert listed == list(choices)
            assert dv.showErrorMessage and dv.allow_blank
            assert str(dv.sqref).endswith("1048576")


def test_every_input_cell_has_a_hint(book):
    for sheet in SHEETS:
        ws = book[sheet.name]
        validations = _validations(ws)
        for row, field in enumerate(sheet.fields, start=2):
            if sheet.key_value:
                dv = validations[f"B{row}"]
            else:
                column = openpyxl.utils.get_column_letter(row - 1)
                dv = validations[f"{column}2"]
                assert ws[f"{column}1"].comment is not None
            assert dv.showInputMessage and dv.prompt and dv.promptTitle.startswith(field.name)
            assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32


def test_number_formats_for_money_percent_and_text(book):
    budget = book["预决算"]
    names = [c.value for c in budget["A"]]
    assert budget.cell(names.index("年初预算") + 1, 2).number_format == "#,##0.00"
    assert budget.cell(names.index("绩效监控覆盖率") + 1, 2).number_format == "0.00%"
    assets = book["固定资产"]
    assert assets.column_dimensions["C"].number_format == "#,##0.00"  # 原值
    survey = book["问卷"]
    assert survey.column_dimensions["G"].number_format == "0.00%"  # 单项满意度
    goals = book["目标对比"]
    column = [c.value for c in goals[1]].index("三级指标") + 1
    # text, so that Excel keeps "(19)" instead of turning it into -19
    assert goals.column_dimensions[openpyxl.utils.get_column_letter(column)].number_format == "@"


def test_framework_is_prefilled_without_scores(book):
    ws = book["指标体系"]
    headers = [c.value for c in ws[1]]
    rows = [dict(zip(headers, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == 30
    for row, indicator in zip(rows, framework()):
        for name in ("一级指标", "二级指标", "三级指标", "分值", "指标解释", "评价标准", "评分方式"):
            assert row[name] == indicator[name]
        for name in ("得分", "评分依据", "分析", "依据来源", "问题描述"):
            assert row[name] is None


def test_examples_fit_their_columns():
    """Every example in the contract reads back as its column's kind."""
    for sheet in SHEETS:
        for field in sheet.fields:
            if field.example and field.example != "（已预填）":
                try:
                    convert(field.example, field)
                except CellError as exc:
                    pytest.fail(f"{sheet.name}.{field.name} example {field.example!r}: {exc}")
                for word in DEPARTMENT_WORDS:
                    assert word not in field.example


def test_the_blank_workbook_reads_without_type_errors(blank):
    _, problems = load(blank)
    assert problems and {p.code for p in problems} == {"missing-value"}


def test_in_memory_workbook_is_independent():
    one, two = blank_workbook(), blank_workbook()
    one["基本信息"]["B2"] = "改过"
    assert two["基本信息"]["B2"].value is None


# ---- the command ----------------------------------------------------------

def test_init_then_check_lists_what_is_missing_sheet_by_sheet(tmp_path):
    path = tmp_path / "新工作簿.xlsx"
    result = _invoke("init", path)
    assert result.exit_code == 0, result.output
    assert path.exists() and str(path) in result.stdout

    result = _invoke("check", path)
    assert result.exit_code == 1
    out = result.output
    assert "Traceback" not in out
    headers = [line.strip() for line in out.splitlines() if line.strip().startswith("【")]
    assert [h.split("】")[0][1:] for h in headers] == ["基本信息", "部门概况", "预决算", "指标体系"]
    assert "【基本信息】8 个错误" in out
    assert "基本信息!B2：缺少必填项“被评价单位”" in out
    assert "预决算!B2：缺少必填项“年初预算”" in out
    # every problem sits under its own sheet's header
    current = None
    for line in out.splitlines():
        if line.strip().startswith("【"):
            current = line.strip()[1:].split("】")[0]
        elif line.startswith("    错误"):
            assert f" {current}!" in line

    data = json.loads(_invoke("check", "--json", path).stdout)
    assert set(data) == {"source", "errors", "warnings", "hints", "skipped"}
    assert {e["location"].split("!")[0] for e in data["errors"]} == {"基本信息", "部门概况", "预决算", "指标体系"}


def test_after_the_key_values_check_lists_the_manual_scores(tmp_path):
    path = write_blank(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    for sheet in (s for s in SHEETS if s.key_value):
        for row, field in enumerate(sheet.fields, start=2):
            if field.required:
                wb[sheet.name].cell(row, 2).value = field.example
    wb.save(path)
    result = _invoke("check", path)
    assert result.exit_code == 1
    assert "【指标体系】14 个错误" in result.output
    assert "指标体系!H2：预算安排与部门职能匹配度 的评分方式为“手工”，请填写得分（0–10）" in result.output


def test_init_never_overwrites_without_force(tmp_path):
    path = tmp_path / "w.xlsx"
    path.write_bytes(b"consultant's work")
    result = _invoke("init", path)
    assert result.exit_code == 1
    assert "--force" in result.output and path.read_bytes() == b"consultant's work"
    result = _invoke("init", path, "--force")
    assert result.exit_code == 0
    assert (tmp_path / "w.bak.xlsx").read_bytes() == b"consultant's work"
    assert openpyxl.load_workbook(path).sheetnames[0] == GUIDE


def test_init_default_name_and_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _invoke("init").exit_code == 0
    assert (tmp_path / DEFAULT_NAME).exists()
    folder = tmp_path / "sub"
    folder.mkdir()
    assert _invoke("init", folder).exit_code == 0
    assert (folder / DEFAULT_NAME).exists()
    assert _invoke("init", tmp_path / "noext").exit_code == 0
    assert (tmp_path / "noext.xlsx").exists()


def test_init_refuses_other_formats(tmp_path):
    result = _invoke("init", tmp_path / "w.xls")
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert not (tmp_path / "w.xls").exists()

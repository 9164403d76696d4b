"""The summary across departments: every figure as `check --json` gives it, formats, error workbooks, bytes."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import perfreport
from perfreport.fmt import amount, rate
from perfreport.rules.grades import Bands
from perfreport.load import load
from perfreport.summarybook import collect, grade_scale, indicator_scores
from perfreport.summarysheet import write_summary

from other_workbook import write_other_workbook

BROKEN_UNIT = "枣庄市市中区某某局"


def _edit(path: Path, sheet: str, key: str, value) -> None:
    """Set a key-value field of the workbook at `path` (adding its row when missing)."""
    book = load_workbook(path)
    ws = book[sheet]
    row = next((r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == key), ws.max_row + 1)
    ws.cell(row=row, column=1, value=key)
    ws.cell(row=row, column=2, value=value)
    book.save(path)


@pytest.fixture()
def departments(tmp_path, sample) -> dict[str, Path]:
    """The sample, another department with another framework, and a broken copy of the sample."""
    folder = tmp_path / "in"
    folder.mkdir()
    paths = {"sample": folder / "市中区工信局.xlsx", "other": folder / "云岭县农业局.xlsx",
             "broken": folder / "某某局.xlsx"}
    shutil.copy(sample, paths["sample"])
    write_other_workbook(paths["other"])
    shutil.copy(sample, paths["broken"])
    _edit(paths["broken"], "基本信息", "被评价单位", BROKEN_UNIT)
    _edit(paths["broken"], "预决算", "年初预算", "很多")
    _edit(paths["broken"], "部门概况", "总资产", -5)
    return paths


def _json(run_cli, path: Path) -> dict:
    return json.loads(run_cli("check", "--json", path).stdout)


def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


def _number(value) -> Decimal:
    return Decimal(str(value))


def test_every_figure_equals_check_json(departments, run_cli, tmp_path):
    out = tmp_path / "汇总.xlsx"
    done = run_cli("summary", *departments.values(), "-o", out)
    assert done.code == 0, done.output
    book = load_workbook(out)
    rows = {Path(r["工作簿"]).name: r for r in _rows(book["汇总"])}
    assert list(rows) == [p.name for p in departments.values()]  # every workbook, in the order given
    for name in ("sample", "other"):
        data, row = _json(run_cli, departments[name]), rows[departments[name].name]
        figures = data["figures"]
        assert (row["被评价单位"], row["评价年度"]) == (figures["被评价单位"], int(figures["评价年度"]))
        assert f"{_number(row['总分']):.2f}" == data["total"] and row["等级"] == data["grade"]
        level1 = [k.removeprefix("一级得分_") for k in figures if k.startswith("一级得分_")]
        assert level1 and all(amount(_number(row[f"{n}得分"])) == figures[f"一级得分_{n}"] for n in level1)
        assert all(rate(_number(row[f"{n}得分率"])) == figures[f"一级得分率_{n}"] for n in level1)
        assert rate(_number(row["预算执行率"])) == figures["预算执行率"]
        assert rate(_number(row["综合满意度"])) == figures["综合满意度"]
        assert (row["错误数"], row["警告数"]) == (len(data["errors"]), len(data["warnings"]))
        described = [r for r in load(departments[name])[0].tables["指标体系"] if r["问题描述"]]
        assert row["问题数"] == len(described) > 0
        scores = {(Path(r["工作簿"]).name, r["三级指标"]): r["得分"] for r in _rows(book["三级指标得分"])}
        labels = [(departments[name].name, f"{i['id']} {i['name']}") for i in data["indicators"]]
        assert [f"{_number(scores[label]):.2f}" for label in labels] == [i["score"] for i in data["indicators"]]
    broken, data = rows[departments["broken"].name], _json(run_cli, departments["broken"])
    assert broken["错误数"] == len(data["errors"]) == 2 and broken["被评价单位"] == BROKEN_UNIT
    assert all(broken[c] is None for c in ("总分", "等级", "预算执行率", "综合满意度", "问题数"))
    checks = [r for r in _rows(book["校验问题"]) if r["工作簿"].endswith(departments["broken"].name)]
    assert sorted(r["位置"] for r in checks) == sorted(e["location"] for e in data["errors"])
    problems = _rows(book["问题清单"])
    assert len(problems) == rows[departments["sample"].name]["问题数"] + rows[departments["other"].name]["问题数"]
    assert all(p["问题描述"] and "{" not in p["问题描述"] for p in problems)  # placeholders expanded


def test_formats_widths_filters_and_frozen_header(departments, tmp_path):
    out = tmp_path / "汇总.xlsx"
    write_summary(departments.values(), out)
    ws = load_workbook(out)["汇总"]
    column = {c.value: c.column_letter for c in ws[1]}
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}4"
    assert ws[f"{column['总分']}2"].number_format == "0.00"
    assert ws[f"{column['财政资源配置得分']}2"].number_format == "0.00"
    assert ws[f"{column['财政资源配置得分率']}2"].number_format == "0.00%"
    assert ws[f"{column['预算执行率']}3"].number_format == "0.00%"
    assert ws[f"{column['错误数']}4"].number_format == "0"
    assert ws.column_dimensions[column["被评价单位"]].width >= 2 * len("枣庄市市中区工业和信息化局")
    assert all(ws.column_dimensions[letter].width for letter in column.values())
    assert ws.column_dimensions[column["等级位次"]].hidden and ws.column_dimensions[column["等级数"]].hidden
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    rank, levels = column["等级位次"], column["等级数"]
    assert rules[f"{column['等级']}2:{column['等级']}4"] == [
        f"${rank}2=1", f"AND(${rank}2=${levels}2,${levels}2>1)", f"AND(${rank}2>1,${rank}2<${levels}2)"]
    for sheet in ("三级指标得分", "问题清单", "校验问题"):
        other = load_workbook(out)[sheet]
        assert other.freeze_panes and other.auto_filter.ref and other["A1"].font.bold


def test_grades_are_ranked_in_the_workbooks_own_bands(departments, tmp_path):
    # its 复评项目 are graded 优 and 中, which the bands must keep
    _edit(departments["other"], "基本信息", "等级标准", "优:90;良好:78;中:60;差")
    frame = perfreport.summary(departments.values())
    rows = frame.set_index(frame["工作簿"].map(lambda p: Path(p).name))
    other, sample = rows.loc[departments["other"].name], rows.loc[departments["sample"].name]
    assert (other["等级"], other["等级位次"], other["等级数"]) == ("良好", 2, 4)  # 79.50 ≥ 78
    assert (sample["等级"], sample["等级位次"], sample["等级数"]) == ("中", 3, 4)
    assert rows.loc[departments["broken"].name, "等级位次"] is None


def test_grade_scale_includes_the_grade_below_every_band():
    assert grade_scale(Bands((("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60))))) == ("优", "良", "中", "差")
    assert grade_scale(Bands((("A", Decimal(85)),), "B")) == ("A", "B")


def test_departments_as_columns_when_frameworks_agree(departments, run_cli):
    twin = departments["broken"]
    shutil.copy(departments["sample"], twin)
    _edit(twin, "基本信息", "被评价单位", "枣庄市市中区另一个局")
    frame = indicator_scores(collect([departments["sample"], twin]))
    assert list(frame.columns) == ["一级指标", "二级指标", "三级指标", "分值", "枣庄市市中区工业和信息化局", "枣庄市市中区另一个局"]
    data = _json(run_cli, departments["sample"])
    assert [f"{v:.2f}" for v in frame["枣庄市市中区工业和信息化局"]] == [i["score"] for i in data["indicators"]]
    assert list(frame["三级指标"]) == [f"{i['id']} {i['name']}" for i in data["indicators"]]


def test_same_input_same_bytes(departments, tmp_path, run_cli):
    first, second = tmp_path / "一.xlsx", tmp_path / "二.xlsx"
    assert run_cli("summary", *departments.values(), "-o", first).code == 0
    assert run_cli("summary", *departments.values(), "-o", second).code == 0
    assert first.read_bytes() == second.read_bytes()


def test_library_gives_the_table_as_a_dataframe(departments):
    frame = perfreport.summary(departments.values())
    assert len(frame) == 3 and frame.loc[0, "总分"] == Decimal("70.43") and frame.loc[0, "预算执行率"] == Decimal("0.7925")
    assert frame.loc[2, "错误数"] == 2 and frame.loc[2, "总分"] is None


def test_build_with_summary_lists_the_reports(departments, run_cli, tmp_path):
    out = tmp_path / "out"
    done = run_cli("build", departments["sample"], departments["broken"], "-o", out, "--summary", out / "汇总.xlsx")
    assert done.code == 1 and not done.traceback  # the broken workbook fails; the summary is written
    assert f"已生成汇总表 {out / '汇总.xlsx'}：共 2 个工作簿，其中 1 个有错误（未计分）" in done.stdout
    rows = _rows(load_workbook(out / "汇总.xlsx")["汇总"])
    assert [r["报告"] for r in rows] == [str(out / "市中区工信局.docx"), None]
    single = run_cli("build", departments["broken"], "--summary", tmp_path / "一个.xlsx")
    assert single.code == 1 and _rows(load_workbook(tmp_path / "一个.xlsx")["汇总"])[0]["错误数"] == 2


def test_summary_skips_itself_and_never_overwrites_without_force(departments, run_cli):
    out = departments["sample"].parent / "汇总.xlsx"
    assert run_cli("summary", *departments.values(), "-o", out).code == 0
    again = run_cli("summary", *departments.values(), out, "-o", out)
    assert again.code == 1 and "--force" in again.stderr
    forced = run_cli("summary", *departments.values(), out, "-o", out, "--force")
    assert forced.code == 0 and f"跳过 {out}" in forced.stdout
    assert len(_rows(load_workbook(out)["汇总"])) == 3
    backup = out.with_name("汇总.bak.xlsx")
    assert backup.exists()
    assert f"跳过 {backup}" in run_cli("summary", *departments.values(), backup, "-o", out, "--force").stdout

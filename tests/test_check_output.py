"""`perfreport check` output: on stdout, each problem once, in workbook order, everything that can be checked at once."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from perfreport.init import write_blank

SAMPLE_OUTPUT = """\
shizhong_gxj_2023.xlsx：0 个错误，7 个警告
  【指标体系】2 个警告
    警告 [override-differs] 指标体系!H15：(14) 固定资产利用：按“固定资产利用”规则计算得分 1.75，填写得分 2.00（已采用），相差 0.25
    警告 [override-differs] 指标体系!H29：(28) 政策项目实际绩效：按“项目实际绩效”规则计算得分 7.08，填写得分 7.10（已采用），相差 0.02
  【问卷】5 个警告
    警告 [satisfaction-differs] 问卷!G25：第 6 题单项满意度填写 88.53%，按人数计算为 88.52%，相差 0.01 个百分点（报告采用填写值）
    警告 [satisfaction-differs] 问卷!G29：第 7 题单项满意度填写 88.86%，按人数计算为 88.85%，相差 0.01 个百分点（报告采用填写值）
    警告 [satisfaction-differs] 问卷!G37：第 9 题单项满意度填写 89.58%，按人数计算为 88.2%，相差 1.38 个百分点（报告采用填写值）
    警告 [satisfaction-differs] 问卷!G41：第 10 题单项满意度填写 87.53%，按人数计算为 87.54%，相差 0.01 个百分点（报告采用填写值）
    警告 [satisfaction-differs] 问卷!G53：第 13 题单项满意度填写 87.55%，按人数计算为 87.54%，相差 0.01 个百分点（报告采用填写值）
  绩效评价得分：70.43 分，评价结果等级：中
"""
BLANK_SKIPPED = """\
  尚未进行的检查：
    得分和等级，以及规则得分与填写得分、抽样比例、满意度、完成率的检查：待以上错误更正后进行
    按现有数据无法计算：部门概况!B12：计算“固定资产利用率”时分母为 0：请检查该单元格
    按现有数据无法计算：指标体系!G3：(2) 落实过紧日子要求情况（过紧日子）无法计算：五项经费控制率：分母 五项经费_预算 为空；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G4：(3) 预算执行进度（预算执行进度）无法计算：预算执行进度的分母调整后预算为 0；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G5：(4) 预算执行率（预算执行率）无法计算：预算执行率：分母 调整后预算 为 0；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G13：(12) 政府采购执行率（政府采购执行率）无法计算：政府采购执行率：分母 政府采购预算 为空；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G15：(14) 固定资产利用（固定资产利用）无法计算：固定资产利用率：分母 固定资产原值 为 0；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G20：(19) 部门职责一工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G21：(20) 部门职责二工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G22：(21) 部门职责三工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G23：(22) 部门职责四工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G24：(23) 部门职责五工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G25：(24) 部门职责六工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G26：(25) 部门职责七工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G27：(26) 部门职责八工作完成情况（目标完成率）无法计算：没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G28：(27) 项目支出绩效复评（复评差异）无法计算：复评项目表没有项目；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G29：(28) 政策项目实际绩效（项目实际绩效）无法计算：复评项目表没有项目，无法按等级赋分；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    按现有数据无法计算：指标体系!G31：(30) 服务企业满意度（满意度）无法计算：问卷中没有满意度问题；如确无此项数据，可在评分参数中写“无数据按满分计”或“无数据不予考核”
    文字中的数字与计算值的核对，以及占位符 {名称}、表格标记、图片的检查：待以上错误更正后进行
  请按以上位置补充或更正后再次运行 check。
"""


def edited(sample: Path, folder: Path, name: str, cells: dict[str, object]) -> Path:
    """Return a copy of the sample with `cells` ({"指标体系!I5": text, …}) changed."""
    path = folder / f"{name}.xlsx"
    book = openpyxl.load_workbook(sample)
    for where, value in cells.items():
        sheet, cell = where.split("!")
        book[sheet][cell].value = value(book[sheet][cell].value) if callable(value) else value
    book.save(path)
    return path


def problem_lines(stdout: str) -> list[str]:
    return [line.strip() for line in stdout.splitlines() if line.startswith("    ") and " [" in line]


def test_the_sample_exactly(run_cli, sample):
    result = run_cli("check", sample)
    assert (result.code, result.stdout, result.stderr) == (0, SAMPLE_OUTPUT, "")


def test_the_list_is_on_stdout_so_a_redirect_keeps_it(run_process, tmp_path):
    """`perfreport check x.xlsx > log`: the log has every problem, the terminal nothing."""
    blank = write_blank(tmp_path / "blank.xlsx")
    result = run_process("check", blank)
    assert result.code == 1 and result.stderr == ""
    assert result.stdout.startswith("blank.xlsx：46 个错误，0 个警告\n")
    assert "    错误 [missing-value] 基本信息!B2：缺少必填项“被评价单位”" in result.stdout


def test_a_blank_workbook_lists_everything_at_once(run_cli, tmp_path):
    """The missing key-value fields and the missing 手工 scores together, then why scoring and text wait."""
    result = run_cli("check", write_blank(tmp_path / "blank.xlsx"))
    assert result.code == 1 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "blank.xlsx：46 个错误，0 个警告"
    assert [line for line in lines if line.startswith("  【")] == [
        "  【基本信息】8 个错误", "  【部门概况】13 个错误", "  【预决算】11 个错误", "  【指标体系】14 个错误"]
    problems = problem_lines(result.stdout)
    assert len(problems) == 46 and len(set(problems)) == 46
    assert "错误 [manual-score-missing] 指标体系!H2：预算安排与部门职能匹配度 的评分方式为“手工”，请填写得分（0–10）" in problems
    assert result.stdout.endswith(BLANK_SKIPPED)


def test_problems_follow_the_workbook_order(run_cli, sample, tmp_path):
    """A reading error (B9) and a cross-check (B3) on one sheet come out by row, not by the stage that found them."""
    path = edited(sample, tmp_path, "order", {"部门概况!B9": "很多", "部门概况!B3": 49, "问卷!E26": 13})
    result = run_cli("check", path)
    assert result.code == 1
    places = [line.split("] ")[1].split("：")[0] for line in problem_lines(result.stdout)]
    assert places == ["部门概况!B3", "部门概况!B9", "问卷!E25:E28"]


def test_an_unknown_name_in_a_cell_printed_twice_is_reported_once(run_cli, sample, tmp_path):
    """指标体系!I5 (评分依据) prints in 附件2 and, its 分析 being blank, in chapter 3: one cell, one problem."""
    path = edited(sample, tmp_path, "twice", {"指标体系!I5": lambda text: text + "{不存在}"})
    result = run_cli("check", path)
    i5 = [line for line in problem_lines(result.stdout) if "指标体系!I5" in line]
    assert i5 == ["错误 [unknown-placeholder] 指标体系!I5：没有名为“不存在”的计算值：请核对占位符 {不存在}（可用名称见 README）"]
    assert result.stdout.splitlines()[0] == "twice.xlsx：1 个错误，7 个警告"


def test_a_suggestion_names_only_tables_that_exist(run_cli, sample, tmp_path):
    path = edited(sample, tmp_path, "table", {"指标体系!J28": lambda text: text.replace("[表号:复评项目]", "[表号:复评]")})
    result = run_cli("check", path)
    j28 = [line for line in problem_lines(result.stdout) if "指标体系!J28" in line]
    assert len(j28) == 1 and j28[0].startswith("错误 [unknown-table] 指标体系!J28：没有名为“复评”的表格：可用 固定资产、")
    assert "[表:复评]" not in result.stdout


def test_a_hint_is_printed_but_is_not_a_warning(run_cli, sample, tmp_path):
    path = edited(sample, tmp_path, "hint", {"文字!D2": lambda text: text + "\n全年预算执行率79.25%，综合满意度90%。"})
    result = run_cli("check", path)
    assert result.code == 0
    assert result.stdout.splitlines()[0] == "hint.xlsx：0 个错误，8 个警告，1 个提示"
    assert "  【文字】1 个警告，1 个提示" in result.stdout
    assert ("    警告 [stale-number] 文字!D2：“综合满意度90%”与计算值 88.37% 不一致：请改为 {综合满意度}，或核对数据"
            in result.stdout)
    assert ("    提示 [number-could-be-placeholder] 文字!D2：“预算执行率79.25%”与计算值相同：写成 {预算执行率} "
            "可在数据更改后自动更新" in result.stdout)
    data = json.loads(run_cli("check", "--json", path).stdout)
    assert [w["code"] for w in data["warnings"]].count("stale-number") == 1
    assert data["hints"] == [{"code": "number-could-be-placeholder", "location": "文字!D2",
                              "message": "“预算执行率79.25%”与计算值相同：写成 {预算执行率} 可在数据更改后自动更新"}]
    assert data["skipped"] == []


def test_json_says_what_could_not_run(run_cli, tmp_path):
    data = json.loads(run_cli("check", "--json", write_blank(tmp_path / "blank.xlsx")).stdout)
    assert len(data["errors"]) == 46 and data["hints"] == []
    assert data["skipped"][0] == "得分和等级，以及规则得分与填写得分、抽样比例、满意度、完成率的检查：待以上错误更正后进行"
    assert "indicators" not in data


@pytest.mark.parametrize("sheet", ["指标体系", "预决算"])
def test_a_missing_sheet_is_one_error_without_follow_on_noise(run_cli, sample, tmp_path, sheet):
    path = tmp_path / "missing.xlsx"
    shutil.copy(sample, path)
    book = openpyxl.load_workbook(path)
    book.remove(book[sheet])
    book.save(path)
    result = run_cli("check", path)
    assert result.code == 1 and not result.traceback
    assert [line.split("：")[0] for line in problem_lines(result.stdout)] == ["错误 [missing-sheet] missing.xlsx"]

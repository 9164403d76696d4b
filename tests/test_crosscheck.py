"""The cross-checks: each passes on the sample and fails, at the right cell, on one changed value."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest

from perfreport.crosscheck import CHECKS, crosscheck, evaluate
from perfreport.load import load
from perfreport.validate import validate

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
D = Decimal
DIRECTION, SPLIT, SAMPLES = ("direction-mismatch", "goal-split", "sample-mismatch")


@pytest.fixture(scope="module")
def workbook():
    loaded, problems = load(SAMPLE)
    assert not problems
    return loaded


def _changed(values, changes: dict):
    merged = {**values, **changes}
    return MappingProxyType({k: v for k, v in merged.items() if v is not None})


def edit(workbook, sheet: str, row: int | None = None, **changes):
    """Return the workbook with fields of a key-value sheet, or of row `row` of a table, changed (None: blank)."""
    if row is None:
        record = workbook.records[sheet]
        records = {**workbook.records, sheet: replace(record, values=_changed(record.values, changes))}
        return replace(workbook, records=MappingProxyType(records))
    rows = list(workbook.tables[sheet])
    rows[row] = replace(rows[row], values=_changed(rows[row].values, changes))
    return replace(workbook, tables=MappingProxyType({**workbook.tables, sheet: tuple(rows)}))


def outcome(workbook, what: str):
    """Return the outcome of the check described as `what`, or coded `what` for a check that is not a comparison."""
    checked, _ = validate(workbook)
    return next(o for o in evaluate(checked) if what in (o.check.what, o.check.code))


# check (as CHECKS describes it) -> an edit of the sample, the cell warned at, words of the message
CASES = {
    "总资产 = 流动资产+非流动资产": (
        lambda w: edit(w, "部门概况", 总资产=D("921.55")), "部门概况!B9",
        "总资产 921.55（部门概况!B9）与流动资产+非流动资产 921.54（部门概况!B10、部门概况!B11）不一致，相差 0.01"),
    "编制总数 = 编制_行政+编制_事业": (
        lambda w: edit(w, "部门概况", 编制总数=49), "部门概况!B3", "编制总数 49（部门概况!B3）与编制_行政+编制_事业 48"),
    "实有总数 = 实有_行政+实有_事业": (
        lambda w: edit(w, "部门概况", 实有_事业=34), "部门概况!B6", "实有总数 46（部门概况!B6）与实有_行政+实有_事业 45"),
    "固定资产原值 = 固定资产表“原值”合计": (
        lambda w: edit(w, "部门概况", 固定资产原值=D("201.6")), "部门概况!B12",
        "固定资产原值 201.6（部门概况!B12）与固定资产表“原值”合计 201.69（固定资产!C2:C16）不一致，相差 0.09："
        "正文打印填写值，固定资产明细表合计打印各行之和"),
    "累计折旧 = 固定资产表“累计折旧”合计": (
        lambda w: edit(w, "部门概况", 累计折旧=D("119.09")), "部门概况!B13", "相差 0.1"),
    "固定资产表每行：净值 = 原值−累计折旧": (
        lambda w: edit(w, "固定资产", 0, 净值=D("26.27")), "固定资产!E2",
        "净值 26.27（固定资产!E2）与原值−累计折旧 26.28（固定资产!C2、固定资产!D2）不一致，相差 0.01：报告按原值−累计折旧打印"),
    "年初预算 = 年初_基本支出+年初_项目支出": (
        lambda w: edit(w, "预决算", 年初_基本支出=D("857.19")), "预决算!B2", "相差 0.01"),
    "年初预算 = 收入构成表“金额”合计": (
        lambda w: edit(w, "收入构成", 0, 金额=D("1577.74")), "预决算!B2",
        "年初预算 12,779.84（预决算!B2）与收入构成表“金额”合计 12,879.84（收入构成!B2:B4）不一致，相差 100"),
    "五项经费_预算 = 三公经费_预算+会议费_预算+培训费_预算": (
        lambda w: edit(w, "预决算", 会议费_预算=D("0.5")), "预决算!B14", "五项经费_预算 5.26（预决算!B14）与三公经费_预算+会议费_预算+培训费_预算 5.76"),
    "决算支出 = 收支决算评价年度支出合计": (
        lambda w: edit(w, "预决算", 决算支出=D("10171.96")), "预决算!B8",
        "决算支出 10,171.96（预决算!B8）与收支决算 2023 年支出合计 10,271.96（收支决算!F4、收支决算!G4、收支决算!H4）"
        "不一致，相差 100：正文打印决算支出，支出决算表打印该行合计"),
    "年初项目资金 = 年初_项目支出": (
        lambda w: edit(w, "预决算", 年初项目资金=D("11922.76")), "预决算!B11", "相差 0.1"),
    "复评项目表的行数 ≤ 自评项目数": (
        lambda w: edit(w, "预决算", 自评项目数=5), "预决算!B22", "复评项目表的行数 6（复评项目表 6 行）大于自评项目数 5（预决算!B22），超出 1"),
    "复评项目表“预算”合计 ≤ 自评项目资金": (
        lambda w: edit(w, "预决算", 自评项目资金=D("6000")), "预决算!B23", "大于自评项目资金 6,000（预决算!B23），超出 390.5"),
    "重点项目资金 ≤ 年初项目资金": (
        lambda w: edit(w, "预决算", 重点项目资金=D("12000")), "预决算!B13", "超出 77.34"),
    "在用固定资产 ≤ 固定资产原值": (
        lambda w: edit(w, "部门概况", 在用固定资产=D("202")), "部门概况!B16", "在用固定资产 202（部门概况!B16）大于固定资产原值 201.69"),
    "固定资产净值+无形资产净值 ≤ 非流动资产": (
        lambda w: edit(w, "部门概况", 累计摊销=D("7.75")), "部门概况!B11",
        "固定资产净值+无形资产净值 123.95（部门概况!B12、部门概况!B13、部门概况!B14、部门概况!B15）大于非流动资产 123.94"),
    "收支决算有评价年度的行": (
        lambda w: edit(w, "基本信息", 评价年度=2024), "收支决算!A2:A4", "收支决算没有评价年度 2024 年的行（只有 2021、2022、2023）"),
    "问卷每题的样本量（填写的样本量，或各选项人数之和）与同一问题组的第一题相同": (
        lambda w: edit(w, "问卷", 27, 人数=37), "问卷!E29:E32", "第 7 题样本量 60（各选项人数之和）与第 1 题的 61 不一致"),
    "填写了样本量的问题，每个选项的人数不超过样本量": (
        lambda w: edit(w, "问卷", 18, 人数=62), "问卷!E20", "第 5 题选项“B.服务态度和效率”人数 62 大于该题样本量 61"),
    "目标对比的方向与目标值中的符号（≥、≤、不低于、不超过……）一致": (
        lambda w: edit(w, "目标对比", 0, 目标值="≤3条"), "目标对比!J2",
        "方向填写“≥”，而目标值“≤3条”表示“≤”：完成率按“≥”计算，请在方向列填写“≤”或更正目标值"),
    "目标数值空白时，目标值的每一项只含一个数字（“≤10/10万”不会被拆成两个目标）": (
        lambda w: edit(w, "目标对比", 0, 目标值="≤10/10万", 目标数值=None, 实际数值="8、10", 方向="≤"), "目标对比!H2",
        "目标数值空白，目标值“≤10/10万”中的数字 10、10 被当作 2 个目标分别计算完成率"),
    "目标与实际一方写作百分数（90%）时，另一方不是 1 以内的小数（0.85）": (  # 0.85/90 would be 0.94%
        lambda w: edit(w, "目标对比", 0, 目标值="≥90%", 实际完成值="85%", 目标数值="90%", 实际数值="0.85"), "目标对比!I2",
        "“90%”是百分数，“0.85”却是 1 以内的小数"),
}


def test_every_check_has_a_case():
    assert {c.what for c in CHECKS} == set(CASES)


def test_every_check_runs_and_passes_on_the_sample(workbook):
    checked, _ = validate(workbook)
    outcomes = evaluate(checked)
    assert [o.check.what for o in outcomes if not o.ran] == []
    assert crosscheck(checked) == []


@pytest.mark.parametrize("what", CASES)
def test_a_changed_value_fails_its_check_at_the_cell(workbook, what):
    change, where, says = CASES[what]
    result = outcome(change(workbook), what)
    assert result.ran
    assert [(p.code, p.severity.value, p.location) for p in result.problems] == [(result.check.code, "warning", where)]
    assert says in result.problems[0].message


@pytest.mark.parametrize("what", CASES)
def test_the_change_trips_no_other_check(workbook, what):
    checked, _ = validate(CASES[what][0](workbook))
    failed = {o.check.what for o in evaluate(checked) if o.problems}
    assert failed == {what}


def test_a_blank_direction_against_a_worded_target(workbook):
    result = outcome(edit(workbook, "目标对比", 0, 目标值="不超过3条", 方向=None), DIRECTION)
    assert [p.message for p in result.problems] == [
        "方向空白，按“≥”计算，而目标值“不超过3条”表示“≤”：完成率按“≥”计算，请在方向列填写“≤”或更正目标值"]


def test_a_target_with_two_directions(workbook):
    changed = edit(workbook, "目标对比", 5, 目标值="新增≥35个\n净增≤30个")
    result = outcome(changed, DIRECTION)
    assert [p.location for p in result.problems] == ["目标对比!F7"]
    assert "含有不同方向（≥、≤）" in result.problems[0].message


def test_parts_listed_one_number_each_are_not_a_split(workbook):
    changed = edit(workbook, "目标对比", 5, 目标数值=None, 实际数值=None)  # "新增≥35个\n净增≥30个"
    assert outcome(changed, SPLIT).problems == ()


def test_a_typed_sample_is_named_as_typed(workbook):
    result = outcome(edit(workbook, "问卷", 17, 样本量=60), SAMPLES)  # question 5, a multi-select
    assert [p.location for p in result.problems] == ["问卷!H19"]
    assert result.problems[0].message.startswith("第 5 题样本量 60（填写的样本量）与第 1 题的 61 不一致")


def test_blank_values_are_not_compared(workbook):
    blank = edit(workbook, "部门概况", 固定资产原值=None, 累计折旧=None)
    assert not outcome(blank, "固定资产原值 = 固定资产表“原值”合计").ran
    parts_blank = edit(workbook, "预决算", 三公经费_预算=None, 会议费_预算=None, 培训费_预算=None)
    assert not outcome(parts_blank, "五项经费_预算 = 三公经费_预算+会议费_预算+培训费_预算").ran
    one_part_blank = edit(workbook, "预决算", 会议费_预算=None)  # a blank part counts 0
    assert outcome(one_part_blank, "五项经费_预算 = 三公经费_预算+会议费_预算+培训费_预算").problems == ()


def test_a_check_reading_a_cell_in_error_does_not_run(workbook):
    checked, _ = validate(edit(workbook, "部门概况", 总资产=D("1000")))
    outcomes = evaluate(checked, blocked=lambda cell: cell == "部门概况!B10")
    total = next(o for o in outcomes if o.check.what == "总资产 = 流动资产+非流动资产")
    assert not total.ran and total.problems == ()


def test_an_empty_table_is_not_compared(workbook):
    empty = replace(workbook, tables=MappingProxyType({**workbook.tables, "固定资产": ()}))
    assert not outcome(empty, "固定资产原值 = 固定资产表“原值”合计").ran


def test_the_readme_lists_every_check():
    readme = (SAMPLE.parent.parent / "README.md").read_text(encoding="utf-8")
    assert [c.what for c in CHECKS if f"| {c.group} | {c.what} | `{c.code}` |" not in readme] == []


def test_samples_are_compared_within_a_question_group(workbook):
    """A second group of respondents (问题组) has its own sample: question 13 answered by 20 内部职工."""
    changed = edit(workbook, "问卷", 51, 问题组="内部职工", 人数=12)
    for row, count in ((52, 5), (53, 2), (54, 1)):
        changed = edit(changed, "问卷", row, 人数=count)
    assert outcome(changed, SAMPLES).problems == ()
    differs = edit(changed, "问卷", 47, 问题组="内部职工")  # question 12 (61) in the group first answered by 20
    assert [p.location for p in outcome(differs, SAMPLES).problems] == ["问卷!E53:E56"]


def test_a_question_number_used_again_further_down_is_an_error(workbook):
    """A second group numbered from 1 again would be merged into question 1 and its answers lost."""
    rows = list(workbook.tables["问卷"])
    again = [replace(r, values=_changed(r.values, {"题号": 1, "问题组": "内部职工"})) for r in rows[51:55]]
    changed = replace(workbook, tables=MappingProxyType({**workbook.tables, "问卷": tuple(rows[:51] + again + rows[55:])}))
    _, problems = validate(changed)
    found = [p for p in problems if p.code == "duplicate-question"]
    assert [(p.severity.value, p.location) for p in found] == [("error", "问卷!A53")]
    assert "第 1 题重复" in found[0].message and "问卷!A2" in found[0].message


def test_two_options_guessed_to_the_same_weight_ask_for_分值(workbook):
    """基本满意 and 一般 are both worth 60 by default: in one question, with 分值 blank, they were weighed alike."""
    changed = workbook
    for row, text in zip(range(23, 27), ("A.满意", "B.基本满意", "C.一般", "D.不满意")):
        changed = edit(changed, "问卷", row, 选项=text, 分值=None)
    _, problems = validate(changed)
    found = [p for p in problems if p.location.startswith("问卷!F")]
    assert [(p.code, p.severity.value, p.location) for p in found] == [("missing-value", "error", "问卷!F27")]
    assert "“C.一般”与“B.基本满意”" in found[0].message and "请填写分值" in found[0].message


def test_a_second_different_sample_typed_in_one_question_is_warned(workbook):
    """样本量 is one per question: a different one on a later option row was ignored silently."""
    changed = edit(edit(workbook, "问卷", 23, 样本量=61), "问卷", 24, 样本量=60)
    _, problems = validate(changed)
    found = [p for p in problems if p.location == "问卷!H26"]
    assert [(p.code, p.severity.value) for p in found] == [("value-mismatch", "warning")]
    assert found[0].message.startswith("第 6 题样本量填写了不同的值，与 问卷!H25 不一致")
    assert [p for p in validate(edit(changed, "问卷", 24, 样本量=61))[1] if p.location.startswith("问卷!H")] == []


def test_a_question_carrying_the_title_above_is_warned(workbook):
    """题目 left blank on a new question's first row fills down from the question above: its title, printed twice.
    A title typed twice on purpose reads the same, so it is a warning, not an error that stops the report."""
    title = workbook.tables["问卷"][23]["题目"]
    changed = workbook
    for row in range(27, 31):
        changed = edit(changed, "问卷", row, 题目=title)
    found = [p for p in validate(changed)[1] if p.location.startswith("问卷!B")]
    assert [(p.code, p.severity.value, p.location) for p in found] == [("repeated-title", "warning", "问卷!B29")]
    assert found[0].message.startswith("第 7 题题目与第 6 题相同")


def test_an_open_question_with_counts_is_an_error(workbook):
    """类型 left blank fills down 开放问题 onto the satisfaction question below: its counts were dropped silently."""
    changed = workbook
    for row in range(23, 27):
        changed = edit(changed, "问卷", row, 类型="开放问题", 单项满意度=None)
    found = [p for p in validate(changed)[1] if p.location.startswith("问卷!C")]
    assert [(p.code, p.severity.value, p.location) for p in found] == [("wrong-type", "error", "问卷!C25")]
    assert found[0].message.startswith("第 6 题类型为开放问题，但选项填写了人数")


def test_the_survey_sample_is_the_first_counted_questions(workbook):
    """A survey opening with an 开放问题 (no 人数) printed “收回有效问卷0份”: 问卷样本量 is the first counted question's."""
    from perfreport.score import score

    changed = workbook
    for row in range(0, 4):
        changed = edit(changed, "问卷", row, 类型="开放问题", 人数=None)
    checked, problems = validate(changed)
    assert not [p for p in problems if p.severity.value == "error"]
    assert score(checked)[0].figures["问卷样本量"].prose() == "61"


def test_a_total_row_typed_under_a_question_is_not_an_option(workbook):
    """A 合计 row under question 1's options (61) was an option of its own: sample 122, every 占比 halved."""
    from perfreport.models import Record

    rows = list(workbook.tables["问卷"])
    total = replace(rows[3], values=_changed(rows[3].values, {"选项": "合计", "人数": 61}), row=6)
    total = replace(total, cells={**rows[3].cells, "选项": "D6", "人数": "E6"})
    changed = replace(workbook, tables=MappingProxyType({**workbook.tables, "问卷": tuple(rows[:4] + [total] + rows[4:])}))
    checked, problems = validate(changed)
    first = checked.questions[0]
    assert ([o.text for o in first.options], first.sample) == (["A.制造业", "B.信息传输、软件和信息技术服务业",
                                                                "C.科学研究和技术服务业", "D.其他"], 61)
    assert [p for p in problems if p.location.startswith("问卷!")] == []
    wrong = replace(total, values=_changed(total.values, {"人数": 60}))
    changed = replace(workbook, tables=MappingProxyType({**workbook.tables, "问卷": tuple(rows[:4] + [wrong] + rows[4:])}))
    found = [p for p in validate(changed)[1] if p.location == "问卷!E6"]
    assert [(p.code, p.severity.value) for p in found] == [("total-mismatch", "warning")]
    assert "合计 60" in found[0].message and "各选项人数之和 61" in found[0].message

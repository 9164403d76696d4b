"""Next year's workbook: carried, shifted, moved to 上年, cleared and marked; check lists what is left."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from perfreport import contract
from perfreport.load import load
from perfreport.nextyear import CLEARED, NextYearError, make_next_year
from perfreport.pipeline import build, check
from perfreport.unfilled import cells_of
from perfreport.sheetxml import REFERENCE, column_number
from perfreport.yearpolicy import KEEP, POLICY, SHIFT, TEXT_POLICY, ByRow

from other_workbook import write_other_workbook
from report_text import report_text


@pytest.fixture(scope="module")
def made(tmp_path_factory, sample):
    """The sample's next-year workbook: (source, target, outcome)."""
    folder = tmp_path_factory.mktemp("next")
    source = folder / "市中区工信局_2023.xlsx"
    shutil.copy(sample, source)
    return source, folder / "市中区工信局_2024.xlsx", make_next_year(source)


def _policy(sheet: str, name: str, record):
    policy = POLICY[sheet][name]
    return policy.pick(record[policy.field]) if isinstance(policy, ByRow) else policy


def _cells(workbook, sheet: contract.Sheet):
    """Yield (field, record) for every field of every record of a sheet (one record for key-value sheets)."""
    records = [workbook.records[sheet.name]] if sheet.key_value else workbook.tables[sheet.name]
    for record in records:
        for f in sheet.fields:
            yield f.name, record


def _expand(location: str) -> set[str]:
    """Return every `sheet!cell` a problem's location covers (a range, a sheet, a cell)."""
    sheet, _, area = location.partition("!")
    if not area:
        return {sheet}
    first, _, last = area.partition(":")
    (c1, r1), (c2, r2) = REFERENCE.match(first).groups(), REFERENCE.match(last or first).groups()
    assert c1 == c2
    return {f"{sheet}!{c1}{row}" for row in range(int(r1), int(r2) + 1)}


# ---- the policy is declared for every field ------------------------------------

def test_every_contract_field_has_a_policy():
    declared = {(sheet, name) for sheet, fields in POLICY.items() for name in fields}
    contracted = {(s.name, f.name) for s in contract.SHEETS for f in s.fields}
    assert contracted - declared == set(), "fields without a next-year policy"
    assert declared - contracted == set(), "policies for fields the contract does not have"


def test_row_policies_cover_every_choice():
    assert set(TEXT_POLICY) == set(contract.TEXT_SECTIONS)
    assert set(POLICY["问卷"]["选项"].cases) - {None} == set(contract.QUESTION_TYPES)
    for sheet, fields in POLICY.items():
        for name, policy in fields.items():
            if isinstance(policy, ByRow):
                assert policy.field in {f.name for f in contract.SHEET[sheet].fields}
                choices = contract.SHEET[sheet].field(policy.field).choices
                assert policy.default is not None or set(choices) <= set(policy.cases), (sheet, name)
    assert all(p.source in {f.name for f in contract.SHEET[s].fields}
               for s, fields in POLICY.items() for p in fields.values() if getattr(p, "action", "") == "previous")


# ---- what next-year of the sample holds ---------------------------------------

def test_carried_values_equal(made):
    source, target, _ = made
    before, after = load(source)[0], load(target)[0]
    compared = 0
    for sheet in contract.SHEETS:
        if all(POLICY[sheet.name][f.name] is SHIFT for f in sheet.fields):
            continue  # the history: test_history_is_shifted
        new = {r.row: r for r in ([after.records[sheet.name]] if sheet.key_value else after.tables[sheet.name])}
        for name, record in _cells(before, sheet):
            if _policy(sheet.name, name, record) is KEEP and record[name] is not None:
                assert new[record.row][name] == record[name], f"{record.where(name)}"
                compared += 1
    assert compared > 500
    assert [r["三级指标"] for r in after.tables["指标体系"]] == [r["三级指标"] for r in before.tables["指标体系"]]


def test_year_moves_on_and_last_years_values_become_the_previous_ones(made):
    source, target, outcome = made
    before, after = load(source)[0], load(target)[0]
    assert (outcome.year, after.info("评价年度")) == (2023, 2024)
    assert after.info("上年总资产") == before.info("总资产")
    assert after.info("上年闲置资产") == before.info("闲置资产")
    assert after.info("五项经费_上年决算") == before.info("五项经费_决算")


def test_history_is_shifted(made):
    source, target, outcome = made
    before = {r["年度"]: r for r in load(source)[0].tables["收支决算"]}
    after = load(target)[0].tables["收支决算"]
    assert [r["年度"] for r in after] == [2022, 2023, 2024] and outcome.shifted == (2021, 2024)
    columns = [f.name for f in contract.SHEET["收支决算"].fields]
    assert all(r[c] == before[r["年度"]][c] for r in after[:2] for c in columns)
    assert [after[2][c] for c in columns[1:]] == [None] * (len(columns) - 1)


def test_cleared_values_are_blank_and_highlighted(made):
    source, target, outcome = made
    before, book = load(source)[0], load_workbook(target)
    cleared = 0
    for sheet in contract.SHEETS:
        for name, record in _cells(before, sheet):
            if _policy(sheet.name, name, record).action == "clear" and record[name] is not None:
                cell = book[sheet.name][record.cells[name]]
                assert cell.value is None and cell.fill.fgColor.rgb == CLEARED.fgColor.rgb, record.where(name)
                cleared += 1
    assert cleared > 400 and cleared == sum(len(c.cells) for c in outcome.changes
                                            if c.cleared and c.sheet != "收支决算")
    texts = {r.row: r for r in load(target)[0].tables["文字"]}
    for record in before.tables["文字"]:
        kept = record["章节"] in ("评价目的", "呈报函正文")
        assert (texts[record.row]["内容"] == record["内容"]) is kept
    assert book.worksheets[0].title == "2024年度填写说明" and book.active.title == "2024年度填写说明"


def test_check_lists_exactly_the_year_specific_gaps(made):
    source, target, outcome = made
    result = check(target)
    assert result.warnings == [] and {p.code for p in result.errors} == {"missing-value", "to-fill"}
    listed = set().union(*(_expand(p.location) for p in result.errors))
    cleared = {f"{c.sheet}!{ref}" for c in outcome.changes for ref in c.cells if c.cleared}
    to_fill = {f"{c.sheet}!{ref}" for c in outcome.changes for ref in c.to_fill}
    emptied = {"复评项目"}  # a table left with no row is listed once, for the sheet
    assert listed - emptied <= cleared  # only year-specific gaps …
    assert {ref for ref in to_fill if ref.split("!")[0] not in emptied} <= listed  # … and every one to fill
    assert "复评项目" in listed
    assert not any(ref in listed for ref in ("指标体系!H15", "指标体系!H29"))  # overrides: cleared, not required


def test_the_next_year_workbook_filled_with_this_years_data_builds(made, tmp_path):
    source, target, outcome = made
    old, book = load_workbook(source), load_workbook(target)
    for change in outcome.changes:
        if change.cleared and change.sheet != "收支决算":
            for ref in change.cells:
                value = book[change.sheet][ref].value = old[change.sheet][ref].value
                if isinstance(value, str):  # {收入合计_2022} means the same figure one year on
                    book[change.sheet][ref].value = re.sub(r"_(\d{4})}", lambda m: f"_{int(m[1]) + 1}}}", value)
    for column in "BCDEFGH":
        book["收支决算"][f"{column}4"] = old["收支决算"][f"{column}4"].value
    filled = tmp_path / "2024.xlsx"
    book.save(filled)
    assert check(filled).errors == []
    done = build(filled, tmp_path / "2024.docx")
    assert done.output and "枣庄市市中区工业和信息化局2024年度部门整体绩效评价报告" in report_text(Path(done.output))


# ---- other workbooks, the command line, the marks -------------------------------

def test_another_department_moves_on_a_year(tmp_path):
    source = write_other_workbook(tmp_path / "农业局2025.xlsx")
    outcome = make_next_year(source)
    after = load(outcome.output)[0]
    assert outcome.output.name == "农业局2026.xlsx" and after.info("评价年度") == 2026
    assert [r["年度"] for r in after.tables["收支决算"]] == [2025, 2026]
    assert after.info("上年总资产") == load(source)[0].info("总资产")
    assert {p.code for p in check(outcome.output).errors} <= {"missing-value", "to-fill"}


def test_command_line(made, run_cli, tmp_path):
    source, target, _ = made
    again = run_cli("next-year", source)
    assert again.code == 1 and "已存在" in again.stderr and "--force" in again.stderr
    same = run_cli("next-year", source, "-o", source, "--force")
    assert same.code == 1 and "就是原工作簿" in same.stderr
    unfilled = run_cli("next-year", target, "-o", tmp_path / "2025.xlsx")
    assert unfilled.code == 1 and "请先填写 2024 年度的数据" in unfilled.stderr
    fresh = run_cli("next-year", source, "-o", tmp_path / "新.xlsx")
    assert fresh.code == 0 and fresh.stdout.startswith(f"已生成 {tmp_path / '新.xlsx'}（评价年度 2024）")
    assert load_workbook(tmp_path / "新.xlsx").sheetnames[1:] == load_workbook(source).sheetnames
    broken = tmp_path / "坏.xlsx"
    broken.write_text("不是工作簿")
    assert run_cli("next-year", broken).code == 1 and not run_cli("next-year", broken).traceback


def test_a_mark_follows_deleted_rows():
    text = "'复评项目'!$B$2:$B$4,'复评项目'!#REF!,文字!$C$9,'it''s'!$AA$1"
    assert cells_of(text) == [("复评项目", "B", 2), ("复评项目", "B", 3), ("复评项目", "B", 4), ("文字", "C", 9),
                              ("it's", "AA", 1)]
    assert column_number("AA") == 27


def test_what_the_issue_names_is_carried_or_cleared(made):
    source, target, _ = made
    before, after = load(source)[0], load(target)[0]
    framework = ("一级指标", "二级指标", "三级指标", "分值", "指标解释", "评价标准", "评分方式", "依据来源")
    for old, new in zip(before.tables["指标体系"], after.tables["指标体系"], strict=True):
        assert [new[c] for c in framework] == [old[c] for c in framework]
        assert (new["得分"], new["评分依据"], new["问题描述"]) == (None, None, None)
    duties = ("职责序号", "部门职责", "职责", "职责目标", "绩效指标", "三级指标")
    for old, new in zip(before.tables["目标对比"], after.tables["目标对比"], strict=True):
        assert [new[c] for c in duties] == [old[c] for c in duties] and new["实际完成值"] is None
    assert [r.values for r in after.tables["评价工作组"]] == [r.values for r in before.tables["评价工作组"]]
    firm = ("评价机构", "评价机构简称", "委托单位", "联系人", "联系电话", "评价依据", "被评价单位")
    assert [after.info(k) for k in firm] == [before.info(k) for k in firm]
    assert all(r["人数"] is None for r in after.tables["问卷"]) and after.tables["复评项目"] == ()
    chapters = {"主要绩效", "存在的问题", "相关建议"}  # 四–六
    assert all(r["内容"] is None and r["标题"] is None for r in after.tables["文字"] if r["章节"] in chapters)


def test_formulas_stay_and_a_missing_previous_row_is_added(tmp_path):
    source = write_other_workbook(tmp_path / "农业局2025.xlsx")
    book = load_workbook(source)
    book["固定资产"]["E2"] = "=C2-D2"
    profile = book["部门概况"]
    profile.delete_rows(next(r[0].row for r in profile.iter_rows() if r[0].value == "上年闲置资产"))
    book.save(source)
    outcome = make_next_year(source)
    after = load_workbook(outcome.output)
    assert after["固定资产"]["E2"].value == "=C2-D2" and after["固定资产"]["C2"].value is None
    rows = {r[0].value: r[1].value for r in after["部门概况"].iter_rows(min_row=2)}
    assert rows["上年闲置资产"] == 0 and rows["上年总资产"] == 356.4  # 闲置资产 and 总资产 of 2025


def test_a_history_row_without_a_year_stops_next_year(tmp_path):
    source = write_other_workbook(tmp_path / "农业局2025.xlsx")
    book = load_workbook(source)
    book["收支决算"]["A2"] = None
    book.save(source)
    with pytest.raises(NextYearError, match=r"收支决算!A2：没有年度"):
        make_next_year(source)
    assert not (tmp_path / "农业局2026.xlsx").exists()


def test_a_history_newest_first_stays_newest_first(tmp_path):
    source = write_other_workbook(tmp_path / "农业局2025.xlsx")
    book = load_workbook(source)
    ws = book["收支决算"]
    first, second = [[c.value for c in ws[row]] for row in (2, 3)]
    for column, (a, b) in enumerate(zip(second, first), start=1):
        ws.cell(row=2, column=column, value=a)
        ws.cell(row=3, column=column, value=b)
    book.save(source)
    history = load(make_next_year(source).output)[0].tables["收支决算"]
    assert [r["年度"] for r in history] == [2026, 2025] and history[1]["收入_一般公共预算"] is not None

"""Sentences that add up: the report's own sentences stating a total and its parts, parsed and added.

A reader adds the printed numbers; so do these tests, on the sample, on another department,
and on workbooks made inconsistent on purpose.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from other_workbook import write_other_workbook
from perfreport.pipeline import build
from perfreport.quality.document import read
from perfreport.quality.sums import sums

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
OTHER = "云岭县农业农村局2025年度部门整体绩效评价报告"
# the reference's wording of 2023, whose 年中调整 is 调增 + 调减 (308.62) though 调整后 is 年初 + 调增 − 调减
GROSS_INCOME = ("年初收入预算批复{年初预算}万元[[，其中{收入来源}]]；年中调整收入预算{调整预算}万元"
                "[[（其中{收入调整明细}）]]，调整后收入预算为{调整后预算}万元；决算{决算支出}万元。")


def _arithmetic(text: str) -> list[tuple[str, bool, str]]:
    return [(s.form, s.ok, s.arithmetic) for s in sums(text)]


@pytest.mark.parametrize("text, expected", [
    ("核定编制48名，其中行政12名，事业36名，截至2023年底，实际在职46名，其中行政11名，事业35名。",
     [("其中", True, "12 + 36 = 48名"), ("其中", True, "11 + 35 = 46名")]),
    ("总资产921.54万元，其中流动资产797.6万元，占资产总额86.55%；非流动资产123.94万元，占资产总额13.45%。",
     [("其中", True, "797.6 + 123.94 = 921.54万元"), ("占比", True, "86.55 + 13.45 = 100%")]),
    ("年初收入预算批复12,779.84万元，其中一般公共预算1,477.74万元，国有资本经营预算收入10,793.32万元，其他收入508.78万元；"
     "年中核减预算63.47万元，增加上级转移支付收入245.15万元，调整后收入预算为12,961.52万元；决算10,271.96万元。",
     [("其中", True, "1,477.74 + 10,793.32 + 508.78 = 12,779.84万元"),
      ("调整", True, "12,779.84 − 63.47 + 245.15 = 12,961.52万元")]),
    ("年初预算批复100万元；年中调整后预算为100万元；决算90万元。", [("调整", True, "100 = 100万元")]),
    ("年中调整预算308.62万元（其中核减预算63.47万元，增加上级转移支付收入245.15万元）。",
     [("其中", True, "63.47 + 245.15 = 308.62万元")]),
    ("固定资产原值201.69万元，累计折旧118.99万元，净值82.7万元。", [("净值", True, "201.69 − 118.99 = 82.7万元")]),
    ("综合绩效评价总分100分，其中财政资源配置12分，预算管理28分，绩效管理15分，部门履职效能35分，社会效应10分。",
     [("其中", True, "12 + 28 + 15 + 35 + 10 = 100分")]),
])
def test_sentences_that_add_up(text, expected):
    assert _arithmetic(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the reference's sentence: 12,779.84 + 308.62 is 13,088.46, not 12,961.52
    ("年初收入预算批复12,779.84万元；年中调整收入预算308.62万元（其中核减预算63.47万元，增加上级转移支付收入245.15万元），"
     "调整后收入预算为12,961.52万元；决算10,271.96万元。",
     [("其中", True, "63.47 + 245.15 = 308.62万元"), ("调整", False, "12,779.84 + 308.62 ≠ 12,961.52万元（相差 126.94）")]),
    ("年初支出预算批复12,779.84万元，其中基本支出857.18万元，项目支出11,922.66万元；年中调整支出预算308.62万元"
     "（调增预算245.15万元，调减预算63.47万元），调整后支出预算为12,961.52万元。",
     [("其中", True, "857.18 + 11,922.66 = 12,779.84万元"),
      ("调整", False, "12,779.84 + 308.62 ≠ 12,961.52万元（相差 126.94）")]),
    ("总资产100万元，其中流动资产60万元，占资产总额60%；非流动资产30万元，占资产总额30%。",
     [("其中", False, "60 + 30 ≠ 100万元（相差 10）"), ("占比", False, "60 + 30 ≠ 100%（相差 10）")]),
    ("总资产100万元，其中流动资产33.33万元，占资产总额33.33%；非流动资产66.66万元，占资产总额66.66%。",
     [("其中", False, "33.33 + 66.66 ≠ 100万元（相差 0.01，在四舍五入误差之内）"),
      ("占比", False, "33.33 + 66.66 ≠ 100%（相差 0.01，在四舍五入误差之内）")]),
    ("无形资产原值49万元，累计摊销7.76万元，净值41.42万元。", [("净值", False, "49 − 7.76 ≠ 41.42万元（相差 0.18）")]),
])
def test_sentences_that_do_not_add_up_are_caught(text, expected):
    assert _arithmetic(text) == expected


@pytest.mark.parametrize("text", [
    "在库项目达82个，其中过亿元项目31个，协助企业完成63个技改项目备案。",  # one part: a subset, not a breakdown
    "抽取了6个项目绩效评价，其中2个项目为“优”，1个项目为“良”。",  # the total is not right before 其中
    "年初批复预算项目10个，涉及资金11,922.66万元。其中重点项目2个，涉及资金450万元，另有30万元。",  # 其中 after 。
    "年初预算批复12,779.84万元，调整后为12,961.52万元，决算10,271.96万元。",  # no adjustment stated
])
def test_what_is_no_total_with_parts_is_left_alone(text):
    assert sums(text) == []


def test_a_breakdown_ends_at_a_phrase_naming_no_part():
    text = ("调整预算308.62万元，其中核减预算63.47万元，下达上级转移支付资金245.15万元，剔除上级转移支付资金后，"
            "预算调整63.47万元。")
    assert _arithmetic(text) == [("其中", True, "63.47 + 245.15 = 308.62万元")]


# ---- the reports -------------------------------------------------------------------------------
def _report(workbook: Path, out: Path, title: str):
    result = build(workbook, out)
    assert result.ok, [str(p) for p in result.errors]
    return read(out.read_bytes(), title)


def _found(report) -> list[tuple[str, str, bool, str]]:
    return [(p.where, s.form, s.ok, s.arithmetic) for p in report.paragraphs if p.zone == "正文" for s in sums(p.text)]


GENERATED = {("一（一）2 人员构成", "其中"), ("一（一）3 资产情况", "其中"), ("一（一）3 资产情况", "占比"),
             ("一（一）3 资产情况", "净值"), ("一（一）4（1） 年度收入预决算", "调整"), ("一（一）4（2） 年度支出预决算", "其中"),
             ("一（一）4（2） 年度支出预决算", "调整"), ("二（二）3 评价指标体系", "其中")}


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    return _report(SAMPLE, tmp_path_factory.mktemp("sums") / "sample.docx", "枣庄市市中区工业和信息化局2023年度部门整体绩效评价报告")


def test_every_sentence_of_the_sample_adds_up(sample_report):
    found = _found(sample_report)
    assert GENERATED | {("一（一）4（1） 年度收入预决算", "其中")} <= {(where, form) for where, form, _, _ in found}
    assert [f for f in found if not f[2]] == []
    assert ("一（一）4（1） 年度收入预决算", "调整", True, "12,779.84 − 63.47 + 245.15 = 12,961.52万元") in found
    assert ("一（一）4（2） 年度支出预决算", "调整", True, "12,779.84 + 245.15 − 63.47 = 12,961.52万元") in found


def test_the_sample_states_the_adjusted_budget_as_such(sample_report):
    overview = next(t for t in sample_report.tables if t.zone == "总览表")
    header = next(i for i, row in enumerate(overview.rows) if "预算批复（万元）" in row)
    assert overview.rows[header] == ("预算批复（万元）", "调整后预算（万元）", "预算执行（万元）", "执行率")
    assert overview.rows[header + 1][:2] == ("12,779.84", "12,961.52")
    scope = next(p.text for p in sample_report.paragraphs if p.where == "二（一）3 评价范围" and not p.level)
    assert scope == "2023年1月1日至12月31日，调整后预算资金12,961.52万元。"


def _other(tmp_path: Path, income: float | None = 2350.75, **changes) -> Path:
    """The other department's workbook; its 评价年度's 收支决算 income `income` (None: no row for that year)."""
    path = write_other_workbook(tmp_path / "other.xlsx", **changes)
    book = load_workbook(path)
    sheet = book["收支决算"]
    head = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[head.index("年度")].value == 2025:
            if income is None:
                sheet.delete_rows(row[0].row)
            else:
                row[head.index("收入_一般公共预算")].value = income
    book.save(path)
    return path


def test_every_sentence_of_another_department_adds_up(tmp_path):
    report = _report(_other(tmp_path), tmp_path / "other.docx", OTHER)
    found = _found(report)
    assert GENERATED <= {(where, form) for where, form, _, _ in found}
    assert [f for f in found if not f[2]] == []


def test_the_income_sentence_prints_the_income_outturn(tmp_path):
    report = _report(_other(tmp_path), tmp_path / "other.docx", OTHER)
    income = next(p.text for p in report.paragraphs if p.where == "一（一）4（1） 年度收入预决算" and not p.level)
    spending = next(p.text for p in report.paragraphs if p.where == "一（一）4（2） 年度支出预决算" and not p.level)
    assert "调整后收入预算为2,500万元；决算2,350.75万元。" in income  # 收支决算 2025 收入合计, not 决算支出
    assert "调整后支出预算为2,500万元；决算2,301.25万元。" in spending


def test_without_the_years_outturn_the_income_sentence_leaves_it_out(tmp_path):
    report = _report(_other(tmp_path, income=None, 收入变动说明="收入总体平稳。"), tmp_path / "other.docx", OTHER)
    income = next(p.text for p in report.paragraphs if p.where == "一（一）4（1） 年度收入预决算" and not p.level)
    assert income.startswith("年初收入预算批复2,418.6万元")
    assert "调整后收入预算为2,500万元。" in income and "决算" not in income.split("调整后")[1]


def test_a_workbook_whose_parts_do_not_add_up_is_caught(tmp_path):
    report = _report(_other(tmp_path, 编制_行政=10), tmp_path / "other.docx", OTHER)
    assert [f for f in _found(report) if not f[2]] == [("一（一）2 人员构成", "其中", False, "10 + 12 ≠ 21名（相差 1）")]


def test_the_references_gross_adjustment_wording_is_caught(tmp_path):
    workbook = _other(tmp_path, texts=[("收入预决算", 1, "", GROSS_INCOME)])
    report = _report(workbook, tmp_path / "other.docx", OTHER)
    assert [f for f in _found(report) if not f[2]] == [
        ("一（一）4（1） 年度收入预决算", "调整", False, "2,418.6 + 158.6 ≠ 2,500万元（相差 77.2）")]

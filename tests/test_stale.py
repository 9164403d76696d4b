"""Numbers typed in prose next to a figure's name: stale ones warned, current ones hinted, the rest left alone."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from perfreport.load import load
from perfreport.models import Record
from perfreport.score import score
from perfreport.stale import stale_numbers
from perfreport.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
GOLDEN = ROOT / "tests" / "golden" / "shizhong_gxj_2023.txt"


@pytest.fixture(scope="module")
def sample():
    workbook, _ = load(SAMPLE)
    checked, _ = validate(workbook)
    scores, _ = score(checked)
    return checked, scores


def with_texts(checked, lines: list[str]):
    """Return the sample with its 文字 sheet replaced by one row per line (内容 in D2, D3 …)."""
    rows = tuple(Record("文字", MappingProxyType({"章节": "主要绩效", "内容": line}), MappingProxyType({"内容": f"D{n}"}), n)
                 for n, line in enumerate(lines, 2))
    return replace(checked, workbook=replace(checked.workbook, tables=MappingProxyType(
        {**checked.workbook.tables, "文字": rows})))


def found(sample, text: str) -> list[tuple[str, str]]:
    checked, scores = sample
    return [(p.severity.value, p.message) for p in stale_numbers(with_texts(checked, [text]), scores)]


def test_the_sample_types_no_figure_by_hand(sample):
    assert stale_numbers(*sample) == []


def test_a_stale_number_is_a_warning_with_both_values(sample):
    assert found(sample, "年初预算批复12,779.84万元，预算执行率80%，执行率不高。") == [
        ("hint", "“年初预算批复12,779.84万元”与计算值相同：写成 {年初预算} 可在数据更改后自动更新"),
        ("warning", "“预算执行率80%”与计算值 79.25% 不一致：请改为 {预算执行率}，或核对数据"),
    ]


def test_the_number_is_compared_at_the_precision_typed(sample):
    assert [s for s, _ in found(sample, "预算执行率为79.3%")] == ["hint"]
    assert [s for s, _ in found(sample, "预算执行率为79.2%")] == ["hint"]  # 79.2497%, printed 79.25%
    assert [s for s, _ in found(sample, "预算执行率为79.4%")] == ["warning"]
    assert [s for s, _ in found(sample, "编制总数48人，实有总数47人")] == ["hint", "warning"]


@pytest.mark.parametrize("text", [
    "2022年预算执行率80%",  # another year
    "预算执行率较上年提高5%",  # a change
    "预算执行率提高5个百分点",
    "部分项目预算执行率85%",  # something narrower than the department's figure
    "预算执行率排名第3",  # a rank
    "年初预算12,779,840元",  # another unit
    "预算执行率为79",  # a rate without %
    "预算执行率（按调整后预算计算）80%",  # too far: a parenthesis between
    "预算执行率{预算执行率}，调整预算{调整预算}万元",  # placeholders print no typed number
    "上年总资产900万元",  # a blank field: its figure 0 is arithmetic, not a value
    "综合绩效评价总分100分",  # the full mark, not the score
])
def test_near_misses_are_left_alone(sample, text):
    assert found(sample, text) == []


@pytest.mark.parametrize("text", ["发放补贴资金120万元", "开展培训12次，覆盖企业300家", "截至2023年12月31日"])
def test_numbers_next_to_no_figure_are_left_alone(sample, text):
    assert found(sample, text) == []


def test_the_location_is_the_cell(sample):
    checked, scores = sample
    problems = stale_numbers(with_texts(checked, ["无关的文字", "综合满意度90%"]), scores)
    assert [(p.code, p.location) for p in problems] == [("stale-number", "文字!D3")]


def test_the_reference_report_text_has_no_stale_number(sample):
    """Every sentence of the sample's report, typed as prose: its numbers agree with the figures they follow."""
    checked, scores = sample
    lines = [line for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    problems = stale_numbers(with_texts(checked, lines), scores)
    assert [p for p in problems if p.severity.value != "hint"] == []
    hinted = {p.message.split("写成 ")[1].split(" ")[0] for p in problems}
    assert {"{预算执行率}", "{年初预算}", "{总资产}", "{固定资产原值}", "{抽样率}", "{综合满意度}"} <= hinted

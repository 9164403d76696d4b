"""`perfreport check --explain`: how every score came about, as text (golden) and as JSON (the same objects).

Regenerate the golden file after an intended change with
    PERFREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_explain.py
and review its diff like code.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from perfreport.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
GOLDEN = Path(__file__).resolve().parent / "golden" / "shizhong_gxj_2023_explain.txt"
RULE_SCORED = ("(2)", "(3)", "(4)", "(12)", "(14)", "(19)", "(20)", "(21)", "(22)", "(23)", "(24)", "(25)", "(26)",
               "(27)", "(28)", "(30)")


@pytest.fixture(scope="module")
def explained(run_cli) -> str:
    run = run_cli("check", "--explain", SAMPLE)
    assert run.code == 0 and not run.traceback, run.output
    return run.stdout


def _block(text: str, number: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{number} "))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("    (")), len(lines))
    return [line.strip() for line in lines[start:end]]


def test_golden_explanation(explained):
    if os.environ.get("PERFREPORT_UPDATE_GOLDEN"):
        GOLDEN.write_text(explained, encoding="utf-8")
    assert explained == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("number", RULE_SCORED)
def test_every_rule_scored_indicator_shows_parameters_arithmetic_and_rounding(explained, number):
    block = _block(explained, number)
    assert any(line.startswith("评分参数（") for line in block)
    assert any(line.startswith("评价标准（填写）") for line in block)
    assert any("=" in line and "→" in line for line in block[2:])  # arithmetic
    assert any(line.startswith("规则得分 = ") and "四舍五入保留两位小数" in line for line in block)


def test_fourteen_shows_the_rules_1_75_and_the_override_2_00(explained):
    block = _block(explained, "(14)")
    assert "固定资产利用率 = 在用固定资产 / 固定资产原值 = 201.54 / 201.69 = 99.93%" in block
    assert "固定资产利用率 = 99.93% → 90%≤固定资产利用率<100% → 得0.75分（1 × 75%）" in block
    assert "规则得分 = 1.75 → 四舍五入保留两位小数 = 1.75" in block
    assert "填写得分 2.00（指标体系!H15）覆盖规则得分 1.75，相差 +0.25；采用 2.00" in block


def test_inputs_are_named_with_their_cells(explained):
    block = _block(explained, "(4)")
    assert ("输入：决算支出 = 10,271.96（预决算!B8）；年初预算 = 12,779.84（预决算!B2）；调增_转移支付 = 245.15（预决算!B5）；"
            "调增_其他 = 0（预决算!B6）；调减 = 63.47（预决算!B7）") in block


def test_manual_scores_say_where_they_were_typed(explained):
    assert _block(explained, "(1)")[1] == "手工评分：得分 7.00（指标体系!H2）"


def test_json_carries_the_same_objects(run_cli):
    plain = json.loads(run_cli("check", "--json", SAMPLE).stdout)
    assert all("explain" not in i for i in plain["indicators"])  # unchanged without --explain
    data = json.loads(run_cli("check", "--json", "--explain", SAMPLE).stdout)
    result = check(SAMPLE)
    for row, item in zip(data["indicators"], result.scores.indicators):
        assert row["explain"] == item.explanation.as_dict()
    fourteen = next(i for i in data["indicators"] if i["id"] == "(14)")["explain"]
    assert fourteen["override"] == {"entered": "2.00", "cell": "指标体系!H15", "difference": "+0.25"}
    assert (fourteen["rule_score"], fourteen["score"]) == ("1.75", "2.00")
    assert {"name": "在用固定资产", "value": "201.54", "cell": "部门概况!B16"} in fourteen["inputs"]
    assert "固定资产利用率 = 99.93% → 90%≤固定资产利用率<100% → 得0.75分（1 × 75%）" in fourteen["arithmetic"]


# ---- a 得分 typed with more than two decimals is shown as it is used: rounded half up --------------------

def _with_scores(tmp_path: Path, **cells) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(SAMPLE)
    for ref, value in cells.items():
        book["指标体系"][ref] = value
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("cell, number, typed, line", [
    ("H15", "(14)", 1.985, "填写得分 1.985（指标体系!H15）→ 四舍五入保留两位小数 = 1.99，覆盖规则得分 1.75，相差 +0.24；采用 1.99"),
    ("H15", "(14)", 1.75, "填写得分 1.75（指标体系!H15）与规则得分相同"),
    ("H2", "(1)", 7.005, "手工评分：得分 7.005（指标体系!H2）→ 四舍五入保留两位小数 = 7.01"),
    ("H2", "(1)", 6.985, "手工评分：得分 6.985（指标体系!H2）→ 四舍五入保留两位小数 = 6.99"),
])
def test_a_typed_score_of_three_decimals_is_shown_rounded_half_up(tmp_path, cell, number, typed, line):
    result = check(_with_scores(tmp_path, **{cell: typed}))
    item = next(i for i in result.scores.indicators if i.indicator.id == number)
    assert line in [text.strip() for text in item.explanation.text()]
    override = item.explanation.as_dict()["override"]
    assert override is None or override["entered"] == f"{item.score:.2f}"

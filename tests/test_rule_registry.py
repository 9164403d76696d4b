"""One registry of scoring: contract, README, init and the catalogue read it; these tests fail when they drift."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl

from perfreport import contract
from perfreport.init import framework, write_blank
from perfreport.init_rules import EXAMPLES_NAME, examples
from perfreport.rule_inputs import derive_values
from perfreport.rules import (CODES, DEFAULT_BANDS, RULE_NAMES, RULES, GoalRow, Inputs, ParamError, Project, Question,
                              evaluate, spec_for, unmatched_numbers)
from perfreport.rules.docs import blocks_table, codes_table, figures_list, rules_table
from perfreport.rules.figures import kinds

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
D = Decimal
KINDS = kinds()


def test_contract_takes_its_rule_names_from_the_registry():
    assert contract.SHEET["指标体系"].field("评分方式").choices == RULE_NAMES == tuple(RULES)


def test_readme_holds_the_generated_tables():
    for table in (rules_table(), blocks_table(), figures_list(), codes_table()):
        assert table in README


def test_every_code_used_is_catalogued_and_every_catalogued_code_is_used():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "perfreport").rglob("*.py")
                       if p.name not in ("catalogue.py", "docs.py"))
    scoring = set(re.findall(r'"((?:rule|parameter|bands|standard|grade)-[a-z-]+)"', source))
    assert scoring - set(CODES) == set()
    assert {code for code in CODES if f'"{code}"' not in source} == set()


def _fields(**values):
    return derive_values({k: D(str(v)) for k, v in values.items()}, {}, {})


# the inputs of each registry example, as its table row describes them
EXAMPLE_INPUTS = {
    "手工": None,
    "目标完成率": {"goals": tuple(GoalRow(f"g{t}", ((D(t), D(a), "≥"),), True, "") for t, a in ((3, 0), (6, 11), (7, 10)))},
    "预算执行率": {"values": _fields(年初预算="12779.84", 调增_转移支付="245.15", 调增_其他=0, 调减="63.47",
                                 决算支出="10271.96")},
    "预算执行进度": {"values": _fields(年初预算="12779.84", 调增_转移支付="245.15", 调增_其他=0, 调减="63.47"),
               "months": {m: (D(v), "") for m, v in ((6, "79739891.15"), (7, "89739891.15"), (9, "102245089.87"),
                                                      (11, "108993393.69"), (12, "112234472.39"))}},
    "过紧日子": {"values": _fields(五项经费_预算="5.26", 五项经费_决算="5.26", 五项经费_上年决算="2.79")},
    "政府采购执行率": {"values": _fields(政府采购预算=4, 政府采购合同金额=3)},
    "固定资产利用": {"values": _fields(闲置资产=0, 总资产=500, 上年闲置资产=0, 上年总资产=500, 在用固定资产="201.54",
                                 固定资产原值="201.69")},
    "复评差异": {"projects": tuple(Project("p", D(o), D(r), None, "") for o, r in (
        (100, 90), (100, 90), ("93.4", "81.4"), (93, "68.9"), (94, "80.19"), ("97.5", "82.5")))},
    "项目实际绩效": {"projects": tuple(Project("p", D(90), D(90), g, "") for g in "优优中中中良")},
    "满意度": {"questions": tuple(Question(n, "", D(p) / 100, "") for n, p in enumerate(
        ("88.53", "88.86", "88.20", "89.58", "87.53", "88.52", "88.20", "87.55"), 6))},
    "按评分参数": {"values": _fields(重点项目资金=85, 年初项目资金=100)},
}


def test_every_registry_example_scores_as_it_says():
    assert set(EXAMPLE_INPUTS) == set(RULES)
    for name, rule in RULES.items():
        weight, typed, _, expected = rule.example
        if EXAMPLE_INPUTS[name] is None:
            continue
        made = spec_for(name, typed, D(weight), KINDS, DEFAULT_BANDS.names, rule.default_for(DEFAULT_BANDS))
        outcome = evaluate(made, D(weight), Inputs(**EXAMPLE_INPUTS[name]))
        assert f"{outcome.score.quantize(D('0.01'))}" == expected, name


def test_the_frameworks_typed_standards_agree_with_their_parameters():
    """init's framework: every rule row's 评价标准 quotes only numbers its 评分参数 (or defaults) hold."""
    for row in framework():
        if row["评分方式"] in ("手工", "目标完成率"):  # 目标完成率 rows are slots (××) for the department's targets
            continue
        weight = D(str(row["分值"]))
        made = spec_for(row["评分方式"], row.get("评分参数", ""), weight, KINDS, DEFAULT_BANDS.names,
                        RULES[row["评分方式"]].default_for(DEFAULT_BANDS))
        assert unmatched_numbers(row["评价标准"], made, weight) == [], row["三级指标"]


def test_init_documents_every_rule_and_offers_the_examples(tmp_path):
    book = openpyxl.load_workbook(write_blank(tmp_path / "w.xlsx"))
    guide = {(r[0], r[1]) for r in book["填写说明"].iter_rows(values_only=True) if r[0]}
    for name, rule in RULES.items():
        if rule.default:
            assert (f"评分方式：{name}", rule.default_for(DEFAULT_BANDS)) in guide
    destination = book.defined_names[EXAMPLES_NAME].attr_text
    sheet, cells = destination.split("!")
    first, last = (int(c.split("$")[-1]) for c in cells.split(":"))
    offered = [book[sheet.strip("'")].cell(r, 2).value for r in range(first, last + 1)]
    assert offered == examples()
    ws = book["指标体系"]
    column = [c.value for c in ws[1]].index("评分参数") + 1
    letter = openpyxl.utils.get_column_letter(column)
    validation = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2"))
    assert validation.type == "list" and validation.formula1 == f"={EXAMPLES_NAME}"
    assert validation.errorStyle == "information"  # a suggestion: any other text may be typed


def test_every_example_offered_in_the_drop_down_reads():
    for text in examples():
        read = []
        for name, rule in RULES.items():
            if name == "手工":
                continue
            try:
                spec_for(name, text, D(10), KINDS, DEFAULT_BANDS.names, rule.default_for(DEFAULT_BANDS))
                read.append(name)
            except ParamError:
                pass
        assert read, text

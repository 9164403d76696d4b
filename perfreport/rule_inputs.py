"""Bind a checked workbook to the plain inputs rules read: values with their cells, goals, survey, projects.

Everything here is a lookup: no scoring. `field_values` gives each numeric
key-value field (and the fixed-asset totals) with its place; `rule_values` the
Values a 评分参数 may name; `shared_inputs` and `inputs_for` one indicator's rules.Inputs.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from . import contract
from .contract import Kind
from .fmt import amount, rate, round2, round_rate
from .models import Checked, Indicator
from .rules import GoalRow, Inputs, Project, Question, Value, question_satisfaction
from .rules.figures import (AMOUNTS, DERIVED, IDLE_CHANGE, IDLE_FORMULA, IDLE_INPUTS, RATIOS, Unavailable, compute,
                            idle_change, shown)

ZERO = Decimal(0)
NUMERIC = (Kind.MONEY, Kind.NUMBER, Kind.COUNT, Kind.PERCENT)
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def fixed_assets(checked: Checked) -> tuple[Decimal, Decimal]:
    """Return 固定资产原值 and 累计折旧: the typed values, else the 固定资产 sums."""
    rows = checked.workbook.tables["固定资产"]
    original = checked.workbook.info("固定资产原值")
    depreciation = checked.workbook.info("累计折旧")
    if original is None:
        original = sum((r["原值"] or ZERO for r in rows), ZERO)
    if depreciation is None:
        depreciation = sum((r["累计折旧"] or ZERO for r in rows), ZERO)
    return original, depreciation


def _kind(field) -> str:
    return "rate" if field.kind is Kind.PERCENT else "count" if field.kind is Kind.COUNT else "amount"


def field_values(checked: Checked) -> tuple[dict[str, Decimal | None], dict[str, str], dict[str, str]]:
    """Return numeric key-value fields (None when blank) and the derived amounts, their cells and kinds."""
    values: dict[str, Decimal | None] = {}
    cells: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for sheet in (s for s in contract.SHEETS if s.key_value):
        record = checked.workbook.records[sheet.name]
        for field in (f for f in sheet.fields if f.kind in NUMERIC):
            value = record[field.name]
            values[field.name] = None if value is None else Decimal(value)
            cells[field.name] = record.where(field.name)
            kinds[field.name] = _kind(field)
    original, depreciation = fixed_assets(checked)
    rows = checked.workbook.tables["固定资产"]
    for name, value, column in (("固定资产原值", original, "原值"), ("累计折旧", depreciation, "累计折旧")):
        if values[name] is None:
            values[name] = value
            cells[name] = (f"固定资产!{rows[0].cells[column]}:{rows[-1].cells[column]} 合计"
                           if rows and column in rows[0].cells else "固定资产 合计")
    for figure in AMOUNTS:
        values[figure.name] = compute(figure, values)
        kinds[figure.name] = "amount"
    return values, cells, kinds


def _printed(value: Decimal | None, kind: str) -> str:
    if value is None:
        return "（空）"
    return rate(value) if kind == "rate" else amount(value)


def _leaves(names, values, cells, kinds) -> tuple[tuple[str, str, str], ...]:
    """The workbook fields behind `names`, derived amounts expanded, each with its value and cell."""
    out: list[tuple[str, str, str]] = []
    for name in names:
        if name in DERIVED:
            out += [leaf for leaf in _leaves(DERIVED[name].inputs, values, cells, kinds) if leaf not in out]
        elif (name, _printed(values.get(name), kinds.get(name, "amount")), cells.get(name, "")) not in out:
            out.append((name, _printed(values.get(name), kinds.get(name, "amount")), cells.get(name, "")))
    return tuple(out)


def _derived_value(figure, values, cells, kinds) -> Value:
    sources = _leaves(figure.inputs, values, cells, kinds)
    try:
        result = compute(figure, values)
    except Unavailable as exc:
        return Value(figure.name, None, figure.kind, sources=sources, missing=str(exc),
                     code="rule-blank-input" if exc.blank else "rule-zero-denominator")
    lines = [shown(DERIVED[n], values, values[n]) for n in figure.inputs if n in DERIVED]
    return Value(figure.name, result, figure.kind, "；".join(lines + [shown(figure, values, result)]), sources)


def _idle_value(values, cells, kinds) -> Value:
    sources = _leaves(IDLE_INPUTS, values, cells, kinds)
    try:
        result, convention = idle_change(values)
    except Unavailable as exc:
        return Value(IDLE_CHANGE, None, "rate", sources=sources, missing=str(exc),
                     code="rule-blank-input" if exc.blank else "rule-zero-denominator")
    if convention:
        return Value(IDLE_CHANGE, result, "rate", f"{IDLE_CHANGE} = {IDLE_FORMULA}：{convention}", sources)
    numbers = " ".join(v for _, v, _ in sources)
    return Value(IDLE_CHANGE, result, "rate", f"{IDLE_CHANGE} = {IDLE_FORMULA}（{numbers}）= {rate(result)}", sources)


def rule_values(checked: Checked) -> dict[str, Value]:
    """Return every workbook figure a 评分参数 may name, as a Value with its formula and cells."""
    return derive_values(*field_values(checked))


def derive_values(values: dict[str, Decimal | None], cells: dict[str, str], kinds: dict[str, str]) -> dict[str, Value]:
    """Return the fields in `values` and every declared figure computed from them, as Values (pure)."""
    values = dict(values)
    for figure in AMOUNTS:
        if figure.name not in values:
            values[figure.name] = compute(figure, values)
    out: dict[str, Value] = {}
    for name, value in values.items():
        if name in DERIVED:
            continue
        cell = cells.get(name, "")
        out[name] = Value(name, value, kinds.get(name, "amount"), "",
                          ((name, _printed(value, kinds.get(name, "amount")), cell),),
                          missing=f"{cell} {name} 为空".strip(), code="rule-blank-input")
    for figure in AMOUNTS + RATIOS:
        out[figure.name] = _derived_value(figure, values, cells, kinds)
    out[IDLE_CHANGE] = _idle_value(values, cells, kinds)
    return out


def satisfactions(checked: Checked) -> list[tuple[Any, Decimal, Decimal]]:
    """Return (question, computed, printed) for every satisfaction question.

    The printed value is the workbook's override when given, else the computed
    one rounded as a table prints it; 综合满意度 averages the printed values.
    """
    out = []
    for q in checked.questions:
        if q.kind != "满意度问题" or not q.sample:
            continue
        computed = question_satisfaction([(o.count or 0, o.weight or ZERO) for o in q.options], q.sample)
        out.append((q, computed, q.printed if q.printed is not None else round_rate(computed)))
    return out


def goal_numbers(checked: Checked, indicator: Indicator) -> list[Decimal]:
    """Every number in the targets of the 目标对比 rows linked to `indicator` (a standard may quote them)."""
    found = []
    for goal in (g for g in checked.goals if g.indicator == indicator.number):
        for text in (goal.record["目标值"], goal.record["目标数值"]):
            found += [Decimal(n) for n in DIGITS.findall((text or "").replace(",", ""))]
    return found


def _as_printed(score: Decimal | None) -> Decimal | None:
    """Return a 复评项目 score rounded half up to 2 decimals, as its table prints it (None stays None).

    Grades are given to the printed score: 89.996 prints 90.00 and is 优, as the total is graded as printed.
    """
    return None if score is None else round2(score)


def shared_inputs(checked: Checked, values: dict[str, Value]) -> Inputs:
    """Return what every indicator's rule may read, its own goals left out: made once per workbook."""
    questions = tuple(Question(q.number, q.group, printed,
                               q.record.where("单项满意度") if q.printed is not None else q.record.where("人数"))
                      for q, _, printed in satisfactions(checked))
    projects = tuple(Project(p["项目名称"] or "", _as_printed(p["自评得分"]), _as_printed(p["复核得分"]),
                             p["实际绩效等级"], p.where("实际绩效等级")) for p in checked.workbook.tables["复评项目"])
    months = {r["月份"]: (r["月度累计执行_元"], r.where("月度累计执行_元"))
              for r in checked.workbook.tables["预算执行进度"]
              if r["月份"] is not None and r["月度累计执行_元"] is not None}
    return Inputs(values, (), questions, projects, months, checked.bands)


def inputs_for(checked: Checked, indicator: Indicator, shared: Inputs) -> Inputs:
    """Return what `indicator`'s rule may read: the shared inputs and the 目标对比 rows linked to it."""
    goals = tuple(GoalRow(g.record["绩效指标"] or "", g.parts, g.assessed,
                          f"{g.record.where('目标数值')}、{g.record.cells.get('实际数值', '')}".rstrip("、"))
                  for g in checked.goals if g.indicator == indicator.number)
    return replace(shared, goals=goals)

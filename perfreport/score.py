"""Score the framework and compute every figure the report prints.

Rules (perfreport.rules) are pure functions over plain values; this module
binds each indicator's parameters to the workbook's data (rule_inputs.py),
rounds each 三级 score half up to two decimals, sums the rounded scores into
二级, 一级 and the total, applies overrides, explains every score, and names
every derived figure for templates and placeholders.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import contract
from .contract import Kind
from .errors import Problem, error, warning
from .fmt import Figure, amount, rate, round2, round_rate
from .models import KEY_VALUE_FIELDS, Checked, Group, Indicator, IndicatorScore, Scores
from .rule_inputs import (field_values, fixed_assets, goal_numbers, inputs_for, rule_values, shared_inputs,
                          satisfactions as satisfactions_of)
from .rules import MANUAL, Inputs, RuleFailure, completion, evaluate, problem, standard_text, unmatched_numbers
from .rules.explain import Explanation
from .rules.figures import AMOUNTS, RATIOS, Unavailable, compute
from .rules.figures import kinds as figure_kinds

ZERO = Decimal(0)
SAMPLING_COUNT, SAMPLING_FUNDS = Decimal("0.3"), Decimal("0.6")
COMPLETION_TYPO = Decimal(3)


def _money(checked: Checked, name: str) -> Decimal:
    """Return a money field of a key-value sheet, 0 when blank."""
    return checked.workbook.info(name) or ZERO


def _months(checked: Checked) -> dict[int, Decimal]:
    return {r["月份"]: r["月度累计执行_元"] for r in checked.workbook.tables["预算执行进度"]
            if r["月份"] is not None and r["月度累计执行_元"] is not None}


def _manual(indicator: Indicator) -> IndicatorScore:
    score = round2(indicator.entered or ZERO)
    return IndicatorScore(indicator, score, None, explanation=Explanation(
        indicator.id, indicator.name, indicator.weight, indicator.rule, entered=indicator.entered,
        entered_at=indicator.record.where("得分"), score=score))


def _score_indicator(checked: Checked, indicator: Indicator, shared: Inputs, kinds: dict,
                     problems: list[Problem]) -> IndicatorScore:
    if indicator.rule == MANUAL or indicator.spec is None:  # no spec: its parameters were errors already
        return _manual(indicator)
    spec = indicator.spec
    try:
        outcome = evaluate(spec, indicator.weight, inputs_for(checked, indicator, shared))
    except RuleFailure as exc:
        problems.append(problem(exc.code, indicator.record.where("评分方式"),
                                f"{indicator.label}（{indicator.rule}）无法计算：{exc}"))
        return IndicatorScore(indicator, indicator.entered or ZERO, None)
    problems += [problem(code, cell, message) for code, cell, message in outcome.warnings]
    computed = round2(outcome.score)
    used = computed if indicator.entered is None else round2(indicator.entered)
    if used != computed:
        problems.append(warning("override-differs", indicator.record.where("得分"),
                                f"{indicator.label}：按“{indicator.rule}”规则计算得分 {computed}，"
                                f"填写得分 {used}（已采用），相差 {used - computed}"))
    typed = indicator.text("评价标准")
    if typed:
        unmatched = unmatched_numbers(typed, spec, indicator.weight, goal_numbers(checked, indicator))
        if unmatched:
            problems.append(problem("standard-number-unmatched", indicator.record.where("评价标准"),
                                    f"{indicator.label} 的评价标准写有 {'、'.join(unmatched)}，评分参数中没有这些数字"
                                    f"（评分参数：{spec.text}）：请核对评价标准与评分参数是否一致"))
    generated = standard_text(spec, kinds)
    explanation = Explanation(
        indicator.id, indicator.name, indicator.weight, indicator.rule, spec.text,
        "默认" if not spec.typed else "填写" if spec.text == spec.typed else "填写（其余默认）",
        typed or generated, "填写" if typed else "按评分参数生成",
        tuple(dict.fromkeys(source for value in outcome.inputs for source in value.sources)), outcome.lines,
        outcome.score,
        computed, indicator.entered, indicator.record.where("得分"), used, outcome.notes)
    return IndicatorScore(indicator, used, computed, outcome.figures, outcome.notes, explanation, generated)


def _roll_up(scored: tuple[IndicatorScore, ...]) -> tuple[Group, ...]:
    """Return 一级 groups of 二级 groups of indicators, in framework order, with summed scores."""
    tree: dict[str, dict[str, list[IndicatorScore]]] = {}
    for item in scored:
        tree.setdefault(item.indicator.level1, {}).setdefault(item.indicator.level2, []).append(item)

    def group(name: str, members: tuple) -> Group:
        return Group(name, sum((m.indicator.weight if isinstance(m, IndicatorScore) else m.weight
                                for m in members), ZERO),
                     sum((m.score for m in members), ZERO), members)

    return tuple(group(l1, tuple(group(l2, tuple(items)) for l2, items in l2s.items()))
                 for l1, l2s in tree.items())


class _Figures:
    """Collects named figures; a ratio with a zero denominator is an error at that cell."""

    def __init__(self, checked: Checked, problems: list[Problem]):
        self.checked, self.problems = checked, problems
        self.named: dict[str, Figure] = {}

    def add(self, name: str, value: Any, kind: str = "amount") -> None:
        self.named[name] = Figure(value, kind)

    def ratio(self, name: str, top: Decimal, bottom: Decimal | None, where: str) -> Decimal | None:
        """Add and return top/bottom as a rate; None (and an error) when bottom is 0."""
        if not bottom:
            self.problems.append(error("division-by-zero", where,
                                       f"计算“{name}”时分母为 0：请检查该单元格"))
            return None
        self.add(name, top / bottom, "rate")
        return top / bottom


def _input_figures(f: _Figures) -> None:
    """Every key-value field, by its own name; blank numbers count as 0."""
    for sheet in contract.SHEETS:
        if not sheet.key_value:
            continue
        record = f.checked.workbook.records[sheet.name]
        for field in sheet.fields:
            value = record[field.name]
            if field.kind in (Kind.MONEY, Kind.NUMBER, Kind.COUNT):
                f.add(field.name, ZERO if value is None else Decimal(value))
            elif field.kind is Kind.PERCENT:
                f.add(field.name, ZERO if value is None else value, "rate")
            else:
                f.add(field.name, "" if value is None else str(value), "text")
    year = f.checked.workbook.info("评价年度")
    if year:
        f.add("上年度", str(year - 1), "text")


def _declared_figures(f: _Figures) -> dict[str, Any]:
    """The amounts and ratios declared in rules/figures.py; a required ratio dividing by 0 is an error at its cell."""
    values = field_values(f.checked)[0]
    for figure in AMOUNTS:
        f.add(figure.name, values[figure.name])
    for figure in RATIOS:
        try:
            f.add(figure.name, compute(figure, values), "rate")
        except Unavailable:
            if figure.zero_error_at:
                record = f.checked.workbook.records[KEY_VALUE_FIELDS[figure.zero_error_at]]
                f.problems.append(error("division-by-zero", record.where(figure.zero_error_at),
                                        f"计算“{figure.name}”时分母为 0：请检查该单元格"))
            elif figure.name == "政府采购执行率":
                f.add(figure.name, ZERO, "rate")  # the report prints 0% when there is no procurement budget
    return _progress_figures(f, _money(f.checked, "决算支出"))


def _progress_figures(f: _Figures, spent: Decimal) -> dict[str, Any]:
    months = _months(f.checked)
    december = months.get(12)
    if not months:
        return {"months": []}
    if not december:
        rows = f.checked.workbook.tables["预算执行进度"]
        f.problems.append(error("division-by-zero", rows[-1].where("月份") if rows else "预算执行进度",
                                "预算执行进度缺少 12 月（全年执行）或其金额为 0，无法计算执行进度"))
        return {"months": []}
    f.add("全年执行_元", december)
    f.add("执行明细与决算差异", abs(spent - december / 10000))
    return {"months": [(m, months[m], december, months[m] / december, Decimal(m) / 12)
                       for m in sorted(months)]}


def _asset_figures(f: _Figures) -> dict[str, Any]:
    c = f.checked
    original, depreciation = fixed_assets(c)
    f.add("固定资产原值", original)
    f.add("累计折旧", depreciation)
    f.add("固定资产净值", original - depreciation)
    f.add("无形资产净值", _money(c, "无形资产原值") - _money(c, "累计摊销"))
    rows = [(r, r["原值"] or ZERO, r["累计折旧"] or ZERO) for r in c.workbook.tables["固定资产"]]
    return {"assets": [(r, o, d, o - d) for r, o, d in rows],
            "asset_totals": tuple(sum((x[i] for x in rows), ZERO) for i in (1, 2))}


def _history_figures(f: _Figures) -> dict[str, Any]:
    """收支决算 by year: totals and growth on the previous year."""
    rows = sorted(f.checked.workbook.tables["收支决算"], key=lambda r: r["年度"] or 0)
    out: dict[str, list] = {}
    for side, columns in (("收入", [x for x in _columns("收支决算") if x.startswith("收入_")]),
                          ("支出", [x for x in _columns("收支决算") if x.startswith("支出_")])):
        previous = None
        lines = []
        for row in rows:
            total = sum((row[c] or ZERO for c in columns), ZERO)
            growth = (total - previous) / previous if previous else None
            f.add(f"{side}合计_{row['年度']}", total)
            if growth is not None:
                f.add(f"{side}环比_{row['年度']}", growth, "rate")
            lines.append((row, [row[c] for c in columns], total, growth))
            previous = total
        out[side] = lines
    return {"history": out}


def _columns(sheet: str) -> list[str]:
    return [x.name for x in contract.SHEET[sheet].fields]


def _review_figures(f: _Figures) -> dict[str, Any]:
    c = f.checked
    projects = c.workbook.tables["复评项目"]
    budget = c.workbook.records["预决算"]
    planned = sum((p["预算"] or ZERO for p in projects), ZERO)
    spent = sum((p["执行"] or ZERO for p in projects), ZERO)
    f.add("复评项目数", Decimal(len(projects)))
    f.add("复评预算合计", planned)
    f.add("复评执行合计", spent)
    if planned:
        f.add("复评执行率", spent / planned, "rate")
    if not projects:
        return {"projects": []}
    count = f.ratio("抽样率", Decimal(len(projects)), Decimal(budget["自评项目数"] or 0), budget.where("自评项目数"))
    funds = f.ratio("抽样资金比例", planned, budget["自评项目资金"], budget.where("自评项目资金"))
    if count is not None and count < SAMPLING_COUNT:
        f.problems.append(warning("low-sampling", budget.where("自评项目数"),
                                  f"抽取 {len(projects)} 个项目，抽样率 {rate(count)}，低于 30%"))
    if funds is not None and funds < SAMPLING_FUNDS:
        f.problems.append(warning("low-sampling", budget.where("自评项目资金"),
                                  f"抽查项目资金 {amount(planned)} 万元，占 {rate(funds)}，低于 60%"))
    return {"projects": [(p, p["执行"] / p["预算"] if p["预算"] else None) for p in projects],
            "project_totals": (planned, spent, spent / planned if planned else None)}


def _goal_figures(f: _Figures) -> dict[str, Any]:
    """Completion of every assessed 目标对比 row, per part, uncapped."""
    by_row = {}
    for goal in f.checked.goals:
        if not goal.parts:
            continue
        rates = [completion(*part) for part in goal.parts]
        by_row[goal.record.row] = rates
        f.add(f"完成率_{goal.record['绩效指标']}", rates, "rates")
        if sum(rates) / len(rates) > COMPLETION_TYPO:  # per row, as the report states it
            f.problems.append(warning("completion-too-high", goal.record.where("实际完成值"),
                                      f"“{goal.record['绩效指标']}”完成率 {'、'.join(rate(r) for r in rates)}，"
                                      "超过 300%，请核对目标值和实际值是否录入有误"))
    return {"completion": by_row}


def _survey_figures(f: _Figures) -> dict[str, Any]:
    c = f.checked
    counted = [q for q in c.questions if q.kind != "开放问题" and q.sample]  # as the sample-mismatch check's first
    if counted:
        f.add("问卷样本量", Decimal(counted[0].sample))
    satisfactions = satisfactions_of(c)
    for question, computed, printed in satisfactions:
        f.add(f"单项满意度_{question.number}", printed, "rate")
        if question.printed is not None and round_rate(computed) != question.printed:
            gap = (question.printed - round_rate(computed)) * 100
            f.problems.append(warning("satisfaction-differs", question.record.where("单项满意度"),
                                      f"第 {question.number} 题单项满意度填写 {rate(question.printed)}，"
                                      f"按人数计算为 {rate(computed)}，相差 {amount(abs(gap))} 个百分点"
                                      "（报告采用填写值）"))
    if satisfactions:
        printed = [p for _, _, p in satisfactions]
        f.add("综合满意度", sum(printed, ZERO) / len(printed), "rate")
    return {"satisfaction": {q.number: p for q, _, p in satisfactions}}


def _score_figures(f: _Figures, level1: tuple[Group, ...], scored: tuple[IndicatorScore, ...],
                   total: Decimal, grade_name: str, grades: dict[str, str]) -> None:
    f.add("总分", total)
    f.add("等级", grade_name, "text")
    for group in level1:
        if group.name in grades:
            f.add(f"一级等级_{group.name}", grades[group.name], "text")
        f.add(f"一级分值_{group.name}", group.weight)
        f.add(f"一级得分_{group.name}", group.score)
        f.add(f"一级得分率_{group.name}", group.rate, "rate")
        for sub in group.members:
            f.add(f"二级分值_{sub.name}", sub.weight)
            f.add(f"二级得分_{sub.name}", sub.score)
            f.add(f"二级得分率_{sub.name}", sub.rate, "rate")
    for item in scored:
        f.add(f"三级得分_{item.indicator.number}", item.score)
        f.add(f"三级得分率_{item.indicator.number}", item.rate, "rate")


def _typed_total_scores(checked: Checked, total: Decimal) -> list[Problem]:
    """Return a warning for each 指标体系 合计 row whose typed 得分 differs from the total of the scores."""
    return [warning("total-mismatch", row.where("得分"), f"合计行填写得分 {amount(row['得分'])}，各指标得分之和为 "
                                                       f"{amount(total)}，报告按各指标得分之和打印")
            for row in checked.framework_totals if row["得分"] is not None and round2(row["得分"]) != total]


def _level1_grades(checked: Checked, level1: tuple[Group, ...]) -> dict[str, str]:
    bands = checked.level1_bands
    return {g.name: bands.grade(g.rate * 100) for g in level1} if bands else {}


def score(checked: Checked) -> tuple[Scores, list[Problem]]:
    """Return the scores and figures of a validated workbook, and the problems found."""
    problems: list[Problem] = []
    shared, kinds = shared_inputs(checked, rule_values(checked)), figure_kinds()
    scored = tuple(_score_indicator(checked, i, shared, kinds, problems) for i in checked.indicators)
    level1 = _roll_up(scored)
    total = sum((g.score for g in level1), ZERO)
    grade_name = checked.bands.grade(total)
    problems += _typed_total_scores(checked, total)
    figures = _Figures(checked, problems)
    _input_figures(figures)
    derived: dict[str, Any] = {}
    for part in (_declared_figures, _asset_figures, _history_figures, _review_figures,
                 _goal_figures, _survey_figures):
        derived.update(part(figures))
    grades = _level1_grades(checked, level1)
    _score_figures(figures, level1, scored, total, grade_name, grades)
    return Scores(scored, level1, total, grade_name, figures.named, derived, grades), problems

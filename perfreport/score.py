"""Score the framework and compute every figure the report prints.

Rules (perfreport.rules) are pure functions over plain values; this module
binds each rule to the workbook's data, rounds each 三级 score half up to two
decimals, sums the rounded scores into 二级, 一级 and the total, applies
overrides, and names every derived figure for templates and placeholders.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from . import contract
from .contract import Kind
from .errors import Problem, error, warning
from .fmt import Figure, amount, rate, round2, round_rate
from .models import Checked, Group, Indicator, IndicatorScore, Scores
from .rules import RULES, RuleError, completion, grade, question_satisfaction

ZERO = Decimal(0)
SAMPLING_COUNT, SAMPLING_FUNDS = Decimal("0.3"), Decimal("0.6")
COMPLETION_TYPO = Decimal(3)


def _money(checked: Checked, name: str) -> Decimal:
    """Return a money field of a key-value sheet, 0 when blank."""
    return checked.workbook.info(name) or ZERO


def _goal_rows(checked: Checked, indicator: Indicator) -> list:
    return [list(g.parts) for g in checked.goals
            if g.indicator == indicator.number and g.assessed and g.parts]


def _months(checked: Checked) -> dict[int, Decimal]:
    return {r["月份"]: r["月度累计执行_元"] for r in checked.workbook.tables["预算执行进度"]
            if r["月份"] is not None and r["月度累计执行_元"] is not None}


def _printed_satisfactions(checked: Checked) -> list[Decimal]:
    return [satisfaction for _, _, satisfaction in _satisfactions(checked)]


def _satisfactions(checked: Checked) -> list[tuple[Any, Decimal, Decimal]]:
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


BINDERS: dict[str, Callable[[Checked, Indicator], dict[str, Any]]] = {
    "手工": lambda c, i: {"entered": i.entered or ZERO},
    "目标完成率": lambda c, i: {"rows": _goal_rows(c, i)},
    "预算执行率": lambda c, i: {"initial": _money(c, "年初预算"),
                           "increase": _money(c, "调增_转移支付") + _money(c, "调增_其他"),
                           "decrease": _money(c, "调减"), "actual": _money(c, "决算支出")},
    "预算执行进度": lambda c, i: {"months": _months(c)},
    "过紧日子": lambda c, i: {"budget": _money(c, "五项经费_预算"), "actual": _money(c, "五项经费_决算"),
                          "previous": _money(c, "五项经费_上年决算")},
    "政府采购执行率": lambda c, i: {"budget": c.workbook.info("政府采购预算"),
                             "contracts": _money(c, "政府采购合同金额")},
    "固定资产利用": lambda c, i: {"idle": _money(c, "闲置资产"), "total": _money(c, "总资产"),
                            "previous_idle": _money(c, "上年闲置资产"),
                            "previous_total": _money(c, "上年总资产"),
                            "in_use": _money(c, "在用固定资产"), "original": _fixed_assets(c)[0]},
    "复评差异": lambda c, i: {"pairs": [(p["自评得分"], p["复核得分"]) for p in c.workbook.tables["复评项目"]],
                          "bands": c.bands},
    "项目实际绩效": lambda c, i: {"grades": [p["实际绩效等级"] for p in c.workbook.tables["复评项目"]]},
    "满意度": lambda c, i: {"satisfactions": _printed_satisfactions(c)},
}


def _score_indicator(checked: Checked, indicator: Indicator, problems: list[Problem]) -> IndicatorScore:
    try:
        outcome = RULES[indicator.rule](weight=indicator.weight, **BINDERS[indicator.rule](checked, indicator))
    except RuleError as exc:
        problems.append(error("division-by-zero", indicator.record.where("评分方式"),
                              f"{indicator.label}（{indicator.rule}）无法计算：{exc}"))
        return IndicatorScore(indicator, indicator.entered or ZERO, None)
    computed = round2(outcome.score)
    if indicator.rule == "手工":
        return IndicatorScore(indicator, computed, None, outcome.figures, outcome.notes)
    used = computed if indicator.entered is None else round2(indicator.entered)
    if used != computed:
        problems.append(warning("override-differs", indicator.record.where("得分"),
                                f"{indicator.label}：按“{indicator.rule}”规则计算得分 {computed}，"
                                f"填写得分 {used}（已采用），相差 {used - computed}"))
    return IndicatorScore(indicator, used, computed, outcome.figures, outcome.notes)


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


def _fixed_assets(checked: Checked) -> tuple[Decimal, Decimal]:
    """Return 固定资产原值 and 累计折旧: the typed values, else the 固定资产 sums."""
    rows = checked.workbook.tables["固定资产"]
    original = checked.workbook.info("固定资产原值")
    depreciation = checked.workbook.info("累计折旧")
    if original is None:
        original = sum((r["原值"] or ZERO for r in rows), ZERO)
    if depreciation is None:
        depreciation = sum((r["累计折旧"] or ZERO for r in rows), ZERO)
    return original, depreciation


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


def _budget_figures(f: _Figures) -> dict[str, Any]:
    c = f.checked
    budget = c.workbook.records["预决算"]
    money = {name: _money(c, name) for name in ("年初预算", "调增_转移支付", "调增_其他", "调减", "决算支出")}
    f.add("调增预算", money["调增_转移支付"] + money["调增_其他"])
    f.add("调整预算", money["调增_转移支付"] + money["调增_其他"] + money["调减"])
    f.add("预算调整额", money["调增_其他"] + money["调减"])
    adjusted = money["年初预算"] + money["调增_转移支付"] + money["调增_其他"] - money["调减"]
    f.add("调整后预算", adjusted)
    f.ratio("预算执行率", money["决算支出"], adjusted, budget.where("年初预算"))
    f.ratio("预算调整率", money["调增_其他"] + money["调减"], money["年初预算"], budget.where("年初预算"))
    f.ratio("重点项目保障率", _money(c, "重点项目资金"), _money(c, "年初项目资金"), budget.where("年初项目资金"))
    f.ratio("五项经费控制率", _money(c, "五项经费_决算"), _money(c, "五项经费_预算"), budget.where("五项经费_预算"))
    previous = _money(c, "五项经费_上年决算")
    f.ratio("五项经费变动率", _money(c, "五项经费_决算") - previous, previous, budget.where("五项经费_上年决算"))
    if budget["政府采购预算"]:
        f.add("政府采购执行率", _money(c, "政府采购合同金额") / budget["政府采购预算"], "rate")
    else:
        f.add("政府采购执行率", ZERO, "rate")
    return _progress_figures(f, money["决算支出"])


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
    record = c.workbook.records["部门概况"]
    original, depreciation = _fixed_assets(c)
    f.add("固定资产原值", original)
    f.add("累计折旧", depreciation)
    f.add("固定资产净值", original - depreciation)
    f.add("无形资产净值", _money(c, "无形资产原值") - _money(c, "累计摊销"))
    total = _money(c, "总资产")
    f.ratio("流动资产占比", _money(c, "流动资产"), total, record.where("总资产"))
    f.ratio("非流动资产占比", _money(c, "非流动资产"), total, record.where("总资产"))
    f.ratio("固定资产利用率", _money(c, "在用固定资产"), original, record.where("固定资产原值"))
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
    if c.questions:
        f.add("问卷样本量", Decimal(c.questions[0].sample))
    satisfactions = _satisfactions(c)
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
                   total: Decimal, grade_name: str) -> None:
    f.add("总分", total)
    f.add("等级", grade_name, "text")
    for group in level1:
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


def score(checked: Checked) -> tuple[Scores, list[Problem]]:
    """Return the scores and figures of a validated workbook, and the problems found."""
    problems: list[Problem] = []
    scored = tuple(_score_indicator(checked, i, problems) for i in checked.indicators)
    level1 = _roll_up(scored)
    total = sum((g.score for g in level1), ZERO)
    grade_name = grade(total, checked.bands)
    figures = _Figures(checked, problems)
    _input_figures(figures)
    derived: dict[str, Any] = {}
    for part in (_budget_figures, _asset_figures, _history_figures, _review_figures,
                 _goal_figures, _survey_figures):
        derived.update(part(figures))
    _score_figures(figures, level1, scored, total, grade_name)
    return Scores(scored, level1, total, grade_name, figures.named, derived), problems

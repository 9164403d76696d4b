"""What rules read, as plain values, and the figures a rule computes from tables (目标完成率, 综合满意度, 差档合计)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from ..fmt import rate
from . import wording
from .catalogue import RuleFailure
from .grades import DEFAULT_BANDS, Bands as GradeBands
from .spec import Options

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
DIRECTIONS = ("≥", "≤", "=")


@dataclass(frozen=True)
class Value:
    """A number a rule reads: its value (None: cannot be computed), how, and from which cells."""

    name: str
    value: Decimal | None
    kind: str = "amount"  # rate | amount | count
    shown: str = ""  # `预算执行率 = 决算支出 / 调整后预算 = 10,271.96 / 12,961.52 = 79.25%`
    sources: tuple[tuple[str, str, str], ...] = ()  # (what, value as printed, sheet!cell)
    missing: str = ""  # why it cannot be computed
    code: str = "rule-zero-denominator"
    exempt: str = ""  # explicitly not assessed (every linked goal 考核=否): full marks, said in 评分依据


@dataclass(frozen=True)
class GoalRow:
    """A 目标对比 row a rule reads: its parts' target, actual and direction, whether it is assessed."""

    label: str
    parts: tuple[tuple[Decimal, Decimal, str], ...]  # (target, actual, direction)
    assessed: bool
    cell: str


@dataclass(frozen=True)
class Question:
    """A 满意度问题 a rule reads: its group and its 单项满意度."""

    number: int
    group: str
    satisfaction: Decimal  # as printed: the typed 单项满意度, else the computed one rounded
    cell: str


@dataclass(frozen=True)
class Project:
    """A 复评项目 a rule reads: its 自评得分, 复核得分 and 实际绩效等级."""

    name: str
    own: Decimal
    review: Decimal
    grade: str | None
    cell: str  # of 实际绩效等级


@dataclass(frozen=True)
class Inputs:
    """Everything an indicator's rule may read, as plain values with their places."""

    values: Mapping[str, Value] = field(default_factory=dict)
    goals: tuple[GoalRow, ...] = ()  # the 目标对比 rows linked to this indicator
    questions: tuple[Question, ...] = ()  # every 满意度问题
    projects: tuple[Project, ...] = ()
    months: Mapping[int, tuple[Decimal, str]] = field(default_factory=dict)  # cumulative 元 and its cell
    bands: GradeBands = DEFAULT_BANDS


def completion(target: Decimal, actual: Decimal, direction: str) -> Decimal:
    """Return one goal part's uncapped completion as a fraction, by the direction of its target."""
    if direction not in DIRECTIONS:
        raise RuleFailure("rule-goal-value", f"方向“{direction}”无法识别，应为 ≥、≤ 或 =")
    if direction == "≥":
        if target <= 0:
            raise RuleFailure("rule-goal-value", f"目标值为 {target}，方向“≥”的完成率（实际值/目标值）要求目标值大于 0")
        return actual / target  # a negative actual is allowed: it scores 0
    if target < 0 or actual < 0:
        raise RuleFailure("rule-goal-value", f"方向“{direction}”的目标值（{target}）和实际值（{actual}）不能为负数")
    if actual == target:
        return ONE
    if direction == "≤":
        return ONE if actual == 0 else target / actual
    return min(target, actual) / max(target, actual)


def question_satisfaction(counts_and_weights, sample: int) -> Decimal:
    """Return one question's satisfaction as a fraction: Σ(人数 × 分值 / 100) / 样本量."""
    if sample == 0:
        raise RuleFailure("rule-no-questions", "样本量为 0，无法计算单项满意度")
    points = sum((count * weight for count, weight in counts_and_weights), ZERO)
    return points / (HUNDRED * sample)  # one division keeps exact results exact


def goal_completion(options: Options, inputs: Inputs, figures: dict) -> Value:
    """目标完成率 of the linked rows: the mean over rows of each row's mean (capped) part completion."""
    rows = inputs.goals
    if not rows:
        return Value("目标完成率", None, "rate", missing="没有关联的目标对比行：在目标对比表的“三级指标”列填写本指标编号",
                     code="rule-no-goals")
    assessed = [r for r in rows if r.assessed]
    sources = tuple((r.label, "不予考核" if not r.assessed else "", r.cell) for r in rows)
    if not assessed:
        return Value("目标完成率", None, "rate", sources=sources, exempt="所列目标均不予考核，按满分计")
    empty = next((r for r in assessed if not r.parts), None)
    if empty:
        return Value("目标完成率", None, "rate", sources=sources, code="rule-goal-value",
                     missing=f"“{empty.label}”（{empty.cell}）没有目标值和实际值")
    capped = options.capped
    rates, means, lines = [], [], []
    for row in assessed:
        row_rates = [completion(*part) for part in row.parts]
        counted = [min(max(r, ZERO), ONE) if capped else max(r, ZERO) for r in row_rates]
        rates.append(row_rates)
        means.append(sum(counted, ZERO) / len(counted))
        detail = "、".join(f"{wording.number(a, 'amount')}/{wording.number(t, 'amount')}={rate(r)}"
                           for (t, a, _), r in zip(row.parts, row_rates))
        lines.append(f"{row.label}（{row.cell}）：{detail}" + ("" if len(row.parts) == 1 and row_rates[0] == counted[0]
                                                              else f" → 计 {rate(means[-1])}"))
    figures["完成率"] = rates
    value = sum(means, ZERO) / len(means)
    cap = "单项超过100%按100%计" if capped else "单项不封顶"
    shown = ("；".join(lines) + f"。目标完成率（{cap}）= 各行平均 = {rate(value)}")
    return Value("目标完成率", value, "rate", shown, sources)


def satisfaction(options: Options, inputs: Inputs, figures: dict) -> Value:
    """综合满意度: the mean printed 单项满意度 of the chosen questions (default every 满意度问题)."""
    questions = inputs.questions
    if options.questions:
        known = {q.number: q for q in questions}
        absent = [n for n in options.questions if n not in known]
        if absent:
            return Value("综合满意度", None, "rate", code="rule-no-questions",
                         missing=f"第 {'、'.join(map(str, absent))} 题不是问卷中的满意度问题")
        chosen = [known[n] for n in options.questions]
        scope = f"第{options.questions[0]}—{options.questions[-1]}题" if len(chosen) > 1 else f"第{chosen[0].number}题"
    elif options.group:
        chosen = [q for q in questions if q.group == options.group]
        groups = sorted({q.group for q in questions if q.group})
        scope = f"问题组“{options.group}”"
        if not chosen:
            return Value("综合满意度", None, "rate", code="rule-no-questions",
                         missing=f"问卷中没有问题组为“{options.group}”的满意度问题"
                                 + (f"（已有：{'、'.join(groups)}）" if groups else "（问卷表“问题组”列为空）"))
    else:
        chosen, scope = list(questions), "全部满意度问题"
        if not chosen:
            return Value("综合满意度", None, "rate", code="rule-no-questions", missing="问卷中没有满意度问题")
    value = sum((q.satisfaction for q in chosen), ZERO) / len(chosen)
    terms = " + ".join(rate(q.satisfaction) for q in chosen)
    shown = f"综合满意度（{scope}）= ({terms}) / {len(chosen)} = {rate(value)}"
    return Value("综合满意度", value, "rate", shown, tuple((f"第{q.number}题", rate(q.satisfaction), q.cell)
                                                          for q in chosen))


def grade_gaps(options: Options, inputs: Inputs, figures: dict) -> Value:
    """差档合计: the grades between each project's 自评 and 复核 score, summed."""
    projects, bands = inputs.projects, inputs.bands
    if not projects:
        return Value("差档合计", None, "count", code="rule-no-projects", missing="复评项目表没有项目")
    gaps = [abs(bands.rank(bands.grade(p.own)) - bands.rank(bands.grade(p.review))) for p in projects]
    figures["差档"] = gaps
    detail = "；".join(f"{p.name}：自评 {wording.points(p.own)}（{bands.grade(p.own)}）、复核 {wording.points(p.review)}"
                      f"（{bands.grade(p.review)}），差 {g} 档" for p, g in zip(projects, gaps))
    return Value("差档合计", Decimal(sum(gaps)), "count", f"{detail}。差档合计 = {sum(gaps)}")


LOCAL = {"目标完成率": goal_completion, "综合满意度": satisfaction, "差档合计": grade_gaps}

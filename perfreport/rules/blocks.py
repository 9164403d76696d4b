"""Evaluate a Spec: pure functions from plain inputs to a score and the arithmetic behind it.

`evaluate(spec, weight, inputs)` returns an Outcome: the unrounded score, the
lines `check --explain` prints, the figures the report prints beside the
indicator, notes for its 评分依据, the values read (with their cells) and any
warnings. A missing input raises RuleFailure unless the parameters say
无数据按满分计 / 无数据不予考核. All arithmetic is Decimal; the caller rounds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..fmt import circled, rate
from . import wording
from .catalogue import RuleFailure
from .inputs import LOCAL, Inputs, Value
from .spec import Bands, Deduction, Expr, GradeFactors, Linear, Part, Spec

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
YUAN_PER_WAN = Decimal(10000)


@dataclass(frozen=True)
class Outcome:
    """What evaluating a Spec gives; `score` is unrounded, within [0, weight]."""

    score: Decimal
    lines: tuple[str, ...] = ()
    figures: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # printed in the 评分依据
    inputs: tuple[Value, ...] = ()
    warnings: tuple[tuple[str, str, str], ...] = ()  # (code, sheet!cell, message)


class _Missing(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class _Context:
    """One evaluation: the values read so far, the lines written, the figures and notes gathered."""

    def __init__(self, spec: Spec, inputs: Inputs):
        self.spec, self.inputs = spec, inputs
        self.read: dict[str, Value] = {}
        self.lines: list[str] = []
        self.figures: dict = {}
        self.notes: list[str] = []
        self.warnings: list[tuple[str, str, str]] = []

    def value(self, name: str) -> Value:
        if name not in self.read:
            value = LOCAL[name](self.spec.options, self.inputs, self.figures) if name in LOCAL \
                else self.inputs.values[name]
            self.read[name] = value
            if value.shown:
                self.lines.append(value.shown)
        value = self.read[name]
        if value.value is None and not value.exempt:
            raise _Missing(value.code, value.missing if name in LOCAL else f"{name}：{value.missing}")
        return value

    def number(self, expr: Expr, bounds=(), banded: bool = True) -> tuple[Decimal, str]:
        """Return the expression's value and its name as printed; only bands can take an infinite one."""
        value = self.value(expr.figure)
        kind = value.kind
        if not banded and not value.value.is_finite():
            raise RuleFailure("rule-zero-denominator", f"{expr.figure}按无穷大计（{value.shown.split('：')[-1]}），"
                                                       "只能分档计分，不能按比例或扣分")
        if expr.centre is None:
            return value.value, expr.figure
        distance = abs(value.value - expr.centre)
        name = wording.expr_name(expr, kind)
        self.lines.append(f"{name} = |{wording.value(value.value, kind)} − {wording.number(expr.centre, kind)}|"
                          f" = {wording.value(distance, kind, bounds)}")
        return distance, name


def _bands(part: Part, scorer: Bands, ctx: _Context) -> Decimal:
    bounds = wording.bounds_of(scorer.bands)
    x, name = ctx.number(scorer.expr, bounds)
    kind = ctx.read[scorer.expr.figure].kind
    shown = wording.value(x, kind, bounds)
    for band, pieces in zip(scorer.bands, wording.effective(scorer.bands)):
        if band.when is None or x in band.when:
            ctx.lines.append(f"{name} = {shown} → {wording.where(pieces, name, kind)} → "
                             f"{wording.award_sum(band.award, part.points)}")
            return band.award.value(part.points)
    ctx.lines.append(f"{name} = {shown}，不在任何一档 → 不得分")
    return ZERO


def _linear(part: Part, scorer: Linear, ctx: _Context) -> Decimal:
    x, name = ctx.number(scorer.expr, banded=False)
    raw = x * part.points
    value = min(max(raw, ZERO), part.points)
    kind = ctx.read[scorer.expr.figure].kind
    bound = "" if value == raw else \
        f"，以{'满分 ' + wording.points(part.points) if raw > 0 else ' 0 '}为限 → {wording.points(value)}"
    ctx.lines.append(f"{name} × 分值 = {wording.value(x, kind)} × {wording.points(part.points)} = "
                     f"{wording.points(raw)}{bound}")
    return value


def _steps(distance: Decimal, rule: Deduction) -> Decimal:
    steps = distance / rule.step
    if rule.rounding == "started":
        return steps.to_integral_value(rounding=ROUND_CEILING)
    if rule.rounding == "whole":
        return steps.to_integral_value(rounding=ROUND_FLOOR)
    return steps


def _distance(units: Decimal) -> str:
    return wording.value(units, "amount") if units == units.quantize(Decimal("0.01")) or units > 1 \
        else wording.points(units)


def _deduct(points: Decimal, distance: Decimal, rule: Deduction, label: str, ctx: _Context) -> Decimal:
    """Return the points deducted for `distance` units beyond the threshold, writing the arithmetic."""
    unit = rule.unit
    if distance <= 0:
        ctx.lines.append(f"{label} → 未超出基准，不扣分")
        return ZERO
    if rule.cutoff is not None and distance > rule.cutoff:
        ctx.lines.append(f"{label}，偏离 {_distance(distance)} {unit}，超过 {wording.points(rule.cutoff)} {unit}"
                         f" → 本项不得分")
        return points
    steps = _steps(distance, rule)
    deducted = steps * rule.per
    capped = min(deducted, rule.most) if rule.most is not None else deducted
    how = {"started": f"不足 {wording.points(rule.step)} {unit}按 {wording.points(rule.step)} {unit}计",
           "whole": f"不足 {wording.points(rule.step)} {unit}不扣", "proportional": "按比例"}[rule.rounding]
    most = f"，最多扣 {wording.points(rule.most)}" if capped != deducted else ""
    ctx.lines.append(f"{label}，偏离 {_distance(distance)} {unit}（{how}）→ {wording.points(steps)} × "
                     f"{wording.points(rule.per)} = 扣 {wording.points(deducted)}{most}")
    return capped


def _deduction(part: Part, rule: Deduction, ctx: _Context) -> Decimal:
    if rule.expr is None:
        return _checkpoints(part, rule, ctx)
    x, name = ctx.number(rule.expr, banded=False)
    kind = ctx.read[rule.expr.figure].kind
    scale = HUNDRED if rule.unit == "个百分点" else ONE
    distance = ((x - rule.threshold) if rule.over else (rule.threshold - x)) * scale
    side = "≤" if rule.over else "≥"
    label = f"{name} = {wording.value(x, kind, (rule.threshold,))}（基准 {side}{wording.number(rule.threshold, kind)}）"
    deducted = _deduct(part.points, distance, rule, label, ctx)
    value = max(ZERO, part.points - deducted)
    ctx.lines.append(f"{wording.points(part.points)} − {wording.points(deducted)} = {wording.points(value)}"
                     + ("（扣完为止）" if part.points - deducted < 0 else ""))
    return value


def _checkpoints(part: Part, rule: Deduction, ctx: _Context) -> Decimal:
    months, options = ctx.inputs.months, ctx.spec.options
    if options.denominator == "调整后预算":
        budget = ctx.value("调整后预算")
        if not budget.value:
            raise _Missing("rule-zero-denominator", "预算执行进度的分母调整后预算为 0")
        denominator = budget.value * YUAN_PER_WAN
        what = f"调整后预算 {wording.points(budget.value)} 万元"
    else:
        december = months.get(12)
        if not december or not december[0]:
            raise _Missing("rule-no-year-end", "预算执行进度缺少 12 月累计执行数或其为 0（分母为 12月累计执行）")
        denominator, what = december[0], f"12月累计执行 {wording.points(december[0])} 元（{december[1]}）"
    ctx.lines.append(f"执行进度 = 月度累计执行 / {what}")
    ctx.figures["执行进度"] = {m: months[m][0] / denominator for m in sorted(months)}
    ctx.figures["序时进度"] = {m: Decimal(m) / 12 for m in sorted(months)}
    present = [(m, target) for m, target in options.checkpoints if m in months]
    for month, target in options.checkpoints:
        if month not in months:
            ctx.lines.append(f"{month}月：缺少累计执行数，该考核时点不考核")
    if not present:
        raise _Missing("rule-no-checkpoint", "考核时点 " + "、".join(f"{m}月" for m, _ in options.checkpoints)
                       + " 都没有累计执行数")
    deducted = ZERO
    for month, target in present:
        cumulative, cell = months[month]
        progress = cumulative / denominator
        label = f"{month}月 {wording.points(cumulative)}（{cell}）/ 分母 = {rate(progress)}（基准 ≥{rate(target)}）"
        deducted += _deduct(part.points, (target - progress) * HUNDRED, rule, label, ctx)
    value = max(ZERO, part.points - deducted)
    ctx.lines.append(f"{wording.points(part.points)} − {wording.points(deducted)} = {wording.points(value)}"
                     + ("（扣完为止）" if part.points - deducted < 0 else ""))
    return value


def _grade_factors(part: Part, rule: GradeFactors, ctx: _Context) -> Decimal:
    projects, bands = ctx.inputs.projects, ctx.inputs.bands
    if not projects:
        raise _Missing("rule-no-projects", "复评项目表没有项目，无法按等级赋分")
    awards = dict(rule.awards)
    by_review = ctx.spec.options.grade_source == "复核得分"
    factors, detail = [], []
    for project in projects:
        derived = bands.grade(project.review)
        if by_review:
            grade = derived
            if project.grade and project.grade != derived:
                ctx.warnings.append(("grade-contradicts-score", project.cell,
                                     f"“{project.name}”实际绩效等级填写“{project.grade}”，复核得分 "
                                     f"{wording.points(project.review)} 按等级标准为“{derived}”（计分采用“{derived}”）"))
        else:
            if not project.grade:
                raise RuleFailure("rule-no-grade", f"“{project.name}”（{project.cell}）缺少实际绩效等级：请填写，"
                                                   "或在评分参数中写“等级：按复核得分”")
            grade = project.grade
        if grade not in awards:
            raise RuleFailure("unknown-grade", f"“{project.name}”（{project.cell}）的等级“{grade}”不在等级赋分中"
                                               f"（{'、'.join(awards)}）")
        factor = awards[grade].value(ONE)
        factors.append(factor)
        source = f"复核得分 {wording.points(project.review)}" if by_review else project.cell
        detail.append(f"{project.name}：{grade}（{source}） {wording.number(factor, 'rate')}")
    value = part.points * sum(factors, ZERO) / len(factors)  # multiply first: all-优 gives exactly the points
    ctx.lines.append("；".join(detail))
    ctx.lines.append(f"{wording.points(part.points)} × ({' + '.join(wording.number(f, 'rate') for f in factors)}) / "
                     f"{len(factors)} = {wording.points(value)}")
    return value


def _part(part: Part, ctx: _Context) -> Decimal:
    scorer = part.scorer
    if isinstance(scorer, (Bands, Linear)) or (isinstance(scorer, Deduction) and scorer.expr is not None):
        expr = scorer.expr
        if LOCAL.get(expr.figure) and ctx.value(expr.figure).exempt:
            ctx.notes.append(ctx.read[expr.figure].exempt)
            ctx.lines.append(f"{ctx.read[expr.figure].exempt} → {wording.points(part.points)}")
            return part.points
    if isinstance(scorer, Bands):
        return _bands(part, scorer, ctx)
    if isinstance(scorer, Linear):
        return _linear(part, scorer, ctx)
    if isinstance(scorer, Deduction):
        return _deduction(part, scorer, ctx)
    return _grade_factors(part, scorer, ctx)


def evaluate(spec: Spec, weight: Decimal, inputs: Inputs) -> Outcome:
    """Return the Outcome of scoring `spec` with `inputs`; raise RuleFailure when an input is missing.

    With 无数据按满分计 / 无数据不予考核 in the parameters, a missing input gives full marks
    instead, and the Outcome's notes say so for the 评分依据.
    """
    ctx = _Context(spec, inputs)
    scores = []
    try:
        for number, part in enumerate(spec.parts, 1):
            if len(spec.parts) > 1:
                ctx.lines.append(f"第{circled(number)}部分（{wording.points(part.points)}分）：")
            scores.append(_part(part, ctx))
    except _Missing as exc:
        if not spec.options.missing:
            raise RuleFailure(exc.code, f"{exc}；如确无此项数据，可在评分参数中写“无数据按满分计”或"
                                        "“无数据不予考核”") from None
        said = "，不予考核" if spec.options.missing == "不予考核" else ""
        note = f"{exc}{said}，按满分计"
        return Outcome(weight, tuple(ctx.lines) + (note,), dict(ctx.figures), (note,), tuple(ctx.read.values()))
    total = sum(scores, ZERO)
    if len(scores) > 1:
        ctx.lines.append(f"合计 = {' + '.join(wording.points(s) for s in scores)} = {wording.points(total)}")
    return Outcome(min(max(total, ZERO), weight), tuple(ctx.lines), dict(ctx.figures), tuple(ctx.notes),
                   tuple(ctx.read.values()), tuple(ctx.warnings))

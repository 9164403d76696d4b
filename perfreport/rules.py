"""Scoring rules: pure functions from plain values to one 三级 indicator's score.

Each rule is registered in `RULES` under the name the workbook's 评分方式 column
uses and is called with keyword arguments only. All arithmetic is Decimal. Rules
return unrounded scores; the caller rounds each 三级 score with `fmt.round2` and
formats every figure itself.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

DEFAULT_BANDS = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)))
LOWEST_GRADE = "差"  # below every band

DIRECTIONS = ("≥", "≤", "=")
STEP_DEDUCTION = Decimal("0.1")  # per started 2 points, as the 评价标准 of (2) and (3) say
OVER_LIMIT_POINTS = Decimal(10)  # (2): more than 10 points over scores nothing
PROGRESS_CHECKPOINTS = {6: Decimal("0.50"), 9: Decimal("0.75"), 11: Decimal("0.92")}

# (upper bound of |rate − 100%|, factor), bounds inclusive
EXECUTION_RATE_BANDS = (
    (Decimal("0.05"), ONE),
    (Decimal("0.10"), Decimal("0.75")),
    (Decimal("0.15"), Decimal("0.5")),
)
# (exclusive upper bound of X, factor)
IDLE_CHANGE_BANDS = (
    (Decimal("0.7"), ONE),
    (Decimal("0.8"), Decimal("0.75")),
    (Decimal("0.9"), Decimal("0.5")),
    (ONE, Decimal("0.25")),
)
# (inclusive lower bound of Y, factor)
UTILISATION_BANDS = (
    (ONE, ONE),
    (Decimal("0.9"), Decimal("0.75")),
    (Decimal("0.8"), Decimal("0.5")),
    (Decimal("0.7"), Decimal("0.25")),
)
# (inclusive lower bound of 综合满意度, factor)
SATISFACTION_BANDS = (
    (Decimal("0.95"), ONE),
    (Decimal("0.90"), Decimal("0.8")),
    (Decimal("0.80"), Decimal("0.6")),
    (Decimal("0.60"), Decimal("0.4")),
)
PROJECT_GRADE_FACTORS = {"优": ONE, "良": Decimal("0.75"), "中": Decimal("0.5"), "差": ZERO}


@dataclass(frozen=True)
class Outcome:
    """What a rule returns: the unrounded score and what the report prints beside it."""

    score: Decimal  # unrounded, 0 <= score <= weight
    figures: dict[str, object] = field(default_factory=dict)  # by the Chinese name the report uses
    notes: tuple[str, ...] = ()  # Chinese remarks, e.g. "无政府采购预算，按满分计"


class RuleError(ValueError):
    """Raised when inputs make a rule impossible to compute (a division by zero, a missing value).

    The message, in Chinese, says what is missing or zero.
    """


RULES: dict[str, Callable[..., Outcome]] = {}


def rule(name: str) -> Callable[[Callable[..., Outcome]], Callable[..., Outcome]]:
    """Return a decorator that registers a rule under `name` and returns the rule unchanged."""

    def register(func: Callable[..., Outcome]) -> Callable[..., Outcome]:
        RULES[name] = func
        return func

    return register


def grade(score: Decimal, bands: Sequence[tuple[str, Decimal]] = DEFAULT_BANDS) -> str:
    """Return the name of the first band (highest first) whose lower bound `score` reaches, else 差."""
    for name, bound in bands:
        if score >= bound:
            return name
    return LOWEST_GRADE


def question_satisfaction(counts_and_weights: Sequence[tuple[int, Decimal]], sample: int) -> Decimal:
    """Return one question's satisfaction as a fraction: Σ(人数 × 分值 / 100) / 样本量."""
    if sample == 0:
        raise RuleError("样本量为 0，无法计算单项满意度")
    points = sum((count * weight for count, weight in counts_and_weights), ZERO)
    return points / (HUNDRED * sample)  # one division keeps exact results exact


def _factor(bands: Sequence[tuple[Decimal, Decimal]], reaches: Callable[[Decimal], bool]) -> Decimal:
    """Return the factor of the first (bound, factor) band whose bound `reaches` accepts, else 0."""
    return next((factor for bound, factor in bands if reaches(bound)), ZERO)


def _started_steps(points: Decimal) -> int:
    """Return the number of started 2-point steps in `points`: 0 for none, 1 for (0, 2], 2 for (2, 4] …"""
    if points <= 0:
        return 0
    return int((points / 2).to_integral_value(rounding=ROUND_CEILING))


def completion(target: Decimal, actual: Decimal, direction: str) -> Decimal:
    """Return one part's uncapped completion as a fraction, by the direction of its target."""
    if direction not in DIRECTIONS:
        raise RuleError(f"方向“{direction}”无法识别，应为 ≥、≤ 或 =")
    if direction == "≥":
        if target <= 0:
            raise RuleError(f"目标值为 {target}，方向“≥”的完成率（实际值/目标值）要求目标值大于 0")
        return actual / target  # a negative actual is allowed: it scores 0
    if target < 0 or actual < 0:
        # target/actual and min/max only mean "how close" for values of one sign
        raise RuleError(f"方向“{direction}”的目标值（{target}）和实际值（{actual}）不能为负数")
    if actual == target:
        return ONE
    if direction == "≤":
        return ONE if actual == 0 else target / actual
    return min(target, actual) / max(target, actual)


def _clamped(rate: Decimal) -> Decimal:
    """Return the rate as it counts for scoring: within [0, 1]."""
    return min(max(rate, ZERO), ONE)


@rule("目标完成率")
def target_completion(*, weight: Decimal, rows: Sequence[Sequence[tuple[Decimal, Decimal, str]]]) -> Outcome:
    """Return weight × the mean over rows of each row's mean capped part completion.

    figures["完成率"] holds the uncapped completions, one list per row, in order.
    """
    if not rows:
        return Outcome(weight, {"完成率": []}, ("所有目标均不予考核，按满分计",))
    if any(not row for row in rows):
        raise RuleError("有目标没有目标值和实际值，无法计算完成率")
    rates = [[completion(*part) for part in row] for row in rows]
    row_values = [sum(map(_clamped, row), ZERO) / len(row) for row in rates]
    return Outcome(weight * sum(row_values, ZERO) / len(row_values), {"完成率": rates})


@rule("预算执行率")
def budget_execution(
    *, weight: Decimal, initial: Decimal, increase: Decimal, decrease: Decimal, actual: Decimal
) -> Outcome:
    """Return the weight scaled by how far 决算支出 / 调整后预算 lies from 100% (5/10/15-point bands)."""
    budget = initial + increase - decrease
    if budget == 0:
        raise RuleError("调整后预算（年初预算 + 调增 − 调减）为 0，无法计算预算执行率")
    rate = actual / budget
    factor = _factor(EXECUTION_RATE_BANDS, lambda bound: abs(rate - ONE) <= bound)
    return Outcome(weight * factor, {"预算执行率": rate, "调整后预算": budget})


@rule("预算执行进度")
def budget_progress(*, weight: Decimal, months: Mapping[int, Decimal]) -> Outcome:
    """Return the weight less 0.1 per started 2 points short at each present checkpoint, floor 0.

    Checkpoints are June 50%, September 75%, November 92%. A month's progress is its
    cumulative spending over December's, as 表 预算执行进度 prints it.
    """
    year_end = months.get(12)
    if not year_end:
        raise RuleError("缺少 12 月累计执行数或其为 0，无法计算预算执行进度")
    progress = {month: months[month] / year_end for month in sorted(months)}
    deduction = sum(
        (STEP_DEDUCTION * _started_steps((target - progress[month]) * HUNDRED)
         for month, target in PROGRESS_CHECKPOINTS.items() if month in progress),
        ZERO,
    )
    notes = tuple(
        f"缺少 {month} 月累计执行数，该考核时点不考核" for month in PROGRESS_CHECKPOINTS if month not in progress
    )
    figures = {"执行进度": progress, "序时进度": {month: Decimal(month) / 12 for month in progress}}
    return Outcome(max(ZERO, weight - deduction), figures, notes)


def _over_half(half: Decimal, points: Decimal) -> Decimal:
    """Return `half` less 0.1 per started 2 points above 0, floor 0; 0 once more than 10 points above."""
    if points > OVER_LIMIT_POINTS:
        return ZERO
    return max(ZERO, half - STEP_DEDUCTION * _started_steps(points))


@rule("过紧日子")
def austerity(*, weight: Decimal, budget: Decimal, actual: Decimal, previous: Decimal) -> Outcome:
    """Return the sum of two halves of the weight: 五项经费控制率 against 100% and 变动率 against 0."""
    if budget == 0:
        raise RuleError("五项经费预算为 0，无法计算五项经费控制率")
    if previous == 0:
        raise RuleError("上年五项经费决算为 0，无法计算五项经费变动率")
    control = actual / budget
    change = (actual - previous) / previous
    half = weight / 2
    score = _over_half(half, (control - ONE) * HUNDRED) + _over_half(half, change * HUNDRED)
    return Outcome(score, {"五项经费控制率": control, "五项经费变动率": change})


@rule("政府采购执行率")
def procurement(*, weight: Decimal, budget: Decimal | None, contracts: Decimal) -> Outcome:
    """Return weight × 合同金额 / 政府采购预算, at most the weight; the full weight when there is no budget."""
    if not budget:
        return Outcome(weight, {"政府采购执行率": None}, ("无政府采购预算，按满分计",))
    rate = contracts / budget
    return Outcome(weight * min(rate, ONE), {"政府采购执行率": rate})


def _idle_change(
    idle: Decimal | None, total: Decimal | None, previous_idle: Decimal | None, previous_total: Decimal | None
) -> tuple[Decimal | None, Decimal, tuple[str, ...]]:
    """Return (闲置资产变化率 X or None, its factor, notes); X is None when last year had no idle assets."""
    if not previous_idle:
        if not idle:
            return None, ONE, ("本年及上年均无闲置资产，闲置资产变化率按满分计",)
        return None, ZERO, ("上年无闲置资产而本年有，闲置资产变化率不得分",)
    if not total or not previous_total:
        raise RuleError("本年或上年总资产为 0，无法计算闲置资产变化率")
    change = ((idle or ZERO) / total) / (previous_idle / previous_total)
    return change, _factor(IDLE_CHANGE_BANDS, lambda bound: change < bound), ()


@rule("固定资产利用")
def fixed_assets(
    *,
    weight: Decimal,
    idle: Decimal | None,
    total: Decimal | None,
    previous_idle: Decimal | None,
    previous_total: Decimal | None,
    in_use: Decimal,
    original: Decimal,
) -> Outcome:
    """Return half the weight × the band factor of 闲置资产变化率 plus half × that of 固定资产利用率."""
    if not original:
        raise RuleError("固定资产原值为 0，无法计算固定资产利用率")
    change, change_factor, notes = _idle_change(idle, total, previous_idle, previous_total)
    utilisation = in_use / original
    use_factor = _factor(UTILISATION_BANDS, lambda bound: utilisation >= bound)
    score = weight / 2 * (change_factor + use_factor)
    return Outcome(score, {"闲置资产变化率": change, "固定资产利用率": utilisation}, notes)


@rule("复评差异")
def review_gap(
    *,
    weight: Decimal,
    pairs: Sequence[tuple[Decimal, Decimal]],
    bands: Sequence[tuple[str, Decimal]] = DEFAULT_BANDS,
) -> Outcome:
    """Return the weight less 1 per grade between each project's 自评 and 复核 score, floor 0."""
    if not pairs:
        raise RuleError("没有复评项目，无法计算自评与复评的差异")
    order = [name for name, _ in bands] + [LOWEST_GRADE]
    gaps = [abs(order.index(grade(own, bands)) - order.index(grade(review, bands))) for own, review in pairs]
    return Outcome(max(ZERO, weight - sum(gaps)), {"差档": gaps})


@rule("项目实际绩效")
def project_performance(*, weight: Decimal, grades: Sequence[str]) -> Outcome:
    """Return weight / n × Σ grade factors (优 1, 良 0.75, 中 0.5, 差 0) over the n sampled projects."""
    if not grades:
        raise RuleError("没有抽查项目的实际绩效等级，无法计算政策项目实际绩效")
    unknown = [g for g in grades if g not in PROJECT_GRADE_FACTORS]
    if unknown:
        raise RuleError(f"实际绩效等级“{unknown[0]}”无法识别，应为 优、良、中 或 差")
    # multiply before dividing so that all-优 gives exactly the weight
    return Outcome(weight * sum((PROJECT_GRADE_FACTORS[g] for g in grades), ZERO) / len(grades))


@rule("满意度")
def satisfaction(*, weight: Decimal, satisfactions: Sequence[Decimal]) -> Outcome:
    """Return the weight × the band factor (95/90/80/60%) of the mean of the printed 单项满意度."""
    if not satisfactions:
        raise RuleError("问卷没有满意度问题，无法计算综合满意度")
    overall = sum(satisfactions, ZERO) / len(satisfactions)
    factor = _factor(SATISFACTION_BANDS, lambda bound: overall >= bound)
    return Outcome(weight * factor, {"综合满意度": overall})


@rule("手工")
def manual(*, weight: Decimal, entered: Decimal) -> Outcome:
    """Return the 得分 the consultant entered; `weight` keeps calls uniform, its range is checked elsewhere."""
    return Outcome(entered)

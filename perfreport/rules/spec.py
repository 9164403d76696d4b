"""What a 评分参数 text means, as plain frozen data: parts, their scorers, the options.

The parser (syntax.py) builds a Spec; blocks.py evaluates it; standard.py words
it as a 评价标准. Numbers are Decimals in the unit the workbook holds them: a
rate as a fraction (90% is 0.9), an amount in its own unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

INFINITY = Decimal("Infinity")


@dataclass(frozen=True)
class Interval:
    """A set of numbers between two bounds; None is unbounded."""

    low: Decimal | None = None
    low_closed: bool = False
    high: Decimal | None = None
    high_closed: bool = False

    def __contains__(self, x: Decimal) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        if self.high is not None and (x > self.high or (x == self.high and not self.high_closed)):
            return False
        return True

    @property
    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (self.low == self.high and not (self.low_closed and self.high_closed))

    def __and__(self, other: Interval) -> Interval:
        low, low_closed = self.low, self.low_closed
        if other.low is not None and (low is None or other.low > low or (other.low == low and not other.low_closed)):
            low, low_closed = other.low, other.low_closed
        high, high_closed = self.high, self.high_closed
        if other.high is not None and (high is None or other.high < high
                                       or (other.high == high and not other.high_closed)):
            high, high_closed = other.high, other.high_closed
        return Interval(low, low_closed, high, high_closed)

    def complement(self) -> tuple[Interval, ...]:
        """Return the numbers outside this interval, as up to two intervals."""
        out = []
        if self.low is not None:
            out.append(Interval(None, False, self.low, not self.low_closed))
        if self.high is not None:
            out.append(Interval(self.high, not self.high_closed, None, False))
        return tuple(out)


EVERYTHING = Interval()


@dataclass(frozen=True)
class Expr:
    """The number a part is scored on: a figure, or its distance from a centre (`|{预算执行率}-100%|`)."""

    figure: str
    centre: Decimal | None = None


@dataclass(frozen=True)
class Award:
    """What a band gives: `points` absolute, or `factor` × the part's full marks."""

    factor: Decimal | None = None
    points: Decimal | None = None

    def value(self, full: Decimal) -> Decimal:
        """Return the points this award gives in a part worth `full`."""
        return self.points if self.points is not None else self.factor * full


FULL = Award(factor=Decimal(1))
NOTHING = Award(points=Decimal(0))


@dataclass(frozen=True)
class Band:
    """One band: its condition as written (None for 其他) and its award."""

    when: Interval | None
    award: Award
    text: str = ""


@dataclass(frozen=True)
class Bands:
    """分档: the first band whose condition the value meets gives the award (none met: 0)."""

    expr: Expr
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Linear:
    """比例: value × the part's full marks, within [0, full marks]."""

    expr: Expr


@dataclass(frozen=True)
class Deduction:
    """扣分: full marks less `per` for every `step` units the value is beyond the threshold, floor 0.

    `expr` None with `threshold` None means the checkpoints of 预算执行进度.
    """

    expr: Expr | None
    threshold: Decimal | None
    over: bool  # True: deduct above the threshold (每超过); False: below (每低于)
    step: Decimal  # in units: 个百分点 for a rate, the figure's own unit otherwise
    per: Decimal  # points per step
    rounding: str = "started"  # started (不足一步按一步计) | proportional | whole (不足一步不扣)
    cutoff: Decimal | None = None  # beyond this many units the part scores nothing
    most: Decimal | None = None  # at most this many points deducted
    unit: str = "个百分点"


@dataclass(frozen=True)
class GradeFactors:
    """等级赋分: each project scores its grade's award out of an equal share of the part."""

    awards: tuple[tuple[str, Award], ...]


Scorer = Bands | Linear | Deduction | GradeFactors


@dataclass(frozen=True)
class Part:
    """One ①② part of the parameters, worth `points`."""

    points: Decimal
    scorer: Scorer
    explicit: bool = False  # points written, not an equal share


@dataclass(frozen=True)
class Options:
    """Parameters that say which inputs a rule reads rather than how it scores."""

    denominator: str = "12月累计执行"  # 预算执行进度: 12月累计执行 | 调整后预算
    checkpoints: tuple[tuple[int, Decimal], ...] = ()
    questions: tuple[int, ...] = ()  # 满意度: question numbers; () = every 满意度问题
    group: str = ""  # 满意度: a 问题组 name
    capped: bool = True  # 目标完成率: each part's completion counts at most 100%
    grade_source: str = "实际绩效等级"  # 项目实际绩效: 实际绩效等级 | 复核得分
    missing: str = ""  # "" | 按满分计 | 不予考核: what a missing input means
    written: frozenset[str] = field(default_factory=frozenset)  # the options the workbook wrote


@dataclass(frozen=True)
class Spec:
    """The parameters of one indicator: its parts and options, and the text they were read from."""

    rule: str
    parts: tuple[Part, ...]
    options: Options
    text: str  # the parameters in effect, as text (the preset's, or the workbook's, or both)
    typed: str = ""  # what the workbook's 评分参数 cell held

    @property
    def figures(self) -> frozenset[str]:
        """The names of the figures its parts are scored on."""
        return frozenset(part.scorer.expr.figure for part in self.parts if getattr(part.scorer, "expr", None))

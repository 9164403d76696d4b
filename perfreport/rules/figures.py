"""The derived figures rules score on: name, formula, inputs and kind, declared once.

score.py computes them (they are also `{名称}` placeholders), the 评分参数
parser checks names against them, `check --explain` prints their formulas with
the cells they read, and the README's figure list documents each (a test
checks). Inputs are key-value fields of the workbook, or figures above them.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from ..fmt import amount, rate
from .spec import INFINITY

ZERO = Decimal(0)


class Unavailable(ValueError):
    """A figure cannot be computed from these inputs; the message says which input is blank or 0."""

    def __init__(self, message: str, blank: bool = False):
        super().__init__(message)
        self.blank = blank


@dataclass(frozen=True)
class Derived:
    """A figure computed from workbook fields: a signed sum, or a ratio of two signed sums."""

    name: str
    numerator: tuple[str, ...]  # "+年初预算", "-调减"
    denominator: tuple[str, ...] = ()  # empty: an amount
    zero_error_at: str = ""  # a 0 denominator is an error at this field's cell; "" : just unavailable
    blank_is_zero: bool = True  # False: any blank input makes the figure unavailable
    doc: str = ""

    @property
    def kind(self) -> str:
        return "rate" if self.denominator else "amount"

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(term[1:] for term in self.numerator + self.denominator)

    @property
    def formula(self) -> str:
        """The formula in words: `(五项经费_决算 − 五项经费_上年决算) / 五项经费_上年决算`."""
        top, bottom = _words(self.numerator), _words(self.denominator)
        if not self.denominator:
            return top
        return f"{_bracketed(top, self.numerator)} / {_bracketed(bottom, self.denominator)}"


def _words(terms: tuple[str, ...]) -> str:
    text = " ".join(f"{'−' if t[0] == '-' else '+'} {t[1:]}" for t in terms)
    return text[2:] if text.startswith("+ ") else text


def _bracketed(text: str, terms: tuple[str, ...]) -> str:
    return f"({text})" if len(terms) > 1 else text


def _sum(terms: tuple[str, ...], values: Mapping[str, Decimal | None], blank_is_zero: bool) -> Decimal:
    total = ZERO
    for term in terms:
        value = values.get(term[1:])
        if value is None:
            if not blank_is_zero:
                raise Unavailable(f"{term[1:]} 为空", blank=True)
            value = ZERO
        total += -value if term[0] == "-" else value
    return total


def compute(figure: Derived, values: Mapping[str, Decimal | None]) -> Decimal:
    """Return the figure's value; raise Unavailable naming the blank or zero input."""
    top = _sum(figure.numerator, values, figure.blank_is_zero)
    if not figure.denominator:
        return top
    bottom = _sum(figure.denominator, values, figure.blank_is_zero)
    if bottom == 0:
        names = "＋".join(t[1:] for t in figure.denominator)
        if any(values.get(t[1:]) is not None for t in figure.denominator):
            raise Unavailable(f"分母 {names} 为 0")
        raise Unavailable(f"分母 {names} 为空", blank=True)
    return top / bottom


def shown(figure: Derived, values: Mapping[str, Decimal | None], result: Decimal) -> str:
    """Return `公式 = 代入的数 = 结果`, as `check --explain` prints it."""
    def side(terms: tuple[str, ...]) -> str:
        text = " ".join(f"{'−' if t[0] == '-' else '+'} {amount(values.get(t[1:]) or ZERO)}" for t in terms)
        text = text[2:] if text.startswith("+ ") else text
        return f"({text})" if len(terms) > 1 else text
    value = rate(result) if figure.denominator else amount(result)
    if not figure.denominator:
        return f"{figure.name} = {figure.formula} = {side(figure.numerator)} = {value}"
    return f"{figure.name} = {figure.formula} = {side(figure.numerator)} / {side(figure.denominator)} = {value}"


AMOUNTS = (
    Derived("调增预算", ("+调增_转移支付", "+调增_其他"), doc="年中调增的预算"),
    Derived("调整预算", ("+调增_转移支付", "+调增_其他", "+调减"), doc="年中调整的总额：调增与调减之和，不是净额（年初预算 + 调增 − 调减 = 调整后预算）"),
    Derived("预算调整额", ("+调增_其他", "+调减"), doc="不含转移支付的调整额"),
    Derived("调整后预算", ("+年初预算", "+调增_转移支付", "+调增_其他", "-调减")),
)
RATIOS = (
    Derived("预算执行率", ("+决算支出",), ("+调整后预算",), zero_error_at="年初预算"),
    Derived("预算调整率", ("+预算调整额",), ("+年初预算",), zero_error_at="年初预算"),
    Derived("重点项目保障率", ("+重点项目资金",), ("+年初项目资金",), zero_error_at="年初项目资金"),
    Derived("五项经费控制率", ("+五项经费_决算",), ("+五项经费_预算",), zero_error_at="五项经费_预算"),
    Derived("五项经费变动率", ("+五项经费_决算", "-五项经费_上年决算"), ("+五项经费_上年决算",),
            zero_error_at="五项经费_上年决算"),
    Derived("政府采购执行率", ("+政府采购合同金额",), ("+政府采购预算",),
            doc="无政府采购预算时报告印 0%，规则则须写明“无数据按满分计”或“无数据不予考核”"),
    Derived("流动资产占比", ("+流动资产",), ("+总资产",), zero_error_at="总资产"),
    Derived("非流动资产占比", ("+非流动资产",), ("+总资产",), zero_error_at="总资产"),
    Derived("固定资产利用率", ("+在用固定资产",), ("+固定资产原值",), zero_error_at="固定资产原值"),
    # figures other frameworks score on; computed only when their inputs are filled in
    Derived("人员控制率", ("+实有总数",), ("+编制总数",), blank_is_zero=False, doc="在职人员控制率，以 100% 为标准"),
    Derived("结转结余率", ("+年末结转结余",), ("+调整后预算",), blank_is_zero=False),
    Derived("三公经费控制率", ("+三公经费_决算",), ("+三公经费_预算",), blank_is_zero=False),
    Derived("三公经费变动率", ("+三公经费_决算", "-三公经费_上年决算"), ("+三公经费_上年决算",), blank_is_zero=False),
    Derived("公用经费控制率", ("+公用经费_决算",), ("+公用经费_预算",), blank_is_zero=False),
)
DERIVED = {f.name: f for f in AMOUNTS + RATIOS}

IDLE_CHANGE = "闲置资产变化率"
IDLE_FORMULA = "(闲置资产 / 总资产) / (上年闲置资产 / 上年总资产)"
IDLE_INPUTS = ("闲置资产", "总资产", "上年闲置资产", "上年总资产")


def idle_change(values: Mapping[str, Decimal | None]) -> tuple[Decimal, str]:
    """Return 闲置资产变化率 and the convention used, if any ("" when computed as written).

    Last year without idle assets: 0 when there are none this year either (nothing
    idle is the best case), +∞ when there are some now (the worst).
    """
    idle, previous = values.get("闲置资产") or ZERO, values.get("上年闲置资产") or ZERO
    if previous == 0:
        if idle == 0:
            return ZERO, "本年及上年均无闲置资产，闲置资产变化率按 0 计"
        return INFINITY, "上年无闲置资产而本年有，闲置资产变化率按无穷大计"
    total, previous_total = values.get("总资产"), values.get("上年总资产")
    if not total or not previous_total:
        raise Unavailable("本年或上年总资产为空或为 0", blank=total is None or previous_total is None)
    return (idle / total) / (previous / previous_total), ""


# Figures a rule computes from tables rather than fields: name -> (kind, what it is).
LOCAL = {
    "目标完成率": ("rate", "本指标关联的目标对比行的完成率：各行各项完成率的平均再取平均（单项默认超过 100% 按 100% 计）"),
    "综合满意度": ("rate", "所选问卷题目（默认全部满意度问题）单项满意度的平均值"),
    "差档合计": ("count", "各复评项目自评得分与复核得分按等级标准相差的档数之和"),
}


def kinds() -> dict[str, str]:
    """Return every figure a rule may name -> rate | amount | count."""
    from ..contract import SHEETS, Kind  # contract reads this package's rule names: import late

    found = {f.name: ("rate" if f.kind is Kind.PERCENT else "count" if f.kind is Kind.COUNT else "amount")
             for s in SHEETS if s.key_value for f in s.fields
             if f.kind in (Kind.MONEY, Kind.NUMBER, Kind.COUNT, Kind.PERCENT)}
    found.update({f.name: f.kind for f in DERIVED.values()})
    found[IDLE_CHANGE] = "rate"
    found.update({name: kind for name, (kind, _) in LOCAL.items()})
    return found

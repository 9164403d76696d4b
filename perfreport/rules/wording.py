"""How conditions, values and awards are worded, shared by `check --explain` and the generated 评价标准."""
from __future__ import annotations

from decimal import Decimal

from ..fmt import amount
from .spec import EVERYTHING, INFINITY, Award, Band, Expr, Interval

HUNDRED = Decimal(100)


def number(value: Decimal, kind: str) -> str:
    """Return a bound or value as the standard prints it: `90%` for a rate, `3` otherwise."""
    if value == INFINITY:
        return "∞"
    if kind == "rate":
        return f"{_plain(value * HUNDRED)}%"
    return _plain(value)


def _plain(value: Decimal) -> str:
    """Up to four decimals, no trailing zeros, thousands separators: 99.93, 0.5, 1,000, 12.3456."""
    text = f"{value.quantize(Decimal('0.0001')):,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def value(x: Decimal, kind: str, bounds=()) -> str:
    """A value read, as explain prints it: two decimals, four when two would sit on a bound it is not."""
    if x == INFINITY:
        return "∞"
    shown = (_plain((x * HUNDRED).quantize(Decimal("0.01"))) + "%") if kind == "rate" \
        else _plain(x.quantize(Decimal("0.01")))
    if any(b is not None and b != x and number(b, kind) == shown for b in bounds):
        return number(x, kind)
    return shown


def bounds_of(bands) -> list[Decimal]:
    """Every bound the bands compare with."""
    return [b for band in bands if band.when is not None for b in (band.when.low, band.when.high)]


def points(value: Decimal) -> str:
    """Points as the standard prints them: `1.5`, `0.75`."""
    return amount(value) if value == value.quantize(Decimal("0.01")) else _plain(value)


def expr_name(expr: Expr, kind: str) -> str:
    """`预算执行率`, or `|预算执行率−100%|` for a distance."""
    if expr.centre is None:
        return expr.figure
    return f"|{expr.figure}−{number(expr.centre, kind)}|"


def interval(when: Interval, name: str, kind: str) -> str:
    """`90%≤固定资产利用率<100%`, `预算调整率=0`, `综合满意度≥95%`."""
    if when.low is not None and when.low == when.high:
        return f"{name}={number(when.low, kind)}"
    low = f"{number(when.low, kind)}{'≤' if when.low_closed else '<'}" if when.low is not None else ""
    high = f"{'≤' if when.high_closed else '<'}{number(when.high, kind)}" if when.high is not None else ""
    if low and not high:
        return f"{name}{'≥' if when.low_closed else '>'}{number(when.low, kind)}"
    return f"{low}{name}{high}"


def effective(bands: tuple[Band, ...]) -> list[list[Interval]]:
    """Return, for each band, where it applies: its condition less every band before it (first match wins)."""
    out, before = [], []
    for band in bands:
        pieces = [band.when or EVERYTHING]
        for earlier in before:
            pieces = [p & c for p in pieces for c in earlier.complement()] if earlier.low is not None \
                or earlier.high is not None else []
        out.append([p for p in pieces if not p.empty])
        before.append(band.when or EVERYTHING)
    return out


def where(pieces: list[Interval], name: str, kind: str) -> str:
    """The set a band applies to, in words: `5%<|预算执行率−100%|≤10%`, or 其他情况."""
    if not pieces:
        return "（前面各档已包含，本档不会适用）"
    if len(pieces) == 1 and pieces[0] == EVERYTHING:
        return "其他情况"
    return "或".join(interval(p, name, kind) for p in pieces)


def award(given: Award, full: Decimal) -> str:
    """`得满分`, `得1.5分`, `不得分`."""
    value = given.value(full)
    return "不得分" if value == 0 else f"得{points(value)}分"


def award_sum(given: Award, full: Decimal) -> str:
    """The award with its arithmetic: `得0.75分（1 × 75%）`, `得1分（满分）`, `不得分`."""
    got = given.value(full)
    if got == 0:
        return "不得分"
    if given.factor is None:
        return f"得{points(got)}分"
    if given.factor == 1:
        return f"得{points(got)}分（满分）"
    return f"得{points(got)}分（{points(full)} × {number(given.factor, 'rate')}）"

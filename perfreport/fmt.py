"""Every number, rate and date the report prints is formatted here.

Two forms (SPEC section 5): prose, with thousands separators and no trailing
zeros (`12,779.84`, `450`, `137.5%`), and table, with exactly two decimals
(`8.00`, `100.00%`). Rounding is half up (四舍五入), on Decimals only.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DASH = "——"
CENT = Decimal("0.01")
CN_DIGITS = "零一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def round2(value: Decimal | int) -> Decimal:
    """Return `value` rounded half up (四舍五入) to two decimals."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_rate(fraction: Decimal) -> Decimal:
    """Return a fraction rounded half up to 4 decimals: what a percent with 2 decimals shows."""
    return fraction.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def percent(fraction: Decimal) -> Decimal:
    """Return a fraction as percentage points rounded to two decimals (0.79253 -> 79.25)."""
    return round2(fraction * 100)


def _grouped(value: Decimal, places: int | None) -> str:
    text = f"{abs(value) if value.is_zero() else value:,.2f}"  # no "-0.00" for a tiny negative
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def amount(value: Decimal) -> str:
    """Prose form of a number: `12,779.84`, `797.6`, `450`."""
    return _grouped(round2(value), None)


def rate(fraction: Decimal) -> str:
    """Prose form of a rate: `79.25%`, `0.5%`, `100%`."""
    return _grouped(percent(fraction), None) + "%"


def table_amount(value: Decimal | None) -> str:
    """Table form of a number: `8.00`, `12,779.84`; `——` when there is none."""
    return DASH if value is None else _grouped(round2(value), 2)


def table_rate(fraction: Decimal | None) -> str:
    """Table form of a rate: `100.00%`, `0.00%`; `——` when there is none."""
    return DASH if fraction is None else _grouped(percent(fraction), 2) + "%"


def cn_number(n: int) -> str:
    """Chinese numeral as a heading counts: 一, 十, 十二, 二十, 一百零五, 一千二百; digits from 10000."""
    if n <= 0 or n >= 10000:
        return str(n)
    if n < 20:
        return ("十" if n >= 10 else "") + (CN_DIGITS[n % 10] if n % 10 else "")
    text, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            text += ("零" if gap and text else "") + CN_DIGITS[digit] + unit
            gap = False
        else:
            gap = True
    return text


def cn_count(n: int) -> str:
    """Chinese numeral as a count before a measure word: 两个阶段, 三个维度."""
    return "两" if n == 2 else cn_number(n)


def circled(n: int) -> str:
    """Circled number ①..⑳ (beyond 20, the plain number in parentheses)."""
    return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else f"({n})"


def join_cn(items: list[str], last: str = "和") -> str:
    """`a、b、c和d`: a Chinese enumeration."""
    if len(items) < 2:
        return "".join(items)
    return "、".join(items[:-1]) + last + items[-1]


@dataclass(frozen=True)
class ReportDate:
    """A date as a report prints it; the day is optional (`2024年12月`)."""

    year: int
    month: int
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year}年{self.month}月"
        return text + (f"{self.day}日" if self.day else "")


@dataclass(frozen=True)
class Figure:
    """A computed value with the way prose prints it."""

    value: object
    kind: str = "amount"  # amount | rate | rates | text

    def prose(self) -> str:
        """Return the figure as a `{名称}` placeholder prints it."""
        if self.kind == "amount":
            return amount(self.value)
        if self.kind == "rate":
            return rate(self.value)
        if self.kind == "rates":
            return "、".join(rate(v) for v in self.value)
        return str(self.value)

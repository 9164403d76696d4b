"""Type one cell's value by its column: numbers, percentages, years, dates, text and choices.

Numbers typed as text are accepted (full-width digits, thousands commas, the
column's own unit, 元 or 万元, trailing), a float is taken at Excel's 15 significant digits, and
text loses what a .docx cannot hold. Whatever does not fit its column raises
CellError, whose message says what is expected.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .contract import Field, Kind
from .fmt import ReportDate, percent, rate

MAX_TEXT = 32767  # Excel's own limit for one cell
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (after its 1900 leap-year slip)
MAX_NUMBER = Decimal(10) ** 12  # a trillion: no department's figure comes near, a pasted ID number does
QUANTUM = Decimal("1e-10")  # finer than any figure a workbook holds; float noise (5.55E-17) reads as 0
QUANTUM_EXPONENT = QUANTUM.as_tuple().exponent
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")  # not allowed in .docx XML
CHOICE_ALIASES = {">=": "≥", "≧": "≥", "<=": "≤", "≦": "≤", "＝": "="}
DASHES = re.compile(r"^[-—–－―/／]+$")  # "——" typed for "not applicable" in a number cell
YEAR_SUFFIX = re.compile(r"\s*年度?$")
DATE_TEXT = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*(?:[月./-]\s*(?:(\d{1,2})\s*日?)?)?$")
KIND_WORDS = {
    Kind.MONEY: "金额（数字）", Kind.NUMBER: "数字", Kind.COUNT: "非负整数", Kind.PERCENT: "百分比",
    Kind.YEAR: "四位年份", Kind.DATE: "日期（如 2024年12月26日）",
}


class CellError(ValueError):
    """A cell's content does not fit its column; the message says what is expected, `code` which problem."""

    def __init__(self, message: str, code: str = "wrong-type"):
        super().__init__(message)
        self.code = code


def clean_text(text: str) -> str:
    """Return cell text (Excel's escapes already decoded by the reader) with XML-illegal characters removed."""
    if text.isprintable():  # every character changed below is unprintable: most text needs only the strip
        return text.strip()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\ufeff", "")
    return CONTROL.sub("", text).strip()


def _number_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width digits, commas, percent signs
    return re.sub(r"[\s,]", "", text)


def _decimal(value: Any, kind: Kind) -> Decimal:
    """Return the finite number a cell holds or spells, or raise CellError."""
    if isinstance(value, bool):
        raise CellError(f"应为{KIND_WORDS[kind]}")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(format(value, ".15g"))  # Excel keeps 15 significant digits
    else:
        text = _number_text(str(value))
        if kind is Kind.MONEY:
            text = text.removesuffix("万元").removesuffix("元")
        if kind is Kind.YEAR:
            text = YEAR_SUFFIX.sub("", text)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"应为{KIND_WORDS[kind]}") from None
    if not number.is_finite():
        raise CellError(f"应为{KIND_WORDS[kind]}")
    return number


def _sized(number: Decimal, kind: Kind) -> Decimal:
    """Return `number` within what a workbook can mean: below a trillion, at most 10 decimals, no -0."""
    if abs(number) >= MAX_NUMBER:
        raise CellError(f"应为{KIND_WORDS[kind]}，数值过大（不应达到 1 万亿），请核对")
    if number.as_tuple().exponent < QUANTUM_EXPONENT:
        number = number.quantize(QUANTUM, rounding=ROUND_HALF_UP)
    return number if number else abs(number)


def _percent(value: Any, number_format: str) -> Decimal:
    if isinstance(value, str) and _number_text(value).endswith("%"):
        return _sized(_decimal(_number_text(value)[:-1], Kind.PERCENT), Kind.PERCENT) / 100
    number = _sized(_decimal(value, Kind.PERCENT), Kind.PERCENT)
    # A cell formatted as a percentage holds the fraction; a bare number above 1 means points.
    if "%" in number_format or abs(number) <= 1:
        return number
    return number / 100


def _date(value: Any) -> ReportDate:
    if isinstance(value, (datetime, date)):
        year, month, day = value.year, value.month, value.day
    elif isinstance(value, (int, float)) and 20000 < value < 80000:  # an Excel serial day
        moment = EXCEL_EPOCH + timedelta(days=int(value))
        year, month, day = moment.year, moment.month, moment.day
    else:
        match = DATE_TEXT.match(unicodedata.normalize("NFKC", str(value)).strip())
        if not match:
            raise CellError(f"应为{KIND_WORDS[Kind.DATE]}")
        year, month, day = (int(g) if g else None for g in match.groups())
    if not 1900 <= year <= 2100:
        raise CellError(f"应为{KIND_WORDS[Kind.DATE]}，年份应在 1900 到 2100 之间")
    try:
        date(year, month, day or 1)
    except ValueError:
        raise CellError(f"应为{KIND_WORDS[Kind.DATE]}，这个日期不存在") from None
    return ReportDate(year, month, day)


def _text(value: Any, number_format: str) -> str:
    if isinstance(value, (datetime, date)):
        return str(ReportDate(value.year, value.month, value.day))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        number = _decimal(value, Kind.NUMBER)
        if "%" in number_format:
            return f"{percent(number)}%"
        return format(number.normalize(), "f")
    text = clean_text(str(value))
    if len(text) > MAX_TEXT:
        raise CellError(f"文字过长（{len(text)} 字，单元格上限 {MAX_TEXT} 字），请精简")
    return text


def convert(value: Any, column: Field, number_format: str = "General") -> Any:
    """Return the typed value of a non-blank cell, or raise CellError."""
    kind = column.kind
    if kind is Kind.TEXT:
        return _text(value, number_format)
    if kind is Kind.CHOICE:
        text = _text(value, number_format)
        text = CHOICE_ALIASES.get(text, text)
        if text not in column.choices:
            raise CellError("应为以下之一：" + "、".join(column.choices))
        return text
    if kind is Kind.DATE:
        return _date(value)
    if kind is Kind.PERCENT:
        return _within(_percent(value, number_format), column)
    if kind is Kind.MONEY:
        _check_unit(value, column)
    number = _within(_sized(_decimal(value, kind), kind), column)
    if kind is Kind.MONEY and number < 0:
        raise CellError("金额不能为负数", "negative-money")
    if kind in (Kind.COUNT, Kind.YEAR):
        if number != number.to_integral_value() or number < 0:
            raise CellError(f"应为{KIND_WORDS[kind]}")
        number = int(number)
        if kind is Kind.YEAR and not 1900 <= number <= 2100:
            raise CellError(f"应为{KIND_WORDS[kind]}")
    return number


def _check_unit(value: Any, column: Field) -> None:
    """Return None when a money text names no unit or its column's own; raise CellError for the other unit.

    A column is in 元 when its name says so (月度累计执行_元), else in 万元: 102719600元 in a 万元
    field is not 102,719,600 万元, and the unit is not converted silently either.
    """
    if not isinstance(value, str):
        return
    text = _number_text(value)
    typed = "万元" if text.endswith("万元") else "元" if text.endswith("元") else None
    unit = "元" if column.name.endswith("_元") else "万元"
    if typed is not None and typed != unit:
        raise CellError(f"本栏金额以{unit}计，应换算为{unit}后只填数字")


def _within(number: Decimal, column: Field) -> Decimal:
    """Return `number` when it lies in the column's declared bounds (a percentage's in points), else raise."""
    if column.bounds is None:
        return number
    low, high = column.bounds
    if column.kind is Kind.PERCENT:
        if not low <= number * 100 <= high:
            raise CellError(f"应在 {low}% 到 {high}% 之间（读作 {rate(number)}）", "out-of-range")
    elif not low <= number <= high:
        raise CellError(f"应在 {low} 到 {high} 之间", "out-of-range")
    return number


def blank(value: Any) -> bool:
    """Return whether a cell's value is nothing: absent, or text that cleans to nothing."""
    return value is None or (isinstance(value, str) and not clean_text(value))


def not_applicable(value: Any, column: Field) -> bool:
    """Return whether a number cell holds only dashes ("——", "-"), which means blank."""
    return column.kind not in (Kind.TEXT, Kind.CHOICE) and isinstance(value, str) and bool(
        DASHES.match(_number_text(clean_text(value))))

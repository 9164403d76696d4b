"""Read a workbook by the contract into typed, located records.

Columns are found by header text, blank rows are skipped, numbers typed as
text are accepted, and every cell that cannot be read becomes a Problem with
its `sheet!cell`; reading goes on, so the user sees every problem at once.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from collections.abc import Iterator, Mapping
from typing import Any

from . import contract
from .contract import Field, Kind, Sheet
from .errors import Problem, error, warning
from .fmt import ReportDate, percent, rate
from .models import Record, Workbook
from .names import key as _key
from .names import loose as _loose
from .names import match_sheets
from .names import visible as _visible
from .sheetxml import Cell, Grid, column_letter
from .xlsx import open_workbook

MAX_TEXT = 32767  # Excel's own limit for one cell
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (after its 1900 leap-year slip)
MAX_NUMBER = Decimal(10) ** 12  # a trillion: no department's figure comes near, a pasted ID number does
QUANTUM = Decimal("1e-10")  # finer than any figure a workbook holds; float noise (5.55E-17) reads as 0
QUANTUM_EXPONENT = QUANTUM.as_tuple().exponent
KEY, VALUE = "字段", "值"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")  # not allowed in .docx XML
CHOICE_ALIASES = {">=": "≥", "≧": "≥", "<=": "≤", "≦": "≤", "＝": "="}
DASHES = re.compile(r"^[-—–－―/／]+$")  # "——" typed for "not applicable" in a number cell
YEAR_SUFFIX = re.compile(r"\s*年度?$")
DATE_TEXT = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*(?:[月./-]\s*(?:(\d{1,2})\s*日?)?)?$")
FORMULA_TEXT = re.compile(r"[\uff01-\uff5e\u3000-\u303f≥≤×÷“”‘’…—]|\d[\u3400-\u9fff]")  # never in a formula
QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')
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


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _not_applicable(value: Any, column: Field) -> bool:
    """Return whether a number cell holds only dashes ("——", "-"), which means blank."""
    return column.kind not in (Kind.TEXT, Kind.CHOICE) and isinstance(value, str) and bool(
        DASHES.match(_number_text(clean_text(value))))


def _shown(value: Any) -> str:
    text = _visible(clean_text(str(value)).replace("\n", " "))
    return text if len(text) <= 30 else text[:30] + "…"


def _value(cell: Any) -> Any:
    """Return the value of a grid's cell, bare or a Cell."""
    return cell.value if cell.__class__ is Cell else cell


class _Places(Mapping):
    """Field -> cell ("E7") of one table row, spelt when asked: all rows of a table share its column letters."""

    __slots__ = ("letters", "row")

    def __init__(self, letters: dict[str, str], row: int):
        self.letters, self.row = letters, row

    def __getitem__(self, name: str) -> str:
        return f"{self.letters[name]}{self.row}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.letters)

    def __len__(self) -> int:
        return len(self.letters)


def _rows(grid: Grid) -> list[tuple[int, dict[int, Any]]]:
    """Return (row number, column number -> cell) for the rows below the header, in order."""
    return [(row, cells) for row, cells in sorted(grid.rows.items()) if row >= 2]


def _uncached(place: str, formula: str, column: Field) -> Problem:
    """Return the problem of a formula without a result: text typed with a leading =, or never calculated."""
    if FORMULA_TEXT.search(QUOTED.sub("", formula)):
        return error("invalid-formula", place,
                     f"“={_shown(formula)}”不是有效的公式（Excel 无法计算它）：如要填写以 = 开头的文字，"
                     f"请在前面加英文单引号，写作 '={_shown(formula)}")
    make = error if column.required else warning
    return make("formula-no-cache", place,
                "单元格是公式但没有计算结果（文件未在 Excel 中打开保存过）：请用 Excel 打开并保存后再试")


class _SheetReader:
    """Reads one worksheet by its contract, collecting problems."""

    def __init__(self, sheet: Sheet, grid: Grid, problems: list[Problem]):
        self.sheet, self.grid, self.uncached, self.problems = sheet, grid, grid.uncached, problems
        self.places: set[str] = set()  # where a problem was reported, so that a cell gets one

    def columns(self, wanted: list[Field | str]) -> dict[str, int]:
        """Return field name -> column number from row 1; missing and doubled columns are errors."""
        header = self.grid.rows.get(1, {})
        names = {item if isinstance(item, str) else item.name for item in wanted}
        found: dict[str, int] = {}
        for name in names:
            exact = [n for n in sorted(header) if _key(header[n].value) == name]
            similar = [n for n in sorted(header) if _loose(header[n].value) == name]
            if len(similar) > 1:
                cells = "、".join(header[n].coordinate for n in similar)
                self.problems.append(error(
                    "duplicate-column", f"{self.sheet.name}!{header[similar[1]].coordinate}",
                    f"第 1 行有 {len(similar)} 列表头都是“{name}”（{cells}），无法确定该读哪一列：请删除或改名多余的列"))
            if exact:
                found[name] = exact[0]
        unknown = "、".join(f"{header[n].coordinate}“{_shown(header[n].value)}”"
                           for n in sorted(header) if _key(header[n].value) not in names | {"", "说明"})
        for item in wanted:
            name, required = (item, True) if isinstance(item, str) else (item.name, item.required)
            if name not in found and required:
                seen = f"（第 1 行中未识别的表头：{unknown}）" if unknown else ""
                self.problems.append(error(
                    "missing-column", f"{self.sheet.name}!1",
                    f"缺少“{name}”列：第 1 行应有表头“{name}”{seen}"))
        return found

    def value(self, column: Field, ref: str, cell: Any) -> Any:
        """Return the typed value of one grid cell (None when absent), or None when blank or unreadable (reported)."""
        number_format = "General"
        if cell.__class__ is Cell:
            if cell.error:
                self.report(error("formula-error", f"{self.sheet.name}!{ref}",
                                  f"公式结果为 {cell.value}：请在 Excel 中更正公式，或直接填写{column.name}"))
                return None
            cell, number_format = cell.value, cell.number_format or "General"
        if isinstance(cell, str):
            text = clean_text(cell)
            if text and column.kind is Kind.TEXT and len(text) <= MAX_TEXT:
                return text  # what convert returns for the commonest cell, without its detours
            blank = not text or _not_applicable(cell, column)
        else:
            blank = cell is None
        if blank:
            if ref in self.uncached:
                self.report(_uncached(f"{self.sheet.name}!{ref}", self.uncached[ref], column))
            return None
        try:
            return convert(cell, column, number_format)
        except CellError as exc:
            self.report(error(exc.code, f"{self.sheet.name}!{ref}", f"{exc}，实际为“{_shown(cell)}”"))
            return None

    def key_values(self) -> Record:
        """Return the fields of a key-value sheet as one record."""
        cols = self.columns([KEY, VALUE])
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        if KEY not in cols or VALUE not in cols:
            return Record(self.sheet.name, MappingProxyType(values))
        fields = {f.name: f for f in self.sheet.fields}
        rows: dict[str, int] = {}
        for row, by_column in _rows(self.grid):
            key = _key(_value(by_column[cols[KEY]])) if cols[KEY] in by_column else ""
            if key not in fields:
                continue
            if key in rows:
                self.problems.append(error(
                    "duplicate-field", f"{self.sheet.name}!{column_letter(cols[KEY])}{row}",
                    f"“{key}”在第 {rows[key]} 行和第 {row} 行各有一行，无法确定用哪一个：请删除多余的一行"))
                continue
            rows[key] = row
            ref = cells[key] = f"{column_letter(cols[VALUE])}{row}"
            value = self.value(fields[key], ref, by_column.get(cols[VALUE]))
            if value is not None:
                values[key] = value
        for name, column in fields.items():
            if column.required and name not in values and not self._reported(name, cells):
                if name in cells:
                    place, todo = f"{self.sheet.name}!{cells[name]}", ""
                else:
                    place, todo = self.sheet.name, f"：工作表中没有这一行，请在“{KEY}”列添加“{name}”并在“{VALUE}”列填写"
                self.problems.append(error("missing-value", place, f"缺少必填项“{name}”{todo}"))
        return Record(self.sheet.name, MappingProxyType(values), MappingProxyType(cells))

    def _reported(self, name: str, cells: dict) -> bool:
        return f"{self.sheet.name}!{cells.get(name)}" in self.places

    def report(self, problem: Problem) -> None:
        self.places.add(problem.location)
        self.problems.append(problem)

    def table(self) -> tuple[Record, ...]:
        """Return the data rows of a table sheet, blank rows skipped, fill-down applied."""
        cols = self.columns(list(self.sheet.fields))
        present = [f for f in self.sheet.fields if f.name in cols]
        self._check_merges(cols)
        records: list[Record] = []
        above: dict[str, Any] = {}
        letters = {f.name: column_letter(cols[f.name]) for f in present}
        # A column's repeated text or number is converted once (a float 0 may be -0, which prints so as text).
        read = [(f, cols[f.name], letters[f.name], {}) for f in present]
        for row_number, cells_by_col in _rows(self.grid):
            if all(_blank(_value(cells_by_col[n])) for _, n, _, _ in read if n in cells_by_col):
                continue
            values: dict[str, Any] = {}
            row = str(row_number)
            for column, number, letter, known in read:
                cell = cells_by_col.get(number)
                value = known.get(cell) if cell.__class__ is str or (cell.__class__ is float and cell) else None
                if value is None:
                    value = self.value(column, letter + row, cell)
                    if value is not None and (cell.__class__ is str or (cell.__class__ is float and cell)):
                        known[cell] = value
                if value is not None:
                    values[column.name] = value
                elif column.fill_down and column.name in above:
                    values[column.name] = above[column.name]
            for column in present:
                if column.required and column.name not in values:
                    place = f"{self.sheet.name}!{letters[column.name]}{row}"
                    if place not in self.places:
                        self.problems.append(error("missing-value", place, f"“{column.name}”不能为空"))
            above = {f.name: values[f.name] for f in present if f.fill_down and f.name in values}
            records.append(Record(self.sheet.name, MappingProxyType(values), _Places(letters, row_number), row_number))
        return tuple(records)

    def _check_merges(self, cols: dict[str, int]) -> None:
        allowed = {cols[f.name] for f in self.sheet.fields if f.name in cols and (f.fill_down or f.grouped)}
        for merged in self.grid.merged:
            spans_rows = merged.max_row > merged.min_row and merged.max_row >= 2
            columns = set(range(merged.min_col, merged.max_col + 1))
            if spans_rows and not columns <= allowed:
                self.problems.append(error(
                    "merged-cells", f"{self.sheet.name}!{merged.ref}",
                    "合并单元格跨越多行数据：请取消合并，并在每一行填写"))


def load(path: Path) -> tuple[Workbook, list[Problem]]:
    """Return the workbook's typed records and every problem found reading it.

    Each sheet is read by the contract as soon as it is parsed, and its grid
    let go. Raises WorkbookError when the file is not a readable .xlsx at all.
    """
    matched: dict[str, str] = {}
    problems: list[Problem] = []

    def choose(tabs: list[str]) -> set[str]:
        chosen, found = match_sheets(tabs, path.name)
        matched.update(chosen)
        problems.extend(found)
        return set(chosen.values())

    def read(grid: Grid) -> dict[str, tuple[Any, list[Problem]]]:
        """Return contract sheet -> (its record or rows, their problems) for the sheets this tab holds."""
        found = {}
        for sheet in contract.SHEETS:
            if matched.get(sheet.name) == grid.title:
                reader = _SheetReader(sheet, grid, [])
                found[sheet.name] = (reader.key_values() if sheet.key_value else reader.table()), reader.problems
        return found

    tabs = open_workbook(path, choose, read)
    records: dict[str, Record] = {}
    tables: dict[str, tuple[Record, ...]] = {}
    for sheet in contract.SHEETS:
        read_tab = tabs[matched[sheet.name]] if sheet.name in matched else None
        if read_tab is None:
            empty = Record(sheet.name, MappingProxyType({}))
            if sheet.key_value:
                records[sheet.name] = empty
            else:
                tables[sheet.name] = ()
            continue
        content, found = read_tab[sheet.name]
        (records if sheet.key_value else tables)[sheet.name] = content
        problems.extend(found)
    return Workbook(path.name, MappingProxyType(records), MappingProxyType(tables)), problems

"""Read a workbook by the contract into typed, located records.

Columns are found by header text, blank rows are skipped, numbers typed as
text are accepted, and every cell that cannot be read becomes a Problem with
its `sheet!cell`; reading goes on, so the user sees every problem at once.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from . import contract
from .contract import Field, Kind, Sheet
from .errors import Problem, error, warning
from .fmt import ReportDate, percent
from .models import Record, Workbook
from .xlsx import open_workbook

MAX_TEXT = 32767  # Excel's own limit for one cell
KEY, VALUE = "字段", "值"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
UNIT_SUFFIX = re.compile(r"[(（][^)）]*[)）]$")
CHOICE_ALIASES = {">=": "≥", "≧": "≥", "<=": "≤", "≦": "≤", "＝": "="}
DATE_TEXT = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*(?:[月./-]\s*(?:(\d{1,2})\s*日?)?)?$")
KIND_WORDS = {
    Kind.MONEY: "金额（数字）", Kind.NUMBER: "数字", Kind.COUNT: "非负整数", Kind.PERCENT: "百分比",
    Kind.YEAR: "四位年份", Kind.DATE: "日期（如 2024年12月26日）",
}


class CellError(ValueError):
    """A cell's content does not fit its column; the message says what is expected."""


def clean_text(text: str) -> str:
    """Return cell text with Excel escapes decoded and XML-illegal characters removed."""
    text = ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\ufeff", "")
    return CONTROL.sub("", text).strip()


def _number_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width digits, commas, percent signs
    return re.sub(r"[\s,]", "", text)


def _decimal(value: Any, kind: Kind) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"应为{KIND_WORDS[kind]}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(format(value, ".15g"))  # Excel keeps 15 significant digits
    text = _number_text(str(value))
    if kind is Kind.MONEY:
        text = text.removesuffix("万元").removesuffix("元")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(f"应为{KIND_WORDS[kind]}") from None


def _percent(value: Any, number_format: str) -> Decimal:
    if isinstance(value, str) and _number_text(value).endswith("%"):
        return _decimal(_number_text(value)[:-1], Kind.PERCENT) / 100
    number = _decimal(value, Kind.PERCENT)
    # A cell formatted as a percentage holds the fraction; a bare number above 1 means points.
    if "%" in number_format or abs(number) <= 1:
        return number
    return number / 100


def _date(value: Any) -> ReportDate:
    if isinstance(value, (datetime, date)):
        return ReportDate(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and 20000 < value < 80000:  # an Excel serial day
        day = from_excel(value)
        return ReportDate(day.year, day.month, day.day)
    match = DATE_TEXT.match(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        raise CellError(f"应为{KIND_WORDS[Kind.DATE]}")
    year, month, day = (int(g) if g else None for g in match.groups())
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        raise CellError(f"应为{KIND_WORDS[Kind.DATE]}")
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
        return _percent(value, number_format)
    number = _decimal(value, kind)
    if kind is Kind.MONEY and number < 0:
        raise CellError("金额不能为负数")
    if kind in (Kind.COUNT, Kind.YEAR):
        if number != number.to_integral_value() or number < 0:
            raise CellError(f"应为{KIND_WORDS[kind]}")
        number = int(number)
        if kind is Kind.YEAR and not 1900 <= number <= 2100:
            raise CellError(f"应为{KIND_WORDS[kind]}")
    return number


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


def _header(text: Any) -> str:
    name = re.sub(r"\s", "", str(text or ""))
    return UNIT_SUFFIX.sub("", name)


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


class _SheetReader:
    """Reads one worksheet by its contract, collecting problems."""

    def __init__(self, sheet: Sheet, ws, uncached: set[str], problems: list[Problem]):
        self.sheet, self.ws, self.uncached, self.problems = sheet, ws, uncached, problems

    def columns(self, wanted: list[Field | str]) -> dict[str, int]:
        """Return field name -> column number from row 1; missing required columns are errors."""
        found: dict[str, int] = {}
        for cell in next(self.ws.iter_rows(min_row=1, max_row=1), ()):
            name = _header(cell.value)
            if name and name not in found:
                found[name] = cell.column
        for item in wanted:
            name, required = (item, True) if isinstance(item, str) else (item.name, item.required)
            if name not in found and required:
                self.problems.append(error(
                    "missing-column", f"{self.sheet.name}!1",
                    f"缺少“{name}”列：第 1 行应有表头“{name}”"))
        return found

    def value(self, column: Field, cell, record_cells: dict, values: dict) -> None:
        """Read one cell into `values`, or record why it cannot be read."""
        ref = cell.coordinate
        record_cells[column.name] = ref
        if _blank(cell.value):
            if ref in self.uncached:
                make = error if column.required else warning
                self.problems.append(make(
                    "formula-no-cache", f"{self.sheet.name}!{ref}",
                    "单元格是公式但没有计算结果（文件未在 Excel 中打开保存过）：请用 Excel 打开并保存后再试"))
            return
        try:
            values[column.name] = convert(cell.value, column, cell.number_format or "General")
        except CellError as exc:
            code = "negative-money" if "负数" in str(exc) else "wrong-type"
            self.problems.append(error(
                code, f"{self.sheet.name}!{ref}", f"{exc}，实际为“{_shown(cell.value)}”"))

    def key_values(self) -> Record:
        """Return the fields of a key-value sheet as one record."""
        cols = self.columns([KEY, VALUE])
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        if KEY not in cols or VALUE not in cols:
            return Record(self.sheet.name, MappingProxyType(values))
        fields = {f.name: f for f in self.sheet.fields}
        for row in self.ws.iter_rows(min_row=2):
            key = _header(row[cols[KEY] - 1].value) if len(row) >= cols[KEY] else ""
            if key in fields and len(row) >= cols[VALUE]:
                self.value(fields[key], row[cols[VALUE] - 1], cells, values)
            elif key in fields:
                cells[key] = f"{get_column_letter(cols[VALUE])}{row[0].row}"
        for name, column in fields.items():
            if column.required and name not in values and not self._reported(name, cells):
                place = f"{self.sheet.name}!{cells[name]}" if name in cells else self.sheet.name
                self.problems.append(error("missing-value", place, f"缺少必填项“{name}”"))
        return Record(self.sheet.name, MappingProxyType(values), MappingProxyType(cells))

    def _reported(self, name: str, cells: dict) -> bool:
        place = f"{self.sheet.name}!{cells.get(name)}"
        return any(p.location == place for p in self.problems)

    def table(self) -> tuple[Record, ...]:
        """Return the data rows of a table sheet, blank rows skipped, fill-down applied."""
        cols = self.columns(list(self.sheet.fields))
        present = [f for f in self.sheet.fields if f.name in cols]
        self._check_merges(cols)
        records: list[Record] = []
        above: dict[str, Any] = {}
        for row in self.ws.iter_rows(min_row=2):
            cells_by_col = {c.column: c for c in row}
            if all(_blank(cells_by_col[cols[f.name]].value) for f in present if cols[f.name] in cells_by_col):
                continue
            values: dict[str, Any] = {}
            where: dict[str, str] = {}
            row_number = row[0].row
            for column in present:
                cell = cells_by_col.get(cols[column.name])
                if cell is None:
                    continue
                self.value(column, cell, where, values)
                if column.fill_down and column.name not in values and column.name in above:
                    values[column.name] = above[column.name]
            for column in present:
                if column.required and column.name not in values and not self._reported(column.name, where):
                    self.problems.append(error(
                        "missing-value", f"{self.sheet.name}!{where.get(column.name, '')}",
                        f"“{column.name}”不能为空"))
            above = {f.name: values[f.name] for f in present if f.fill_down and f.name in values}
            records.append(Record(self.sheet.name, MappingProxyType(values), MappingProxyType(where), row_number))
        return tuple(records)

    def _check_merges(self, cols: dict[str, int]) -> None:
        allowed = {cols[f.name] for f in self.sheet.fields if f.name in cols and (f.fill_down or f.grouped)}
        for merged in self.ws.merged_cells.ranges:
            spans_rows = merged.max_row > merged.min_row and merged.max_row >= 2
            columns = set(range(merged.min_col, merged.max_col + 1))
            if spans_rows and not columns <= allowed:
                self.problems.append(error(
                    "merged-cells", f"{self.sheet.name}!{merged.coord}",
                    "合并单元格跨越多行数据：请取消合并，并在每一行填写"))


def load(path: Path) -> tuple[Workbook, list[Problem]]:
    """Return the workbook's typed records and every problem found reading it.

    Raises WorkbookError when the file is not a readable .xlsx at all.
    """
    book, uncached = open_workbook(path)
    problems: list[Problem] = []
    sheets = {_header(ws.title): ws for ws in book.worksheets}
    records: dict[str, Record] = {}
    tables: dict[str, tuple[Record, ...]] = {}
    for sheet in contract.SHEETS:
        ws = sheets.get(sheet.name)
        if ws is None:
            problems.append(error("missing-sheet", path.name,
                                  f"缺少工作表“{sheet.name}”（{sheet.hint}）：请从标准模板复制该工作表"))
            empty = Record(sheet.name, MappingProxyType({}))
            if sheet.key_value:
                records[sheet.name] = empty
            else:
                tables[sheet.name] = ()
            continue
        reader = _SheetReader(sheet, ws, uncached.get(ws.title, set()), problems)
        if sheet.key_value:
            records[sheet.name] = reader.key_values()
        else:
            tables[sheet.name] = reader.table()
    return Workbook(path.name, MappingProxyType(records), MappingProxyType(tables)), problems

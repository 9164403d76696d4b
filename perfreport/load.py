"""Read a workbook by the contract into typed, located records.

Columns are found by header text, blank rows are skipped, each cell is
typed by its column (perfreport.cellvalue), and every cell that cannot be
read becomes a Problem with its `sheet!cell`; reading goes on, so the user
sees every problem at once.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import contract
from .cellvalue import MAX_TEXT, CellError, clean_text, convert, not_applicable
from .contract import TOTAL_LABEL, Field, Kind, Sheet
from .errors import Problem, error, warning
from .models import Record, Workbook
from .names import key as _key
from .names import loose as _loose
from .names import match_sheets
from .names import visible as _visible
from .sheetxml import Cell, Grid, column_letter
from .xlsx import open_workbook

KEY, VALUE = "字段", "值"
FORMULA_TEXT = re.compile(r"[\uff01-\uff5e\u3000-\u303f≥≤×÷“”‘’…—]|\d[\u3400-\u9fff]")  # never in a formula
QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')


def _shown(value: Any) -> str:
    text = _visible(clean_text(str(value)).replace("\n", " "))
    return text if len(text) <= 30 else text[:30] + "…"


def _value(cell: Any) -> Any:
    """Return the value of a grid's cell, bare or a Cell."""
    return cell.value if cell.__class__ is Cell else cell


class _RowCells(Mapping):
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

    def __repr__(self) -> str:
        return repr(dict(self))


def _rows(grid: Grid) -> list[tuple[int, dict[int, Any]]]:
    """Return (row number, column number -> cell) for the rows below the header, in order."""
    return [(row, cells) for row, cells in sorted(grid.rows.items()) if row >= 2]


def _blank_row(cells: dict[int, Any], numbers: list[int]) -> bool:
    """Return whether a row holds nothing in the columns read (cellvalue.blank of each, without its calls)."""
    for number in numbers:
        value = cells.get(number)
        if value.__class__ is Cell:
            value = value.value
        if value is not None and (not isinstance(value, str) or clean_text(value)):
            return False
    return True


def _record(sheet: str, values: Mapping[str, Any], cells: Mapping[str, str], row: int) -> Record:
    """Return Record(sheet, values, cells, row), its fields set as its __init__ sets them, without the frozen
    class's object.__setattr__ for each (a fifth of reading a table of 100 times the sample's rows)."""
    record = object.__new__(Record)
    record.__dict__.update(sheet=sheet, values=values, cells=cells, row=row)
    return record


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
        keys = {n: _key(header[n].value) for n in sorted(header)}  # column -> its header as matched
        looks = {n: _loose(header[n].value) for n in keys}
        for name in names:
            exact = [n for n, typed in keys.items() if typed == name]
            similar = [n for n, seen in looks.items() if seen == name]
            if len(similar) > 1:
                cells = "、".join(header[n].coordinate for n in similar)
                self.problems.append(error(
                    "duplicate-column", f"{self.sheet.name}!{header[similar[1]].coordinate}",
                    f"第 1 行有 {len(similar)} 列表头都是“{name}”（{cells}），无法确定该读哪一列：请删除或改名多余的列"))
            if exact:
                found[name] = exact[0]
        unknown = "、".join(f"{header[n].coordinate}“{_shown(header[n].value)}”"
                           for n, typed in keys.items() if typed not in names | {"", "说明"})
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
            blank = not text or not_applicable(cell, column)
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
        spread = self._spread(cols)
        records: list[Record] = []
        above: dict[str, Any] = {}
        letters = {f.name: column_letter(cols[f.name]) for f in present}
        # A column's repeated text or number is converted once, its records sharing the value; not a bool
        # (True == 1.0), nor a zero (0.0 == -0.0, and a text column prints -0).
        read = [(f, f.name, cols[f.name], letters[f.name], f.fill_down, {}) for f in present]
        numbers = [cols[f.name] for f in present]
        required = [(f.name, letters[f.name]) for f in present if f.required]
        filled_down = [f.name for f in present if f.fill_down]
        sheet, uncached = self.sheet.name, self.uncached
        for row_number, cells_by_col in _rows(self.grid):
            if _blank_row(cells_by_col, numbers):
                continue
            values: dict[str, Any] = {}
            row = str(row_number)
            for column, name, number, letter, fills, known in read:
                cell = cells_by_col.get(number)
                if cell is None and spread:
                    cell = spread.get((row_number, number))
                if cell is None:  # blank: only a formula never calculated has something to say
                    value = self.value(column, letter + row, cell) if uncached else None
                else:
                    repeatable = cell.__class__ is str or (cell.__class__ is float and cell)
                    value = known.get(cell) if repeatable else None
                    if value is None:
                        value = self.value(column, letter + row, cell)
                        if value is not None and repeatable:
                            known[cell] = value
                if value is not None:
                    values[name] = value
                elif fills and name in above:
                    values[name] = above[name]
            for name, letter in required:
                if name not in values and not self._total_row(values):
                    place = f"{sheet}!{letter}{row}"
                    if place not in self.places:
                        self.problems.append(error("missing-value", place, f"“{name}”不能为空"))
            if filled_down:
                above = {name: values[name] for name in filled_down if name in values}
            records.append(_record(sheet, MappingProxyType(values), _RowCells(letters, row_number), row_number))
        return tuple(records)

    def _total_row(self, values: dict[str, Any]) -> bool:
        """Return whether the row is a typed 合计 row of a sheet that allows one: validate checks it, nothing is required."""
        return any(TOTAL_LABEL.match(str(values.get(name, "")).replace(" ", "")) for name in self.sheet.totals)

    def _spread(self, cols: dict[str, int]) -> dict[tuple[int, int], Any]:
        """Return (row, column) -> the top cell of a merged area over rows in a grouped column (问题组 over
        several questions holds for each of them, as Excel shows it), for the area's other cells."""
        grouped = {cols[f.name] for f in self.sheet.fields if f.name in cols and f.grouped and not f.fill_down}
        spread: dict[tuple[int, int], Any] = {}
        for merged in self.grid.merged:
            top = self.grid.rows.get(merged.min_row, {}).get(merged.min_col)
            if merged.min_row >= 2 and merged.min_col == merged.max_col and merged.min_col in grouped and top is not None:
                for row in range(max(merged.min_row + 1, 2), merged.max_row + 1):
                    spread[(row, merged.min_col)] = top
        return spread

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
        by_sheet = tabs[matched[sheet.name]] if sheet.name in matched else None
        if by_sheet is None:
            empty = Record(sheet.name, MappingProxyType({}))
            if sheet.key_value:
                records[sheet.name] = empty
            else:
                tables[sheet.name] = ()
            continue
        content, found = by_sheet[sheet.name]
        (records if sheet.key_value else tables)[sheet.name] = content
        problems.extend(found)
    return Workbook(path.name, MappingProxyType(records), MappingProxyType(tables)), problems

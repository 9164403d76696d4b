"""The cells `next-year` cleared that still wait for the new year's value, as problems.

next-year marks the cleared cells that must be filled again with names
scoped to their sheet, `待填_FIELD` (Excel and WPS keep a name pointing at
its cells when rows are inserted or deleted, and drop the cells deleted).
`check` reports each marked cell that is still blank, one problem per run of
cells in a column, so that it lists exactly what is left to fill; a marked
table left with no row at all is one problem for the sheet. A filled cell
needs nothing more: the names can stay.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from . import contract
from .errors import Problem, error, warning
from .names import key as sheet_name
from .models import Workbook
from .sheetxml import REFERENCE, column_letter, column_number, local, parse

MARK = "待填_"
CODE = "to-fill"
AREA = re.compile(r"(?:'((?:[^']|'')+)'|([^'!,]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def cells_of(text: str) -> list[tuple[str, str, int]]:
    """Return (sheet, column letters, row) of every cell a name's reference covers; #REF! parts are gone."""
    cells = []
    for match in AREA.finditer(text):
        quoted, plain, col1, row1, col2, row2 = match.groups()
        sheet = quoted.replace("''", "'") if quoted else plain.strip()
        col2, row2 = col2 or col1, row2 or row1
        for column in range(column_number(col1), column_number(col2) + 1):
            cells += [(sheet, column_letter(column), row) for row in range(int(row1), int(row2) + 1)]
    return cells


def _defined_names(path: Path) -> list[tuple[str, str]]:
    """Return (name, reference) of every defined name of the workbook at `path`, in one streaming pass."""
    names: list[tuple[str, str]] = []
    current: list[str] = []  # the name being read, then its text

    def start(name: str, attributes: dict) -> None:
        if local(name) == "definedName":
            current[:] = [attributes.get("name", ""), ""]

    def end(name: str) -> None:
        if local(name) == "definedName" and current:
            names.append((current[0], current[1]))
            current.clear()

    def text(data: str) -> None:
        if current:
            current[1] += data

    with zipfile.ZipFile(path) as archive, archive.open("xl/workbook.xml") as part:
        parse(part, start, end, text)
    return names


def marks(path: Path) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Return (contract sheet, field) -> marked cells [(column, row)] of the workbook at `path`."""
    try:
        defined = _defined_names(path)
    except Exception:  # noqa: BLE001 - the file was read by load already; a doubt here means no marks
        return {}
    found: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for label, reference in defined:
        if not label.startswith(MARK):
            continue
        for sheet, column, row in cells_of(reference):
            found.setdefault((sheet_name(sheet), label[len(MARK):]), []).append((column, row))
    return found


def _runs(cells: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Return the cells as runs of consecutive rows in one column, in column then row order."""
    runs: list[list[tuple[str, int]]] = []
    for column, row in sorted(set(cells), key=lambda c: (column_number(c[0]), c[1])):
        if runs and runs[-1][-1] == (column, row - 1):
            runs[-1].append((column, row))
        else:
            runs.append([(column, row)])
    return runs


def _blank_cells(workbook: Workbook, sheet: contract.Sheet, field: str,
                 cells: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if sheet.key_value:
        record = workbook.records[sheet.name]
        ref = record.cells.get(field)
        if ref is None or record[field] is not None:
            return []
        column, row = REFERENCE.match(ref).groups()
        return [(column, int(row))]
    rows = {r.row: r for r in workbook.tables[sheet.name]}
    return [(column, row) for column, row in cells if row in rows and rows[row][field] is None]


def unfilled(path: Path, workbook: Workbook, found: list[Problem]) -> list[Problem]:
    """Return a problem for every marked cell of `workbook` still blank, unless `found` has one there."""
    year = workbook.info("评价年度")
    what = f"{year}年度的" if year else ""
    reported = {p.location for p in found}
    problems: list[Problem] = []
    emptied: set[str] = set()
    for (sheet_title, field), cells in marks(path).items():
        sheet = contract.SHEET.get(sheet_title)
        if sheet is None or all(f.name != field for f in sheet.fields):
            problems.append(warning(CODE, sheet_title, f"名称“{MARK}{field}”标记的“{field}”不是该工作表约定的列，已忽略"))
            continue
        if not sheet.key_value and not workbook.tables[sheet.name]:
            if sheet.name not in emptied:
                emptied.add(sheet.name)
                problems.append(error(CODE, sheet.name, f"待填写{what}数据：上年的数据已由 next-year 清空，本表还没有任何一行"
                                      f"（本年度确实没有时，在“公式→名称管理器”中删除本表的“{MARK}…”名称）"))
            continue
        blank = [c for c in _blank_cells(workbook, sheet, field, cells) if f"{sheet.name}!{c[0]}{c[1]}" not in reported]
        for run in _runs(blank):
            start, end = f"{run[0][0]}{run[0][1]}", f"{run[-1][0]}{run[-1][1]}"
            where = f"{sheet.name}!{start}" + (f":{end}" if len(run) > 1 else "")
            count = f"（{len(run)} 个单元格）" if len(run) > 1 else ""
            problems.append(error(CODE, where, f"待填写{what}“{field}”{count}：上年的值已由 next-year 清空"))
    return problems

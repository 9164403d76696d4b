"""Problems found in a workbook, as data.

A problem carries a stable code, a severity, the place (`sheet!cell`, a sheet,
or the file) and a Chinese message saying what was found and what is expected.
Errors stop the report, warnings are inconsistencies the report prints anyway,
hints are suggestions `check` shows (a typed number `{名称}` would keep current)
that count as neither.
Stages collect problems instead of raising, so the user sees all of them at
once; only a file that cannot be opened at all stops the pipeline early.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
WHOLE = 10**7  # past the last row and column of any sheet


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    HINT = "hint"


LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.HINT: "提示"}


@dataclass(frozen=True)
class Problem:
    """One problem: its stable code, severity, place and message; printed as a line of `check`."""

    code: str
    severity: Severity
    location: str  # "复评项目!E7", "复评项目", or the file name
    message: str

    def __str__(self) -> str:
        return f"{LABELS[self.severity]} [{self.code}] {self.location}：{self.message}"

    def as_dict(self) -> dict[str, str]:
        """Return the problem as the JSON object `check --json` prints."""
        return {"code": self.code, "location": self.location, "message": self.message}


def error(code: str, location: str, message: str) -> Problem:
    return Problem(code, Severity.ERROR, location, message)


def warning(code: str, location: str, message: str) -> Problem:
    return Problem(code, Severity.WARNING, location, message)


def hint(code: str, location: str, message: str) -> Problem:
    return Problem(code, Severity.HINT, location, message)


def _cell(ref: str) -> tuple[int, int] | None:
    match = CELL.match(ref)
    if not match:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def area(location: str) -> tuple[str, tuple[int, int, int, int]]:
    """Return the sheet of a location and its (first row, first column, last row, last column).

    `复评项目!E7` is one cell, `指标体系!D2:D31` a range, `指标体系!1` the header
    row; a bare sheet name (or the file's name) has the area (0, 0, 0, 0), before
    every cell, so it sorts first and overlaps nothing.
    """
    sheet, _, ref = location.partition("!")
    if ref.isdigit():
        return sheet, (int(ref), 0, int(ref), WHOLE)
    first, _, last = ref.partition(":")
    start, end = _cell(first), _cell(last or first)
    if start is None or end is None:
        return sheet, (0, 0, 0, 0)
    return sheet, (start[0], start[1], end[0], end[1])


def overlaps(one: str, other: str) -> bool:
    """Return whether two locations share a cell (a bare sheet overlaps only itself)."""
    if one == other:
        return True
    (sheet, a), (sheet2, b) = area(one), area(other)
    return sheet == sheet2 and a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3] and a[0] > 0


class Places:
    """Where some problems sit, asked in constant time per cell whether a location overlaps one of them.

    The same answer as `overlaps` against each problem in turn, without the
    quadratic cost: a workbook of 100,000 blank cells has 100,000 problems.
    """

    def __init__(self, problems: list[Problem]):
        self.names: set[str] = set()  # every location as written (a bare sheet overlaps only itself)
        self.cells: dict[str, set[tuple[int, int]]] = {}
        self.ranges: dict[str, list[tuple[int, int, int, int]]] = {}
        for problem in problems:
            self.names.add(problem.location)
            sheet, (row, column, last_row, last_column) = area(problem.location)
            if row == 0:
                continue
            if (row, column) == (last_row, last_column):
                self.cells.setdefault(sheet, set()).add((row, column))
            else:
                self.ranges.setdefault(sheet, []).append((row, column, last_row, last_column))

    def overlap(self, location: str) -> bool:
        """Return whether `location` shares a cell with one of the problems (or is written as one is)."""
        if location in self.names:
            return True
        sheet, (row, column, last_row, last_column) = area(location)
        if row == 0:
            return False
        if any(row <= b[2] and b[0] <= last_row and column <= b[3] and b[1] <= last_column
               for b in self.ranges.get(sheet, ())):
            return True
        cells = self.cells.get(sheet, set())
        if (last_row - row + 1) * (last_column - column + 1) <= len(cells):
            return any((r, c) in cells for r in range(row, last_row + 1) for c in range(column, last_column + 1))
        return any(row <= r <= last_row and column <= c <= last_column for r, c in cells)


class WorkbookError(Exception):
    """The workbook cannot be read at all (not an .xlsx, encrypted, damaged …)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class OutputError(Exception):
    """The report cannot be written where asked; the message is for the user."""

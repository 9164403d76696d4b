"""Lay the summary's tables out as a workbook: header, formats, widths, filters, grade colours.

Each DataFrame becomes one sheet: a bold, frozen header with an autofilter,
the number format its `attrs["formats"]` names for each column, widths from
the longest value. On the first sheet the 等级 cells are coloured by the
grade's place in the workbook's own bands (conditional formats over the
等级位次 and 等级数 columns, which are hidden): the best grade green, the
lowest red, those between amber; a workbook with errors shows its 错误数 in red.
"""
from __future__ import annotations

import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .output import write_atomically
from .sheetxml import parse
from .summarybook import GRADE, LEVELS, RANK, SHEETS, TEXT, Entry, collect, tables
from .xlsxwrite import fit_columns, workbook_bytes

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
BEST = (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100"))
MIDDLE = (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700"))
LOWEST = (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006"))
ERROR_FONT = Font(color="9C0006", bold=True)
FROZEN_COLUMNS = {SHEETS[0]: 2, SHEETS[1]: 0, SHEETS[2]: 2, SHEETS[3]: 2}  # identifying columns kept in view
LONG_TEXT = 60  # wider than this, a column wraps
CREATOR = "perfreport summary"
DC_CREATOR = "http://purl.org/dc/elements/1.1/}creator"  # as sheetxml.parse names it: uri}name
UNDATED = datetime(2000, 1, 1)  # the summary's date when no workbook gives a 报告日期


def _shown(value: object, number_format: str) -> object:
    """Return roughly what Excel shows for a value, to size its column."""
    if isinstance(value, Decimal):
        return f"{value:,.2%}" if number_format.endswith("%") else f"{value:,.2f}"
    return value


def _sheet(book: Workbook, name: str, frame) -> None:
    ws = book.create_sheet(name)
    formats = frame.attrs["formats"]
    columns = list(frame.columns)
    ws.append(columns)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    shown: list[list[object]] = [columns]
    for values in frame.itertuples(index=False, name=None):
        row = list(values)
        ws.append(row)
        for cell, column in zip(ws[ws.max_row], columns):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, even when it starts with "="
            cell.number_format = formats[column] if cell.value is not None and formats[column] != TEXT else "General"
        shown.append([_shown(v, formats[c]) for v, c in zip(row, columns)])
    fit_columns(ws, shown)
    for number, column in enumerate(columns, 1):
        if ws.column_dimensions[get_column_letter(number)].width >= LONG_TEXT:
            for (cell,) in ws.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.alignment = WRAP
    ws.freeze_panes = ws.cell(row=2, column=FROZEN_COLUMNS.get(name, 0) + 1)
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"


def _grade_colours(ws, frame) -> None:
    """Colour 等级 by its rank in the workbook's own bands; mark error counts; hide the rank columns."""
    if not len(frame):
        return
    letter = {c: get_column_letter(n) for n, c in enumerate(frame.columns, 1)}
    last = len(frame) + 1
    rank, levels = f"${letter[RANK]}2", f"${letter[LEVELS]}2"
    rules = ((BEST, f"{rank}=1"), (LOWEST, f"AND({rank}={levels},{levels}>1)"),
             (MIDDLE, f"AND({rank}>1,{rank}<{levels})"))
    for (fill, font), formula in rules:
        ws.conditional_formatting.add(f"{letter[GRADE]}2:{letter[GRADE]}{last}",
                                      FormulaRule(formula=[formula], fill=fill, font=font, stopIfTrue=True))
    ws.conditional_formatting.add(f"{letter['错误数']}2:{letter['错误数']}{last}",
                                  CellIsRule(operator="greaterThan", formula=["0"], font=ERROR_FONT))
    for column in (RANK, LEVELS):
        ws.column_dimensions[letter[column]].hidden = True


def summary_workbook(frames: dict) -> Workbook:
    """Return the summary workbook of `frames` (sheet name -> DataFrame, from summarybook.tables)."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in frames.items():
        _sheet(book, name, frame)
    _grade_colours(book[SHEETS[0]], frames[SHEETS[0]])
    book.active = 0
    book.properties.title = "部门整体绩效评价汇总"
    return book


def summary_bytes(frames: dict, stamp: datetime) -> bytes:
    """Return the summary workbook as .xlsx bytes, dated `stamp`: the same bytes for the same input."""
    return workbook_bytes(summary_workbook(frames), stamp, CREATOR, CREATOR)


def _stamp(entries: list[Entry]) -> datetime:
    """Return the latest 报告日期 of the workbooks: a date that depends on the input only."""
    dates = [d for d in (e.info.get("报告日期") for e in entries) if d is not None]
    latest = max(dates, key=lambda d: (d.year, d.month, d.day or 1), default=None)
    return UNDATED if latest is None else datetime(latest.year, latest.month, latest.day or 1)


def is_summary(path: Path) -> bool:
    """Return whether `path` is a summary perfreport wrote (so `summary *.xlsx` skips it)."""
    creators: list[str] = []
    inside: list[bool] = []

    def start(name: str, attributes: dict) -> None:
        inside[:] = [name == DC_CREATOR]
        if inside[0]:
            creators.append("")

    def text(data: str) -> None:
        if inside and inside[0]:
            creators[-1] += data

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 2**16:
                return False
            with archive.open(info) as part:
                parse(part, start, lambda name: inside.clear(), text)
    except Exception:  # noqa: BLE001 - anything unreadable is not our summary; check says what it is
        return False
    return creators == [CREATOR]


def write_summary(paths: Iterable[Path | str], output: Path | str, *, force: bool = False,
                  reports: Mapping[str, str | None] | None = None) -> tuple[list[Entry], list[Path]]:
    """Check every workbook and write the summary to `output`; return the entries and the paths skipped.

    Skipped are `output` itself and other summaries perfreport wrote, which a
    `*.xlsx` pattern also matches. Written atomically: an existing file is
    replaced only with `force` (then kept as NAME.bak.xlsx); raises OutputError.
    """
    output = Path(output)
    given = [Path(p) for p in paths]
    skipped = [p for p in given if (output.exists() and p.exists() and p.samefile(output)) or is_summary(p)]
    entries = collect([p for p in given if p not in skipped], reports)
    write_atomically(summary_bytes(tables(entries), _stamp(entries)), output, force)
    return entries, skipped

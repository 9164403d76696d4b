"""Next year's workbook from this year's (`perfreport next-year`).

The workbook is edited in place with openpyxl, so the consultant's formats,
widths, drop-downs, comments and extra sheets stay; every field is treated
as yearpolicy.POLICY says. Values are read by the loader (typed, with their
cells) before anything changes. Cleared cells are highlighted, those needed
again are marked for `check` (unfilled.py), and a first sheet
“YYYY年度填写说明” lists what was done and what to fill. A formula is never
cleared: it computes the new year's value from the cells it refers to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

from . import contract
from .contract import Kind
from .errors import OutputError, WorkbookError
from .names import key as sheet_name
from .load import load
from .models import Record, Workbook
from .output import write_atomically
from .unfilled import MARK, unfilled
from .sheetxml import REFERENCE, column_number
from .xlsxwrite import fit_columns, workbook_bytes
from .yearpolicy import KEEP, POLICY, SHIFT, ByRow, Policy

CLEARED = PatternFill("solid", fgColor="FFF2CC")  # light yellow: this year's value removed
UPDATED = PatternFill("solid", fgColor="E2EFDA")  # light green: written by next-year
NOTE = re.compile(r"^\d{4}年度填写说明$")
KEY, VALUE = "字段", "值"
TOOL = "perfreport next-year"


class NextYearError(Exception):
    """The next year's workbook cannot be made; the message is for the user."""


@dataclass
class Change:
    """What next-year did to one field: its cells, and those `check` lists until filled."""

    sheet: str
    field: str
    what: str  # as the 填写说明 prints it
    cleared: bool = False  # this year's values removed (else: values written)
    cells: list[str] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)


@dataclass
class NextYear:
    """The outcome: the years, the file written and every change."""

    year: int
    output: Path
    changes: list[Change]
    shifted: tuple[int | None, int] | None = None  # 收支决算: the year dropped, the year added

    @property
    def cleared(self) -> int:
        return sum(len(c.cells) for c in self.changes if c.cleared)

    @property
    def to_fill(self) -> int:
        return sum(len(c.to_fill) for c in self.changes)


def default_target(source: Path, year: int) -> Path:
    """Return where next year's workbook goes: the name with the year moved on, else NAME_YEAR.xlsx."""
    stem = source.stem
    if str(year) in stem:
        head, _, tail = stem.rpartition(str(year))
        return source.with_name(f"{head}{year + 1}{tail}.xlsx")
    return source.with_name(f"{stem}_{year + 1}.xlsx")


def _held(cell) -> bool:
    return cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip())


class _Editor:
    """Applies the policies to one openpyxl workbook, recording every change."""

    def __init__(self, book, workbook: Workbook, year: int):
        self.book, self.workbook, self.year = book, workbook, year
        self.sheets = {sheet_name(ws.title): ws for ws in book.worksheets}
        self.changes: dict[tuple[str, str, str], Change] = {}
        self.shifted: tuple[int | None, int] | None = None

    def change(self, sheet: str, name: str, what: str, cleared: bool = False) -> Change:
        return self.changes.setdefault((sheet, name, what), Change(sheet, name, what, cleared))

    def clear(self, sheet: str, ws, name: str, ref: str, policy: Policy) -> None:
        cell = ws[ref]
        if isinstance(cell, MergedCell) or cell.data_type == "f" or not _held(cell):
            return  # nothing to clear; a formula computes next year's value itself
        cell.value = None
        cell.fill = CLEARED
        change = self.change(sheet, name, "已清空，须填写" if policy.fill else "已清空，如适用请填写", cleared=True)
        change.cells.append(ref)
        if policy.fill:
            change.to_fill.append(ref)

    def apply(self, policy: Policy, sheet: str, ws, name: str, record: Record) -> None:
        ref = record.cells.get(name)
        if policy.action == "clear" and ref:
            self.clear(sheet, ws, name, ref, policy)
        elif policy.action == "next" and ref:
            ws[ref].value = self.year + 1
            ws[ref].fill = UPDATED
            self.change(sheet, name, f"已改为 {self.year + 1}").cells.append(ref)
        elif policy.action == "previous" and (ref := ref or self._new_key(ws, name)):
            ws[ref].value = record[policy.source]
            ws[ref].fill = UPDATED
            self.change(sheet, name, f"已填入上年的“{policy.source}”").cells.append(ref)

    def _new_key(self, ws, name: str) -> str | None:
        """Add a 字段/值 row for `name` at the end of a key-value sheet; return its value cell.

        None when the sheet has no 字段/值 header (check reports that already).
        """
        header = {str(c.value).strip(): c.column_letter for c in ws[1] if c.value is not None}
        if KEY not in header or VALUE not in header:
            return None
        row = ws.max_row + 1
        ws[f"{header[KEY]}{row}"] = name
        return f"{header[VALUE]}{row}"

    def key_values(self, sheet: contract.Sheet, ws) -> None:
        record = self.workbook.records[sheet.name]
        for f in sheet.fields:
            self.apply(POLICY[sheet.name][f.name], sheet.name, ws, f.name, record)

    def table(self, sheet: contract.Sheet, ws) -> None:
        policies = POLICY[sheet.name]
        for record in self.workbook.tables[sheet.name]:
            for f in sheet.fields:
                policy = policies[f.name]
                if isinstance(policy, ByRow):
                    policy = policy.pick(record[policy.field])
                if policy is not KEEP:
                    self.apply(policy, sheet.name, ws, f.name, record)

    def shift(self, sheet: contract.Sheet, ws) -> None:
        """Drop the oldest year, keep the others, add an empty row for the new year, in the sheet's order."""
        records = self.workbook.tables[sheet.name]
        year_field = next(f.name for f in sheet.fields if f.kind is Kind.YEAR)
        new = self.year + 1
        if not records or any(r[year_field] == new for r in records):
            return
        undated = next((r for r in records if r[year_field] is None), None)
        if undated is not None:
            raise NextYearError(f"{undated.where(year_field)}：没有年度，无法顺延收支决算：请先填写或删除这一行")
        by_year = sorted(records, key=lambda r: (r[year_field], r.row))
        rows = [r[year_field] for r in sorted(records, key=lambda r: r.row)]
        layout = by_year[1:] + [None]  # oldest first, as the sample and init lay it out …
        if len(rows) > 1 and rows == sorted(rows, reverse=True):
            layout.reverse()  # … or newest first, when the sheet has it so
        columns = {name: REFERENCE.match(ref).group(1) for r in records for name, ref in r.cells.items()}
        for slot, source in zip(sorted(r.row for r in records), layout):
            for name, column in columns.items():
                cell = ws[f"{column}{slot}"]
                if source is not None:
                    cell.value = source[name]
                elif name == year_field:
                    cell.value, cell.fill = new, UPDATED
                    self.change(sheet.name, name, f"新增 {new} 年一行").cells.append(cell.coordinate)
                else:
                    cell.value, cell.fill = None, CLEARED
                    change = self.change(sheet.name, name, f"已清空，须填写 {new} 年的值", cleared=True)
                    change.cells.append(cell.coordinate)
                    if any(r[name] is not None for r in by_year[1:]):
                        change.to_fill.append(cell.coordinate)
        self.shifted = (by_year[0][year_field], new)

    def run(self) -> None:
        for sheet in contract.SHEETS:
            ws = self.sheets.get(sheet.name)
            if ws is None:
                continue
            if sheet.key_value:
                self.key_values(sheet, ws)
            elif all(POLICY[sheet.name][f.name] is SHIFT for f in sheet.fields):
                self.shift(sheet, ws)
            else:
                self.table(sheet, ws)

    def mark(self) -> None:
        """Name the cells to fill, one name per field on its sheet: 待填_FIELD (see unfilled.py)."""
        for change in self.changes.values():
            if not change.to_fill:
                continue
            ws = self.sheets[change.sheet]
            title = ws.title.replace("'", "''")
            areas = ",".join(f"'{title}'!{area}" for area in _areas(change.to_fill, absolute=True))
            name = f"{MARK}{change.field}"
            old = ws.defined_names.get(name)
            text = f"{old.attr_text},{areas}" if old is not None else areas
            ws.defined_names[name] = DefinedName(name, attr_text=text)


def _areas(refs: list[str], absolute: bool = False) -> list[str]:
    """Return the cells as areas of consecutive rows per column: E2:E58, H4 ($E$2:$E$58 when absolute)."""
    cells = sorted({(column_number(c), c, int(r)) for c, r in (REFERENCE.match(ref).groups() for ref in refs)})
    runs: list[list[tuple[int, str, int]]] = []
    for cell in cells:
        if runs and runs[-1][-1][0] == cell[0] and runs[-1][-1][2] == cell[2] - 1:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    sign = "$" if absolute else ""
    return [f"{sign}{run[0][1]}{sign}{run[0][2]}" + (f":{sign}{run[-1][1]}{sign}{run[-1][2]}" if len(run) > 1 else "")
            for run in runs]


def _clean(book) -> None:
    """Drop what an earlier next-year run added: its 填写说明 sheet and its marks."""
    for ws in list(book.worksheets):
        if NOTE.match(ws.title):
            book.remove(ws)
    for ws in book.worksheets:
        for name in [n for n in ws.defined_names if n.startswith(MARK)]:
            del ws.defined_names[name]
    for name in [n for n in book.defined_names if n.startswith(MARK)]:
        del book.defined_names[name]


GUIDE = (
    "本工作簿由 perfreport next-year 根据 {source}（{year}年度）生成，评价年度已改为 {new}。",
    "沿用上年的内容：指标体系（一级至三级指标、分值、指标解释、评价标准、评分方式及其他非年度列）、部门职责和职责目标、"
    "绩效指标名称、问卷题目和选项、评价工作组、评价机构和委托单位信息等。请核对是否仍然适用。",
    "浅黄色底：上年的本年度数据，已清空，请填写 {new} 年度的值。浅绿色底：next-year 已写入（评价年度、上年数据、收支决算的新年度）。",
    "运行  perfreport check 工作簿.xlsx  可按工作表列出仍待填写的单元格（代码 to-fill）；都填写后再列出其他问题。"
    "表格中用不到的行（如复评项目、文字中多出的段落）请整行删除。",
)
HEADER = ("工作表", "字段", "处理", "单元格", "check 列出待填写")


def _guide(book, result: NextYear, source: Path) -> None:
    ws = book.create_sheet(f"{result.year + 1}年度填写说明", 0)
    ws.sheet_properties.tabColor = "FFC000"
    ws["A1"] = f"{result.year + 1}年度工作簿 · 填写说明"
    ws["A1"].font = Font(bold=True, size=14)
    lines = [text.format(source=source.name, year=result.year, new=result.year + 1) for text in GUIDE]
    if result.shifted:
        lines.append(f"收支决算：已删除 {result.shifted[0]} 年一行，其余年度保留，新增 {result.shifted[1]} 年一行待填写。")
    for row, text in enumerate(lines, start=2):
        ws.cell(row=row, column=1, value=f"{row - 1}. {text}")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADER))
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 32
    top = len(lines) + 3
    rows = [list(HEADER)] + [[c.sheet, c.field, c.what, "、".join(_areas(c.cells)),
                              "、".join(_areas(c.to_fill)) if c.to_fill else "否"] for c in result.changes]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=top + offset, column=column, value=value)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if offset == 0:
                cell.font = Font(bold=True)
    fit_columns(ws, rows, maximum=40)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 14)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    book.active = 0


def make_next_year(source: Path | str, output: Path | str | None = None, *, force: bool = False) -> NextYear:
    """Write next year's workbook from `source` and return what was done.

    Raises NextYearError when the source cannot be read or has no 评价年度,
    OutputError when the result cannot be written (an existing file is
    replaced only with `force`, and kept as NAME.bak.xlsx).
    """
    source = Path(source)
    try:
        workbook, _ = load(source)
    except WorkbookError as exc:
        raise NextYearError(str(exc.problem)) from None
    year = workbook.info("评价年度")
    if not isinstance(year, int):
        raise NextYearError(f"{workbook.records['基本信息'].where('评价年度')}：缺少评价年度（四位年份），无法推算下一年度")
    waiting = unfilled(source, workbook, [])
    if waiting:
        raise NextYearError(f"{source.name} 是 next-year 生成的 {year} 年度工作簿，还有 {len(waiting)} 处待填写"
                            f"（如 {waiting[0].location}）：请先填写 {year} 年度的数据")
    target = Path(output) if output else default_target(source, year)
    if target.suffix.lower() != ".xlsx":
        raise OutputError(f"{target.name}：工作簿应保存为 .xlsx 文件")
    if target.exists() and target.resolve() == source.resolve():
        raise OutputError(f"{target} 就是原工作簿：请给出另一个文件名")
    book = load_workbook(source, rich_text=True)
    _clean(book)
    editor = _Editor(book, workbook, year)
    editor.run()
    editor.mark()
    result = NextYear(year, target, list(editor.changes.values()), editor.shifted)
    _guide(book, result, source)
    write_atomically(workbook_bytes(book, datetime(year + 1, 1, 1), TOOL), target, force)
    return result

"""散总一致: every printed total against its printed parts, and the workbook's totals against theirs.

Tables: a row labelled 合计/小计/总计/总分/综合得分 equals, column by column, the rows above it up to
the block's header (the nearest row without numbers, or the previous total row); a column
headed 合计 equals, row by row, the numbers left of it (the first column is the row's label).
Only columns whose total is a plain number are added (rates and grades are not sums);
`——` counts 0. Sentences: perfreport.quality.sums. The workbook: the cross-checks of group
散总一致 (perfreport.crosscheck), as `check` runs them.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from ..crosscheck import evaluate
from ..fmt import amount
from .document import Table
from .model import Finding, Subject
from .sums import sums

TOTAL_WORDS = ("合计", "小计", "总计", "总分", "综合得分")
PLAIN = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
BLANKS = ("", "—", "——", "-", "/")
ZERO = Decimal(0)


def _value(cell: str) -> Decimal | str:
    """A cell as a number: Decimal, ZERO for a blank or dash, "" for anything else (text, a rate)."""
    text = cell.strip()
    if text in BLANKS:
        return ZERO
    return Decimal(text.replace(",", "")) if PLAIN.match(text) else ""


def _is_total(row: tuple[str, ...]) -> bool:
    return any(c.strip() in TOTAL_WORDS for c in row[:3])


def _has_numbers(row: tuple[str, ...]) -> bool:
    return any(c.strip() not in BLANKS and isinstance(_value(c), Decimal) for c in row)


def _total_rows(table: Table) -> Iterator[Finding]:
    rows, header = table.rows, table.rows[0] if table.rows else ()
    start = 0
    for i, row in enumerate(rows):
        if not _is_total(row):
            if not _has_numbers(row):
                start, header = i + 1, row
            continue
        body = [r for r in rows[start:i] if not _is_total(r)] or [r for r in rows[start:i]]
        start = i + 1
        label = next(c.strip() for c in row[:3] if c.strip() in TOTAL_WORDS)
        checked, wrong = [], []
        for c, cell in enumerate(row):
            total = _value(cell)
            if cell.strip() in BLANKS or not isinstance(total, Decimal):
                continue
            values = [_value(r[c]) if c < len(r) else ZERO for r in body]
            if not body or any(not isinstance(v, Decimal) for v in values):
                continue
            name = header[c].strip() if c < len(header) and header[c].strip() else f"第{c + 1}列"
            parts = sum(values, ZERO)
            (checked if parts == total else wrong).append((name, total, parts))
        if checked or wrong:
            yield _finding(table.where, f"{label}行", checked, wrong, "各行之和")


def _total_columns(table: Table) -> Iterator[Finding]:
    for h, header in enumerate(table.rows):
        columns = [c for c, cell in enumerate(header) if c > 1 and cell.strip() == "合计"]
        if not columns or _has_numbers(header):
            continue
        c = columns[0]
        checked, wrong = [], []
        for row in table.rows[h + 1:]:
            if not _has_numbers(row):
                break
            values, total = [_value(x) for x in row[1:c]], _value(row[c])
            if not isinstance(total, Decimal) or row[c].strip() in BLANKS or any(
                    not isinstance(v, Decimal) for v in values):
                continue
            (checked if sum(values, ZERO) == total else wrong).append((row[0].strip(), total, sum(values, ZERO)))
        if checked or wrong:
            yield _finding(table.where, "合计列", checked, wrong, "同行各列之和")


def _finding(where: str, what: str, checked: list, wrong: list, parts: str) -> Finding:
    if wrong:
        detail = "；".join(f"“{name}” {amount(total)}，{parts} {amount(found)}，相差 {amount(abs(total - found))}"
                          for name, total, found in wrong)
        return Finding(False, where, f"{what}：{detail}")
    return Finding(True, where, f"{what}：{'、'.join(f'“{name}”' for name, _, _ in checked)} = {parts}")


def tables(subject: Subject) -> Iterator[Finding]:
    """Every table of the report with a 合计/小计 row or a 合计 column."""
    for table in subject.report.tables:
        yield from _total_rows(table)
        yield from _total_columns(table)


def _texts(subject: Subject) -> Iterator[tuple[str, str]]:
    """(where, text) of every paragraph and table cell outside the 目录, each cell once."""
    for p in subject.report.paragraphs:
        if p.zone != "目录" and p.text.strip():
            yield p.where, p.text
    for table in subject.report.tables:
        seen = set()
        for row in table.rows:
            for cell in row:
                if cell.strip() and cell not in seen:
                    seen.add(cell)
                    yield table.where, cell


def sentences(subject: Subject) -> Iterator[Finding]:
    """Every sentence stating a total and its parts (perfreport.quality.sums), wherever the report prints it."""
    for where, text in _texts(subject):
        for found in sums(text):
            excerpt = found.sentence.strip()
            excerpt = excerpt if len(excerpt) <= 60 else excerpt[:59] + "…"
            yield Finding(found.ok, where, f"{found.form}：{found.arithmetic}；“{excerpt}”")


def workbook(subject: Subject) -> Iterator[Finding]:
    """The cross-checks of group 散总一致 that could run on the workbook."""
    for outcome in evaluate(subject.checked):
        if outcome.check.group != "散总一致" or not outcome.ran:
            continue
        if not outcome.problems:
            yield Finding(True, "工作簿", outcome.check.what)
        for problem in outcome.problems:
            yield Finding(False, problem.location, problem.message)

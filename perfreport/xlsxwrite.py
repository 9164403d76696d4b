"""Write an openpyxl workbook as reproducible .xlsx bytes, and size its columns.

openpyxl stamps the save time into docProps/core.xml and every zip entry;
here the document dates are the caller's and every entry gets one fixed
time, so the same workbook always gives the same bytes.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
MIN_WIDTH, MAX_WIDTH = 6, 60


def display_width(value: object) -> int:
    """Return the display width of the longest line of `value` (CJK characters count twice)."""
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                for line in str(value).split("\n")), default=0)


def fit_columns(ws, rows: list[list[object]], minimum: int = MIN_WIDTH, maximum: int = MAX_WIDTH) -> None:
    """Set each column's width to its widest value in `rows` (header included), within bounds."""
    for number in range(1, max((len(r) for r in rows), default=0) + 1):
        widest = max((display_width(r[number - 1]) for r in rows
                      if len(r) >= number and r[number - 1] is not None), default=0)
        ws.column_dimensions[get_column_letter(number)].width = min(max(widest + 2, minimum), maximum)


def workbook_bytes(book: Workbook, stamp: datetime, modified_by: str, creator: str | None = None) -> bytes:
    """Return `book` as .xlsx bytes dated `stamp`, the same bytes for the same workbook.

    `creator` replaces the workbook's author when given; `modified_by` names the tool.
    """
    props = book.properties
    props.lastModifiedBy = modified_by
    if creator is not None:
        props.creator = creator
    props.created = props.modified = stamp
    props.revision = "1"  # with equal dates: a file perfreport may replace without keeping it twice (output.py)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not book.save(): that stamps the current time
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()

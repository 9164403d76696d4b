"""The regular-expression reader of common worksheets agrees with expat's callbacks, or leaves the sheet to them."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from perfreport import bookxml, sheetscan, sheetxml

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="urn:x"><dimension ref="A1:C3"/>'
ROWS = ('<row r="1" spans="1:3"><c r="A1" s="1" t="inlineStr"><is><t>&#24207;&#21495;</t></is></c>'
        '<c r="B1" t="s"><v>0</v></c><c r="C1" s="2"/></row>'
        '<row r="2"><c r="A2" s="2" t="n"><v>1.5</v></c><c r="B2" t="str"><f>A2&amp;"x"</f><v>a &amp; b</v></c>'
        '<c r="C2" s="3"><v>45000</v></c><c r="D2"><f t="shared" ref="D2:D3" si="0">A2*2</f></c>'
        '<c r="E2"><f>"&lt;"&amp;A2</f></c></row>'
        '<row r="3"><c r="A3" s="4"><v>0.25</v></c><c r="B3" t="inlineStr"><is><t xml:space="preserve"> x_x0041_ </t>'
        '</is></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3"><f t="shared" si="0"/><v></v></c></row>')
TAIL = '<mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells><pageMargins left="0.7"/></worksheet>'
KINDS = ["", "", "", "date", "percent"]


def _read(data: bytes, fast: bool, elements: int = 10**6, max_cells: int = 10**6):
    """Return what reading `data` gives, grid and counts or the exception, and whether the scan took it."""
    grid, budget, cells = sheetxml.Grid("表"), sheetxml.Budget(elements), [0]
    reader = sheetxml._SheetReader(grid, ["共享"], KINDS, False, cells, max_cells, sheetxml.MAX_AREA, budget)
    try:
        if fast:
            took = sheetscan.scan(io.BytesIO(data), reader.handlers()[3], grid, budget)
            return (grid.rows, grid.merged, grid.uncached, budget.left, cells[0]) if took else None
        start, end, text, _ = reader.handlers()
        sheetxml.parse(io.BytesIO(data), start, end, text, namespaces=False)
    except Exception as exc:  # what the callbacks raise is the answer to compare
        return type(exc), str(exc), getattr(exc, "cell", None)
    return grid.rows, grid.merged, grid.uncached, budget.left, cells[0]


def _both(data: bytes, **limits) -> tuple:
    return _read(data, True, **limits), _read(data, False, **limits)


def test_the_common_forms_are_read_as_the_callbacks_read_them():
    fast, slow = _both((HEAD + "<sheetData>" + ROWS + "</sheetData>" + TAIL).encode())
    assert fast == slow
    rows, merged, uncached = slow[:3]
    assert rows[2][2] == "a & b" and rows[3][2] == " xA " and uncached == {"D2": "A2*2", "D3": "", "E2": '"<"&A2'}
    assert rows[1][1].value == "序号" and merged[0].ref == "A2:A3" and rows[2][3].year == 2023


@pytest.mark.parametrize("chunk", [1, 7, 100])
def test_chunks_split_anywhere(monkeypatch, chunk):
    monkeypatch.setattr(sheetscan, "CHUNK", chunk)
    fast, slow = _both((HEAD + "<sheetData>" + ROWS * 1 + "</sheetData>" + TAIL).encode())
    assert fast == slow


def test_every_sheet_of_the_sample_is_read_by_the_scan():
    with zipfile.ZipFile(SAMPLE) as archive:
        kinds = bookxml.styles(archive.open("xl/styles.xml"), sheetxml.Budget(10**6))
        for name in (n for n in archive.namelist() if n.startswith("xl/worksheets/")):
            data = archive.read(name)
            global KINDS
            KINDS, saved = kinds, KINDS
            try:
                fast, slow = _both(data)
            finally:
                KINDS = saved
            assert fast == slow, name


@pytest.mark.parametrize("old,new", [
    ("<sheetData>", "<sheetData><!-- a comment -->"),  # comments, CDATA, prefixes: the callbacks' business
    ("<v>1.5</v>", "<v><![CDATA[1.5]]></v>"),
    ('<c r="A2" s="2" t="n">', '<c r="A2" t="n" s="2">'),
    ('<c r="A2" s="2" t="n">', "<c r='A2' s='2' t='n'>"),
    ("<is><t>&#24207;&#21495;</t></is>", "<is><r><t>&#24207;</t></r><r><t>&#21495;</t></r></is>"),
    ("<worksheet ", "<x:worksheet "),
    ('<c r="A2" s="2" t="n">', '<c r="A02" s="2" t="n">'),  # a reference not as _ref spells it
    ('<row r="2">', '<row r="0">'),  # problems, said by the callbacks
    ("<v>1.5</v>", "<v>abc</v>"),
    ('<c r="B1" t="s"><v>0</v>', '<c r="B1" t="s"><v>7</v>'),
    ('<mergeCell ref="A2:A3"/>', '<mergeCell ref="A2:ZZZZ3"/>'),
    ("</worksheet>", "</worksheet><oops>"),
    ('<c r="A3" s="4">', '<c r="A3" s="4"><c r="B9"/>'),
    ("<dimension", '<!DOCTYPE x [<!ENTITY a "b">]><dimension'),
])
def test_other_forms_and_problems_are_left_to_the_callbacks(old, new):
    data = (HEAD + "<sheetData>" + ROWS + "</sheetData>" + TAIL).replace(old, new, 1).encode()
    fast, slow = _both(data)
    assert fast is None
    grid, budget, cells = sheetxml.Grid("表"), sheetxml.Budget(10**6), [0]
    try:
        sheetxml.worksheet(io.BytesIO(data), grid, ["共享"], KINDS, False, cells, budget)
        through = grid.rows, grid.merged, grid.uncached, budget.left, cells[0]
    except Exception as exc:
        through = type(exc), str(exc), getattr(exc, "cell", None)
    assert through == slow


@pytest.mark.parametrize("limits", [{"elements": 20}, {"max_cells": 3}])
def test_a_limit_reached_is_said_by_the_callbacks(limits):
    data = (HEAD + "<sheetData>" + ROWS + "</sheetData>" + TAIL).encode()
    fast, slow = _both(data, **limits)
    assert fast is None and slow[0] is sheetxml.TooLarge


def test_whitespace_between_elements_and_line_ends_read_as_expat_gives_them():
    rows = ROWS.replace("<row", "\n  <row").replace("<c ", "\n    <c ").replace("a &amp; b", "a\r\nb\rc&#13;")
    fast, slow = _both((HEAD + "<sheetData>" + rows + "\n</sheetData>" + TAIL).encode())
    assert fast == slow and slow[0][2][2] == "a\nb\nc\r"

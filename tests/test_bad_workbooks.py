"""The bad-input corpus (tests/bad_workbooks): every case through `perfreport check` and `perfreport build`.

An error case exits 1 with a Chinese message naming the place (`sheet!cell`,
the sheet, or the file), no traceback, and writes nothing. The cases that are
not errors by design (README.md) exit 0: a warning naming the cell, or the
value read as documented, and the report is built.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from bad_workbooks.generate import CASES, ERROR, OK, WARNING, Case, make

from perfreport.load import load

README = Path(__file__).parent / "bad_workbooks" / "README.md"
SPEC_ERROR_KINDS = {  # SPEC section 6, each error kind and the code that reports it
    "missing sheet": "missing-sheet",
    "missing required column": "missing-column",
    "wrong type": "wrong-type",
    "duplicate 三级指标": "duplicate-indicator",
    "unknown 三级指标": "unknown-indicator",
    "weights that do not add up": "weights-mismatch",
    "手工 indicator with no 得分": "manual-score-missing",
    "得分 above its 分值": "score-out-of-range",
    "negative money": "negative-money",
    "division by zero": "division-by-zero",
    "unknown placeholder": "unknown-placeholder",
    "unknown table name": "unknown-table",
    "an .xls": "xls-file",
    "a password-protected file": "encrypted",
    "a damaged zip": "damaged-file",
}


def _value_at(path: Path, where: str, field: str):
    """Return the value the loader read for `field` at `where` (`sheet!cell`)."""
    sheet, cell = where.split("!")
    workbook, _ = load(path)
    if sheet in workbook.records:
        record = workbook.records[sheet]
    else:
        record = next(r for r in workbook.tables[sheet] if r.cells.get(field) == cell)
    assert record.cells.get(field) == cell
    return record[field]


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("case", [c for c in CASES if not c.hostile], ids=lambda c: c.name)
def test_case(case: Case, tmp_path, run_cli):
    """Every case but the hostile ones, which tests/test_hostile.py runs in a measured process of their own."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    outbox.mkdir()
    path, where = make(case, inbox)
    report = outbox / "report.docx"

    checked = run_cli("check", path)
    built = run_cli("build", path, "-o", report)

    for run in (checked, built):
        assert not run.traceback, run.output
    assert _only(inbox) == [path.name]  # check and build leave nothing beside the workbook
    label = "警告" if case.outcome == WARNING else "错误"
    if case.outcome == ERROR:
        assert checked.code == 1 and built.code == 1, checked.output
        assert f"{label} [{case.code}] {where}：" in checked.output, checked.output
        assert case.says in checked.output, checked.output
        assert re.search(r"[\u4e00-\u9fff]", case.says)
        assert _only(outbox) == []  # no report, no temporary file
        return
    assert checked.code == 0 and built.code == 0, checked.output + built.output
    assert "错误 [" not in checked.output
    if case.outcome == WARNING:
        assert f"{label} [{case.code}] {where}：" in checked.output, checked.output
        assert case.says in checked.output
    if case.reads:
        field, expected = case.reads
        value = _value_at(path, where, field)
        assert (str(value) if isinstance(expected, str) and value is not None else value) == expected
    assert _only(outbox) == ["report.docx"]
    with zipfile.ZipFile(report) as docx:
        assert docx.testzip() is None and "word/document.xml" in docx.namelist()


def test_the_corpus_is_large_and_covers_every_error_kind_of_the_spec():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)
    codes = {c.code for c in CASES if c.outcome == ERROR}
    assert {kind: code for kind, code in SPEC_ERROR_KINDS.items() if code not in codes} == {}
    assert {c.outcome for c in CASES} == {ERROR, WARNING, OK}
    assert any(c.code == "formula-no-cache" and c.outcome == ERROR for c in CASES)
    assert any(c.code == "formula-no-cache" and c.outcome == WARNING for c in CASES)


def test_the_readme_lists_every_case():
    text = README.read_text(encoding="utf-8")
    missing = [c.name for c in CASES if f"`{c.path_in(Path('.')).name}`" not in text]
    assert missing == []


# ---- beyond the corpus: a picture the workbook points at ------------------------------

def _png() -> bytes:
    """A 1×1 white PNG, written by hand."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff")) \
        + chunk(b"IEND", b"")


def _with_qr(sample: Path, folder: Path, picture: str) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(sample)
    ws = book["基本信息"]
    next(row for row in ws.iter_rows(min_row=2) if row[0].value == "二维码图片")[1].value = picture
    path = folder / "book.xlsx"
    book.save(path)
    return path


def test_a_qr_picture_is_found_beside_the_workbook_from_any_folder(sample, tmp_path, monkeypatch, run_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "qr.png").write_bytes(_png())
    path = _with_qr(sample, folder, "qr.png")
    monkeypatch.chdir(tmp_path)  # not the workbook's folder
    run = run_cli("build", path, "-o", tmp_path / "report.docx")
    assert run.code == 0, run.output
    with zipfile.ZipFile(tmp_path / "report.docx") as docx:
        assert any(name.startswith("word/media/") for name in docx.namelist())


def test_a_qr_file_that_is_not_a_picture_is_an_error_not_a_traceback(sample, tmp_path, run_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "qr.png").write_text("不是图片", encoding="utf-8")
    path = _with_qr(sample, folder, "qr.png")
    run = run_cli("build", path, "-o", tmp_path / "report.docx")
    assert run.code == 1 and not run.traceback, run.output
    assert "[not-an-image] 基本信息!B23：" in run.output and not (tmp_path / "report.docx").exists()


# ---- problems found across sheets, each at its cell ------------------------------------------

def _edited_sample(sample: Path, folder: Path, sheet: str, header: str, row: int, value) -> tuple[Path, str]:
    import openpyxl

    book = openpyxl.load_workbook(sample)
    ws = book[sheet]
    column = next(c.column for c in ws[1] if c.value == header)
    ws.cell(row, column).value = value
    path = folder / "book.xlsx"
    book.save(path)
    return path, f"{sheet}!{ws.cell(row, column).coordinate}"


CROSS_SHEET = {
    # a negative target cannot give a completion rate
    "negative_target": (("目标对比", "目标数值", 2, -3), "error", "目标对比!H2"),
    # 实有总数 no longer equals 实有_行政 + 实有_事业
    "staff_total_mismatch": (("部门概况", "值", 7, 0), "warning", "部门概况!B6"),
}


@pytest.mark.parametrize("name", CROSS_SHEET)
def test_cross_sheet_problems_are_reported_at_their_cell(name, sample, tmp_path, run_cli):
    edit, outcome, where = CROSS_SHEET[name]
    path, _ = _edited_sample(sample, tmp_path, *edit)
    run = run_cli("check", path)
    assert "internal-error" not in run.output
    assert run.code == (1 if outcome == "error" else 0)
    assert f"{'错误' if outcome == 'error' else '警告'} [" in run.output and f"] {where}：" in run.output


def test_docxtpl_and_excel_escapes_typed_in_a_cell_print_as_typed(sample, tmp_path, run_cli):
    """Before: `{_{ 7*7 }_}` printed as `{{ 7*7 }}` (docxtpl's escape applied to data) and `_x0041_` as `A`."""
    import openpyxl
    from bad_workbooks.generate import MARK, _edit_parts, _replace_mark

    book = openpyxl.load_workbook(sample)
    ws = book["评价工作组"]
    column = next(c.column for c in ws[1] if c.value == "任务分工")
    ws.cell(2, column).value = f"{{_{{ 7*7 }}_}} {MARK.format('X41')}"
    path = tmp_path / "book.xlsx"
    book.save(path)
    _edit_parts(path, lambda parts: _replace_mark(parts, "X41", b"_x005F_x0041_"))  # how Excel stores _x0041_
    report = tmp_path / "report.docx"
    run = run_cli("build", path, "-o", report)
    assert run.code == 0, run.output
    with zipfile.ZipFile(report) as docx:
        text = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode())
    assert "{_{ 7*7 }_} _x0041_" in text


def test_the_readme_states_every_declared_range():
    """The ranges line of the README names each field with bounds, and nothing else (the contract declares them)."""
    from perfreport.contract import SHEETS, Kind

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    line = re.search(r"- Ranges \(declared in the contract\):(.*?)A value outside", readme, re.S).group(1)
    line = " ".join(line.split())
    stated = {}
    for names, low, high in re.findall(r"((?:[^;:]+?))\s(\d+)%?–(\d+)%?", line):
        for name in re.findall(r"[\u4e00-\u9fff]+", names):
            stated.setdefault(name, set()).add((int(low), int(high)))
    declared = {}
    for sheet in SHEETS:
        for field in sheet.fields:
            if field.bounds:
                declared.setdefault(field.name, set()).add(field.bounds)
                assert field.kind in (Kind.PERCENT, Kind.NUMBER, Kind.MONEY, Kind.COUNT)
    assert {n: b for n, b in stated.items() if n in declared} == declared
    assert set(stated) - set(declared) <= {sheet.name for sheet in SHEETS}  # only sheets named besides

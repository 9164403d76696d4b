"""Write the bad-input corpus: one small function per case, each breaking one thing of the sample.

Every case starts from sample_workbooks/shizhong_gxj_2023.xlsx (or writes a
file that only pretends to be a workbook) and declares what perfreport must
answer: an error (exit 1, nothing written), a warning (exit 0) or a clean read
(exit 0, the value read as asserted), with the problem code, the place the
message names (`sheet!cell`, a sheet, or the file) and a fragment of the
Chinese message. tests/test_bad_workbooks.py runs every case through the CLI;
README.md beside this file lists them. Nothing binary is kept in git.

Usage:
    .venv/bin/python tests/bad_workbooks/generate.py OUTDIR     # write every case into OUTDIR
    .venv/bin/python tests/bad_workbooks/generate.py --table    # the README table, with the messages
"""
from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable
from xml.etree import ElementTree

import openpyxl
import openpyxl.styles

from perfreport.contract import SHEETS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
ERROR, WARNING, OK = "error", "warning", "ok"
MARK = "@@{}@@"  # ASCII text openpyxl writes as is, replaced in the saved XML


@dataclass(frozen=True)
class Case:
    """One corpus file and the answer perfreport must give for it."""

    name: str
    note: str  # what the case breaks, for the README
    write: Callable[[Path], str | None]  # writes the file; returns the place it broke
    outcome: str = ERROR
    code: str = ""  # the problem code expected (OK cases: none)
    where: str | None = None  # the place expected; None: what `write` returns, else the file name
    says: str = ""  # a fragment of the expected message
    reads: tuple[str, Any] | None = None  # OK cases: (field, value) read at the place written
    filename: str | None = None  # the file's name when it is not NAME.xlsx
    hostile: bool = False  # measured for time and memory in its own process (tests/test_hostile.py)

    def path_in(self, folder: Path) -> Path:
        """Return where the case's file goes in `folder`."""
        return folder / (self.filename or f"{self.name}.xlsx")


CASES: list[Case] = []


def make(case: Case, folder: Path) -> tuple[Path, str]:
    """Write `case` into `folder`; return its path and the place its message must name."""
    path = case.path_in(folder)
    where = case.write(path)
    return path, case.where or where or path.name


def by_name(name: str) -> Case:
    """Return the case called `name`."""
    return next(c for c in CASES if c.name == name)


def _doc(function: Callable) -> str:
    return " ".join((function.__doc__ or "").split())


def raw(name: str, **expect: Any) -> Callable:
    """Register `write(path) -> place` as the writer of case `name`."""
    def register(write: Callable[[Path], str | None]) -> Callable:
        CASES.append(Case(name, _doc(write), write, **expect))
        return write
    return register


def edited(name: str, then: Callable[[dict[str, bytes]], None] | None = None, **expect: Any) -> Callable:
    """Register `edit(book) -> place`: the sample opened with openpyxl, edited, saved.

    `then(parts)` may edit the saved zip's parts (name -> bytes) in place,
    for what openpyxl refuses to write (control characters, uncached formulas
    it would keep).
    """
    def register(edit: Callable[[openpyxl.Workbook], str | None]) -> Callable:
        def write(path: Path) -> str | None:
            book = openpyxl.load_workbook(SAMPLE)
            where = edit(book)
            book.save(path)
            if then is not None:
                _edit_parts(path, then)
            return where
        CASES.append(Case(name, _doc(edit), write, **expect))
        return edit
    return register


# ---- helpers -----------------------------------------------------------------

def _read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_parts(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _edit_parts(path: Path, edit: Callable[[dict[str, bytes]], None]) -> None:
    parts = _read_parts(path)
    edit(parts)
    _write_parts(path, parts)


def _sample_parts() -> dict[str, bytes]:
    return _read_parts(SAMPLE)


def _sheet_part(parts: dict[str, bytes], sheet: str) -> str:
    """Return the zip path of `sheet`'s XML, from xl/workbook.xml and its relationships."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    wanted = next(s.get(rid) for s in book.iter(f"{main}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == wanted)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _column(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def _cell(book, sheet: str, header: str, row: int = 2):
    """Return the cell of table `sheet` under `header` on Excel row `row`."""
    ws = book[sheet]
    return ws.cell(row, _column(ws, header))


def _field(book, sheet: str, name: str):
    """Return the 值 cell of field `name` in key-value `sheet`."""
    ws = book[sheet]
    row = next(c.row for c in ws["A"] if c.value == name)
    return ws.cell(row, _column(ws, "值"))


def _first_row(book, sheet: str, header: str, test: Callable[[Any], bool]) -> int:
    ws = book[sheet]
    column = _column(ws, header)
    return next(r for r in range(2, ws.max_row + 1) if test(ws.cell(r, column).value))


def _place(cell) -> str:
    return f"{cell.parent.title}!{cell.coordinate}"


def _set(cell, value: Any) -> str:
    cell.value = value
    return _place(cell)


def _replace_mark(parts: dict[str, bytes], mark: str, xml: bytes) -> None:
    token = MARK.format(mark).encode()
    for name, data in parts.items():
        if token in data:
            parts[name] = data.replace(token, xml)


# ---- OLE compound files (.xls, encrypted workbooks) ----------------------------

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(name: str, kind: int, child: int = NO_STREAM, right: int = NO_STREAM,
                     start: int = END, size: int = 0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NO_STREAM, right, child,
                       b"\0" * 16, 0, 0, 0, start, size)


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """Return an OLE compound file (version 3) holding `streams` under the root storage.

    Streams are padded to 4096 bytes so that all live in regular sectors (no
    mini stream); siblings are chained to the right, sorted as the format wants
    (shorter names first). Enough for a reader to find the streams by name.
    """
    streams = sorted(((n, d.ljust(4096, b"\0")) for n, d in streams), key=lambda s: (len(s[0]), s[0].upper()))
    fat: list[int] = []
    body = b""
    starts = []
    for _, data in streams:
        count = -(-len(data) // SECTOR)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [END]
        body += data.ljust(count * SECTOR, b"\0")
    entries = [_directory_entry("Root Entry", 5, child=1)]
    for number, ((name, data), start) in enumerate(zip(streams, starts), 1):
        right = number + 1 if number < len(streams) else NO_STREAM
        entries.append(_directory_entry(name, 2, right=right, start=start, size=len(data)))
    directory = b"".join(entries).ljust(-(-len(entries) // 4) * SECTOR, b"\0")
    directory_start = len(fat)
    directory_sectors = len(directory) // SECTOR
    fat += [directory_start + i + 1 for i in range(directory_sectors - 1)] + [END]
    fat_start = len(fat)
    fat.append(FAT_SECTOR)
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    difat = [fat_start] + [FREE] * 108
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("d0cf11e0a1b11ae1"), b"\0" * 16, 0x3E, 3,
                         0xFFFE, 9, 6, b"\0" * 6, 0, 1, directory_start, 0, 4096, END, 0, END, 0)
    header += struct.pack("<109I", *difat)
    return header + body + directory + fat_sector


def _biff_record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


# ---- zip written by hand (for the bomb: sizes zipfile would take minutes to compress) --

def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """Return a zip of (name, deflated data, crc32, size) entries, dated 1980-01-01."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in entries:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data), size,
                              len(encoded), 0) + encoded + data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(data),
                                  size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    directory = central.getvalue()
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), out.tell(), 0)
    return out.getvalue() + directory + end


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _padded(head: bytes, tail: bytes, padding: int, chunk: int = 16 * 2**20,
            filler: bytes | None = None) -> tuple[bytes, int, int]:
    """Return head + `padding` spaces (or copies of `filler`) + tail deflated, without compressing every copy.

    After a full flush the compressor starts afresh, so every chunk of spaces
    deflates to the same bytes: one chunk is compressed and repeated.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    spaces = filler if filler is not None else b" " * chunk
    chunk = len(spaces)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH) == block
    count = padding // chunk
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * count + last, crc, len(head) + count * chunk + len(tail)


LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE worksheet [\n <!ENTITY lol "lol">\n'
          + b"".join(b' <!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b"]>\n")


def entity_bomb(xml: bytes, padding: int = 0) -> bytes:
    """Return a sheet's XML with a billion-laughs DTD in front and &lol9; (10^9 "lol") in its first text."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    body = body.replace(b"<t>", b"<t>&lol9;", 1)
    return LAUGHS.replace(b"<!DOCTYPE", b"<!--" + b" " * padding + b"-->\n<!DOCTYPE") + body if padding \
        else LAUGHS + body


# ---- files that are not workbooks ------------------------------------------------

@raw("empty_file", code="empty-file", says="文件是空的（0 字节）")
def empty_file(path: Path) -> None:
    """A zero-byte file named .xlsx (a failed download or copy)."""
    path.write_bytes(b"")


@raw("csv_renamed", code="not-xlsx", says="可能是 CSV 或其他文件改了扩展名")
def csv_renamed(path: Path) -> None:
    """A CSV export renamed to .xlsx."""
    path.write_text("\ufeff序号,项目名称,预算\n1,2022年度功勋企业家,527.26\n", encoding="utf-8")


@raw("xls_file", filename="xls_file.xls", code="xls-file", says="旧版 Excel 97-2003 文件（.xls）")
def xls_file(path: Path) -> None:
    """An Excel 97-2003 .xls: an OLE compound file with a BIFF8 Workbook stream."""
    biff = _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)) \
        + _biff_record(0x000A, b"")
    path.write_bytes(compound_file([("Workbook", biff)]))


@raw("encrypted", code="encrypted", says="设置了打开密码")
def encrypted(path: Path) -> None:
    """A workbook saved with an open password: an OLE file with EncryptionInfo and EncryptedPackage."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0" encoding="UTF-8"?><encryption/>'
    package = struct.pack("<Q", 337598) + os.urandom(8192)
    path.write_bytes(compound_file([("EncryptionInfo", info), ("EncryptedPackage", package)]))


@raw("xlsm_macro", filename="xlsm_macro.xlsm", code="macro-workbook", says="启用宏的工作簿（.xlsm）")
def xlsm_macro(path: Path) -> None:
    """The sample saved as a macro workbook: xl/vbaProject.bin inside."""
    parts = _sample_parts()
    parts["xl/vbaProject.bin"] = compound_file([("VBA", b"Attribute VB_Name = \"Module1\"\n")])
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    _write_parts(path, parts)


@raw("damaged_zip", code="damaged-file", says="无法解压")
def damaged_zip(path: Path) -> None:
    """The sample cut off half way (an interrupted download): the zip directory is gone."""
    data = SAMPLE.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@raw("docx_renamed", code="not-xlsx", says="这是 Word 文档（.docx）")
def docx_renamed(path: Path) -> None:
    """A Word document picked by mistake and renamed .xlsx."""
    _write_parts(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@raw("lock_file", filename="~$lock_file.xlsx", code="lock-file", says="临时锁定文件")
def lock_file(path: Path) -> None:
    """Excel's owner file ~$NAME.xlsx, left beside an open workbook."""
    path.write_bytes(b"\x0bZhang San".ljust(165, b" "))


@raw("fifty_mb", hostile=True, code="file-too-large", says="工作簿过大（50.")
def fifty_mb(path: Path) -> None:
    """The sample with 50 MB of embedded pictures: refused by size before it is opened."""
    parts = _sample_parts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr("xl/media/image1.png", os.urandom(50 * 2**20), compress_type=zipfile.ZIP_STORED)


@raw("zero_byte_sheet", code="damaged-sheet", where="复评项目", says="是空的（0 字节）")
def zero_byte_sheet(path: Path) -> None:
    """The part of sheet 复评项目 is an empty file inside an otherwise sound zip."""
    parts = _sample_parts()
    parts[_sheet_part(parts, "复评项目")] = b""
    _write_parts(path, parts)


@raw("truncated_sheet_xml", code="damaged-sheet", where="复评项目", says="不是合法的 XML")
def truncated_sheet_xml(path: Path) -> None:
    """The XML of sheet 复评项目 cut in the middle of a row."""
    parts = _sample_parts()
    part = _sheet_part(parts, "复评项目")
    parts[part] = parts[part][: len(parts[part]) // 2]
    _write_parts(path, parts)


@raw("xml_entity_bomb", hostile=True, code="xml-bomb", says="XML 实体定义（DOCTYPE）")
def xml_entity_bomb(path: Path) -> None:
    """A billion-laughs DTD in sheet 基本信息: 10^9 "lol" if an XML parser expanded it."""
    parts = _sample_parts()
    part = _sheet_part(parts, "基本信息")
    parts[part] = entity_bomb(parts[part])
    _write_parts(path, parts)


@raw("xml_entity_bomb_hidden", hostile=True, code="xml-bomb", says="XML 实体定义")
def xml_entity_bomb_hidden(path: Path) -> None:
    """The same bomb behind a 100 KB comment, so the DOCTYPE is not in the part's first bytes."""
    parts = _sample_parts()
    part = _sheet_part(parts, "基本信息")
    parts[part] = entity_bomb(parts[part], padding=100_000)
    _write_parts(path, parts)


@raw("zip_bomb", hostile=True, code="zip-bomb", says="解压后异常庞大")
def zip_bomb(path: Path) -> None:
    """A valid zip whose sheet 文字 unpacks to 2 GiB (whitespace inside <sheetData>) from ~2 MB."""
    parts = _sample_parts()
    bomb = _sheet_part(parts, "文字")
    entries = []
    for name, data in parts.items():
        if name == bomb:
            head, tail = data.split(b"<sheetData>", 1)
            entries.append((name, *_padded(head + b"<sheetData>", tail, 2 * 2**30)))
        else:
            entries.append((name, *_deflated(data)))
    path.write_bytes(_zip(entries))


@raw("huge_merged_area", hostile=True, code="merged-too-large", where="政策梳理!I1:XFD1048576", says="请取消这个合并")
def huge_merged_area(path: Path) -> None:
    """Sheet 政策梳理 with I1:XFD1048576 merged (select all, merge): 17 billion cell objects to openpyxl."""
    parts = _sample_parts()
    part = _sheet_part(parts, "政策梳理")
    parts[part] = parts[part].replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="I1:XFD1048576"/></mergeCells>', 1)
    _write_parts(path, parts)


# ---- sheets and columns ------------------------------------------------------------

def _missing_sheet(sheet: str) -> None:
    def edit(book) -> None:
        del book[sheet]
    edit.__doc__ = f"Sheet {sheet} deleted."
    edited(f"missing_sheet_{sheet}", code="missing-sheet", says=f"缺少工作表“{sheet}”")(edit)


for _sheet in SHEETS:
    _missing_sheet(_sheet.name)


@edited("renamed_column", code="missing-column", where="复评项目!1", says="缺少“项目名称”列")
def renamed_column(book) -> None:
    """Header 项目名称 of 复评项目 retyped as 项目名 (the message lists the header it did not recognise)."""
    _cell(book, "复评项目", "项目名称", 1).value = "项目名"


@edited("merged_data_rows", code="merged-cells", says="合并单元格跨越多行数据")
def merged_data_rows(book) -> str:
    """复评项目 实际绩效等级 merged over the first two projects (both 优)."""
    top = _cell(book, "复评项目", "实际绩效等级", 2)
    bottom = _cell(book, "复评项目", "实际绩效等级", 3)
    book["复评项目"].merge_cells(f"{top.coordinate}:{bottom.coordinate}")
    return f"复评项目!{top.coordinate}:{bottom.coordinate}"


@edited("trailing_spaces_in_names", outcome=OK, reads=("项目名称", "2022年度功勋企业家、优秀企业家及行业领军企业家兑现等资金"))
def trailing_spaces_in_names(book) -> str:
    """Sheet "复评项目 " and header "项目名称 " with trailing spaces (and a full-width space): tolerated."""
    header = _cell(book, "复评项目", "项目名称", 1)
    header.value = "项目名称 \u3000"
    book["复评项目"].title = "复评项目 "
    return f"复评项目!{header.column_letter}2"


@edited("stray_cell_at_xfd1048576", hostile=True, outcome=OK, where="复评项目!B2",
        reads=("项目名称", "2022年度功勋企业家、优秀企业家及行业领军企业家兑现等资金"))
def stray_cell_at_xfd1048576(book) -> None:
    """A formatted empty cell at XFD1048576 of 复评项目 (Ctrl+End lands there): read in well under a second."""
    cell = book["复评项目"]["XFD1048576"]
    cell.number_format = "0.00"
    cell.font = openpyxl.styles.Font(bold=True)


# ---- cell values ---------------------------------------------------------------------

@edited("wrong_type_money", code="wrong-type", says="应为金额（数字），实际为“约五百万”")
def wrong_type_money(book) -> str:
    """复评项目 预算 typed as words."""
    return _set(_cell(book, "复评项目", "预算"), "约五百万")


@edited("wrong_type_count", code="wrong-type", says="应为非负整数，实际为“四十八”")
def wrong_type_count(book) -> str:
    """部门概况 编制总数 in Chinese numerals."""
    return _set(_field(book, "部门概况", "编制总数"), "四十八")


@edited("wrong_choice", code="wrong-type", says="应为以下之一：是、否")
def wrong_choice(book) -> str:
    """目标对比 考核 outside its drop-down list."""
    return _set(_cell(book, "目标对比", "考核"), "可能")


@edited("negative_money", code="negative-money", says="金额不能为负数")
def negative_money(book) -> str:
    """复评项目 预算 negative."""
    return _set(_cell(book, "复评项目", "预算"), -527.26)


@edited("number_too_large", code="wrong-type", says="数值过大（不应达到 1 万亿）")
def number_too_large(book) -> str:
    """预决算 决算支出 typed as 1E+300 (a pasted scientific number)."""
    return _set(_field(book, "预决算", "决算支出"), "1E+300")


@edited("not_a_number_text", code="wrong-type", says="实际为“NaN”")
def not_a_number_text(book) -> str:
    """预决算 决算支出 holding the text NaN (exported from a script)."""
    return _set(_field(book, "预决算", "决算支出"), "NaN")


@edited("missing_required_value", code="missing-value", says="缺少必填项“被评价单位”")
def missing_required_value(book) -> str:
    """基本信息 被评价单位 left blank."""
    return _set(_field(book, "基本信息", "被评价单位"), None)


@edited("missing_required_row", code="missing-value", where="预决算", says="工作表中没有这一行")
def missing_required_row(book) -> None:
    """The row 决算支出 deleted from 预决算."""
    ws = book["预决算"]
    ws.delete_rows(next(c.row for c in ws["A"] if c.value == "决算支出"))


@edited("required_table_cell_blank", code="missing-value", says="“项目名称”不能为空")
def required_table_cell_blank(book) -> str:
    """复评项目 项目名称 of the first project cleared (the rest of the row kept)."""
    return _set(_cell(book, "复评项目", "项目名称"), None)


@edited("long_text_60000", code="wrong-type", says="文字过长（60000 字",
        then=lambda parts: _replace_mark(parts, "LONG", "长".encode() * 60_000))
def long_text_60000(book) -> str:
    """A 60,000-character 文字 内容 (Excel stops at 32,767; openpyxl would cut it, so the XML is edited)."""
    return _set(_cell(book, "文字", "内容"), MARK.format("LONG"))


@edited("formula_without_cache_required", code="formula-no-cache", says="单元格是公式但没有计算结果")
def formula_without_cache_required(book) -> str:
    """复评项目 预算 as a formula never calculated (written by a script, not opened in Excel)."""
    return _set(_cell(book, "复评项目", "预算"), "=500+27.26")


@edited("formula_without_cache_optional", outcome=WARNING, code="formula-no-cache",
        says="单元格是公式但没有计算结果")
def formula_without_cache_optional(book) -> str:
    """固定资产 净值 (optional) as an uncalculated formula: a warning, the 净值 is computed."""
    original, depreciation = _cell(book, "固定资产", "原值"), _cell(book, "固定资产", "累计折旧")
    return _set(_cell(book, "固定资产", "净值"), f"={original.coordinate}-{depreciation.coordinate}")


@edited("control_characters", outcome=OK, reads=("职称职务", "中级会计师\n中级经济师"),
        then=lambda parts: (_replace_mark(parts, "VT", b"_x000B_"), _replace_mark(parts, "NUL", b"_x0000_")))
def control_characters(book) -> str:
    """评价工作组 职称职务 with Alt+Enter stored as \\x0b (old Excel) and a \\x00: cleaned, \\x0b read as a line break."""
    return _set(_cell(book, "评价工作组", "职称职务"), f"中级会计师{MARK.format('VT')}中级经济师{MARK.format('NUL')}")


@edited("xml_illegal_characters", outcome=OK, reads=("任务分工", "负责现场核查"),
        then=lambda parts: _replace_mark(parts, "BAD", b"_xFFFF__xD800_"))
def xml_illegal_characters(book) -> str:
    """评价工作组 任务分工 with U+FFFF and a lone surrogate (escaped as Excel does): removed, the report still builds."""
    return _set(_cell(book, "评价工作组", "任务分工"), f"负责现场{MARK.format('BAD')}核查")


@edited("excel_date", outcome=OK, reads=("报告日期", "2024年12月26日"))
def excel_date(book) -> str:
    """基本信息 报告日期 as a real Excel date."""
    cell = _field(book, "基本信息", "报告日期")
    cell.number_format = "yyyy/m/d"
    return _set(cell, datetime(2024, 12, 26))


@edited("excel_date_serial", outcome=OK, reads=("报告日期", "2024年12月26日"))
def excel_date_serial(book) -> str:
    """基本信息 报告日期 as the serial number 45652 (a date cell whose format was cleared)."""
    return _set(_field(book, "基本信息", "报告日期"), 45652)


@edited("date_like_text", outcome=OK, reads=("报告日期", "2024年12月26日"))
def date_like_text(book) -> str:
    """基本信息 报告日期 typed as the text 2024/12/26."""
    return _set(_field(book, "基本信息", "报告日期"), "2024/12/26")


@edited("date_like_text_month", outcome=OK, reads=("报告日期", "2024年12月"))
def date_like_text_month(book) -> str:
    """基本信息 报告日期 typed as 2024-12 (no day: the report prints 2024 年 12 月)."""
    return _set(_field(book, "基本信息", "报告日期"), "2024-12")


@edited("date_not_a_date", code="wrong-type", says="应为日期（如 2024年12月26日），实际为“年底前”")
def date_not_a_date(book) -> str:
    """基本信息 报告日期 typed as words."""
    return _set(_field(book, "基本信息", "报告日期"), "年底前")


@edited("year_with_suffix", outcome=OK, reads=("评价年度", 2023))
def year_with_suffix(book) -> str:
    """基本信息 评价年度 typed as 2023年度."""
    return _set(_field(book, "基本信息", "评价年度"), "2023年度")


def _satisfaction(book):
    """Return the first 单项满意度 cell the sample fills (question 6, 88.53%)."""
    row = _first_row(book, "问卷", "单项满意度", lambda v: v is not None)
    return _cell(book, "问卷", "单项满意度", row)


@edited("percent_text", outcome=WARNING, code="satisfaction-differs", says="单项满意度填写 88.53%",
        reads=("单项满意度", Decimal("0.8853")))
def percent_text(book) -> str:
    """单项满意度 as the text 88.53% (with the sign): divided by 100."""
    return _set(_satisfaction(book), "88.53%")


@edited("percent_fraction", outcome=WARNING, code="satisfaction-differs", says="单项满意度填写 88.53%",
        reads=("单项满意度", Decimal("0.8853")))
def percent_fraction(book) -> str:
    """单项满意度 as the number 0.8853 (no % format): a number up to 1 is a fraction."""
    return _set(_satisfaction(book), 0.8853)


@edited("percent_formatted", outcome=WARNING, code="satisfaction-differs", says="单项满意度填写 88.53%",
        reads=("单项满意度", Decimal("0.8853")))
def percent_formatted(book) -> str:
    """单项满意度 as 0.8853 in a cell formatted 0.00% (Excel shows 88.53%): the fraction."""
    cell = _satisfaction(book)
    cell.number_format = "0.00%"
    return _set(cell, 0.8853)


@edited("percent_points", outcome=WARNING, code="satisfaction-differs", says="单项满意度填写 88.53%",
        reads=("单项满意度", Decimal("0.8853")))
def percent_points(book) -> str:
    """单项满意度 as the number 88.53: a number above 1 is percentage points."""
    return _set(_satisfaction(book), 88.53)


@edited("full_width_digits", outcome=OK, reads=("年初预算", Decimal("12779.84")))
def full_width_digits(book) -> str:
    """预决算 年初预算 typed with full-width digits and comma (１２，７７９．８４, a Chinese IME)."""
    return _set(_field(book, "预决算", "年初预算"), "１２，７７９．８４")


@edited("money_with_unit_and_commas", outcome=OK, reads=("年初预算", Decimal("12779.84")))
def money_with_unit_and_commas(book) -> str:
    """预决算 年初预算 typed as 12,779.84万元."""
    return _set(_field(book, "预决算", "年初预算"), " 12,779.84万元 ")


@edited("yuan_in_a_wanyuan_field", code="wrong-type", says="本栏金额以万元计")
def yuan_in_a_wanyuan_field(book) -> str:
    """预决算 决算支出 typed in 元 (102719600元) where the field is in 万元: not read as 万元, 10,000 times too much."""
    return _set(_field(book, "预决算", "决算支出"), "102719600元")


@edited("wanyuan_in_a_yuan_column", code="wrong-type", says="本栏金额以元计")
def wanyuan_in_a_yuan_column(book) -> str:
    """预算执行进度 月度累计执行_元 typed in 万元 (8973.99万元) where the column is in 元."""
    return _set(_cell(book, "预算执行进度", "月度累计执行_元"), "8973.99万元")


@edited("dash_for_not_applicable", outcome=OK, reads=("收入_年初结转和结余", None))
def dash_for_not_applicable(book) -> str:
    """收支决算 收入_年初结转和结余 of 2022 typed as —— (as the report prints it): read as blank."""
    return _set(_cell(book, "收支决算", "收入_年初结转和结余", 3), "——")


# ---- across sheets ---------------------------------------------------------------------

@edited("duplicate_indicator", code="duplicate-indicator", says="重复")
def duplicate_indicator(book) -> str:
    """指标体系: the second indicator renamed to the first's number and name."""
    first = _cell(book, "指标体系", "三级指标", 2).value
    return _set(_cell(book, "指标体系", "三级指标", 3), first)


@edited("five_grades_without_a_parameters_column", code="parameter-conflict", says="请在表头添加“评分参数”列")
def five_grades_without_a_parameters_column(book) -> str:
    """基本信息 等级标准 of five grades, 复评项目 graded in them, and no 评分参数 column to give (28) its factors:
    the error is at (28)'s 评分方式 cell, not the bare sheet."""
    _set(_field(book, "基本信息", "等级标准"), "A:90;B:80;C:70;D:60;E")
    for row, grade_name in zip(range(2, 8), "AACCCB"):
        _set(_cell(book, "复评项目", "实际绩效等级", row), grade_name)
    return _place(_cell(book, "指标体系", "评分方式", 29))


@edited("unknown_indicator", code="unknown-indicator", says="指标体系中没有三级指标“(99)”")
def unknown_indicator(book) -> str:
    """目标对比 三级指标 pointing at (99), which the framework lacks."""
    return _set(_cell(book, "目标对比", "三级指标"), "(99)")


@edited("weights_do_not_add_up", code="weights-mismatch", says="三级指标分值合计为 101，应为 100")
def weights_do_not_add_up(book) -> str:
    """指标体系 分值 of the first indicator raised by 1."""
    cell = _cell(book, "指标体系", "分值")
    cell.value = float(cell.value) + 1
    last = book["指标体系"].max_row
    return f"指标体系!{cell.coordinate}:{cell.column_letter}{last}"


@edited("manual_score_missing", code="manual-score-missing", says="请填写得分")
def manual_score_missing(book) -> str:
    """指标体系: the 得分 of the first 手工 indicator cleared."""
    row = _first_row(book, "指标体系", "评分方式", lambda v: v == "手工")
    return _set(_cell(book, "指标体系", "得分", row), None)


@edited("score_above_weight", code="score-out-of-range", says="得分应在 0 到分值 10 之间，实际为 12")
def score_above_weight(book) -> str:
    """指标体系: the first 手工 indicator (分值 10) given 12."""
    row = _first_row(book, "指标体系", "评分方式", lambda v: v == "手工")
    return _set(_cell(book, "指标体系", "得分", row), 12)


@edited("target_of_zero", code="division-by-zero", says="目标值为 0")
def target_of_zero(book) -> str:
    """目标对比: the first scored goal's 目标数值 set to 0 (completion = actual / 0)."""
    return _set(_cell(book, "目标对比", "目标数值"), 0)


@edited("budget_of_zero", code="division-by-zero", says="分母为 0")
def budget_of_zero(book) -> str:
    """预决算: 年初预算 0 and no adjustments: the execution and adjustment rates divide by 0."""
    for name in ("年初_基本支出", "年初_项目支出", "调增_转移支付", "调增_其他", "调减"):
        _field(book, "预决算", name).value = 0
    return _set(_field(book, "预决算", "年初预算"), 0)


@edited("survey_sample_zero", code="division-by-zero", says="样本量为 0")
def survey_sample_zero(book) -> str:
    """问卷: every 人数 of question 6 set to 0."""
    ws = book["问卷"]
    rows = [r for r in range(2, ws.max_row + 1) if _cell(book, "问卷", "题号", r).value == 6]
    for row in rows:
        _cell(book, "问卷", "人数", row).value = 0
    return _place(_cell(book, "问卷", "人数", rows[0]))


@edited("unknown_placeholder", code="unknown-placeholder", says="不存在的数")
def unknown_placeholder(book) -> str:
    """文字 内容 using {不存在的数}, a name perfreport does not compute."""
    cell = _cell(book, "文字", "内容")
    return _set(cell, cell.value + "{不存在的数}")


@edited("unknown_table", code="unknown-table", says="不存在的表")
def unknown_table(book) -> str:
    """文字 内容 placing [表:不存在的表]."""
    cell = _cell(book, "文字", "内容")
    return _set(cell, cell.value + "\n[表:不存在的表]")


# ---- scoring parameters (评分参数) and rule failures ------------------------------------
# Rows of the sample's 指标体系: (1) is row 2, so indicator (n) is row n + 1.

def _parameters(book, number: int, text: str, rule: str | None = None) -> str:
    """Write `text` as 评分参数 of indicator (number), adding the column; return its cell."""
    ws = book["指标体系"]
    headers = [c.value for c in ws[1]]
    if "评分参数" not in headers:
        ws.cell(1, len(headers) + 1).value = "评分参数"
    if rule is not None:
        _cell(book, "指标体系", "评分方式", number + 1).value = rule
    return _set(_cell(book, "指标体系", "评分参数", number + 1), text)


PARAMETER_CASES = (
    # name, indicator, 评分参数, code, fragment of the message, 评分方式 (None: unchanged)
    ("param_unreadable", 4, "得5分如果达到90%", "parameter-syntax", "“得5分如果达到90%”读不懂", None),
    ("param_unknown_figure", 4, "|{执行率}-100%|≤5%得满分；其他0分", "parameter-unknown-figure",
     "“执行率”不是计算值的名称", None),
    ("param_percent_missing", 4, "{预算调整率}≤10得满分；其他0分", "parameter-syntax", "“10”应写成“10%”", None),
    ("param_ambiguous_range", 4, "{预算执行率}80%-90%得1分；其他0分", "parameter-syntax", "区间端点是否包含不明确", None),
    ("param_ambiguous_above", 4, "{预算执行率}90%以上得满分；其他0分", "parameter-syntax", "是否包含 90% 不明确", None),
    ("param_band_above_weight", 4, "{预算执行率}≥90%得3分；其他0分", "parameter-points", "得分超过本项满分 2 分", None),
    ("param_parts_do_not_add_up", 2, "①（1分）{五项经费控制率}≤100%得满分；其他0分；②（2分）{五项经费变动率}≤0得满分；其他0分",
     "parameter-points", "各部分满分之和 3 分", None),
    ("param_direction_reversed", 2, "{五项经费控制率}≥100%得满分，每超过2个百分点扣0.1分", "parameter-conflict",
     "方向相反", None),
    ("param_deduction_without_threshold", 2, "每超过1个百分点扣0.5分", "parameter-conflict", "缺少基准", None),
    ("param_two_deductions_in_one_part", 2, "{五项经费控制率}≤100%得满分，每超过2个百分点扣0.1分，每超过5个百分点扣1分",
     "parameter-conflict", "一个部分只能有一条扣分规则", None),
    ("param_unknown_denominator", 3, "分母：决算支出", "parameter-syntax", "分母应为“调整后预算”或“12月累计执行”", None),
    ("param_checkpoint_unreadable", 3, "考核时点：6月底一半", "parameter-syntax", "“6月底一半”读不懂", None),
    ("param_options_contradict", 3, "分母：调整后预算；分母：12月", "parameter-conflict", "矛盾", None),
    ("param_questions_unreadable", 30, "问卷：第六至十三题", "parameter-syntax", "题号写成“第6-13题”", None),
    ("param_for_manual_row", 1, "≥90%得满分", "parameter-not-for-rule", "评分方式为“手工”，不读评分参数", None),
    ("param_letter_without_figure", 14, "X≥100%得满分；其他0分", "parameter-conflict", "没有指明是哪个计算值", None),
    ("param_two_figures_in_one_part", 14, "{固定资产利用率}≥100%得满分；{闲置资产变化率}<70%得满分；其他0分",
     "parameter-conflict", "同一部分只能按一个计算值", None),
    ("param_grade_left_out", 28, "优得满分；良得分值×75%；中得分值×50%", "parameter-conflict", "缺少等级“差”的得分", None),
    ("param_generic_without_rule", 4, "分母：调整后预算", "parameter-conflict", "只写了选项", "按评分参数"),
    ("param_linear_with_bands", 12, "得分={政府采购执行率}×分值；≥90%得满分", "parameter-conflict",
     "不能与比例计分写在同一部分", None),
)


def _parameter_case(name: str, number: int, text: str, code: str, says: str, rule: str | None) -> None:
    def edit(book) -> str:
        return _parameters(book, number, text, rule)
    edit.__doc__ = f"指标体系 ({number}) 评分参数“{text}”" + (f"，评分方式“{rule}”" if rule else "") + "."
    edited(name, code=code, says=says)(edit)


for _case in PARAMETER_CASES:
    _parameter_case(*_case)


@edited("rule_no_linked_goal", code="rule-no-goals", where="指标体系!G26", says="没有关联的目标对比行")
def rule_no_linked_goal(book) -> None:
    """目标对比: the only row of (25) unlinked: its 目标完成率 has no input (was: silent full marks)."""
    row = _first_row(book, "目标对比", "三级指标", lambda v: v == "(25)")
    _cell(book, "目标对比", "三级指标", row).value = None


@edited("rule_question_group_missing", code="rule-no-questions", where="指标体系!G31", says="没有问题组为“协作部门”")
def rule_question_group_missing(book) -> None:
    """指标体系 (30) 评分参数“问题组：协作部门”, but 问卷 has no such group."""
    _parameters(book, 30, "问题组：协作部门")


@edited("rule_procurement_without_budget", code="rule-blank-input", where="指标体系!G13", says="无数据按满分计")
def rule_procurement_without_budget(book) -> None:
    """预决算 政府采购预算 cleared: (12) cannot divide (was: silent full marks); the message offers 无数据按满分计."""
    _field(book, "预决算", "政府采购预算").value = None


@edited("unknown_grade", code="unknown-grade", says="应为以下之一：优、良、中、差")
def unknown_grade(book) -> str:
    """复评项目 实际绩效等级 not one of the workbook's grades."""
    return _set(_cell(book, "复评项目", "实际绩效等级"), "很好")


@edited("bands_unreadable", code="bands-syntax", says="“优秀90”读不懂")
def bands_unreadable(book) -> str:
    """基本信息 等级标准 with a grade written without its colon."""
    return _set(_field(book, "基本信息", "等级标准"), "优秀90;良好:80;合格:60;不合格")


@edited("standard_quotes_other_numbers", outcome=WARNING, code="standard-number-unmatched", says="6%")
def standard_quotes_other_numbers(book) -> str:
    """指标体系 (4) 评价标准 retyped with ≤6% where the parameters say ≤5%."""
    cell = _cell(book, "指标体系", "评价标准", 5)
    return _set(cell, cell.value.replace("≤5%", "≤6%"))


@edited("grade_contradicts_review_score", outcome=WARNING, code="grade-contradicts-score", where="复评项目!G4",
        says="复核得分 81.4 按等级标准为“良”")
def grade_contradicts_review_score(book) -> None:
    """指标体系 (28) 评分参数“等级：按复核得分”: 破产企业职工经费 is typed 中 with 复核得分 81.40."""
    _parameters(book, 28, "等级：按复核得分")


@edited("param_denominator_adjusted_budget", outcome=OK, reads=("评分参数", "分母：调整后预算"))
def param_denominator_adjusted_budget(book) -> str:
    """指标体系 (3) 评分参数“分母：调整后预算”, as its 评价标准 words it: read, scored 1.60."""
    return _parameters(book, 3, "分母：调整后预算")
# ---- round 2 (issue 9): each class of the second hostile review -------------------------

def _sheet_xml_edit(sheet: str, edit: Callable[[bytes], bytes]) -> Callable[[dict[str, bytes]], None]:
    """Return a `then` that applies `edit` to the saved XML of `sheet`."""
    def then(parts: dict[str, bytes]) -> None:
        part = _sheet_part(parts, sheet)
        parts[part] = edit(parts[part])
    return then


def _junk(size: int, seed: int = 9, element: bool = False) -> bytes:
    """Return about `size` bytes of XML comments (or empty elements) from a small random vocabulary.

    They deflate about 10:1, not 1000:1, so the zip-bomb ratio does not refuse them.
    """
    import random

    rng = random.Random(seed)
    words = [b"%032x" % rng.getrandbits(128) for _ in range(256)]
    out = bytearray()
    while len(out) < size:
        chosen = rng.choices(words, k=64)
        out += b"".join(b'<x a="%s"/>' % w for w in chosen) if element else b"<!--" + b" ".join(chosen) + b"-->"
    return bytes(out)


# class 1: Excel error values are errors at their cell, whatever the field
@edited("error_value_optional_money", code="formula-error", says="公式结果为 #N/A")
def error_value_optional_money(book) -> str:
    """预决算 调增_其他 (optional money) holding #N/A, as a failed lookup leaves it (t="e"): was read as blank."""
    return _set(_field(book, "预决算", "调增_其他"), "#N/A")


@edited("error_value_required_money", code="formula-error", says="公式结果为 #DIV/0!")
def error_value_required_money(book) -> str:
    """复评项目 预算 holding #DIV/0! (a cached error of a formula): was reported as “不能为空”."""
    return _set(_cell(book, "复评项目", "预算"), "#DIV/0!")


@edited("error_value_text_field", code="formula-error", says="公式结果为 #REF!")
def error_value_text_field(book) -> str:
    """评价工作组 任务分工 (optional text) holding #REF!: was read as blank."""
    return _set(_cell(book, "评价工作组", "任务分工"), "#REF!")


# class 2: tabs whose names differ only by spaces or invisible characters
@edited("duplicate_sheet_trailing_space", code="duplicate-sheet", says="只差空格或不可见字符")
def duplicate_sheet_trailing_space(book) -> None:
    """A second tab “复评项目 ” (trailing space) beside 复评项目, with other numbers: the last one won silently."""
    copy = book.copy_worksheet(book["复评项目"])
    copy.title = "复评项目 "
    _cell(book, "复评项目 ", "预算").value = 1


@edited("duplicate_sheet_zero_width", code="duplicate-sheet", says="“复评项目\\u200b”")
def duplicate_sheet_zero_width(book) -> None:
    """A second tab “复评项目\u200b” (a zero-width space) beside 复评项目."""
    copy = book.copy_worksheet(book["复评项目"])
    copy.title = "复评项目\u200b"


@edited("sheet_name_zero_width", code="missing-sheet", says="是否是“复评项目\\u200b”")
def sheet_name_zero_width(book) -> None:
    """The tab 复评项目 renamed “复评项目\u200b”: the missing-sheet message names the look-alike tab."""
    book["复评项目"].title = "复评项目\u200b"


# class 3: every percentage and score has a declared range
@edited("satisfaction_5000_percent", code="out-of-range", says="应在 0% 到 100% 之间")
def satisfaction_5000_percent(book) -> str:
    """单项满意度 typed 5000%."""
    return _set(_satisfaction(book), "5000%")


@edited("satisfaction_negative", code="out-of-range", says="读作 -88.53%")
def satisfaction_negative(book) -> str:
    """单项满意度 typed −88.53 (points)."""
    return _set(_satisfaction(book), -88.53)


@edited("coverage_250_percent", code="out-of-range", says="读作 250%")
def coverage_250_percent(book) -> str:
    """预决算 绩效监控覆盖率 as 2.5 in a cell formatted 0% (Excel shows 250%)."""
    cell = _field(book, "预决算", "绩效监控覆盖率")
    cell.number_format = "0%"
    return _set(cell, 2.5)


@edited("coverage_negative", code="out-of-range", says="应在 0% 到 100% 之间")
def coverage_negative(book) -> str:
    """预决算 绩效监控覆盖率 typed −50%."""
    return _set(_field(book, "预决算", "绩效监控覆盖率"), "-50%")


@edited("review_score_above_100", code="out-of-range", says="应在 0 到 100 之间")
def review_score_above_100(book) -> str:
    """复评项目 复核得分 of 101."""
    return _set(_cell(book, "复评项目", "复核得分"), 101)


# class 4: doubled columns, rows and zip entries
@edited("duplicate_header_column", code="duplicate-column", says="表头都是“预算”")
def duplicate_header_column(book) -> str:
    """复评项目 with a second 预算 column (J) holding other numbers: the first was taken silently."""
    ws = book["复评项目"]
    ws["J1"] = "预算"
    for row in range(2, ws.max_row + 1):
        ws.cell(row, 10).value = 1
    return "复评项目!J1"


@edited("duplicate_header_zero_width", code="duplicate-column", says="表头都是“项目名称”")
def duplicate_header_zero_width(book) -> str:
    """复评项目 with a second header “项目名称\u200b” (a zero-width space) in column J."""
    book["复评项目"]["J1"] = "项目名称\u200b"
    return "复评项目!J1"


@edited("duplicate_key_row", code="duplicate-field", says="“年初预算”在第")
def duplicate_key_row(book) -> str:
    """预决算 with a second 年初预算 row further down holding another number: the last one won silently."""
    ws = book["预决算"]
    row = ws.max_row + 1
    ws.cell(row, 1).value = "年初预算"
    ws.cell(row, 2).value = 1
    return f"预决算!A{row}"


@raw("duplicate_zip_entry", hostile=True, code="duplicate-part", says="重复的条目")
def duplicate_zip_entry(path: Path) -> None:
    """The zip holds sheet 复评项目's part twice, the second with other numbers: a reader took one of them."""
    import warnings

    parts = _sample_parts()
    part = _sheet_part(parts, "复评项目")
    _write_parts(path, parts)
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        archive.writestr(part.upper() if part.islower() else part, parts[part].replace(b"527.26", b"1"))


# class 6: one far cell must not allocate the grid; sheets outside the contract are never read
@edited("far_value_xfd1048576", hostile=True, code="sheet-too-large", where="复评项目!XFD1048576", says="远超模板的范围")
def far_value_xfd1048576(book) -> None:
    """A value at XFD1048576 of 复评项目 (17 billion cells to a dense reader: it aborted)."""
    book["复评项目"]["XFD1048576"] = "x"


@edited("far_value_cv1048576", hostile=True, code="sheet-too-large", where="复评项目!CV1048576", says="远超模板的范围")
def far_value_cv1048576(book) -> None:
    """A value at CV1048576 of 复评项目 (100 million cells: 10 GB to a dense reader)."""
    book["复评项目"]["CV1048576"] = 1


@edited("far_note_in_extra_sheet", hostile=True, outcome=OK, where="复评项目!B2",
        reads=("项目名称", "2022年度功勋企业家、优秀企业家及行业领军企业家兑现等资金"))
def far_note_in_extra_sheet(book) -> None:
    """An extra sheet 备注 (outside the contract) with a note at AAA500000: never read, the workbook builds."""
    book.create_sheet("备注")["AAA500000"] = "备忘"


# class 8: every scan of sheet XML is linear
@edited("unclosed_formulas_40000", code="damaged-sheet", where="复评项目", says="单元格中又嵌套了单元格", hostile=True,
        then=_sheet_xml_edit("复评项目", lambda xml: xml.replace(b"</sheetData>", b"<row r=\"99\">" + b"".join(
            b'<c r="A%d"><f>1' % n for n in range(1, 40_001)) + b"</row></sheetData>", 1)))
def unclosed_formulas_40000(book) -> None:
    """40,000 unclosed <c><f> in 复评项目 (a regular expression took 23 s for 10,000 and never ended for 40,000)."""


@edited("many_rows_missing_values", hostile=True, code="missing-value", where="复评项目!B100", says="“项目名称”不能为空",
        then=_sheet_xml_edit("复评项目", lambda xml: xml.replace(b"</sheetData>", b"".join(
            b'<row r="%d"><c r="C%d"><v>1</v></c></row>' % (n, n) for n in range(100, 20_100)) + b"</sheetData>", 1)))
def many_rows_missing_values(book) -> None:
    """20,000 rows of 复评项目 holding only a 预算: 100,000 problems, each checked against all before (quadratic)."""


# class 9: locating damage reads only what it must
@raw("truncated_sheet_with_junk_part", hostile=True, code="damaged-sheet", where="复评项目", says="不是合法的 XML")
def truncated_sheet_with_junk_part(path: Path) -> None:
    """复评项目's XML cut in half, plus a 40 MB junk XML part (every part was parsed into a tree: 46 s, 2 GB)."""
    parts = _sample_parts()
    part = _sheet_part(parts, "复评项目")
    parts[part] = parts[part][: len(parts[part]) // 2]
    parts = {"xl/junk.xml": b"<junk>" + _junk(40 * 2**20, element=True) + b"</junk>", **parts}  # met first
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# class 12: impossible dates are errors in check
@edited("impossible_date_february_30", code="wrong-type", says="这个日期不存在")
def impossible_date_february_30(book) -> str:
    """基本信息 报告日期 typed 2024年2月30日 (check passed it, build printed a traceback)."""
    return _set(_field(book, "基本信息", "报告日期"), "2024年2月30日")


@edited("impossible_date_year_0", code="wrong-type", says="年份应在 1900 到 2100 之间")
def impossible_date_year_0(book) -> str:
    """基本信息 呈报日期 typed 0000年1月1日."""
    return _set(_field(book, "基本信息", "呈报日期"), "0000年1月1日")


# class 16: legal relative part names
def _relative_targets(parts: dict[str, bytes]) -> None:
    rels = parts["xl/_rels/workbook.xml.rels"]
    for number, style in enumerate((b"./worksheets/", b"../xl/worksheets/", b"/xl/worksheets/")):
        rels = rels.replace(b'Target="worksheets/sheet%d.xml"' % (number + 1),
                            b'Target="%ssheet%d.xml"' % (style, number + 1))
        rels = rels.replace(b'Target="/xl/worksheets/sheet%d.xml"' % (number + 1),
                            b'Target="%ssheet%d.xml"' % (style, number + 1))
    parts["xl/_rels/workbook.xml.rels"] = rels


@edited("relative_part_names", outcome=OK, reads=("被评价单位", "枣庄市市中区工业和信息化局"), then=_relative_targets)
def relative_part_names(book) -> str:
    """workbook.xml.rels naming sheets ./worksheets/…, ../xl/worksheets/… and /xl/worksheets/… (legal OPC): were “damaged”."""
    return _place(_field(book, "基本信息", "被评价单位"))


# class 17: printed as typed, reported where typed
@edited("literal_x0041", outcome=OK, reads=("任务分工", "_x0041_ 负责现场核查"),
        then=lambda parts: _replace_mark(parts, "X41", b"_x005F_x0041_"))
def literal_x0041(book) -> str:
    """评价工作组 任务分工 typed with a literal _x0041_ (Excel stores _x005F_x0041_): it printed as “A”."""
    return _set(_cell(book, "评价工作组", "任务分工"), f"{MARK.format('X41')} 负责现场核查")


@edited("table_number_in_plain_field", code="marker-in-plain-field", says="“单位简称”不是正文字段")
def table_number_in_plain_field(book) -> str:
    """基本信息 单位简称 with [表号:复评项目] typed in it: was reported where the figure is used."""
    cell = _field(book, "基本信息", "单位简称")
    return _set(cell, cell.value + "[表号:复评项目]")


@edited("placeholder_in_plain_field", code="marker-in-plain-field", says="“项目名称”不是正文字段")
def placeholder_in_plain_field(book) -> str:
    """复评项目 项目名称 with {单位简称} typed in it (it printed as typed)."""
    cell = _cell(book, "复评项目", "项目名称")
    return _set(cell, "{单位简称}" + cell.value)


@edited("formula_that_is_text", code="invalid-formula", says="如要填写以 = 开头的文字")
def formula_that_is_text(book) -> str:
    """目标对比 目标值 typed =2个 (a script wrote it as a formula): was “open in Excel and save”."""
    return _set(_cell(book, "目标对比", "目标值"), "=2个")


# class 18: the largest file accepted stays within the reader's memory bound
@raw("sheet_over_the_unpacked_limit", hostile=True, code="unpacked-too-large", says="解压后过大")
def sheet_over_the_unpacked_limit(path: Path) -> None:
    """Sheet 文字 padded to 150 MB with comments that deflate 10:1 (inside the old limits: a 190 MB one peaked at 410 MB)."""
    parts = _sample_parts()
    padded = _sheet_part(parts, "文字")
    entries = []
    for name, data in parts.items():
        if name == padded:
            head, tail = data.split(b"<sheetData>", 1)
            entries.append((name, *_padded(head + b"<sheetData>", tail, 150 * 2**20, filler=_junk(4 * 2**20))))
        else:
            entries.append((name, *_deflated(data)))
    path.write_bytes(_zip(entries))


@edited("junk_elements_in_sheet", hostile=True, code="too-many-cells", says="超过 500,000 个元素",
        then=_sheet_xml_edit("政策梳理", lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + _junk(
            30 * 2**20, element=True), 1)))
def junk_elements_in_sheet(book) -> None:
    """政策梳理 with 30 MB of empty unknown elements (700,000) after its cells: the element budget stops the parse."""


def _many_cells(xml: bytes) -> bytes:
    text = "说明文字" * 15
    rows = b"".join(b'<row r="%d"><c r="Z%d" t="inlineStr"><is><t>%s%d</t></is></c></row>'
                    % (n, n, text.encode(), n) for n in range(1000, 1000 + 95_000))
    return xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


@edited("largest_accepted_sheet", hostile=True, outcome=OK, where="复评项目!B2",
        reads=("项目名称", "2022年度功勋企业家、优秀企业家及行业领军企业家兑现等资金"),
        then=_sheet_xml_edit("政策梳理", _many_cells))
def largest_accepted_sheet(book) -> None:
    """政策梳理 with 95,000 more cells of 60-character text in column Z, near the cell limit: read within the memory bound."""


# ---- the command line ------------------------------------------------------------------

def _table(folder: Path) -> str:
    """Return the README table: each case, its outcome and the first matching message of check."""
    from perfreport.pipeline import check

    lines = ["| case | breaks | outcome | message (`check`) |", "|---|---|---|---|"]
    for case in CASES:
        path, where = make(case, folder)
        result = check(path)
        problem = next((p for p in result.problems if p.code == case.code and p.location == where), None)
        shown = str(problem).replace("|", "\\|") if problem else f"（无）{case.reads[0]} 读作 {case.reads[1]!r}"
        outcome = {ERROR: "exit 1", WARNING: "exit 0, warning", OK: "exit 0"}[case.outcome]
        lines.append(f"| `{case.path_in(folder).name}` | {case.note} | {outcome} | {shown} |")
        path.unlink()
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Write every case into the folder named on the command line, or print the README table."""
    import tempfile

    if argv == ["--table"]:
        with tempfile.TemporaryDirectory() as folder:
            print(_table(Path(folder)))
        return 0
    if len(argv) != 1:
        print(__doc__)
        return 2
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        path, where = make(case, folder)
        print(f"{path.name}\t{case.outcome}\t{case.code}\t{where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

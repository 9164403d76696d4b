"""Open a workbook file safely, or say in one sentence why it cannot be read.

Everything a user may hand us instead of an .xlsx is recognised before the
reader (python-calamine) sees it: an empty file, an Excel lock file, an .xls or encrypted
workbook (both OLE compound files), a CSV or other non-zip file, a Word
document, a damaged zip, a macro workbook, and hostile files: zip bombs (entry
sizes are checked before anything is unpacked), XML entity bombs (no part may
declare a DOCTYPE), and sheets whose cell count, merged areas or extent would
make a reader build millions of objects. A damaged part is named by its sheet
where it has one. The pre-scan of the XML also gives what the values alone do
not: merged areas, formulas Excel never calculated, and percentage formats.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, parse
from python_calamine import CalamineError, CalamineWorkbook

from .errors import WorkbookError, error

MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_RATIO = 100  # a sheet compresses 5-20x; a bomb thousands of times
MAX_CELLS = 1_000_000  # cells in the file
MAX_AREA = 5_000_000  # the rectangle from A1 to the last value, which the reader fills
MAX_MERGED_CELLS = 10_000
PROLOG_BYTES = 64 * 2**10
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
XML_SUFFIXES = (".xml", ".rels", ".vml")
ROOT_START = re.compile(rb"<[A-Za-z_]")
DOCTYPE = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
STYLED_CELL = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*?\bs="(\d+)")[^>]*?\br="([A-Z]+[0-9]+)"')
REFERENCE = re.compile(r"^([A-Z]+)([0-9]+)$")
PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%
ENTITIES = "含有 XML 实体定义"
REPAIR = "请用 Excel 打开（Excel 会提示修复）后另存为 .xlsx"


def _refuse(path: Path, code: str, message: str, location: str | None = None) -> WorkbookError:
    return WorkbookError(error(code, location or path.name, message))


def _check_file(path: Path) -> None:
    if not path.exists():
        raise _refuse(path, "file-missing", "文件不存在，请检查路径")
    if not path.is_file():
        raise _refuse(path, "not-a-file", "这是一个文件夹，不是 Excel 工作簿")
    if path.name.startswith("~$"):
        raise _refuse(path, "lock-file", "这是 Excel 打开工作簿时生成的临时锁定文件，不是工作簿：请选择不带“~$”的同名文件")
    size = path.stat().st_size
    if size == 0:
        raise _refuse(path, "empty-file", "文件是空的（0 字节），请重新保存工作簿")
    if size > MAX_FILE_BYTES:
        raise _refuse(path, "file-too-large",
                      f"工作簿过大（{size / 2**20:.1f} MB，上限 {MAX_FILE_BYTES // 2**20} MB）："
                      "请删除与模板无关的工作表和图片后再试")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head == OLE_MAGIC:
                handle.seek(0)
                if ENCRYPTED_STREAM in handle.read():
                    raise _refuse(path, "encrypted", "工作簿设置了打开密码：请在 Excel 中取消密码后另存为 .xlsx")
                raise _refuse(path, "xls-file", "这是旧版 Excel 97-2003 文件（.xls）：请在 Excel 中另存为 .xlsx 工作簿")
    except OSError as exc:
        raise _refuse(path, "file-unreadable",
                      f"无法读取文件（{exc.strerror or type(exc).__name__}）：请检查文件权限，或关闭正在使用它的程序") from None
    if not head.startswith(b"PK"):
        raise _refuse(path, "not-xlsx", "不是 Excel 工作簿（.xlsx）：可能是 CSV 或其他文件改了扩展名，请用 Excel 另存为 .xlsx")


def _check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise _refuse(path, "not-xlsx", "这是二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx 工作簿")
        if "word/document.xml" in names:
            raise _refuse(path, "not-xlsx", "这是 Word 文档（.docx），不是工作簿：请选择评价工作簿（.xlsx）")
        raise _refuse(path, "not-xlsx", "不是 Excel 工作簿（.xlsx）：文件中没有工作簿内容，请确认选对了文件")
    if "xl/vbaProject.bin" in names:
        raise _refuse(path, "macro-workbook", "这是启用宏的工作簿（.xlsm）：请在 Excel 中另存为不含宏的 .xlsx 工作簿")
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (info.file_size > 2**20 and ratio > MAX_RATIO):
            raise _refuse(path, "zip-bomb",
                          f"工作簿解压后异常庞大（{info.filename} 解压为 {info.file_size / 2**20:,.0f} MB），"
                          "疑似损坏或恶意文件，已拒绝读取")


def _declares_doctype(part) -> bool:
    """Return whether an XML part declares a DOCTYPE, reading it in chunks up to its root element."""
    seen = b""
    while chunk := part.read(PROLOG_BYTES):
        seen = seen[-32:] + chunk
        if any(marker in seen for marker in DOCTYPE):
            return True
        if ROOT_START.search(seen):  # a DOCTYPE can only come before the root element
            return False
    return False


def _check_xml(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse any XML part that declares a DOCTYPE: Excel never writes one, entity bombs need one."""
    for info in archive.infolist():
        if not info.filename.lower().endswith(XML_SUFFIXES):
            continue
        with archive.open(info) as part:
            declared = _declares_doctype(part)
        if declared:
            raise _refuse(path, "xml-bomb",
                          f"工作簿的 {info.filename} 含有 XML 实体定义（DOCTYPE），Excel 从不写入这种内容，"
                          "疑似恶意文件，已拒绝读取")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return sheet name -> zip path of its XML part."""
    book = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iterfind("rel:Relationship", NS)}
    parts = {}
    for sheet in book.iterfind("m:sheets/m:sheet", NS):
        target = targets.get(sheet.get(f"{{{NS['r']}}}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def uncached_formulas(xml: bytes) -> set[str]:
    """Return the cells of a sheet's XML holding a formula whose result Excel never cached."""
    if b"<f" not in xml and b":f" not in xml:
        return set()
    return {ref.decode() for ref, inner in CELL.findall(xml)
            if inner and re.search(rb"<(?:\w+:)?f\b", inner) and not re.search(rb"<(?:\w+:)?v>[^<]", inner)}


def column_letter(number: int) -> str:
    """Return Excel's letters for a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """Return the 1-based column number of Excel's letters: A -> 1, AA -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


@dataclass(frozen=True)
class Area:
    """A merged area: its reference (`G2:G3`) and 1-based bounds."""

    ref: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @classmethod
    def parse(cls, ref: str) -> "Area":
        first, last = (REFERENCE.match(part).groups() for part in ref.split(":"))
        return cls(ref, int(first[1]), column_number(first[0]), int(last[1]), column_number(last[0]))

    @property
    def size(self) -> int:
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


@dataclass(frozen=True)
class Cell:
    value: Any
    coordinate: str  # "E7"
    number_format: str  # "0%" for a cell formatted as a percentage, else "General"


@dataclass
class Grid:
    """One worksheet as read: its non-blank cells by row and column (1-based), and what the XML adds."""

    title: str
    rows: dict[int, dict[int, Cell]] = field(default_factory=dict)
    merged: list[Area] = field(default_factory=list)
    uncached: set[str] = field(default_factory=set)  # formulas Excel never calculated
    percent: set[str] = field(default_factory=set)  # cells formatted as a percentage


def _percent_styles(archive: zipfile.ZipFile) -> set[bytes]:
    """Return the cell style indexes (the `s` attribute) whose number format is a percentage."""
    try:
        styles = fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return set()
    codes = {f.get("numFmtId"): re.sub(r'"[^"]*"|\\.', "", f.get("formatCode", ""))
             for f in styles.iterfind("m:numFmts/m:numFmt", NS)}
    found = set()
    for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", NS)):
        number = xf.get("numFmtId", "0")
        if int(number) in PERCENT_FORMATS or "%" in codes.get(number, ""):
            found.add(str(index).encode())
    return found


def _scan_sheets(path: Path, archive: zipfile.ZipFile) -> dict[str, Grid]:
    """Return each sheet with its merged areas, uncached formulas and percentage cells.

    Refuses a sheet whose part is missing or empty, and a merged area or a
    cell count too large to hold in memory.
    """
    names = set(archive.namelist())
    percent_styles = _percent_styles(archive)
    sheets: dict[str, Grid] = {}
    cells = 0
    for name, part in _sheet_parts(archive).items():
        if part not in names:
            raise _refuse(path, "damaged-sheet",
                          f"工作表“{name}”的内容（{part}）不在文件中，文件已损坏：{REPAIR}", name)
        if archive.getinfo(part).file_size == 0:
            raise _refuse(path, "damaged-sheet",
                          f"工作表“{name}”的内容（{part}）是空的（0 字节），文件已损坏：{REPAIR}，"
                          "或从标准模板重新复制该工作表", name)
        xml = archive.read(part)
        sheet = Grid(name, merged=[Area.parse(ref.decode()) for ref in MERGE.findall(xml)])
        largest = max(sheet.merged, key=lambda a: a.size, default=None)
        if largest is not None and largest.size > MAX_MERGED_CELLS:
            raise _refuse(path, "merged-too-large",
                          f"合并区域 {largest.ref} 含 {largest.size:,} 个单元格（上限 {MAX_MERGED_CELLS:,}）："
                          "请取消这个合并后再试", f"{name}!{largest.ref}")
        cells += sum(1 for _ in CELL_TAG.finditer(xml))
        if cells > MAX_CELLS:
            raise _refuse(path, "too-many-cells",
                          f"工作簿的单元格过多（超过 {MAX_CELLS:,} 个，到工作表“{name}”为止）："
                          "请删除与模板无关的工作表，以及大片只设了格式的空白单元格")
        sheet.uncached = uncached_formulas(xml)
        if percent_styles:
            sheet.percent = {ref.decode() for style, ref in STYLED_CELL.findall(xml) if style in percent_styles}
        sheets[name] = sheet
    return sheets


def _fill(path: Path, sheet: Grid, values) -> None:
    """Put the non-blank values the reader found into `sheet`, refusing a sheet too wide to hold."""
    if values.height * values.width > MAX_AREA:
        last = f"{column_letter(values.end[1] + 1)}{values.end[0] + 1}"
        raise _refuse(path, "sheet-too-large",
                      f"工作表“{sheet.title}”在 {last} 还有内容，远超模板的范围：请删除与模板无关的单元格后再试",
                      f"{sheet.title}!{last}")
    for r, row in enumerate(values.to_python(skip_empty_area=False), 1):
        for c, value in enumerate(row, 1):
            if value != "" and value is not None:
                ref = f"{column_letter(c)}{r}"
                sheet.rows.setdefault(r, {})[c] = Cell(value, ref, "0%" if ref in sheet.percent else "General")


def _broken_part(archive: zipfile.ZipFile) -> tuple[str | None, str, str] | None:
    """Return (its sheet name or None, zip path, where the parser stopped) of the first malformed XML part."""
    try:
        owners = {part: name for name, part in _sheet_parts(archive).items()}
    except Exception:  # noqa: BLE001 - the workbook part itself is broken; the loop names it
        owners = {}
    for info in archive.infolist():
        if not info.filename.lower().endswith(XML_SUFFIXES):
            continue
        try:
            with archive.open(info) as part:
                parse(part)
        except ParseError as exc:
            line, column = exc.position
            return owners.get(info.filename), info.filename, f"第 {line} 行第 {column + 1} 个字符处不是合法的 XML"
        except DefusedXmlException:
            return owners.get(info.filename), info.filename, ENTITIES
        except Exception:  # noqa: BLE001 - any other failure of this part also names it
            return owners.get(info.filename), info.filename, "无法解析"
    return None


def _damaged(path: Path, exc: Exception) -> WorkbookError:
    """Return the refusal for a workbook that could not be read, naming the broken part when found."""
    try:
        with zipfile.ZipFile(path) as archive:
            broken = _broken_part(archive)
    except Exception:  # noqa: BLE001 - a zip this broken is reported as a whole
        broken = None
    if broken is None:
        return _refuse(path, "damaged-file", f"工作簿内容已损坏，无法读取（{type(exc).__name__}）：{REPAIR}")
    sheet, part, detail = broken
    if detail is ENTITIES:
        return _refuse(path, "xml-bomb", f"工作簿的 {part} 含有 XML 实体定义，疑似恶意文件，已拒绝读取")
    if sheet:
        return _refuse(path, "damaged-sheet",
                       f"工作表“{sheet}”的内容已损坏（{part} {detail}），无法读取：{REPAIR}", sheet)
    return _refuse(path, "damaged-file", f"工作簿内容已损坏（{part} {detail}），无法读取：{REPAIR}")


def open_workbook(path: Path) -> dict[str, Grid]:
    """Return every sheet of the workbook by its name, with its values.

    Raises WorkbookError with a one-sentence Chinese message for anything that
    is not a readable .xlsx workbook.
    """
    _check_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip(path, archive)
            _check_xml(path, archive)
            sheets = _scan_sheets(path, archive)
        book = CalamineWorkbook.from_path(str(path))
        for name, sheet in sheets.items():
            _fill(path, sheet, book.get_sheet_by_name(name))
    except WorkbookError:
        raise
    except DefusedXmlException:
        raise _refuse(path, "xml-bomb", "工作簿中含有被禁止的 XML 实体定义，疑似恶意文件，已拒绝读取") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _refuse(path, "damaged-file", f"工作簿已损坏，无法解压：{REPAIR}") from None
    except OSError as exc:
        raise _refuse(path, "file-unreadable",
                      f"无法读取文件（{exc.strerror or type(exc).__name__}）：请检查文件权限，或关闭正在使用它的程序") from None
    except (CalamineError, ParseError, KeyError, ValueError) as exc:  # malformed parts
        raise _damaged(path, exc) from None
    return sheets

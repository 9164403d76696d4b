"""Open a workbook file safely, or say in one sentence why it cannot be read.

Everything a user may hand us instead of an .xlsx is recognised before
openpyxl sees it: an empty file, an Excel lock file, an .xls or encrypted
workbook (both OLE compound files), a CSV or other non-zip file, a Word
document, a damaged zip, a macro workbook, and hostile files: zip bombs (entry
sizes are checked before anything is unpacked), XML entity bombs (no part may
declare a DOCTYPE; openpyxl also parses through defusedxml), and sheets whose
cell count or merged areas would make openpyxl build millions of objects.
A damaged part is named by its sheet where it has one.
"""
from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, parse
from openpyxl.utils.cell import range_boundaries

from .errors import WorkbookError, error

MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_RATIO = 100  # a sheet compresses 5-20x; a bomb thousands of times
MAX_CELLS = 1_000_000  # openpyxl keeps every cell as an object: ~300 bytes each
MAX_MERGED_CELLS = 10_000  # openpyxl makes an object for every cell of a merged area
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


def _largest_merge(xml: bytes) -> tuple[str, int]:
    """Return the merged area of a sheet's XML with the most cells, and that count."""
    largest, cells = "", 0
    for ref in MERGE.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        size = (max_col - min_col + 1) * (max_row - min_row + 1)
        if size > cells:
            largest, cells = ref.decode(), size
    return largest, cells


def _scan_sheets(path: Path, archive: zipfile.ZipFile) -> dict[str, set[str]]:
    """Return sheet name -> cells with a formula but no cached value.

    Refuses a sheet whose part is missing or empty, a merged area or a cell
    count that openpyxl could not hold in memory.
    """
    names = set(archive.namelist())
    found: dict[str, set[str]] = {}
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
        merged, size = _largest_merge(xml)
        if size > MAX_MERGED_CELLS:
            raise _refuse(path, "merged-too-large",
                          f"合并区域 {merged} 含 {size:,} 个单元格（上限 {MAX_MERGED_CELLS:,}）："
                          "请取消这个合并后再试", f"{name}!{merged}")
        cells += sum(1 for _ in CELL_TAG.finditer(xml))
        if cells > MAX_CELLS:
            raise _refuse(path, "too-many-cells",
                          f"工作簿的单元格过多（超过 {MAX_CELLS:,} 个，到工作表“{name}”为止）："
                          "请删除与模板无关的工作表，以及大片只设了格式的空白单元格")
        uncached = uncached_formulas(xml)
        if uncached:
            found[name] = uncached
    return found


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
        except Exception:  # noqa: BLE001 - any other failure of this part also names it
            return owners.get(info.filename), info.filename, "无法解析"
    return None


def _damaged(path: Path, exc: Exception) -> WorkbookError:
    """Return the refusal for a workbook openpyxl could not read, naming the broken part when found."""
    try:
        with zipfile.ZipFile(path) as archive:
            broken = _broken_part(archive)
    except Exception:  # noqa: BLE001 - a zip this broken is reported as a whole
        broken = None
    if broken is None:
        return _refuse(path, "damaged-file", f"工作簿内容已损坏，无法读取（{type(exc).__name__}）：{REPAIR}")
    sheet, part, detail = broken
    if sheet:
        return _refuse(path, "damaged-sheet",
                       f"工作表“{sheet}”的内容已损坏（{part} {detail}），无法读取：{REPAIR}", sheet)
    return _refuse(path, "damaged-file", f"工作簿内容已损坏（{part} {detail}），无法读取：{REPAIR}")


def _caused_by(exc: BaseException | None, kind: type) -> bool:
    """Return whether `exc` or an exception it was raised from or during is a `kind`."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def open_workbook(path: Path) -> tuple[openpyxl.Workbook, dict[str, set[str]]]:
    """Return the workbook opened for values, and the formula cells without a cached value.

    Raises WorkbookError with a one-sentence Chinese message for anything that
    is not a readable .xlsx workbook.
    """
    _check_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip(path, archive)
            _check_xml(path, archive)
            uncached = _scan_sheets(path, archive)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it drops
            book = openpyxl.load_workbook(path, data_only=True)
    except WorkbookError:
        raise
    except DefusedXmlException:
        raise _refuse(path, "xml-bomb", "工作簿中含有被禁止的 XML 实体定义，疑似恶意文件，已拒绝读取") from None
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _refuse(path, "damaged-file", f"工作簿已损坏，无法解压：{REPAIR}") from None
    except OSError as exc:
        raise _refuse(path, "file-unreadable",
                      f"无法读取文件（{exc.strerror or type(exc).__name__}）：请检查文件权限，或关闭正在使用它的程序") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on malformed parts
        if _caused_by(exc, DefusedXmlException):  # openpyxl wraps defusedxml's refusal in a ValueError
            raise _refuse(path, "xml-bomb", "工作簿中含有被禁止的 XML 实体定义，疑似恶意文件，已拒绝读取") from None
        raise _damaged(path, exc) from None
    return book, uncached

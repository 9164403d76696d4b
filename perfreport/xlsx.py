"""Open a workbook file safely, or say in one sentence why it cannot be read.

Everything a user may hand us instead of an .xlsx is recognised before
openpyxl sees it: an empty file, an .xls or encrypted workbook (both OLE
compound files), a CSV or other non-zip file, a damaged zip, a macro workbook,
and zip or XML bombs (entry sizes are checked before anything is unpacked;
openpyxl parses through defusedxml, which refuses entity expansion).
"""
from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import WorkbookError, error

MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 200 * 2**20
MAX_RATIO = 100  # a sheet compresses 5-20x; a bomb thousands of times
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)


def _refuse(path: Path, code: str, message: str) -> WorkbookError:
    return WorkbookError(error(code, path.name, message))


def _check_file(path: Path) -> None:
    if not path.exists():
        raise _refuse(path, "file-missing", "文件不存在，请检查路径")
    if not path.is_file():
        raise _refuse(path, "not-a-file", "这是一个文件夹，不是 Excel 工作簿")
    size = path.stat().st_size
    if size == 0:
        raise _refuse(path, "empty-file", "文件是空的（0 字节），请重新保存工作簿")
    if size > MAX_FILE_BYTES:
        raise _refuse(path, "file-too-large",
                      f"工作簿过大（{size / 2**20:.1f} MB，上限 {MAX_FILE_BYTES // 2**20} MB）："
                      "请删除与模板无关的工作表和图片后再试")
    with path.open("rb") as handle:
        head = handle.read(8)
        if head == OLE_MAGIC:
            handle.seek(0)
            if ENCRYPTED_STREAM in handle.read():
                raise _refuse(path, "encrypted", "工作簿设置了打开密码：请在 Excel 中取消密码后另存为 .xlsx")
            raise _refuse(path, "xls-file", "这是旧版 Excel 97-2003 文件（.xls）：请在 Excel 中另存为 .xlsx 工作簿")
    if not head.startswith(b"PK"):
        raise _refuse(path, "not-xlsx", "不是 Excel 工作簿（.xlsx）：可能是 CSV 或其他文件改了扩展名，请用 Excel 另存为 .xlsx")


def _check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise _refuse(path, "not-xlsx", "这是二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx 工作簿")
        raise _refuse(path, "not-xlsx", "不是 Excel 工作簿（.xlsx）：文件中没有工作簿内容，请确认选对了文件")
    if "xl/vbaProject.bin" in names:
        raise _refuse(path, "macro-workbook", "这是启用宏的工作簿（.xlsm）：请在 Excel 中另存为不含宏的 .xlsx 工作簿")
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (info.file_size > 2**20 and ratio > MAX_RATIO):
            raise _refuse(path, "zip-bomb",
                          f"工作簿解压后异常庞大（{info.filename}），疑似损坏或恶意文件，已拒绝读取")


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


def formulas_without_values(archive: zipfile.ZipFile) -> dict[str, set[str]]:
    """Return sheet name -> cells holding a formula whose result Excel never cached."""
    found: dict[str, set[str]] = {}
    for name, part in _sheet_parts(archive).items():
        try:
            xml = archive.read(part)
        except KeyError:
            continue
        if b"<f" not in xml and b":f" not in xml:
            continue
        for ref, inner in CELL.findall(xml):
            if inner and re.search(rb"<(?:\w+:)?f\b", inner) and not re.search(rb"<(?:\w+:)?v>[^<]", inner):
                found.setdefault(name, set()).add(ref.decode())
    return found


def open_workbook(path: Path) -> tuple[openpyxl.Workbook, dict[str, set[str]]]:
    """Return the workbook opened for values, and the formula cells without a cached value.

    Raises WorkbookError with a one-sentence Chinese message for anything that
    is not a readable .xlsx workbook.
    """
    _check_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip(path, archive)
            uncached = formulas_without_values(archive)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it drops
            book = openpyxl.load_workbook(path, data_only=True)
    except WorkbookError:
        raise
    except DefusedXmlException:
        raise _refuse(path, "xml-bomb", "工作簿中含有被禁止的 XML 实体定义，疑似恶意文件，已拒绝读取") from None
    except zipfile.BadZipFile:
        raise _refuse(path, "damaged-file", "工作簿已损坏，无法解压：请用 Excel 打开修复后另存为 .xlsx") from None
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise _refuse(path, "damaged-file",
                      f"工作簿内容已损坏，无法读取（{type(exc).__name__}）：请用 Excel 打开修复后另存为 .xlsx") from None
    return book, uncached

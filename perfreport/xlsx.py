"""Open a workbook file safely, or say in one sentence why it cannot be read.

Everything a user may hand us instead of an .xlsx is recognised first: an
empty file, an Excel lock file, an .xls or encrypted workbook (both OLE
compound files), a CSV or other non-zip file, a Word document, a damaged zip,
a macro workbook, and hostile files: zip bombs and duplicate entries (checked
on the zip directory before anything is unpacked), XML entity bombs (no part
may declare a DOCTYPE), and sheets whose cells, merged areas or extent would
not fit in memory. Parts are found through their relationships as OPC
defines them (`./worksheets/…`, `../xl/…`, `/xl/…`), and only the sheets the
caller wants are read, each in one streaming pass (perfreport.sheetxml). A
damaged part is named by its sheet where it has one.
"""
from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote

from . import bookxml, sheetxml
from .errors import WorkbookError, error
from .sheetxml import MAX_AREA, MAX_CELLS, Damaged, Doctype, Grid, TooLarge

MAX_FILE_BYTES = 20 * 2**20
MAX_UNPACKED_BYTES = 64 * 2**20  # all parts: bounds the text the reader may have to hold
MAX_RATIO = 100  # a sheet compresses 5-20x; a bomb thousands of times
MAX_ELEMENTS = 500_000  # XML elements in the parts read, however padded (100,000 cells need ~400,000)
MAX_MERGED_CELLS = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
OFFICE_DOCUMENT = "/officeDocument"
REPAIR = "请用 Excel 打开（Excel 会提示修复）后另存为 .xlsx"


def _refuse(path: Path, code: str, message: str, location: str | None = None) -> WorkbookError:
    return WorkbookError(error(code, location or path.name, message))


def _check_file(path: Path) -> None:
    if not path.exists():
        raise _refuse(path, "file-missing", "文件不存在，请检查路径")
    if path.is_dir():
        raise _refuse(path, "not-a-file", "这是一个文件夹，不是 Excel 工作簿")
    if not path.is_file():  # a device, a pipe, a socket: reading it may never end
        raise _refuse(path, "not-a-file", "这不是普通文件（可能是设备或管道），不是 Excel 工作簿")
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


def _check_zip(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    """Refuse what the zip directory alone shows is not a workbook or is hostile; return lower-case name -> name."""
    names: dict[str, str] = {}
    total = 0
    for info in archive.infolist():
        key = info.filename.lower()
        if key in names:  # OPC part names ignore case; a reader would take one of the two at random
            raise _refuse(path, "duplicate-part",
                          f"工作簿的压缩包中有两个 {info.filename}（重复的条目），无法确定该读哪一个："
                          f"文件可能被篡改或损坏，{REPAIR}")
        names[key] = info.filename
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 2**20 and ratio > MAX_RATIO:
            raise _refuse(path, "zip-bomb",
                          f"工作簿解压后异常庞大（{info.filename} 解压为 {info.file_size / 2**20:,.0f} MB），"
                          "疑似损坏或恶意文件，已拒绝读取")
        if total > MAX_UNPACKED_BYTES:
            raise _refuse(path, "unpacked-too-large",
                          f"工作簿解压后过大（到 {info.filename} 为止已超过 {MAX_UNPACKED_BYTES // 2**20} MB，"
                          "一份填好的工作簿不到 10 MB）：请删除与模板无关的工作表、图片和大片只设了格式的空白单元格")
    if "xl/vbaproject.bin" in names:
        raise _refuse(path, "macro-workbook", "这是启用宏的工作簿（.xlsm）：请在 Excel 中另存为不含宏的 .xlsx 工作簿")
    return names


def _not_a_workbook(path: Path, names: dict[str, str]) -> WorkbookError:
    if "xl/workbook.bin" in names:
        return _refuse(path, "not-xlsx", "这是二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx 工作簿")
    if "word/document.xml" in names:
        return _refuse(path, "not-xlsx", "这是 Word 文档（.docx），不是工作簿：请选择评价工作簿（.xlsx）")
    return _refuse(path, "not-xlsx", "不是 Excel 工作簿（.xlsx）：文件中没有工作簿内容，请确认选对了文件")


class _Package:
    """The parts of one opened workbook, found by relationship, read through one element budget."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, names: dict[str, str]):
        self.path, self.archive, self.names = path, archive, names
        self.budget = sheetxml.Budget(MAX_ELEMENTS)

    def find(self, name: str) -> str | None:
        """Return the zip entry of part `name` (OPC names ignore case), None when absent."""
        return self.names.get(name.lower())

    def read(self, part: str, reader: Callable, *args, sheet: str | None = None):
        """Return reader(stream of `part`, *args, budget), turning a malformed part into a refusal."""
        where = f"工作表“{sheet}”的内容" if sheet else f"工作簿的 {part}"
        try:
            with self.archive.open(part) as stream:
                return reader(stream, *args, self.budget)
        except Doctype:
            raise _refuse(self.path, "xml-bomb", f"工作簿的 {part} 含有 XML 实体定义（DOCTYPE），Excel 从不写入这种内容，"
                                                 "疑似恶意文件，已拒绝读取") from None
        except Damaged as exc:
            place = f"{sheet}!{exc.cell}" if sheet and exc.cell else (sheet or self.path.name)
            if sheet:
                raise _refuse(self.path, "damaged-sheet",
                              f"{where}已损坏（{part} {exc.detail}），无法读取：{REPAIR}", place) from None
            raise _refuse(self.path, "damaged-file", f"{where}已损坏（{exc.detail}），无法读取：{REPAIR}") from None

    def relationships(self, source: str) -> dict[str, tuple[str, str | None]]:
        """Return relationship id -> (type, zip entry of the target or None) of part `source`."""
        folder, name = posixpath.split(source)
        rels = self.find(posixpath.join(folder, "_rels", name + ".rels"))
        if rels is None:
            return {}
        found = {}
        for relation in self.read(rels, bookxml.relationships):
            target = None if relation.get("TargetMode") == "External" else _resolve(folder, relation.get("Target", ""))
            found[relation.get("Id", "")] = (relation.get("Type", ""), target and self.find(target))
        return found

    def main_part(self) -> str:
        """Return the zip entry of the workbook part, named by the package's relationships (Excel: xl/workbook.xml)."""
        for kind, target in self.relationships("").values():
            if kind.endswith(OFFICE_DOCUMENT) and target and target.lower().endswith(".xml"):
                return target
        found = self.find("xl/workbook.xml")
        if found is None:
            raise _not_a_workbook(self.path, self.names)
        return found


def _resolve(folder: str, target: str) -> str | None:
    """Return the part name a relationship's target means, relative to the source's folder as OPC says."""
    target = unquote(target.strip())
    name = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    return None if not name or name.startswith("../") or name == ".." else name


def _grids(path: Path, package: _Package, choose: Callable[[list[str]], set[str]],
           use: Callable[[Grid], Any]) -> dict[str, Any]:
    main = package.main_part()
    info = package.read(main, bookxml.book)
    if info.root != "workbook":  # the main part of a Word document, say
        raise _not_a_workbook(path, package.names)
    related = package.relationships(main)
    by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in related.values() if target}
    folder = posixpath.dirname(main)
    strings_part = by_type.get("sharedStrings") or package.find(posixpath.join(folder, "sharedStrings.xml"))
    styles_part = by_type.get("styles") or package.find(posixpath.join(folder, "styles.xml"))
    tabs: dict[str, Any] = {name: None for name, _ in info.sheets}
    if len({name.lower() for name in tabs}) < len(info.sheets):  # Excel never lets two tabs share a name
        twice = next(n for n, _ in info.sheets if sum(m.lower() == n.lower() for m, _ in info.sheets) > 1)
        raise _refuse(path, "duplicate-sheet", f"工作簿中有两个名为“{twice}”的工作表，无法确定该读哪一个：{REPAIR}")
    wanted = choose(list(tabs))
    chosen = [(name, related.get(rid, ("", None))[1]) for name, rid in info.sheets if name in wanted]
    if not chosen:
        return tabs
    strings = package.read(strings_part, bookxml.shared_strings) if strings_part else []
    kinds = package.read(styles_part, bookxml.styles) if styles_part else []
    cells = [0]
    for name, part in chosen:
        if part is None:
            raise _refuse(path, "damaged-sheet", f"工作表“{name}”的内容不在文件中，文件已损坏：{REPAIR}", name)
        if package.archive.getinfo(part).file_size == 0:
            raise _refuse(path, "damaged-sheet",
                          f"工作表“{name}”的内容（{part}）是空的（0 字节），文件已损坏：{REPAIR}，"
                          "或从标准模板重新复制该工作表", name)
        grid = Grid(name)
        try:
            package.read(part, sheetxml.worksheet, grid, strings, kinds, info.date1904, cells, sheet=name)
        except TooLarge as exc:
            raise _too_large(path, name, exc) from None
        _check_merged(path, grid)
        try:
            tabs[name] = use(grid)
        except Exception as exc:  # the caller's own failure, not to be reported as a damaged file
            raise _Caller(exc) from exc
    return tabs


class _Caller(Exception):
    """What the caller's `use` raised, carried past the translation of the zip's errors."""


def _too_large(path: Path, sheet: str, exc: TooLarge) -> WorkbookError:
    if exc.what == "area":
        return _refuse(path, "sheet-too-large",
                       f"工作表“{sheet}”在 {exc.cell} 还有内容，远超模板的范围（从 A1 到最后一个有内容的单元格不应超过 "
                       f"{MAX_AREA:,} 个单元格）：请删除与模板无关的单元格后再试", f"{sheet}!{exc.cell}")
    if exc.what == "cells":
        return _refuse(path, "too-many-cells",
                       f"工作簿的单元格过多（超过 {MAX_CELLS:,} 个有内容的单元格，到工作表“{sheet}”为止）："
                       "请删除与模板无关的内容")
    return _refuse(path, "too-many-cells",
                   f"工作簿的 XML 内容过多（超过 {MAX_ELEMENTS:,} 个元素，到工作表“{sheet}”为止），"
                   "疑似损坏或恶意文件：请删除与模板无关的工作表和大片只设了格式的空白单元格")


def _check_merged(path: Path, grid: Grid) -> None:
    largest = max(grid.merged, key=lambda a: a.size, default=None)
    if largest is not None and largest.size > MAX_MERGED_CELLS:
        raise _refuse(path, "merged-too-large",
                      f"合并区域 {largest.ref} 含 {largest.size:,} 个单元格（上限 {MAX_MERGED_CELLS:,}）："
                      "请取消这个合并后再试", f"{grid.title}!{largest.ref}")


def open_workbook(path: Path, choose: Callable[[list[str]], set[str]] = set,
                  use: Callable[[Grid], Any] = lambda grid: grid) -> dict[str, Any]:
    """Return every tab of the workbook by its name, in order: use(its Grid) when `choose(tab names)` has it, else None.

    Sheets not wanted are never parsed; each grid is handed to `use` as soon
    as its sheet is read, so that a caller keeping only what it makes of it
    never holds two. Raises WorkbookError with a one-sentence Chinese
    message for anything that is not a readable .xlsx workbook, or is too
    large to read.
    """
    _check_file(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = _check_zip(path, archive)
            package = _Package(path, archive, names)
            try:
                return _grids(path, package, choose, use)
            except TooLarge as exc:  # the element budget ran out in a part that is not a sheet
                raise _too_large(path, "", exc) from None
    except WorkbookError:
        raise
    except _Caller as exc:
        raise exc.args[0] from None
    except RuntimeError:  # zipfile: an entry encrypted with a zip password
        raise _refuse(path, "encrypted", "工作簿的压缩包设置了密码：请在 Excel 中另存为不加密的 .xlsx") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise _refuse(path, "damaged-file", f"工作簿已损坏，无法解压：{REPAIR}") from None
    except OSError as exc:
        raise _refuse(path, "file-unreadable",
                      f"无法读取文件（{exc.strerror or type(exc).__name__}）：请检查文件权限，或关闭正在使用它的程序") from None

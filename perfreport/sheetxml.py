"""Read the parts of an .xlsx in one streaming pass each: linear time, memory for the cells kept only.

Every XML part perfreport reads goes through `parse`, expat driven in chunks:
no tree is built, a DOCTYPE (which Excel never writes; entity bombs need one)
stops the parse at once, and an element budget bounds the time any part can
take however it is padded. A malformed part raises `Damaged` with the line
and column where expat stopped. Cell values come typed as Excel stored them:
numbers (dates where the cell's format is a date), text with Excel's
`_xHHHH_` escapes decoded once, booleans, and error values (`#N/A`) kept as
errors, never as blanks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any, Callable
from xml.parsers import expat

CHUNK = 64 * 2**10
MAX_CELLS = 300_000  # cells with a value in the sheets read (the sample has 1,500; 100 times it 74,000)
MAX_AREA = 5_000_000  # the rectangle from A1 to the last value
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid
REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # Excel's escape of a character XML cannot hold
PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%
DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))  # built-in, incl. CJK
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # quoted text, escapes, [Red], padding
EPOCH_1900, EPOCH_1904 = datetime(1899, 12, 30), datetime(1904, 1, 1)


class Damaged(Exception):
    """A part is not what it should be; `detail` says where (line, column) or what."""

    def __init__(self, detail: str, cell: str | None = None):
        super().__init__(detail)
        self.detail, self.cell = detail, cell


class Doctype(Exception):
    """A part declares a DOCTYPE."""


class TooLarge(Exception):
    """A part holds more than a workbook can: `what` says what, `cell` where it was found."""

    def __init__(self, what: str, cell: str | None = None):
        super().__init__(what)
        self.what, self.cell = what, cell


class Budget:
    """How many XML elements may still be read, over all parts of one workbook."""

    def __init__(self, elements: int):
        self.left = elements

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooLarge("elements")


def local(name: str) -> str:
    """Return an element or attribute name without its namespace."""
    return name[name.rfind("}") + 1:]


def _refuse_doctype(*_args) -> None:
    raise Doctype()


def parse(part: IO[bytes], start: Callable[[str, dict], None], end: Callable[[str], None] | None = None,
          text: Callable[[str], None] | None = None) -> None:
    """Stream `part` through expat, calling start(name, attributes), end(name), text(data).

    Names of elements and attributes carry their namespace as `uri}name`
    (`local` cuts it off). Raises Doctype,
    Damaged (with where expat stopped), or whatever a callback raises.
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        while chunk := part.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise Damaged(f"第 {exc.lineno} 行第 {exc.offset + 1} 个字符处不是合法的 XML") from None


def unescape(text: str) -> str:
    """Return cell text with Excel's `_xHHHH_` escapes decoded (`_x005F_x0041_` is the literal `_x0041_`)."""
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


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
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


_COLUMNS: dict[str, int] = {}  # letters -> column number, filled as met


def position(ref: str) -> tuple[int, int]:
    """Return (row, column) of a cell reference like `E7`, or raise Damaged."""
    letters = ref.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None:
        match = REFERENCE.match(ref)
        if not match:
            raise Damaged(f"单元格地址“{ref[:20]}”无效")
        letters = match.group(1)
        column = column_number(letters)
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = column
    digits = ref[len(letters):]
    row = int(digits) if digits.isdigit() and digits.isascii() else 0
    if not (1 <= row <= MAX_ROW and 1 <= column <= MAX_COLUMN):
        raise Damaged(f"单元格地址“{ref[:20]}”无效或超出 Excel 的范围")
    return row, column


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
        first, _, last = ref.partition(":")
        (top, left), (bottom, right) = position(first), position(last or first)
        return cls(ref, min(top, bottom), min(left, right), max(top, bottom), max(left, right))

    @property
    def size(self) -> int:
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


@dataclass(frozen=True)
class Cell:
    value: Any  # float, str, bool, date or datetime; for an error value its text (`#N/A`)
    coordinate: str  # "E7"
    number_format: str  # "0%" for a cell formatted as a percentage, else "General"
    error: bool = False  # the cell holds an Excel error value (t="e")


@dataclass
class Grid:
    """One worksheet as read: its non-blank cells by row and column (1-based), and what the XML adds."""

    title: str
    rows: dict[int, dict[int, Cell]] = field(default_factory=dict)
    merged: list[Area] = field(default_factory=list)
    uncached: dict[str, str] = field(default_factory=dict)  # cell -> formula Excel never calculated


# ---- small parts ------------------------------------------------------------

def relationships(part: IO[bytes], budget: Budget) -> list[dict]:
    """Return the Relationship elements of a .rels part as attribute dicts."""
    found: list[dict] = []

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        if name == "Relationship":
            found.append(attributes)
    parse(part, start)
    return found


@dataclass
class BookInfo:
    root: str = ""  # the root element: "workbook"
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (tab name, relationship id)
    date1904: bool = False


def book(part: IO[bytes], budget: Budget) -> BookInfo:
    """Return the tabs of xl/workbook.xml in order, with their relationship ids, and the date system."""
    info = BookInfo()

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        info.root = info.root or name
        if name == "sheet":
            rid = next((v for k, v in attributes.items() if local(k) == "id" and "}" in k), "")
            info.sheets.append((attributes.get("name", ""), rid))
        elif name == "workbookPr":
            info.date1904 = attributes.get("date1904", "0").lower() in ("1", "true")
    parse(part, start)
    return info


def _is_date_code(code: str) -> bool:
    code = FORMAT_LITERALS.sub("", code).lower()
    return bool(re.search(r"[yd]", code) or ("m" in code and not re.search(r"[hs]", code)))


def styles(part: IO[bytes], budget: Budget) -> list[str]:
    """Return, per cell style index (a cell's `s`), "percent", "date" or "" from its number format."""
    codes: dict[str, str] = {}
    formats: list[str] = []
    where: list[str] = []

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        where.append(name)
        if name == "numFmt":
            codes[attributes.get("numFmtId", "")] = attributes.get("formatCode", "")
        elif name == "xf" and len(where) >= 2 and where[-2] == "cellXfs":
            formats.append(attributes.get("numFmtId", "0"))

    def end(name: str) -> None:
        name = local(name)
        where.pop()
    parse(part, start, end)
    kinds = []
    for number in formats:
        code = FORMAT_LITERALS.sub("", codes.get(number, ""))
        builtin = int(number) if number.isdigit() else -1
        if builtin in PERCENT_FORMATS or "%" in code:
            kinds.append("percent")
        elif builtin in DATE_FORMATS or (number in codes and _is_date_code(codes[number])):
            kinds.append("date")
        else:
            kinds.append("")
    return kinds


def shared_strings(part: IO[bytes], budget: Budget) -> list[str]:
    """Return the shared strings in order, rich-text runs joined, phonetic runs (rPh) left out."""
    strings: list[str] = []
    pieces: list[str] = []
    state = {"in_t": False, "phonetic": 0}

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        if name == "t":
            state["in_t"] = not state["phonetic"]
        elif name == "rPh":
            state["phonetic"] += 1

    def end(name: str) -> None:
        name = local(name)
        if name == "t":
            state["in_t"] = False
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == "si":
            strings.append(unescape("".join(pieces)))
            pieces.clear()

    def text(data: str) -> None:
        if state["in_t"]:
            pieces.append(data)
    parse(part, start, end, text)
    return strings


# ---- worksheets ---------------------------------------------------------------

class _SheetReader:
    """The expat callbacks for one worksheet: cells into a Grid, within the cell and area limits.

    Written for speed (this runs once per element of the largest parts):
    element names are compared with their namespace cut off in place, and the
    cell being read lives in plain attributes.
    """

    def __init__(self, grid: Grid, strings: list[str], kinds: list[str], date1904: bool,
                 cells: list[int], max_cells: int, max_area: int, budget: Budget):
        self.grid, self.strings, self.kinds, self.budget = grid, strings, kinds, budget
        self.epoch = EPOCH_1904 if date1904 else EPOCH_1900
        self.cells, self.max_cells, self.max_area = cells, max_cells, max_area
        self.row = 0
        self.column = 0
        self.last_row = self.last_column = 0  # the bottom-right corner of the cells with content
        self.in_cell = False
        self.ref = self.type = self.style = ""
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.inline: list[str] | None = None
        self.collect: list[str] | None = None
        self.phonetic = False

    def start(self, name: str, attributes: dict) -> None:
        budget = self.budget
        budget.left -= 1
        if budget.left < 0:
            raise TooLarge("elements")
        name = name[name.rfind("}") + 1:]
        if name == "c":
            self._open_cell(attributes)
        elif not self.in_cell:
            if name == "row":
                number = attributes.get("r")
                self.row = int(number) if number and number.isdigit() else self.row + 1
                if not 1 <= self.row <= MAX_ROW:
                    raise Damaged(f"行号 {number} 超出 Excel 的范围")
                self.column = 0
            elif name == "mergeCell":
                self.grid.merged.append(Area.parse(attributes.get("ref", "")))
        elif name == "v":
            self.collect = self.value = []
        elif name == "f":
            self.collect = self.formula = []
        elif name == "is":
            self.inline = []
        elif name == "t" and self.inline is not None:
            self.collect = self.inline
        elif name == "rPh":
            self.phonetic = True

    def _open_cell(self, attributes: dict) -> None:
        if self.in_cell:
            raise Damaged("单元格中又嵌套了单元格")
        ref = attributes.get("r")
        if ref:
            self.row, self.column = position(ref)
            self.ref = ref if ref[0] != "$" and ref.isupper() else f"{column_letter(self.column)}{self.row}"
        else:
            self.column += 1
            if self.column > MAX_COLUMN or not self.row:
                raise Damaged("单元格超出 Excel 的范围")
            self.ref = f"{column_letter(self.column)}{self.row}"
        self.in_cell = True
        self.type, self.style = attributes.get("t", "n"), attributes.get("s")
        self.value = self.formula = self.inline = None

    def text(self, data: str) -> None:
        if self.collect is not None and not self.phonetic:
            self.collect.append(data)

    def end(self, name: str) -> None:
        if self.collect is not None:
            self.collect = None
        name = name[name.rfind("}") + 1:]
        if name == "c":
            self.in_cell = False
            self._finish()
        elif name == "rPh":
            self.phonetic = False

    def _finish(self) -> None:
        row, column, ref = self.row, self.column, self.ref
        style = self.style
        kind = ""
        if style and self.kinds:
            index = int(style) if style.isdigit() else -1
            kind = self.kinds[index] if 0 <= index < len(self.kinds) else ""
        try:
            value = self._typed(kind)
        except (ValueError, IndexError):
            raise Damaged(f"单元格 {ref} 的内容无效", ref) from None
        if value is None or value == "":
            if self.formula is not None:
                self.grid.uncached[ref] = unescape("".join(self.formula))
            return
        self.cells[0] += 1
        if self.cells[0] > self.max_cells:
            raise TooLarge("cells")
        if row > self.last_row or column > self.last_column:
            last_row, last_column = max(self.last_row, row), max(self.last_column, column)
            if last_row * last_column > self.max_area:
                raise TooLarge("area", ref)
            self.last_row, self.last_column = last_row, last_column
        cells = self.grid.rows.get(row)
        if cells is None:
            cells = self.grid.rows[row] = {}
        cells[column] = Cell(value, ref, "0%" if kind == "percent" else "General",
                             self.type == "e")

    def _typed(self, kind: str) -> Any:
        """Return the cell's typed value (None when it has none); raise ValueError or IndexError if invalid."""
        t = self.type
        if t == "inlineStr":
            return unescape("".join(self.inline or ()))
        raw = "".join(self.value) if self.value is not None else None
        if not raw:
            return None
        if t == "n":
            number = float(raw)
            if kind == "date" and 0 <= number < 2958466:  # up to 9999-12-31
                return self._date(number)
            return number
        if t == "s":
            return self.strings[int(raw)]
        if t in ("str", "e"):
            return unescape(raw)
        if t == "b":
            return raw.strip() in ("1", "true")
        if t == "d":
            return datetime.fromisoformat(raw.strip())
        raise ValueError(t)

    def _date(self, serial: float) -> date | datetime:
        if self.epoch is EPOCH_1900 and serial < 61:  # Excel's 1900 counts a 29 February that never was
            serial += 1
        moment = self.epoch + timedelta(days=serial)
        return moment.date() if serial == int(serial) else moment


def worksheet(part: IO[bytes], grid: Grid, strings: list[str], kinds: list[str], date1904: bool,
              cells: list[int], budget: Budget, *, max_cells: int = MAX_CELLS, max_area: int = MAX_AREA) -> Grid:
    """Read one worksheet's cells and merged areas into `grid`; raise Damaged or TooLarge.

    `cells` holds the count of cells read so far in the workbook (it is raised here).
    """
    reader = _SheetReader(grid, strings, kinds, date1904, cells, max_cells, max_area, budget)
    parse(part, reader.start, reader.end, reader.text)
    return grid

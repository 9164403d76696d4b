"""Stream the XML parts of an .xlsx through expat, and read a worksheet's cells: linear time, bounded memory.

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
from typing import IO, Any, Callable, Iterable, NamedTuple
from xml.parsers import expat

CHUNK = 64 * 2**10
MAX_CELLS = 100_000  # cells with a value in the sheets read (the sample has 1,500; 100 times it 74,000)
MAX_AREA = 5_000_000  # the rectangle from A1 to the last value
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # Excel's grid
REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # Excel's escape of a character XML cannot hold
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
          text: Callable[[str], None] | None = None, namespaces: bool = True) -> None:
    """Stream `part` through expat, calling start(name, attributes), end(name), text(data).

    Names of elements and attributes carry their namespace as `uri}name`
    (`local` cuts it off), or without `namespaces` their prefix as written
    (`x:c`, mostly `c`). Raises Doctype,
    Damaged (with where expat stopped), or whatever a callback raises.
    """
    parser = expat.ParserCreate(namespace_separator="}") if namespaces else expat.ParserCreate()
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


class Cell(NamedTuple):
    """A cell whose value alone does not say all load needs: a header, an error, a percentage."""

    value: Any  # float, str, bool, date or datetime; for an error value its text (`#N/A`)
    coordinate: str  # "E7" as written
    number_format: str  # "0%" for a cell formatted as a percentage, else "General"
    error: bool = False  # the cell holds an Excel error value (t="e")


@dataclass
class Grid:
    """One worksheet as read: its non-blank cells by row and column (1-based), and what the XML adds.

    A cell is its bare value (float, str, bool, date or datetime), formatted
    "General", except in row 1 and for error values and percentages, which
    are a Cell: most cells then cost no object of their own.
    """

    title: str
    rows: dict[int, dict[int, Any]] = field(default_factory=dict)
    merged: list[Area] = field(default_factory=list)
    uncached: dict[str, str] = field(default_factory=dict)  # cell -> formula Excel never calculated


class _SheetReader:
    """Reads one worksheet's cells into a Grid, within the cell and area limits.

    This runs once per element of the largest parts, so the expat callbacks
    are closures over local variables (the cell being read is a few of
    them), names are compared as written (the prefix of the root element,
    mostly none, is taken for all), and a cell's style is looked up once per
    distinct `s`.
    """

    def __init__(self, grid: Grid, strings: list[str], kinds: list[str], date1904: bool,
                 cells: list[int], max_cells: int, max_area: int, budget: Budget):
        self.grid, self.strings, self.kinds, self.budget = grid, strings, kinds, budget
        self.epoch = EPOCH_1904 if date1904 else EPOCH_1900
        self.cells, self.max_cells, self.max_area = cells, max_cells, max_area

    def handlers(self) -> tuple[Callable, Callable, Callable, Callable]:
        """Return the start, end and text callbacks, and store(cells), which stores cells read."""
        budget, grid, rows, uncached, strings = self.budget, self.grid, self.grid.rows, self.grid.uncached, self.strings
        counted, max_cells, max_area, kind_of = self.cells, self.max_cells, self.max_area, {None: ""}
        texts: dict[str, str] = {}  # one object per distinct inline text: a column often repeats its values
        inlines: dict[str, str] = {}  # an <is> text -> its cell's text
        row = column = last_row = last_column = 0
        in_cell = phonetic = False
        written: str | None = None  # the cell's `r` as written
        kind_attr, style = "n", None
        value: list[str] | None = None
        formula: list[str] | None = None
        inline: list[str] | None = None
        collect: list[str] | None = None  # the list the current text goes to
        C, ROW, V, F, IS, T, RPH, MERGE = "c", "row", "v", "f", "is", "t", "rPh", "mergeCell"

        def start(name: str, attributes: dict) -> None:
            nonlocal row, column, in_cell, phonetic, written, kind_attr, style, value, formula, inline, collect
            nonlocal C, ROW, V, F, IS, T, RPH, MERGE
            budget.left -= 1
            if budget.left < 0:
                raise TooLarge("elements")
            if name == C:
                if in_cell:
                    raise Damaged("单元格中又嵌套了单元格")
                written = attributes.get("r")
                if written:
                    row, column = position(written)
                else:
                    column += 1
                    if column > MAX_COLUMN or not row:
                        raise Damaged("单元格超出 Excel 的范围")
                in_cell = True
                kind_attr, style = attributes.get("t", "n"), attributes.get("s")
                value = formula = inline = None
            elif not in_cell:
                if name == ROW:
                    number = attributes.get("r")
                    row = int(number) if number and number.isdigit() else row + 1
                    if not 1 <= row <= MAX_ROW:
                        raise Damaged(f"行号 {number} 超出 Excel 的范围")
                    column = 0
                elif name == MERGE:
                    grid.merged.append(Area.parse(attributes.get("ref", "")))
                elif ":" in name and not rows and C == "c":  # the root names the prefix, say x:
                    prefix = name.split(":", 1)[0] + ":"
                    C, ROW, V, F, IS, T, RPH, MERGE = (prefix + n for n in ("c", "row", "v", "f", "is", "t", "rPh",
                                                                             "mergeCell"))
            elif name == V:
                collect = value = []
            elif name == IS:
                inline = []
            elif name == T and inline is not None:
                collect = inline
            elif name == F:
                collect = formula = []
            elif name == RPH:
                phonetic = True

        def text(data: str) -> None:
            if collect is not None and not phonetic:
                collect.append(data)

        def end(name: str) -> None:
            nonlocal collect, in_cell, phonetic
            collect = None
            if name == RPH:
                phonetic = False
            if name == C:
                in_cell = False
                store(((written, row, column, kind_attr, style, "".join(value) if value is not None else "",
                        None if formula is None else "".join(formula), "".join(inline) if inline else ""),))

        def store(cells: Iterable[tuple]) -> None:
            """Store cells read, each (written, row, column, t, s, <v> text, <f> text or None, <is> text)."""
            nonlocal last_row, last_column
            count, line_row, line = counted[0], 0, None  # the row being stored into: cells come row by row
            for written, row, column, kind_attr, style, raw, formula, inline in cells:
                kind = kind_of.get(style)
                if kind is None:
                    kind = kind_of[style] = self._kind(style)
                try:
                    if kind_attr == "n" and kind != "date":
                        cell = float(raw) if raw else None
                    elif kind_attr == "s":
                        cell = strings[int(raw)] if raw else None
                    elif kind_attr == "inlineStr":
                        cell = inlines.get(inline)
                        if cell is None:
                            cell = unescape(inline) if inline else ""
                            cell = inlines[inline] = texts.setdefault(cell, cell)
                    else:
                        cell = self._typed(kind_attr, raw, kind)
                        if cell.__class__ is str:
                            cell = texts.setdefault(cell, cell)
                except (ValueError, IndexError):
                    ref = self._ref(written, row, column)
                    raise Damaged(f"单元格 {ref} 的内容无效", ref) from None
                if cell is None or cell == "":
                    if formula is not None:
                        uncached[self._ref(written, row, column)] = unescape(formula)
                    continue
                count += 1
                if count > max_cells:
                    raise TooLarge("cells")
                if row > last_row or column > last_column:
                    if max(last_row, row) * max(last_column, column) > max_area:
                        raise TooLarge("area", self._ref(written, row, column))
                    last_row, last_column = max(last_row, row), max(last_column, column)
                if row != line_row:
                    line_row, line = row, rows.get(row)
                    if line is None:
                        line = rows[row] = {}
                if row == 1 or kind == "percent" or kind_attr == "e":
                    cell = Cell(cell, self._ref(written, row, column), "0%" if kind == "percent" else "General",
                                kind_attr == "e")
                line[column] = cell
            counted[0] = count  # (a batch cut short by a problem is read again, or not at all)

        return start, end, text, store

    def _kind(self, style: str) -> str:
        """Return "percent", "date" or "" for a cell's `s` (a style that is no index is none)."""
        if not self.kinds:
            return ""
        index = int(style) if style.isdigit() else -1
        return self.kinds[index] if 0 <= index < len(self.kinds) else ""

    @staticmethod
    def _ref(written: str | None, row: int, column: int) -> str:
        """Return the cell's reference as written when it is upper case, else as Excel writes it."""
        return written if written and written[0] != "$" and written.isupper() else f"{column_letter(column)}{row}"

    def _typed(self, t: str, raw: str, kind: str) -> Any:
        """Return the typed value of a cell `store` does not read itself (None when it has none).

        Raises ValueError or IndexError if invalid.
        """
        if not raw:
            return None
        if t == "n":
            number = float(raw)
            if kind == "date" and 0 <= number < 2958466:  # up to 9999-12-31
                return self._date(number)
            return number
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

    A sheet in the common form is read by perfreport.sheetscan; any other, or
    one with a problem, by expat's callbacks, which say what and where.

    `cells` holds the count of cells read so far in the workbook (it is raised here).
    """
    from . import sheetscan  # which builds on this module

    reader = _SheetReader(grid, strings, kinds, date1904, cells, max_cells, max_area, budget)
    if part.seekable():
        left, counted = budget.left, cells[0]
        if sheetscan.scan(part, reader.handlers()[3], grid, budget):
            return grid
        grid.rows.clear(), grid.merged.clear(), grid.uncached.clear()  # read it again, with the callbacks
        budget.left, cells[0] = left, counted
        part.seek(0)
    start, end, text, _ = reader.handlers()
    parse(part, start, end, text, namespaces=False)
    return grid

"""Read a worksheet written in the common form with regular expressions instead of expat's callbacks.

Excel and openpyxl write each cell as `<c r="B2" s="1" t="n"><v>…</v></c>`,
attributes in that order, so one split of a run of rows lists its cells'
parts column by column, and what lies between them (row tags only) is
checked by one match: no Python code runs per element, and sheetxml's
`store` takes the cells as a batch. expat still reads every byte (without
callbacks) and stays the authority on well-formedness; texts holding a
reference are read by expat too. Anything outside the recognised forms (a
comment, CDATA, a prefix, a rich-text run, an attribute in another order or
quoting), any problem with a cell, and any limit reached makes `scan`
decline, and the caller reads the sheet again with sheetxml's callbacks,
which say exactly what and where: this path only ever agrees with that one.
"""
from __future__ import annotations

import re
from itertools import repeat
from typing import IO, Callable
from xml.parsers import expat

from .sheetxml import MAX_COLUMN, MAX_ROW, Area, Budget, Damaged, Grid, TooLarge, column_number

CHUNK = 2**20
MAX_CARRY = 4 * 2**20  # bytes held while waiting for the end of a row, the head or the tail
_ATTRIBUTE = r'(?: [A-Za-z][A-Za-z0-9:]{0,40}="[^"<>&]*")'
_CELL = (r'<c r="(?P<letters>[A-Z]{1,3})(?P<digits>[1-9][0-9]{0,6})"(?: s="(?P<s>[0-9]{1,9})")?'  # as _ref spells it
         r'(?: t="(?P<t>[A-Za-z]{1,9})")?'
         r'(?:/>|>(?P<f><f' + _ATTRIBUTE + r'*(?:/>|>[^<]*</f>))?'
         r'(?:<v>(?P<v>[^<]*)</v>|<is><t(?: xml:space="preserve")?>(?P<inline>[^<]*)</t></is>)?</c>)')
CELL = re.compile(_CELL)
GROUPS = CELL.groups
ROW_TAGS = re.compile(r'(?:\s*(?:<row r="[0-9]{1,7}"' + _ATTRIBUTE + r'*/?>|</row>))*+\s*')  # all there is but cells
ROW_NUMBER = re.compile(r'<row r="([0-9]{1,7})"')
DECLARATION = re.compile(r'<\?xml version="1\.[0-9]"(?: encoding="[Uu][Tt][Ff]-8")?(?: standalone="(?:yes|no)")?\?>')
NAME = re.compile(r"<([^\s/>]+)")
MERGE = re.compile(r'<mergeCell ref="([^"<>&]*)"/>')
SHEET_DATA = re.compile(rb"<sheetData\s*(/?)>")
TYPES = {None: "n"}  # a cell's t as read: "n" when it has none
CELL_NAMES = {"c", "row", "v", "f", "is", "t", "rPh", "mergeCell", "sheetData"}  # what sheetxml acts on


class _Decline(Exception):
    """The sheet is not in the common form: read it with the callbacks."""


def expat_texts(raws: list[str]) -> list[str]:
    """Return each element text written as it reads: line ends made \\n, references replaced, as expat does it.

    Raises ExpatError for a text no element can hold.
    """
    read: list[str] = []
    pieces: list[str] = []

    def end(_name: str) -> None:
        read.append("".join(pieces))
        pieces.clear()

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.CharacterDataHandler, parser.EndElementHandler = pieces.append, end
    parser.Parse("<a><b>" + "</b><b>".join(raws) + "</b></a>", True)
    return read[:-1]


def _elements(text: str) -> int:
    """Return the number of elements that begin in `text`, which holds no comment, CDATA or instruction."""
    return text.count("<") - text.count("</")


class _Scanner:
    """The state of one sheet's scan: where in the part it is, the budget spent, the letters seen."""

    def __init__(self, store: Callable, grid: Grid, budget: Budget):
        self.store, self.grid, self.budget = store, grid, budget
        self.columns: dict[str, int] = {}
        self.read: dict[str | None, str] = {None: ""}  # a text as written that reads otherwise -> as read

    def spend(self, elements: int) -> None:
        self.budget.left -= elements
        if self.budget.left < 0:
            raise _Decline()

    def head(self, text: str) -> None:
        """Take what precedes <sheetData> (and that element): nothing in it may be what sheetxml acts on."""
        if text.startswith("<?"):
            declaration = DECLARATION.match(text)
            if not declaration:
                raise _Decline()
            text = text[declaration.end():].lstrip(" \t\r\n")
        if "<!" in text or "<?" in text or not text.startswith("<"):
            raise _Decline()
        if any(name in CELL_NAMES or ":" in name for name in NAME.findall(text)):
            raise _Decline()  # a prefixed name here sets the prefix sheetxml reads cells by
        self.spend(_elements(text) + 1)  # and <sheetData>

    def rows(self, text: str) -> None:
        """Read a run of whole rows into the grid."""
        parts = CELL.split(text)  # what lies between the cells, then each cell's groups, in turn
        between = "".join(parts[::GROUPS + 1])
        if not ROW_TAGS.fullmatch(between):
            raise _Decline()
        self._check_rows([int(n) for n in ROW_NUMBER.findall(between)])
        letters, digits, styles, kinds, formulas, raws, inlines = (
            parts[group::GROUPS + 1] for group in range(1, GROUPS + 1))
        cells = len(letters)  # each a <c>, perhaps a <f>, a <v>, an <is> and its <t>
        self.spend(_elements(between) + 5 * cells - formulas.count(None) - raws.count(None) - 2 * inlines.count(None))
        self._read_texts((raws, inlines))
        for new in set(letters) - self.columns.keys():
            self.columns[new] = column_number(new)
            if self.columns[new] > MAX_COLUMN:
                raise _Decline()
        numbers = list(map(int, digits))
        self._check_rows(numbers)
        read = self.read.get
        if formulas.count(None) < len(formulas):
            formulas = [self._formula(f) if f else None for f in formulas]
        self.store(zip(repeat(None), numbers, map(self.columns.__getitem__, letters), map(TYPES.get, kinds, kinds),
                       styles, map(read, raws, raws), formulas, map(read, inlines, inlines)))

    def _formula(self, element: str) -> str:
        """Return the text of an <f> element as read."""
        text = element[element.index(">") + 1:-len("</f>")] if element.endswith("</f>") else ""
        if "&" in text or "\r" in text:
            self._read_texts(([text],))
        return self.read.get(text, text)

    @staticmethod
    def _check_rows(numbers: list[int]) -> None:
        if numbers and not (1 <= min(numbers) and max(numbers) <= MAX_ROW):
            raise _Decline()

    def _read_texts(self, columns: tuple[list[str | None], ...]) -> None:
        """Learn how the texts of these columns read where that is not as written (a reference, a line end)."""
        new = set().union(*columns) - self.read.keys()
        changed = [text for text in new if "&" in text or "\r" in text]
        if changed:
            self.read.update(zip(changed, expat_texts(changed)))

    def tail(self, text: str) -> None:
        """Take what follows </sheetData>: the merged areas, and nothing else sheetxml acts on."""
        if "<!" in text or "<?" in text:
            raise _Decline()
        names = NAME.findall(text)
        if any(name in CELL_NAMES - {"mergeCell"} or (":" in name and not self.grid.rows) for name in names):
            raise _Decline()
        merged = MERGE.findall(text)
        if len(merged) != names.count("mergeCell"):
            raise _Decline()
        self.spend(_elements(text))
        self.grid.merged.extend(Area.parse(ref) for ref in merged)


def scan(part: IO[bytes], store: Callable, grid: Grid, budget: Budget) -> bool:
    """Read the sheet into `grid` through store(cells) and return True, or return False where sheetxml must read it.

    After False the grid, the budget and whatever `store` counts are
    half-spent: the caller restores them.
    """
    scanner = _Scanner(store, grid, budget)
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse
    pending, where = b"", "head"
    try:
        while chunk := part.read(CHUNK):
            parser.Parse(chunk, False)
            pending, where = _take(scanner, pending + chunk, where)
        parser.Parse(b"", True)
        if where != "tail":
            raise _Decline()
        scanner.tail(pending.decode())
    except (_Decline, expat.ExpatError, ValueError, Damaged, TooLarge):  # a UnicodeDecodeError is a ValueError
        return False
    return True


def _refuse(*_args) -> None:
    raise _Decline()


def _take(scanner: _Scanner, pending: bytes, where: str) -> tuple[bytes, str]:
    """Read what `pending` holds whole; return what is left for the next chunk and where the scan is."""
    if where == "head":
        start = pending.find(b"<sheetData")
        if start < 0:
            return _carry(pending), where
        opening = SHEET_DATA.match(pending, start)
        if not opening:
            return _carry(pending), where  # <sheetData and more, split by the chunk; or no such element
        scanner.head(pending[:start].decode())
        pending, where = pending[opening.end():], "tail" if opening.group(1) else "rows"
    if where == "rows":
        end = pending.find(b"</sheetData>")
        if end >= 0:
            scanner.rows(pending[:end].decode())
            return _carry(pending[end:]), "tail"
        cut = pending.rfind(b"</row>") + len(b"</row>")
        if cut < len(b"</row>"):
            return _carry(pending), where
        scanner.rows(pending[:cut].decode())
        return pending[cut:], where
    return _carry(pending), where


def _carry(pending: bytes) -> bytes:
    if len(pending) > MAX_CARRY:
        raise _Decline()
    return pending

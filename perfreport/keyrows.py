"""Table rows as a template writes them, stamped a run of rows at once (for perfreport.keystream).

Each cell of such a row starts `<w:tc>` and its properties and holds one
key bookmark from its first paragraph to its last, and no other. `cut` cuts
a run of rows at the keys' bookmarks: into what each key holds, and the
markup from one key to the next, a junction (the end of a cell and the
beginning of the next, across a row's end or not). A table's junctions are
the same from row to row, so `Junctions` reads each once, and a table
repeats its values, so `Cells` reads each cell's text and digest once for
its markup. What the keys hold is read together, joined by SEPARATOR: the
texts with one findall, the markup encoded at once. Reading each cell apart
took most of the stamping's time.
"""
from __future__ import annotations

import re
from itertools import chain
from operator import itemgetter
from typing import Callable, Iterable, NamedTuple

from .bodyxml import unescape
from .blocktext import TEXT_OR_NOT, cell_text
from .edits.carrier import CARRIER

TOKEN = re.compile(r"<(/?)w:(p|tbl|tr|tc)(?=[\s/>])[^>]*?(/?)>")  # the body is cut at these: blocks, tables, rows
# a key's start (its id, its name, the key when a tag follows it) or a bookmark's end (its id); split by it, a run
# of n cells is 10n + 1 parts: [junction, id, name, key, None, what the key holds, None, None, None, id, junction …]
KEY_PAIR = re.compile(r'<w:bookmark(?:Start w:id="([^"]*)" w:name="(_prk(?:([^"]*)\|[^"|]*|[^"|]*))"'
                      r'|End w:id="([^"]*)")/>')
SEPARATOR = "\0"  # not in XML: what the keys hold is joined by it, read at once and split again
TEXT_SEPARATOR = f"<w:t>{SEPARATOR}</w:t>"  # SEPARATOR where what the keys hold is read as text
SHAPES = 4096  # how many junctions are kept read at most
CELLS = 1 << 14  # how many cells' texts and digests are kept (or those of the last run read, if more)
ROW_START, ROW_END = ("", "tr", ""), ("/", "tr", "")  # TOKEN's groups for a row's start and end tag
GAPS = {1: [[ROW_START]], 2: [[ROW_END]], 3: [[], [ROW_END, ROW_START]]}  # a junction's tokens by its kind


class Junction(NamedTuple):
    """What stamping needs of a junction."""

    end_markup: bytes  # the end of a cell, from its key's end on, as its digest reads it
    end: str  # that end as written
    hasher: object  # the next cell's digest fed up to its key
    beginning: str  # the next cell's beginning, up to its key
    kind: int  # 1: it only begins a cell (the run's first), 2: it only ends one (the last), 3: both
    plain: bool  # whether it holds no text, and the one paragraph end of the cell it ends


class Cut(NamedTuple):
    """A run of rows cut at its keys' bookmarks."""

    names: list[str]  # the keys' bookmarks' names
    keys: list[str | None]  # the keys they carry (carrier.readable_key, but None for a name without a tag)
    held: list[str]  # what each key holds
    junctions: list[str]
    inside: str  # what the keys hold, joined by SEPARATOR


def cut(xml: str, modelled: Callable[[str], bool]) -> Cut | None:
    """Return the run of rows `xml` cut at its keys' bookmarks; None unless each key is a start followed by its
    end and what the keys hold is `modelled` and holds no cell's tag and no other bookmark."""
    parts = KEY_PAIR.split(xml)
    n = len(parts) // 10
    names, held, junctions = parts[2::10], parts[5::10], parts[::10]
    inside = SEPARATOR.join(held)
    if not n or None in names or parts[1::10] != parts[9::10] or "w:tc" in inside or "<w:bookmark" in inside \
            or inside.count(SEPARATOR) != n - 1 or not modelled(inside):
        return None
    return Cut(names, parts[3::10], held, junctions, inside)


class Junctions:
    """The junctions read so far, for cells whose digests go on from `hasher` (fed a `<w:tc>`'s start); only a
    `modelled` junction is stamped here."""

    def __init__(self, hasher, modelled: Callable[[str], bool]):
        self.hasher, self.modelled = hasher, modelled
        self.known: dict[str, Junction | None] = {}

    def read(self, junctions: list[str]) -> list[Junction] | None:
        """Return the run's junctions read; None unless each is as the template writes it, the first only begins
        a cell, the last only ends one and each other does both."""
        read = list(map(self.known.get, junctions))
        if None in read:
            read = [found or self._read(junction) for found, junction in zip(read, junctions)]
        if None in read or read[0].kind != 1 or read[-1].kind != 2 \
                or sum(map(itemgetter(4), read)) != 3 * (len(read) - 1):  # each kind at most 3: the others are 3
            return None
        return read

    def _read(self, junction: str) -> Junction | None:
        """A junction read (kept), None when it is not as the template writes it: cells' ends and beginnings,
        their properties first, between them a row's end and the next row's start or nothing, no bookmark."""
        close = junction.find("</w:tc>") + 7  # 6 when the junction ends no cell
        ends = close > 6
        begin = junction.find("<w:tc", close if ends else 0)
        end, beginning = junction[:close] if ends else "", junction[begin:] if begin >= 0 else ""
        properties = _properties_end(beginning) if begin >= 0 else 0
        kind = 2 * ends + (begin >= 0)
        gap = TOKEN.findall(junction, close if ends else 0, begin if begin >= 0 else len(junction))
        found = None
        if properties >= 0 and kind and gap in GAPS[kind] and junction.count("</w:tc>") == ends \
                and "<w:tc" not in end and "<w:bookmark" not in junction and self.modelled(junction):
            hasher = None
            if beginning:
                hasher = self.hasher.copy()  # the markup goes on from its start tag's, its properties left out
                hasher.update(_ascii(f">{beginning[properties:]}"))
            plain = TEXT_OR_NOT.search(junction) is None and junction.count("</w:p>") == ends
            found = Junction(_ascii(end), end, hasher, beginning, kind, plain)
        if len(self.known) >= SHAPES:  # kept for the junctions met lately
            self.known.clear()
        self.known[junction] = found
        return found


def _properties_end(beginning: str) -> int:
    """Where the properties of a cell end in its `beginning` (up to its key), -1 when that is not `<w:tc>` and
    its properties or `<w:tc>` alone."""
    if not beginning.startswith("<w:tc>"):
        return -1
    if beginning.startswith("<w:tcPr/>", 6):
        return 15
    if beginning.startswith("<w:tcPr>", 6):
        found = beginning.find("</w:tcPr>", 14)
        return found + 9 if found >= 0 else -1
    return -1 if "<w:tcPr" in beginning else 6


class Cells:
    """The texts and digests of the cells read so far, by their markup: a table repeats its values (zeros, units,
    names), each read once."""

    def __init__(self):
        self.known: dict[tuple[str, str, str], tuple[str, str]] = {}

    def read(self, read: list[Junction], held: list[str]) -> tuple[Iterable[str], Iterable[str]]:
        """Return the texts and the digests of the cells of a run, from its junctions `read` and what its keys
        hold."""
        starts, ends = read[:-1], read[1:]
        cells = list(zip(map(itemgetter(3), starts), held, map(itemgetter(1), ends)))  # their markup
        known = self.known
        found = list(map(known.get, cells))
        if None in found:
            new = [i for i, value in enumerate(found) if value is None]
            starts, held, ends = [starts[i] for i in new], [held[i] for i in new], [ends[i] for i in new]
            if len(known) + len(new) > CELLS:  # kept for the cells met lately
                known.clear()
            for i, value in zip(new, zip(texts(starts, held, ends), digests(starts, held, ends))):
                found[i] = known[cells[i]] = value
        return map(itemgetter(0), found), map(itemgetter(1), found)


def texts(starts: list[Junction], held: list[str], ends: list[Junction]) -> list[str]:
    """The texts of cells (as blocktext.cell_text reads each), from the junctions that start and end them and
    what their keys hold."""
    inside = SEPARATOR.join(held)
    if "</w:p>" not in inside and all(map(itemgetter(5), chain(starts, ends))):  # each key holds its cell's text
        atoms = TEXT_OR_NOT.findall(inside.replace(SEPARATOR, TEXT_SEPARATOR))
        if "" not in atoms:  # no tab, break or empty paragraph
            text = "".join(atoms)
            found = (unescape(text) if "&" in text else text).split(SEPARATOR)
            if len(found) == len(held):
                return found
    # a cell's text is the same without its key's bookmarks
    return list(map(cell_text, map("".join, zip(map(itemgetter(3), starts), held, map(itemgetter(1), ends)))))


def digests(starts: list[Junction], held: list[str], ends: list[Junction]) -> list[str]:
    """The digests of cells' markup (as edits.ooxml.digest reads it, without the key's bookmarks), from the
    junctions that start and end them and what their keys hold."""
    found = []
    append = found.append
    for hasher, markup, end in zip(map(itemgetter(2), starts), _ascii(SEPARATOR.join(held)).split(SEPARATOR.encode()),
                                   map(itemgetter(0), ends)):
        digest = hasher.copy()
        digest.update(markup)
        digest.update(end)
        append(digest.hexdigest()[:8])
    return found


def stamped(cells: Cut, number: int, block: int) -> str:
    """The run with its keys' bookmarks numbered from `number` and named for the blocks from `block` on."""
    junctions = cells.junctions
    return "".join([f'{junction}<w:bookmarkStart w:id="{n}" w:name="{CARRIER}{b}"/>{held}<w:bookmarkEnd w:id="{n}"/>'
                    for junction, n, b, held
                    in zip(junctions, range(number, number + len(cells.held)), range(block, block + len(cells.held)),
                           cells.held)]) + junctions[-1]


def _ascii(xml: str) -> bytes:
    """Markup as lxml writes it: ASCII, with character references."""
    return xml.encode("ascii", "xmlcharrefreplace")

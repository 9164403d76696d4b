"""Table layout without a layout engine: column widths and row breaks estimated from the text.

The template's table designs give default column widths. A table whose
Alt-Text says `layout:SIZE,HEIGHT[,TAIL]` (its cell text set in SIZE pt, on a
text block HEIGHT mm high) is laid out from the rows it is rendered with
(`table`, called from the template as perfreport.table_template prepares it):
  - a column is widened, at the others' expense, until its longest token (a
    number with its sign and unit, a Latin word, with a comma after it) and
    its header (on at most two lines) fit: no number breaks for want of room;
  - then until its values (cell paragraphs of at most SHORT_VALUE ems, a third
    of it numbers) fit on one line, from what the other columns can give
    without any of their cells taking another line: CJK line breaking allows
    a break between a digit and a Han character ("≥8,600万/元", "新增35/个"),
    and no character prevents it in LibreOffice for Chinese text (a WORD
    JOINER U+2060 or ZWJ is ignored there unless the text is tagged as
    Western), so a value is kept whole by giving it the room;
  - a row estimated taller than TALL of the text block may split across
    pages (the header rows repeat); shorter rows may not;
  - the last rows keep together, and with the rows after the loop (a total):
    the last two, or as many as fill TAIL of the text block (for a table that
    ends its part, so that its last page is not a row or two alone).
Widths are counted in ems: a CJK character or full-width sign is one em, a
digit or Latin letter half of one. The estimate is coarse on purpose: it tells
short rows from tall ones, not where a page ends.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

TWIPS_PER_PT = 20
CELL_MARGINS = 2 * 57  # twips: the tables' left and right cell margins
LINE = 1.3  # a single-spaced line, as a multiple of the font size
TALL = 1 / 3  # rows taller than this share of the text block may split
KEPT_ROWS = 2  # the last rows of a table that keep together at least
SHORT_VALUE = 12  # ems: a cell paragraph this long or shorter, a third of it numbers, is a value
CLOSING = "、，。；：！？）"  # punctuation a line may not start with: it stays with the token before it

UNITS = ("个百分点", "百分点", "平方米", "千米", "公里", "万元", "亿元", "千元", "万亩", "万吨", "万人", "人次", "家次",
         "户次", "课时", "小时", "分钟", "千瓦", "兆瓦", "元", "万", "亿", "个", "家", "项", "次", "人", "户", "条", "件",
         "台", "套", "篇", "天", "日", "月", "年", "亩", "吨", "米", "所", "座", "场", "批", "期", "倍", "处", "间", "名",
         "位", "份", "本", "辆", "只", "种", "类", "栋", "张", "册", "部", "分", "元/人")
# A run that should not break across lines: a number with its sign and percent sign (GB/T 15835: a number is
# not split), then its unit ("≥40/%" and "≥8,600万/元" are the breaks to avoid), or a Latin word or code (GB/T).
TOKEN = re.compile(r"(?P<number>[≥≤＞＜><±＋+~～]?\d+(?:[.,，]\d+)*[%‰％℃]?)(?P<unit>"
                   + "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True))) + r")?"
                   r"|(?P<word>[A-Za-z][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*)")
UNBROKEN = re.compile(f"(?:{TOKEN.pattern})[{CLOSING}]?")  # a token and the punctuation that cannot leave it
START = re.compile(r"[\d≥≤＞＜><±＋+~～A-Za-z]")  # what a token starts with


@lru_cache(maxsize=8192)
def ems(text: str) -> float:
    """Return the width of `text` in ems: wide (CJK, full-width) characters 1, others ½, spaces ¼."""
    return sum(map(WIDTHS.__getitem__, text))


class _Widths(dict):
    """character -> its width in ems, found on first use (a dict looked up from C, where a cached function is
    called from Python, character by character)."""

    def __missing__(self, char: str) -> float:
        if char in " \u00a0":
            width = 0.25
        elif unicodedata.east_asian_width(char) in "WFA" or char in "≥≤":
            width = 1.0
        else:
            width = 0.0 if unicodedata.category(char).startswith("C") else 0.5
        self[char] = width
        return width


class _Autospaced(dict):
    """character -> "W" a wide letter or digit, "N" a narrow one, "-" any other: where autospace goes."""

    def __missing__(self, char: str) -> str:
        self[char] = ("W" if WIDTHS[char] == 1 else "N") if char.isalnum() else "-"
        return self[char]


WIDTHS, AUTOSPACED = _Widths(), _Autospaced()


def break_inside(text: str, position: int) -> str | None:
    """Return what a line break before text[position] would split: "number", "unit" (a number from its
    unit, or a unit), "word", or None when it falls between tokens."""
    for match in TOKEN.finditer(text):
        if match.start() < position < match.end():
            if match.group("word"):
                return "word"
            return "number" if position < match.end("number") else "unit"
    return None


def is_value(paragraph: str) -> bool:
    """Return whether a cell paragraph is a value: at most SHORT_VALUE ems, a third or more of it numbers."""
    width = ems(paragraph)
    if not 0 < width <= SHORT_VALUE:  # before the numbers are looked for: most text is longer
        return False
    return sum(ems(m.group("number")) for m in TOKEN.finditer(paragraph) if m.group("number")) >= width / 3


@dataclass
class TableLayout:
    """What the template asks of a table's layout: its grid, and whether each row splits or keeps."""

    grid: list[int]  # twips, one per grid column (a dropped column 0)
    whole_rows: set[int] = field(default_factory=set)  # ids of the rows that may not split
    kept_rows: set[int] = field(default_factory=set)  # ids of the rows that keep with the next

    def span(self, first: int, count: int = 1) -> int:
        """Return the width of `count` grid columns from `first`: a cell's w:tcW."""
        return sum(self.grid[first:first + count])

    def whole(self, row: Any) -> bool:
        return id(row) in self.whole_rows

    def keep(self, row: Any) -> bool:
        return id(row) in self.kept_rows


def table(rows: list, drop: str, defaults: list[int], keys: list[str | None], size: float, height: float,
          merged: tuple[int, ...] = (), tail: bool = False, heads: list[str] | None = None,
          share: float = 0.0) -> TableLayout:
    """Return the layout of a table rendered from `rows` (each row's cells by `keys`, one per grid column).

    `defaults` are the template's widths in twips, `drop` the columns compose
    found empty (`6,7`: their width goes to the widest column, as
    perfreport.render removes them), `size` the cell text in pt, `height` the
    text block in mm, `merged` the columns merged vertically (their text spans
    a group of rows and is left out of the rows' heights), `tail` whether rows
    follow the loop (a total row), `heads` the header text over each column,
    `share` the part of the text block the last rows fill together (TAIL). A
    row holding `rows` of its own (a section of the 问卷 table) counts as a
    one-line row, then its rows.
    """
    dropped = {int(c) for c in str(drop or "").split(",") if c.strip()}
    widths = _without(defaults, dropped)
    flat = [row for item in rows for row in ([item, *item["rows"]] if _section(item) else [item])]
    plain = [not _section(row) for row in flat]
    # each column's cell texts, None where a row has no cell (no key, a section's title row)
    columns = [[_text(row.get(key, "")) if own else None for row, own in zip(flat, plain)] if key
               else [None] * len(flat) for key in keys]
    measures = {text: _measure(text) for column in columns for text in column if text is not None}
    heads = heads or [""] * len(widths)
    floors, wants, paragraphs = [], [], []
    for c, width in enumerate(widths):
        cells = [measures[text] for text in set(columns[c]) if text is not None]
        paragraphs.append({p for cell in cells for p in cell.paragraphs})
        if keys[c] is None or c in dropped:
            floors.append(width)
            wants.append(width)
            continue
        head = min(ems(heads[c]), max(2.0, math.ceil(ems(heads[c]) / 2)))
        floors.append(_twips(max(head, max((cell.token for cell in cells), default=0)), size))
        wants.append(max(floors[-1], _twips(max((cell.value for cell in cells), default=0), size)))
    grid = _fit(widths, floors, floors)
    if any(want > width for want, width in zip(wants, grid)):
        limits = [want if want > width else max(want, _free(width, paragraphs[c], floors[c], size))
                  for c, (want, width) in enumerate(zip(wants, grid))]
        grid = _fit(grid, wants, limits)
    layout = TableLayout(grid)
    block = height * 72 / 25.4  # pt
    heights = [n * size * LINE for n in _row_lines(columns, measures, grid, size, merged)]
    layout.whole_rows = {id(row) for row, h in zip(flat, heights) if h <= TALL * block}
    total, count = 0.0, 0
    for position in range(len(flat) - 1, -1, -1):
        row = flat[position]
        if id(row) not in layout.whole_rows or (count >= KEPT_ROWS and total >= share * block):
            break
        if tail or position < len(flat) - 1:
            layout.kept_rows.add(id(row))
        total, count = total + heights[position], count + 1
    return layout


class Cell(NamedTuple):
    """What a cell's text measures, in ems: its paragraphs, its widest unbroken token, its widest value (0: none)."""

    paragraphs: tuple[float, ...]
    token: float
    value: float


@lru_cache(maxsize=1 << 14)
def _measure(text: str) -> Cell:
    """Return the measures of a cell's text: tables repeat texts (names, units, 是/否), measured once each."""
    paragraphs = _paragraphs(text)
    token = max((_spaced(t) for p in paragraphs for t in _unbroken(p)), default=0)
    value = max((_spaced(p) for p in paragraphs if is_value(p)), default=0)
    return Cell(tuple(map(ems, paragraphs)), token, value)


def _unbroken(paragraph: str) -> Iterator[str]:
    """Yield what UNBROKEN.finditer matches, looked for only where a token can start (finditer tries a match at
    every character, which costs more than finding the next one that can start a token)."""
    position = 0
    while (start := START.search(paragraph, position)) is not None:
        match = UNBROKEN.match(paragraph, start.start())
        position = match.end() if match else start.start() + 1
        if match:
            yield match.group(0)


def _row_lines(columns: list[list[str | None]], measures: dict[str, Cell], grid: list[int], size: float,
               merged: tuple[int, ...]) -> list[int]:
    """Return each row's line count: its tallest cell's, merged and zero-width columns left out, 1 at least."""
    counts = [1] * len(columns[0]) if columns else []
    for c, column in enumerate(columns):
        if c in merged or not grid[c]:
            continue
        lines = {text: _lines(measures[text].paragraphs, grid[c], size) for text in set(column) if text is not None}
        lines[None] = 0  # no cell: no line of its own
        counts = list(map(max, counts, map(lines.__getitem__, column)))
    return counts


def _section(row: Any) -> bool:
    return isinstance(row, dict) and isinstance(row.get("rows"), list)


def _text(value: Any) -> str:
    """Return a cell's text as the template prints it (None: empty)."""
    return str(value if value is not None else "")


def _paragraphs(text: str) -> list[str]:
    """Return a cell's paragraphs (docxtpl's \\a starts a new one inside the cell)."""
    return text.replace("\n", "\a").split("\a")


def _without(defaults: list[int], dropped: set[int]) -> list[int]:
    """Return the widths with the dropped columns' width given to the widest kept column (0 for the dropped)."""
    widths = [0 if c in dropped else w for c, w in enumerate(defaults)]
    if dropped and any(widths):
        widest = max(range(len(widths)), key=lambda c: widths[c])
        widths[widest] += sum(defaults[c] for c in dropped)
    return widths


def _spaced(text: str) -> float:
    """Return the width of `text` in ems with the quarter em Word and LibreOffice put between digits or
    Latin letters and Han characters (autospace)."""
    kinds = "".join(map(AUTOSPACED.__getitem__, text))  # a change is "WN" or "NW": two never overlap
    return ems(text) + 0.25 * (kinds.count("WN") + kinds.count("NW"))


def _twips(width: float, size: float) -> int:
    """Return the column width in twips that holds `width` ems of `size` pt text, cell margins included."""
    return math.ceil(width * size * TWIPS_PER_PT) + CELL_MARGINS if width else 0


def _fit(widths: list[int], targets: list[int], limits: list[int]) -> list[int]:
    """Return the widths, same total: each column below its target raised, from what the others have above
    their limits, in proportion."""
    grid = [float(w) for w in widths]
    deficits = [max(0.0, t - g) if g else 0.0 for t, g in zip(targets, grid)]
    spare = [max(0.0, g - limit) if d == 0 else 0.0 for g, limit, d in zip(grid, limits, deficits)]
    moved = min(sum(deficits), sum(spare))
    if moved <= 0:
        return list(widths)
    for c in range(len(grid)):
        grid[c] += moved * deficits[c] / sum(deficits) - moved * spare[c] / sum(spare)
    rounded = [round(g) for g in grid]
    rounded[max(range(len(rounded)), key=lambda c: rounded[c])] += sum(widths) - sum(rounded)
    return rounded


def _free(width: int, paragraphs: set[float], floor: int, size: float) -> int:
    """Return the narrowest width, down to `floor`, at which no cell of a column (its distinct paragraph widths in
    ems) takes more lines than at `width`.

    A paragraph never takes fewer lines in a narrower cell, so a cell keeps its line count exactly when each of
    its paragraphs keeps its own: the distinct widths decide, not the cells they are in.
    """
    lines = {p: _lines((p,), width, size) for p in paragraphs}
    low, high = floor, width
    while low < high:
        middle = (low + high) // 2
        if all(_lines((p,), middle, size) <= n for p, n in lines.items()):
            high = middle
        else:
            low = middle + 1
    return high


def _lines(paragraphs: Sequence[float], width: int, size: float) -> int:
    """Return how many lines paragraphs this many ems wide take in a cell `width` twips wide, set in `size` pt."""
    per_line = max(width - CELL_MARGINS, TWIPS_PER_PT * size) / TWIPS_PER_PT / size  # ems a line holds
    return sum(max(1, math.ceil(p / per_line)) for p in paragraphs)

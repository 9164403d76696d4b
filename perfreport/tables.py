"""The table instructions of the template's Alt-Text, carried out on the rendered text of each table.

A table whose Alt-Text (w:tblDescription) says `merge:0,1,…` is merged
vertically: down the body rows, a cell equal to the one above in its column
(and in every column before it in the list) continues that cell. `drop:7,…`
removes grid columns compose found empty, their width going to the widest
column left. The description is then removed. Only tables that carry one
are visited. Rows, cells, paragraphs and runs are found with literal
searches; where a table holds something that can wrap them (a nested table,
a content control, a hyperlink, a revision …) the general walk of
`bodyxml.children` finds the direct children instead.
"""
from __future__ import annotations

import re

from .bodyxml import TEXT, children, collapse, element_end, unescape

DESCRIPTION = re.compile(r'<w:tblDescription w:val="([^"]*)"/>')
# w:tcPr children that come after w:vMerge in the schema's sequence
AFTER_VMERGE = re.compile(r"<w:(?:tcBorders|shd|noWrap|tcMar|textDirection|tcFitText|vAlign|hideMark|headers|"
                          r"cellIns|cellDel|cellMerge|tcPrChange)[ />]")
GRID_COLUMN = re.compile(r"<w:gridCol\b[^>]*?(?:/>|>.*?</w:gridCol>)")
GRID_WIDTH = re.compile(r'w:w="(\d+)"')
SPAN = re.compile(r'<w:gridSpan w:val="(\d+)"/>')
WIDTH = re.compile(r'<w:tcW w:w="(-?\d+)" w:type="dxa"/>')
OPENING = {name: re.compile(f"<{name}[ >/]") for name in ("w:tr", "w:tc", "w:p", "w:r")}
# what can stand between an element and the rows, cells, paragraphs or runs it holds
_BLOCKS = ("<w:tbl>", "<w:sdt", "<w:customXml")
WRAPPERS = {"w:tr": _BLOCKS, "w:tc": _BLOCKS, "w:p": _BLOCKS + ("<w:txbxContent", "<mc:AlternateContent"),
            "w:r": _BLOCKS + ("<w:txbxContent", "<mc:AlternateContent", "<w:hyperlink", "<w:smartTag", "<w:fldSimple",
                              "<w:ins ", "<w:del ", "<w:moveTo", "<w:moveFrom", "<w:dir ", "<w:bdo ")}


def table_passes(xml: str) -> str:
    """Carry out the `merge:`/`drop:` Alt-Text of every table in `xml` (each table whole in it)."""
    if "<w:tblDescription" not in xml:
        return xml
    out, at = [], 0
    for match in DESCRIPTION.finditer(xml):
        start = xml.rfind("<w:tbl>", at, match.start())
        if start < 0:  # the table of a description already passed: done with it
            continue
        end = element_end(xml, start, "w:tbl")
        out += [xml[at:start], _table(xml[start:end])]
        at = end
    out.append(xml[at:])
    return "".join(out)


def _table(tbl: str) -> str:
    """The table with its own instructions carried out, then those of the tables nested in it."""
    described = DESCRIPTION.search(tbl)
    if described.start() < tbl.find("</w:tblPr>"):  # its own, not a nested table's
        words = dict(word.partition(":")[::2] for word in unescape(described.group(1)).split())
        if "merge" in words or "drop" in words:
            table = Table(tbl[:described.start()] + tbl[described.end():])
            if words.get("merge"):
                table.merge([int(c) for c in words["merge"].split(",")])
            for column in sorted((int(c) for c in words.get("drop", "").split(",") if c), reverse=True):
                table.drop(column)
            tbl = table.text()
    inner = tbl.find("<w:tbl>", 1)
    return tbl if inner < 0 else tbl[:inner] + table_passes(tbl[inner:])


def _spans(xml: str, name: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of the `name` elements directly inside xml[start:end]."""
    if any(xml.find(w, start, end) >= 0 for w in WRAPPERS[name]):
        return [(s, e) for n, s, e in children(xml, start, end) if n == name]
    close = f"</{name}>"
    spans = []
    for match in OPENING[name].finditer(xml, start, end):
        if spans and match.start() < spans[-1][1]:
            continue
        tag_end = xml.find(">", match.start()) + 1
        stop = tag_end if xml[tag_end - 2] == "/" else xml.find(close, tag_end) + len(close)
        spans.append((match.start(), stop))
    return spans


class Table:
    """A table's text cut into what comes before its rows, its rows cut into cells, and the rest."""

    def __init__(self, tbl: str):
        self.parts: list[str | list[str]] = []  # text between rows, and rows as [before, cell, between, cell, …, after]
        at = 0
        for start, end in _spans(tbl, "w:tr", tbl.find(">") + 1, len(tbl) - len("</w:tbl>")):
            self.parts += [tbl[at:start], _row(tbl[start:end])]
            at = end
        self.parts.append(tbl[at:])
        self.grid = [_grid_width(m.group(0)) for m in GRID_COLUMN.finditer(self.parts[0])]

    def text(self) -> str:
        return "".join(p if isinstance(p, str) else "".join(p) for p in self.parts)

    def rows(self) -> list[list[str]]:
        return self.parts[1::2]

    def merge(self, columns: list[int]) -> None:
        """Merge equal cells of `columns` down the body rows, each column inside its parent's group."""
        previous: list[str] | None = None
        for row in self.rows():
            if "<w:tblHeader" in row[0]:
                continue
            if len(row) // 2 != len(self.grid):  # a spanning row (section title, total) ends every group
                previous = None
                continue
            key = ["".join(TEXT.findall(row[2 * c + 1])) for c in columns]
            for depth, column in enumerate(columns):
                same = previous is not None and key[: depth + 1] == previous[: depth + 1]
                cell = _set_vmerge(row[2 * column + 1], "continue" if same else "restart")
                row[2 * column + 1] = _emptied(cell) if same else cell
            previous = key

    def drop(self, column: int) -> None:
        """Remove grid column `column`; its width goes to the widest remaining column."""
        width = self.grid[column]
        widest = max((i for i in range(len(self.grid)) if i != column), key=lambda i: self.grid[i])
        target = widest - (widest > column)
        self.parts[0] = _dropped_grid(self.parts[0], column, target + (target >= column), width)
        self.grid = [_grid_width(m.group(0)) for m in GRID_COLUMN.finditer(self.parts[0])]
        for row in self.rows():
            position, kept = 0, [row[0]]
            for n in range(1, len(row), 2):
                cell = row[n]
                found = SPAN.search(cell, 0, cell.find("</w:tcPr>"))
                span = int(found.group(1)) if found else 1
                if position <= column < position + span:
                    if span > 1:
                        kept += [_width(_span(cell, found, span - 1), -width), row[n + 1]]
                    else:
                        kept[-1] += row[n + 1]
                elif position <= target + (target >= column) < position + span:
                    kept += [_width(cell, width), row[n + 1]]
                else:
                    kept += [cell, row[n + 1]]
                position += span
            row[:] = kept


def _grid_width(column: str) -> int:
    found = GRID_WIDTH.search(column)
    return int(found.group(1)) if found else 0


def _dropped_grid(head: str, column: int, target: int, width: int) -> str:
    """The text before the rows without grid column `column`, `width` added to column `target`."""
    out, at = [], 0
    for n, match in enumerate(GRID_COLUMN.finditer(head)):
        out.append(head[at:match.start()])
        if n == target:
            out.append(GRID_WIDTH.sub(f'w:w="{_grid_width(match.group(0)) + width}"', match.group(0), count=1))
        elif n != column:
            out.append(match.group(0))
        at = match.end()
    out.append(head[at:])
    return "".join(out)


def _row(tr: str) -> list[str]:
    """A row as [before its cells, cell, between, cell, …, after]."""
    parts, at = [], 0
    for start, end in _spans(tr, "w:tc", tr.find(">") + 1, len(tr) - len("</w:tr>")):
        parts += [tr[at:start], tr[start:end]]
        at = end
    parts.append(tr[at:])
    return parts


def _set_vmerge(tc: str, value: str) -> str:
    """Set w:vMerge on a cell, in schema order (a cell without w:tcPr gets one)."""
    merge = f'<w:vMerge w:val="{value}"/>'
    paragraph = tc.find("<w:p")
    start = tc.find("<w:tcPr", 0, paragraph if paragraph >= 0 else len(tc))
    if start < 0:
        at = tc.find(">") + 1
        return f"{tc[:at]}<w:tcPr>{merge}</w:tcPr>{tc[at:]}"
    if tc.startswith("<w:tcPr/>", start):
        return f"{tc[:start]}<w:tcPr>{merge}</w:tcPr>{tc[start + len('<w:tcPr/>'):]}"
    end = tc.find("</w:tcPr>", start)
    following = AFTER_VMERGE.search(tc, start, end)
    limit = following.start() if following else end
    found = tc.find("<w:vMerge", start, limit)
    if found < 0:
        return tc[:limit] + merge + tc[limit:]
    close = tc.find(">", found) + 1
    tag = tc[found:close]
    tag = re.sub(r'w:val="[^"]*"', f'w:val="{value}"', tag) if 'w:val="' in tag else f'{tag[:-2]} w:val="{value}"/>'
    return tc[:found] + tag + tc[close:]


def _emptied(tc: str) -> str:
    """The cell with its first paragraph left, without runs, as Word wants a merged-away cell."""
    paragraphs = _spans(tc, "w:p", tc.find(">") + 1, len(tc) - len("</w:tc>"))
    if not paragraphs:
        return tc
    start, end = paragraphs[0]
    first = tc[start:end]
    if not first.endswith("/>"):
        for s, e in reversed(_spans(first, "w:r", first.find(">") + 1, len(first) - len("</w:p>"))):
            first = first[:s] + first[e:]
        first = collapse(first)
    out, at = [tc[:start], first], end
    for s, e in paragraphs[1:]:
        out.append(tc[at:s])
        at = e
    out.append(tc[at:])
    return "".join(out)


def _span(tc: str, found: re.Match, span: int) -> str:
    return tc[:found.start()] + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + tc[found.end():]


def _width(tc: str, change: int) -> str:
    """The cell's width (w:tcW in twips) changed by `change`; a width given otherwise is left as it is."""
    found = WIDTH.search(tc, 0, tc.find("</w:tcPr>"))
    if not found:
        return tc
    return f'{tc[:found.start()]}<w:tcW w:w="{int(found.group(1)) + change}" w:type="dxa"/>{tc[found.end():]}'

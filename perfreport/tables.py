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


# any of them, or a cell with attributes: what makes a row not plain (not as the template writes rows); its
# alternatives after a common `<w:` (re tries each alternative at every `<`: 3 times faster)
_NOT_PLAIN = WRAPPERS["w:r"] + ("<w:tc ",)
NOT_PLAIN = re.compile("<(?:w:(?:%s)|%s)" % ("|".join(re.escape(w[3:]) for w in _NOT_PLAIN if w.startswith("<w:")),
                                            "|".join(re.escape(w[1:]) for w in _NOT_PLAIN if w[:3] != "<w:")))
BOOKMARKS = re.compile(r"(?:<w:bookmark(?:Start|End) [^<>]*/>)*")
RUN = re.compile(r"<w:r>.*?</w:r>", re.DOTALL)
PARAGRAPHS_RUNS = re.compile(r"<w:(?:p[ >/]|r )")  # the starts of paragraphs, and of runs with attributes


def table_passes(xml: str) -> str:
    """Carry out the `merge:`/`drop:` Alt-Text of every table in `xml` (each table whole in it)."""
    tables = TablePass()
    return tables.feed(xml) + tables.close()


class TablePass:
    """Carries out the tables' instructions on body text fed in pieces cut at paragraph starts.

    Text outside a table with instructions passes straight through; such a
    table's rows are carried out one at a time as they are complete, the
    text of a row not yet complete is held back for the next piece.
    """

    def __init__(self) -> None:
        self.held = ""  # the start of a row, or of a table's head, not yet complete
        self.table: _Table | None = None

    def feed(self, xml: str) -> str:
        """Return the text of `xml` (after what was held back) that is done."""
        xml, self.held = self.held + xml, ""
        out, at = [], 0
        while at < len(xml):
            if self.table is None:
                found = DESCRIPTION.search(xml, at)
                start = xml.rfind("<w:tbl>", at, found.start()) if found else -1
                words = _words(found.group(1)) if found else {}
                if start < 0 or ("merge" not in words and "drop" not in words):  # nothing to do up to there
                    stop = found.end() if found else len(xml)
                    out.append(xml[at:stop])
                    at = stop
                    continue
                out.append(xml[at:start])
                if not words.get("merge") and not words.get("drop"):  # nothing to do but drop the description
                    out.append(xml[start:found.start()])
                    at = found.end()
                    continue
                at, self.table = start, _Table(words)
            at = self.table.carry_out(xml, at, out)
            if not self.table.done:  # the rest of the table is still to come: hold it back
                self.held = xml[at:]
                break
            self.table = None
        return "".join(out)

    def close(self) -> str:
        """What is still held back (only when the text ended inside a table: not well-formed)."""
        held, self.held = self.held, ""
        return held


class _Table:
    """One table with instructions: its head once read, the row before, and the columns to drop."""

    def __init__(self, words: dict[str, str]):
        self.merge = [int(c) for c in words["merge"].split(",")] if words.get("merge") else []
        self.restarts = {int(r) for r in words.get("restart", "").split(",") if r}  # body rows that begin a page
        self.body_rows = 0  # the body (not header) rows carried out
        self.drop = sorted((int(c) for c in words.get("drop", "").split(",") if c), reverse=True)
        self.drops: list[tuple[int, int, int]] | None = None  # (column, target, width), once the head is read
        self.columns = 0
        self.previous: list[str] | None = None
        self.done = False

    def carry_out(self, xml: str, at: int, out: list[str]) -> int:
        """Write the table's complete parts from `at` to `out`; return where it stopped (`done` at its end)."""
        if self.drops is None:
            first_row, end = _next_row(xml, at), xml.find("</w:tbl>", at)
            if first_row < 0 and end < 0:
                return at
            head_end = first_row if first_row >= 0 and (end < 0 or first_row < end) else end
            out.append(self._head(xml[at:head_end]))
            at = head_end
        end = xml.find("</w:tbl>", at)
        plain_to = -1  # the rows up to here are plain (as the template writes them: nothing wraps a cell …)
        while True:
            row = _next_row(xml, at)
            if 0 <= end < at:  # a table in the row just done ended there
                end = xml.find("</w:tbl>", at)
            if row < 0 or (0 <= end < row):
                if end < 0:
                    return at
                out.append(xml[at:end + len("</w:tbl>")])
                self.done = True
                return end + len("</w:tbl>")
            wrapper = next((w for w in ("<w:sdt>", "<w:customXml ") if xml.find(w, at, row) >= 0), None)
            if wrapper:  # a row in a content control stays as it is, as the tree pass left it
                start = xml.find(wrapper, at, row)
                stop = element_end(xml, start, wrapper[1:-1])
                if stop < 0:
                    return at
                out.append(xml[at:stop])
                at = stop
                continue
            close = xml.find("</w:tr>", row)
            if close < 0:  # the row is still to come
                return at
            close += len("</w:tr>")
            if plain_to < close:  # one search up to what is not plain, not one for each row
                found = NOT_PLAIN.search(xml, row, end if end > row else len(xml))
                plain_to = found.start() if found else end if end > row else len(xml)
            plain = close <= plain_to  # then no table in it either: it ends at the first </w:tr>
            if plain and not self.drops:  # the plain rows from here, at once
                stop = xml.rfind("</w:tr>", row, plain_to) + len("</w:tr>")
                out += [xml[at:row], self._merged(xml[row:stop])]
            else:
                stop = close if plain else _row_end(xml, row)
                if stop < 0:
                    return at
                out += [xml[at:row], self._row(xml[row:stop], plain)]
            at = stop

    def _head(self, head: str) -> str:
        """The table's start without its description, its grid without the dropped columns."""
        head = DESCRIPTION.sub("", head, count=1)
        grid = [_grid_width(m.group(0)) for m in GRID_COLUMN.finditer(head)]
        self.columns, self.drops = len(grid), []
        for column in self.drop:
            width = grid[column]
            widest = max((i for i in range(len(grid)) if i != column), key=lambda i: grid[i])
            target = widest - (widest > column)
            head = _dropped_grid(head, column, target + (target >= column), width)
            grid = grid[:column] + grid[column + 1:]
            grid[target] += width
            self.drops.append((column, target, width))
        return head

    def _row(self, tr: str, plain: bool) -> str:
        """The row carried out: merged with the row before, its cells of dropped columns removed.

        `plain`: nothing in the row wraps its cells, paragraphs or runs, no cell has attributes.
        """
        row = _cells(tr, plain)
        if self.merge and "<w:tblHeader" not in row[0]:
            merged = self._merged_cells(len(row) // 2, [row[2 * c + 1] for c in self.merge], plain)
            for column, cell in zip(self.merge, merged):
                row[2 * column + 1] = cell
        for column, target, width in self.drops:
            row = _dropped(row, column, target, width)
        tr = "".join(row)
        return tr if plain or "<w:tblDescription" not in tr else table_passes(tr)  # the tables in its cells

    def _merged(self, rows: str) -> str:
        """Plain rows, each up to its </w:tr>, merged: only the cells of the merge columns are cut out."""
        trs = rows.split("</w:tr>")
        for n in range(len(trs) - 1):
            parts = trs[n].split("<w:tc>")  # before the cells, then each cell's content and what follows it
            if "<w:tblHeader" in parts[0]:
                continue
            grid = len(parts) - 1 == self.columns  # else never merged
            ends = [parts[c + 1].find("</w:tc>") + len("</w:tc>") for c in self.merge] if grid else []
            merged = self._merged_cells(len(parts) - 1, ["<w:tc>" + parts[c + 1][:end] for c, end in zip(self.merge, ends)],
                                        plain=True)
            for column, end, cell in zip(self.merge, ends, merged):
                parts[column + 1] = cell[len("<w:tc>"):] + parts[column + 1][end:]
            trs[n] = "<w:tc>".join(parts)
        return "</w:tr>".join(trs)

    def _merged_cells(self, count: int, cells: list[str], plain: bool) -> list[str]:
        """The cells of the merge columns (`cells`, in their order) of the next body row, of `count` cells in all,
        merged with the row before; none when it is not a row of the grid's cells."""
        index, self.body_rows = self.body_rows, self.body_rows + 1
        if count != self.columns or index in self.restarts:  # a spanning row (section title, total),
            self.previous = None  # or a row that begins a page: the groups start again
        if count != self.columns:
            return []
        previous, key, same = self.previous, [], self.previous is not None
        for depth, cell in enumerate(cells):
            text = "".join(TEXT.findall(cell))
            key.append(text)
            same = same and previous[depth] == text  # and so in every merge column before it
            cell = _set_vmerge(cell, "continue" if same else "restart")
            cells[depth] = _emptied(cell, plain) if same else cell
        self.previous = key
        return cells


def _spans(xml: str, name: str, start: int, end: int, plain: bool = False) -> list[tuple[int, int]]:
    """The (start, end) of the `name` elements directly inside xml[start:end] (`plain`: no wrappers there)."""
    if not plain and any(xml.find(w, start, end) >= 0 for w in WRAPPERS[name]):
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


def _words(description: str) -> dict[str, str]:
    return dict(word.partition(":")[::2] for word in unescape(description).split())


def _next_row(xml: str, at: int) -> int:
    if xml.startswith(("<w:tr>", "<w:tr "), at):  # right after the row before, as the template writes rows
        return at
    found = OPENING["w:tr"].search(xml, at)
    return found.start() if found else -1


def _row_end(xml: str, start: int) -> int:
    """The end of the row at `start` (-1: not in `xml`)."""
    end = xml.find("</w:tr>", start)
    if end >= 0 and xml.find("<w:tbl>", start, end) < 0:
        return end + len("</w:tr>")
    return element_end(xml, start, "w:tr")


def _dropped(row: list[str], column: int, target: int, width: int) -> list[str]:
    """The row without its cell of grid column `column`; `width` goes to the cell of `target` (after the drop)."""
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
    return kept


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


def _cells(tr: str, plain: bool) -> list[str]:
    """A row as [before its cells, cell, between, cell, …, after]."""
    if plain:  # no cell in a cell, none with attributes
        pieces = tr.split("<w:tc>")
        parts = [pieces[0]]
        for piece in pieces[1:]:
            end = piece.find("</w:tc>") + len("</w:tc>")
            parts += ["<w:tc>" + piece[:end], piece[end:]]
        return parts
    parts, at = [], 0
    for start, end in _spans(tr, "w:tc", tr.find(">") + 1, len(tr) - len("</w:tr>")):
        parts += [tr[at:start], tr[start:end]]
        at = end
    parts.append(tr[at:])
    return parts


def _set_vmerge(tc: str, value: str) -> str:
    """Set w:vMerge on a cell, in schema order (a cell without w:tcPr gets one)."""
    if tc.startswith("<w:tc><w:tcPr>"):  # as the template writes its cells: the properties are done once
        end = tc.find("</w:tcPr>") + len("</w:tcPr>")
        key = (tc[:end], value)
        properties = MERGED.get(key)
        if properties is None:
            properties = _vmerged(key[0], value)
            if len(MERGED) < 10_000:
                MERGED[key] = properties
        return properties + tc[end:]
    return _vmerged(tc, value)


MERGED: dict[tuple[str, str], str] = {}  # (a cell's start as written, value) -> with its w:vMerge


def _vmerged(tc: str, value: str) -> str:
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


def _emptied(tc: str, plain: bool) -> str:
    """The cell with its first paragraph left, without runs, as Word wants a merged-away cell."""
    if plain and PARAGRAPHS_RUNS.findall(tc) == ["<w:p>"]:  # one paragraph; it and its runs without attributes
        start = tc.find("<w:p>")
        end = tc.find("</w:p>", start)
        inner = tc[start + len("<w:p>"):end]
        properties = (inner[:inner.find("</w:pPr>") + len("</w:pPr>")] if inner.startswith("<w:pPr>")
                      else "<w:pPr/>" if inner.startswith("<w:pPr/>") else "")
        kept = RUN.sub("", inner[len(properties):])
        if BOOKMARKS.fullmatch(kept):  # runs and bookmarks only, as the template writes cells
            kept = properties + kept
            return tc[:start] + (f"<w:p>{kept}</w:p>" if kept else "<w:p/>") + tc[end + len("</w:p>"):]
    paragraphs = _spans(tc, "w:p", tc.find(">") + 1, len(tc) - len("</w:tc>"), plain)
    if not paragraphs:
        return tc
    start, end = paragraphs[0]
    first = tc[start:end]
    if not first.endswith("/>"):
        for s, e in reversed(_spans(first, "w:r", first.find(">") + 1, len(first) - len("</w:p>"), plain)):
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

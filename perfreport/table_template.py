"""Prepare the template's laid-out tables: their widths and row properties become Jinja.

The template stays a document Word opens: its tables carry numbers (the
designs' default widths) and `w:cantSplit`, and a table to be laid out from
its rows says so in its Alt-Text, `layout:SIZE,HEIGHT` (perfreport.layout).
After docxtpl has prepared the XML (its `{%tr %}` rows are then plain
`{% for %}` / `{% endfor %}` between the rows), `prepare` rewrites each such
table, much as docxtpl turns a `{% colspan %}` into a w:gridSpan:
  - `{% set _table = table_layout(rows, drop, defaults, keys, …) %}` before it;
  - every w:gridCol and w:tcW width becomes `{{ _table.grid[i] }}` /
    `{{ _table.span(first, count) }}`, in the rows a loop repeats a name set
    to it once after the call (`{{ _span_first_count }}`);
  - in the rows a loop repeats, w:cantSplit holds only for `_table.whole(r)`
    and every paragraph keeps with the next for `_table.keep(r)`, asked once
    a row (`{% set _keep = … %}` before it);
  - the `layout:` word leaves the Alt-Text.
The rows, the keys of the loop row's cells (`{{ r.c3 }}` → "c3") and the
columns dropped are read from the table's own XML; a table without the word
is left exactly as it is.
"""
from __future__ import annotations

import re

TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
DESCRIPTION = re.compile(r'<w:tblDescription w:val="([^"]*)"/>')
LAYOUT = re.compile(r"(?:^|\s)layout:([\d.]+),([\d.]+)(?:,([\d.]+))?(?=\s|$)")
GRID_COLUMN = re.compile(r'<w:gridCol w:w="(\d+)"/>')
ROW_OR_TAG = re.compile(r"<w:tr[ >].*?</w:tr>|\{%-?\s*(for|endfor)\b(.*?)-?%\}", re.S)
CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
SPAN = re.compile(r'<w:gridSpan w:val="(\d+)"/>')
WIDTH = re.compile(r'<w:tcW w:w="\d+"')
FOR = re.compile(r"\s*(\w+)\s+in\s+(.+?)\s*$", re.S)
NAME = "_table"


def prepare(xml: str) -> str:
    """Return the prepared template XML with every `layout:` table's widths and rows made Jinja."""
    return TABLE.sub(lambda m: _table(m.group(0)), xml) if "layout:" in xml else xml


def _table(xml: str) -> str:
    described = DESCRIPTION.search(xml)
    words = described.group(1) if described else ""
    layout = LAYOUT.search(words)
    if layout is None:
        return xml
    size, height, share = layout.groups()
    rest = LAYOUT.sub(" ", words).strip()
    xml = xml.replace(described.group(0), f'<w:tblDescription w:val="{rest}"/>' if rest else "", 1)
    defaults = [int(w) for w in GRID_COLUMN.findall(xml)]
    counter = iter(range(len(defaults)))
    xml = GRID_COLUMN.sub(lambda m: f'<w:gridCol w:w="{{{{ {NAME}.grid[{next(counter)}] }}}}"/>', xml)
    merged = re.search(r"(?:^|\s)merge:([\d,]+)", rest)
    drop = re.search(r"drop:\{\{\s*(.+?)\s*\}\}", rest)
    loops, keys, rows_expr, parts, spans = [], [None] * len(defaults), None, [], {}
    looped = tail = False  # the outer loop has ended; a row follows it
    position = 0
    for match in ROW_OR_TAG.finditer(xml):
        parts.append(xml[position:match.start()])
        position = match.end()
        tag, detail = match.group(1), match.group(2)
        if tag == "for":
            name, expr = FOR.match(detail).groups()
            rows_expr = rows_expr or expr
            loops.append(name)
        elif tag == "endfor":
            loops.pop()
            looped = looped or not loops
        else:
            row = _widths(match.group(0), spans if loops else None)
            if loops:
                row = _loop_row(row, loops[-1])
                keys = _keys(match.group(0), loops[-1], len(defaults)) or keys
            tail = tail or (looped and not loops)
        parts.append(row if tag is None else match.group(0))
    parts.append(xml[position:])
    call = (f"{{% set {NAME} = table_layout({rows_expr or '[]'}, {drop.group(1) if drop else repr('')}, {defaults}, "
            f"{keys}, {size}, {height}, ({merged.group(1) + ',' if merged else ''}), {tail}, {_heads(xml, len(defaults))}, "
            f"{share or 0}) %}}")
    # as text: a text is printed as it is, a number is made one each time
    widths = "".join(f"{{% set {name} = {NAME}.span({first}, {count}) | string %}}"
                     for (first, count), name in spans.items())
    return call + widths + "".join(parts)


def _heads(xml: str, columns: int) -> list[str]:
    """Return the header text over each grid column (cells spanning several columns left out)."""
    heads = [""] * columns
    for row in re.findall(r"<w:tr[ >](?:(?!</w:tr>).)*?<w:tblHeader/>.*?</w:tr>", xml, re.S):
        column = 0
        for cell in CELL.findall(row):
            span = int(SPAN.search(cell).group(1)) if SPAN.search(cell) else 1
            text = re.sub(r"\{\{.*?\}\}|<[^>]+>", "", cell)
            if span == 1 and column < columns and len(text) > len(heads[column]):
                heads[column] = text
            column += span
    return heads


def _widths(row: str, spans: dict[tuple[int, int], str] | None) -> str:
    """Return the row with each cell's w:tcW made the width of the grid columns it spans; with `spans` (a row a
    loop repeats) a name for that width, added to `spans`."""
    column = 0
    cells = []
    for cell in CELL.findall(row):
        span = int(SPAN.search(cell).group(1)) if SPAN.search(cell) else 1
        width = f"{NAME}.span({column}, {span})"
        if spans is not None:
            width = spans.setdefault((column, span), f"_span_{column}_{span}")
        cells.append(WIDTH.sub(f'<w:tcW w:w="{{{{ {width} }}}}"', cell, count=1))
        column += span
    pieces = CELL.split(row)
    return pieces[0] + "".join(cell + piece for cell, piece in zip(cells, pieces[1:]))


def _loop_row(row: str, name: str) -> str:
    """Return a repeated row whose cantSplit and keep-with-next come from the layout of row `name`."""
    row = row.replace("<w:cantSplit/>", f"{{% if {NAME}.whole({name}) %}}<w:cantSplit/>{{% endif %}}")
    keep = "{% if _keep %}<w:keepNext/>{% endif %}"
    row, kept = re.subn(r"(<w:pPr>(?:<w:pStyle [^>]*/>)?)", lambda m: m.group(1) + keep, row)
    return f"{{% set _keep = {NAME}.keep({name}) %}}{row}" if kept else row


def _keys(row: str, name: str, columns: int) -> list[str | None] | None:
    """Return the key each grid column of a loop row prints (`{{ r.c3 }}` → "c3"), None for other cells;
    None when the row does not span the grid cell by cell (a section title)."""
    keys = []
    for cell in CELL.findall(row):
        span = int(SPAN.search(cell).group(1)) if SPAN.search(cell) else 1
        # in the cell's text, not in its key bookmark's name (`_prk{{r.key}}.c0`)
        printed = re.search(r"<w:t(?: [^>]*)?>[^<]*\{\{\s*" + re.escape(name) + r"\.(\w+)\s*\}\}", cell)
        keys += [printed.group(1) if printed and span == 1 else None] + [None] * (span - 1)
    return keys if len(keys) == columns and any(keys) else None

"""Keys for what a build's template left without one: a firm's own fixed text, rows and tables.

The default template keys every paragraph and cell it writes. A firm's
template may add text in Word (a heading, a sentence, a fixed table) that
has no key bookmark, or lose one; such a block gets a key from what it is,
so that an editor's change to it is carried over like any other:

- a paragraph: `auto/` + its text (the first 24 characters);
- a cell in a row with keyed cells: that row's key and its column, ROW.cN;
- any other cell: `auto/` + the first text of its table, then r (row) and c
  (column): a fixed table's rows are the template's.

A key met twice becomes KEY@2, KEY@3 … in document order. Empty paragraphs
stay unkeyed: nothing in them can be edited away.
"""
from __future__ import annotations

from .carrier import Block, mark
from .match import row_of

SHOWN = 24


def _table_names(blocks: list[Block]) -> dict[int, str]:
    """Return id(w:tbl) -> the `auto/…` prefix of its unkeyed cells: the table's first text."""
    names: dict[int, str] = {}
    for block in blocks:
        if block.kind == "cell" and id(block.top) not in names and block.text.strip():
            names[id(block.top)] = "auto/" + block.text.strip()[:SHOWN // 2]
    return names


def _row_keys(blocks: list[Block]) -> dict[int, str]:
    rows: dict[int, str] = {}
    for block in blocks:
        if block.kind == "cell" and block.key and row_of(block.key) is not None:
            rows.setdefault(id(block.row), row_of(block.key))
    return rows


def key_unkeyed(blocks: list[Block]) -> int:
    """Give every unkeyed block with content a key and its bookmark (in place); return how many.

    The bookmarks get id 0 and the name `_prk` + key: the caller names and numbers them with the rest.
    """
    taken = {b.key for b in blocks if b.key}
    rows, tables = _row_keys(blocks), _table_names(blocks)
    row_numbers: dict[int, dict[int, int]] = {}
    count = 0
    for block in blocks:
        if block.key is not None:
            continue
        if block.kind == "p":
            if not block.text.strip():
                continue
            key = "auto/" + block.text.strip()[:SHOWN]
        elif id(block.row) in rows:
            key = f"{rows[id(block.row)]}.c{block.column}"
        else:
            numbers = row_numbers.setdefault(id(block.top), {})
            row = numbers.setdefault(id(block.row), len(numbers))
            key = f"{tables.get(id(block.top), 'auto/表')}.r{row}.c{block.column}"
        unique, n = key, 1
        while unique in taken:
            n += 1
            unique = f"{key}@{n}"
        taken.add(unique)
        block.key = unique
        block.start = mark(block.elements[0], unique, f"u{count}")
        count += 1
    return count

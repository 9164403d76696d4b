"""Find the generated blocks whose key an editor's program dropped.

A key can go missing: python-docx's `paragraph.text = …` and `cell.text = …`
clear the bookmark with the text, and some programs drop one when a whole
paragraph is retyped. Such blocks are found again, in this order:

1. a cell in a row whose other cells kept their keys: it is that row's cell
   at the same place (cell keys are ROW.cN; the row's stored keys, in
   order, are its cells from left to right, whatever columns were dropped);
2. between two blocks that kept their keys, the unkeyed paragraphs and cells
   are matched to the stored blocks missing there: same text first, then
   similar text (ratio ≥ 0.6), then, when as many remain on both sides, in
   order (a paragraph rewritten in place).

What stays unmatched is an editor's insertion.

`rekey` does the like for the new build's paragraphs whose key the data
changed (keys are made of the data: a retitled section renames its heading's
key and its paragraphs'): same text, then similar text, never by order alone.
"""
from __future__ import annotations

from .carrier import Block
from .store import Store

SIMILAR = 0.6


def row_of(key: str) -> str | None:
    """Return the row part of a cell key (ROW of ROW.cN), or None when the key is not a cell's."""
    head, at, repeat = key.rpartition("@")
    row, _, column = (head if at and repeat.isdigit() else key).rpartition(".c")
    return row if row and column.isdigit() else None


def _by_row(blocks: list[Block], stored: Store, taken: set[str]) -> None:
    cells: dict[str, list[str]] = {}  # row -> its cells' keys, left to right
    for block in stored.blocks:
        row = row_of(block.key) if block.kind == "cell" else None
        if row is not None:
            cells.setdefault(row, []).append(block.key)
    rows: dict[int, str] = {}
    for block in blocks:
        if block.kind == "cell" and block.key and row_of(block.key) in cells:
            rows.setdefault(id(block.row), row_of(block.key))
    for block in blocks:
        if block.kind == "cell" and block.key is None and id(block.row) in rows:
            row = cells[rows[id(block.row)]]
            key = row[block.column] if block.column < len(row) else None
            if key is not None and key not in taken:
                block.key = key
                taken.add(key)


def _similar(a: str, b: str) -> float:
    from difflib import SequenceMatcher  # a build reads row_of only

    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR else 0.0


def _pair(unkeyed: list[Block], missing: list, taken: set[str]) -> None:
    """Match one gap's unkeyed blocks to the stored blocks missing there."""
    free = [m for m in missing if m.key not in taken]
    for block in unkeyed:  # same text
        found = next((m for m in free if m.kind == block.kind and m.text == block.text), None)
        if found is not None:
            block.key = found.key
            free.remove(found)
    for block in [b for b in unkeyed if b.key is None]:  # similar text
        scored = [(_similar(m.text, block.text), i) for i, m in enumerate(free) if m.kind == block.kind]
        score, index = max(scored, default=(0.0, -1))
        if score >= SIMILAR:
            block.key = free.pop(index).key
    left = [b for b in unkeyed if b.key is None]
    if left and len(left) == len(free) and all(b.kind == m.kind for b, m in zip(left, free)):
        for block, stored in zip(left, free):  # rewritten in place
            block.key = stored.key
    taken.update(b.key for b in unkeyed if b.key)


def recover(blocks: list[Block], store: Store) -> None:
    """Give keys back to the blocks of an edited document that lost them (in place)."""
    order = {b.key: i for i, b in enumerate(store.blocks)}
    seen: set[str] = set()
    for block in blocks:  # a key met twice (a copied paragraph) belongs to its first block
        if block.key is not None and (block.key in seen or block.key not in order):
            block.key = None
        elif block.key is not None:
            seen.add(block.key)
    _by_row(blocks, store, seen)
    previous, gap = -1, []
    for block in blocks + [None]:
        if block is not None and block.key is None:
            if block.text.strip():
                gap.append(block)
            continue
        here = order[block.key] if block is not None else len(store.blocks)
        if gap and here > previous:
            missing = [s for s in store.blocks[previous + 1: here] if s.key not in seen and s.text.strip()]
            _pair(gap, missing, seen)
        gap = []
        previous = max(previous, here)


def _rename(new: list[Block], vanished: list, taken: set[str]) -> None:
    """Give the new paragraphs of one gap the keys of vanished ones with the same, else similar, text."""
    for block in new:
        found = next((v for v in vanished if v.text == block.text), None)
        if found is None:
            scored = [(_similar(v.text, block.text), i) for i, v in enumerate(vanished)]
            score, index = max(scored, default=(0.0, -1))
            found = vanished[index] if score >= SIMILAR else None
        if found is not None:
            vanished.remove(found)
            block.key = found.key
            taken.add(found.key)


def rekey(built: list[Block], store: Store) -> None:
    """Give the new build's paragraphs the key they had in `store` when the data renamed it (in place).

    Between two paragraphs whose keys both have, a paragraph with a key the
    store lacks takes the key of one the new build lacks. Cells keep their
    keys: a row that changed its data is another row.
    """
    order = {b.key: i for i, b in enumerate(store.blocks) if b.kind == "p"}
    present = {b.key for b in built if b.key in order}
    previous, gap = -1, []
    for block in [b for b in built if b.kind == "p" and b.key and (b.key in order or b.text.strip())] + [None]:
        if block is not None and block.key not in order:
            gap.append(block)
            continue
        here = order[block.key] if block is not None else len(store.blocks)
        if gap and here > previous:
            vanished = [s for s in store.blocks[previous + 1: here]
                        if s.kind == "p" and s.key not in present and s.text.strip()]
            _rename(gap, vanished, present)
        gap = []
        previous = max(previous, here)

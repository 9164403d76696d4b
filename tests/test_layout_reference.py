"""perfreport.layout.table against a straightforward reference: the same estimate, every cell measured anew.

The package measures each distinct text once and each distinct paragraph
width once per column; the reference below measures every paragraph of every
cell, as the estimate is described in perfreport.layout's docstring. Both
must give the same grid and the same row flags for any rows.
"""
from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport import layout
from perfreport.layout import (CELL_MARGINS, KEPT_ROWS, LINE, TALL, TWIPS_PER_PT, UNBROKEN, _fit, _spaced,
                               _twips, _without, ems, is_value)


def reference(rows, drop, defaults, keys, size, height, merged=(), tail=False, heads=None, share=0.0):
    """Return (grid, ids of the whole rows, ids of the kept rows), every paragraph of every cell measured."""
    dropped = {int(c) for c in str(drop or "").split(",") if c.strip()}
    widths = _without(defaults, dropped)
    flat = [row for item in rows for row in ([item, *item["rows"]] if _section(item) else [item])]
    cells = [[_paragraphs(row.get(key, "")) if key and not _section(row) else [] for key in keys] for row in flat]
    heads = heads or [""] * len(widths)
    floors, wants = [], []
    for c, width in enumerate(widths):
        column = [row[c] for row in cells]
        if keys[c] is None or c in dropped:
            floors.append(width)
            wants.append(width)
            continue
        head = min(ems(heads[c]), max(2.0, math.ceil(ems(heads[c]) / 2)))
        longest = max([_spaced(m.group(0)) for cell in column for p in cell for m in UNBROKEN.finditer(p)], default=0)
        floors.append(_twips(max(head, longest), size))
        values = [_spaced(p) for cell in column for p in cell if is_value(p)]
        wants.append(max(floors[-1], _twips(max(values, default=0), size)))
    measured = [[[ems(p) for p in row[c]] for row in cells] for c in range(len(widths))]
    grid = _fit(widths, floors, floors)
    if any(want > width for want, width in zip(wants, grid)):
        limits = [want if want > width else max(want, _free(width, measured[c], floors[c], size))
                  for c, (want, width) in enumerate(zip(wants, grid))]
        grid = _fit(grid, wants, limits)
    block = height * 72 / 25.4
    heights = [_height([measured[c][r] for c in range(len(grid))], grid, size, merged) for r in range(len(flat))]
    whole = {id(row) for row, h in zip(flat, heights) if h <= TALL * block}
    kept, total, count = set(), 0.0, 0
    for position in range(len(flat) - 1, -1, -1):
        row = flat[position]
        if id(row) not in whole or (count >= KEPT_ROWS and total >= share * block):
            break
        if tail or position < len(flat) - 1:
            kept.add(id(row))
        total, count = total + heights[position], count + 1
    return grid, whole, kept


def _section(row):
    return isinstance(row, dict) and isinstance(row.get("rows"), list)


def _paragraphs(value):
    return str(value if value is not None else "").replace("\n", "\a").split("\a")


def _free(width, column, floor, size):
    lines = [_lines(cell, width, size) for cell in column]
    low, high = floor, width
    while low < high:
        middle = (low + high) // 2
        if all(_lines(cell, middle, size) <= n for cell, n in zip(column, lines)):
            high = middle
        else:
            low = middle + 1
    return high


def _height(cells, grid, size, merged):
    lines = [_lines(paragraphs, grid[c], size) for c, paragraphs in enumerate(cells)
             if c not in merged and grid[c] and paragraphs]
    return max(lines or [1]) * size * LINE


def _lines(paragraphs, width, size):
    per_line = max(width - CELL_MARGINS, TWIPS_PER_PT * size) / TWIPS_PER_PT / size
    return sum(max(1, math.ceil(p / per_line)) for p in paragraphs)


# Pieces a cell is made of: values that must not break, words, running text, paragraph breaks.
PIECES = ["≥8,600万元", "新增≥35个", "，净增≥30个", "≥40%", "12,961.52", "≤5.5个百分点", "100%", "0", "——",
          "GB/T 15835", "PDF", "说明", "部门能够执行国家财经法规", "资金", "（一）", "、", "。", " ", "\n", "\a",
          "甲", "2023年", "A-1", "满意度"]
texts = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
long_texts = st.integers(1, 400).map(lambda n: "说明" * n)
cell_values = st.one_of(texts, texts, texts, long_texts, st.none(), st.integers(-10**7, 10**7))


@st.composite
def tables(draw):
    """Return the arguments of a layout.table call: rows, sections among them, of a few shared texts."""
    columns = draw(st.integers(1, 7))
    keys = [None if draw(st.integers(0, 9)) == 0 else f"c{c}" for c in range(columns)]
    pool = draw(st.lists(cell_values, min_size=1, max_size=12))  # repeated texts, as real tables repeat them
    row = st.fixed_dictionaries({f"c{c}": st.sampled_from(pool) for c in range(columns)})
    section = st.builds(lambda title, rows: {"title": title, "rows": rows}, texts, st.lists(row, max_size=4))
    rows = draw(st.lists(st.one_of(row, row, row, section), max_size=30))
    defaults = draw(st.lists(st.integers(200, 6000), min_size=columns, max_size=columns))
    drop = ",".join(str(c) for c in range(columns) if draw(st.integers(0, 5)) == 0)
    merged = tuple(c for c in range(columns) if draw(st.integers(0, 3)) == 0)
    heads = draw(st.one_of(st.none(), st.lists(texts, min_size=columns, max_size=columns)))
    size, height = draw(st.sampled_from([9, 10.5, 12])), draw(st.sampled_from([156, 225, 60]))
    tail, share = draw(st.booleans()), draw(st.sampled_from([0.0, 0.4, 0.9]))
    return rows, drop, defaults, keys, size, height, merged, tail, heads, share


@settings(max_examples=400, deadline=None)
@given(tables())
def test_table_gives_what_the_reference_gives_for_any_rows(arguments):
    result = layout.table(*arguments)
    assert (result.grid, result.whole_rows, result.kept_rows) == reference(*arguments)


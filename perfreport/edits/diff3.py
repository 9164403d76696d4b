"""Three-way merge of one block's text: generated-then (base), edited-now (mine), generated-now (theirs).

Texts are compared as tokens: a number with its separators and percent sign
("12,961.52", "79.25%") is one token, a Latin word is one, every other
character is its own. So a changed figure is one replacement, never a few
digits here and there. The merge is the classic diff3: where all three agree
nothing happens; where only the generator changed, its change applies; where
only the editor changed, the editor's text stays; where both changed the
same stretch differently, it is a conflict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

TOKEN = re.compile(r"[0-9][0-9,.]*%?|[A-Za-z]+|\s+|.", re.S)


@dataclass(frozen=True)
class Chunk:
    """Replace mine[start:end] (character offsets) with `text`: the generator's change of that stretch."""

    start: int
    end: int
    text: str
    old: str  # mine[start:end]
    conflict: bool  # the editor changed this stretch too


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _offsets(parts: list[str]) -> list[int]:
    """Return the character offset of every token, and the total length last."""
    out, position = [], 0
    for part in parts:
        out.append(position)
        position += len(part)
    out.append(position)
    return out


def _sync_regions(base, mine, theirs):
    """Yield (base_start, base_end, mine_start, mine_end, theirs_start, theirs_end) where all three agree."""
    a = SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    b = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    i = j = 0
    while i < len(a) and j < len(b):
        a_base, a_mine, a_size = a[i]
        b_base, b_theirs, b_size = b[j]
        start, end = max(a_base, b_base), min(a_base + a_size, b_base + b_size)
        if start < end:
            yield (start, end, a_mine + start - a_base, a_mine + end - a_base,
                   b_theirs + start - b_base, b_theirs + end - b_base)
        if a_base + a_size < b_base + b_size:
            i += 1
        else:
            j += 1
    yield len(base), len(base), len(mine), len(mine), len(theirs), len(theirs)


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """Return the changes from base to other as (base start, base end, replacement tokens)."""
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(i0, i1, other[j0:j1]) for op, i0, i1, j0, j1 in matcher.get_opcodes() if op != "equal"]


def _overlap(m: tuple, t: tuple) -> bool:
    """Whether two changes of the same base touch the same tokens (an insertion may border a replacement)."""
    (m0, m1, _), (t0, t1, _) = m, t
    if m0 == m1 and t0 == t1:
        return m0 == t0
    if m0 == m1:
        return t0 < m0 < t1
    if t0 == t1:
        return m0 < t0 < m1
    return m0 < t1 and t0 < m1


def _combine(base: list[str], mine: list[str], theirs: list[str]) -> list[str] | None:
    """Return base with both sides' changes when none of them overlap, else None (a true conflict)."""
    ours, others = _hunks(base, mine), _hunks(base, theirs)
    if any(_overlap(m, t) for m in ours for t in others):
        return None
    out, position = [], 0
    for start, end, replacement in sorted(ours + others, key=lambda h: (h[0], h[1])):
        out += base[position:start] + replacement
        position = max(position, end)
    return out + base[position:]


def merge3(base: str, mine: str, theirs: str) -> list[Chunk]:
    """Return the generator's changes to apply to `mine`, in order; conflicts flagged.

    Applying every chunk to `mine` gives the merged text; with no chunk,
    `mine` already holds everything. Where both sides changed one stretch
    but different tokens of it (an editor's words right after a changed
    figure), both changes are kept and the chunk is no conflict.
    """
    z, a, b = tokens(base), tokens(mine), tokens(theirs)
    at = _offsets(a)
    chunks: list[Chunk] = []
    iz = ia = ib = 0
    for z0, z1, a0, a1, b0, b1 in _sync_regions(z, a, b):
        if a0 > ia or b0 > ib or z0 > iz:
            base_part, mine_part, theirs_part = z[iz:z0], a[ia:a0], b[ib:b0]
            if mine_part != theirs_part and base_part != theirs_part:
                combined = _combine(base_part, mine_part, theirs_part) if base_part != mine_part else theirs_part
                if combined is None:
                    start, end = at[ia], at[a0]
                    chunks.append(Chunk(start, end, "".join(theirs_part), mine[start:end], conflict=True))
                else:
                    local = _offsets(mine_part)
                    for o0, o1, replacement in _hunks(mine_part, combined):
                        start, end = at[ia] + local[o0], at[ia] + local[o1]
                        chunks.append(Chunk(start, end, "".join(replacement), mine[start:end], conflict=False))
        iz, ia, ib = z1, a1, b1
    return chunks


def changes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Return the changed stretches from `old` to `new` as character offsets (o0, o1, n0, n1)."""
    a, b = tokens(old), tokens(new)
    at, bt = _offsets(a), _offsets(b)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return [(at[i0], at[i1], bt[j0], bt[j1]) for op, i0, i1, j0, j1 in matcher.get_opcodes() if op != "equal"]

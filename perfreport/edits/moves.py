"""Which paragraphs an editor moved: those out of the generated order once the most are kept in it.

The paragraphs an editor left where they were form the longest run of
blocks whose generated order rises through the document; every other keyed
paragraph was cut and pasted elsewhere (swapping two neighbours moves one).
"""
from __future__ import annotations

from bisect import bisect_left

from .carrier import Block


def _rising(values: list[int]) -> set[int]:
    """Return the indexes of one longest strictly rising subsequence of `values`."""
    tails: list[int] = []  # tails[n]: the index ending the best rising run of length n + 1
    ends: list[int] = []  # ends[n] = values[tails[n]]
    before: list[int | None] = []
    for i, value in enumerate(values):
        n = bisect_left(ends, value)
        before.append(tails[n - 1] if n else None)
        if n == len(tails):
            tails.append(i)
            ends.append(value)
        else:
            tails[n], ends[n] = i, value
    kept, at = set(), tails[-1] if tails else None
    while at is not None:
        kept.add(at)
        at = before[at]
    return kept


def moved(blocks: list[Block], order: dict[str, int]) -> set[str]:
    """Return the keys of the paragraphs in `blocks` (an edited document's) that are out of the order `order` gives."""
    paragraphs = [b for b in blocks if b.kind == "p" and b.key in order]
    kept = _rising([order[b.key] for b in paragraphs])
    return {b.key for i, b in enumerate(paragraphs) if i not in kept}

"""Apply the generator's changes to an editor's paragraphs: in place, or as Word tracked changes.

The editor's runs are split only where a change begins or ends, so the
formatting of everything else stays as the editor left it; new text takes
the formatting of the text it replaces (or of its neighbour). Tracked, the
old text moves into w:del (w:t becomes w:delText) and the new text comes in
a w:ins, both attributed to `Revisions.author` on `Revisions.date`: Word's
审阅 pane shows them, 拒绝 restores exactly what the editor had.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from .diff3 import Chunk
from .ooxml import BOOKMARK_END, DEL, DEL_TEXT, INS, LINE_BREAK, PARAGRAPH_BREAK, PPR, R_, RPR, T, XML_SPACE, atoms, q


class Unplaceable(ValueError):
    """A change crosses a paragraph break: it cannot be placed inside the editor's paragraphs."""


@dataclass
class Revisions:
    """Who tracked changes are attributed to, and the ids they get."""

    author: str
    date: str  # "2024-12-01T00:00:00Z"
    next_id: int = 1

    def mark(self, tag: str):
        element = etree.Element(tag, {q("id"): str(self.next_id), q("author"): self.author, q("date"): self.date})
        self.next_id += 1
        return element


# ---- runs ----------------------------------------------------------------------
def _spans(p):
    """Return [(element, start, end)] for the paragraph's text, character offsets within it."""
    out, position = [], 0
    for element, value in atoms(p):
        out.append((element, position, position + len(value)))
        position += len(value)
    return out


def _split_run_before(child) -> None:
    """Split the run holding `child` so that `child` starts a new run with the same formatting."""
    run = child.getparent()
    if run.tag != R_ or child is _first_content(run):
        return
    new = etree.Element(R_)
    if run.find(RPR) is not None:
        new.append(copy.deepcopy(run.find(RPR)))
    for sibling in [child] + list(child.itersiblings()):
        new.append(sibling)
    run.addnext(new)


def _first_content(run):
    return next((c for c in run if c.tag != RPR), None)


def _cut(p, offset: int) -> None:
    """Make `offset` fall between two runs (splitting a w:t and its run when it falls inside)."""
    for element, start, end in _spans(p):
        if start < offset < end and element.tag == T:
            tail = copy.deepcopy(element)
            element.text, tail.text = element.text[: offset - start], element.text[offset - start:]
            element.set(XML_SPACE, "preserve")
            tail.set(XML_SPACE, "preserve")
            element.addnext(tail)
            _split_run_before(tail)
            return
        if start == offset:
            _split_run_before(element)
            return


def _runs_in(p, start: int, end: int) -> list:
    runs: list = []
    for element, a, b in _spans(p):
        run = element.getparent()
        if start <= a and b <= end and run.tag == R_ and (not runs or runs[-1] is not run):
            runs.append(run)
    return runs


def _new_runs(text: str, rpr) -> list:
    """Return runs holding `text`, tabs and line breaks as w:tab and w:br, formatted with `rpr`."""
    run = etree.Element(R_)
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    piece = []
    for char in text + "\0":
        if char in ("\t", LINE_BREAK, "\0"):
            if piece:
                t = etree.SubElement(run, T)
                t.text = "".join(piece)
                t.set(XML_SPACE, "preserve")
                piece = []
            if char == "\t":
                etree.SubElement(run, q("tab"))
            elif char == LINE_BREAK:
                etree.SubElement(run, q("br"))
        else:
            piece.append(char)
    return [run]


def _to_deleted(run) -> None:
    for t in run.iter(T):
        t.tag = DEL_TEXT
    for instruction in run.iter(q("instrText")):
        instruction.tag = q("delInstrText")


def _wrap(runs: list, revisions: Revisions) -> list:
    """Move runs into w:del elements (one per stretch of adjacent siblings); return the w:del elements."""
    wrappers: list = []
    for run in runs:
        previous = run.getprevious()
        if wrappers and previous is wrappers[-1]:
            wrapper = wrappers[-1]
        else:
            wrapper = revisions.mark(DEL)
            run.addprevious(wrapper)
            wrappers.append(wrapper)
        wrapper.append(run)
        _to_deleted(run)
    return wrappers


def _insertion_point(p, offset: int):
    """Return (element, "before"|"after") where text inserted at `offset` goes, or (p, "append")."""
    spans = _spans(p)
    for element, start, _ in spans:
        if start == offset and element.getparent().tag == R_:
            return element.getparent(), "before"
    for element, _, end in reversed(spans):
        if end == offset and element.getparent().tag == R_:
            return element.getparent(), "after"
    return p, "append"


def _place(new: list, anchor, where: str) -> None:
    if where == "before":
        for element in new:
            anchor.addprevious(element)
    elif where == "after":
        for element in reversed(new):
            anchor.addnext(element)
    else:
        trailing = [c for c in anchor if c.tag == BOOKMARK_END]
        for element in new:
            if trailing:
                trailing[0].addprevious(element)
            else:
                anchor.append(element)


def replace(p, start: int, end: int, text: str, revisions: Revisions | None) -> None:
    """Replace the paragraph's text[start:end] with `text`; tracked when `revisions` is given."""
    _cut(p, start)
    _cut(p, end)
    old = _runs_in(p, start, end) if end > start else []
    if old:
        rpr = old[0].find(RPR)
    else:
        anchor, where = _insertion_point(p, start)
        rpr = anchor.find(RPR) if anchor.tag == R_ else None
    inserted = _new_runs(text, rpr) if text else []
    if revisions is not None and inserted:
        wrapper = revisions.mark(INS)
        for run in inserted:
            wrapper.append(run)
        inserted = [wrapper]
    if old:
        if revisions is not None:
            last = _wrap(old, revisions)[-1]
        else:
            last = old[-1]
        _place(inserted, last, "after")
        if revisions is None:
            for run in old:
                run.getparent().remove(run)
    elif inserted:
        _place(inserted, anchor, where)


REVISED = {INS, DEL, q("moveTo"), q("moveFrom")}


def touches_revision(paragraphs: list, chunks: list[Chunk]) -> bool:
    """Whether a chunk falls on (or next to) text an editor's own tracked change holds."""
    spans, position = [], 0
    for p in paragraphs:
        for element, start, end in _spans(p):
            spans.append((element, position + start, position + end))
        position += sum(len(value) for _, value in atoms(p)) + 1
    for chunk in chunks:
        for element, start, end in spans:
            near = start < chunk.end and chunk.start < end if chunk.end > chunk.start else start <= chunk.start <= end
            if near and any(a.tag in REVISED for a in element.iterancestors()):
                return True
    return False


def apply(paragraphs: list, chunks: list[Chunk], revisions: Revisions | None) -> None:
    """Apply chunks (offsets in the paragraphs' text joined by "\\n") to the paragraphs, last first.

    Raises Unplaceable, before changing anything, when a chunk crosses a
    paragraph break or brings one.
    """
    starts, position = [], 0
    for p in paragraphs:
        starts.append(position)
        position += sum(len(value) for _, value in atoms(p)) + 1
    placed = []
    for chunk in chunks:
        index = max(i for i, s in enumerate(starts) if s <= chunk.start)
        limit = starts[index] + sum(len(v) for _, v in atoms(paragraphs[index]))
        if chunk.end > limit or PARAGRAPH_BREAK in chunk.text:
            raise Unplaceable(chunk)
        placed.append((index, chunk))
    for index, chunk in reversed(placed):
        base = starts[index]
        replace(paragraphs[index], chunk.start - base, chunk.end - base, chunk.text, revisions)


# ---- whole paragraphs ------------------------------------------------------------
def _mark_paragraph(p, tag: str, revisions: Revisions) -> None:
    """Mark the paragraph's own mark inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    ppr = p.find(PPR)
    if ppr is None:
        ppr = etree.Element(PPR)
        p.insert(0, ppr)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = etree.Element(RPR)
        following = next((c for c in ppr if c.tag in (q("sectPr"), q("pPrChange"))), None)
        if following is None:
            ppr.append(rpr)
        else:
            following.addprevious(rpr)
    rpr.insert(0, revisions.mark(tag))


def replace_all(old: list, new: list, revisions: Revisions) -> list:
    """Propose `new` paragraphs in place of `old` ones, tracked; return the new ones, to go after the old.

    The old paragraphs' text and marks are marked deleted in place; copies of
    `new` come back with their runs and marks marked inserted.
    """
    for p in old:
        runs = [r for r in p.iter(R_) if r.getparent().tag != DEL and any(True for _ in atoms(r))]
        _wrap(runs, revisions)
        _mark_paragraph(p, DEL, revisions)
    added = []
    for source in new:
        p = copy.deepcopy(source)
        for run in [r for r in p if r.tag == R_]:
            wrapper = revisions.mark(INS)
            run.addprevious(wrapper)
            wrapper.append(run)
        _mark_paragraph(p, INS, revisions)
        added.append(p)
    return added

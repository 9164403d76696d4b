"""An editor, simulated with python-docx: the kinds of edit people make to a report in Word.

Each function takes a python-docx Document and finds its target by text, so
tests read as what the editor did. `typed` edits change text inside the runs
(as typing in Word does); `retyped_*` use python-docx's own `.text =`, which
clears the paragraph or cell, key bookmark included, and so also exercises
the merge's recovery of lost keys.
"""
from __future__ import annotations

import copy

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def body_paragraph(document, containing: str) -> Paragraph:
    """Return the body paragraph whose text contains `containing` (exactly one must)."""
    found = [p for p in document.paragraphs if containing in p.text]
    assert len(found) == 1, f"{len(found)} paragraphs contain {containing!r}"
    return found[0]


def cell(document, containing: str):
    """Return the table cell whose text is, or contains, `containing` (the first such)."""
    for table in document.tables:
        for tc in table._tbl.iter(qn("w:tc")):
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if containing in text:
                from docx.table import _Cell
                return _Cell(tc, table)
    raise AssertionError(f"no cell contains {containing!r}")


def typed(paragraph: Paragraph, old: str, new: str) -> None:
    """Replace `old` by `new` inside the run that holds it, as typing over a selection does."""
    for run in paragraph._p.iter(qn("w:r")):
        t = run.find(qn("w:t"))
        if t is not None and t.text and old in t.text:
            t.text = t.text.replace(old, new, 1)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            return
    raise AssertionError(f"no run holds {old!r}")


def bold(paragraph: Paragraph, phrase: str) -> None:
    """Make `phrase` bold: its run is split in three, the middle one bold (what Word writes)."""
    for run in paragraph._p.iter(qn("w:r")):
        t = run.find(qn("w:t"))
        if t is None or not t.text or phrase not in t.text:
            continue
        before, after = t.text.split(phrase, 1)
        pieces = []
        for i, text in enumerate((before, phrase, after)):
            if not text:
                continue
            new = copy.deepcopy(run)
            new.find(qn("w:t")).text = text
            new.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if i == 1:
                new.get_or_add_rPr().insert(0, new.makeelement(qn("w:b"), {}))
            pieces.append(new)
        for piece in pieces:
            run.addprevious(piece)
        run.getparent().remove(run)
        return
    raise AssertionError(f"no run holds {phrase!r}")


def retyped(paragraph: Paragraph, text: str) -> None:
    """Rewrite the whole paragraph with python-docx (`paragraph.text = …`): formatting and bookmark go."""
    paragraph.text = text


def insert_after(paragraph: Paragraph, text: str) -> Paragraph:
    """A new paragraph after `paragraph`, with its style (Enter at its end, then typing)."""
    new = copy.deepcopy(paragraph._p)
    for child in [c for c in new if c.tag != qn("w:pPr")]:
        new.remove(child)
    paragraph._p.addnext(new)
    inserted = Paragraph(new, paragraph._parent)
    inserted.add_run(text)
    return inserted


def delete(paragraph: Paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def retyped_cell(cell_, text: str) -> None:
    """python-docx's `cell.text = …`: the cell's paragraphs (and the key bookmark) are replaced."""
    cell_.text = text


def open_document(data: bytes):
    import io
    return docx.Document(io.BytesIO(data))


def saved(document) -> bytes:
    import io
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

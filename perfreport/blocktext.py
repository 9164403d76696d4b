"""A block's text as edits.ooxml reads it from the tree, read from the body's XML text (for perfreport.keystream).

A paragraph's text is its w:t, a tab as \\t and a line break as \\v (not a page
or column break); a cell's, its paragraphs' joined by PARAGRAPH_BREAK.
"""
from __future__ import annotations

import re

from .bodyxml import unescape
from .edits.ooxml import LINE_BREAK, PARAGRAPH_BREAK

EMPTY_PARAGRAPH = re.compile(r"<w:p(?:\s[^>]*)?/>")  # attributes and all (Word keeps rsids on one)
PARAGRAPH = re.compile(EMPTY_PARAGRAPH.pattern + r"|<w:p(?:\s[^>]*)?>.*?</w:p>", re.S)
TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
ATOM = re.compile(TEXT.pattern + r"|<w:(tab|br|cr)\b([^>]*)/>")  # a text, or what else reads as text
# ATOM's text, and "" for what else reads as text (a tab, a break) or is another paragraph (empty)
TEXT_OR_NOT = re.compile(TEXT.pattern + r"|<w:(?:tab|br|cr)\b|" + EMPTY_PARAGRAPH.pattern)
BREAK_TYPE = re.compile(r'w:type="([^"]*)"')


def paragraph_text(xml: str) -> str:
    """Return the text of the paragraph `xml`."""
    if "<w:tab" not in xml and "<w:br" not in xml and "<w:cr" not in xml:
        return unescape("".join(TEXT.findall(xml)))  # each w:t's references are whole: resolved joined as apart
    pieces = []
    for m in ATOM.finditer(xml):
        if m.group(2) is None:
            pieces.append(unescape(m.group(1)))
        elif m.group(2) == "tab":
            pieces.append("\t")
        else:
            kind = BREAK_TYPE.search(m.group(3)) if m.group(2) == "br" else None
            pieces.append("" if kind and kind.group(1) in ("page", "column") else LINE_BREAK)
    return "".join(pieces)


def cell_text(cell: str) -> str:
    """Return the text of the table cell `cell`."""
    if cell.count("</w:p>") == 1 and not EMPTY_PARAGRAPH.search(cell):
        return paragraph_text(cell)
    return PARAGRAPH_BREAK.join(map(paragraph_text, PARAGRAPH.findall(cell)))


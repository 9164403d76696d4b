"""WordprocessingML names and the text of paragraphs and cells, as an editor sees it.

A block's text is what a reader of the page sees with every tracked change
accepted: w:t, a tab as "\\t", a line break as "\\v" (a page break is not
text); the paragraphs of a cell
or of a multi-paragraph block are joined with "\\n". Deleted text (w:del,
w:delText), field instructions and the content of drawings are not text.
"""
from __future__ import annotations

import hashlib
import re

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PARAGRAPH_BREAK = "\n"
LINE_BREAK = "\v"


def q(tag: str) -> str:
    """Return the Clark name of a w: element or attribute: q("p") -> "{…main}p"."""
    return f"{{{W}}}{tag}"


P, R_, T, TBL, TR, TC, PPR, RPR, TCPR = (q(n) for n in ("p", "r", "t", "tbl", "tr", "tc", "pPr", "rPr", "tcPr"))
INS, DEL, DEL_TEXT = q("ins"), q("del"), q("delText")
BOOKMARK_START, BOOKMARK_END = q("bookmarkStart"), q("bookmarkEnd")
# subtrees whose text is not the paragraph's own (deleted, moved away, inside a drawing or a text box)
HIDDEN = {DEL, q("moveFrom"), q("drawing"), q("pict"), q("object"), f"{{{MC}}}AlternateContent"}
BR = q("br")
SYMBOLS = {T: None, q("tab"): "\t", BR: LINE_BREAK, q("cr"): LINE_BREAK}


def _value(element) -> str:
    if element.tag == T:
        return element.text or ""
    if element.tag == BR and element.get(q("type")) in ("page", "column"):
        return ""  # layout, not text (LibreOffice writes a page break into the paragraph after it)
    return SYMBOLS[element.tag]


def atoms(p):
    """Yield (element, text) for every piece of the paragraph's text in order: w:t, w:tab, w:br, w:cr."""
    hidden = [h for h in p.iter(*HIDDEN)]
    for element in p.iter(*SYMBOLS):
        if hidden and any(a.tag in HIDDEN for a in element.iterancestors()):
            continue
        value = _value(element)
        if value:
            yield element, value


def paragraph_text(p) -> str:
    return "".join(value for _, value in atoms(p))


def text_of(paragraphs) -> str:
    """Return the text of a run of paragraphs, joined with the paragraph break."""
    return PARAGRAPH_BREAK.join(paragraph_text(p) for p in paragraphs)


def cell_paragraphs(tc) -> list:
    return tc.findall(P)


def has_revisions(elements) -> bool:
    """Whether any tracked change is pending inside these elements."""
    return any(True for el in elements for _ in el.iter(INS, DEL, q("moveFrom"), q("moveTo")))


MARKS = re.compile(rb"<w:bookmark(?:Start|End)\b[^>]*/>| w:rsid\w*=\"[^\"]*\"")
CELL_PROPERTIES = re.compile(rb"<w:tcPr\b(?:/>|.*?</w:tcPr>)", re.S)


def digest(elements) -> str:
    """Return a fingerprint of the elements' markup, blind to bookmarks, rsids and a cell's properties.

    Equal digests mean the block is exactly as it was generated: no edit of
    text or formatting. Any program that rewrites the markup (Word,
    LibreOffice) changes it, which only means the block is then treated as
    possibly edited (its runs are kept and the new text put into them).
    """
    from lxml import etree  # only for trees: a build streams its keys (perfreport.keystream)

    hasher = hashlib.sha1()
    for element in elements:
        markup = MARKS.sub(b"", etree.tostring(element))
        hasher.update(CELL_PROPERTIES.sub(b"", markup, count=1) if element.tag == TC else markup)
    return hasher.hexdigest()[:8]  # a false "as generated" needs an edit of the same 32-bit digest

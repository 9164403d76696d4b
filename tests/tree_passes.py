"""The render passes as they were on a document tree (python-docx and lxml), kept as the tests' reference.

Until issue 15 render parsed the rendered body into a tree and ran these;
now it runs their string versions (perfreport.tables, typeset). The tests
run both on the same XML and require the same bytes.
"""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from perfreport.typeset import AMBIGUOUS

W = nsdecls("w")


def tree(xml: str):
    """Parse body XML as render did (python-docx's parser, its element classes)."""
    return parse_xml(xml if xml.startswith("<w:body ") else f"<w:body {W}>{xml}</w:body>")


def text_of(root) -> str:
    """A parsed body as lxml writes it, without the w:body element around it."""
    xml = etree.tostring(root, encoding="unicode")
    return xml[xml.index(">") + 1:-len("</w:body>")] if not xml.endswith("/>") else ""


def _text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def _merge_table(tbl, columns: list[int], restarts: frozenset[int] = frozenset()) -> None:
    grid = len(tbl.tblGrid.gridCol_lst)
    previous: list | None = None
    body_rows = (tr for tr in tbl.iterchildren(qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None)
    for index, tr in enumerate(body_rows):
        cells = tr.findall(qn("w:tc"))
        if len(cells) != grid or index in restarts:
            previous = None
        if len(cells) != grid:
            continue
        key = [_text(cells[c]) for c in columns]
        for depth, column in enumerate(columns):
            same = previous is not None and key[: depth + 1] == previous[: depth + 1]
            _set_vmerge(cells[column], "continue" if same else "restart")
            if same:
                _empty(cells[column])
        previous = key


AFTER_VMERGE = {qn(f"w:{n}") for n in ("tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText",
                                       "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
                                       "tcPrChange")}


def _set_vmerge(tc, value: str) -> None:
    tcPr = tc.find(qn("w:tcPr"))
    merge = tcPr.find(qn("w:vMerge"))
    if merge is None:
        merge = etree.Element(qn("w:vMerge"))
        following = next((child for child in tcPr if child.tag in AFTER_VMERGE), None)
        if following is None:
            tcPr.append(merge)
        else:
            following.addprevious(merge)
    merge.set(qn("w:val"), value)


def _empty(tc) -> None:
    paragraphs = tc.findall(qn("w:p"))
    for p in paragraphs[1:]:
        tc.remove(p)
    for run in paragraphs[0].findall(qn("w:r")):
        paragraphs[0].remove(run)


def _drop_column(tbl, column: int) -> None:
    grid = tbl.tblGrid.gridCol_lst
    width = grid[column].w
    widest = max((i for i in range(len(grid)) if i != column), key=lambda i: grid[i].w)
    target = widest - (widest > column)
    grid[column].getparent().remove(grid[column])
    grid = tbl.tblGrid.gridCol_lst
    grid[target].w = grid[target].w + width
    for tr in tbl.iterchildren(qn("w:tr")):
        position = 0
        for tc in list(tr.iterchildren(qn("w:tc"))):
            span = tc.grid_span
            if position <= column < position + span:
                if span == 1:
                    tr.remove(tc)
                else:
                    tc.grid_span = span - 1
                    tc.width = tc.width - width
            elif position <= target + (target >= column) < position + span:
                tc.width = tc.width + width
            position += span


def table_passes(body) -> None:
    for tbl in body.iter(qn("w:tbl")):
        described = tbl.tblPr.find(qn("w:tblDescription"))
        if described is None:
            continue
        words = dict(word.partition(":")[::2] for word in described.get(qn("w:val"), "").split())
        if "merge" not in words and "drop" not in words:
            continue
        if words.get("merge"):
            restarts = frozenset(int(r) for r in words.get("restart", "").split(",") if r)
            _merge_table(tbl, [int(c) for c in words["merge"].split(",")], restarts)
        for column in sorted((int(c) for c in words.get("drop", "").split(",") if c), reverse=True):
            _drop_column(tbl, column)
        tbl.tblPr.remove(described)


def mark_east_asian(root) -> int:
    marked = 0
    for run in root.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not AMBIGUOUS.search(text):
            continue
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.Element(qn("w:rPr"))
            run.insert(0, rpr)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = etree.Element(qn("w:rFonts"))
            style = rpr.find(qn("w:rStyle"))
            rpr.insert(0 if style is None else rpr.index(style) + 1, fonts)
        fonts.set(qn("w:hint"), "eastAsia")
        marked += 1
    return marked

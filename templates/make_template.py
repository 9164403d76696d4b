"""Write templates/部门整体绩效评价报告.docx, the master docxtpl template.

Run `python templates/make_template.py` after changing this file or
templates/report_outline.py (the outline: block tags in order, and the macros
they call); the .docx is committed. A firm that wants its own look or outline
edits a copy of the .docx in Word (`perfreport template PATH` writes one, with
a guide): styles carry the typography (GB/T 9704 habits), the first pages hold
the table designs and block tags as Jinja macros, the body the outline.

Layout of the generated document:
  section 1  cover, 总览表, 目录                      portrait, no page number
  section 2  report title and chapters 一 to 六       portrait, page numbers from 1
  section 3  the attachments                         landscape, numbering continues
  section 4  呈报函                                   portrait, no page number
Tables that the post-render pass merges vertically carry the Alt-Text
(tblDescription) `merge:0,1,…`, the columns compared from left to right;
`drop:…` lists columns compose found empty in every row, which are removed.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

OUT = Path(__file__).with_name("部门整体绩效评价报告.docx")
W = nsdecls("w")
TWIPS_PER_MM = 56.6929
PORTRAIT_TEXT_MM = 156
LANDSCAPE_TEXT_MM = 225

FANGSONG, HEITI, KAITI, SONGTI, TITLE_FONT = "仿宋", "黑体", "楷体", "宋体", "方正小标宋简体"
LATIN = "Times New Roman"


# ---------------------------------------------------------------- styles
def _fonts(rpr, east_asia: str) -> None:
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, parse_xml(f'<w:rFonts {W} w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
                            f'w:eastAsia="{east_asia}" w:cs="{LATIN}"/>'))


def style(doc, name: str, *, font: str = FANGSONG, size: float = 16, bold: bool = False,
          align: str = "both", indent: int = 0, line: float | None = 28, before: float = 0,
          after: float = 0, outline: int | None = None, keep_next: bool = False,
          base: str | None = None, color: str | None = None):
    """Define (or redefine) a paragraph style; sizes in points, indent in characters."""
    styles = doc.styles
    st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        st.base_style = styles[base]
    st.quick_style = True
    rpr = st.element.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    _fonts(rpr, font)
    if bold:
        rpr.append(parse_xml(f"<w:b {W}/>"))
        rpr.append(parse_xml(f"<w:bCs {W}/>"))
    else:
        rpr.append(parse_xml(f'<w:b {W} w:val="0"/>'))
    if color:
        rpr.append(parse_xml(f'<w:color {W} w:val="{color}"/>'))
    half = int(size * 2)
    rpr.append(parse_xml(f'<w:sz {W} w:val="{half}"/>'))
    rpr.append(parse_xml(f'<w:szCs {W} w:val="{half}"/>'))
    ppr = st.element.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    if keep_next:
        ppr.append(parse_xml(f"<w:keepNext {W}/>"))
    spacing = f'w:before="{int(before * 20)}" w:after="{int(after * 20)}"'
    spacing += f' w:line="{int(line * 20)}" w:lineRule="exact"' if line else ' w:line="240" w:lineRule="auto"'
    ppr.append(parse_xml(f"<w:spacing {W} {spacing}/>"))
    ppr.append(parse_xml(f'<w:ind {W} w:firstLineChars="{indent * 100}" w:firstLine="{int(indent * size * 20)}"/>'))
    ppr.append(parse_xml(f'<w:jc {W} w:val="{align}"/>'))
    if outline is not None:
        ppr.append(parse_xml(f'<w:outlineLvl {W} w:val="{outline}"/>'))
    return st


def define_styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, FANGSONG)
    for lang in rpr.findall(qn("w:lang")):
        rpr.remove(lang)
    rpr.append(parse_xml(f'<w:lang {W} w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'))
    style(doc, "Normal", indent=2)
    style(doc, "Title", font=TITLE_FONT, size=22, align="center", line=None, before=0, after=12)
    style(doc, "Subtitle", font=KAITI, size=16, align="center", line=None)
    style(doc, "Heading 1", font=HEITI, indent=2, outline=0, keep_next=True)
    style(doc, "Heading 2", font=KAITI, indent=2, outline=1, keep_next=True)
    style(doc, "Heading 3", font=FANGSONG, bold=True, indent=2, outline=2, keep_next=True)
    style(doc, "Heading 4", font=FANGSONG, indent=2, outline=3, keep_next=True)
    style(doc, "Heading 5", font=FANGSONG, indent=2, outline=4, keep_next=True)
    style(doc, "不编号标题", font=HEITI, indent=2, outline=0, keep_next=True)  # a 摘要: in the 目录, no number
    style(doc, "封面标题", font=TITLE_FONT, size=26, align="center", line=None, after=6)
    style(doc, "封面信息", font=FANGSONG, size=16, align="center", line=36)
    style(doc, "目录标题", font=HEITI, size=22, align="center", line=None, after=18)
    style(doc, "附件编号", font=HEITI, size=16, align="left", line=None, after=6)
    style(doc, "附件标题", font=TITLE_FONT, size=18, align="center", line=None, after=6)
    style(doc, "表题", font=HEITI, size=12, align="center", line=None, before=6, after=3, keep_next=True)
    style(doc, "表单位", font=FANGSONG, size=10.5, align="right", line=None, keep_next=True)
    style(doc, "表注", font=FANGSONG, size=10.5, align="left", line=None, after=6)
    style(doc, "表头", font=HEITI, size=10.5, align="center", line=None)
    style(doc, "表格文字", font=FANGSONG, size=10.5, align="center", line=None)
    style(doc, "表格正文", font=FANGSONG, size=10.5, align="left", line=None)
    style(doc, "附表表头", font=HEITI, size=9, align="center", line=None)
    style(doc, "附表文字", font=FANGSONG, size=9, align="center", line=None)
    style(doc, "附表正文", font=FANGSONG, size=9, align="left", line=None)
    style(doc, "总览正文", font=FANGSONG, size=12, align="both", indent=2, line=20)
    style(doc, "总览小标题", font=FANGSONG, size=12, bold=True, align="left", line=20)
    style(doc, "函头", font=TITLE_FONT, size=26, align="center", line=None, after=12, color="FF0000")
    number = style(doc, "函文号", font=FANGSONG, size=16, align="center", line=None, after=24)
    # the red rule under the letterhead's reference number (版头分隔线)
    number.element.get_or_add_pPr().insert(0, parse_xml(
        f'<w:pBdr {W}><w:bottom w:val="single" w:sz="18" w:space="6" w:color="FF0000"/></w:pBdr>'))
    style(doc, "落款", font=FANGSONG, size=16, align="right", line=28)
    style(doc, "称呼", font=FANGSONG, size=16, align="left", line=28)
    style(doc, "页码", font=SONGTI, size=14, align="center", line=None)
    for level, name in ((1, "toc 1"), (2, "toc 2")):
        st = style(doc, name, font=HEITI if level == 1 else FANGSONG, size=14, align="left", line=26)
        st.style_id = f"TOC{level}"  # Word's built-in id, which the renderer's TOC entries use
        ppr = st.element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:tabs {W}><w:tab w:val="right" w:leader="dot" '
                                f'w:pos="{int(PORTRAIT_TEXT_MM * TWIPS_PER_MM)}"/></w:tabs>'))
        ppr.find(qn("w:ind")).set(qn("w:left"), str(0 if level == 1 else 640))


# ---------------------------------------------------------------- paragraphs
def para(doc_or_cell, text: str = "", style_name: str = "Normal", *, page_break: bool = False):
    p = doc_or_cell.add_paragraph(text, style=style_name)
    if page_break:
        p.paragraph_format.page_break_before = True
    return p


def ctrl(doc_or_cell, tag: str):
    """A paragraph holding only a {%p … %} tag (docxtpl removes it when rendering)."""
    return doc_or_cell.add_paragraph(tag, style="Normal")


# ---------------------------------------------------------------- tables
def _tw(mm: float) -> int:
    return int(round(mm * TWIPS_PER_MM))


def _cell(text: str, width_mm: float, style_name: str, span: int = 1) -> str:
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    runs = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{_tw(width_mm)}" w:type="dxa"/>{span_xml}'
            f'<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style_name}"/></w:pPr>{runs}</w:p></w:tc>')


def _row(cells: list[str], *, header: bool = False, split: bool = False) -> str:
    props = ("<w:tblHeader/>" if header else "") + ("" if split else "<w:cantSplit/>")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def _style_id(doc, name: str) -> str:
    return doc.styles[name].style_id


def table(doc, widths: list[float], rows: list[list], *, merge: str = "", small: bool = False) -> None:
    """Append a fixed-layout table.

    Each row is a list of cells; a cell is `text` or `(text, kind)` or
    `(text, kind, span)` with kind h (header), c (centred), l (left).
    A row may be given as ("tr", "{%tr … %}") for a loop row, or
    ("header", [cells]) for a repeated header row, or ("split", [cells])
    for a row allowed to break across pages.
    """
    head, centre, left = ("附表表头", "附表文字", "附表正文") if small else ("表头", "表格文字", "表格正文")
    kinds = {"h": _style_id(doc, head), "c": _style_id(doc, centre), "l": _style_id(doc, left)}
    xml_rows = []
    for row in rows:
        mode = "body"
        if isinstance(row, tuple):
            mode, row = row
        if mode == "tr":
            xml_rows.append(_row([_cell(row, sum(widths), kinds["c"], len(widths))]))
            continue
        cells, col = [], 0
        for item in row:
            text, kind, span = (item, "c", 1) if isinstance(item, str) else (*item, 1)[:3]
            cells.append(_cell(text, sum(widths[col:col + span]), kinds[kind], span))
            col += span
        xml_rows.append(_row(cells, header=mode == "header", split=mode == "split"))
    grid = "".join(f'<w:gridCol w:w="{_tw(w)}"/>' for w in widths)
    description = f'<w:tblDescription w:val="{merge}"/>' if merge else ""
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    xml = (f'<w:tbl {W}><w:tblPr><w:tblW w:w="{_tw(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
           f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
           f'w:noHBand="0" w:noVBand="1"/>{description}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
           f'{"".join(xml_rows)}</w:tbl>')
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before the body's sectPr


def merge_header_cells(tbl, pairs: tuple[tuple[int, int], ...]) -> None:
    """Merge header cells vertically: (cell index in row 1, cell index below it in row 2)."""
    first, second = tbl._tbl.tr_lst[0], tbl._tbl.tr_lst[1]
    for top, below in pairs:
        first.tc_lst[top].get_or_add_tcPr().vMerge_val = "restart"
        second.tc_lst[below].get_or_add_tcPr().vMerge_val = "continue"


def loop(expr: str) -> tuple:
    return ("tr", f"{{%tr for r in {expr} %}}")


END = ("tr", "{%tr endfor %}")


def caption_block(doc, name: str) -> None:
    """Caption, unit line and (after the table) note of table `t`."""
    para(doc, "{{ t.caption }}", "表题")
    ctrl(doc, "{%p if t.unit %}")
    para(doc, "{{ t.unit }}", "表单位")
    ctrl(doc, "{%p endif %}")


def note_block(doc) -> None:
    ctrl(doc, "{%p if t.note %}")
    para(doc, "{{ t.note }}", "表注")
    ctrl(doc, "{%p endif %}")


def each(doc, expr: str, text: str = "{{ x }}", style_name: str = "Normal") -> None:
    ctrl(doc, f"{{%p for x in {expr} %}}")
    para(doc, text, style_name)
    ctrl(doc, "{%p endfor %}")


# ---------------------------------------------------------------- document
def cover(doc) -> None:
    for _ in range(3):
        para(doc, "", "封面信息")
    para(doc, "{{ unit }}{{ year }}年度部门整体", "封面标题")
    para(doc, "绩效评价报告", "封面标题")
    for _ in range(5):
        para(doc, "", "封面信息")
    para(doc, "第三方机构名称（盖章）：{{ cover.agency }}", "封面信息")
    para(doc, "项目主评人：{{ cover.lead }}", "封面信息")
    para(doc, "{{ cover.date }}", "封面信息")


# ---------------------------------------------------------------- sections
def page_setup(section, landscape: bool = False) -> None:
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if landscape:
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(25)


def page_numbers(section, start: int | None) -> None:
    section.footer.is_linked_to_previous = False
    p = section.footer.paragraphs[0]
    p.style = "页码"
    p._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve">— </w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:t>1</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve"> —</w:t></w:r>'))
    if start is not None:
        sect = section._sectPr
        sect.insert_element_before(parse_xml(f'<w:pgNumType {W} w:start="{start}"/>'),
                                   "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                   "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
                                   "w:sectPrChange")


def no_page_numbers(section) -> None:
    section.footer.is_linked_to_previous = False


def continue_numbering(section) -> None:
    """Drop the numbering restart a new section copies from the one before it."""
    for restart in section._sectPr.findall(qn("w:pgNumType")):
        section._sectPr.remove(restart)


def drop_styles_with_effects(doc) -> None:
    """Remove the Word 2010 stylesWithEffects copy of the styles the python-docx default carries.

    It would disagree with the styles defined here, which Word may report as
    unreadable content; the part is optional.
    """
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def drop_thumbnail(doc) -> None:
    """Remove the python-docx default's thumbnail: a picture of a blank page would stand for every report."""
    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            rels.pop(rid)


def main() -> None:
    sys.modules.setdefault("make_template", sys.modules[__name__])  # report_outline imports the helpers above
    from report_outline import (attachments, chapter1, chapter2, chapter3, chapters456, contents, letter, macros,
                                overview)

    doc = Document()
    drop_styles_with_effects(doc)
    drop_thumbnail(doc)
    for p in list(doc.paragraphs):
        p._p.getparent().remove(p._p)
    define_styles(doc)
    page_setup(doc.sections[0])
    no_page_numbers(doc.sections[0])
    macros(doc)
    cover(doc)
    overview(doc)
    contents(doc)
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(body)
    page_numbers(body, start=1)
    chapter1(doc)
    chapter2(doc)
    chapter3(doc)
    chapters456(doc)
    annex = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(annex, landscape=True)
    continue_numbering(annex)
    attachments(doc)
    closing = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(closing)
    continue_numbering(closing)
    no_page_numbers(closing)
    letter(doc)
    core = doc.core_properties
    core.title, core.author, core.comments = "部门整体绩效评价报告模板", "perfreport", ""
    doc.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

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
(tblDescription) `merge:0,1,…`, the columns compared from left to right
(`restart:…` the rows where a page begins, when a layout is known);
`drop:…` lists columns compose found empty in every row, which are removed;
`layout:SIZE,HEIGHT[,TAIL]` has the widths and row breaks laid out from the
rows (perfreport/layout.py, perfreport/table_template.py): the widths here
are the designs' defaults. Every paragraph and cell the template writes holds
a key bookmark (see `key_mark`), by which an editor's changes are found again
(perfreport.edits).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from a checkout
from perfreport import docprops, typeset  # noqa: E402

OUT = Path(__file__).with_name("部门整体绩效评价报告.docx")
W = nsdecls("w")
TWIPS_PER_MM = 56.6929
PORTRAIT_TEXT_MM = 156
LANDSCAPE_TEXT_MM = 225
MARGINS_MM = {False: (37, 35, 28, 26), True: (28, 26, 37, 35)}  # top, bottom, left, right; by landscape
PORTRAIT_BLOCK_MM = 297 - sum(MARGINS_MM[False][:2])  # the text block's height
LANDSCAPE_BLOCK_MM = 210 - sum(MARGINS_MM[True][:2])
TABLE_TEXT_PT = {False: 10.5, True: 9}  # the tables' cell text (表格文字…, 附表文字…), by small

FANGSONG, HEITI, KAITI, SONGTI, TITLE_FONT = "仿宋", "黑体", "楷体", "宋体", "方正小标宋简体"
LATIN = "Times New Roman"


# ---------------------------------------------------------------- styles
def _fonts(rpr, east_asia: str) -> None:
    """Name the fonts explicitly (no theme fonts) and hint that ambiguous characters take the East Asian one.

    Quotes, dashes and ellipses are drawn with the East Asian font only under
    w:hint="eastAsia" (see perfreport/typeset.py, which marks the rendered runs too).
    """
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, parse_xml(f'<w:rFonts {W} w:hint="eastAsia" w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
                            f'w:eastAsia="{east_asia}" w:cs="{LATIN}"/>'))


def style(doc, name: str, *, font: str | None = FANGSONG, size: float = 16, bold: bool = False,
          align: str = "both", indent: int = 0, line: float | None = 28, before: float = 0,
          after: float = 0, outline: int | None = None, keep_next: bool = False,
          base: str | None = None, color: str | None = None):
    """Define (or redefine) a paragraph style; sizes in points, indent in characters.

    `font=None` names no font: the style takes its base style's (the title styles take Title's).
    """
    styles = doc.styles
    st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        st.base_style = styles[base]
    st.quick_style = True
    rpr = st.element.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    if font:
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
    # Title carries the title font; the other title styles take it from there, so a firm changes one style
    style(doc, "Title", font=TITLE_FONT, size=22, align="center", line=None, before=0, after=12, keep_next=True)
    style(doc, "Subtitle", font=KAITI, size=16, align="center", line=None, keep_next=True)
    style(doc, "Heading 1", font=HEITI, indent=2, outline=0, keep_next=True)
    style(doc, "Heading 2", font=KAITI, indent=2, outline=1, keep_next=True)
    style(doc, "Heading 3", font=FANGSONG, bold=True, indent=2, outline=2, keep_next=True)
    style(doc, "Heading 4", font=FANGSONG, indent=2, outline=3, keep_next=True)
    style(doc, "Heading 5", font=FANGSONG, indent=2, outline=4, keep_next=True)
    style(doc, "不编号标题", font=HEITI, indent=2, outline=0, keep_next=True)  # a 摘要: in the 目录, no number
    style(doc, "封面标题", font=None, base="Title", size=26, align="center", line=None, after=6)
    style(doc, "封面信息", font=FANGSONG, size=16, align="center", line=36)
    style(doc, "目录标题", font=HEITI, size=22, align="center", line=None, after=18)
    style(doc, "附件编号", font=HEITI, size=16, align="left", line=None, after=6, keep_next=True)
    style(doc, "附件标题", font=None, base="Title", size=18, align="center", line=None, after=6, keep_next=True)
    style(doc, "表题", font=HEITI, size=12, align="center", line=None, before=6, after=3, keep_next=True)
    style(doc, "表单位", font=FANGSONG, size=10.5, align="right", line=None, keep_next=True)
    style(doc, "表注", font=FANGSONG, size=10.5, align="left", line=None, after=6)
    style(doc, "表头", font=HEITI, size=TABLE_TEXT_PT[False], align="center", line=None)
    style(doc, "表格文字", font=FANGSONG, size=TABLE_TEXT_PT[False], align="center", line=None)
    style(doc, "表格正文", font=FANGSONG, size=TABLE_TEXT_PT[False], align="left", line=None)
    style(doc, "附表表头", font=HEITI, size=TABLE_TEXT_PT[True], align="center", line=None)
    style(doc, "附表文字", font=FANGSONG, size=TABLE_TEXT_PT[True], align="center", line=None)
    style(doc, "附表正文", font=FANGSONG, size=TABLE_TEXT_PT[True], align="left", line=None)
    style(doc, "总览正文", font=FANGSONG, size=12, align="both", indent=2, line=20)
    style(doc, "总览小标题", font=FANGSONG, size=12, bold=True, align="left", line=20)
    style(doc, "函头", font=None, base="Title", size=26, align="center", line=None, after=12, color="FF0000")
    number = style(doc, "函文号", font=FANGSONG, size=16, align="center", line=None, after=24)
    # the red rule under the letterhead's reference number (版头分隔线)
    number.element.get_or_add_pPr().insert(0, parse_xml(
        f'<w:pBdr {W}><w:bottom w:val="single" w:sz="18" w:space="6" w:color="FF0000"/></w:pBdr>'))
    style(doc, "落款", font=FANGSONG, size=16, align="right", line=28)
    style(doc, "称呼", font=FANGSONG, size=16, align="left", line=28)
    style(doc, "页码", font=SONGTI, size=14, align="center", line=None)
    for level, name in ((1, "toc 1"), (2, "toc 2")):
        # 20 pt lines: the 目录 of a report of the sample's size (27 entries) fits one page
        st = style(doc, name, font=HEITI if level == 1 else FANGSONG, size=14, align="left", line=20, base="Normal")
        builtin(st, f"TOC{level}", priority=39)  # Word's built-in id, which the renderer's TOC entries use
        ppr = st.element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:tabs {W}><w:tab w:val="right" w:leader="dot" '
                                f'w:pos="{int(PORTRAIT_TEXT_MM * TWIPS_PER_MM)}"/></w:tabs>'))
        ppr.find(qn("w:ind")).set(qn("w:left"), str(0 if level == 1 else 640))


def builtin(st, style_id: str, priority: int) -> None:
    """Make `st` Word's built-in style of its name, not a custom one: an updated 目录 keeps its formatting."""
    st.style_id = style_id
    st.element.attrib.pop(qn("w:customStyle"), None)
    for tag in ("w:uiPriority", "w:semiHidden", "w:unhideWhenUsed"):
        for old in st.element.findall(qn(tag)):
            st.element.remove(old)
    st.element.insert_element_before(parse_xml(f'<w:uiPriority {W} w:val="{priority}"/>'),
                                     "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal",
                                     "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr",
                                     "w:trPr", "w:tcPr", "w:tblStylePr")
    st.element.insert_element_before(parse_xml(f'<w:unhideWhenUsed {W}/>'),
                                     "w:qFormat", "w:locked", "w:personal", "w:personalCompose", "w:personalReply",
                                     "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")


# ---------------------------------------------------------------- keys
# A key bookmark's name: `_prk`, the key (jinja for what compose supplies, `tpl.…` for the template's own
# text), `|` and the place in the template where two places render the same key expression. Only letters,
# digits and _ . { } | ~ ' survive LibreOffice in a name, Word and LibreOffice keep 40 characters of it,
# and Word keeps one bookmark of a name: KEY_NAME and check_keys hold the template to that.
KEY_NAME = re.compile(r"_prk[\w.{}|~']{1,36}")
LOOP_ROW = re.compile(r"\{%tr for (\w+) in ")
ENDFOR_ROW = re.compile(r"\{%tr endfor")


def key_mark(p, key: str) -> None:
    """Put the key bookmark `_prk` + key on a template paragraph: start after its properties, end last."""
    name = "_prk" + key
    assert KEY_NAME.fullmatch(name), f"key bookmark name {name!r}: too long, or a character Word or LibreOffice change"
    p.insert(1 if p.find(qn("w:pPr")) is not None else 0,
             parse_xml(f'<w:bookmarkStart {W} w:id="0" w:name="{name}"/>'))
    p.append(parse_xml(f'<w:bookmarkEnd {W} w:id="0"/>'))


def key_cells(doc, row_key: str, place: str = "") -> None:
    """Key every cell of the last table: ROW.cN, ROW `{{x.key}}` for a row inside a loop over x, else row_key.rI.

    I is the row's place in the template; `place` tells this table's names from another's, and a loop's
    row its names from another loop's in the same table (the template's names must differ: Word keeps one
    bookmark of a name), neither part of the key.
    """
    rows = doc.tables[-1]._tbl.tr_lst
    loops: list[str] = []  # the loops a row is inside, innermost last: its key is the innermost item's
    for i, tr in enumerate(rows):
        text = "".join(t.text or "" for t in tr.iter(qn("w:t")))
        if "{%tr" in text:
            found = LOOP_ROW.search(text)
            if found:
                loops.append(found.group(1))
            elif ENDFOR_ROW.search(text):
                loops.pop()
            continue
        row = f"{{{{{loops[-1]}.key}}}}" if loops else f"{row_key}.r{i}"
        where = ".".join(filter(None, (place, f"r{i}" if loops else "")))
        for n, tc in enumerate(tr.tc_lst):
            key_mark(tc.p_lst[0], f"{row}.c{n}" + (f"|{where}" if where else ""))


def check_keys(doc) -> None:
    """Every key bookmark name of the template differs from every other (Word keeps one of a name)."""
    names = [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"key bookmarks named twice: {twice}"


# ---------------------------------------------------------------- paragraphs
def para(doc_or_cell, text: str = "", style_name: str = "Normal", *, page_break: bool = False, key: str = ""):
    """A paragraph of the template; `key` (see key_mark) when the paragraph is not a block tag's."""
    p = doc_or_cell.add_paragraph(text, style=style_name)
    if page_break:
        p.paragraph_format.page_break_before = True
    if key:
        key_mark(p._p, key)
    return p


def ctrl(doc_or_cell, tag: str):
    """A paragraph holding only a {%p … %} tag (docxtpl removes it when rendering)."""
    return doc_or_cell.add_paragraph(tag, style="Normal")


# ---------------------------------------------------------------- tables
def loop(expr: str) -> tuple:
    return ("tr", f"{{%tr for r in {expr} %}}")


END = ("tr", "{%tr endfor %}")


def _tw(mm: float) -> int:
    return int(round(mm * TWIPS_PER_MM))


def _cell(text: str, width_mm: float, style_name: str, span: int = 1, keep: bool = False) -> str:
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    runs = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    keep_xml = "<w:keepNext/>" if keep else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{_tw(width_mm)}" w:type="dxa"/>{span_xml}'
            f'<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style_name}"/>{keep_xml}</w:pPr>{runs}</w:p></w:tc>')


def _row(cells: list[str], *, header: bool = False, split: bool = False) -> str:
    props = ("<w:tblHeader/>" if header else "") + ("" if split else "<w:cantSplit/>")
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def _style_id(doc, name: str) -> str:
    return doc.styles[name].style_id


def table(doc, widths: list[float], rows: list[list], *, merge: str = "", small: bool = False,
          layout: float | None = None, tail: float = 0) -> None:
    """Append a fixed-layout table.

    Each row is a list of cells; a cell is `text` or `(text, kind)` or
    `(text, kind, span)` with kind h (header), c (centred), l (left).
    A row may be given as ("tr", "{%tr … %}") for a loop row, or
    ("header", [cells]) for a repeated header row, or ("split", [cells])
    for a row allowed to break across pages. Header rows keep with the next
    row, and so do the rows after the last loop but the table's last row: a
    table is not torn from its header, nor its total from its last rows.
    `layout` (the text block's height in mm) asks for the widths and row
    breaks to be laid out from the rows rendered (perfreport.layout); `tail`,
    for a table that ends its part, is the share of a page its last rows
    fill together.
    """
    head, centre, left = ("附表表头", "附表文字", "附表正文") if small else ("表头", "表格文字", "表格正文")
    kinds = {"h": _style_id(doc, head), "c": _style_id(doc, centre), "l": _style_id(doc, left)}
    after_loops = max((i for i, row in enumerate(rows) if row == END), default=len(rows))
    xml_rows = []
    for index, row in enumerate(rows):
        mode = "body"
        if isinstance(row, tuple):
            mode, row = row
        if mode == "tr":
            xml_rows.append(_row([_cell(row, sum(widths), kinds["c"], len(widths))]))
            continue
        keep = mode == "header" or after_loops < index < len(rows) - 1
        cells, col = [], 0
        for item in row:
            text, kind, span = (item, "c", 1) if isinstance(item, str) else (*item, 1)[:3]
            cells.append(_cell(text, sum(widths[col:col + span]), kinds[kind], span, keep))
            col += span
        xml_rows.append(_row(cells, header=mode == "header", split=mode == "split"))
    grid = "".join(f'<w:gridCol w:w="{_tw(w)}"/>' for w in widths)
    if layout:
        merge = f"{merge} layout:{TABLE_TEXT_PT[small]:g},{layout:g}{f',{tail:g}' if tail else ''}".strip()
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


def caption_block(doc, name: str) -> None:
    """Caption and unit line of table `t` of design `name`."""
    para(doc, "{{ t.caption }}", "表题", key=f"{{{{t.key}}}}.表题|{name}")
    ctrl(doc, "{%p if t.unit %}")
    para(doc, "{{ t.unit }}", "表单位", key=f"{{{{t.key}}}}.单位|{name}")
    ctrl(doc, "{%p endif %}")


def note_block(doc, name: str) -> None:
    """The note after table `t` of design `name`."""
    ctrl(doc, "{%p if t.note %}")
    para(doc, "{{ t.note }}", "表注", key=f"{{{{t.key}}}}.表注|{name}")
    ctrl(doc, "{%p endif %}")


def each(doc, expr: str, text: str = "{{ x }}", style_name: str = "Normal", key: str = "") -> None:
    ctrl(doc, f"{{%p for x in {expr} %}}")
    para(doc, text, style_name, key=key)
    ctrl(doc, "{%p endfor %}")


# ---------------------------------------------------------------- document
def cover(doc) -> None:
    for n in range(3):
        para(doc, "", "封面信息", key=f"tpl.封面.空{n + 1}")
    # balance: line breaks after the unit name and before 绩效评价报告, lines as even as fit (26 pt: 17 ems a line)
    para(doc, '{{ [unit, year ~ "年度部门整体", "绩效评价报告"] | balance(16) }}', "封面标题", key="tpl.封面.标题")
    for n in range(5):
        para(doc, "", "封面信息", key=f"tpl.封面.空{n + 4}")
    para(doc, '{{ ["第三方机构名称（盖章）：", cover.agency] | balance(27) }}', "封面信息", key="tpl.封面.机构")
    para(doc, "项目主评人：{{ cover.lead }}", "封面信息", key="tpl.封面.主评人")
    para(doc, "{{ cover.date }}", "封面信息", key="tpl.封面.日期")


# ---------------------------------------------------------------- sections
def page_setup(section, landscape: bool = False) -> None:
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    top, bottom, left, right = MARGINS_MM[landscape]
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    # the page number's line (about 6 mm) sits 7 mm below the text block (GB/T 9704), inside the bottom margin
    section.header_distance, section.footer_distance = Mm(15), section.bottom_margin - Mm(7 + 6)


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


# ---------------------------------------------------------------- package parts
# Every font the styles name: alternative names tried in order before Word substitutes by
# the metrics (panose, charset, family, pitch, the Unicode and code-page bits of w:sig).
# 方正小标宋简体 is not on stock Windows: its fallback is 黑体 (see README, 字体).
FONT_TABLE = {
    LATIN: ("", "02020603050405020304", "00", "roman", "variable",
            ("E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000")),
    SONGTI: ("SimSun,STSong,Songti SC", "02010600030101010101", "86", "auto", "variable",
             ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")),
    FANGSONG: ("FangSong,仿宋_GB2312,STFangsong", "02010609060101010101", "86", "modern", "fixed",
               ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")),
    HEITI: ("SimHei,STHeiti,Heiti SC", "02010609060101010101", "86", "modern", "fixed",
            ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")),
    KAITI: ("KaiTi,楷体_GB2312,STKaiti,Kaiti SC", "02010609060101010101", "86", "modern", "fixed",
            ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")),
    TITLE_FONT: ("FZXiaoBiaoSong-B05S,方正小标宋_GBK,黑体", "02000000000000000000", "86", "auto", "variable",
                 ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")),
    "Cambria Math": ("", "02040503050406030204", "00", "roman", "variable",  # settings' math font
                     ("E00006FF", "420024FF", "02000000", "00000000", "0000019F", "00000000")),
    "Courier": ("Courier New", "02070309020205020404", "00", "modern", "fixed",  # python-docx's Macro Text style
                ("E0002EFF", "C0007843", "00000009", "00000000", "000001FF", "00000000")),
}
# theme fonts, for whatever an editor formats with them: the body's and the headings' fonts
THEME_FONTS = {"majorFont": (LATIN, HEITI), "minorFont": (LATIN, FANGSONG)}


def _part(doc, reltype: str):
    return next(rel.target_part for rel in doc.part.rels.values() if rel.reltype == reltype)


def font_table(doc) -> None:
    """Replace python-docx's default font table (Western and Japanese fonts) with the fonts the styles use."""
    entries = []
    for name, (alt, panose, charset, family, pitch, sig) in FONT_TABLE.items():
        usb = " ".join(f'w:{key}="{value}"' for key, value in zip(("usb0", "usb1", "usb2", "usb3", "csb0", "csb1"), sig))
        entries.append(f'<w:font w:name="{name}">' + (f'<w:altName w:val="{alt}"/>' if alt else "")
                       + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/>'
                       f'<w:pitch w:val="{pitch}"/><w:sig {usb}/></w:font>')
    xml = (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<w:fonts {W}>{''.join(entries)}</w:fonts>")
    _part(doc, RT.FONT_TABLE)._blob = xml.encode("utf-8")


def theme_fonts(doc) -> None:
    """Name the theme's Latin and East Asian fonts (the default's were Calibri/Cambria and empty, MS fonts for ja)."""
    part = _part(doc, RT.THEME)
    theme = etree.fromstring(part.blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for scheme, (latin, east_asian) in THEME_FONTS.items():
        fonts = theme.find(f".//{a}{scheme}")
        fonts.find(f"{a}latin").set("typeface", latin)
        fonts.find(f"{a}ea").set("typeface", east_asian)
        for font in fonts.findall(f"{a}font"):
            if font.get("script") == "Hans":
                font.set("typeface", east_asian)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def settings(doc) -> None:
    """Word 2013+ compatibility (no 兼容模式), Chinese theme-font language, document ids (w14 and w15).

    The ids here are the template's own; the renderer derives each report's from its content.
    """
    part = doc.part._settings_part  # noqa: SLF001 - python-docx has no public handle on the part
    xml = etree.tostring(part.element, encoding="unicode")
    if "xmlns:w15=" not in xml:  # lxml cannot declare a namespace on an existing root
        xml = xml.replace("<w:settings ", f'<w:settings xmlns:w15="{docprops.W15}" ', 1)
        xml = xml.replace('mc:Ignorable="w14"', 'mc:Ignorable="w14 w15"', 1)
    root = parse_xml(xml)
    for setting in root.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    root.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    if root.find(f"{{{docprops.W15}}}docId") is None:
        root.append(etree.Element(f"{{{docprops.W15}}}docId"))
    docprops.set_document_ids(root, etree.tostring(doc.element.body))
    part._element = root


def hint_footers(doc) -> None:
    """Give the page numbers' dashes (— 1 —) the East Asian font hint, as the renderer does in the body."""
    for section in doc.sections:
        part = section.footer.part
        xml, _ = typeset.mark_east_asian(etree.tostring(part.element, encoding="unicode"))
        part._element = parse_xml(xml)  # noqa: SLF001 - python-docx has no API to replace a part's root


def compact_section_breaks(doc) -> None:
    """Make the empty paragraphs that carry a section break one point high.

    A full 28 pt line there can spill onto a page of its own and leave it blank.
    """
    for ppr in doc.element.body.iter(qn("w:pPr")):
        section = ppr.find(qn("w:sectPr"))
        if section is None or "".join(ppr.getparent().itertext()).strip():
            continue
        section.addprevious(parse_xml(f'<w:spacing {W} w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'))
        section.addprevious(parse_xml(f'<w:ind {W} w:firstLine="0" w:firstLineChars="0"/>'))
        section.addprevious(parse_xml(f'<w:rPr {W}><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'))


def main(out: Path = OUT) -> None:
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
    check_keys(doc)
    compact_section_breaks(doc)
    hint_footers(doc)
    font_table(doc)
    theme_fonts(doc)
    settings(doc)
    docprops.set_app(doc, docprops.app_xml())
    core = doc.core_properties
    core.title, core.author, core.comments = "部门整体绩效评价报告模板", "perfreport", ""
    save_reproducibly(doc, out)
    print(f"wrote {out}")


def save_reproducibly(doc, out: Path) -> None:
    """Save `doc` to `out` with every zip entry dated 1980-01-01, so an unchanged template keeps its bytes
    (python-docx dates each entry with the time of saving)."""
    import io
    import zipfile

    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(zipfile.ZipInfo(entry.filename, (1980, 1, 1, 0, 0, 0)), source.read(entry),
                            zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    main()

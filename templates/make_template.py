"""Write templates/部门整体绩效评价报告.docx, the master docxtpl template.

Run `python templates/make_template.py` after changing this file; the .docx is
committed. A firm that wants its own look may instead edit the .docx in Word:
styles carry the typography (GB/T 9704 habits), the first pages hold the table
designs as Jinja macros, and the standard wording sits in the document body.

Layout of the generated document:
  section 1  cover, 总览表, 目录                      portrait, no page number
  section 2  report title and chapters 一 to 六       portrait, page numbers from 1
  section 3  附件1 to 附件5                           landscape, numbering continues
  section 4  呈报函                                   portrait, no page number
Tables that the post-render pass merges vertically carry the Alt-Text
(tblDescription) `merge:0,1,…`, the columns compared from left to right.
"""
from __future__ import annotations

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
    style(doc, "封面标题", font=None, base="Title", size=26, align="center", line=None, after=6)
    style(doc, "封面信息", font=FANGSONG, size=16, align="center", line=36)
    style(doc, "目录标题", font=HEITI, size=22, align="center", line=None, after=18)
    style(doc, "附件编号", font=HEITI, size=16, align="left", line=None, after=6, keep_next=True)
    style(doc, "附件标题", font=None, base="Title", size=18, align="center", line=None, after=6, keep_next=True)
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


# ---------------------------------------------------------------- macros
def score_rows(expr: str, total_label: str) -> list:
    return [("header", [("指标", "h"), ("分值", "h"), ("评价得分", "h"), ("得分率", "h")]),
            loop(expr), ["{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}"], END]


def macros(doc) -> None:
    """The table designs, one Jinja macro each, and `flow` that lays out text blocks."""
    para(doc, "{#p 表格样式库：以下各表是报告中表格的样式（Jinja 宏），生成报告时不输出。 #}", "表注")

    def macro(name: str, widths, rows, merge: str = "") -> None:
        ctrl(doc, f"{{%p macro {name}(t) %}}")
        caption_block(doc, name)
        table(doc, widths, rows, merge=merge)
        note_block(doc)
        ctrl(doc, "{%p endmacro %}")

    macro("固定资产表", [14, 62, 26, 28, 26], [
        ("header", [("序号", "h"), ("资产名称", "h"), ("原值", "h"), ("累计折旧", "h"), ("净值", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}"], END,
        [("合计", "c", 2), "{{ t.total.c2 }}", "{{ t.total.c3 }}", "{{ t.total.c4 }}"]])
    macro("收入决算表", [16, 26, 22, 24, 22, 24, 22], [
        ("header", [("年度", "h"), ("一般公共预算财政拨款收入", "h"), ("政府性基金收入", "h"),
                    ("国有资本经营预算收入", "h"), ("年初结转和结余", "h"), ("合计", "h"), ("环比增长率", "h")]),
        loop("t.rows"), ["{{ r.year }}", "{{ r.cells[0] }}", "{{ r.cells[1] }}", "{{ r.cells[2] }}",
                         "{{ r.cells[3] }}", "{{ r.total }}", "{{ r.growth }}"], END])
    macro("支出决算表", [20, 26, 28, 28, 28, 26], [
        ("header", [("年度", "h"), ("基本支出", "h"), ("项目支出", "h"), ("年初结转和结余", "h"),
                    ("合计", "h"), ("环比增长率", "h")]),
        loop("t.rows"), ["{{ r.year }}", "{{ r.cells[0] }}", "{{ r.cells[1] }}", "{{ r.cells[2] }}",
                         "{{ r.total }}", "{{ r.growth }}"], END])
    macro("战略目标表", [12, 44, 64, 36], [
        ("header", [("序号", "h"), ("指标名称", "h"), ("指标解释", "h"), ("年度指标值", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), ("{{ r.c2 }}", "l"), "{{ r.c3 }}"], END])
    macro("年度目标表", [12, 22, 32, 36, 34, 20], [
        ("header", [("职责序号", "h"), ("部门职责", "h", 2), ("职责目标", "h"), ("绩效指标", "h"),
                    ("年度指标值", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l"), ("{{ r.c3 }}", "l"),
                         ("{{ r.c4 }}", "l"), "{{ r.c5 }}"], END], merge="merge:0,1,2")
    macro("工作组表", [20, 40, 96], [
        ("header", [("姓名", "h"), ("职称/职务", "h"), ("任务分工", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l")], END])
    macro("得分情况表", [70, 28, 30, 28], [
        ("header", [("评价内容", "h"), ("分值", "h"), ("评价得分", "h"), ("得分率", "h")]),
        loop("t.rows"), ["{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}"], END,
        [("综合得分", "h"), ("{{ t.total.weight }}", "h"), ("{{ t.total.score }}", "h"), ("{{ t.total.rate }}", "h")],
        [("综合绩效级别", "h"), ("{{ t.grade }}", "h", 3)]])
    macro("二级得分表", [70, 28, 30, 28], score_rows("t.rows", "小计") + [
        [("小计", "h"), ("{{ t.total.weight }}", "h"), ("{{ t.total.score }}", "h"), ("{{ t.total.rate }}", "h")]])
    macro("预算执行进度表", [14, 30, 30, 28, 28, 26], [
        ("header", [("月度", "h"), ("月度累计执行①", "h"), ("全年执行②", "h"), ("执行进度③=①/②*100%", "h"),
                    ("序时进度④=月份/12*100%", "h"), ("是/否匹配", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}", "{{ r.c5 }}"], END])
    macro("政策梳理表", [10, 44, 34, 44, 24], [
        ("header", [("序号", "h"), ("{{ t.heads[0] }}", "h"), ("{{ t.heads[1] }}", "h"),
                    ("{{ t.heads[2] }}", "h"), ("结论", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), ("{{ r.c2 }}", "l"), ("{{ r.c3 }}", "l"),
                         "{{ r.c4 }}"], END])
    macro("复评项目表", [10, 34, 18, 18, 16, 14, 14, 32], [
        ("header", [("序号", "h"), ("项目名称", "h"), ("预算", "h"), ("执行", "h"), ("执行率", "h"),
                    ("自评得分", "h"), ("复核得分", "h"), ("存在问题", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}",
                         "{{ r.c5 }}", "{{ r.c6 }}", ("{{ r.c7 }}", "l")], END,
        [("合计", "c", 2), "{{ t.total.c2 }}", "{{ t.total.c3 }}", "{{ t.total.c4 }}", "——", "——", "——"]])

    ctrl(doc, "{%p macro table(t) %}")
    names = {"固定资产": "固定资产表", "收入决算": "收入决算表", "支出决算": "支出决算表", "战略目标": "战略目标表",
             "年度目标": "年度目标表", "工作组": "工作组表", "得分情况": "得分情况表", "二级得分": "二级得分表",
             "预算执行进度": "预算执行进度表", "政策梳理": "政策梳理表", "复评项目": "复评项目表"}
    for i, (key, name) in enumerate(names.items()):
        ctrl(doc, f"{{%p {'if' if i == 0 else 'elif'} t.name == '{key}' %}}")
        para(doc, f"{{{{p {name}(t) }}}}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endmacro %}")

    ctrl(doc, "{%p macro flow(blocks) %}")
    ctrl(doc, "{%p for b in blocks %}")
    ctrl(doc, "{%p if b.kind == 'p' %}")
    para(doc, "{{ b.text }}")
    for level in (2, 3, 4, 5):
        ctrl(doc, f"{{%p elif b.kind == 'h{level}' %}}")
        para(doc, "{{ b.text }}", f"Heading {level}")
    ctrl(doc, "{%p elif b.kind == 'table' %}")
    para(doc, "{{p table(b) }}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endfor %}")
    ctrl(doc, "{%p endmacro %}")


def standard(doc, key: str, lines: list[str]) -> None:
    """Standard wording, replaced by the workbook's 文字 rows of section `key` when given."""
    ctrl(doc, f"{{%p if texts.{key} %}}")
    para(doc, f"{{{{p flow(texts.{key}) }}}}")
    ctrl(doc, "{%p else %}")
    for line in lines:
        para(doc, line)
    ctrl(doc, "{%p endif %}")


def blocks(doc, expr: str) -> None:
    para(doc, f"{{{{p flow({expr}) }}}}")


def each(doc, expr: str, text: str = "{{ x }}", style_name: str = "Normal") -> None:
    ctrl(doc, f"{{%p for x in {expr} %}}")
    para(doc, text, style_name)
    ctrl(doc, "{%p endfor %}")


# ---------------------------------------------------------------- document
def cover(doc) -> None:
    for _ in range(3):
        para(doc, "", "封面信息")
    # balance: line breaks after the unit name and before 绩效评价报告, lines as even as fit (26 pt: 17 ems a line)
    para(doc, '{{ [unit, year ~ "年度部门整体", "绩效评价报告"] | balance(16) }}', "封面标题")
    for _ in range(5):
        para(doc, "", "封面信息")
    para(doc, '{{ ["第三方机构名称（盖章）：", cover.agency] | balance(27) }}', "封面信息")
    para(doc, "项目主评人：{{ cover.lead }}", "封面信息")
    para(doc, "{{ cover.date }}", "封面信息")


def overview(doc) -> None:
    para(doc, "{{ unit }}{{ year }}年度部门整体绩效评价总览表", "Title", page_break=True)
    o = "overview"
    doc_rows = [
        [("一、项目预算资金安排和使用情况", "l", 4)],
        [("项目名称：{{ unit }}{{ year }}年度部门整体绩效评价", "l", 4)],
        [(f"主管部门：{{{{ {o}.authority }}}}", "l", 2), (f"实施单位：{{{{ {o}.implementer }}}}", "l", 2)],
        [("预算批复（万元）", "h"), ("预算调整（万元）", "h"), ("预算执行（万元）", "h"), ("执行率", "h")],
        [f"{{{{ {o}.budget }}}}", f"{{{{ {o}.adjusted }}}}", f"{{{{ {o}.spent }}}}", f"{{{{ {o}.rate }}}}"],
        ("split", [("@goals", "l", 4)]),
        ("split", [("@achievements", "l", 4)]),
        ("split", [("@issues", "l", 4)]),
        [("五、评价得分和等级", "l", 4)],
        [("一级指标", "h"), ("分值", "h"), ("评价得分", "h"), ("得分率", "h")],
        loop(f"{o}.scores"), ["{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}"], END,
        [("合计", "h"), (f"{{{{ {o}.total.weight }}}}", "h"), (f"{{{{ {o}.total.score }}}}", "h"),
         (f"{{{{ {o}.total.rate }}}}", "h")],
        [("绩效评价得分：{{ f.总分 }}分　　　　　评价结果等级：{{ f.等级 }}", "h", 4)],
    ]
    table(doc, [39, 39, 39, 39], doc_rows)
    cells = {"@goals": _overview_goals, "@achievements": _overview_achievements, "@issues": _overview_issues}
    tbl = doc.tables[-1]
    for row in tbl.rows:
        cell = row.cells[0]
        if cell.text in cells:
            first = cell.paragraphs[0]
            cells[cell.text](cell)
            first._p.getparent().remove(first._p)
    # section headings of the 总览表 are bold
    for row in tbl.rows:
        cell = row.cells[0]
        if cell.text[:2] in ("一、", "二、", "三、", "四、", "五、"):
            cell.paragraphs[0].style = doc.styles["总览小标题"]


def _overview_goals(cell) -> None:
    para(cell, "二、项目绩效目标", "总览小标题")
    para(cell, "（一）部门战略目标", "总览小标题")
    each(cell, "overview.strategy", style_name="总览正文")
    para(cell, "（二）年度整体绩效目标", "总览小标题")
    each(cell, "overview.goals", style_name="总览正文")


def _overview_sections(cell, expr: str, numbered: str) -> None:
    ctrl(cell, f"{{%p for s in {expr} %}}")
    para(cell, numbered, "总览小标题")
    ctrl(cell, "{%p for b in s.body %}")
    para(cell, "{{ b.text }}", "总览正文")
    ctrl(cell, "{%p endfor %}")
    ctrl(cell, "{%p endfor %}")


def _overview_achievements(cell) -> None:
    para(cell, "三、实施成效", "总览小标题")
    _overview_sections(cell, "overview.achievements", "（{{ s.number }}）{{ s.title }}")


def _overview_issues(cell) -> None:
    para(cell, "四、主要问题及有关建议", "总览小标题")
    para(cell, "（一）主要问题", "总览小标题")
    _overview_sections(cell, "overview.issues", "{{ loop.index }}. {{ s.title }}")
    para(cell, "（二）有关建议", "总览小标题")
    _overview_sections(cell, "overview.advice", "{{ loop.index }}. {{ s.title }}")


def contents(doc) -> None:
    para(doc, "目　　录", "目录标题", page_break=True)
    para(doc, "〔目录〕", "Normal")  # the renderer writes the TOC field here


def chapter1(doc) -> None:
    para(doc, "{{ title }}", "Title")
    para(doc, "一、部门基本情况", "Heading 1")
    para(doc, "（一）部门概况", "Heading 2")
    para(doc, "1.组织架构及主要职能", "Heading 3")
    blocks(doc, "ch1.org")
    para(doc, "2.人员构成", "Heading 3")
    para(doc, "{{ ch1.staff }}")
    para(doc, "3.资产情况", "Heading 3")
    each(doc, "ch1.assets")
    para(doc, "{{p 固定资产表(ch1.t_assets) }}")
    para(doc, "4.部门预决算情况", "Heading 3")
    para(doc, "（1）年度收入预决算", "Heading 4")
    para(doc, "{{ ch1.income }}")
    para(doc, "{{p 收入决算表(ch1.t_income) }}")
    blocks(doc, "ch1.income_text")
    para(doc, "（2）年度支出预决算", "Heading 4")
    para(doc, "{{ ch1.spending }}")
    para(doc, "{{p 支出决算表(ch1.t_spending) }}")
    blocks(doc, "ch1.spending_text")
    para(doc, "（二）部门整体绩效目标", "Heading 2")
    para(doc, "1.部门战略目标", "Heading 3")
    each(doc, "ch1.strategy")
    para(doc, "{{p 战略目标表(ch1.t_strategy) }}")
    para(doc, "2.年度整体绩效目标", "Heading 3")
    para(doc, "{{ ch1.goals_intro }}")
    para(doc, "{{p 年度目标表(ch1.t_goals) }}")
    para(doc, "（三）部门年度主要工作任务完成情况", "Heading 2")
    blocks(doc, "ch1.work_intro")
    ctrl(doc, "{%p for item in ch1.work_items %}")
    para(doc, "{{ item.heading }}", "Heading 3")
    blocks(doc, "item.body")
    ctrl(doc, "{%p endfor %}")


def chapter2(doc) -> None:
    para(doc, "二、绩效评价工作开展情况", "Heading 1")
    para(doc, "（一）评价目的、评价对象和范围", "Heading 2")
    para(doc, "1.评价目的", "Heading 3")
    standard(doc, "评价目的", [
        "通过全面梳理部门职能、管理、履职等信息，分析{{ ch2.level1_list }}等情况，发现资金使用和管理等流程中的"
        "薄弱环节，总结经验做法，提出改进建议，为后续年度完善政策、改进管理、预算编制提供重要参考，"
        "推动部门整体绩效工作不断提升。"])
    para(doc, "2.评价对象", "Heading 3")
    standard(doc, "评价对象", ["{{ year }}年度{{ short }}部门整体绩效目标落实情况、预算执行以及部门履职效益实现情况。"])
    para(doc, "3.评价范围", "Heading 3")
    standard(doc, "评价范围", ["{{ year }}年1月1日至12月31日，预算批复资金{{ f.调整后预算 }}万元。"])
    para(doc, "（二）评价思路、评价重点、评价指标体系和评价标准", "Heading 2")
    para(doc, "1.评价思路", "Heading 3")
    standard(doc, "评价思路", [
        "本次评价严格遵循“科学规范、绩效相关、激励约束、公开透明”的原则，按照部门职责，从{{ ch2.level1_and }}"
        "{{ ch2.level1_count_cn }}个维度建立评价指标体系，重点关注部门核心业务取得的成效和存在的问题，"
        "对部门整体运行进行综合考察。"])
    para(doc, "2.评价重点", "Heading 3")
    focus(doc)
    para(doc, "3.评价指标体系", "Heading 3")
    para(doc, "依据{{ f.评价依据 }}和年度部门整体绩效目标设定，包括{{ ch2.level1_list }}{{ ch2.level1_count }}个一级指标、"
              "{{ ch2.level2_count }}个二级指标、{{ ch2.level3_count }}个三级指标。")
    para(doc, "综合绩效评价总分{{ ch2.total_weight }}分，其中{{ ch2.weights }}。")
    para(doc, "4.评价标准", "Heading 3")
    para(doc, "绩效评价结果采取评分和评级相结合的方式确定。总分设置为100分，等级划分为{{ ch2.band_count }}档："
              "{{ ch2.bands }}。")
    para(doc, "（三）评价组织实施与评价方法", "Heading 2")
    para(doc, "1.评价组织实施", "Heading 3")
    para(doc, "{{ ch2.stages_intro }}")
    ctrl(doc, "{%p for stage in ch2.stages %}")
    para(doc, "{{ stage.heading }}", "Heading 4")
    blocks(doc, "stage.body")
    ctrl(doc, "{%p endfor %}")
    para(doc, "2.评价方法", "Heading 3")
    standard(doc, "评价方法", [
        "本次绩效评价采用案卷分析法、比较法、因素分析法、公众评判法、现场调研法等方法，通过全面评价与重点评价相结合、"
        "现场评价与非现场评价相结合的方式进行。"])


FOCUS = {
    "财政资源配置": "重点考察预算安排与部门职能的匹配度、运行成本及“三公经费”等支出的变动情况，了解部门预算配置是否合理，"
              "重点项目是否保障到位，各项经费控制是否有力。",
    "预算管理": "重点对预算执行进度、预决算信息公开、预算管理一体化应用、财会管理、政府采购、资产管理及转移支付资金管理等"
            "进行评价，了解部门预算执行是否高效，项目库管理是否规范，各项制度是否健全，资金使用和制度执行是否合规，"
            "政府采购政策是否落实，资产是否有效利用等。",
    "绩效管理": "重点考察绩效目标管理、绩效主体责任落实及绩效评价结果应用，了解部门绩效管理工作是否达到全覆盖，"
            "是否形成有效的绩效管理闭环。",
    "部门履职效能": "重点考察年度整体目标、政策和项目绩效的完成情况，了解部门是否高效履职，各项核心职能和重点工作是否达到"
              "预期成效。",
    "社会效应": "重点考察高质量发展综合绩效、服务对象满意度情况，了解政府部门和服务企业对部门履职是否满意。",
}


def focus(doc) -> None:
    """评价重点: one standard paragraph per 一级指标 of the framework."""
    ctrl(doc, "{%p if texts.评价重点 %}")
    blocks(doc, "texts.评价重点")
    ctrl(doc, "{%p else %}")
    ctrl(doc, "{%p for g in ch2.level1 %}")
    for i, (name, text) in enumerate(FOCUS.items()):
        ctrl(doc, f"{{%p {'if' if i == 0 else 'elif'} g.name == '{name}' %}}")
        para(doc, "（{{ loop.index }}）{{ g.name }}方面，" + text)
    ctrl(doc, "{%p else %}")
    para(doc, "（{{ loop.index }}）{{ g.name }}方面，重点考察{{ g.name }}各项指标的完成情况，了解部门相关工作是否达到预期。")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endfor %}")
    ctrl(doc, "{%p endif %}")


def chapter3(doc) -> None:
    para(doc, "三、评价结论及分析", "Heading 1")
    para(doc, "（一）综合评价结论", "Heading 2")
    para(doc, "{{ ch3.conclusion }}")
    para(doc, "{{p 得分情况表(ch3.t_scores) }}")
    blocks(doc, "ch3.extra")
    para(doc, "（二）指标分析", "Heading 2")
    blocks(doc, "ch3.analysis")


def chapters456(doc) -> None:
    for key, title in (("ch4", "四、部门整体所实现的主要绩效"), ("ch5", "五、存在的问题"), ("ch6", "六、相关建议")):
        para(doc, title, "Heading 1")
        ctrl(doc, f"{{%p for s in {key} %}}")
        para(doc, "（{{ s.number }}）{{ s.title }}", "Heading 2")
        blocks(doc, "s.body")
        ctrl(doc, "{%p endfor %}")
    para(doc, "附件：", "Normal")
    each(doc, "attachments", "{{ loop.index }}.{{ x }}")


def attachments(doc) -> None:
    def head(n: int, title: str, first: bool = False) -> None:
        para(doc, f"附件{n}", "附件编号", page_break=not first)
        para(doc, title, "附件标题")

    head(1, "{{ attachments[0] }}", first=True)
    table(doc, [18, 12, 20, 12, 30, 12, 45, 76], [
        ("header", [("一级指标", "h", 2), ("二级指标", "h", 2), ("三级指标", "h", 2), ("指标解释", "h"), ("评价标准", "h")]),
        ("header", [("名称", "h"), ("分值", "h"), ("名称", "h"), ("分值", "h"), ("名称", "h"), ("分值", "h"),
                    ("", "h"), ("", "h")]),
        loop("att1"), ["{{ r.c0 }}", "{{ r.c1 }}", "{{ r.c2 }}", "{{ r.c3 }}", ("{{ r.c4 }}", "l"), "{{ r.c5 }}",
                       ("{{ r.c6 }}", "l"), ("{{ r.c7 }}", "l")], END], merge="merge:0,1,2,3", small=True)
    merge_header_cells(doc.tables[-1], ((3, 6), (4, 7)))
    head(2, "{{ attachments[1] }}")
    table(doc, [18, 20, 30, 12, 12, 14, 85, 34], [
        ("header", [("一级指标", "h"), ("二级指标", "h"), ("三级指标", "h"), ("分值", "h"), ("得分", "h"),
                    ("得分率", "h"), ("评分依据", "h"), ("依据来源", "h")]),
        loop("att2.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l"), "{{ r.c3 }}", "{{ r.c4 }}", "{{ r.c5 }}",
                            ("{{ r.c6 }}", "l"), ("{{ r.c7 }}", "l")], END,
        [("合计", "h", 3), ("{{ att2.total.weight }}", "h"), ("{{ att2.total.score }}", "h"),
         ("{{ att2.total.rate }}", "h"), ("评价等级“{{ att2.grade }}”", "h", 2)]], merge="merge:0,1", small=True)
    head(3, "{{ attachments[2] }}")
    table(doc, [11, 18, 26, 28, 28, 20, 22, 44, 28], [
        ("header", [("职责序号", "h"), ("部门职责", "h", 2), ("职责目标", "h"), ("绩效指标", "h"),
                    ("{{ year }}年度目标值", "h"), ("实际完成指标值", "h"), ("实际完成情况的数据来源", "h"),
                    ("存在问题", "h")]),
        loop("att3"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l"), ("{{ r.c3 }}", "l"), ("{{ r.c4 }}", "l"),
                       "{{ r.c5 }}", "{{ r.c6 }}", ("{{ r.c7 }}", "l"), ("{{ r.c8 }}", "l")], END],
        merge="merge:0,1,2", small=True)
    head(4, "{{ attachments[3] }}")
    para(doc, "{{ att4.subtitle }}", "Subtitle")
    table(doc, [60, 60, 22, 22, 26, 35], [
        ("header", [("问题", "h"), ("选项", "h"), ("答案（人数）", "h"), ("占比", "h"), ("样本量（人数）", "h"),
                    ("单项满意度", "h")]),
        ("tr", "{%tr for sec in att4.sections %}"),
        [("{{ sec.title }}", "h", 6)],
        ("tr", "{%tr for r in sec.rows %}"),
        [("{{ r.c0 }}", "l"), ("{{ r.c1 }}", "l"), "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}", "{{ r.c5 }}"],
        END, END], merge="merge:0,5", small=True)
    head(5, "{{ attachments[4] }}")
    table(doc, [35, 12, 25, 153], [
        ("header", [("问题分类", "h"), ("序号", "h"), ("责任单位", "h"), ("问题描述", "h")]),
        loop("att5"), ["{{ r.c0 }}", "{{ r.c1 }}", "{{ r.c2 }}", ("{{ r.c3 }}", "l")], END],
        merge="merge:0", small=True)
    para(doc, "备注：无", "表注")


def letter(doc) -> None:
    para(doc, "{{ agency }}", "函头")
    para(doc, "{{ letter.number }}", "函文号")
    para(doc, "关于呈报《{{ title }}》的函", "Title")
    para(doc, "{{ letter.to }}：", "称呼")
    standard(doc, "呈报函正文", [
        "按照有关要求，我公司对{{ unit }}开展了{{ year }}年度部门整体绩效评价工作。现将绩效评价报告呈报给贵单位，谨供参考。",
        "感谢对我公司工作的大力支持！"])
    ctrl(doc, "{%p if letter.contact %}")
    para(doc, "（我公司联系人：{{ letter.contact }}　　联系电话：{{ letter.phone }}）")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p if letter.qr %}")
    para(doc, "{{ qr_image }}", "封面信息")
    para(doc, "客户服务满意度调查", "封面信息")
    ctrl(doc, "{%p endif %}")
    para(doc, "{{ agency }}", "落款")
    para(doc, "{{ letter.date }}", "落款")


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
        typeset.mark_east_asian(section.footer._element)  # noqa: SLF001 - the footer part's root


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


def main() -> None:
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
    compact_section_breaks(doc)
    hint_footers(doc)
    font_table(doc)
    theme_fonts(doc)
    settings(doc)
    docprops.set_app(doc, docprops.app_xml())
    core = doc.core_properties
    core.title, core.author, core.comments = "部门整体绩效评价报告模板", "perfreport", ""
    doc.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

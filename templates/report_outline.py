"""The default outline of the master template: its block tags, in order, and the macros they call.

The template owns the report's outline. Its body is fixed text (headings in
the styles Heading 1–5, written without numbers) and block tags, each in a
paragraph of its own:
  {{p 文字("名称") }}   a text: paragraphs, sub-headings, tables placed in it
  {{p 表格("名称") }}   a numbered table at its default place
  {{p 附件("名称") }}   an attachment, with its 附件N heading
and the paragraphs 〔目录〕 and 〔附件列表〕. perfreport numbers headings,
tables and attachments from the rendered order (perfreport/numbering.py), so a
firm may move, delete or add blocks and headings in Word. The names are
declared in perfreport/outline.py; the first pages of the template hold the
macros (table designs and the block tags), which render nothing themselves.
Every paragraph and cell written carries its key (make_template.key_mark):
the template's own text `tpl.…`, the rest the key compose gives the block or row.
"""
from __future__ import annotations

import re

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from make_template import (END, LANDSCAPE_BLOCK_MM, PORTRAIT_BLOCK_MM, caption_block, ctrl, each, key_cells, loop,
                           merge_header_cells, note_block, para, table)

LAST_PAGE = 0.4  # an attachment's table ends its part: its last rows fill this much of its last page together
HEADING_STYLES = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3", 4: "Heading 4", 5: "Heading 5"}


def block(doc, tag: str) -> None:
    """A block tag in a paragraph of its own."""
    para(doc, f"{{{{p {tag} }}}}")


def score_rows(expr: str) -> list:
    return [("header", [("指标", "h"), ("分值", "h"), ("评价得分", "h"), ("得分率", "h")]),
            loop(expr), ["{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}"], END]


# ---------------------------------------------------------------- table designs
TABLE_DESIGNS = {  # macro name -> (widths in mm, rows, Alt-Text: merge:columns compared, drop: empty columns)
    "固定资产表": ([14, 62, 26, 28, 26], [
        ("header", [("序号", "h"), ("资产名称", "h"), ("原值", "h"), ("累计折旧", "h"), ("净值", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}"], END,
        [("合计", "c", 2), "{{ t.total.c2 }}", "{{ t.total.c3 }}", "{{ t.total.c4 }}"]], ""),
    "收入决算表": ([16, 26, 22, 24, 22, 24, 22], [
        ("header", [("年度", "h"), ("一般公共预算财政拨款收入", "h"), ("政府性基金收入", "h"),
                    ("国有资本经营预算收入", "h"), ("年初结转和结余", "h"), ("合计", "h"), ("环比增长率", "h")]),
        loop("t.rows"), ["{{ r.year }}", "{{ r.cells[0] }}", "{{ r.cells[1] }}", "{{ r.cells[2] }}",
                         "{{ r.cells[3] }}", "{{ r.total }}", "{{ r.growth }}"], END], ""),
    "支出决算表": ([20, 26, 28, 28, 28, 26], [
        ("header", [("年度", "h"), ("基本支出", "h"), ("项目支出", "h"), ("年初结转和结余", "h"),
                    ("合计", "h"), ("环比增长率", "h")]),
        loop("t.rows"), ["{{ r.year }}", "{{ r.cells[0] }}", "{{ r.cells[1] }}", "{{ r.cells[2] }}",
                         "{{ r.total }}", "{{ r.growth }}"], END], ""),
    "战略目标表": ([12, 44, 64, 36], [
        ("header", [("序号", "h"), ("指标名称", "h"), ("指标解释", "h"), ("年度指标值", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), ("{{ r.c2 }}", "l"), "{{ r.c3 }}"], END], "drop"),
    "年度目标表": ([12, 22, 32, 36, 34, 20], [
        ("header", [("职责序号", "h"), ("部门职责", "h", 2), ("职责目标", "h"), ("绩效指标", "h"),
                    ("年度指标值", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l"), ("{{ r.c3 }}", "l"),
                         ("{{ r.c4 }}", "l"), "{{ r.c5 }}"], END], "merge:0,1,2 drop"),
    "工作组表": ([20, 40, 96], [
        ("header", [("姓名", "h"), ("职称/职务", "h"), ("任务分工", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l")], END], "drop"),
    "得分情况表": ([70, 28, 30, 28], [
        ("header", [("评价内容", "h"), ("分值", "h"), ("评价得分", "h"), ("得分率", "h")]),
        loop("t.rows"), ["{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}"], END,
        [("综合得分", "h"), ("{{ t.total.weight }}", "h"), ("{{ t.total.score }}", "h"), ("{{ t.total.rate }}", "h")],
        [("综合绩效级别", "h"), ("{{ t.grade }}", "h", 3)]], ""),
    "二级得分表": ([70, 28, 30, 28], score_rows("t.rows") + [
        [("小计", "h"), ("{{ t.total.weight }}", "h"), ("{{ t.total.score }}", "h"), ("{{ t.total.rate }}", "h")]],
        ""),
    "预算执行进度表": ([14, 30, 30, 28, 28, 26], [
        ("header", [("月度", "h"), ("月度累计执行①", "h"), ("全年执行②", "h"), ("执行进度③=①/②*100%", "h"),
                    ("序时进度④=月份/12*100%", "h"), ("是/否匹配", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}", "{{ r.c5 }}"], END],
        ""),
    "政策梳理表": ([10, 44, 34, 44, 24], [
        ("header", [("序号", "h"), ("{{ t.heads[0] }}", "h"), ("{{ t.heads[1] }}", "h"),
                    ("{{ t.heads[2] }}", "h"), ("结论", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), ("{{ r.c2 }}", "l"), ("{{ r.c3 }}", "l"),
                         "{{ r.c4 }}"], END], "drop"),
    "复评项目表": ([10, 34, 18, 18, 16, 14, 14, 32], [
        ("header", [("序号", "h"), ("项目名称", "h"), ("预算", "h"), ("执行", "h"), ("执行率", "h"),
                    ("自评得分", "h"), ("复核得分", "h"), ("存在问题", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", ("{{ r.c1 }}", "l"), "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}",
                         "{{ r.c5 }}", "{{ r.c6 }}", ("{{ r.c7 }}", "l")], END,
        [("合计", "c", 2), "{{ t.total.c2 }}", "{{ t.total.c3 }}", "{{ t.total.c4 }}", "——", "——", "——"]], "drop"),
}


def _description(spec: str) -> str:
    """The table's Alt-Text: `merge:…` as written (`restart:` the rows where a page begins, when a layout is
    known: --toc-pages, --pdf), `drop` completed with the columns compose found empty."""
    restart = " restart:{{ t.restarts | default('') }}" if "merge:" in spec else ""
    return spec.replace("drop", "drop:{{ t.drop }}") + restart


def _macro(doc, name: str) -> None:
    ctrl(doc, f"{{%p macro {name}(t) %}}")


def table_designs(doc) -> None:
    """One macro per numbered table's design: caption, unit, table, note."""
    for name, (widths, rows, spec) in TABLE_DESIGNS.items():
        _macro(doc, name)
        caption_block(doc, name)
        table(doc, widths, rows, merge=_description(spec), layout=PORTRAIT_BLOCK_MM)
        key_cells(doc, "{{t.key}}", name)
        note_block(doc, name)
        ctrl(doc, "{%p endmacro %}")
    _macro(doc, "表格内容")
    for i, name in enumerate(TABLE_DESIGNS):
        ctrl(doc, f"{{%p {'if' if i == 0 else 'elif'} t.design == '{name}' %}}")
        para(doc, f"{{{{p {name}(t) }}}}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endmacro %}")


def attachment_designs(doc) -> None:
    """One macro per attachment's table."""
    _macro(doc, "指标体系表")
    table(doc, [18, 12, 20, 12, 30, 12, 45, 76], [
        ("header", [("一级指标", "h", 2), ("二级指标", "h", 2), ("三级指标", "h", 2), ("指标解释", "h"), ("评价标准", "h")]),
        ("header", [("名称", "h"), ("分值", "h"), ("名称", "h"), ("分值", "h"), ("名称", "h"), ("分值", "h"),
                    ("", "h"), ("", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", "{{ r.c2 }}", "{{ r.c3 }}", ("{{ r.c4 }}", "l"), "{{ r.c5 }}",
                         ("{{ r.c6 }}", "l"), ("{{ r.c7 }}", "l")], END],
        merge=_description("merge:0,1,2,3 drop"), small=True, layout=LANDSCAPE_BLOCK_MM, tail=LAST_PAGE)
    key_cells(doc, "{{t.key}}", "指标体系表")
    merge_header_cells(doc.tables[-1], ((3, 6), (4, 7)))
    ctrl(doc, "{%p endmacro %}")
    _macro(doc, "得分表")
    table(doc, [18, 20, 30, 12, 12, 14, 85, 34], [
        ("header", [("一级指标", "h"), ("二级指标", "h"), ("三级指标", "h"), ("分值", "h"), ("得分", "h"),
                    ("得分率", "h"), ("评分依据", "h"), ("依据来源", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l"), "{{ r.c3 }}", "{{ r.c4 }}", "{{ r.c5 }}",
                         ("{{ r.c6 }}", "l"), ("{{ r.c7 }}", "l")], END,
        [("合计", "h", 3), ("{{ t.total.weight }}", "h"), ("{{ t.total.score }}", "h"),
         ("{{ t.total.rate }}", "h"), ("评价等级“{{ t.grade }}”", "h", 2)]],
        merge=_description("merge:0,1 drop"), small=True, layout=LANDSCAPE_BLOCK_MM, tail=LAST_PAGE)
    key_cells(doc, "{{t.key}}", "得分表")
    ctrl(doc, "{%p endmacro %}")
    _macro(doc, "目标完成情况表")
    table(doc, [11, 18, 26, 28, 28, 20, 22, 44, 28], [
        ("header", [("职责序号", "h"), ("部门职责", "h", 2), ("职责目标", "h"), ("绩效指标", "h"),
                    ("{{ year }}年度目标值", "h"), ("实际完成指标值", "h"), ("实际完成情况的数据来源", "h"),
                    ("存在问题", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", ("{{ r.c2 }}", "l"), ("{{ r.c3 }}", "l"), ("{{ r.c4 }}", "l"),
                         "{{ r.c5 }}", "{{ r.c6 }}", ("{{ r.c7 }}", "l"), ("{{ r.c8 }}", "l")], END],
        merge=_description("merge:0,1,2 drop"), small=True, layout=LANDSCAPE_BLOCK_MM, tail=LAST_PAGE)
    key_cells(doc, "{{t.key}}", "目标完成情况表")
    ctrl(doc, "{%p endmacro %}")
    _macro(doc, "问卷调查表")
    ctrl(doc, "{%p if t.subtitle %}")
    para(doc, "{{ t.subtitle }}", "Subtitle", key="{{t.key}}.副标题")
    ctrl(doc, "{%p endif %}")
    table(doc, [60, 60, 22, 22, 26, 35], [
        ("header", [("问题", "h"), ("选项", "h"), ("答案（人数）", "h"), ("占比", "h"), ("样本量（人数）", "h"),
                    ("单项满意度", "h")]),
        ("tr", "{%tr for sec in t.rows %}"),
        [("{{ sec.title }}", "h", 6)],
        ("tr", "{%tr for r in sec.rows %}"),
        [("{{ r.c0 }}", "l"), ("{{ r.c1 }}", "l"), "{{ r.c2 }}", "{{ r.c3 }}", "{{ r.c4 }}", "{{ r.c5 }}"],
        END, END], merge=_description("merge:0,5"), small=True, layout=LANDSCAPE_BLOCK_MM, tail=LAST_PAGE)
    key_cells(doc, "{{t.key}}", "问卷调查表")
    ctrl(doc, "{%p endmacro %}")
    _macro(doc, "问题清单表")
    table(doc, [35, 12, 25, 153], [
        ("header", [("问题分类", "h"), ("序号", "h"), ("责任单位", "h"), ("问题描述", "h")]),
        loop("t.rows"), ["{{ r.c0 }}", "{{ r.c1 }}", "{{ r.c2 }}", ("{{ r.c3 }}", "l")], END],
        merge=_description("merge:0"), small=True, layout=LANDSCAPE_BLOCK_MM, tail=LAST_PAGE)
    key_cells(doc, "{{t.key}}", "问题清单表")
    para(doc, "备注：无", "表注", key="{{t.key}}.备注")
    ctrl(doc, "{%p endmacro %}")


def block_tags(doc) -> None:
    """The macros the body calls: 文字, 表格, 附件 (and 放置, which both text and 表格 use)."""
    # a table; at its default place only when no [表:…] line moved it, after its lead sentence
    ctrl(doc, "{%p macro 放置(t, default) %}")
    ctrl(doc, "{%p if not (default and t.moved) %}")
    ctrl(doc, "{%p if default %}")
    each(doc, "t.lead", "{{ x.text }}", key="{{x.key}}|引言")
    ctrl(doc, "{%p endif %}")
    para(doc, "{{p 表格内容(t) }}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endmacro %}")

    ctrl(doc, "{%p macro 表格(name) %}")
    ctrl(doc, "{%p set t = tables(name) %}")
    ctrl(doc, "{%p if t %}")
    para(doc, "{{p 放置(t, True) }}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endmacro %}")

    ctrl(doc, "{%p macro 文字(name, level=0) %}")
    ctrl(doc, "{%p set part = texts(name) %}")
    ctrl(doc, "{%p for b in part.blocks %}")
    ctrl(doc, "{%p if b.kind == 'p' %}")
    para(doc, "{{ b.text }}", key="{{b.key}}|p")
    ctrl(doc, "{%p elif b.kind == 'h' %}")
    ctrl(doc, "{%p set n = (level or part.level) + b.depth %}")
    for level, style_name in HEADING_STYLES.items():
        test = "n <= 1" if level == 1 else ("n >= 5" if level == 5 else f"n == {level}")
        ctrl(doc, f"{{%p {'if' if level == 1 else 'elif'} {test} %}}")
        para(doc, "{{ b.text }}", style_name, key=f"{{{{b.key}}}}|h{level}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p elif b.kind == 'u' %}")
    para(doc, "{{ b.text }}", "不编号标题", key="{{b.key}}|u")
    ctrl(doc, "{%p elif b.kind == 'table' %}")
    para(doc, "{{p 放置(b.table, b.default) }}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endfor %}")
    ctrl(doc, "{%p endmacro %}")

    ctrl(doc, "{%p macro 附件(name) %}")
    ctrl(doc, "{%p set t = attachments(name) %}")
    ctrl(doc, "{%p if t %}")
    para(doc, "附件{{ t.number }}", "附件编号", page_break=True, key="{{t.key}}.编号")
    para(doc, "{{ t.title }}", "附件标题", key="{{t.key}}.标题")
    for i, name in enumerate(("指标体系表", "得分表", "目标完成情况表", "问卷调查表", "问题清单表")):
        ctrl(doc, f"{{%p {'if' if i == 0 else 'elif'} t.design == '{name}' %}}")
        para(doc, f"{{{{p {name}(t) }}}}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p endmacro %}")


def macros(doc) -> None:
    """The macro library at the top of the template: it renders nothing itself."""
    para(doc, "{#p 模板说明：见 perfreport template 写出的说明文件。以下为表格样式和块标记的宏，生成报告时不输出。 #}", "表注")
    table_designs(doc)
    attachment_designs(doc)
    block_tags(doc)


# ---------------------------------------------------------------- the outline
def heading(doc, level: int, text: str) -> None:
    """A heading of the template's own text; its key is its text's letters (as bookmark names allow)."""
    para(doc, text, HEADING_STYLES[level], key="tpl." + re.sub(r"\W", "", text)[:32])


def overview(doc) -> None:
    """The 总览表: a form whose sections 二–四 run as text, a row per item, and whose score block (五) keeps
    together with the last 建议: the table's last page is not the score block alone."""
    para(doc, "{{ unit }}{{ year }}年度部门整体绩效评价总览表", "Title", page_break=True, key="tpl.总览表.标题")
    o = "overview"
    doc_rows = [
        [("一、项目预算资金安排和使用情况", "l", 4)],
        [("项目名称：{{ unit }}{{ year }}年度部门整体绩效评价", "l", 4)],
        [(f"主管部门：{{{{ {o}.authority }}}}", "l", 2), (f"实施单位：{{{{ {o}.implementer }}}}", "l", 2)],
        [("预算批复（万元）", "h"), ("调整后预算（万元）", "h"), ("预算执行（万元）", "h"), ("执行率", "h")],
        [f"{{{{ {o}.budget }}}}", f"{{{{ {o}.adjusted }}}}", f"{{{{ {o}.spent }}}}", f"{{{{ {o}.rate }}}}"],
        *_flow("@二", ("tr", f"{{%tr for x in {o}.strategy %}}"), "@line", END, "@二（二）",
               ("tr", f"{{%tr for x in {o}.goals %}}"), "@line", END),
        *_flow("@三", *_items(f"{o}.achievements", "@成效")),
        *_flow("@四", *_items(f"{o}.issues", "@问题"), "@四（二）", *_items(f"{o}.advice", "@建议", last=2)),
        [("五、评价得分和等级", "l", 4)],
        [("一级指标", "h"), ("分值", "h"), ("评价得分", "h"), ("得分率", "h")],
        loop(f"{o}.scores"), ["{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}"], END,
        [("合计", "h"), (f"{{{{ {o}.total.weight }}}}", "h"), (f"{{{{ {o}.total.score }}}}", "h"),
         (f"{{{{ {o}.total.rate }}}}", "h")],
        [("绩效评价得分：{{ f.总分 }}分　　　　　评价结果等级：{{ f.等级 }}", "h", 4)],
    ]
    table(doc, [39, 39, 39, 39], doc_rows)
    tbl = doc.tables[-1]
    rows = tbl._tbl.tr_lst
    for index, (row, tr) in enumerate(zip(tbl.rows, rows)):
        cell = row.cells[0]
        name = cell.text
        if name in OVERVIEW_CELLS:
            cell.paragraphs[0].text = ""
            for text, style_name in OVERVIEW_CELLS[name]:
                para(cell, text, style_name)
            first = cell.paragraphs[0]
            first._p.getparent().remove(first._p)
            _borders(tr, top="single" if name in ("@二", "@三", "@四") else "nil", bottom="nil")
            if name in OVERVIEW_HEADS or tr.trPr.find(qn("w:cantSplit")) is not None:
                _keep_with_next(tr)  # headings and titles, and the last 建议 paragraphs with the score block
        if name.startswith("五、"):
            _borders(tr, top="single")
            for kept in rows[index:-1]:  # the score block keeps together
                _keep_with_next(kept)
        if name[:2] in ("一、", "五、"):
            cell.paragraphs[0].style = doc.styles["总览小标题"]
    key_cells(doc, "tpl.总览表")


def _items(expr: str, title: str, last: int = 0) -> list:
    """Rows of numbered items: a title row, then a row per paragraph; with `last`, the last item's last
    paragraphs in rows that keep with what follows."""
    body = ["@text"] if not last else [("tr", f"{{%tr if last_item and loop.revindex0 in range({last}) %}}"), ("keep", "@text"),
                                      ("tr", "{%tr else %}"), "@text", ("tr", "{%tr endif %}")]
    rows = [("tr", f"{{%tr for s in {expr} %}}"), title]
    if last:
        rows.append(("tr", "{%tr set last_item = loop.last %}"))
    return rows + [("tr", "{%tr for x in s.body %}"), *body, END, END]


def _flow(*rows) -> list:
    """Rows of a section that runs as text: "@name" rows split across pages (a paragraph may), loop rows as given."""
    return [("split", [(row, "l", 4)]) if isinstance(row, str) else
            (row[0], [(row[1], "l", 4)]) if row[0] == "keep" else row for row in rows]


def _borders(tr, **sides: str) -> None:
    """Set the top/bottom border of every cell of a row (nil: none, so that a section's rows read as one cell)."""
    for tc in tr.tc_lst:
        tcPr = tc.get_or_add_tcPr()
        borders = tcPr.find(qn("w:tcBorders"))
        if borders is None:
            borders = parse_xml(f"<w:tcBorders {nsdecls('w')}/>")
            tcPr.find(qn("w:vAlign")).addprevious(borders)
        for side in ("top", "bottom"):
            if side in sides:
                for old in borders.findall(qn(f"w:{side}")):
                    borders.remove(old)
                value = sides[side]
                attributes = ' w:sz="4" w:space="0" w:color="000000"' if value == "single" else ""
                element = parse_xml(f'<w:{side} {nsdecls("w")} w:val="{value}"{attributes}/>')
                if side == "top":
                    borders.insert(0, element)
                else:
                    borders.append(element)


def _keep_with_next(tr) -> None:
    """Keep a row on the page of the next: every paragraph keeps with the next, and the row does not split."""
    for ppr in tr.iter(qn("w:pPr")):
        if ppr.find(qn("w:keepNext")) is None:
            style = ppr.find(qn("w:pStyle"))
            keep = parse_xml(f"<w:keepNext {nsdecls('w')}/>")
            if style is not None:
                style.addnext(keep)
            else:
                ppr.insert(0, keep)
    trPr = tr.get_or_add_trPr()
    if trPr.find(qn("w:cantSplit")) is None:
        trPr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


OVERVIEW_HEADS = {"@二": [("二、项目绩效目标", "总览小标题"), ("（一）部门战略目标", "总览小标题")],
                  "@二（二）": [("（二）年度整体绩效目标", "总览小标题")],
                  "@三": [("三、实施成效", "总览小标题")],
                  "@四": [("四、主要问题及有关建议", "总览小标题"), ("（一）主要问题", "总览小标题")],
                  "@四（二）": [("（二）有关建议", "总览小标题")],
                  "@成效": [("（{{ s.number }}）{{ s.title }}", "总览小标题")],
                  "@问题": [("{{ loop.index }}. {{ s.title }}", "总览小标题")],
                  "@建议": [("{{ loop.index }}. {{ s.title }}", "总览小标题")]}
OVERVIEW_CELLS = {**OVERVIEW_HEADS, "@line": [("{{ x.text }}", "总览正文")], "@text": [("{{ x.text }}", "总览正文")]}


def contents(doc) -> None:
    para(doc, "目　　录", "目录标题", page_break=True, key="tpl.目录标题")
    para(doc, "〔目录〕", "Normal")  # perfreport writes the table of contents here


def chapter1(doc) -> None:
    para(doc, "{{ title }}", "Title", key="tpl.报告标题")
    block(doc, '文字("摘要")')
    heading(doc, 1, "部门基本情况")
    heading(doc, 2, "部门概况")
    heading(doc, 3, "组织架构及主要职能")
    block(doc, '文字("组织架构及主要职能")')
    block(doc, '表格("政策梳理")')
    heading(doc, 3, "人员构成")
    block(doc, '文字("人员构成")')
    heading(doc, 3, "资产情况")
    block(doc, '文字("资产情况")')
    block(doc, '表格("固定资产")')
    heading(doc, 3, "部门预决算情况")
    for side in ("收入", "支出"):
        heading(doc, 4, f"年度{side}预决算")
        block(doc, f'文字("{side}预决算")')
        block(doc, f'表格("{side}决算")')
        block(doc, f'文字("{side}变动说明")')
    heading(doc, 2, "部门整体绩效目标")
    heading(doc, 3, "部门战略目标")
    block(doc, '文字("部门战略目标")')
    block(doc, '表格("战略目标")')
    heading(doc, 3, "年度整体绩效目标")
    block(doc, '文字("年度目标引言")')
    block(doc, '表格("年度目标")')
    heading(doc, 2, "部门年度主要工作任务完成情况")
    block(doc, '文字("年度工作完成情况")')


def chapter2(doc) -> None:
    heading(doc, 1, "绩效评价工作开展情况")
    heading(doc, 2, "评价目的、评价对象和范围")
    for name in ("评价目的", "评价对象", "评价范围"):
        heading(doc, 3, name)
        block(doc, f'文字("{name}")')
    heading(doc, 2, "评价思路、评价重点、评价指标体系和评价标准")
    for name in ("评价思路", "评价重点", "评价指标体系", "评价标准"):
        heading(doc, 3, name)
        block(doc, f'文字("{name}")')
    heading(doc, 2, "评价组织实施与评价方法")
    heading(doc, 3, "评价组织实施")
    block(doc, '文字("实施安排引言")')
    block(doc, '表格("工作组")')
    block(doc, '文字("实施安排")')
    heading(doc, 3, "评价方法")
    block(doc, '文字("评价方法")')


def chapter3(doc) -> None:
    heading(doc, 1, "评价结论及分析")
    heading(doc, 2, "综合评价结论")
    block(doc, '文字("综合评价得分")')
    block(doc, '表格("得分情况")')
    block(doc, '文字("综合评价结论")')
    heading(doc, 2, "指标分析")
    block(doc, '文字("指标分析")')


def chapters456(doc) -> None:
    for name, title in (("主要绩效", "部门整体所实现的主要绩效"), ("存在的问题", "存在的问题"), ("相关建议", "相关建议")):
        heading(doc, 1, title)
        block(doc, f'文字("{name}")')
    block(doc, '文字("增加章节")')
    para(doc, "〔附件列表〕", "Normal")  # perfreport writes 附件： and the attachments here, in order


def attachments(doc) -> None:
    for name in ("指标体系", "得分表", "目标完成情况", "问卷调查", "问题清单"):
        block(doc, f'附件("{name}")')


def letter(doc) -> None:
    para(doc, "{{ agency }}", "函头", key="tpl.函.函头")
    para(doc, "{{ letter.number }}", "函文号", key="tpl.函.文号")
    para(doc, "关于呈报《{{ title }}》的函", "Title", key="tpl.函.标题")
    para(doc, "{{ letter.to }}：", "称呼", key="tpl.函.称呼")
    block(doc, '文字("呈报函正文")')
    ctrl(doc, "{%p if letter.contact %}")
    para(doc, "（我公司联系人：{{ letter.contact }}　　联系电话：{{ letter.phone }}）", key="tpl.函.联系人")
    ctrl(doc, "{%p endif %}")
    ctrl(doc, "{%p if letter.qr %}")
    para(doc, "{{ qr_image }}", "封面信息", key="tpl.函.二维码")
    para(doc, "客户服务满意度调查", "封面信息", key="tpl.函.满意度调查")
    ctrl(doc, "{%p endif %}")
    para(doc, "{{ agency }}", "落款", key="tpl.函.落款")
    para(doc, "{{ letter.date }}", "落款", key="tpl.函.日期")

"""One outline, declared once: parts drop when empty, move, get added and reworded; numbers follow the page.

Each report is built once per module; the tests read its text (tests/report_text.py).
"""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from other_workbook import MANUAL, STAGES, write_other_workbook
from perfreport.pipeline import build
from perfreport.render import template_path
from report_text import report_lines

CAPTION = re.compile(r"^P 表(\d+)：(.+)$")


def _report(folder: Path, name: str, template: Path | None = None, **kw):
    """Build the other department's workbook with `kw` changes; return (result, report lines)."""
    workbook = write_other_workbook(folder / f"{name}.xlsx", **kw)
    out = folder / f"{name}.docx"
    result = build(workbook, out, template=template)
    return result, (report_lines(out) if result.output else [])


def _body(lines: list[str]) -> list[str]:
    """The report from its title (after the 目录) to the letter."""
    contents = lines.index("P 目　　录")  # the cover prints the same title
    start = next(i for i, line in enumerate(lines) if i > contents and line.endswith("年度部门整体绩效评价报告")
                 and line.startswith("P 云岭"))
    return lines[start:]


def _toc(lines: list[str]) -> list[str]:
    start = lines.index("P 目　　录") + 1
    end = next(i for i in range(start, len(lines)) if lines[i] == "P ")
    return [line[2:] for line in lines[start:end]]


def _captions(lines: list[str]) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2)) for m in map(CAPTION.match, lines) if m]


def _attachments(lines: list[str]) -> tuple[list[str], list[str]]:
    """The 附件 list's lines and the attachments' headings, in order."""
    start = lines.index("P 附件：") + 1
    listed = []
    while re.match(r"^P \d+\.", lines[start]):
        listed.append(lines[start][2:])
        start += 1
    return listed, [line[2:] for line in lines if re.fullmatch(r"P 附件\d+", line)]


# ---- optional parts drop cleanly ----------------------------------------------------------
@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """No 问卷, no 复评项目, no 固定资产 rows, no 政策梳理."""
    folder = tmp_path_factory.mktemp("bare")
    return _report(folder, "bare", empty=("问卷", "复评项目", "固定资产", "政策梳理"), framework=MANUAL,
                   固定资产原值=124.5, 累计折旧=41.7)


def test_without_survey_the_attachments_are_numbered_1_to_4(bare):
    result, lines = bare
    assert result.ok, result.errors
    listed, headings = _attachments(lines)
    assert headings == ["附件1", "附件2", "附件3", "附件4"]
    assert [re.sub(r"^\d+\.云岭县农业农村局2025年度部门整体", "", x) for x in listed] == [
        "绩效评价指标体系", "绩效评价得分表", "目标完成情况对比表", "绩效评价问题清单"]
    assert [int(x.split(".")[0]) for x in listed] == [1, 2, 3, 4]
    assert not any("问卷" in line for line in lines)


def test_without_rows_a_table_and_its_sentence_are_left_out(bare):
    _, lines = bare
    captions = _captions(lines)
    assert [n for n, _ in captions] == list(range(1, len(captions) + 1))
    titles = " ".join(t for _, t in captions)
    assert "复评" not in titles and "固定资产明细表" not in titles and "政策梳理" not in titles
    text = "\n".join(lines)
    assert "固定资产明细见" not in text and "抽查项目绩效复评" not in text
    assert "净值8.7万元。\n" in text  # the asset paragraph ends where its table reference was


def test_no_table_without_body_rows(bare):
    _, lines = bare
    for i, line in enumerate(lines):
        if CAPTION.match(line):
            rows = [x for x in lines[i + 1: i + 8] if x.startswith("T ")]
            assert len(rows) >= 2, line  # a header and at least one row


# ---- moved, added and reworded parts ------------------------------------------------------
METHOD = ("评价方法", 1, None, "本次评价采用案卷分析法，评价组人员见[表号:工作组]。\n[表:工作组]")
SUMMARY = ("摘要", 1, None, "本次评价得分{总分}分，等级为“{等级}”。")
EXTRA = ("增加章节", 1, "其他需要说明的问题", "部分数据来自部门自报。\n[节:数据来源]\n统计口径以决算为准。")
STAFF = ("人员构成", 1, None, "全局核定编制{编制总数}名，实有{实有总数}名。")
INCOME = ("收入预决算", 1, None, "年初收入预算{年初预算}万元，来源为{收入来源}。[[详见[表号:收入决算]。]]")
CONCLUSION = ("综合评价得分", 1, None, "经评价，{单位简称}得分{总分}分，级别为“{等级}”，见[表号:得分情况]。")


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("changed")
    stages = [dict(STAGES[0], 工作内容="组建评价组。"), STAGES[1]]  # no marker there: it moves to 评价方法
    return _report(folder, "changed", texts=[METHOD, SUMMARY, EXTRA, STAFF, INCOME, CONCLUSION], stages=stages)


def test_a_table_moved_into_a_later_section_is_numbered_in_document_order(changed):
    result, lines = changed
    assert result.ok, result.errors
    captions = _captions(lines)
    assert [n for n, _ in captions] == list(range(1, len(captions) + 1))
    names = [t for _, t in captions]
    workgroup = names.index("人员安排及分工情况表") + 1
    assert names[workgroup - 2] == "2025年度整体绩效目标表" and names[workgroup] == "部门整体绩效评价得分情况表"
    method = lines.index("P 2.评价方法")
    assert lines[method + 1] == f"P 本次评价采用案卷分析法，评价组人员见表{workgroup}。"
    assert lines[method + 2] == f"P 表{workgroup}：人员安排及分工情况表"


def test_three_generated_sentences_are_replaced_from_the_workbook(changed):
    _, lines = changed
    text = "\n".join(lines)
    assert "P 全局核定编制21名，实有19名。" in text and "其中行政9名" not in text
    assert "P 年初收入预算2,418.6万元，来源为一般公共预算2,418.6万元。详见表3。" in text
    assert "年中调整收入预算" not in text
    score = next(n for n, t in _captions(lines) if t == "部门整体绩效评价得分情况表")
    assert f"P 经评价，县农业局得分79.5分，级别为“中”，见表{score}。" in text
    assert "综合绩效级别为" not in text


def test_an_added_summary_and_chapter_are_numbered_and_in_the_contents(changed):
    _, lines = changed
    body = _body(lines)
    assert body[1:3] == ["P 摘要", "P 本次评价得分79.5分，等级为“中”。"]
    assert body[3] == "P 一、部门基本情况"
    extra = body.index("P 七、其他需要说明的问题")
    assert body[extra + 1: extra + 4] == ["P 部分数据来自部门自报。", "P （一）数据来源", "P 统计口径以决算为准。"]
    assert body.index("P 六、相关建议") < extra < body.index("P 附件：")
    toc = _toc(lines)
    assert toc[0] == "摘要" and toc[1] == "一、部门基本情况"
    assert toc[-2:] == ["七、其他需要说明的问题", "（一）数据来源"]
    styles = [p.style.name for p in docx.Document(changed[0].output).paragraphs if p.text == "摘要"]
    assert styles == ["不编号标题"]


# ---- default places ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def unmarked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unmarked")
    return _report(folder, "unmarked", stages=[dict(STAGES[0], 工作内容="组建评价组。"), STAGES[1]])


def test_a_filled_workgroup_without_marker_appears_in_its_default_place(unmarked):
    result, lines = unmarked
    assert result.ok and not [p for p in result.problems if p.code == "table-not-placed"]
    start = lines.index("P 1.评价组织实施")
    number = next(n for n, t in _captions(lines) if t == "人员安排及分工情况表")
    assert lines[start + 1: start + 4] == ["P 本次绩效评价包括准备、实施两个阶段。具体工作安排如下：",
                                           f"P 评价工作组人员安排及分工见表{number}。",
                                           f"P 表{number}：人员安排及分工情况表"]
    assert lines.index("P （1）准备阶段（2月1日—2月10日）") > start + 4


def test_an_empty_column_is_dropped_where_the_design_allows(unmarked):
    """政策梳理's 市级 column is empty in every row: the table has four columns, as wide as before."""
    result, lines = unmarked
    caption = next(i for i, line in enumerate(lines) if line.endswith("：政策梳理情况"))
    assert lines[caption + 1] == "T 序号 | 滇 | 县 | 结论"
    table = next(t for t in docx.Document(result.output).tables if t.rows[0].cells[1].text == "滇")
    grid = table._tbl.tblGrid.gridCol_lst
    assert len(grid) == 4
    assert abs(sum(c.w.twips for c in grid) - int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))) <= 4


# ---- a firm's template ------------------------------------------------------------------------
def _chapter(body, title: str) -> list:
    """The elements of the chapter whose Heading 1 reads `title`, up to the next Heading 1 or section break."""
    items, inside = [], False
    for element in list(body.iterchildren()):
        style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        heading = style is not None and style.get(qn("w:val")) == "Heading1"
        if heading:
            inside = text == title
        if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None or "〔附件列表〕" in text:
            inside = False
        if inside:
            items.append(element)
    return items


def _move_before(document, chapter: str, before: str) -> None:
    body = document.element.body
    anchor = _chapter(body, before)[0]
    for element in _chapter(body, chapter):
        anchor.addprevious(element)


def _paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def score_first(folder: Path) -> Path:
    """评价结论及分析 first (after the 摘要)."""
    document = docx.Document(str(template_path()))
    _move_before(document, "评价结论及分析", "部门基本情况")
    path = folder / "score_first.docx"
    document.save(str(path))
    return path


def problems_first(folder: Path) -> Path:
    """存在的问题 before 评价结论及分析, a fixed chapter 其他需要说明的问题 after 六, no 问卷 attachment."""
    document = docx.Document(str(template_path()))
    _move_before(document, "存在的问题", "评价结论及分析")
    marker = _paragraph(document, "〔附件列表〕")
    marker.insert_paragraph_before("其他需要说明的问题", style="Heading 1")
    marker.insert_paragraph_before("本报告所用数据截至评价年度末。")
    survey = _paragraph(document, '{{p 附件("问卷调查") }}')
    survey._p.getparent().remove(survey._p)
    path = folder / "problems_first.docx"
    document.save(str(path))
    return path


def test_a_score_first_template_with_a_summary(tmp_path):
    result, lines = _report(tmp_path, "score", template=score_first(tmp_path), texts=[SUMMARY])
    assert result.ok, result.errors
    toc = _toc(lines)
    assert toc[:5] == ["摘要", "一、评价结论及分析", "（一）综合评价结论", "（二）指标分析", "二、部门基本情况"]
    assert [t for t in toc if re.match("^[一二三四五六七]、", t)] == [
        "一、评价结论及分析", "二、部门基本情况", "三、绩效评价工作开展情况", "四、部门整体所实现的主要绩效",
        "五、存在的问题", "六、相关建议"]
    captions = _captions(lines)
    assert [n for n, _ in captions] == list(range(1, len(captions) + 1))
    assert captions[0] == (1, "部门整体绩效评价得分情况表")
    assert "P 2025年度县农业局部门整体绩效评价得分79.5分，综合绩效级别为“中”。得分情况见表1。" in lines
    body = _body(lines)
    assert body.index("P 摘要") < body.index("P 一、评价结论及分析") < body.index("P 二、部门基本情况")
    listed, headings = _attachments(lines)
    assert headings == [f"附件{n}" for n in range(1, 6)] and len(listed) == 5


def test_a_problems_first_template_with_another_chapter_and_no_survey_attachment(tmp_path):
    result, lines = _report(tmp_path, "problems", template=problems_first(tmp_path))
    assert result.ok, result.errors
    chapters = [t for t in _toc(lines) if re.match("^[一二三四五六七八]、", t)]
    assert chapters == ["一、部门基本情况", "二、绩效评价工作开展情况", "三、存在的问题", "四、评价结论及分析",
                        "五、部门整体所实现的主要绩效", "六、相关建议", "七、其他需要说明的问题"]
    body = _body(lines)
    extra = body.index("P 七、其他需要说明的问题")
    assert body[extra + 1] == "P 本报告所用数据截至评价年度末。" and body[extra + 2] == "P 附件："
    listed, headings = _attachments(lines)
    assert headings == ["附件1", "附件2", "附件3", "附件4"]
    assert listed[3].startswith("4.") and listed[3].endswith("问题清单")
    captions = _captions(lines)
    assert [n for n, _ in captions] == list(range(1, len(captions) + 1))


def _after(paragraph, text: str, style: str = "Normal"):
    """A new paragraph right after `paragraph`."""
    new = paragraph.insert_paragraph_before(text, style=style)
    paragraph._p.addnext(new._p)
    return new


def merged_problems_and_advice(folder: Path) -> Path:
    """五 and 六 as one chapter 问题和建议, their sections one level down: 文字("…", 3) under two Heading 2."""
    document = docx.Document(str(template_path()))
    for element in _chapter(document.element.body, "相关建议"):
        element.getparent().remove(element)
    heading = next(p for p in document.paragraphs if p.text == "存在的问题" and p.style.name == "Heading 1")
    heading.runs[0].text = "问题和建议"
    tag = _paragraph(document, '{{p 文字("存在的问题") }}')
    tag.runs[0].text = '{{p 文字("存在的问题", 3) }}'
    tag.insert_paragraph_before("存在的问题", style="Heading 2")
    _after(_after(tag, "有关建议", "Heading 2"), '{{p 文字("相关建议", 3) }}')
    path = folder / "merged_template.docx"
    document.save(str(path))
    return path


def test_a_text_placed_one_level_down_numbers_its_sections_at_that_level(tmp_path):
    result, lines = _report(tmp_path, "merged", template=merged_problems_and_advice(tmp_path))
    assert result.ok, result.errors
    body = _body(lines)
    start = body.index("P 五、问题和建议")
    assert body[start + 1: start + 6] == ["P （一）存在的问题", "P 1.村庄整治进度滞后", "P 一是整治村庄31个，未达目标。",
                                          "P （二）有关建议", "P 1.加快整治进度"]
    assert [t for t in _toc(lines) if t.startswith("五")] == ["五、问题和建议"]
    assert "六、相关建议" not in "\n".join(lines)

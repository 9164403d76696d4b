"""A firm's template: the command that writes it, errors that say which block broke and where,
and the declarations (outline, wording) the template, README and guide are checked against."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from firm_template import edited as _edited, paragraph as _paragraph
from other_workbook import MANUAL, STAGES, write_other_workbook
from perfreport.guide import guide, guide_path
from perfreport.outline import ATTACHMENTS, TABLES, TEXTS, WORKBOOK_SECTIONS
from perfreport.pipeline import build
from perfreport.render import template_path
from perfreport.wording import ATTACHMENT_TITLES, TABLE_NOTES, TABLE_TITLES, WORDING

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TAG = re.compile(r'\{\{p (文字|表格|附件)\("([^"]+)"')


def _template_tags() -> list[tuple[str, str]]:
    """The block tags of the shipped template's body, in order."""
    return [(m.group(1), m.group(2)) for p in docx.Document(str(template_path())).paragraphs
            for m in TAG.finditer(p.text)]


def _delete(text: str):
    def edit(document):
        paragraph = _paragraph(document, text)
        paragraph._p.getparent().remove(paragraph._p)
    return edit


def _replace(old: str, new: str):
    def edit(document):
        paragraph = _paragraph(document, old)
        paragraph.runs[0].text = new
        for run in paragraph.runs[1:]:
            run.text = ""
    return edit


def _errors(result) -> list[tuple[str, str, str]]:
    return [(p.code, p.location, p.message) for p in result.errors]


# ---- the declarations, once ----------------------------------------------------------------
def test_the_template_places_every_declared_part_and_nothing_else():
    tags = _template_tags()
    declared = {("文字", t.name) for t in TEXTS} | {("附件", a.name) for a in ATTACHMENTS} | {
        ("表格", t.name) for t in TABLES if t.name != "指标得分"}
    in_flows = {("表格", "预算执行进度"), ("表格", "复评项目")}  # placed inside 文字("指标分析") by default
    assert set(tags) == declared - in_flows
    assert len(tags) == len(set(tags))


def test_readme_shows_the_template_outline_in_order():
    block = README.split("## The outline", 1)[1].split("```")[1]
    assert [(m.group(1), m.group(2)) for m in TAG.finditer(block)] == _template_tags()


def test_readme_lists_every_named_wording_with_its_default():
    for wording in WORDING:
        row = next((line for line in README.splitlines() if line.startswith(f"| {wording.name} |")), None)
        assert row is not None, wording.name
        assert wording.default.replace("\n", "<br>").replace("|", "\\|") in row, wording.name
    for name, title in {**TABLE_TITLES, **TABLE_NOTES, **ATTACHMENT_TITLES}.items():
        assert f"{name}: {title}" in README, name


def test_readme_lists_every_part():
    for name in [t.name for t in TEXTS] + [t.name for t in TABLES] + [a.name for a in ATTACHMENTS] + list(
            WORKBOOK_SECTIONS):
        assert f"`{name}`" in README, name


def test_the_guide_lists_every_block_name_and_wording():
    text = guide()
    for name in [t.name for t in TEXTS] + [t.name for t in TABLES] + [a.name for a in ATTACHMENTS]:
        assert f"   {name}" in text, name
    for wording in WORDING:
        assert f"   {wording.name}：{wording.default}" in text


# ---- perfreport template ---------------------------------------------------------------------
def test_template_command_writes_the_master_and_its_guide(run_cli, tmp_path):
    target = tmp_path / "我的模板.docx"
    run = run_cli("template", target)
    assert run.code == 0, run.output
    assert run.stdout.splitlines()[0] == f"已生成 {target}"
    assert target.read_bytes() == template_path().read_bytes()
    assert guide_path(target).read_text(encoding="utf-8") == guide()
    again = run_cli("template", target)
    assert again.code == 1 and "已存在" in again.stderr
    assert run_cli("template", target, "--force").code == 0
    assert (tmp_path / "我的模板.bak.docx").exists()


def test_template_command_refuses_another_suffix(run_cli, tmp_path):
    run = run_cli("template", tmp_path / "模板.doc")
    assert run.code == 1 and "应保存为 .docx" in run.stderr
    assert not (tmp_path / "模板.doc").exists()


# ---- errors that name what broke ---------------------------------------------------------------
@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return write_other_workbook(tmp_path_factory.mktemp("firm") / "other.xlsx")


def test_a_misspelt_block_name_is_named_with_its_place(workbook, tmp_path):
    firm = _edited(tmp_path, _replace('{{p 文字("评价方法") }}', '{{p 文字("评价方式") }}'))
    result = build(workbook, tmp_path / "out.docx", template=firm)
    [(code, _, message)] = _errors(result)
    assert code == "template-error"
    assert '文字("评价方式")' in message and "没有名为“评价方式”的文字" in message
    assert "标题“评价方法”之下" in message
    assert not (tmp_path / "out.docx").exists()


def test_a_deleted_endif_names_the_unclosed_block(workbook, tmp_path):
    def edit(document):
        opening = _paragraph(document, "{%p if letter.contact %}")
        closing = opening._p.getnext().getnext()
        assert "endif" in "".join(closing.itertext())
        closing.getparent().remove(closing)

    result = build(workbook, tmp_path / "out.docx", template=_edited(tmp_path, edit))
    [(code, _, message)] = _errors(result)
    assert code == "template-error" and "不成对" in message
    assert "{% if letter.contact %}" in message and "{{ letter.to }}：" in message


def test_a_table_with_data_and_no_place_is_an_error_naming_it(workbook, tmp_path):
    result = build(workbook, tmp_path / "out.docx", template=_edited(tmp_path, _delete('{{p 表格("固定资产") }}')))
    assert [(c, loc) for c, loc, _ in _errors(result)] == [("table-not-placed", "固定资产")]
    assert "[表:固定资产]" in result.errors[0].message
    assert not (tmp_path / "out.docx").exists()


def test_a_table_the_template_places_twice_is_an_error(workbook, tmp_path):
    def edit(document):
        paragraph = _paragraph(document, '{{p 表格("得分情况") }}')
        paragraph.insert_paragraph_before('{{p 表格("得分情况") }}')

    result = build(workbook, tmp_path / "out.docx", template=_edited(tmp_path, edit))
    assert [c for c, _, _ in _errors(result)] == ["placed-twice"]
    assert "得分情况" in result.errors[0].message


def test_workbook_text_the_template_leaves_out_is_reported(tmp_path):
    workbook = write_other_workbook(tmp_path / "w.xlsx", texts=[("增加章节", 1, "其他需要说明的问题", "说明。")])
    result = build(workbook, tmp_path / "out.docx", template=_edited(tmp_path, _delete('{{p 文字("增加章节") }}')))
    assert result.ok
    assert [(p.code, p.location) for p in result.warnings if p.code == "text-not-placed"] == [
        ("text-not-placed", "增加章节")]


def test_an_attachment_with_data_the_template_leaves_out_is_reported(workbook, tmp_path):
    result = build(workbook, tmp_path / "out.docx", template=_edited(tmp_path, _delete('{{p 附件("问卷调查") }}')))
    assert result.ok
    assert [p.location for p in result.warnings if p.code == "attachment-not-placed"] == ["问卷调查"]


# ---- workbook markers -------------------------------------------------------------------------------
def test_a_reference_to_a_table_without_data_is_an_error_at_its_cell(tmp_path):
    stages = [dict(STAGES[0], 工作内容="复核情况见[表号:复评项目]。"), STAGES[1]]
    workbook = write_other_workbook(tmp_path / "w.xlsx", stages=stages, empty=("复评项目",), framework=MANUAL)
    result = build(workbook, tmp_path / "out.docx")
    assert [(c, loc) for c, loc, _ in _errors(result)] == [("unknown-table", "实施安排!C2")]
    assert "没有它的数据" in result.errors[0].message


def test_a_table_placed_twice_by_markers_is_an_error_at_the_second(tmp_path):
    stages = [STAGES[0], dict(STAGES[1], 工作内容="[表:工作组]")]
    result = build(write_other_workbook(tmp_path / "w.xlsx", stages=stages), tmp_path / "out.docx")
    assert [(c, loc) for c, loc, _ in _errors(result)] == [("table-placed-twice", "实施安排!C3")]


# ---- the numbering pass on its own ------------------------------------------------------------------
def test_headings_are_numbered_by_level_and_a_typed_number_is_replaced():
    from perfreport import numbering
    styles = {"H1": (1, True), "H2": (2, True), "H3": (3, True), "U": (1, False)}

    def p(style: str, text: str) -> str:
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'

    xml = "".join([p("Normal", "〔目录〕"), p("U", "摘要"), p("H1", "甲"), p("H2", "乙"), p("H3", "丙"),
                   p("H3", "3.丁"), p("H1", "二、戊"), p("H2", "（五）己"), p("H1", "")])
    context = {"attachments": {}, "tables": {}, "texts": {}, "numbering": {"refs": {"表格": {}, "附件": {}},
                                                                          "attachment_label": "附件："}}
    outline = numbering.resolve(xml, styles, context)
    texts = re.findall(r"<w:t>([^<]*)</w:t>", outline.xml)
    assert texts[-7:] == ["一、甲", "（一）乙", "1.丙", "2.丁", "二、戊", "（一）己", ""]
    assert outline.headings == ["摘要", "一、甲", "（一）乙", "二、戊", "（一）己"]
    assert outline.xml.count("<w:bookmarkStart") == 5 and outline.problems == []


def test_the_contents_marker_is_found_when_word_split_it_into_runs(workbook, tmp_path):
    def edit(document):
        paragraph = _paragraph(document, "〔目录〕")
        paragraph.runs[0].text = "〔目"
        paragraph.add_run("录〕")

    result = build(workbook, tmp_path / "out.docx", template=_edited(tmp_path, edit))
    assert result.ok
    text = "\n".join(p.text for p in docx.Document(result.output).paragraphs)
    assert "〔目" not in text and "一、部门基本情况\n（一）部门概况" in text

"""`check --quality`: the sample assessed item by item, and reports broken on purpose, each caught where it broke.

Regenerate the golden output after an intended change with
    PERFREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_quality.py
and review its diff like code.
"""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest

from firm_template import edited as _template, paragraph as _paragraph
from other_workbook import write_other_workbook
from perfreport.quality import ITEMS, assess, totals
from perfreport.quality.document import Report, Table
from perfreport.render import template_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
GOLDEN = Path(__file__).resolve().parent / "golden" / "shizhong_gxj_2023_quality.txt"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _failing(assessment) -> list[tuple[str, str, str]]:
    return [(item.code, f.where, f.detail) for item in assessment.items for f in item.findings if not f.passed]


def _codes_failing(assessment) -> set[str]:
    return {item.code for item in assessment.items if item.status == "未通过"}


@pytest.fixture(scope="module")
def sample():
    result, assessment = assess(SAMPLE)
    assert result.ok and assessment is not None
    return assessment


def _delete(*texts: str):
    def edit(document):
        for text in texts:
            p = _paragraph(document, text)
            p._p.getparent().remove(p._p)
    return edit


# ---- the sample ----------------------------------------------------------------------------------
def test_every_declared_item_is_assessed_in_order(sample):
    assert [item.code for item in sample.items] == [d.code for d in ITEMS]
    assert all(item.findings for item in sample.items)


def test_the_sample_fails_only_the_references_own_grades(sample):
    # 81.4 and 80.19 fall in 80（含）—90 “良”, yet the reference grades both projects “中”
    assert _failing(sample) == [
        ("review-grades", "复评项目!G4", "“破产企业职工经费”实际绩效等级“中”，复核得分 81.4 按等级标准为“良”"),
        ("review-grades", "复评项目!G6", "“水处理剂产业园经费”实际绩效等级“中”，复核得分 80.19 按等级标准为“良”")]


def test_the_sample_assessment_as_printed(run_cli):
    run = run_cli("check", SAMPLE, "--quality")
    assert run.code == 0 and not run.traceback
    if os.environ.get("PERFREPORT_UPDATE_GOLDEN"):
        GOLDEN.write_text(run.stdout, encoding="utf-8")
    assert run.stdout == GOLDEN.read_text(encoding="utf-8")


def test_the_assessment_as_json(run_cli):
    run = run_cli("check", SAMPLE, "--quality", "--json")
    assert run.code == 0
    out = json.loads(run.stdout)
    quality = out["quality"]
    assert (quality["passed"], quality["failed"], quality["unchecked"]) == (len(ITEMS) - 1, 1, 0)
    assert [i["code"] for i in quality["items"]] == [d.code for d in ITEMS]
    outline = next(i for i in quality["items"] if i["code"] == "outline")
    assert len(outline["findings"]) > 40 and {f["status"] for f in outline["findings"]} == {"通过"}
    assert out["warnings"] and "errors" in out  # what check --json says, besides


def test_template_without_quality_is_a_usage_error(run_cli):
    run = run_cli("check", SAMPLE, "--template", template_path())
    assert run.code == 2 and "--quality" in run.output


def test_a_workbook_with_errors_is_not_assessed(run_cli, tmp_path):
    workbook = write_other_workbook(tmp_path / "w.xlsx", 年初预算=None)
    run = run_cli("check", workbook, "--quality")
    assert run.code == 1 and "报告无法生成，不能自评" in run.stdout and "预决算!" in run.stdout


def test_a_template_that_cannot_be_rendered_is_not_assessed(run_cli, tmp_path):
    def misspell(document):
        _paragraph(document, '{{p 文字("评价方法") }}').runs[0].text = '{{p 文字("评价方式") }}'
        for run in _paragraph(document, '{{p 文字("评价方式") }}').runs[1:]:
            run.text = ""

    run = run_cli("check", SAMPLE, "--quality", "--template", _template(tmp_path, misspell))
    assert run.code == 1 and "template-error" in run.stdout and "评价方式" in run.stdout
    assert "报告无法生成，不能自评" in run.stdout and not run.traceback


# ---- reports broken on purpose ------------------------------------------------------------------
def test_a_template_without_a_chapter(run_cli, tmp_path):
    template = _template(tmp_path, _delete("相关建议", '{{p 文字("相关建议") }}'))
    result, assessment = assess(SAMPLE, template=template)
    failing = _failing(assessment)
    assert ("outline", "报告", "文字“相关建议”有内容，但没有出现在报告中") in failing
    assert ("issues-advice", "五", "问题 5 个小节，建议 0 个小节") in failing
    assert _codes_failing(assessment) == {"outline", "issues-advice", "review-grades"}
    run = run_cli("check", SAMPLE, "--quality", "--template", template)
    assert run.code == 0 and "【提纲完整】未通过" in run.stdout  # an assessment: failing items are no error


def test_a_template_with_a_chapter_twice(run_cli, tmp_path):
    def twice(document):
        paragraphs = document.paragraphs
        start = next(i for i, p in enumerate(paragraphs) if p.text == "绩效评价工作开展情况")
        end = next(i for i, p in enumerate(paragraphs) if p.text == "评价结论及分析")
        for p in paragraphs[start:end]:
            paragraphs[end]._p.addprevious(copy.deepcopy(p._p))

    template = _template(tmp_path, twice)
    result, assessment = assess(SAMPLE, template=template)
    failing = _failing(assessment)
    assert ("numbering", "正文", "表6 用了 2 次") in failing
    assert ("outline", "二（一）1 评价目的、三（一）1 评价目的", "文字“评价目的”出现了 2 次") in failing
    assert ("outline", "表6、表6", "表格“工作组”出现了 2 次") in failing
    headings = [f for f in failing if "级标题" in f[2]]
    assert headings == [("outline", "二 绩效评价工作开展情况", "1 级标题“绩效评价工作开展情况”在同一章节下出现了 2 次")]
    assert [p.code for p in result.errors] == ["placed-twice"]  # build would refuse it too
    run = run_cli("check", SAMPLE, "--quality", "--template", template)
    assert run.code == 1 and "placed-twice" in run.stdout and "【提纲完整】未通过" in run.stdout


def test_a_problem_without_advice(tmp_path):
    workbook = write_other_workbook(tmp_path / "w.xlsx", texts=[("存在的问题", 2, "农机补贴发放迟缓", "一是补贴发放晚。")])
    _, assessment = assess(workbook)
    assert [f for f in _failing(assessment) if f[0] == "issues-advice"] == [
        ("issues-advice", "五、六", "问题 2 个小节，建议 1 个小节"),
        ("issues-advice", "五（二） 农机补贴发放迟缓", "“（二）农机补贴发放迟缓”：没有题目与之相近的建议")]


def test_a_cover_without_its_date(tmp_path):
    _, assessment = assess(SAMPLE, template=_template(tmp_path, _delete("{{ cover.date }}")))
    assert [f for f in _failing(assessment) if f[0] in ("cover-elements", "report-elements")] == [
        ("cover-elements", "封面", "封面上没有评价日期（××××年××月）")]


def test_a_report_without_the_problem_list(tmp_path):
    workbook = write_other_workbook(tmp_path / "w.xlsx")
    _, assessment = assess(workbook, template=_template(tmp_path, _delete('{{p 附件("问题清单") }}')))
    failing = _failing(assessment)
    assert ("problem-list", "指标体系!L4", "(3) 年度目标完成率有问题描述，但报告中没有问题清单附件") in failing
    assert ("outline", "报告", "附件“问题清单”有内容，但没有出现在报告中") in failing


def test_a_grade_that_is_not_the_totals(tmp_path):
    wording = "{评价年度}年度部门整体绩效评价得分{总分}分，综合绩效级别为“优”。"
    workbook = write_other_workbook(tmp_path / "w.xlsx", texts=[("综合评价得分", 1, "", wording)])
    _, assessment = assess(workbook)
    assert [f for f in _failing(assessment) if f[0] == "total-grade"] == [
        ("total-grade", "三（一） 综合评价结论", "等级“优”：79.5 分按等级标准为“中”（应为“中”）")]


def test_a_count_of_projects_by_grade(tmp_path):
    text = "抽查2个项目，其中1个项目评价等级为“优”，1个项目等级为“良”。"
    workbook = write_other_workbook(tmp_path / "w.xlsx", texts=[("主要绩效", 2, "项目成效", text)])
    _, assessment = assess(workbook)
    wrong = "“1个项目等级为“良””：复评项目表中等级为“良”的项目 0 个"
    assert [f for f in _failing(assessment) if f[0] == "review-grades"] == [  # the 总览表 prints 四 again
        ("review-grades", "四（二） 项目成效", wrong), ("review-grades", "总览表", wrong)]


def test_a_reference_to_a_table_the_report_lacks(tmp_path):
    workbook = write_other_workbook(tmp_path / "w.xlsx", texts=[("主要绩效", 2, "项目成效", "详见表99。")])
    _, assessment = assess(workbook)
    assert [f for f in _failing(assessment) if f[0] == "numbering"] == [
        ("numbering", "四（二） 项目成效", "引用了表99，但报告中没有表99"), ("numbering", "总览表", "引用了表99，但报告中没有表99")]


def test_table_totals_are_added_as_printed():
    rows = (("序号", "资产名称", "原值", "累计折旧", "净值"), ("1", "电脑", "10.00", "2.00", "8.00"),
            ("2", "桌椅", "5.50", "——", "5.50"), ("合计", "合计", "15.50", "2.00", "13.60"))
    by_year = (("年度", "一般公共预算", "其他", "合计", "环比"), ("2024", "1.00", "2.00", "3.00", "——"),
               ("2025", "1.00", "——", "2.00", "-33.33%"))
    report = Report(tables=[Table(rows, "表1 固定资产明细表", "正文"), Table(by_year, "表2 收入决算", "正文")])
    found = [(f.passed, f.where, f.detail) for f in totals.tables(SimpleNamespace(report=report))]
    assert found == [
        (False, "表1 固定资产明细表", "合计行：“净值” 13.6，各行之和 13.5，相差 0.1"),
        (False, "表2 收入决算", "合计列：“2025” 2，同行各列之和 1，相差 1")]
    report.tables[0] = Table(rows[:-1] + (("合计", "合计", "15.50", "2.00", "13.50"),), "表1 固定资产明细表", "正文")
    assert [(f.passed, f.detail) for f in totals.tables(SimpleNamespace(report=report))][0] == (
        True, "合计行：“原值”、“累计折旧”、“净值” = 各行之和")


def test_the_report_is_read_inside_content_controls_too():
    import io

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from perfreport.quality.document import read

    document = docx.Document()
    document.add_paragraph("某局2025年度部门整体绩效评价报告", "Title")
    heading = document.add_paragraph("一、基本情况", "Heading 1")
    body = document.add_paragraph("表1：资产表")
    control = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtContent/></w:sdt>")
    heading._p.addprevious(control)
    control[0].append(heading._p)
    control[0].append(body._p)
    buffer = io.BytesIO()
    document.save(buffer)
    report = read(buffer.getvalue(), "某局2025年度部门整体绩效评价报告")
    assert [(p.zone, p.level, p.where, p.text) for p in report.paragraphs[1:]] == [
        ("正文", 1, "一 基本情况", "一、基本情况"), ("正文", 0, "一 基本情况", "表1：资产表")]


# ---- documented once ------------------------------------------------------------------------------
def test_the_readme_lists_every_quality_item():
    section = README.split("### Report quality", 1)[1].split("\n## ", 1)[0]
    for declared in ITEMS:
        assert f"| {declared.group} | {declared.what} | `{declared.code}` |" in section, declared.code

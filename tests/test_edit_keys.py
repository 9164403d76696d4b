"""The keys compose and the template give every block of the report (issue 14): what they name, how they stay put.

A key says what a block is in the data's terms (compose/keys.py), so a row
or a paragraph added to the workbook moves no other block's key; the
template's key bookmarks keep to what Word and LibreOffice keep (a firm's
template saved by LibreOffice gives the same keys); what a firm adds to its
template without a key gets one from its text.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

import editor
from perfreport import edits, pipeline
from perfreport.compose.keys import ident, key_blocks, key_rows
from perfreport.edits import carrier, store
from perfreport.edits.ooxml import q
from perfreport.edits.package import Package
from perfreport.render import template_path

NEW_FIRST_PROJECT = "新增首位项目"
NEW_FIRST_SECTION = "新增的第一项绩效"


def stored(path: Path) -> store.Store:
    return store.find(Package.read(path.read_bytes()))


def texts(path: Path) -> dict[str, str]:
    return {b.key: b.text for b in stored(path).blocks}


@pytest.fixture(scope="module")
def sample_report(sample, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "sample.docx"
    assert pipeline.build(sample, path).ok
    return path


@pytest.fixture(scope="module")
def inserted_report(sample, tmp_path_factory) -> Path:
    """The sample with a 复评项目 row inserted first and a 主要绩效 section before the others."""
    folder = tmp_path_factory.mktemp("inserted")
    book = openpyxl.load_workbook(sample)
    projects = book["复评项目"]
    projects.insert_rows(2)
    for column, value in enumerate([None, NEW_FIRST_PROJECT, 50, 40, 90, 90, "优", "无"], 1):
        projects.cell(2, column, value)
    book["文字"].append(["主要绩效", 0, NEW_FIRST_SECTION, "新增一段，放在最前。"])
    book.save(folder / "inserted.xlsx")
    path = folder / "inserted.docx"
    assert pipeline.build(folder / "inserted.xlsx", path).ok
    return path


def test_every_paragraph_and_cell_is_keyed_by_the_template_or_compose(sample_report):
    package = Package.read(sample_report.read_bytes())
    found = stored(sample_report)
    blocks = carrier.read(package.xml(package.main()).find(q("body")), found.names())
    assert all(b.key for b in blocks if b.kind == "cell" or b.text.strip())
    automatic = [b.text for b in found.blocks if b.key.startswith("auto/")]
    assert automatic and all(re.match(r"附件：$|\d\.", t) for t in automatic)  # only the 附件 list numbering writes
    assert not [b.key for b in found.blocks if "@" in b.key]  # no key the template wrote twice
    keys = texts(sample_report)
    assert keys["指标分析/预算执行率/评分依据/1"].startswith("年初预算批复12,779.84万元")
    assert keys["表:复评项目/破产企业职工经费.c1"] == "破产企业职工经费"
    assert keys["tpl.部门基本情况"] == "一、部门基本情况"


def test_a_row_or_a_section_added_before_the_others_moves_no_other_key(sample_report, inserted_report):
    was, now = texts(sample_report), texts(inserted_report)
    assert set(was) <= set(now)
    projects = [k for k in was if k.startswith("表:复评项目/") and k.endswith(".c1")]
    assert len(projects) == 6 and all(now[k] == was[k] for k in projects)  # each project's name cell: its own
    assert now[f"表:复评项目/{NEW_FIRST_PROJECT}.c1"] == NEW_FIRST_PROJECT
    sections = [k for k in was if k.startswith("主要绩效/") and k.count("/") == 1]  # the headings: renumbered
    assert len(sections) == 3 and all(now[k][3:] == was[k][3:] and now[k] != was[k] for k in sections)
    assert now[f"主要绩效/{NEW_FIRST_SECTION}/1"] == "新增一段，放在最前。"


@pytest.mark.parametrize("names, keys", [
    (["甲", "乙"], ["T/甲", "T/乙"]),
    (["甲", "乙", "甲"], ["T/甲", "T/乙", "T/甲#2"]),
    (["丙", "甲", "乙", "甲"], ["T/丙", "T/甲", "T/乙", "T/甲#2"]),  # a row inserted first: the others keep theirs
    (["甲\n第二行", "  长 名  称 " + "字" * 40, None], ["T/甲", "T/长 名 称 " + "字" * 26, "T/_"]),
])
def test_rows_are_keyed_by_their_data_and_repeats_by_their_order(names, keys):
    rows = [{"key": name} for name in names]
    key_rows("T", rows)
    assert [r["key"] for r in rows] == keys
    assert all(len(ident(name)) <= 32 for name in names)


def test_a_repeated_text_row_is_told_apart_by_its_order_and_a_placed_table_keeps_its_own_key():
    """Two 主要绩效 rows of one 标题: the second's heading and lines get #2."""
    table = {"kind": "table", "table": {"key": "表:复评项目"}}
    blocks = [{"kind": "h", "key": "成效"}, {"kind": "p", "key": "成效/1"}, table,
              {"kind": "h", "key": "成效"}, {"kind": "p", "key": "成效/1"}]
    key_blocks("主要绩效", blocks)
    assert [b.get("key") for b in blocks] == ["主要绩效/成效", "主要绩效/成效/1", None, "主要绩效/成效#2",
                                              "主要绩效/成效/1#2"]


def _key_names(path: Path) -> list[str]:
    body = docx.Document(str(path)).element.body
    return [b.get(q("name")) for b in body.iter(q("bookmarkStart")) if b.get(q("name"), "").startswith("_prk")]


def test_the_templates_key_names_are_unique_short_and_of_characters_word_and_libreoffice_keep():
    names = _key_names(template_path())
    assert len(names) > 200 and len(names) == len(set(names))
    assert all(re.fullmatch(r"_prk[\w.{}|~']{1,36}", n) for n in names), [n for n in names if len(n) > 40]


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
@pytest.mark.filterwarnings("error::UserWarning")  # python-docx wrote a second docProps/core.xml for LibreOffice's
def test_a_template_saved_by_libreoffice_gives_the_same_keys(sample, sample_report, tmp_path, run_cli):
    assert run_cli("template", tmp_path / "firm.docx").code == 0
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "docx", "--outdir", str(tmp_path / "saved"), str(tmp_path / "firm.docx")], check=True,
                   capture_output=True, timeout=300)
    saved = tmp_path / "saved" / "firm.docx"
    assert set(_key_names(saved)) == set(_key_names(tmp_path / "firm.docx"))  # an empty one it writes twice
    assert pipeline.build(sample, tmp_path / "report.docx", template=saved).ok
    assert [b.key for b in stored(tmp_path / "report.docx").blocks] == [b.key for b in stored(sample_report).blocks]
    body = docx.Document(str(tmp_path / "report.docx")).element.body
    names = [b.get(q("name")) for b in body.iter(q("bookmarkStart"))]
    assert len(names) == len(set(names)) == len(stored(sample_report).blocks) + 27  # and the 目录's


FIRMS_LINE = "本报告仅供委托单位内部使用。"


def test_a_paragraph_a_firm_adds_to_its_template_gets_a_key_and_keeps_its_editors_change(sample, tmp_path):
    template = docx.Document(str(template_path()))
    (heading,) = [p for p in template.paragraphs if p.text == "部门基本情况"]
    editor.insert_after(heading, FIRMS_LINE).style = template.styles["Normal"]
    template.save(tmp_path / "firm.docx")
    assert pipeline.build(sample, tmp_path / "report.docx", template=tmp_path / "firm.docx").ok
    report = tmp_path / "report.docx"
    assert texts(report)["auto/" + FIRMS_LINE] == FIRMS_LINE
    document = editor.open_document(report.read_bytes())
    editor.typed(editor.body_paragraph(document, FIRMS_LINE), "内部使用", "内部参考")
    merged = edits.merge(report.read_bytes(), editor.saved(document))
    lines = [p.text for p in editor.open_document(merged.data).paragraphs]
    assert lines.count("本报告仅供委托单位内部参考。") == 1 and FIRMS_LINE not in lines


def test_a_report_of_another_department_is_not_merged_and_says_so(sample, tmp_path, run_cli):
    report = tmp_path / "report.docx"
    assert run_cli("build", sample, "-o", report).code == 0
    book = openpyxl.load_workbook(sample)
    for row in book["基本信息"].iter_rows(min_row=2):
        if row[0].value == "被评价单位":
            row[1].value = "枣庄市市中区商务局"
    book.save(tmp_path / "商务局.xlsx")
    run = run_cli("build", tmp_path / "商务局.xlsx", "-o", report, "--force")
    assert run.code == 0, run.output
    assert ("警告 [edits-not-merged] report.docx：原报告是“枣庄市市中区工业和信息化局 2023年度”的报告，"
            "这次生成的是“枣庄市市中区商务局 2023年度”的报告") in run.output
    assert pipeline.build(tmp_path / "商务局.xlsx", tmp_path / "fresh.docx").ok
    assert report.read_bytes() == (tmp_path / "fresh.docx").read_bytes()
    assert (tmp_path / "report.bak.docx").exists()


def test_rebuilding_an_unedited_report_with_unchanged_data_gives_a_fresh_builds_bytes(sample, tmp_path, run_cli):
    report = tmp_path / "report.docx"
    assert run_cli("build", sample, "-o", report).code == 0
    fresh = report.read_bytes()
    run = run_cli("build", sample, "-o", report, "--force")
    assert run.code == 0 and "[edit" not in run.output, run.output
    assert report.read_bytes() == fresh and (tmp_path / "report.bak.docx").read_bytes() == fresh

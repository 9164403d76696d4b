"""The built report: golden text of the sample, structure Word and WPS rely on, other departments.

Regenerate the golden file after an intended change with
    PERFREPORT_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py
and review its diff like code.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from other_workbook import write_other_workbook
from perfreport.pipeline import build
from report_text import report_lines, report_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
GOLDEN = Path(__file__).resolve().parent / "golden" / "shizhong_gxj_2023.txt"
PORTRAIT, LANDSCAPE = "portrait", "landscape"


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "report.docx"
    result = build(SAMPLE, out)
    assert result.ok and result.output == str(out)
    return out


@pytest.fixture(scope="module")
def body(sample_report):
    return docx.Document(str(sample_report)).element.body


def test_golden_text(sample_report):
    lines = "\n".join(report_lines(sample_report)) + "\n"
    if os.environ.get("PERFREPORT_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(lines, encoding="utf-8")
    assert lines == GOLDEN.read_text(encoding="utf-8")


def test_every_part_parses_strictly(sample_report):
    with zipfile.ZipFile(sample_report) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False))


def test_sections_and_orientation(body):
    sections = list(body.iter(qn("w:sectPr")))
    orientation = [LANDSCAPE if s.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape" else PORTRAIT
                   for s in sections]
    assert orientation == [PORTRAIT, PORTRAIT, LANDSCAPE, PORTRAIT]
    restarts = [s.find(qn("w:pgNumType")) for s in sections]
    assert [r.get(qn("w:start")) if r is not None else None for r in restarts] == [None, "1", None, None]


def test_every_cell_has_a_paragraph(body):
    assert all(tc.find(qn("w:p")) is not None for tc in body.iter(qn("w:tc")))


def _grid_positions(tr):
    position = 0
    for tc in tr.iterchildren(qn("w:tc")):
        span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        yield position, tc
        position += int(span.get(qn("w:val"))) if span is not None else 1


def test_vertical_merges_continue_a_restart_above(body):
    merges = 0
    for tbl in body.iter(qn("w:tbl")):
        above: dict[int, str] = {}
        for tr in tbl.iterchildren(qn("w:tr")):
            row: dict[int, str] = {}
            for position, tc in _grid_positions(tr):
                merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                state = None if merge is None else merge.get(qn("w:val"), "continue")
                if state == "continue":
                    assert above.get(position) in ("restart", "continue")
                    merges += 1
                row[position] = state
            above = row
    assert merges > 100  # 附件1–5, 表5 merge by value at every level


def test_grid_spans_fill_the_grid(body):
    for tbl in body.iter(qn("w:tbl")):
        columns = len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
        for tr in tbl.iterchildren(qn("w:tr")):
            last, tc = list(_grid_positions(tr))[-1]
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            assert last + (int(span.get(qn("w:val"))) if span is not None else 1) == columns


def test_bookmarks_are_unique_and_fields_balanced(body):
    starts = list(body.iter(qn("w:bookmarkStart")))
    ids, names = [b.get(qn("w:id")) for b in starts], [b.get(qn("w:name")) for b in starts]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))
    assert sum(n.startswith("_Toc") for n in names) == 27  # one per 一级 and 二级 heading, for the TOC
    assert all(n.startswith(("_Toc", "_pr")) for n in names)  # the rest carry the blocks' keys (perfreport.edits)
    kinds = Counter(f.get(qn("w:fldCharType")) for f in body.iter(qn("w:fldChar")))
    assert kinds["begin"] == kinds["separate"] == kinds["end"] == 28  # the TOC and a PAGEREF per entry


def test_no_template_tag_left(sample_report):
    text = report_text(sample_report)
    assert "{{" not in text and "{%" not in text and "{#" not in text


def test_tables_numbered_in_document_order(sample_report):
    captions = [int(n) for n in re.findall(r"^P 表(\d+)：", report_text(sample_report), re.M)]
    assert captions == list(range(1, 16))


def test_toc_lists_every_chapter_and_section(body):
    entries = [p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
               and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) in ("TOC1", "TOC2")]
    texts = ["".join(t.text for t in p.iter(qn("w:t"))) for p in entries]
    assert texts[0] == "一、部门基本情况" and "（二）指标分析" in texts and texts[-1].startswith("（五）")
    assert sum(t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") for t in texts) == 6


def test_document_properties(sample_report):
    core = docx.Document(str(sample_report)).core_properties
    assert core.title == "枣庄市市中区工业和信息化局2023年度部门整体绩效评价报告"
    assert core.author == "北京三维众智管理咨询有限责任公司"
    assert (core.created.year, core.created.month) == (2024, 12)


# ---- another department: nothing of the sample in code or template -----------------
SAMPLE_MARKS = ["枣庄", "市中区", "工业和信息化", "工信局", "三维众智", "2023", "12,779.84", "70.43",
                "10,271.96", "促进中小企业发展", "财政资源配置", "李芳", "京三维"]


def test_another_department_shares_nothing_with_the_sample(tmp_path):
    out = tmp_path / "other.docx"
    result = build(write_other_workbook(tmp_path / "other.xlsx"), out)
    assert result.ok, result.problems
    text = report_text(out)
    assert [mark for mark in SAMPLE_MARKS if mark in text] == []
    for expected in ("云岭县农业农村局2025年度部门整体绩效评价报告", "本次绩效评价包括准备、实施两个阶段",
                     "包括投入管理、履职产出、满意程度3个一级指标", "完成播种面积103.85%。",
                     "近两年变动情况见表3。", "组建评价组，见表7。"):
        assert expected in text


def test_cell_text_prints_as_typed(tmp_path):
    typed = "A&B <c> {{ x }} {% if %} {#n#} 100%"
    out = tmp_path / "escaped.docx"
    result = build(write_other_workbook(tmp_path / "escaped.xlsx", item_text=typed), out)
    assert result.ok, result.problems
    assert typed in report_text(out)


def test_unknown_placeholder_is_located(tmp_path):
    from perfreport.pipeline import check
    result = check(write_other_workbook(tmp_path / "bad.xlsx", item_text="完成{不存在的名称}。"))
    assert [(p.code, p.location) for p in result.errors] == [("unknown-placeholder", "文字!D3")]
    assert "不存在的名称" in result.errors[0].message


# ---- rendered pages, when LibreOffice is installed ---------------------------------
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="needs LibreOffice and poppler")
def test_pdf_pages_and_landscape_attachments(sample_report, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(sample_report)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "200", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 40 <= pages <= 90
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    landscape = [i + 1 for i, (w, h) in enumerate(sizes) if float(w) > float(h)]
    assert landscape and landscape == list(range(landscape[0], landscape[-1] + 1))
    assert pages - landscape[-1] >= 1  # the cover letter follows, portrait


def _audit(path: Path) -> set[str]:
    run = subprocess.run(["openxml-audit", "-o", "json", "-m", "0", str(path)], capture_output=True, text=True,
                         timeout=300)
    import json
    return {e["description"] for e in json.loads(run.stdout)[0]["errors"]}


@pytest.mark.skipif(not shutil.which("openxml-audit"), reason="openxml-audit is a test extra")
def test_openxml_audit_finds_nothing_beyond_the_template(sample_report):
    from perfreport.render import template_path
    assert _audit(sample_report) - _audit(template_path()) == set()

"""--pdf: LibreOffice writes the PDF and the 目录 gets page numbers; without it, a warning."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from perfreport import pdf
from perfreport.pipeline import build

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"


def _toc_pages(path: Path) -> list[str]:
    """Return the cached page number of every 目录 entry."""
    body = docx.Document(str(path)).element.body
    pages = []
    for link in body.iter(qn("w:hyperlink")):
        texts = [t.text for t in link.iter(qn("w:t"))]
        pages.append(texts[-1] if len(texts) > 1 else "")
    return pages


def test_without_libreoffice_the_report_is_built_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    result = build(SAMPLE, tmp_path / "r.docx", pdf=True)
    assert (tmp_path / "r.docx").exists() and not (tmp_path / "r.pdf").exists()
    assert [p.code for p in result.warnings if p.code == "pdf-unavailable"] == ["pdf-unavailable"]
    assert "LibreOffice" in next(p.message for p in result.warnings if p.code == "pdf-unavailable")
    assert set(_toc_pages(tmp_path / "r.docx")) == {""}


def test_heading_pages_follow_the_footer_labels(monkeypatch):
    pages = ["封面", "目录\n一、部门基本情况 ...", "一、部门基本情况\n（一）部门概况\n\n— 1 —",
             "正文\n— 2 —", "（二）部门整体\n绩效目标\n— 3 —"]
    monkeypatch.setattr(pdf, "_pages", lambda data: pages)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/usr/bin/" + name)
    found = pdf.heading_pages(b"", ["一、部门基本情况", "（一）部门概况", "（二）部门整体绩效目标", "没有的标题"])
    assert found == {"一、部门基本情况": 1, "（一）部门概况": 1, "（二）部门整体绩效目标": 3}


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler")
def test_pdf_and_numbered_toc(tmp_path):
    result = build(SAMPLE, tmp_path / "r.docx", pdf=True)
    assert result.ok and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    pages = _toc_pages(tmp_path / "r.docx")
    assert pages[0] == "1" and all(p.isdigit() for p in pages)
    assert [int(p) for p in pages] == sorted(int(p) for p in pages)


# ---- --toc-pages: the numbers without a PDF; merged names again where a page begins ----------------
def _settings_and_fields(path: Path) -> tuple[bool, bool]:
    """Return (Word is asked to update fields on opening, the 目录 field is marked dirty)."""
    document = docx.Document(str(path))
    update = document.settings.element.find(qn("w:updateFields")) is not None
    dirty = any(char.get(qn("w:dirty")) == "true" for char in document.element.body.iter(qn("w:fldChar")))
    return update, dirty


def test_toc_pages_without_libreoffice_builds_the_report_with_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    result = build(SAMPLE, tmp_path / "r.docx", toc_pages=True)
    warned = [p for p in result.warnings if p.code == "toc-pages-unavailable"]
    assert len(warned) == 1 and "目录页码未填入" in warned[0].message and "PDF" not in warned[0].message
    assert set(_toc_pages(tmp_path / "r.docx")) == {""}
    assert _settings_and_fields(tmp_path / "r.docx") == (True, True)  # Word fills the numbers on opening


def test_page_starts_finds_the_rows_that_begin_a_page(monkeypatch):
    rows = [{"c0": "预算管理", "c1": "预算编制科学性的评价标准"}, {"c0": "预算管理", "c1": "预算执行率的评价标准"},
            {"c0": "预算管理", "c1": "决算公开的评价标准"}, {"c0": "资产管理", "c1": "资产管理的评价标准"}]
    context = {"tables": {}, "attachments": {"指标体系": {"title": "某局指标体系", "rows": rows}}}
    pages = [["附件：", "1.某局指标体系"], ["预算编制科学性的评价", "预算执行率的评价标准"],  # the 附件 list, then 附件1
             ["某局指标体系"], ["预算编制科学性的评价", "预算执行率的评价标准"], ["决算公开的评价标准", "资产管理的评价"]]
    monkeypatch.setattr(pdf, "_page_lines", lambda data: pages)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/usr/bin/" + name)
    assert pdf.page_starts(b"", context) == {("attachments", "指标体系"): [2]}
    pdf.mark_page_starts(context, b"")
    assert context["attachments"]["指标体系"]["restarts"] == "2"


def test_a_merge_starts_again_at_the_rows_given(tmp_path):
    from perfreport.pipeline import _analyse
    from perfreport.render import render

    def first_column(data: bytes) -> list[str]:
        path = tmp_path / "r.docx"
        path.write_bytes(data)
        table = next(t for t in docx.Document(str(path)).tables if t.cell(0, 0).text == "一级指标")
        body = [tr for tr in table._tbl.tr_lst if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None]
        return [tr.tc_lst[0].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) for tr in body]

    _, context = _analyse(SAMPLE, None)
    names = [row["c0"] for row in context["attachments"]["指标体系"]["rows"]]
    row = next(k for k in range(1, len(names)) if names[k] == names[k - 1])  # the second row of a group
    plain = first_column(render(context).data)
    assert plain[row] == "continue"
    context["attachments"]["指标体系"]["restarts"] = str(row)
    merged = first_column(render(context).data)
    assert merged[row] == "restart" and merged[:row] == plain[:row]  # the group starts again there, only there
    assert [k for k, (a, b) in enumerate(zip(plain, merged)) if a != b] == [row]


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice and poppler")
def test_toc_pages_fills_the_numbers_writes_no_pdf_and_word_need_not_refresh(tmp_path):
    plain = build(SAMPLE, tmp_path / "plain.docx")
    result = build(SAMPLE, tmp_path / "r.docx", toc_pages=True)
    assert plain.ok and result.ok and result.pdf is None and not list(tmp_path.glob("*.pdf"))
    pages = _toc_pages(tmp_path / "r.docx")
    assert pages[0] == "1" and all(p.isdigit() for p in pages)
    assert _settings_and_fields(tmp_path / "r.docx") == (False, False)
    assert _settings_and_fields(tmp_path / "plain.docx") == (True, True)

    def restarts(path: Path) -> int:
        return sum(tc.get(qn("w:val")) == "restart" for tc in docx.Document(str(path)).element.body.iter(qn("w:vMerge")))
    assert restarts(tmp_path / "r.docx") > restarts(tmp_path / "plain.docx")  # the names again where pages begin

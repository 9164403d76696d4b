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

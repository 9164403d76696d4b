"""The pages as LibreOffice lays them out (skipped without LibreOffice and poppler).

The sample and another department: no page but the last of a part is less
than 40 % full, no part's last page is a table's tail alone, no caption ends
a page, no table cell breaks a number (or a value's number from its unit)
across lines, the 目录 is one page, the cover title has no line of fewer than
4 characters. tests/pages.py does the measuring; `python tests/pages.py
REPORT.docx` prints it page by page. Each report is converted once.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from other_workbook import INFO, write_other_workbook
from pages import Pages
from perfreport.pipeline import build

SAMPLE = Path(__file__).resolve().parent.parent / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
UNITS = {"sample": "枣庄市市中区工业和信息化局", "other": INFO["被评价单位"]}
pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                reason="needs LibreOffice and poppler")


@pytest.fixture(scope="module", params=["sample", "other"])
def pages(request, tmp_path_factory) -> Pages:
    folder = tmp_path_factory.mktemp(request.param)
    workbook = SAMPLE if request.param == "sample" else write_other_workbook(folder / "other.xlsx")
    assert build(workbook, folder / "report.docx").ok
    return Pages.of((folder / "report.docx").read_bytes())


def test_pages_are_filled(pages):
    assert pages.underfilled(0.4) == {}


def test_no_part_ends_in_a_table_tail_alone(pages):
    """The 总览表's score block, an attachment's last rows: not on a last page of their own, most of it blank."""
    assert pages.torn_tails(0.4) == {}


def test_no_cell_breaks_a_number_or_a_value_from_its_unit(pages):
    assert pages.mid_token_breaks() == {}


def test_no_caption_ends_a_page(pages):
    assert pages.captions_at_bottom() == {}


def test_contents_is_one_page(pages):
    assert len(pages.part_pages("目录标题")) == 1


def test_cover_title_breaks_at_the_unit_name_into_lines_of_four_characters_or_more(pages, request):
    lines = pages.cover_title_lines()
    assert len(lines) >= 2 and min(len(line) for line in lines) >= 4
    assert lines[0] == UNITS[request.node.callspec.params["pages"]]


def test_parts_are_found(pages):
    """The measurements rest on finding each part's first page: cover, 总览表, 目录, body, 附件1–5, letter."""
    assert len(pages.part_starts) == 10 and pages.part_starts[:2] == [1, 2]

"""perfreport.layout and perfreport.table_template: widths and row breaks from the rows, as the template asks."""
from __future__ import annotations

import re

import docx
import pytest
from docx.oxml.ns import qn

from conftest import SAMPLE
from perfreport import layout, table_template
from perfreport.layout import TWIPS_PER_PT, _lines, break_inside, is_value, table
from perfreport.pipeline import build

SIZE, BLOCK = 9, 156  # 附表: 9 pt text on a 156 mm text block


def _twips(ems: float) -> int:
    return round(ems * SIZE * TWIPS_PER_PT) + layout.CELL_MARGINS


@pytest.mark.parametrize("text, position, kind", [
    ("≥40%", 3, "number"),        # "≥40|%"
    ("≥40%", 1, "number"),        # "≥|40%"
    ("≥8,600万元", 6, "unit"),    # "≥8,600|万元"
    ("≥8,600万元", 7, "unit"),    # "≥8,600万|元"
    ("新增35个，净增30个", 2, None),  # between 新增 and 35
    ("新增35个，净增30个", 5, None),  # after the comma
    ("依据GB/T 15835", 4, "word"),
    ("12,961.52", 5, "number"),
])
def test_break_inside_tells_what_a_break_would_split(text, position, kind):
    assert break_inside(text, position) == kind


@pytest.mark.parametrize("text, value", [
    ("≥8,600万元", True), ("新增≥35个，净增≥30个", True), ("≥14.227亿、≥8%", True), ("——", False),
    ("(1) 预算编制科学性", False),  # a label with an ordinal, not a value
    ("部门能够执行国家财经法规和财务管理制度的规定，按照资金管理办法使用资金12万元", False),  # running text
])
def test_a_value_is_short_and_a_third_numbers(text, value):
    assert is_value(text) is value


def test_a_column_is_widened_until_its_longest_token_fits_and_the_table_keeps_its_width():
    rows = [{"c0": "甲", "c1": "≥12,345.67万元", "c2": "说明" * 60}]
    grid = table(rows, "", [800, 800, 6000], ["c0", "c1", "c2"], SIZE, BLOCK).grid
    assert sum(grid) == 7600
    assert grid[1] >= _twips(layout.ems("≥12,345.67万元"))
    assert grid[0] >= _twips(1)  # the others give, down to what they need themselves


def test_a_header_keeps_room_for_two_lines_at_most():
    rows = [{"c0": "1", "c1": "说明" * 60}]
    grid = table(rows, "", [900, 6000], ["c0", "c1"], SIZE, BLOCK, heads=["职责序号", ""]).grid
    assert grid == [900, 6000]  # 职责序号 in 2 ems a line: 900 twips hold it
    narrow = table(rows, "", [300, 6600], ["c0", "c1"], SIZE, BLOCK, heads=["序号", ""]).grid
    assert narrow[0] >= _twips(2)  # 序号 stays on one line, never 序/号


def test_values_are_kept_on_one_line_only_from_width_that_costs_no_other_cell_a_line():
    value = "新增≥35个，净增≥30个"
    roomy = [{"c0": value, "c1": "说" * 40}]  # two lines of 32 ems, the second with room to spare
    grid = table(roomy, "", [1134, 6000], ["c0", "c1"], SIZE, BLOCK).grid
    assert grid[0] >= _twips(layout._spaced(value))
    assert _lines([40], grid[1], SIZE) == _lines([40], 6000, SIZE) == 2
    tight = [{"c0": value, "c1": "说" * 32 * 4}]  # four full lines: any width taken costs a fifth
    grid = table(tight, "", [1134, 6000], ["c0", "c1"], SIZE, BLOCK).grid
    assert _lines([128], grid[1], SIZE) == _lines([128], 6000, SIZE)
    assert grid[0] < _twips(layout._spaced(value))


def test_rows_taller_than_a_third_of_the_text_block_may_split_and_the_last_rows_keep():
    short, tall = ({"c0": "一", "c1": "说明"}, {"c0": "二", "c1": "说" * 2000})
    rows = [dict(short), tall, dict(short), dict(short), dict(short)]
    result = table(rows, "", [1000, 5000], ["c0", "c1"], SIZE, BLOCK)
    assert [result.whole(r) for r in rows] == [True, False, True, True, True]
    assert [result.keep(r) for r in rows] == [False, False, False, True, False]  # the last two rows together
    with_total = table(rows, "", [1000, 5000], ["c0", "c1"], SIZE, BLOCK, tail=True)
    assert [with_total.keep(r) for r in rows] == [False, False, False, True, True]  # and with the total after
    ending = table(rows, "", [1000, 5000], ["c0", "c1"], SIZE, BLOCK, share=0.4)
    assert [ending.keep(r) for r in rows] == [False, False, True, True, False]  # up to the tall row, which splits


def test_merged_columns_do_not_make_a_row_tall():
    rows = [{"c0": "名" * 400, "c1": "短"}]
    assert table(rows, "", [1000, 5000], ["c0", "c1"], SIZE, BLOCK, merged=(0,)).whole(rows[0])
    assert not table(rows, "", [1000, 5000], ["c0", "c1"], SIZE, BLOCK).whole(rows[0])


def test_a_dropped_column_gives_its_width_to_the_widest_as_render_removes_it():
    rows = [{"c0": "甲", "c1": "——", "c2": "说明"}]
    assert table(rows, "1", [1000, 1500, 4000], ["c0", "c1", "c2"], SIZE, BLOCK).grid == [1000, 0, 5500]


def test_the_rows_of_a_section_follow_its_title_row():
    sections = [{"title": "一、满意度", "rows": [{"c0": "问", "c1": "1"}, {"c0": "答", "c1": "2"}]}]
    result = table(sections, "", [3000, 3000], ["c0", "c1"], SIZE, BLOCK)
    rows = sections[0]["rows"]
    assert result.whole(sections[0]) and result.keep(rows[0]) and not result.keep(rows[1])


# ---- the template ---------------------------------------------------------------------------
TABLE = ('<w:tbl><w:tblPr><w:tblDescription w:val="merge:0 drop:{{ t.drop }} layout:9,156,0.4"/></w:tblPr>'
         '<w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="5000"/></w:tblGrid>'
         '<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>'
         '<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc>'
         '<w:tc><w:tcPr><w:tcW w:w="5000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>说明</w:t></w:r></w:p></w:tc></w:tr>'
         '{% for r in t.rows %}<w:tr><w:trPr><w:cantSplit/></w:trPr>'
         '<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="a"/></w:pPr>'
         '<w:r><w:t>{{ r.c0 }}</w:t></w:r></w:p></w:tc>'
         '<w:tc><w:tcPr><w:tcW w:w="5000" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="a"/></w:pPr>'
         '<w:r><w:t>{{ r.c1 }}</w:t></w:r></w:p></w:tc></w:tr>{% endfor %}'
         '<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="6000" w:type="dxa"/>'
         '<w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>合计</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')


def test_prepare_makes_a_laid_out_tables_widths_and_rows_jinja():
    prepared = table_template.prepare(TABLE)
    call = re.match(r"\{% set _table = table_layout\((.*?)\) %\}", prepared).group(1)
    assert call == ("t.rows, t.drop, [1000, 5000], ['c0', 'c1'], 9, 156, (0,), True, ['序号', '说明'], 0.4")
    assert '<w:gridCol w:w="{{ _table.grid[1] }}"/>' in prepared
    assert '<w:tcW w:w="{{ _table.span(0, 2) }}" w:type="dxa"/>' in prepared  # the total spans the grid
    assert prepared.count("{% if _table.whole(r) %}<w:cantSplit/>{% endif %}") == 1  # the loop row only
    assert prepared.count("{% set _keep = _table.keep(r) %}") == 1  # asked once a row
    assert prepared.count('<w:pStyle w:val="a"/>{% if _keep %}<w:keepNext/>{% endif %}') == 2
    assert "{% set _span_1_1 = _table.span(1, 1) | string %}" in prepared  # a loop row's widths, set once
    assert '<w:tcW w:w="{{ _span_1_1 }}" w:type="dxa"/>' in prepared
    assert 'w:val="merge:0 drop:{{ t.drop }}"' in prepared  # the layout word is gone from the Alt-Text


def test_the_columns_printed_are_read_from_the_cells_text_not_their_key_bookmarks():
    keyed = TABLE.replace('<w:r><w:t>{{ r.c0 }}', '<w:bookmarkStart w:id="0" w:name="_prk{{r.key}}.c0"/><w:r><w:t>{{ r.c0 }}')
    assert "['c0', 'c1']" in table_template.prepare(keyed)


def test_prepare_leaves_other_tables_as_they_are():
    plain = TABLE.replace(" layout:9,156,0.4", "")
    assert table_template.prepare(plain) == plain


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("layout") / "report.docx"
    assert build(SAMPLE, out).ok
    return out


def test_every_table_of_the_report_has_whole_widths_filling_its_width(sample_report):
    for tbl in docx.Document(str(sample_report)).element.body.iter(qn("w:tbl")):
        grid = [int(col.get(qn("w:w"))) for col in tbl.iter(qn("w:gridCol"))]
        width = int(tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}").get(qn("w:w")))
        assert abs(sum(grid) - width) <= len(grid), (grid, width)
        for tr in tbl.iter(qn("w:tr")):
            cells = [int(tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w"))) for tc in tr.iter(qn("w:tc"))]
            assert abs(sum(cells) - sum(grid)) <= len(grid)

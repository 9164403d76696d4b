"""tests/pages.py's checks on made-up pages: each finds what it is for, and not its look-alikes."""
from __future__ import annotations

from pages import Line, Page, Pages, Paragraph

HEIGHT, MARGIN = 800.0, 100.0  # a page 800 pt high, 100 pt margins: the text block is 600 pt


def _line(text: str, top: float, left: float = 100.0, width: float = 60.0) -> Line:
    return Line(text, top, top + 12, left, left + width)


def _page(number: int, *lines: Line) -> Page:
    return Page(number, 600.0, HEIGHT, list(lines), MARGIN, MARGIN)


def _pages(pages: list[Page], cells: list[str], starts: list[int] | None = None) -> Pages:
    paragraphs = [Paragraph(text, "a", False, True) for text in cells]
    return Pages(pages, paragraphs, starts or [1])


def test_a_value_wrapped_inside_a_number_or_from_its_unit_is_found():
    page = _page(1, _line("≥8,600万", 100), _line("元", 113),  # one cell: ≥8,600万元
                 _line("增长≥40", 100, left=300), _line("%", 113, left=300))  # another: 增长≥40%
    assert _pages([page], ["≥8,600万元", "增长≥40%"]).mid_token_breaks() == {1: ["≥8,600万|元", "增长≥40|%"]}


def test_one_line_cells_in_a_column_are_not_a_wrapped_cell():
    page = _page(1, _line("1", 100), _line("2", 113), _line("3", 126))
    assert _pages([page], ["1", "2", "3", "12", "23"]).mid_token_breaks() == {}


def test_running_text_may_wrap_between_a_number_and_its_unit():
    text = "按照资金管理办法使用资金，年初预算批复12,779.84万元，年中调整为12,961.52万元，执行率79.25%"
    page = _page(1, _line("按照资金管理办法使用资金，年初预算批复12,779.84", 100, width=300),
                 _line("万元，年中调整为12,961.52万元，执行率79.25%", 113, width=300))
    assert _pages([page], [text]).mid_token_breaks() == {}
    broken = _page(1, _line("按照资金管理办法使用资金，年初预算批复12,779.", 100, width=300),
                   _line("84万元，年中调整为12,961.52万元，执行率79.25%", 113, width=300))
    assert _pages([broken], [text]).mid_token_breaks() == {1: ["按照资金管理办法使用资金，年初预算批复12,779.|84万元，年中调整为12,961.52万元，执行率79.25%"]}


def test_a_parts_last_page_holding_only_a_tables_last_rows_is_torn():
    full = _page(1, *[_line(f"行{n}", 100 + 13 * n) for n in range(46)])  # table rows to the bottom
    tail = _page(2, _line("行46", 100), _line("合计", 113))  # the last two rows alone
    cells = [f"行{n}" for n in range(47)] + ["合计"]
    assert _pages([full, tail], cells).torn_tails(0.4) == {2: 0.04}
    text_after = _page(2, _line("注：以上为评价数据", 100))  # the part goes on with a note, not a table row
    assert _pages([full, text_after], cells).torn_tails(0.4) == {}
    tall_tail = _page(2, *[_line(f"行{n}", 100 + 13 * (n - 30)) for n in range(30, 47)], _line("合计", 330))
    assert _pages([full, tall_tail], cells).torn_tails(0.4) == {}  # 40 % of the page and more: not torn

"""Properties of number formatting, and a fuzz test of the whole reading pipeline.

Formatting (SPEC section 5): half-up rounding at every boundary (四舍五入, away
from zero for negatives), thousands separators, negative values and zero, in
the prose form (no trailing zeros) and the table form (exactly 2 decimals).

Fuzz: random cell values of every type (numbers, floats with NaN and infinity,
text with full-width digits, placeholders and formulas, dates, times, booleans,
blanks) written into random cells of the sample workbook, headers included.
perfreport must either read the workbook or report located errors; no
exception may escape, and a workbook without errors must render.
"""
from __future__ import annotations

import io
import os
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from perfreport import pipeline
from perfreport.contract import SHEETS
from perfreport.fmt import amount, percent, rate, round2, round_rate, table_amount, table_rate

SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
CENT = Decimal("0.01")
# CI runs a fixed set of examples (derandomized); PERFREPORT_FUZZ_EXAMPLES=2000 explores at random
FUZZ_EXAMPLES = int(os.environ.get("PERFREPORT_FUZZ_EXAMPLES", "30"))
FUZZ_AT_RANDOM = "PERFREPORT_FUZZ_EXAMPLES" in os.environ
SHEET_NAMES = {s.name for s in SHEETS}

magnitudes = st.integers(min_value=0, max_value=10**12)
cents = st.integers(min_value=0, max_value=99)
signs = st.sampled_from([1, -1])
decimals = st.decimals(min_value=-10**12, max_value=10**12, allow_nan=False, allow_infinity=False, places=6)


def grouped(whole: int) -> str:
    """Thousands separators written out by hand: 1234567 -> 1,234,567."""
    digits = str(whole)
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def expected_prose(value: Decimal) -> str:
    """The prose form of `value` built without format(): half up, grouped, no trailing zeros, no -0."""
    rounded = value.copy_abs().quantize(CENT, rounding=ROUND_HALF_UP)
    whole, fraction = divmod(int(rounded * 100), 100)
    text = grouped(whole) + (f".{fraction:02d}".rstrip("0") if fraction else "")
    return ("-" if value < 0 and rounded else "") + text


def expected_table(value: Decimal) -> str:
    rounded = value.copy_abs().quantize(CENT, rounding=ROUND_HALF_UP)
    whole, fraction = divmod(int(rounded * 100), 100)
    return ("-" if value < 0 and rounded else "") + f"{grouped(whole)}.{fraction:02d}"


# ---- rounding ----------------------------------------------------------------------

@given(whole=magnitudes, cent=cents, sign=signs)
def test_half_a_cent_rounds_away_from_zero(whole, cent, sign):
    boundary = sign * (Decimal(whole) + Decimal(cent) / 100 + Decimal("0.005"))
    assert round2(boundary) == sign * (Decimal(whole) + Decimal(cent + 1) / 100)


@given(whole=magnitudes, cent=cents, sign=signs, below=st.integers(min_value=1, max_value=10**6))
def test_just_below_half_a_cent_rounds_toward_zero(whole, cent, sign, below):
    value = sign * (Decimal(whole) + Decimal(cent) / 100 + Decimal("0.005") - Decimal(below) / 10**9)
    assert round2(value) == sign * (Decimal(whole) + Decimal(cent) / 100)


@given(value=decimals)
def test_round2_is_within_half_a_cent_and_two_places(value):
    rounded = round2(value)
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - value) <= Decimal("0.005")


@given(points=st.integers(min_value=-10**8, max_value=10**8))
def test_rates_round_half_up_at_the_hundredth_of_a_percent(points):
    """A fraction exactly half way between two printed rates (x.xx5%) prints the one away from zero."""
    fraction = (Decimal(points) + Decimal("0.5")) / 10**4  # (points + 0.5) hundredths of a percent
    printed = percent(fraction)
    assert printed == (Decimal(points) + (1 if points >= 0 else 0)) / 100
    assert round_rate(fraction) == printed / 100


# ---- prose and table forms ------------------------------------------------------------

@given(value=decimals)
def test_prose_amount(value):
    assert amount(value) == expected_prose(value)


@given(value=decimals.filter(lambda v: round2(v) != 0 or v >= 0))
def test_table_amount(value):
    assert table_amount(value) == expected_table(value)


@given(value=decimals)
def test_prose_rate(value):
    fraction = value / 10**6
    assert rate(fraction) == expected_prose(fraction * 100) + "%"


@given(value=decimals.filter(lambda v: round2(v / 10**4) != 0 or v >= 0))
def test_table_rate(value):
    fraction = value / 10**6
    assert table_rate(fraction) == expected_table(fraction * 100) + "%"


@pytest.mark.parametrize("value, prose, table", [
    (Decimal("0"), "0", "0.00"),
    (Decimal("12779.84"), "12,779.84", "12,779.84"),
    (Decimal("450"), "450", "450.00"),
    (Decimal("797.60"), "797.6", "797.60"),
    (Decimal("999.995"), "1,000", "1,000.00"),
    (Decimal("999999.994"), "999,999.99", "999,999.99"),
    (Decimal("-1234.5"), "-1,234.5", "-1,234.50"),
    (Decimal("-0.005"), "-0.01", "-0.01"),
    (Decimal("0.004"), "0", "0.00"),
])
def test_amount_examples(value, prose, table):
    assert (amount(value), table_amount(value)) == (prose, table)


@pytest.mark.parametrize("value", [Decimal("-0"), Decimal("-0.001"), Decimal("-0.004")])
def test_a_negative_value_that_rounds_to_zero_prints_as_zero_in_tables(value):
    assert table_amount(value) == "0.00" and amount(value) == "0"
    assert table_rate(value / 100) == "0.00%" and rate(value / 100) == "0%"


def test_none_prints_a_dash_in_tables():
    assert table_amount(None) == table_rate(None) == "——"


# ---- fuzz: random cells into the sample -----------------------------------------------

def _targets() -> list[tuple[str, int, int]]:
    """Every cell of every sheet of the sample, headers included, plus one row and column beyond."""
    book = openpyxl.load_workbook(SAMPLE)
    return [(ws.title, row, column) for ws in book.worksheets
            for row in range(1, ws.max_row + 2) for column in range(1, ws.max_column + 2)]


TARGETS = _targets()
SAMPLE_BYTES = SAMPLE.read_bytes()
SPECIAL_TEXT = ["", " ", "——", "-", "88.53%", "0.8853", "79.25", "１２，７７９．８４", "12,779.84万元", "≥ 3 条",
                "(19)", "(99) 不存在", "手工", "目标完成率", "是", "否", "≥", "≤", "优", "满意度问题",
                "{预算执行率}", "{不存在的数}", "{{", "{%", "[表:预算执行进度]", "[表:不存在]", "【表：政策梳理】",
                "<w:p>&amp;", "=1/0", "=SUM(C2:C5)", "=", "2024年12月26日", "2024/13/45", "2023年",
                "1E+300", "NaN", "Infinity", "-0", "0", "1e-30", "\u200b", "\u3000", "😀", "\ufeff",
                "文字\n第二行", "a" * 5000]
text = st.one_of(
    st.sampled_from(SPECIAL_TEXT),
    st.text(alphabet=st.sampled_from(list("0123456789.,-%+eE ０１２３４５６７８９，．％年月日—{}[]()（）:：、"
                                          "预算执行率表是否优良中差满意")), max_size=30),
    st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
)
values = st.one_of(
    st.none(), st.booleans(), text,
    st.integers(min_value=-10**18, max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31)),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.times(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=999)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9),
)
edits = st.lists(st.tuples(st.sampled_from(TARGETS), values), min_size=1, max_size=4)


def _mutated(edits: list, folder: Path) -> Path:
    book = openpyxl.load_workbook(io.BytesIO(SAMPLE_BYTES))
    for (sheet, row, column), value in edits:
        book[sheet].cell(row, column).value = value
    path = folder / "fuzzed.xlsx"
    book.save(path)
    return path


def _assert_located(result, path: Path) -> None:
    """Every error names its place and speaks Chinese; none is perfreport's own failure."""
    for problem in result.errors:
        assert problem.code != "internal-error", problem
        assert "!" in problem.location or problem.location in SHEET_NAMES | {path.name}, problem
        assert re.search(r"[\u4e00-\u9fff]", problem.message), problem


FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=not FUZZ_AT_RANDOM,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(edits=edits)
def test_fuzzed_cells_are_read_or_reported_with_their_place(edits, tmp_path):
    path = _mutated(edits, tmp_path)
    result = pipeline.check(path)  # no exception may escape
    _assert_located(result, path)
    assert result.scores is not None or not result.ok


@settings(FUZZ, max_examples=max(FUZZ_EXAMPLES // 4, 5))
@given(edits=st.lists(st.tuples(st.sampled_from(TARGETS), text), min_size=1, max_size=3))
def test_fuzzed_text_builds_a_report_or_reports_located_errors(edits, tmp_path):
    path = _mutated(edits, tmp_path)
    report = tmp_path / "fuzzed.docx"
    report.unlink(missing_ok=True)  # tmp_path is shared by the examples
    result = pipeline.build(path, report)
    _assert_located(result, path)
    assert report.exists() == result.ok

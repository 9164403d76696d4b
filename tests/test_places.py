"""Places answers as `overlaps` against every problem in turn would, in constant time per cell."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from perfreport.errors import Places, error, overlaps

SHEETS = ("复评项目", "指标体系")


def _letters(n: int) -> str:
    return "ABCDEFGH"[n - 1]


cells = st.tuples(st.sampled_from(SHEETS), st.integers(1, 6), st.integers(1, 6))
locations = st.one_of(
    cells.map(lambda c: f"{c[0]}!{_letters(c[2])}{c[1]}"),
    st.tuples(cells, st.integers(0, 3), st.integers(0, 2)).map(
        lambda r: f"{r[0][0]}!{_letters(r[0][2])}{r[0][1]}:{_letters(min(r[0][2] + r[2], 8))}{r[0][1] + r[1]}"),
    st.sampled_from(SHEETS + ("workbook.xlsx",)),
    st.tuples(st.sampled_from(SHEETS), st.integers(1, 6)).map(lambda r: f"{r[0]}!{r[1]}"),
)


@given(st.lists(locations, max_size=12), locations)
def test_places_agrees_with_overlaps(found, asked):
    problems = [error("x", where, "") for where in found]
    assert Places(problems).overlap(asked) == any(overlaps(asked, p.location) for p in problems)


def test_a_range_of_errors_covers_a_cell_inside_it():
    places = Places([error("to-fill", "问卷!E2:E56", "")])
    assert places.overlap("问卷!E30") and not places.overlap("问卷!F30") and not places.overlap("问卷")

"""The benchmark's workbooks (the sample with its rows repeated) check without errors, so bench.py can build them.

A check that turned the repeated questions into errors once stopped the
benchmark at its 10x workbook; nothing else builds these workbooks.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from perfreport.pipeline import check

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("factor", [2, 10])
def test_the_benchmarks_repeated_workbook_has_no_errors(tmp_path, factor):
    path = tmp_path / f"x{factor}.xlsx"
    rows = _bench().synthetic(factor, path)
    result = check(path)
    assert [str(p) for p in result.errors] == []
    assert rows["复评项目"] == 6 * factor and result.scores is not None

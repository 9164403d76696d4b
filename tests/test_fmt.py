"""Number words and forms as the report prints them."""
from __future__ import annotations

from decimal import Decimal

import pytest

from perfreport.fmt import amount, circled, cn_count, cn_number, join_cn, rate, table_amount, table_rate


@pytest.mark.parametrize("n,words", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"),
                                     (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1200, "一千二百"),
                                     (2005, "二千零五"), (10000, "10000")])
def test_cn_number(n, words):
    assert cn_number(n) == words


def test_counting_words():
    assert (cn_count(2), cn_count(4), circled(3), circled(21)) == ("两", "四", "③", "(21)")
    assert join_cn(["财政资源配置", "预算管理", "社会效应"]) == "财政资源配置、预算管理和社会效应"


@pytest.mark.parametrize("value,prose,table", [
    ("12779.84", "12,779.84", "12,779.84"), ("797.60", "797.6", "797.60"), ("450", "450", "450.00"),
    ("0", "0", "0.00"), ("112234472.39", "112,234,472.39", "112,234,472.39"), ("-0.004", "0", "0.00")])
def test_amounts(value, prose, table):
    assert (amount(Decimal(value)), table_amount(Decimal(value))) == (prose, table)


@pytest.mark.parametrize("fraction,prose,table", [
    ("0.792528", "79.25%", "79.25%"), ("0.004966", "0.5%", "0.50%"), ("1.375", "137.5%", "137.50%"),
    ("1", "100%", "100.00%"), ("-0.2564", "-25.64%", "-25.64%")])
def test_rates(fraction, prose, table):
    assert (rate(Decimal(fraction)), table_rate(Decimal(fraction))) == (prose, table)

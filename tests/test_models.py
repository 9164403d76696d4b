"""Records read only the fields the contract declares."""
from __future__ import annotations

from types import MappingProxyType

import pytest

from perfreport.models import Record


def test_a_declared_blank_field_reads_as_none():
    record = Record("评价工作组", MappingProxyType({"姓名": "张三"}), row=2)
    assert record["姓名"] == "张三"
    assert record["任务分工"] is None


def test_an_undeclared_field_raises_at_once():
    record = Record("评价工作组", MappingProxyType({"姓名": "张三"}), row=2)
    with pytest.raises(KeyError, match="职称"):
        record["职称"]  # the contract's field is 职称职务

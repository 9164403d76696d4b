"""Chapters 四–六 (主要绩效, 存在的问题, 相关建议) and the parts a consultant adds: 摘要 and chapters after 六."""
from __future__ import annotations

from ..models import Record
from .draft import Draft, heading
from .keys import ident

SECTIONED = ("主要绩效", "存在的问题", "相关建议", "增加章节")


def sections(d: Draft, name: str) -> list[dict]:
    """Return one heading and its body per 文字 row of section `name`."""
    blocks: list[dict] = []
    for row in d.section(name):
        key = ident(row["标题"])
        blocks += [heading(titled(d, row), key)] + d.flow(row, "内容", sections=True, key=key)
    return blocks


def titled(d: Draft, row: Record) -> str:
    """The expanded 标题 of a row."""
    return d.expand(row["标题"], row.where("标题"))


def texts(d: Draft) -> None:
    for name in SECTIONED:
        d.text(name, sections(d, name), workbook=True)
    rows = d.section("摘要")
    summary: list[dict] = []
    if rows:
        title = titled(d, rows[0]) if rows[0]["标题"] else d.phrase("摘要标题")
        summary = [{"kind": "u", "text": title, "key": "标题"}] + [
            b for row in rows for b in d.flow(row, "内容", sections=True, key=ident(row["标题"] or "内容"))]
    d.text("摘要", summary, workbook=True)

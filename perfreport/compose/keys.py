"""The keys of the report's blocks: what each generated paragraph and row is, in the data's terms.

perfreport.edits finds a block again in an edited report, and in the next
build, by its key, so a key names what the block says, never where it
stands: a text part, the record (an indicator's name, a 文字 row's 标题, a
stage), its field and the line of that field — `指标分析/预算执行率/评分依据/2`;
a table or attachment and the row's data — `表:复评项目/项目A` (the template
adds the cell, `.c3`). A row added to a table, or a paragraph to a text, moves
no other block's key. Two blocks that would get one key (two projects of one
name, a 文字 row repeated) are told apart by their order among themselves:
KEY, KEY#2, KEY#3 …; only a block of the same name added before them moves
their keys.
"""
from __future__ import annotations

import re
from typing import Any

LONGEST = 32  # characters of a record's identity kept in a key: the store stays small
SPACE = re.compile(r"\s+")


def ident(value: Any) -> str:
    """Return a record's identity as it goes into a key: its first line, spaces collapsed, at most LONGEST."""
    text = "" if value is None else str(value)
    line = text.strip().split("\n", 1)[0]
    if not line.isprintable() or "  " in line:  # else its only spaces are single ASCII ones: nothing to collapse
        line = SPACE.sub(" ", line)
    return line[:LONGEST] or "_"


def join(*parts: Any) -> str:
    """Return the parts of a key joined with "/", empty parts left out."""
    return "/".join([str(p) for p in parts if p not in (None, "")])


class Unique:
    """Hands out keys unique among those it has handed out: KEY, then KEY#2, KEY#3 …"""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def __call__(self, key: str) -> str:
        n = self.seen[key] = self.seen.get(key, 0) + 1
        return key if n == 1 else f"{key}#{n}"


def key_blocks(part: str, blocks: list[dict]) -> None:
    """Give the paragraphs and headings of text part `part` their full keys, unique in the part (in place).

    Each block carries its key within the part (draft.flow, draft.say);
    tables placed in the text carry their own.
    """
    unique = Unique()
    for block in blocks:
        if block["kind"] != "table":
            block["key"] = unique(join(part, block["key"]))


def key_rows(prefix: str, rows: list[dict]) -> None:
    """Turn each row's `key` (its data identity) into its full key under `prefix`, unique in the table.

    A row holding rows of its own (a section of the 问卷 attachment) keys them under its key.
    """
    unique = Unique()
    head = f"{prefix}/" if prefix not in (None, "") else ""  # as join(prefix, identity) begins
    for row in rows:
        row["key"] = unique(head + ident(row["key"]))
        if "rows" in row:
            key_rows(row["key"], row["rows"])

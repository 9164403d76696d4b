"""How sheet tabs and column headers are matched to the contract's names.

Spaces and a trailing unit in brackets do not matter (`复评项目 `, `预算（万元）`).
Invisible characters (a zero-width space pasted with the name) do: such a
name is not taken silently, but named in the message, spelt out.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from . import contract
from .errors import Problem, error

UNIT_SUFFIX = re.compile(r"[(（][^)）]*[)）]$")


def key(text: Any) -> str:
    """Return a header or tab name as perfreport matches it: without spaces and a trailing (unit)."""
    name = re.sub(r"\s", "", str(text or ""))
    return UNIT_SUFFIX.sub("", name)


FILLERS = set("\u115f\u1160\u180e\u2800\u3164\uffa0")  # letters and symbols that show as nothing


def invisible(character: str) -> bool:
    """Whether a character shows as nothing: zero-width spaces and joiners, BOM, soft hyphen, marks, fillers."""
    return unicodedata.category(character) in ("Cf", "Cc", "Mn", "Me", "Co", "Cn") or character in FILLERS


def loose(text: Any) -> str:
    """Return a header or tab name as it looks: also without invisible characters, full-width letters narrowed."""
    return key("".join(c for c in unicodedata.normalize("NFKC", str(text or "")) if not invisible(c)))


def visible(text: str) -> str:
    """Return `text` with its invisible characters spelt out (`复评项目\\u200b`), so that a message shows them."""
    return "".join(f"\\u{ord(c):04x}" if invisible(c) else c for c in text)


def _same_names(found: list[str], what: str) -> str:
    return "、".join(f"“{visible(name)}”" for name in found) + f"的{what}只差空格或不可见字符"


def match_sheets(tabs: list[str], source: str) -> tuple[dict[str, str], list[Problem]]:
    """Return contract sheet -> the tab that holds it, and the problems of tabs that cannot be told apart.

    A tab matches its sheet with spaces ignored. Two tabs that match one
    sheet, or that differ from it only by invisible characters, are an error
    naming both; a tab that differs only by invisible characters is named in
    the missing-sheet message rather than taken silently.
    """
    chosen: dict[str, str] = {}
    problems: list[Problem] = []
    for sheet in contract.SHEETS:
        exact = [t for t in tabs if key(t) == sheet.name]
        similar = [t for t in tabs if loose(t) == sheet.name]
        if len(similar) > 1:
            problems.append(error("duplicate-sheet", source,
                                  f"{_same_names(similar, '工作表名称')}，都像是“{sheet.name}”，无法确定该读哪一个："
                                  "请删除或改名多余的工作表"))
        elif exact:
            chosen[sheet.name] = exact[0]
            continue
        else:
            guess = f"（是否是“{visible(similar[0])}”？该名称含有不可见字符，请重新输入工作表名称）" if similar else ""
            problems.append(error("missing-sheet", source,
                                  f"缺少工作表“{sheet.name}”（{sheet.hint}）{guess}：请从标准模板复制该工作表"))
    return chosen, problems

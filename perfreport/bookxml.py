"""Read the small parts of an .xlsx: relationships, the workbook's tabs, number formats, shared strings.

Each in one streaming pass through `sheetxml.parse`, spending the workbook's
element budget like the sheets do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO

from .sheetxml import Budget, local, parse, unescape

PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%
DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))  # built-in, incl. CJK
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # quoted text, escapes, [Red], padding


def relationships(part: IO[bytes], budget: Budget) -> list[dict]:
    """Return the Relationship elements of a .rels part as attribute dicts."""
    found: list[dict] = []

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        if name == "Relationship":
            found.append(attributes)
    parse(part, start)
    return found


@dataclass
class BookInfo:
    root: str = ""  # the root element: "workbook"
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (tab name, relationship id)
    date1904: bool = False


def book(part: IO[bytes], budget: Budget) -> BookInfo:
    """Return the tabs of xl/workbook.xml in order, with their relationship ids, and the date system."""
    info = BookInfo()

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        info.root = info.root or name
        if name == "sheet":
            rid = next((v for k, v in attributes.items() if local(k) == "id" and "}" in k), "")
            info.sheets.append((attributes.get("name", ""), rid))
        elif name == "workbookPr":
            info.date1904 = attributes.get("date1904", "0").lower() in ("1", "true")
    parse(part, start)
    return info


def _is_date_code(code: str) -> bool:
    code = FORMAT_LITERALS.sub("", code).lower()
    return bool(re.search(r"[yd]", code) or ("m" in code and not re.search(r"[hs]", code)))


def styles(part: IO[bytes], budget: Budget) -> list[str]:
    """Return, per cell style index (a cell's `s`), "percent", "date" or "" from its number format."""
    codes: dict[str, str] = {}
    formats: list[str] = []
    where: list[str] = []

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        where.append(name)
        if name == "numFmt":
            codes[attributes.get("numFmtId", "")] = attributes.get("formatCode", "")
        elif name == "xf" and len(where) >= 2 and where[-2] == "cellXfs":
            formats.append(attributes.get("numFmtId", "0"))

    def end(name: str) -> None:
        name = local(name)
        where.pop()
    parse(part, start, end)
    kinds = []
    for number in formats:
        code = FORMAT_LITERALS.sub("", codes.get(number, ""))
        builtin = int(number) if number.isdigit() else -1
        if builtin in PERCENT_FORMATS or "%" in code:
            kinds.append("percent")
        elif builtin in DATE_FORMATS or (number in codes and _is_date_code(codes[number])):
            kinds.append("date")
        else:
            kinds.append("")
    return kinds


def shared_strings(part: IO[bytes], budget: Budget) -> list[str]:
    """Return the shared strings in order, rich-text runs joined, phonetic runs (rPh) left out."""
    strings: list[str] = []
    pieces: list[str] = []
    state = {"in_t": False, "phonetic": 0}

    def start(name: str, attributes: dict) -> None:
        budget.spend()
        name = local(name)
        if name == "t":
            state["in_t"] = not state["phonetic"]
        elif name == "rPh":
            state["phonetic"] += 1

    def end(name: str) -> None:
        name = local(name)
        if name == "t":
            state["in_t"] = False
        elif name == "rPh":
            state["phonetic"] -= 1
        elif name == "si":
            strings.append(unescape("".join(pieces)))
            pieces.clear()

    def text(data: str) -> None:
        if state["in_t"]:
            pieces.append(data)
    parse(part, start, end, text)
    return strings

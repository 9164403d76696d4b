"""Keys for a rendered report, put on by the tests until compose and the template emit real ones.

A paragraph's key is its heading path and its place under that heading; a
heading's, its path; a cell's, its table's place under the heading, the
row's data identity (the text of the row's first cell that is not a bare
number, such as a 序号) and the cell's column: `…/t2/row:破产企业职工经费/c3`.
So a row added to a table shifts no other row's keys, as the real keys will
not. `keyed(data, workbook)` returns the stamped report.
"""
from __future__ import annotations

import re

from perfreport import edits
from perfreport.edits import carrier
from perfreport.edits.ooxml import P, TBL, TC, TR, paragraph_text, q, text_of
from perfreport.edits.package import Package, serialize

NUMBER = re.compile(r"[\d.\s]*$")


def _row_identity(tr, seen: dict[str, int]) -> str:
    if tr.find(f"{q('trPr')}/{q('tblHeader')}") is not None:
        name = "head"
    else:
        texts = [text_of(tc.findall(P)).strip() for tc in tr.iterchildren(TC)]
        name = next((t for t in texts if t and not NUMBER.match(t)), "")[:30]
    seen[name] = seen.get(name, 0) + 1
    return name if seen[name] == 1 else f"{name}#{seen[name]}"


def mark_all(body) -> int:
    """Put a key on every non-empty body paragraph and every table cell; return how many."""
    path: tuple[str, ...] = ()
    counters: dict[tuple, int] = {}
    count = 0
    for child in list(body):
        if child.tag == P:
            if carrier.is_toc(child) or not paragraph_text(child).strip():
                continue
            level = carrier.heading_level(child)
            if level:
                path = path[: level - 1] + (paragraph_text(child).strip(),)
                key = "h/" + "/".join(path)
            else:
                counters[path] = counters.get(path, 0) + 1
                key = "/".join(path) + f"/p{counters[path]}"
            carrier.mark(child, key)
            count += 1
        elif child.tag == TBL:
            counters[path + ("table",)] = counters.get(path + ("table",), 0) + 1
            table = "/".join(path) + f"/t{counters[path + ('table',)]}"
            seen: dict[str, int] = {}
            for tr in child.iterchildren(TR):
                row = f"{table}/row:{_row_identity(tr, seen)}"
                for column, tc in enumerate(tr.iterchildren(TC)):
                    carrier.mark(tc, f"{row}/c{column}")
                    count += 1
    return count


def keyed(data: bytes, workbook: str = "sha256:test") -> bytes:
    """Return a rendered report with keys on its blocks and the store attached (what part 2's render will do)."""
    package = Package.read(data)
    main = package.main()
    root = package.xml(main)
    mark_all(root.find(q("body")))
    package.parts[main] = serialize(root)
    return edits.stamp(package.write(), workbook)


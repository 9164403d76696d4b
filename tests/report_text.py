"""Read a generated report back as text, for golden files and content assertions."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn


def _paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _cell_text(tc) -> str:
    return "\\n".join(_paragraph_text(p) for p in tc.iter(qn("w:p")))


def _is_continuation(tc) -> bool:
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def report_lines(path: Path) -> list[str]:
    """Return the body in document order: `P text` per paragraph, `T a | b | …` per table row.

    Vertically merged continuation cells print as `^`, so merges show in diffs.
    """
    body = docx.Document(str(path)).element.body
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("P " + _paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for tr in child.iterchildren(qn("w:tr")):
                cells = ["^" if _is_continuation(tc) else _cell_text(tc) for tc in tr.iterchildren(qn("w:tc"))]
                lines.append("T " + " | ".join(cells))
    return lines


def report_text(path: Path) -> str:
    """Return all text of the body, paragraphs and cells, joined."""
    return "\n".join(report_lines(path))

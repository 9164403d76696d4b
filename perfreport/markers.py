"""The markers a consultant types in workbook text, declared once.

`{名称}` prints a figure or a name, a line `[表:名称]` places a table, `[节:标题]`
starts a sub-section, `[表号:名称]` / `[附件号:名称]` print a number, `[[…]]` is
left out when what it names is empty. validate refuses them in plain fields;
compose expands them in prose.
"""
from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"(?<!\{)\{(?![{%#])([^{}\s]+)\}(?!\})")
TABLE_LINE = re.compile(r"^\s*[\[［【]\s*表\s*[:：]\s*(.+?)\s*[\]］】]\s*$")
SECTION_LINE = r"^\s*[\[［【]\s*节\s*[:：]\s*(.+?)\s*[\]］】]\s*$"  # compiled on first use (re's cache)
NUMBER = re.compile(r"[\[［【]\s*(表号|附件号)\s*[:：]\s*(.+?)\s*[\]］】]")
OPTIONAL = r"\[\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\]"


def has_marker(text: str) -> bool:
    """Return whether `text` holds a placeholder, a number reference or a table line."""
    return bool(PLACEHOLDER.search(text) or NUMBER.search(text)
                or any(TABLE_LINE.match(line) for line in text.split("\n")))

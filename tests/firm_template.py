"""A firm's template for the tests: the shipped one with an edit made in python-docx."""
from __future__ import annotations

from pathlib import Path

import docx

from perfreport.render import template_path


def edited(folder: Path, edit) -> Path:
    """A copy of the shipped template with `edit(document)` applied."""
    document = docx.Document(str(template_path()))
    edit(document)
    path = folder / "firm.docx"
    document.save(str(path))
    return path


def paragraph(document, text: str):
    """The template's paragraph whose text is `text`."""
    return next(p for p in document.paragraphs if p.text == text)

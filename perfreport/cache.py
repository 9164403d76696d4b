"""Where prepared templates and compiled code are kept between runs, keyed by content.

Preparing a template (perfreport.prepare: python-docx and docxtpl) and
compiling its XML with jinja2 is the same work each time for the same
template, and so is compiling perfreport's regular expressions and
dataclasses (perfreport.warmstart). All are stored in the user's cache folder under the SHA-256 of
what they were made from (the compiled code also under the digest of the
code generator, perfreport.macrostream), so a changed or custom template
can never be served stale. The cache is an optimisation only: when the folder cannot be
written, nothing is cached and nothing fails, and a report is the same.

PERFREPORT_CACHE names another folder, or `off`.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

SETTING = "PERFREPORT_CACHE"


def folder() -> Path | None:
    """Return the cache folder, created if needed; None when caching is off or impossible."""
    setting = os.environ.get(SETTING, "")
    if setting.lower() == "off":
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = Path(setting) if setting else base / "perfreport"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def key(text: str) -> str:
    """Return the content key of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

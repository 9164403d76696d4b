"""Editors' Word edits survive a rebuild: keys on generated blocks, a store of what was generated, a 3-way merge.

The flow:

1. The template writes a key bookmark on every paragraph and table cell,
   with the key compose gives the block; the report is stamped as it is
   rendered (`stamp` on a finished .docx does the same): the keys become
   short hidden bookmarks and the blocks' generated text goes into a
   custom XML part (`store`), with the
   workbook's fingerprint and the report's subject.
2. An editor polishes the report in Word, WPS or LibreOffice.
3. `perfreport build --force` builds the new report, then `merge(new, old)`
   carries the editor's changes into it (see merge.py); `perfreport edits
   REPORT` lists them (`list_edits`).

What the template and compose give this package (see compose/keys.py and
templates/report_outline.py):

- every paragraph and every table cell the template writes carries one key,
  made from the outline and the data it shows, never from its position in
  the document: `指标分析/预算执行率/评分依据/2` (a text part, the record,
  its field, the line), `表:复评项目/项目A.c3` (a table, the row's data,
  the cell), `tpl.部门概况` (the template's own text);
- a key is a bookmark pair in the block's (first) paragraph, named `_prk`
  KEY, with `|` and a tag of the place in the template after it when the
  template needs its names unique: `_prk{{b.key}}|p`. `finalize` pairs and
  numbers them; `unkeyed` keys what a firm's template added without one;
- render stamps the report as it streams (perfreport.keystream, held to
  the bytes of `stamp(data, store.fingerprint(workbook), subject)`, which
  stamps what the stream does not model).
"""
from __future__ import annotations

import importlib
import sys
from types import ModuleType

# Each name loads its module on first use: a build needs only what its keys' stream reads (carrier, ooxml,
# store, unkeyed), the merge and the review (with diff3, revise, transplant) only an edited report.
LAZY = {"Edit": "review", "Review": "review", "list_edits": "review", "PackageError": "package",
        "Merged": "merge", "NotMergeable": "merge", "Note": "merge", "merge": "merge"}
SUBMODULES = {"carrier", "command", "diff3", "finish", "match", "moves", "ooxml", "package", "review", "revise", "store",
              "transplant", "unkeyed"}

__all__ = ["Edit", "Merged", "NotMergeable", "Note", "PackageError", "Review", "list_edits", "merge", "stamp"]


def __getattr__(name: str):
    """Return an exported name or a submodule, importing it the first time it is asked for."""
    if name in LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{LAZY[name]}"), name)
    elif name in SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


class _Package(ModuleType):
    """This package, whose `merge` stays the function when the submodule of that name is first imported.

    The import system sets every submodule on its package as it loads; the
    eager `from .merge import merge` used to rebind the name after it.
    """

    def __setattr__(self, name: str, value) -> None:
        if not (name in LAZY and isinstance(value, ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def stamp(data: bytes, workbook: str, subject: str = "") -> bytes:
    """Return the rendered .docx with its keys finalized and the store of its blocks attached.

    `workbook` is the workbook's fingerprint (`store.fingerprint(path)`),
    `subject` what the report is about (被评价单位 and 评价年度): a merge
    refuses a report of another subject. The result depends only on the
    arguments, so builds stay reproducible.
    """
    from . import carrier, finish, store, unkeyed
    from .ooxml import digest, q
    from .package import Package, serialize

    package = Package.read(data)
    main = package.main()
    root = package.xml(main)
    body = root.find(q("body"))
    keys = carrier.finalize(body)
    blocks = carrier.read(body, {carrier.bookmark_name(i): key for i, key in enumerate(keys)})
    unkeyed.key_unkeyed(blocks)
    blocks = [b for b in blocks if b.key]
    carrier.drop_strays(body, {id(b.start) for b in blocks})
    for i, block in enumerate(blocks):  # names in the store's order, which is the document's
        block.start.set(q("name"), carrier.bookmark_name(i))
    finish.renumber(body)
    generated = [store.Generated(b.key, carrier.bookmark_name(i), b.kind, b.text, digest(b.elements))
                 for i, b in enumerate(blocks)]
    package.parts[main] = serialize(root)
    store.attach(package, store.Store(workbook, tuple(generated), subject))
    return package.write()

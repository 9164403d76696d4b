"""Editors' Word edits survive a rebuild: keys on generated blocks, a store of what was generated, a 3-way merge.

The flow:

1. render marks every generated paragraph and table cell with its key
   (`carrier.mark`, or a bookmark named `perfreport:KEY` written by the
   template), then calls `stamp` on the finished .docx: the keys become
   hidden bookmarks and the blocks' generated text goes into a custom XML
   part (`store`), with the workbook's fingerprint.
2. An editor polishes the report in Word, WPS or LibreOffice.
3. `perfreport build --force` builds the new report, then `merge(new, old)`
   carries the editor's changes into it (see merge.py); `perfreport edits
   REPORT` lists them (`list_edits`).

What render and the template owe this package:

- every paragraph and every table cell the template writes carries exactly
  one key, unique in the report, made from the outline and the data it
  shows, never from its position in the document: `ch3/(14)/评分依据/2`,
  `复评项目/row:<项目名称>/c3`. A cell's key is ROW/cN, N its index among
  the w:tc of its row (match.py finds a cell that lost its key by its row);
  the row part names the data row (its 项目名称, 指标, …), or the template's
  fixed row for fixed tables. Fixed template text gets a key too
  (`tpl/<name>`), so only editors' additions are unkeyed;
- a key is a bookmark pair around the block: in a paragraph, start after
  w:pPr and end as its last child; in a cell, start in its first paragraph
  and end in its last. Name `perfreport:KEY` (any id: `finalize` pairs and
  numbers them), e.g. `carrier.mark(element, key)`, or in template XML
  `<w:bookmarkStart w:id="0" w:name="perfreport:{{ key }}"/>`;
- the finished .docx goes through `stamp(data, store.fingerprint(workbook))`
  as render's last step (after vertical merges and the 目录).
"""
from __future__ import annotations

from . import carrier, store
from .merge import Merged, NotMergeable, Note, merge
from .ooxml import digest, q
from .package import Package, PackageError, serialize
from .review import Edit, Review, list_edits

__all__ = ["Edit", "Merged", "NotMergeable", "Note", "PackageError", "Review", "list_edits", "merge", "stamp"]


def stamp(data: bytes, workbook: str) -> bytes:
    """Return the rendered .docx with its keys finalized and the store of its blocks attached.

    `workbook` is the workbook's fingerprint (`store.fingerprint(path)`). The
    result depends only on `data` and `workbook`, so builds stay reproducible.
    Raises ValueError when two blocks carry one key.
    """
    package = Package.read(data)
    main = package.main()
    root = package.xml(main)
    body = root.find(q("body"))
    keys = carrier.finalize(body)
    names = {carrier.bookmark_name(key): key for key in keys}
    blocks = [store.Generated(b.key, b.name, b.kind, b.text, digest(b.elements))
              for b in carrier.read(body, names) if b.key is not None]
    package.parts[main] = serialize(root)
    store.attach(package, store.Store(workbook, tuple(blocks)))
    return package.write()

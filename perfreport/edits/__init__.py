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

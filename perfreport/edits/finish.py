"""Passes over the merged document: unique ids, the 目录's cached entries, the revision number."""
from __future__ import annotations

from lxml import etree

from .ooxml import BOOKMARK_END, BOOKMARK_START, DEL, INS, P, paragraph_text, q
from .package import Package, serialize

CORE = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
ID, NAME = q("id"), q("name")
IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"


def _drop(element) -> None:
    element.getparent().remove(element)


def renumber(body) -> None:
    """Give bookmarks, then tracked changes, ids 1, 2, … in document order; drop unpaired or repeated bookmarks.

    Content copied from the edited report brings ids of its own, which may
    repeat the new build's. A generated document keeps the ids it had, since
    finalize numbered its bookmarks the same way.
    """
    opened: dict[str, list] = {}
    pairs: list[tuple] = []
    names: set[str] = set()
    for element in list(body.iter(BOOKMARK_START, BOOKMARK_END)):
        old = element.get(ID)
        if element.tag == BOOKMARK_START:
            opened.setdefault(old, []).append(element)
        elif opened.get(old):
            pairs.append((opened[old].pop(0), element))
        else:
            _drop(element)  # an end without its start
    for starts in opened.values():
        for start in starts:
            _drop(start)  # a start without its end
    ends = {id(start): end for start, end in pairs}
    number = 0
    for start in list(body.iter(BOOKMARK_START)):
        end = ends[id(start)]
        if start.get(NAME) in names:
            _drop(start)
            _drop(end)
            continue
        names.add(start.get(NAME))
        number += 1
        start.set(ID, str(number))
        end.set(ID, str(number))
    for change in body.iter(INS, DEL):
        number += 1
        change.set(ID, str(number))


def refresh_toc(body) -> None:
    """Write the headings' current text into the 目录's cached entries (Word refreshes them itself on opening)."""
    targets = {}
    for start in body.iter(BOOKMARK_START):
        if start.get(q("name"), "").startswith("_Toc"):
            p = next(start.iterancestors(P), None)
            if p is not None:
                targets[start.get(q("name"))] = paragraph_text(p)
    for link in body.iter(q("hyperlink")):
        first = next(link.iter(q("t")), None)
        name = link.get(q("anchor"))
        if name in targets and first is not None and first.text != targets[name]:
            first.text = targets[name]


def mark_edited(package: Package) -> None:
    """Raise the report's revision above 1: it now holds an editor's work, so a later --force backs it up."""
    core = package.parts.get("docProps/core.xml")
    if core is None:
        return
    root = etree.fromstring(core)
    revision = root.find(f"{CORE}revision")
    if revision is None:
        return
    value = (revision.text or "").strip()
    revision.text = str((int(value) if value.isdigit() else 1) + 1)
    package.parts["docProps/core.xml"] = serialize(root)


def drop_empty_tables(body) -> None:
    """Remove a table whose rows were all deleted (Word wants at least one row)."""
    for table in list(body.iter(q("tbl"))):
        if table.find(q("tr")) is None:
            _drop(table)


def declare(root, edited_root):
    """Return `root`, or a copy declaring the edited report's namespaces too, when copied content may use them.

    Word marks up what it writes with namespaces of its own versions (w14,
    w15, w16…) and lists them in mc:Ignorable; a paragraph copied from a
    Word-saved report keeps those attributes, so the new document declares
    the namespaces and marks them ignorable the same way.
    """
    extra = {prefix: uri for prefix, uri in edited_root.nsmap.items() if prefix and prefix not in root.nsmap}
    ignorable = root.get(IGNORABLE, "").split()
    more = [p for p in edited_root.get(IGNORABLE, "").split() if p not in ignorable and p in {**root.nsmap, **extra}]
    if not extra and not more:
        return root
    new = etree.Element(root.tag, attrib=dict(root.attrib), nsmap={**root.nsmap, **extra})
    new.extend(list(root))
    if ignorable or more:
        new.set(IGNORABLE, " ".join(ignorable + more))
    return new

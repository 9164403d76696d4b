"""Bring what an editor's content refers to along with it: pictures, links, comments, footnotes.

Content copied from the edited report into the new one may point at parts
of the edited package through relationship ids (r:embed of a pasted
picture, r:id of a hyperlink) or at comments and footnotes by number. The
referenced parts are copied (under free names) and the ids rewritten, so
nothing the editor added turns into a broken reference.
"""
from __future__ import annotations

import posixpath

from .ooxml import R, q
from .package import Package

# parts copied whole, once, when copied content refers to them (the new build never has them)
NOTES = {q("commentReference"): f"{R}/comments", q("commentRangeStart"): f"{R}/comments",
         q("footnoteReference"): f"{R}/footnotes", q("endnoteReference"): f"{R}/endnotes"}
COMPANIONS = {f"{R}/comments": ("http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                                "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                                "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
                                "http://schemas.microsoft.com/office/2011/relationships/people")}


class Transplant:
    """Adopt elements copied from `source` (the edited report) into `target` (the new build)."""

    def __init__(self, source: Package, target: Package):
        self.source, self.target = source, target
        self.source_main, self.target_main = source.main(), target.main()
        self.ids: dict[str, str] = {}
        self.copied: dict[str, str] = {}  # source part -> target part
        self.whole: set[str] = set()
        self.notes: list[str] = []

    def adopt(self, element) -> None:
        """Rewrite the relationship ids in a copied element to the target's, copying parts as needed."""
        relationships = {r.id: r for r in self.source.relationships(self.source_main)}
        for node in element.iter():
            if not isinstance(node.tag, str):
                continue
            if node.tag in NOTES:
                self._whole(NOTES[node.tag])
            for name, value in list(node.attrib.items()):
                if name.startswith(f"{{{R}}}") and value in relationships:
                    node.set(name, self._id(relationships[value]))

    def _id(self, relationship) -> str:
        if relationship.id not in self.ids:
            if relationship.external:
                target = relationship.target
            else:
                target = self._copy(self.source.target(self.source_main, relationship))
                target = posixpath.relpath(target, posixpath.dirname(self.target_main))
            self.ids[relationship.id] = self.target.add_relationship(self.target_main, relationship.type, target,
                                                                     relationship.external)
        return self.ids[relationship.id]

    def _copy(self, part: str) -> str:
        """Copy a part (and, through its own relationships, what it refers to); return its name in the target."""
        if part in self.copied:
            return self.copied[part]
        folder, name = posixpath.split(part)
        stem, dot, extension = name.rpartition(".")
        new = part if part not in self.target.parts else self.target.free_name(
            posixpath.join(folder, f"{stem}_{{}}{dot}{extension}"))
        self.copied[part] = new
        self.target.add_part(new, self.source.parts.get(part, b""), self.source.content_type(part))
        for relationship in self.source.relationships(part):
            if relationship.external:
                self.target.add_relationship(new, relationship.type, relationship.target, True)
            else:
                inner = self._copy(self.source.target(part, relationship))
                self.target.add_relationship(new, relationship.type,
                                             posixpath.relpath(inner, posixpath.dirname(new)))
        return new

    def _whole(self, kind: str) -> None:
        """Copy the edited report's comments (or footnotes, endnotes) part once, with its companions."""
        if kind in self.whole:
            return
        self.whole.add(kind)
        if any(r.type == kind for r in self.target.relationships(self.target_main)):
            self.notes.append(kind.rsplit("/", 1)[-1])  # the new build has its own: cannot hold both
            return
        for relationship in self.source.relationships(self.source_main):
            if relationship.type == kind or relationship.type in COMPANIONS.get(kind, ()):
                self._id(relationship)

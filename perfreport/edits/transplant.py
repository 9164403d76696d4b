"""Bring what an editor's content refers to along with it: pictures, links, comments, styles, lists.

Content copied from the edited report into the new one may point at parts
of the edited package through relationship ids (r:embed of a pasted
picture, r:id of a hyperlink), at comments and footnotes by number, at
styles by id and at list definitions by number. The referenced parts are
copied (under free names) and the ids rewritten, so nothing the editor added
turns into a broken reference. Styles are matched by name first: LibreOffice
renames every style id it saves (表格文字 becomes Style14) but keeps names.
"""
from __future__ import annotations

import copy
import posixpath

from lxml import etree

from .ooxml import R, q
from .package import Package, serialize

# parts copied whole, once, when copied content refers to them (the new build never has them)
NOTES = {q("commentReference"): f"{R}/comments", q("commentRangeStart"): f"{R}/comments",
         q("footnoteReference"): f"{R}/footnotes", q("endnoteReference"): f"{R}/endnotes"}
COMPANIONS = {f"{R}/comments": ("http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                                "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                                "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
                                "http://schemas.microsoft.com/office/2011/relationships/people")}


STYLE_REFERENCES = {q("pStyle"), q("rStyle"), q("tblStyle")}
STYLES, NUMBERING = f"{R}/styles", f"{R}/numbering"
NUM_ID = q("numId")
RELATIONSHIP_ATTRIBUTES = etree.XPath(f"descendant-or-self::*/@*[namespace-uri()='{R}']")


def _part(package: Package, main: str, kind: str) -> str | None:
    """Return the name of the main document's part of a kind (styles, numbering), or None."""
    for relationship in package.relationships(main):
        if relationship.type == kind and not relationship.external:
            name = package.target(main, relationship)
            return name if name in package.parts else None
    return None


class Styles:
    """Map the edited report's style ids to the new build's, adding the styles the new build lacks."""

    KIND = STYLES

    def __init__(self, source: Package, source_main: str, target: Package, target_main: str):
        self.source, self.target = source, target
        self.source_part = _part(source, source_main, self.KIND)
        self.target_part = _part(target, target_main, self.KIND)
        self.mapping: dict[str, str] = {}
        self.changed = False
        self._roots = None
        self._indexes = None
        # a report saved by python-docx, or not saved at all, has the build's part byte for byte
        self.identical = self.source_part is not None and source.parts.get(self.source_part) == \
            target.parts.get(self.target_part)

    @property
    def source_root(self):
        return self._parsed()[0]

    @property
    def target_root(self):
        return self._parsed()[1]

    def _parsed(self):
        """Parse both parts on first use: most merges never need them."""
        if self._roots is None:
            self._roots = (self.source.xml(self.source_part) if self.source_part else None,
                           self.target.xml(self.target_part) if self.target_part else None)
        return self._roots

    @staticmethod
    def _index(root) -> tuple[dict, dict]:
        by_id, by_name = {}, {}
        for style in root.iterchildren(q("style")) if root is not None else ():
            by_id[style.get(q("styleId"))] = style
            name = style.find(q("name"))
            if name is not None:
                by_name.setdefault((style.get(q("type")), name.get(q("val"))), style.get(q("styleId")))
        return by_id, by_name

    def indexes(self) -> tuple[dict, dict, dict]:
        """Return (source styles by id, target styles by id, target ids by (type, name)), built once."""
        if self._indexes is None:
            self._indexes = self._index(self.source_root)[:1] + self._index(self.target_root)
        return self._indexes

    def map(self, style_id: str) -> str:
        if self.identical or style_id in self.mapping:
            return self.mapping.get(style_id, style_id)
        if self.source_root is None or self.target_root is None:
            return style_id
        source_ids, target_ids, target_names = self.indexes()
        style = source_ids.get(style_id)
        if style is None:  # a dangling reference in the edited report: leave it as the editor had it
            self.mapping[style_id] = style_id
            return style_id
        name = style.find(q("name"))
        found = target_names.get((style.get(q("type")), name.get(q("val")) if name is not None else None))
        if found is None and style_id in target_ids:
            found = style_id
        if found is None:  # the editor's own style: copy it in
            found = style_id
            self.mapping[style_id] = found
            clone = copy.deepcopy(style)
            for link in clone.iterchildren(q("basedOn"), q("next"), q("link")):
                link.set(q("val"), self.map(link.get(q("val"))))
            self.target_root.append(clone)
            target_ids[found] = clone
            self.changed = True
        self.mapping[style_id] = found
        return found

    def save(self) -> None:
        if self.changed:
            self.target.parts[self.target_part] = serialize(self.target_root)


class Lists(Styles):
    """Copy the list definitions (w:num and its w:abstractNum) copied paragraphs number themselves with."""

    KIND = NUMBERING

    def _free(self, tag: str, attribute: str) -> int:
        used = [int(e.get(q(attribute))) for e in self.target_root.iterchildren(q(tag))
                if (e.get(q(attribute)) or "").isdigit()]
        return max(used, default=0) + 1

    def map(self, number: str) -> str:
        if self.identical:
            return number
        if number in self.mapping or self.source_root is None or self.target_root is None or number == "0":
            return self.mapping.get(number, number)
        source = next((n for n in self.source_root.iterchildren(q("num")) if n.get(q("numId")) == number), None)
        if source is None:
            return number
        abstract_id = source.find(q("abstractNumId")).get(q("val"))
        abstract = next(a for a in self.source_root.iterchildren(q("abstractNum"))
                        if a.get(q("abstractNumId")) == abstract_id)
        new_abstract, new_num = copy.deepcopy(abstract), copy.deepcopy(source)
        new_abstract.set(q("abstractNumId"), str(self._free("abstractNum", "abstractNumId")))
        new_num.set(q("numId"), str(self._free("num", "numId")))
        new_num.find(q("abstractNumId")).set(q("val"), new_abstract.get(q("abstractNumId")))
        for style in new_abstract.iter(q("pStyle"), q("numStyleLink"), q("styleLink")):
            style.getparent().remove(style)  # a list bound to a style of the edited report: keep it plain
        nums = list(self.target_root.iterchildren(q("num")))
        (nums[0].addprevious if nums else self.target_root.append)(new_abstract)
        self.target_root.append(new_num)
        self.mapping[number] = new_num.get(q("numId"))
        return self.mapping[number]

    def save(self) -> None:
        if self.mapping:
            self.target.parts[self.target_part] = serialize(self.target_root)


class Transplant:
    """Adopt elements copied from `source` (the edited report) into `target` (the new build)."""

    def __init__(self, source: Package, target: Package):
        self.source, self.target = source, target
        self.source_main, self.target_main = source.main(), target.main()
        self.relationships = {r.id: r for r in source.relationships(self.source_main)}
        self.styles = Styles(source, self.source_main, target, self.target_main)
        self.lists = Lists(source, self.source_main, target, self.target_main)
        self.ids: dict[str, str] = {}
        self.copied: dict[str, str] = {}  # source part -> target part
        self.whole: set[str] = set()
        self.notes: list[str] = []

    def adopt(self, element) -> None:
        """Rewrite a copied element's references (relationships, styles, lists) to the target's."""
        for node in element.iter(*NOTES):
            self._whole(NOTES[node.tag])
        for node in element.iter(*STYLE_REFERENCES):
            if node.get(q("val")):
                node.set(q("val"), self.styles.map(node.get(q("val"))))
        for node in element.iter(NUM_ID):
            if node.get(q("val")):
                node.set(q("val"), self.lists.map(node.get(q("val"))))
        for value in RELATIONSHIP_ATTRIBUTES(element):
            if value in self.relationships:
                value.getparent().set(value.attrname, self._id(self.relationships[value]))

    def save(self) -> None:
        """Write back the target's styles and lists when adopting changed them."""
        self.styles.save()
        self.lists.save()

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
        data = self.source.parts.get(part, b"")
        if b"Style" in data and (self.source.content_type(part) or "").endswith("+xml"):
            data = self._styled(part, data)  # comments, footnotes: their paragraphs use the edited report's styles
        self.target.add_part(new, data, self.source.content_type(part))
        for relationship in self.source.relationships(part):
            if relationship.external:
                self.target.add_relationship(new, relationship.type, relationship.target, True)
            else:
                inner = self._copy(self.source.target(part, relationship))
                self.target.add_relationship(new, relationship.type,
                                             posixpath.relpath(inner, posixpath.dirname(new)))
        return new

    def _styled(self, part: str, data: bytes) -> bytes:
        root = self.source.xml(part)
        for node in root.iter(*STYLE_REFERENCES):
            if node.get(q("val")):
                node.set(q("val"), self.styles.map(node.get(q("val"))))
        return serialize(root)

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

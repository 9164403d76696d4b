"""A .docx as parts in memory: read it, find its main document, add parts and relationships, write it back.

Written packages keep the order of their entries and stamp every entry with
one fixed time, as render does, so the same parts give the same bytes.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from .ooxml import R as R_NS

PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = f"{R_NS}/officeDocument"
MAIN_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # render's (perfreport.render.ZIP_TIME): a merge writes as a build does
MAX_PART = 256 * 1024 * 1024  # a part bigger than this is not a report


class PackageError(ValueError):
    """The file is not a readable .docx; the message is for the user."""


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str
    external: bool


def rels_name(part: str) -> str:
    """Return the relationships part of `part`: word/document.xml -> word/_rels/document.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Package:
    """The parts of a .docx, by name, in their original order."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts

    @classmethod
    def read(cls, data: bytes) -> "Package":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if any(info.file_size > MAX_PART for info in archive.infolist()):
                    raise PackageError("文件中有异常大的部分，不像是一份报告")
                return cls({info.filename: archive.read(info.filename) for info in archive.infolist()
                            if not info.is_dir()})
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
            if isinstance(exc, PackageError):
                raise
            raise PackageError("不是有效的 .docx 文件（无法作为压缩包读取）") from None

    def write(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                entry = zipfile.ZipInfo(name, ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, data)
        return out.getvalue()

    def xml(self, name: str):
        """Return the parsed part (no entities, no network)."""
        try:
            return etree.fromstring(self.parts[name], etree.XMLParser(resolve_entities=False, no_network=True,
                                                                      huge_tree=True))
        except KeyError:
            raise PackageError(f"缺少 {name}") from None
        except etree.XMLSyntaxError as exc:
            raise PackageError(f"{name} 不是有效的 XML（{exc}）") from None

    def relationships(self, part: str) -> list[Relationship]:
        name = rels_name(part) if part else "_rels/.rels"
        if name not in self.parts:
            return []
        root = self.xml(name)
        return [Relationship(r.get("Id"), r.get("Type"), r.get("Target"), r.get("TargetMode") == "External")
                for r in root.iterchildren(f"{{{PACKAGE_RELS}}}Relationship")]

    def target(self, part: str, relationship: Relationship) -> str:
        """Return the part name a relationship of `part` points to."""
        if relationship.target.startswith("/"):
            return relationship.target[1:]
        return posixpath.normpath(posixpath.join(posixpath.dirname(part), relationship.target))

    def main(self) -> str:
        """Return the name of the main document part (word/document.xml, wherever the package puts it)."""
        for relationship in self.relationships(""):
            if relationship.type == OFFICE_DOCUMENT:
                name = self.target("", relationship)
                if name in self.parts:
                    return name
        raise PackageError("找不到文档正文（不是 Word 文档）")

    def add_relationship(self, part: str, type_: str, target: str, external: bool = False) -> str:
        """Add a relationship from `part`; return its new id (rIdN, the first N not taken)."""
        name = rels_name(part)
        if name in self.parts:
            root = self.xml(name)
        else:
            root = etree.Element(f"{{{PACKAGE_RELS}}}Relationships", nsmap={None: PACKAGE_RELS})
        taken = {r.get("Id") for r in root}
        number = 1
        while f"rId{number}" in taken:
            number += 1
        attributes = {"Id": f"rId{number}", "Type": type_, "Target": target}
        if external:
            attributes["TargetMode"] = "External"
        etree.SubElement(root, f"{{{PACKAGE_RELS}}}Relationship", attributes)
        self.parts[name] = serialize(root)
        return f"rId{number}"

    def content_type(self, part: str) -> str | None:
        root = self.xml("[Content_Types].xml")
        for override in root.iterchildren(f"{{{CONTENT_TYPES}}}Override"):
            if override.get("PartName") == "/" + part:
                return override.get("ContentType")
        extension = part.rsplit(".", 1)[-1].lower()
        for default in root.iterchildren(f"{{{CONTENT_TYPES}}}Default"):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType")
        return None

    def add_part(self, name: str, data: bytes, content_type: str | None) -> None:
        """Add a part, declaring its content type when the package's defaults do not already give it."""
        self.parts[name] = data
        if content_type is None or self.content_type(name) == content_type:
            return
        root = self.xml("[Content_Types].xml")
        etree.SubElement(root, f"{{{CONTENT_TYPES}}}Override", {"PartName": "/" + name, "ContentType": content_type})
        self.parts["[Content_Types].xml"] = serialize(root)

    def free_name(self, pattern: str) -> str:
        """Return pattern.format(n) for the first n ≥ 1 that names no part."""
        number = 1
        while pattern.format(number) in self.parts:
            number += 1
        return pattern.format(number)


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


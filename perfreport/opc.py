"""Write a .docx package once: its parts in python-docx's order, every entry stamped with one fixed time.

A package is its parts (name -> content type and bytes) and its
relationships (source part -> list of Relationship; "" is the package).
Entries are written in the order python-docx saves them, so that a report is
byte for byte what python-docx made: [Content_Types].xml, the package's
relationships, then the parts depth-first along the relationships, each
followed by its own. A part's bytes may be compressed ahead (`Compressed`,
from `deflate`), so that one streamed while it is made (the document) is
held compressed only, and written in its place when the parts before it are.
The zip is what the standard library's zipfile writes on Unix (the tests
compare the two), with every entry dated 1980-01-01.
"""
from __future__ import annotations

import posixpath
import struct
import zlib
from typing import Iterable, NamedTuple

from .bodyxml import quoteattr

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP64_LIMIT = (1 << 31) - 1  # zipfile would switch to ZIP64 records here; no report comes near it
CONTENT_TYPES = "[Content_Types].xml"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
XML_TYPE = "application/xml"
DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
# python-docx's (docx.opc.spec.default_content_types): a part of these gets a Default, not an Override
DEFAULTS = {("bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings"),
            ("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"),
            ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
            ("bmp", "image/bmp"), ("emf", "image/x-emf"), ("fntdata", "application/x-fontdata"),
            ("gif", "image/gif"), ("jpe", "image/jpeg"), ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"),
            ("png", "image/png"), ("rels", RELS_TYPE), ("tif", "image/tiff"), ("tiff", "image/tiff"),
            ("wdp", "image/vnd.ms-photo"), ("wmf", "image/x-wmf"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("xml", XML_TYPE)}


class Relationship(NamedTuple):
    id: str
    type: str
    target: str  # as written: relative to the source's folder, or a URL when external
    external: bool = False


class Compressed(NamedTuple):
    """A part's bytes deflated ahead: what the zip entry holds."""

    data: bytes
    crc: int
    size: int


class Package:
    """A package's parts and relationships, and the parts python-docx wrote for them while they stay as they are."""

    def __init__(self, parts: dict[str, tuple[str, bytes | Compressed]],
                 rels: dict[str, list[Relationship]] | None = None, written: dict[str, bytes] | None = None):
        self.parts = parts  # part name (no leading /) -> (content type, bytes)
        self.rels = rels or {}  # source part ("" the package) -> its relationships
        self.written = written or {}  # relationship and content-type parts as written

    def target(self, source: str, rel: Relationship) -> str:
        """The part name a relationship of `source` points at."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), rel.target)).lstrip("/")

    def relate(self, source: str, type_: str, target: str) -> str:
        """Add a relationship from `source` to part `target`; return its id (python-docx's next free rIdN)."""
        rels = self.rels.setdefault(source, [])
        ids = {r.id for r in rels}
        rid = next(f"rId{n}" for n in range(1, len(rels) + 2) if f"rId{n}" not in ids)
        relative = posixpath.relpath("/" + target, posixpath.dirname("/" + source))
        rels.append(Relationship(rid, type_, relative))
        self.written.pop(rels_name(source), None)
        self.written.pop(CONTENT_TYPES, None)
        return rid

    def order(self) -> list[str]:
        """The parts as python-docx writes them: depth first along the relationships, each part once."""
        seen: list[str] = []

        def walk(source: str) -> None:
            for rel in self.rels.get(source, []):
                name = self.target(source, rel)
                if rel.external or name in seen or name not in self.parts:
                    continue
                seen.append(name)
                walk(name)
        walk("")
        return seen

    def entries(self) -> Iterable[tuple[str, bytes | Compressed]]:
        """Every zip entry of the package, in order."""
        order = self.order()
        yield CONTENT_TYPES, (self.written.get(CONTENT_TYPES)
                              or content_types_xml([(n, self.parts[n][0]) for n in order]))
        yield "_rels/.rels", self.rels_xml("")
        for name in order:
            yield name, self.parts[name][1]
            if self.rels.get(name):
                yield rels_name(name), self.rels_xml(name)

    def rels_xml(self, source: str) -> bytes:
        return self.written.get(rels_name(source)) or relationships_xml(self.rels[source])


def rels_name(part: str) -> str:
    """The relationships part of `part`: word/document.xml -> word/_rels/document.xml.rels ("" -> _rels/.rels)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def content_types_xml(parts: list[tuple[str, str]]) -> bytes:
    """[Content_Types].xml as python-docx writes it: Defaults by extension, then Overrides by part name, sorted."""
    defaults = {"rels": RELS_TYPE, "xml": XML_TYPE}
    overrides = {}
    for name, content_type in parts:
        extension = posixpath.splitext(name)[1][1:]
        if (extension.lower(), content_type) in DEFAULTS:
            defaults[extension] = content_type
        else:
            overrides["/" + name] = content_type
    items = [f"<Default Extension={quoteattr(e)} ContentType={quoteattr(defaults[e])}/>" for e in sorted(defaults)]
    items += [f"<Override PartName={quoteattr(n)} ContentType={quoteattr(overrides[n])}/>" for n in sorted(overrides)]
    return (DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + "".join(items) + "</Types>").encode("utf-8")


def relationships_xml(rels: list[Relationship]) -> bytes:
    """A relationships part as python-docx writes it."""
    items = "".join(f"<Relationship Id={quoteattr(r.id)} Type={quoteattr(r.type)} Target={quoteattr(r.target)}"
                    + (' TargetMode="External"' if r.external else "") + "/>" for r in rels)
    return (DECLARATION + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + items + "</Relationships>").encode("utf-8")


# ---- the zip -----------------------------------------------------------------------------------
class Deflater:
    """Deflates a part fed in pieces, as zipfile would in one piece (zlib's default level, raw stream)."""

    def __init__(self) -> None:
        self.compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self.pieces: list[bytes] = []
        self.crc = self.size = 0

    def feed(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.pieces.append(self.compressor.compress(data))

    def close(self) -> Compressed:
        self.pieces.append(self.compressor.flush())
        return Compressed(b"".join(self.pieces), self.crc, self.size)


def deflate(data: bytes) -> Compressed:
    deflater = Deflater()
    deflater.feed(data)
    return deflater.close()


def write_zip(entries: Iterable[tuple[str, bytes | Compressed]]) -> bytes:
    """Return the zip of `entries`, each deflated and dated ZIP_TIME, as zipfile writes it on Unix."""
    out, directory = [], []
    offset = 0
    time, date = 0, (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
    for name, data in entries:
        packed = data if isinstance(data, Compressed) else deflate(data)
        if max(packed.size, len(packed.data), offset) > ZIP64_LIMIT:
            raise ValueError(f"{name}：超过 2 GB，无法写入")
        encoded = name.encode("ascii") if name.isascii() else name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        fields = (20, 0, flags, 8, time, date, packed.crc, len(packed.data), packed.size, len(encoded))
        out += [struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields, 0), encoded, packed.data]
        directory.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, *fields, 0, 0, 0, 0, 0o644 << 16,
                                     offset) + encoded)
        offset += 30 + len(encoded) + len(packed.data)
    central = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), len(central), offset, 0)
    return b"".join(out) + central + end

"""The store: a custom XML part holding each block's generated text and the workbook's fingerprint.

It lives where Word keeps data of its own kind, in the custom XML data store
(customXml/itemN.xml with its itemPropsN.xml, related from the main
document), and is found again by its namespace, whatever number Word or
LibreOffice gives the item when they save. Its bytes depend only on the
blocks, so a build stays reproducible.

    <blocks xmlns="urn:perfreport:blocks:1" version="1" workbook="sha256:…" subject="单位 2023">
      <b k="KEY" d="digest">a paragraph's generated text</b> <b k="KEY" t="cell" d="…">a cell's</b> …
    </blocks>

`workbook` is the fingerprint of the workbook file, `subject` what the
report is about (被评价单位 and 评价年度): a rebuild from changed data keeps
the subject, another department's workbook does not. The bookmark that
carries block number i is named carrier.bookmark_name(i), so names are not stored.

Text escapes "\\" as "\\\\" and a line break (U+000B, not allowed in XML) as "\\v".
"""
from __future__ import annotations

import hashlib
import posixpath
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..bodyxml import attribute, escape, quoteattr

from .carrier import bookmark_name
from .ooxml import LINE_BREAK, R

if TYPE_CHECKING:  # a build writes its store as text: no package, no lxml
    from .package import Package

NS = "urn:perfreport:blocks:1"
VERSION = "1"
ITEM_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NS)).upper() + "}"
CUSTOM_XML = f"{R}/customXml"
CUSTOM_XML_PROPS = f"{R}/customXmlProps"
PROPS_CONTENT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


class StoreError(ValueError):
    """The store part is there but cannot be used; the message is for the user."""


@dataclass(frozen=True)
class Generated:
    """One block as perfreport generated it."""

    key: str
    name: str  # its carrier's bookmark name, carrier.bookmark_name(its place in the store)
    kind: str  # "p" or "cell"
    text: str
    digest: str  # ooxml.digest of its markup


@dataclass(frozen=True)
class Store:
    """The generated blocks a report holds, and what they were generated from."""

    workbook: str  # the workbook's fingerprint, "sha256:…"
    blocks: tuple[Generated, ...]  # in document order
    subject: str = ""  # 被评价单位 and 评价年度 ("" in a store that does not say)

    def by_key(self) -> dict[str, Generated]:
        return {block.key: block for block in self.blocks}

    def names(self) -> dict[str, str]:
        """Return carrier bookmark name -> key."""
        return {block.name: block.key for block in self.blocks}


def fingerprint(workbook: Path | bytes) -> str:
    """Return the fingerprint of a workbook file (or its bytes): sha256 of its content."""
    data = workbook if isinstance(workbook, bytes) else Path(workbook).read_bytes()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _escape(text: str) -> str:
    if "\\" not in text and LINE_BREAK not in text:
        return text
    return text.replace("\\", "\\\\").replace(LINE_BREAK, "\\v")


ESCAPED = re.compile(r"\\(.)", re.S)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return ESCAPED.sub(lambda m: LINE_BREAK if m.group(1) == "v" else m.group(1), text)


def to_xml(store: Store) -> bytes:
    """Return the store part's bytes, as lxml would serialize it, written as text (a report of 100,000 blocks
    would otherwise be built as a tree of as many elements first)."""
    blocks = blocks_xml([(b.key, b.kind, b.text, b.digest) for b in store.blocks])
    return (head_xml(store.workbook, store.subject) + blocks + TAIL).encode("utf-8")


def head_xml(workbook: str, subject: str) -> str:
    """The store part up to its first block."""
    return (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<blocks xmlns=\"{NS}\" "
            f"version={quoteattr(VERSION)} workbook={quoteattr(workbook)} subject={quoteattr(subject)}>")


def block_xml(key: str, kind: str, text: str, digest: str) -> str:
    """One block of the store part."""
    kind = f" t={quoteattr(kind)}" if kind != "p" else ""  # a paragraph's is the default
    return f"<b k={quoteattr(key)}{kind} d={quoteattr(digest)}>{escape(_escape(text))}</b>"


SPECIAL = '&<>\r"\n\t'  # bodyxml.SPECIAL's characters
SEPARATOR = "\0"  # not in XML text: the blocks' values are escaped joined by it, then split again


def blocks_xml(blocks: list[tuple[str, str, str, str]]) -> str:
    """Return the blocks (key, kind, text, digest) of the store part, as block_xml writes each.

    Escaping is the same character by character, so each value list is escaped
    once, joined, instead of one value at a time.
    """
    if not blocks:
        return ""
    keys, kinds, texts, digests = zip(*blocks)
    joined = [SEPARATOR.join(values) for values in (keys, texts, digests)]
    if any(values.count(SEPARATOR) != len(blocks) - 1 for values in joined):
        return "".join(block_xml(*block) for block in blocks)
    keys, texts, digests = (_written(joined[0], attribute).split(SEPARATOR),
                            _written(_escape(joined[1]), escape).split(SEPARATOR),
                            _written(joined[2], attribute).split(SEPARATOR))
    written = {kind: f" t={quoteattr(kind)}" if kind != "p" else "" for kind in set(kinds)}
    return "".join([f'<b k="{k}"{written[t]} d="{d}">{x}</b>' for k, t, d, x in zip(keys, kinds, digests, texts)])


def _written(values: str, write) -> str:
    """`values` as `write` writes them, unchanged unless they hold a character lxml escapes (looked for one
    at a time: much faster than bodyxml.SPECIAL's search on a thousand values)."""
    return write(values) if any(character in values for character in SPECIAL) else values


TAIL = "</blocks>"


def from_xml(data: bytes) -> Store:
    from lxml import etree  # only where a report is read back: a build writes its store as text

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise StoreError(f"报告中保存的生成内容已损坏（第 {exc.lineno} 行无法读取）") from None
    if root.get("version") != VERSION:
        raise StoreError(f"报告由另一版本的 perfreport 生成（存储格式 {root.get('version')}），无法合并")
    blocks = []
    for i, b in enumerate(root.iterchildren(f"{{{NS}}}b")):
        blocks.append(Generated(b.get("k", ""), bookmark_name(i), b.get("t", "p"), _unescape(b.text or ""),
                                b.get("d", "")))
    return Store(root.get("workbook", ""), tuple(blocks), root.get("subject", ""))


def is_store(data: bytes) -> bool:
    head = data[:512]
    return NS.encode() in head and b"blocks" in head


def find(package: Package) -> Store | None:
    """Return the store of a report, or None when the report has none (not written by perfreport)."""
    for name, data in package.parts.items():
        if name.startswith("customXml/") and not name.startswith("customXml/itemProps") and name.endswith(".xml") \
                and is_store(data):
            return from_xml(data)
    return None


def props_xml() -> bytes:
    """Return the store item's properties part: its id, and the schema (the store's namespace) it follows, as lxml
    would serialize it."""
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f"<ds:datastoreItem xmlns:ds={quoteattr(DATASTORE)} ds:itemID={quoteattr(ITEM_ID)}><ds:schemaRefs>"
            f"<ds:schemaRef ds:uri={quoteattr(NS)}/></ds:schemaRefs></ds:datastoreItem>").encode("utf-8")


def attach(package: Package, store: Store) -> None:
    """Add the store to a package as a custom XML item (replacing the store it may already hold)."""
    data = to_xml(store)
    for name, old in package.parts.items():
        if name.startswith("customXml/") and not name.startswith("customXml/itemProps") and is_store(old):
            package.parts[name] = data
            return
    main = package.main()
    item = package.free_name("customXml/item{}.xml")
    number = item[len("customXml/item"):-len(".xml")]
    props = f"customXml/itemProps{number}.xml"
    if props in package.parts:
        from .package import PackageError

        raise PackageError(f"{props} 已存在")
    package.add_part(item, data, None if package.content_type(item) else "application/xml")
    package.add_part(props, props_xml(), PROPS_CONTENT)
    package.add_relationship(item, CUSTOM_XML_PROPS, f"itemProps{number}.xml")
    package.add_relationship(main, CUSTOM_XML, posixpath.relpath(item, posixpath.dirname(main)))

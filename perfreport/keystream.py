"""The keys of a generated report finalized as its body streams: edits.stamp's result, without a document tree.

edits.stamp reads a rendered report into a tree, pairs and numbers its key
bookmarks, reads its blocks (each body paragraph, or run of paragraphs a key
spans, and each table cell), keys the paragraphs a template left without
one, numbers every bookmark and stores each block's generated text and
digest. On a report of 100 times the sample's rows that is about two thirds
of the build. `Stamper` does the same to the body text as render streams it,
one paragraph or table row at a time, for what a template writes: key
bookmarks as the template writes them, text in runs. Whatever it does not
model (content controls, text boxes, tracked changes, an unkeyed cell, a
key bookmark out of place, a bookmark without its pair) raises `Unusual`,
and render stamps that report with edits.stamp instead. The tests hold the
two to the same bytes.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
import zlib
from itertools import repeat

from . import keyrows, opc
from .bodyxml import unescape
from .opc import CONTENT_TYPES, Relationship, relationships_xml, rels_name
from .edits.carrier import NAME, READABLE, TOC_STYLE, bookmark_name, readable_key, readable_keys
from .blocktext import cell_text, paragraph_text
from .keyrows import TOKEN
from .edits.ooxml import CELL_PROPERTIES, MARKS, PARAGRAPH_BREAK
from .edits.store import CUSTOM_XML, CUSTOM_XML_PROPS, PROPS_CONTENT, TAIL, blocks_xml, head_xml, is_store, props_xml
from .edits.unkeyed import SHOWN

MARK = re.compile(r'<w:bookmark(Start|End) w:id="([^"]*)"(?: w:name="([^"]*)")?/>|<w:bookmark(?:Start|End)\b')
# what edits.stamp handles and this does not: nested content, text boxes, tracked changes, pictures' text
UNUSUAL = re.compile(r"<(?:w:(?:sdt|txbxContent|customXml|smartTag|del|ins|moveFrom|moveTo|pict|object)"
                     r"|mc:AlternateContent)[\s/>]")
ROW_UNUSUAL = re.compile(UNUSUAL.pattern + r"|<w:tbl[\s>]")  # and, in a row, a nested table
CHANGE = re.compile(r"<w:\w+Change[\s/>]")  # searched apart, where "Change" is: it is slow to look for
STORE_BATCH = 1000  # blocks written to the store part's deflater at a time
PREFIX = re.compile(r'\s(\w+):[\w-]+="')  # an attribute's namespace prefix
CELL = re.compile(r"<w:tc(?:\s[^>]*?)?(/?)>")
STYLE = re.compile(r'<w:pPr>(?:(?!</w:pPr>).)*?<w:pStyle w:val="([^"]*)"/>', re.S)
PPR_END = re.compile(r"<w:pPr/>|<w:pPr>.*?</w:pPr>", re.S)


class Unusual(Exception):
    """The body holds something only edits.stamp handles."""


class Stamper:
    """Feed it the body's XML in pieces (`feed`, then `close`); it returns the body with its keys finalized
    and writes the store part as it goes (`store_part`), as edits.stamp writes it for the workbook's
    fingerprint `workbook` and the report's `subject`."""

    def __init__(self, head: str, workbook: str, subject: str):
        # the namespaces in scope (the body's start tag repeats the document's, as lxml wrote the template's body)
        self.declared = dict(re.findall(r'\sxmlns:(\w+)=("[^"]*")', head[head.index("<w:document"):]))
        self.declarations: dict[tuple[str, ...], str] = {}
        self.buffer, self.table = "", False
        self.count = 0  # blocks stored
        self.store, self.stored = opc.Deflater(), []  # the part; its blocks not yet written
        self.store.feed(head_xml(workbook, subject).encode("utf-8"))
        cell = ("<w:tc" + self._namespaces(("w",))).encode("ascii", "xmlcharrefreplace")
        # a <w:tc> cell's markup starts so; its digest goes on from there (unless an rsid is declared in it)
        self.tc = None if b" w:rsid" in cell else hashlib.sha1(cell)
        self.junctions, self.cells = keyrows.Junctions(self.tc, _modelled), keyrows.Cells()
        self.seen: dict[str, int] = {}  # key -> times met (a key met again is KEY@2 …)
        self.autos: set[str] = set()  # the keys given to paragraphs the template left without one
        self.number = 0  # the last bookmark id given
        self.opened: dict[str, list[int]] = {}  # another bookmark's id -> the new ids of its open starts
        self.names: set[str] = set()
        self.waiting: tuple[str, int] | None = None  # a key start's id, and the new id its end gets
        self.pending: list | None = None  # a key's paragraphs until the one with its end: [key, texts, markup]

    # ---- the stream --------------------------------------------------------------------------------
    def feed(self, xml: str) -> str:
        """Return the stamped body for the complete paragraphs and rows in what was fed so far."""
        self.buffer += xml
        out, pos, buffer = [], 0, self.buffer
        while True:
            found = TOKEN.search(buffer, pos)
            if found is None:
                break
            closing, name, empty = found.group(1), found.group(2), found.group(3)
            if self.table:
                if closing and name == "tbl":
                    out.append(self._between(buffer[pos:found.start()]) + found.group(0))
                    self.table, pos = False, found.end()
                    continue
                if name != "tr" or closing:
                    raise Unusual(f"表格中的 {found.group(0)}")
                stop = buffer.find("</w:tbl>", found.end())  # the rows up to the table's end, or all there are
                end = buffer.rfind("</w:tr>", found.end(), len(buffer) if stop < 0 else stop)
                end = buffer.find("</w:tr>", found.end()) if end < 0 else end  # (a table's end in the row: nested)
                if end < 0:
                    break
                out += [self._between(buffer[pos:found.start()]), self.rows(buffer[found.start():end + 7])]
                pos = end + 7
                continue
            if name == "tbl" and not closing:
                if self.pending is not None:
                    raise Unusual("段落书签跨越表格")
                out += [self._between(buffer[pos:found.start()]), found.group(0)]
                self.table, pos = True, found.end()
                continue
            if name != "p" or closing:
                raise Unusual(found.group(0))
            end = found.end() if empty else buffer.find("</w:p>", found.end())
            if end < 0:
                break
            end += 0 if empty else 6
            out += [self._between(buffer[pos:found.start()]), self.paragraph(buffer[found.start():end])]
            pos = end
        self.buffer = buffer[pos:]
        return "".join(out)

    def close(self) -> str:
        """Return the rest of the body; raises Unusual when a bookmark was left without its pair."""
        rest = self._between(self.buffer)
        self.buffer = ""
        if self.table or self.waiting or self.pending is not None or any(self.opened.values()):
            raise Unusual("书签未成对")
        return rest

    def _between(self, xml: str) -> str:
        """Text outside paragraphs and cells (the body's sectPr, a table's properties): nothing to stamp."""
        if _unusual(xml):
            raise Unusual("段落之外的书签")
        return _outside(xml)

    # ---- paragraphs and cells ---------------------------------------------------------------------
    def paragraph(self, xml: str) -> str:
        """A body paragraph, stamped: a block, part of the block above it, an unkeyed block or no block."""
        if _unusual(xml):
            raise Unusual("段落中有本流程不处理的内容")
        style = STYLE.match(xml, xml.index(">") + 1)
        if style and TOC_STYLE.match(unescape(style.group(1))):
            if "<w:bookmark" in xml or self.pending is not None:
                raise Unusual("目录中的书签")
            return xml
        if self.pending is not None:  # the paragraphs of a key's text split into several
            if f'w:name="{READABLE}' in xml:
                raise Unusual("段落书签没有结尾")
            stamped, plain, _ = self.marks(xml, "p")
            self.pending[1].append(paragraph_text(xml))
            self.pending[2].append(self._markup(plain))
            if self.waiting is None:
                self._store(self.pending[0], "p", PARAGRAPH_BREAK.join(self.pending[1]), _digest(self.pending[2]))
                self.pending = None
            return stamped
        if f'w:name="{READABLE}' in xml:
            stamped, plain, key = self.marks(xml, "p")
            if self.waiting is None:
                self._store(key, "p", paragraph_text(xml), _digest([self._markup(plain)]))
            else:
                self.pending = [key, [paragraph_text(xml)], [self._markup(plain)]]
            return stamped
        text = paragraph_text(xml)
        if not text.strip():
            return self.marks(xml, "p")[0]
        return self.unkeyed(xml, text)

    def unkeyed(self, xml: str, text: str) -> str:
        """A paragraph of the template's own with text and no key: keyed `auto/` + its text, as edits.unkeyed."""
        key = unique = "auto/" + text.strip()[:SHOWN]
        n = 1
        while unique in self.autos:
            n += 1
            unique = f"{key}@{n}"
        self.autos.add(unique)
        self.number += 1
        number, name = self.number, bookmark_name(self.count)
        start = xml.index(">") + 1
        properties = PPR_END.match(xml, start)
        at = properties.end() if properties else start
        stamped, plain, _ = self.marks(xml[:at] + f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>' + xml[at:],
                                       "p", skip=1)
        self._store(unique, "p", text, _digest([self._markup(plain)]))
        return stamped[:-len("</w:p>")] + f'<w:bookmarkEnd w:id="{number}"/></w:p>'

    def rows(self, xml: str) -> str:
        """A run of table rows, stamped: each cell is a block."""
        stamped = self.written_rows(xml)
        if stamped is not None:
            return stamped
        if _unusual(xml, ROW_UNUSUAL):
            raise Unusual("表格行中有本流程不处理的内容")
        out, pos = [], 0
        while (found := TOKEN.search(xml, pos)) is not None:
            if found.group(1) or found.group(2) != "tr":
                raise Unusual(f"表格中的 {found.group(0)}")
            end = xml.find("</w:tr>", found.end()) + 7
            out += [self._between(xml[pos:found.start()]), self.row(xml[found.start():end])]
            pos = end
        return "".join(out)

    def row(self, xml: str) -> str:
        """A table row of a run `rows` did not stamp at once, stamped: each cell is a block."""
        stamped = self.written_rows(xml)
        if stamped is not None:
            return stamped
        out, pos = [], 0
        while (cell := CELL.search(xml, pos)) is not None:
            begin = cell.start()
            out.append(_outside(xml[pos:begin]))
            end = xml.index(">", begin) + 1
            end = end if xml[end - 2] == "/" else xml.index("</w:tc>", end) + 7
            out.append(self.cell(xml[begin:end]))
            pos = end
        out.append(_outside(xml[pos:]))
        return "".join(out)

    def written_rows(self, xml: str) -> str | None:
        """The run of rows `xml` stamped, if each of its cells is as the template writes it (keyrows) and it holds
        nothing unusual and no rsid; None, having done nothing, for another."""
        if self.tc is None or self.waiting is not None:
            return None
        cells = keyrows.cut(xml, _modelled)
        read = cells and self.junctions.read(cells.junctions)
        if not read:
            return None
        n = len(cells.held)
        texts, digests = self.cells.read(read, cells.held)
        self.stored.extend(zip(self._keys(cells.names, cells.keys), repeat("cell"), texts, digests))
        stamped = keyrows.stamped(cells, self.number + 1, self.count)
        self.number += n
        self.count += n
        if len(self.stored) >= STORE_BATCH:
            self._flush()
        return stamped

    def _keys(self, names: list[str], keys: list[str | None]) -> list[str]:
        """The keys of a run's key bookmarks named `names`, each counted as met; `keys` as keyrows.cut reads them."""
        joined = "".join(names)
        if "&" in joined or f"{READABLE}auto/" in joined:
            return [self._key(unescape(name)) for name in names]
        keys = keys if None not in keys else readable_keys(names)
        fresh = dict.fromkeys(keys, 1)
        if len(fresh) < len(names) or not self.seen.keys().isdisjoint(fresh):  # a key met again
            return [self._key(name) for name in names]
        self.seen.update(fresh)
        return keys

    def cell(self, cell: str) -> str:
        """Any other cell, stamped: a block."""
        stamped, plain, key = self.marks(cell, "cell")
        if key is None or self.waiting is not None:
            raise Unusual("单元格没有键或书签未在单元格内结束")
        self._store(key, "cell", cell_text(cell), _digest([self._markup(plain, cell=True)]))
        return stamped

    # ---- bookmarks --------------------------------------------------------------------------------
    def marks(self, xml: str, holder: str, skip: int = 0) -> tuple[str, str, str | None]:
        """Return `xml` with its bookmarks named and numbered (the first `skip` are new, already numbered),
        `xml` without its bookmarks, and the block's key (None when it has none)."""
        stamped, plain, key, pos = [], [], None, 0
        for m in MARK.finditer(xml):
            stamped.append(xml[pos:m.start()])
            plain.append(xml[pos:m.start()])
            pos = m.end()
            if m.group(1) is None:
                raise Unusual(f"书签格式：{m.group(0)}")
            if skip:
                skip -= 1
                stamped.append(m.group(0))
                continue
            kind, old, name = m.groups()
            if kind == "End":
                stamped.append(f'<w:bookmarkEnd w:id="{self._end(old)}"/>')
                continue
            self.number += 1
            if name is not None and name.startswith(READABLE):
                if key is not None or self.waiting is not None:
                    raise Unusual("一个块中有两个键")
                key, self.waiting = self._key(unescape(name)), (old, self.number)
                name = bookmark_name(self.count)
            elif name is None or NAME.match(unescape(name)) or name in self.names:
                raise Unusual(f"书签名：{name}")
            else:
                self.names.add(name)
                self.opened.setdefault(old, []).append(self.number)
            stamped.append(f'<w:bookmarkStart w:id="{self.number}" w:name="{name}"/>')
        if holder == "cell" and self.waiting is not None:
            raise Unusual("单元格书签没有结尾")
        stamped.append(xml[pos:])
        plain.append(xml[pos:])
        return "".join(stamped), "".join(plain), key

    def _end(self, old: str) -> int:
        """The new id of a bookmark end: its key start's, else its start's (the first still open of its id)."""
        if self.waiting is not None and self.waiting[0] == old:
            number, self.waiting = self.waiting[1], None
            return number
        if not self.opened.get(old):
            raise Unusual(f"书签结尾没有开头：{old}")
        return self.opened[old].pop(0)

    def _key(self, name: str) -> str:
        key = readable_key(name)
        if key.startswith("auto/"):
            raise Unusual("模板的键以 auto/ 开头")
        times = self.seen[key] = self.seen.get(key, 0) + 1
        return key if times == 1 else f"{key}@{times}"

    # ---- the store ------------------------------------------------------------------------------------
    def _markup(self, xml: str, cell: bool = False) -> bytes:
        """The element's markup as edits.ooxml.digest reads it, from `xml` without its bookmarks: written alone
        by lxml (its ancestors' namespaces declared on it, ASCII with character references), rsids removed,
        a cell's properties too."""
        close = xml.index(">")
        at = close - 1 if xml[close - 1] == "/" else close
        space = xml.find(" ", 0, at)
        used = ("w",) + tuple(PREFIX.findall(xml, space, at)) if space > 0 else ("w",)
        at = space if space > 0 else at
        return _cleaned((xml[:at] + self._namespaces(used) + xml[at:]).encode("ascii", "xmlcharrefreplace"), cell)

    def _namespaces(self, used: tuple[str, ...]) -> str:
        """The declarations lxml writes on a subtree: the namespaces of its tag and attributes first (in their
        order), then the others its ancestors declare."""
        if used not in self.declarations:
            first = list(dict.fromkeys(u for u in used if u in self.declared))
            order = first + [prefix for prefix in self.declared if prefix not in first]
            self.declarations[used] = "".join(f" xmlns:{prefix}={self.declared[prefix]}" for prefix in order)
        return self.declarations[used]

    def _store(self, key: str, kind: str, text: str, digest: str) -> None:
        self.stored.append((key, kind, text, digest))
        self.count += 1
        if len(self.stored) >= STORE_BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the blocks stored so far to the store part."""
        self.store.feed(blocks_xml(self.stored).encode("utf-8"))
        self.stored = []

    def store_part(self) -> opc.Compressed:
        """The store part, deflated, once the body is closed."""
        self.store.feed((blocks_xml(self.stored) + TAIL).encode("utf-8"))
        return self.store.close()


def _outside(xml: str) -> str:
    """Return text outside paragraphs and cells, which holds no bookmark; raise Unusual when it does."""
    if "<w:bookmark" in xml:
        raise Unusual("段落之外的书签")
    return xml


def _modelled(markup: str) -> bool:
    """Whether written_rows stamps what a run of rows holds in `markup`: nothing unusual, no nested table and
    no rsid (written_rows does not take them out of digests)."""
    return " w:rsid" not in markup and not _unusual(markup, ROW_UNUSUAL)


def _unusual(xml: str, tags: re.Pattern = UNUSUAL) -> bool:
    """Whether `xml` holds what only edits.stamp handles (`tags`, or a tracked change of properties)."""
    return tags.search(xml) is not None or "Change" in xml and CHANGE.search(xml) is not None


def _digest(markup: list[bytes]) -> str:
    """A block's digest, from the markup of its paragraphs or its cell (as edits.ooxml.digest)."""
    hasher = hashlib.sha1()
    for piece in markup:
        hasher.update(piece)
    return hasher.hexdigest()[:8]


def _cleaned(markup: bytes, cell: bool) -> bytes:
    """Markup without its rsids and bookmarks, a cell's without its properties too."""
    if b" w:rsid" in markup:
        markup = MARKS.sub(b"", markup)
    return CELL_PROPERTIES.sub(b"", markup, count=1) if cell and b"<w:tcPr" in markup else markup


def with_store(entries: list[tuple[str, object]], store: bytes | opc.Compressed, main: str) -> list[tuple[str, object]]:
    """Return the zip entries with the store added after them, as edits.store.attach adds it to the package
    (the item and its properties, a relationship from the main part to the item; an Override for the
    properties' content type). Raises Unusual when the template already holds a custom XML item of that number
    without its properties, or a store."""
    names = {name for name, _ in entries}
    number = next(n for n in range(1, len(names) + 2) if f"customXml/item{n}.xml" not in names)
    item, props = f"customXml/item{number}.xml", f"customXml/itemProps{number}.xml"
    if props in names or any(name.startswith("customXml/item") and is_store(_head(data)) for name, data in entries):
        raise Unusual(f"{props} 已存在")
    main_rels, out = rels_name(main), []
    for name, data in entries:
        if name == CONTENT_TYPES:
            data = data.replace(b"</Types>", f'<Override PartName="/{props}" ContentType="{PROPS_CONTENT}"/>'
                                             f"</Types>".encode())
        elif name == main_rels:
            data = _related(data, CUSTOM_XML, posixpath.relpath(item, posixpath.dirname(main)))
        out.append((name, data))
    return out + [(item, store), (props, props_xml()),
                  (rels_name(item), relationships_xml([Relationship("rId1", CUSTOM_XML_PROPS, f"itemProps{number}.xml")]))]


def _head(data: bytes | opc.Compressed) -> bytes:
    """The first bytes of a part, deflated ahead or not."""
    return zlib.decompressobj(-15).decompress(data.data, 512) if isinstance(data, opc.Compressed) else data[:512]


def _related(rels: bytes, type_: str, target: str) -> bytes:
    """A relationships part with one more relationship, its id the first rIdN it does not use."""
    taken = set(re.findall(rb'Id="([^"]*)"', rels))
    rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}".encode() not in taken)
    added = f'<Relationship Id="{rid}" Type="{type_}" Target="{target}"/>'.encode()
    return rels.replace(b"</Relationships>", added + b"</Relationships>")

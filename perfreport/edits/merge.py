"""Merge an edited report into a new build, block by block, three ways.

For every block of the new build (generated-now) whose key the store of the
edited report knows (generated-then) and the edited report still holds
(edited-now):

- untouched (its markup is as generated)      -> the new block;
- generated text unchanged                    -> the editor's block, runs and formatting as they are;
- only formatting edited, generated changed   -> the editor's runs with the new text put in;
- edited, and generated changed               -> a conflict: the editor's block, the generator's
                                                 changes in it as tracked changes by perfreport;
- deleted by the editor                       -> stays deleted (noted when its data changed).

New blocks (new data) come as built. What the editor inserted, and a
paragraph the editor moved (moves.py), goes after the block it followed. A block the data no longer has, but the editor edited,
comes back as a tracked deletion, so accepting it removes it and nothing of
the editor's is lost unseen.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from . import carrier, finish, match, moves, store
from .carrier import Block
from .diff3 import merge3
from .ooxml import BOOKMARK_END, BOOKMARK_START, P, TCPR, digest, has_revisions, q
from .package import Package, serialize
from .revise import Revisions, Unplaceable, apply, replace_all, touches_revision
from .transplant import Transplant

AUTHOR = "perfreport"
PERFREPORT_MARK = re.compile(r"_pr\d+$|_Toc\d+$")
VISIBLE = (q("drawing"), q("pict"), q("object"))


class NotMergeable(ValueError):
    """The old report cannot be merged (not perfreport's, or its store is gone); the message is for the user."""


@dataclass(frozen=True)
class Note:
    """Something the merge did that the user should know about, placed under its heading."""

    code: str  # conflict | deleted-changed | removed-edited | unplaced | pending | format-dropped
    heading: str
    message: str
    before: str = ""  # generated-then
    after: str = ""  # generated-now
    edited: str = ""  # the editor's text


@dataclass
class Merged:
    data: bytes
    notes: list[Note] = field(default_factory=list)
    carried: int = 0  # blocks and insertions of the editor's carried into the new build

    @property
    def conflicts(self) -> list[Note]:
        return [n for n in self.notes if n.code == "conflict"]


def heading_text(block: Block) -> str:
    return " › ".join(block.heading) or "（报告开头）"


def _date(package: Package) -> str:
    core = package.parts.get("docProps/core.xml", b"").decode("utf-8", "replace")
    found = re.search(r"<dcterms:created\b[^>]*>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", core)
    return (found.group(1) if found else "2000-01-01T00:00:00") + "Z"


def _strip_marks(elements) -> None:
    """Drop perfreport's own bookmarks (keys, 目录 targets) from copied content: the new block brings its own."""
    for element in elements:
        for mark in list(element.iter(BOOKMARK_START)):
            if PERFREPORT_MARK.match(mark.get(q("name"), "")):
                number = mark.get(q("id"))
                for end in [e for e in element.iter(BOOKMARK_END) if e.get(q("id")) == number]:
                    end.getparent().remove(end)
                mark.getparent().remove(mark)


def _own_marks(paragraphs) -> list:
    """Return copies of the perfreport bookmarks (start, end) a generated block's paragraphs hold."""
    ends = {e.get(q("id")): e for p in paragraphs for e in p.iter(BOOKMARK_END)}
    pairs = []
    for p in paragraphs:
        for start in p.iter(BOOKMARK_START):
            if PERFREPORT_MARK.match(start.get(q("name"), "")) and start.get(q("id")) in ends:
                pairs.append((copy.deepcopy(start), copy.deepcopy(ends[start.get(q("id"))])))
    return pairs


def _sections_out(elements) -> None:
    """Drop section breaks from copied paragraphs: the sections (page size, orientation, footers) are the build's."""
    for element in elements:
        for section in list(element.iter(q("sectPr"))):
            section.getparent().remove(section)


def _move_section(built: list, copies: list) -> None:
    """Give the copies (which have none) the built block's section break, on their last paragraph."""
    section = built[-1].find(f"{q('pPr')}/{q('sectPr')}") if built else None
    if section is None or not copies:
        return
    ppr = copies[-1].find(q("pPr"))
    if ppr is None:
        ppr = copies[-1].makeelement(q("pPr"), {})
        copies[-1].insert(0, ppr)
    change = ppr.find(q("pPrChange"))
    (change.addprevious if change is not None else ppr.append)(copy.deepcopy(section))


def _remark(paragraphs, pairs) -> None:
    first, last = paragraphs[0], paragraphs[-1]
    for start, end in reversed(pairs):
        first.insert(1 if first.find(q("pPr")) is not None else 0, start)
        last.append(end)


class _Merge:
    def __init__(self, new: Package, edited: Package, stored: store.Store, generated: store.Store):
        self.new = new
        self.root = new.xml(new.main())
        self.body = self.root.find(q("body"))
        self.built = carrier.read(self.body, generated.names())
        match.rekey(self.built, stored)
        self.edited_root = edited.xml(edited.main())
        self.edited = carrier.read(self.edited_root.find(q("body")), stored.names())
        match.recover(self.edited, stored)
        self.stored = stored.by_key()
        self.edited_by_key = {b.key: b for b in self.edited if b.key}
        self.built_by_key = {b.key: b for b in self.built if b.key}
        self.moved = moves.moved(self.edited, {b.key: i for i, b in enumerate(stored.blocks)
                                               if b.key in self.built_by_key})
        self.revisions = Revisions(AUTHOR, _date(new))
        self.transplant = Transplant(edited, new)
        self.notes: list[Note] = []
        self.carried = 0
        self.output: dict[str, object] = {}  # key -> the body-level paragraph that now ends the block
        self.installed: dict[str, list] = {}  # key -> the editor's paragraphs now in place of the built ones
        self.shown: dict[str, store.Generated] = {}  # bookmark name -> the generated text the report still shows

    # ---- one block ---------------------------------------------------------
    def copies(self, elements) -> list:
        """Return copies of the editor's elements, without perfreport's bookmarks or section breaks, references adopted."""
        copies = [copy.deepcopy(c) for c in elements]
        _strip_marks(copies)
        _sections_out(copies)
        for element in copies:
            self.transplant.adopt(element)
            for mark in element.iter(BOOKMARK_START, BOOKMARK_END):  # apart from the new build's ids
                mark.set(q("id"), "e" + mark.get(q("id"), ""))
        return copies

    def content(self, edited: Block) -> list:
        """Return copies of an edited block's content: its paragraphs, or a cell's children but its w:tcPr."""
        return self.copies(edited.elements if edited.kind == "p" else [c for c in edited.elements[0] if c.tag != TCPR])

    def install(self, built: Block, content: list) -> None:
        """Put `content` in place of a built block's, the built block's own bookmarks and section break with it."""
        pairs = _own_marks(built.paragraphs)
        _move_section(built.paragraphs, [c for c in content if c.tag == P])
        if built.kind == "p":
            for element in content:
                built.elements[0].addprevious(element)
            for p in built.elements:
                p.getparent().remove(p)
            self.output[built.key] = content[-1]
            self.installed[built.key] = content
        else:
            tc = built.elements[0]
            for child in [c for c in tc if c.tag != TCPR]:
                tc.remove(child)
            tc.extend(content)
        paragraphs = [c for c in content if c.tag == P]
        if paragraphs:
            _remark(paragraphs, pairs)

    def block(self, built: Block) -> None:
        was, edited = self.stored.get(built.key), self.edited_by_key.get(built.key)
        if was is None:
            return  # new data: as built
        if edited is None:
            self.deleted(built, was)
            return
        if digest(edited.elements) == was.digest:
            return  # untouched: as built
        content = self.content(edited)
        chunks = [] if was.text == built.text else merge3(was.text, edited.text, built.text)
        tracked = edited.text != was.text
        if chunks and has_revisions(edited.elements) and touches_revision([c for c in content if c.tag == P], chunks):
            self.note("pending", built, "新内容落在尚未处理的修订上，未标出，请先处理修订再对照新内容更新", was, edited)
            self.shown[built.name] = was  # the report still shows what was generated then
        elif chunks:
            paragraphs = [c for c in content if c.tag == P]
            try:
                apply(paragraphs, chunks, self.revisions if tracked else None)
            except Unplaceable:
                if not tracked:  # only formatting edited, and the new text has other paragraphs: as built
                    self.note("format-dropped", built, "编辑只改了格式，新数据增减了段落，已采用新生成的内容，"
                                                      "编辑的格式未带入（见 .bak.docx）", was, edited)
                    return
                content += replace_all(paragraphs, self.copies(built.paragraphs), self.revisions)
            if tracked:
                self.note("conflict", built, "编辑修改过，数据也有变化；保留编辑的文字，新内容以修订标出", was, edited)
        self.install(built, content)
        self.carried += 1

    def deleted(self, built: Block, was) -> None:
        """The editor deleted this block: it stays deleted (a cell is emptied; a row goes when all its cells went)."""
        if was.text != built.text:
            self.note("deleted-changed", built, "编辑删除了此处，其数据有变化（未恢复）", was, None)
        if built.kind == "p":
            for p in built.elements:
                if p.find(f"{q('pPr')}/{q('sectPr')}") is None:
                    p.getparent().remove(p)
                else:  # the paragraph that ends a section: its text goes, the section break stays
                    for child in [c for c in p if c.tag != q("pPr")]:
                        p.remove(child)
            return
        if built.row.getparent() is None:
            return
        row = [b.key for b in self.built if b.row is built.row and b.key in self.stored]
        if all(k not in self.edited_by_key for k in row):
            built.row.getparent().remove(built.row)
            return
        tc = built.elements[0]
        paragraphs = tc.findall(P)
        for p in paragraphs[1:]:
            tc.remove(p)
        for child in [c for c in paragraphs[0] if c.tag != q("pPr")]:
            paragraphs[0].remove(child)

    def note(self, code: str, built: Block, message: str, was, edited: Block | None) -> None:
        self.notes.append(Note(code, heading_text(built), message, was.text if was else "", built.text,
                               edited.text if edited else ""))

    # ---- what the editor added ----------------------------------------------------
    def anchor_of(self, block: Block):
        """Return the new body-level element after which content that followed `block` goes, or None."""
        built = self.built_by_key[block.key]
        element = self.output.get(block.key, built.elements[-1]) if built.kind == "p" else built.top
        return element if element.getparent() is not None else None

    def added(self) -> list:
        """Return (anchor, edited block, dropped by the data) for what the editor added, in document order."""
        template = _unkeyed_texts(self.built)
        keyed_tables = {id(b.top) for b in self.edited if b.kind == "cell" and b.key}
        anchor, found, tables = None, [], set()
        for block in self.edited:
            if block.key in self.moved and self.movable(block):
                found.append((anchor, block, False))
            if block.key in self.built_by_key:
                here = self.anchor_of(block)
                anchor = here if here is not None else anchor
            elif block.key is not None:
                if block.text != self.stored[block.key].text:
                    self.dropped(block, found, anchor)
            elif block.kind == "p" and _editors(block, template):
                found.append((anchor, block, False))
            elif block.kind == "cell" and id(block.top) not in keyed_tables:
                if id(block.top) not in tables:
                    tables.add(id(block.top))
                    found.append((anchor, block, False))
            elif block.kind == "cell":
                self.row(block)
        return found

    def movable(self, block: Block) -> bool:
        """Whether a paragraph the editor moved can follow them: it is in the new build and ends no section."""
        elements = self.installed.get(block.key, self.built_by_key[block.key].elements)
        return all(p.getparent() is self.body and p.find(f"{q('pPr')}/{q('sectPr')}") is None for p in elements)

    def dropped(self, block: Block, found: list, anchor) -> None:
        """An edited block the new data no longer has: a paragraph comes back as a tracked deletion."""
        was = self.stored[block.key].text
        if block.kind == "p":
            found.append((anchor, block, True))
            message = "数据中已没有这一段，编辑修改过的文字以修订（删除）保留，接受修订即删除"
        else:
            message = "数据中已没有这一单元格，编辑修改过的文字未带入（见 .bak.docx）"
        self.notes.append(Note("removed-edited", heading_text(block), message, was, "", block.text))

    def insertions(self) -> None:
        """Place the editor's paragraphs and tables after the block they followed."""
        placed: dict[int, object] = {}
        for anchor, block, dropped in self.added():
            if block.key in self.built_by_key:  # moved: the block as merged goes
                content = self.installed.get(block.key, self.built_by_key[block.key].elements)
            else:
                content = self.copies(block.elements if block.kind == "p" else [block.top])
            if dropped:
                replace_all([c for c in content if c.tag == P], [], self.revisions)
            after = placed.get(id(anchor), anchor)
            for element in content:
                if after is None:
                    self.body.insert(0, element)
                else:
                    after.addnext(element)
                after = element
            placed[id(anchor)] = after
            self.carried += 1

    def row(self, block: Block) -> None:
        """An unkeyed cell of a generated table: when its whole row is the editor's, place the row once."""
        if block.column != 0:
            return
        cells = [b for b in self.edited if b.row is block.row]
        if any(b.key for b in cells) or not any(b.text.strip() for b in cells):
            return
        previous = None
        for candidate in self.edited:
            if candidate is block:
                break
            if candidate.kind == "cell" and candidate.top is block.top and candidate.key in self.built_by_key:
                previous = self.built_by_key[candidate.key].row
        if previous is None or previous.getparent() is None:
            self.notes.append(Note("unplaced", heading_text(block), "编辑新增的表格行无法定位，未带入（见 .bak.docx）",
                                   edited=" | ".join(b.text for b in cells)))
            return
        previous.addnext(self.copies([block.row])[0])
        self.carried += 1

    # ---- the whole document ----------------------------------------------------------
    def run(self) -> None:
        for built in self.built:
            if built.key is not None:
                self.block(built)
        self.insertions()
        self.transplant.save()
        finish.drop_empty_tables(self.body)
        finish.renumber(self.body)
        finish.refresh_toc(self.body)
        for kind in self.transplant.notes:
            self.notes.append(Note("unplaced", "（全文）", f"编辑添加的 {kind} 无法带入（新报告已有同类部分），见 .bak.docx"))


def _unkeyed_texts(blocks: list[Block]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for block in blocks:
        if block.key is None and block.kind == "p":
            counts[block.text] = counts.get(block.text, 0) + 1
    return counts


def _editors(block: Block, template: dict[str, int]) -> bool:
    """Whether an unkeyed paragraph is the editor's: it has text or a picture, and the new build has no such text."""
    if not block.text.strip() and not any(True for p in block.elements for _ in p.iter(*VISIBLE)):
        return False
    if template.get(block.text, 0) > 0:
        template[block.text] -= 1
        return False
    return True


def _showing(generated: store.Store, shown: dict[str, store.Generated]) -> store.Store:
    """Return the new build's store with the blocks in `shown` recorded as generated then (text and digest)."""
    blocks = tuple(store.Generated(b.key, b.name, b.kind, shown[b.name].text, shown[b.name].digest)
                   if b.name in shown else b for b in generated.blocks)
    return store.Store(generated.workbook, blocks, generated.subject)


def merge(new: bytes, edited: bytes) -> Merged:
    """Return the new build with the edited report's changes carried over, and what the user should know.

    Raises NotMergeable when the edited report has no store (not written by
    perfreport, or the store was lost) or is about another subject (another
    department's or year's workbook), and PackageError when it is no .docx.
    """
    new_package, edited_package = Package.read(new), Package.read(edited)
    stored = store.find(edited_package)
    if stored is None:
        raise NotMergeable("原报告中没有 perfreport 保存的生成内容（不是 perfreport 生成的报告，或该部分已被删除），无法合并编辑的修改")
    generated = store.find(new_package)
    if generated is None:
        raise ValueError("新生成的报告没有保存生成内容：未调用 edits.stamp")
    if stored.subject and generated.subject and stored.subject != generated.subject:
        raise NotMergeable(f"原报告是“{stored.subject}”的报告，这次生成的是“{generated.subject}”的报告（另一份工作簿）："
                           "不是同一份报告，不合并")
    work = _Merge(new_package, edited_package, stored, generated)
    work.run()
    if work.shown:  # so that the next rebuild still finds the new data in them
        store.attach(new_package, _showing(generated, work.shown))
    if work.carried:
        work.root = finish.declare(work.root, work.edited_root)
        finish.mark_edited(new_package)
    new_package.parts[new_package.main()] = serialize(work.root)
    return Merged(new_package.write(), work.notes, work.carried)

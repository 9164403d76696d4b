"""The carrier of a block's key: a hidden bookmark around the block's text.

A generated paragraph (or run of paragraphs) and a generated table cell each
hold one bookmark named `_pr` + the block's place in the store, `_pr0`,
`_pr1` … (short: a report holds two thousand; the leading underscore hides
it in Word's bookmark dialog). The store part maps names back to keys, so a
name only means something together with the store of its own report. Bookmarks were chosen over
content controls after measuring both (benchmarks/carriers.py): they survive
run splitting, rewording, Enter and LibreOffice's round trip, and every
reader still sees the text, where LibreOffice 7.4 drops content controls.

The template writes a readable name first, `_prk` + KEY, optionally followed
by `|` and a tag naming the place in the template (`_prk{{b.key}}|h2`): Word
keeps only one of several bookmarks of one name, so the template's names are
unique, while the key (what precedes the last `|`) is the data's. Only
letters, digits and `_ . { } | ~ '` survive LibreOffice in a name (it encodes
`:` `/` `#` and turns spaces into `_`), and Word and LibreOffice cut names
at 40 characters: the template's names keep to both. `finalize` pairs each
readable start with its end (or gives it one), turns the names into the
hashed ones and returns the keys in order. `read` returns the ordered blocks
of any document, generated or edited.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ooxml import BOOKMARK_END, BOOKMARK_START, P, PPR, TBL, TC, TR, cell_paragraphs, paragraph_text, q, text_of

READABLE = "_prk"  # the template's names of key bookmarks start so; `finalize` replaces them
CARRIER = "_pr"  # and a block's number: the name of the bookmark that carries its key
NAME = re.compile(r"_pr\d+$")
HEADING = re.compile(r"Heading(\d)$|标题\s*(\d)$")
TOC_STYLE = re.compile(r"(TOC|toc|Contents|目录)\s*\d")
PART_TITLES = {"Title", "附件编号"}  # styles that begin a part no heading names (the 总览表, each 附件)
PART_SUBTITLE = "附件标题"  # the title that follows a 附件编号 ("附件5" → "附件5 …问题清单")


def bookmark_name(index: int) -> str:
    """Return the name of the bookmark that carries the key of the report's block number `index` (from 0)."""
    return f"{CARRIER}{index}"


def _pair(name: str, number: int | str):
    from lxml import etree  # here and below: a build streams its keys (perfreport.keystream), without a tree

    start = etree.Element(BOOKMARK_START, {q("id"): str(number), q("name"): name})
    return start, etree.Element(BOOKMARK_END, {q("id"): str(number)})


def mark(element, key: str, number: int | str = 0, name: str | None = None):
    """Put `key` on a generated w:p or w:tc: a bookmark from its first to its last paragraph's end; return its start.

    The bookmark gets the readable name `_prkKEY` unless `name` is given;
    `finalize` renames it, so `number` only needs to be an id.
    """
    paragraphs = [element] if element.tag == P else cell_paragraphs(element)
    start, end = _pair(name or READABLE + key, number)
    first = paragraphs[0]
    first.insert(1 if first.find(PPR) is not None else 0, start)
    paragraphs[-1].append(end)
    return start


def readable_key(name: str) -> str:
    """Return the key a readable name carries: what follows `_prk`, up to the last `|`."""
    rest = name[len(READABLE):]
    key, bar, _ = rest.rpartition("|")
    return key if bar else rest


TAG = re.compile(r"\|[^|\x00]*(?=\x00|\Z)")  # a readable name's tag, in names joined by NUL


def readable_keys(names: list[str]) -> list[str]:
    """Return the key each readable name carries, as readable_key (the names hold no NUL): read together."""
    joined = TAG.sub("", "\0".join(names))
    return joined[len(READABLE):].replace("\0" + READABLE, "\0").split("\0")


def _holder(element):
    """Return the w:tc an element is in, else the body-level w:p (its outermost paragraph)."""
    paragraph = None
    for ancestor in element.iterancestors():
        if ancestor.tag == TC:
            return ancestor
        if ancestor.tag == P:
            paragraph = ancestor
    return paragraph


def _follows(p, later) -> bool:
    """Whether body-level paragraph `later` is `p` or one of the paragraphs right after it."""
    while p is not None and p.tag == P:
        if p is later:
            return True
        p = p.getnext()
    return False


def _end_of(marks: list, i: int, holder):
    """Return the end of the readable start marks[i]: the first end of its id before the next key, in its place."""
    number = marks[i].get(q("id"))
    for mark in marks[i + 1:]:
        if mark.tag == BOOKMARK_START and mark.get(q("name"), "").startswith(READABLE):
            return None
        if mark.tag == BOOKMARK_END and mark.get(q("id")) == number:
            there = _holder(mark)
            if there is holder or (holder.tag == P and there is not None and _follows(holder, there)):
                return mark
    return None


def finalize(body) -> list[str]:
    """Pair the readable key bookmarks and name them `bookmark_name(i)` in document order; return the keys.

    A start pairs with the next end of its id in its cell (or in its
    paragraph and those right after it, where a text was split into
    paragraphs); one that lost its end (a vertical merge empties a cell)
    gets one at the end of its cell or paragraph. A key met again (a firm's
    template that places a text twice) becomes KEY@2, KEY@3 … in document
    order: a key identifies one block. Each pair gets an id of its own;
    finish.renumber numbers them with the rest.
    """
    marks = list(body.iter(BOOKMARK_START, BOOKMARK_END))
    keys: list[str] = []
    seen: dict[str, int] = {}
    for i, start in enumerate(marks):
        name = start.get(q("name"), "") if start.tag == BOOKMARK_START else ""
        if not name.startswith(READABLE):
            continue
        end = marks[i + 1] if i + 1 < len(marks) else None
        if end is None or end.tag != BOOKMARK_END or end.get(q("id")) != start.get(q("id")) \
                or end.getparent() is not start.getparent() or end.getparent().tag != P:  # not the usual pair
            holder = _holder(start)
            if holder is None:  # a key outside any paragraph: Word would not keep it
                start.getparent().remove(start)
                continue
            end = _end_of(marks, i, holder)
            if end is None:
                from lxml import etree

                end = etree.Element(BOOKMARK_END)
                (cell_paragraphs(holder)[-1] if holder.tag == TC else holder).append(end)
        number = f"k{len(keys)}"  # apart from every other bookmark until renumber
        start.set(q("id"), number)
        end.set(q("id"), number)
        key = readable_key(name)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}@{seen[key]}"
        keys.append(key)
        start.set(q("name"), bookmark_name(len(keys) - 1))
    return keys


def drop_strays(body, starts: set[int]) -> None:
    """Remove the key bookmarks that carry no block's key: a second one in a block (LibreOffice saves an empty
    bookmark as two starts, one of them unpaired). `starts` are the id()s of the blocks' own bookmark starts."""
    strays = [s for s in body.iter(BOOKMARK_START) if NAME.match(s.get(q("name"), "")) and id(s) not in starts]
    numbers = {s.get(q("id")) for s in strays}
    for end in [e for e in body.iter(BOOKMARK_END) if e.get(q("id")) in numbers]:
        end.getparent().remove(end)
    for start in strays:
        start.getparent().remove(start)


# ---- reading a document ------------------------------------------------------
@dataclass(eq=False)
class Block:
    """One block of a document, in document order.

    kind is "p" (body paragraphs; usually one) or "cell" (a table cell's
    content). key is None for content no generated key marks: an editor's
    insertion, or a block whose bookmark an editor's program dropped.
    """

    key: str | None
    kind: str
    elements: list  # the w:p elements (kind "p"), or [w:tc] (kind "cell")
    top: object  # the body-level element that holds the block (the w:p, or the w:tbl)
    heading: tuple[str, ...] = ()
    row: object | None = None  # the cell's w:tr
    column: int = 0  # the cell's index in its row
    name: str | None = None  # the carrier's bookmark name, when one was found
    start: object | None = None  # the carrier's w:bookmarkStart
    text: str = field(init=False)

    def __post_init__(self) -> None:
        paragraphs = cell_paragraphs(self.elements[0]) if self.kind == "cell" else self.elements
        self.text = text_of(paragraphs)

    @property
    def paragraphs(self) -> list:
        return cell_paragraphs(self.elements[0]) if self.kind == "cell" else self.elements


def _key_start(element):
    """Return the first key bookmark start inside `element` (outside nested tables), or None."""
    for start in element.iter(BOOKMARK_START):
        if NAME.match(start.get(q("name"), "")):
            return start
    return None


def _style(p) -> str:
    style = p.find(f"{PPR}/{q('pStyle')}")
    return style.get(q("val"), "") if style is not None else ""


def heading_level(p) -> int:
    """Return the heading level of a paragraph from its style (Heading1, 标题 1 …), 0 for body text."""
    found = HEADING.match(_style(p))
    return int(found.group(1) or found.group(2)) if found else 0


def is_toc(p) -> bool:
    """Whether the paragraph is an entry of the 目录 (regenerated by every build, never an editor's block)."""
    return bool(TOC_STYLE.match(_style(p)))


class _Reader:
    def __init__(self, names: dict[str, str]):
        self.names = names
        self.heading: tuple[str, ...] = ()
        self.numbered = False  # the last paragraph was an attachment's number
        self.blocks: list[Block] = []

    def key(self, start) -> tuple[str | None, str | None]:
        if start is None:
            return None, None
        name = start.get(q("name"))
        return self.names.get(name), name

    def place(self, p) -> None:
        """Follow the outline: a heading, or the title of a part without one (the 总览表, an attachment)."""
        level, style = heading_level(p), _style(p)
        if level:
            self.heading = self.heading[: level - 1] + (paragraph_text(p).strip(),)
        elif style in PART_TITLES:
            self.heading, self.numbered = (paragraph_text(p).strip(),), style != "Title"
            return
        elif style == PART_SUBTITLE and self.numbered and self.heading:
            self.heading = (f"{self.heading[0]} {paragraph_text(p).strip()}",)
        self.numbered = False

    def paragraphs(self, children: list, i: int) -> int:
        """Read the block starting at body-level paragraph children[i]; return the index after it."""
        p = children[i]
        self.place(p)
        start = _key_start(p)
        key, name = self.key(start)
        members = [p]
        if start is not None and not _holds_end(p, start):
            j = i + 1
            while j < len(children) and children[j].tag == P and _key_start(children[j]) is None:
                members.append(children[j])
                if _holds_end(children[j], start):
                    break
                j += 1
            else:  # no end before the next block: the bookmark's end was lost, the block is its first paragraph
                members = [p]
        self.blocks.append(Block(key, "p", members, p, self.heading, name=name, start=start))
        return i + len(members)

    def table(self, tbl) -> None:
        for tr in tbl.iterchildren(TR):
            for column, tc in enumerate(tr.iterchildren(TC)):
                start = _key_start(tc)
                key, name = self.key(start)
                self.blocks.append(Block(key, "cell", [tc], tbl, self.heading, tr, column, name, start))

    def body(self, container) -> None:
        children = [c for c in container if isinstance(c.tag, str)]
        i = 0
        while i < len(children):
            child = children[i]
            if child.tag == P:
                if is_toc(child):
                    i += 1
                    continue
                i = self.paragraphs(children, i)
                continue
            if child.tag == TBL:
                self.table(child)
            elif child.tag == BOOKMARK_START and NAME.match(child.get(q("name"), "")) and i + 1 < len(children) \
                    and children[i + 1].tag == P and _key_start(children[i + 1]) is None:
                # a program moved the key out of its paragraph, just before it: put it back in
                following = children[i + 1]
                following.insert(1 if following.find(PPR) is not None else 0, child)
            elif child.tag == q("sdt"):  # a content control an editor or Word put around body content
                content = child.find(q("sdtContent"))
                if content is not None:
                    self.body(content)
            i += 1


def _holds_end(p, start) -> bool:
    number = start.get(q("id"))
    return any(end.get(q("id")) == number for end in p.iter(BOOKMARK_END))


def read(body, names: dict[str, str]) -> list[Block]:
    """Return the blocks of a document body in order: paragraphs, and every cell of every table.

    `names` maps carrier bookmark names to keys (the store's). Entries of the
    目录 are skipped; empty paragraphs are blocks like any other (key None
    when nothing marks them).
    """
    reader = _Reader(names)
    reader.body(body)
    return reader.blocks

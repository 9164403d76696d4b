"""The rendered report read back as plain text blocks, each with where it stands.

The quality items look at the report as a reader does: the paragraphs and
table cells of the finished .docx, in order, not at the render context. A
block's place is the heading path it stands under (`一（一）3 资产情况`), a
table's its caption (`表1 固定资产明细表`), or the part of the report it is in
(封面, 总览表, 目录, 附件2, 呈报函).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ..numbering import TYPED

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CAPTION = re.compile(r"^表([0-9?]+)[：:](.*)$", re.S)
ATTACHMENT_LABEL = re.compile(r"^附件([0-9?]+)$")
NUMBER_MARKS = "、.．"


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int  # heading level 1–5; 0 for other paragraphs
    where: str
    zone: str  # 封面, 总览表, 目录, 正文, 附件, 呈报函
    style: str = ""


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # on the grid: a merged cell's text in every column and row it covers
    where: str
    zone: str


@dataclass
class Report:
    """The body of the report: paragraphs outside tables and the tables, each list in document order."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def zone(self, name: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.zone == name]

    @property
    def headings(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.level]

    def text(self, zone: str) -> str:
        """All text of a zone, paragraphs and cells, without whitespace."""
        parts = [p.text for p in self.zone(zone)] + ["".join(c for row in t.rows for c in row)
                                                      for t in self.tables if t.zone == zone]
        return re.sub(r"\s", "", "".join(parts))


def _styles(package: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """Return style id -> name, and the ids of paragraph styles that start a new page."""
    try:
        root = etree.fromstring(package.read("word/styles.xml"))
    except KeyError:
        return {}, set()
    names, breaking = {}, set()
    for style in root.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId")
        name = style.find(f"{W}name")
        names[style_id] = name.get(f"{W}val") if name is not None else style_id
        if _on(style.find(f"{W}pPr/{W}pageBreakBefore")):
            breaking.add(style_id)
    return names, breaking


def _on(element) -> bool:
    return element is not None and element.get(f"{W}val", "true") not in ("0", "false", "off")


def _text(element) -> str:
    """The visible text of a paragraph or cell: runs, tabs and line breaks; field codes and deletions left out."""
    out = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}tab":
            out.append("\t")
        elif node.tag == f"{W}p":
            if out:
                out.append("\n")
        elif node.get(f"{W}type") != "page":
            out.append("\n")
    return "".join(out)


def _level(name: str) -> int:
    match = re.fullmatch(r"heading ([1-5])", name.strip().lower())
    return int(match.group(1)) if match else (1 if name == "不编号标题" else 0)


def _rows(tbl) -> tuple[tuple[str, ...], ...]:
    """The table's cell texts on its grid; a vertically merged cell's text repeats down the rows it covers."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        row: list[str] = []
        for tc in tr.iterchildren(f"{W}tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = merge is not None and merge.get(f"{W}val", "continue") == "continue"
            text = _text(tc)
            if continued and rows and len(rows[-1]) > len(row):
                text = rows[-1][len(row)]
            row += [text] * int(span.get(f"{W}val", "1") if span is not None else 1)
        rows.append(row)
    return tuple(tuple(r) for r in rows)


def number_of(heading: str) -> tuple[str, str]:
    """Return a heading's number as typed (`（一）`) and its title without it."""
    for pattern in TYPED.values():
        match = pattern.match(heading)
        if match:
            return match.group(0), heading[match.end():].strip()
    return "", heading.strip()


def heading_place(path: list[str]) -> str:
    """`一（一）3 资产情况` for the headings 一、部门基本情况 > （一）部门概况 > 3.资产情况."""
    numbers = "".join(number_of(h)[0].strip(NUMBER_MARKS) for h in path)
    title = number_of(path[-1])[1]
    return f"{numbers} {title}" if numbers else title


class _Reader:
    """One pass over the body, knowing where the cover ends and the body begins."""

    def __init__(self, cover_end: int, body_start: int):
        self.cover_end, self.body_start = cover_end, body_start
        self.report = Report()
        self.zone, self.label = "封面", "封面"
        self.path: list[str] = []
        self.recent: list[str] = []  # the last paragraphs' texts, for a table's caption

    def enter(self, index: int, plain: str, new_page: bool) -> None:
        """Enter the part of the report element `index` starts: 总览表, the body, an attachment, the letter.

        After the attachments, a new page that is not an attachment's is the letter.
        """
        if index == self.cover_end:
            self.zone = self.label = "总览表"
        if index == self.body_start:
            self.zone, self.label, self.path = "正文", "正文", []
        elif ATTACHMENT_LABEL.match(plain) and self.zone in ("正文", "附件"):
            self.zone, self.label, self.path = "附件", plain, []
        elif new_page and self.zone == "附件":
            self.zone, self.label, self.path = "呈报函", "呈报函", []

    def paragraph(self, text: str, style: str, level: int) -> None:
        zone, where = self.zone, self.label
        if style.lower().startswith("toc"):
            zone, where, level = "目录", "目录", 0
        elif zone in ("正文", "附件", "呈报函"):
            if level:
                self.path = self.path[:level - 1] + [text.strip()]
            if self.path:
                where = heading_place(self.path) if zone != "附件" else f"{self.label} {heading_place(self.path)}"
        else:
            level = 0
        self.report.paragraphs.append(Paragraph(text, level, where, zone, style))
        plain = re.sub(r"\s", "", text)
        if plain:
            self.recent = (self.recent + [plain])[-3:]

    def table(self, tbl) -> None:
        rows = _rows(tbl)
        caption = next((CAPTION.match(t) for t in reversed(self.recent) if CAPTION.match(t)), None)
        if caption and self.zone == "正文":
            where = f"表{caption.group(1)} {caption.group(2)}"
        elif self.path and self.zone == "正文":
            where = heading_place(self.path)
        else:
            where = self.label
        self.report.tables.append(Table(rows, where, self.zone))
        self.recent = []


def _breaks(p, style_id: str, breaking: set[str]) -> bool:
    return (_on(p.find(f"{W}pPr/{W}pageBreakBefore")) or style_id in breaking
            or any(br.get(f"{W}type") == "page" for br in p.iter(f"{W}br")))


def _blocks(container):
    """The paragraphs and tables of the body in order, those inside content controls (w:sdt) included."""
    for child in container.iterchildren(f"{W}p", f"{W}tbl", f"{W}sdt"):
        if child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield child


def read(data: bytes, title: str) -> Report:
    """Return the report in the .docx `data`; `title` is the report's title, where the body begins.

    The cover is what comes before the first page break; the body begins at
    the last paragraph reading `title` before the first heading (else at that
    heading); between them stand the 总览表 and the 目录.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names, breaking = _styles(package)
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    title = re.sub(r"\s", "", title)
    elements, section_ended = [], False
    for child in _blocks(body):
        if child.tag == f"{W}tbl":
            elements.append((child, "", "", 0, section_ended))
            section_ended = False
            continue
        style_id = child.find(f"{W}pPr/{W}pStyle")
        style_id = style_id.get(f"{W}val") if style_id is not None else ""
        style, text = names.get(style_id, style_id), _text(child)
        level = _level(style) if text.strip() and not style.lower().startswith("toc") else 0
        new_page = section_ended or _breaks(child, style_id, breaking)
        elements.append((child, text, style, level, new_page and bool(text.strip())))
        # the next element starts a new page after a section's last paragraph; an empty paragraph passes it on
        section_ended = child.find(f"{W}pPr/{W}sectPr") is not None or (new_page and not text.strip())
    first_heading = next((i for i, e in enumerate(elements) if e[3]), len(elements))
    body_start = next((i for i in range(first_heading - 1, -1, -1)
                       if re.sub(r"\s", "", elements[i][1]) == title), first_heading)
    cover_end = min(next((i for i, e in enumerate(elements) if e[4]), body_start), body_start)
    reader = _Reader(cover_end, body_start)
    for index, (element, text, style, level, new_page) in enumerate(elements):
        reader.enter(index, re.sub(r"\s", "", text), new_page)
        if element.tag == f"{W}tbl":
            reader.table(element)
        else:
            reader.paragraph(text, style, level)
    return reader.report

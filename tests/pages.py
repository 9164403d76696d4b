"""Measure a report's pages as LibreOffice lays them out: how full each page is, what ends it.

`Pages.of(docx_bytes)` converts the report to PDF with LibreOffice (soffice),
reads every text line's box with poppler's `pdftotext -bbox-layout`, and
relates the pages to what the .docx says: its margins, where its parts begin
(a page break or a section break before a paragraph), its captions and its
cover title. Page numbers here count from 1 at the cover.

Used by tests/test_pages.py and, run as a script, to print the measurements:
    python tests/pages.py REPORT.docx
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from perfreport import pdf  # noqa: E402
from perfreport.layout import break_inside, is_value  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TWIPS_PER_PT = 20
CAPTION_STYLES = ("表题", "表单位", "附件编号", "附件标题")
COVER_TITLE_STYLE = "封面标题"
FOOTER = re.compile(r"^—\d+—$")  # the page number, wherever the footer sits


def flat(text: str) -> str:
    """Return `text` without white space or invisible joiners (LibreOffice and pdftotext space CJK text differently)."""
    return re.sub("[\\s\u200b-\u200d\u2060\ufeff]+", "", text)


@dataclass(frozen=True)
class Line:
    text: str  # flattened
    top: float  # points from the top of the page
    bottom: float
    left: float = 0.0
    right: float = 0.0

    def continued_by(self, other: "Line") -> bool:
        """Return whether `other` could be the next line of the same paragraph: just below, overlapping across."""
        height = self.bottom - self.top
        return (self.top + height / 2 < other.top < self.bottom + height * 0.6
                and other.left < self.right and self.left < other.right)


@dataclass
class Page:
    number: int  # 1 = the cover
    width: float
    height: float
    lines: list[Line]  # body lines only (the footer is left out), top to bottom
    top_margin: float
    bottom_margin: float

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def fill(self) -> float:
        """Return how far down the text block the page's text reaches, 0 (empty) to 1 (full)."""
        if not self.lines:
            return 0.0
        block = self.height - self.top_margin - self.bottom_margin
        return max(0.0, min(1.0, (self.lines[-1].bottom - self.top_margin) / block))

    @property
    def last_line(self) -> str:
        return self.lines[-1].text if self.lines else ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str  # style id
    starts_page: bool  # a page break or a new section puts it at the top of a page
    in_table: bool = False


@dataclass
class Pages:
    pages: list[Page]
    paragraphs: list[Paragraph] = field(repr=False)
    part_starts: list[int]  # page numbers on which a part (a page-breaking paragraph) begins

    # ---- building ---------------------------------------------------------
    @classmethod
    def of(cls, docx: bytes) -> "Pages":
        """Convert `docx` with LibreOffice and measure its pages."""
        return cls.measure(docx, pdf.convert(docx))

    @classmethod
    def measure(cls, docx: bytes, pdf_bytes: bytes) -> "Pages":
        """Measure the pages of `pdf_bytes`, LibreOffice's rendering of `docx`."""
        paragraphs, margins = _read_docx(docx)
        pages = []
        for number, (width, height, boxes) in enumerate(_pdf_lines(pdf_bytes), start=1):
            top, bottom = margins.get(width > height, (0.0, 0.0))
            body = [line for line in boxes if line.top < height - bottom and not FOOTER.match(line.text)]
            pages.append(Page(number, width, height, body, top, bottom))
        return cls(pages, paragraphs, _part_starts(pages, paragraphs))

    # ---- measurements -----------------------------------------------------
    def part_ends(self) -> set[int]:
        """Return the pages that end a part: the page before each part start, and the last page."""
        return {start - 1 for start in self.part_starts if start > 1} | {len(self.pages)}

    def underfilled(self, threshold: float = 0.4) -> dict[int, float]:
        """Return page -> fill of the pages below `threshold` that do not end a part."""
        ends = self.part_ends()
        return {p.number: round(p.fill, 2) for p in self.pages if p.fill < threshold and p.number not in ends}

    def torn_tails(self, threshold: float = 0.4) -> dict[int, float]:
        """Return page -> fill of the parts' last pages below `threshold` that hold only the tail of a table.

        Such a page begins inside a table the page before ends in: the table's
        last rows went on alone (the 总览表's score block on a page of its own).
        """
        cells = self.cell_text()
        torn = {}
        for number in sorted(self.part_ends() - set(self.part_starts)):
            page, before = self.pages[number - 1], self.pages[number - 2]
            if (page.lines and before.lines and page.fill < threshold
                    and page.lines[0].text in cells and before.lines[-1].text in cells):
                torn[number] = round(page.fill, 2)
        return torn

    def mid_token_breaks(self) -> dict[int, list[str]]:
        """Return page -> the line breaks ("≥40|%") in table cells that split a token.

        Two lines are one cell paragraph wrapped when the second sits just below
        the first, overlaps it across, the two together are part of one cell
        paragraph of the .docx, and the first is not a whole cell paragraph
        itself (one-line cells in a column would pass for a wrapped one). A
        break splitting a number or a Latin word counts in any cell, one
        between a number and its unit in a value (perfreport.layout.is_value):
        in running text that is ordinary CJK line breaking.
        """
        cells = self.cell_text()
        whole = set(cells.split("\n"))
        found: dict[int, list[str]] = {}
        for page in self.pages:
            for index, line in enumerate(page.lines):
                following = next((other for other in page.lines[index + 1:] if line.continued_by(other)), None)
                if following is None or line.text in whole:
                    continue
                joined = line.text + following.text
                places = [(paragraph, at) for paragraph, at in _occurrences(cells, joined)]
                if not places:
                    continue
                paragraph, at = min(places, key=lambda place: len(place[0]))  # the most specific cell
                kind = break_inside(paragraph, at + len(line.text))
                if kind in ("number", "word") or (kind == "unit" and is_value(paragraph)):
                    found.setdefault(page.number, []).append(f"{line.text}|{following.text}")
        return found

    def cell_text(self) -> str:
        """Return the flattened text of every table cell paragraph, one a line."""
        return "\n".join(flat(p.text) for p in self.paragraphs if p.in_table) + "\n"

    def captions_at_bottom(self) -> dict[int, str]:
        """Return page -> caption, for the pages whose last body lines are a whole caption or unit line."""
        captions = {flat(p.text) for p in self.paragraphs if p.style in CAPTION_STYLES and flat(p.text)}
        found = {}
        for page in self.pages:
            texts = [line.text for line in page.lines]
            for k in range(1, min(3, len(texts)) + 1):  # a caption may wrap onto a second or third line
                if "".join(texts[-k:]) in captions:
                    found[page.number] = "".join(texts[-k:])
        return found

    def part_pages(self, style: str) -> list[int]:
        """Return the pages of the part that begins with a paragraph of `style` (e.g. 目录标题)."""
        starts = [p for p in self.paragraphs if p.starts_page and flat(p.text)]
        for index, paragraph in enumerate(starts):
            if paragraph.style == style and index < len(self.part_starts):
                first = self.part_starts[index]
                last = self.part_starts[index + 1] - 1 if index + 1 < len(self.part_starts) else len(self.pages)
                return list(range(first, last + 1))
        return []

    def cover_title_lines(self) -> list[str]:
        """Return the cover title as LibreOffice broke it into lines."""
        title = "".join(flat(p.text) for p in self.paragraphs if p.style == COVER_TITLE_STYLE)
        if not title or not self.pages:
            return []
        return [line.text for line in self.pages[0].lines if line.text and line.text in title]

    def report(self) -> str:
        """Return the measurements as text, one page a line."""
        ends, captions = self.part_ends(), self.captions_at_bottom()
        rows = []
        for p in self.pages:
            marks = ("part-start " if p.number in self.part_starts else "") + ("part-end " if p.number in ends else "")
            marks += f"caption-at-bottom:{captions[p.number]}" if p.number in captions else ""
            rows.append(f"{p.number:3d} {'L' if p.landscape else 'P'} fill {p.fill:4.0%} {marks}".rstrip())
        return "\n".join(rows)


def _occurrences(text: str, part: str):
    """Yield (line, offset) for every occurrence of `part` in the lines of `text`."""
    at = text.find(part)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        yield text[start:text.find("\n", at)], at - start
        at = text.find(part, at + 1)


# ---- the .docx ---------------------------------------------------------------
def _read_docx(docx: bytes) -> tuple[list[Paragraph], dict[bool, tuple[float, float]]]:
    """Return the document's paragraphs in order and (top, bottom) margins in points by orientation."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    breaking = _page_breaking_styles(styles)
    body = document.find(f"{W}body")
    paragraphs, new_page = [], True
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else "Normal"
        direct = p.find(f"{W}pPr/{W}pageBreakBefore")
        breaks = (direct.get(f"{W}val", "1") not in ("0", "false")) if direct is not None else style_id in breaking
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if flat(text):
            in_table = any(ancestor.tag == f"{W}tc" for ancestor in p.iterancestors())
            paragraphs.append(Paragraph(text, style_id, new_page or breaks, in_table))
            new_page = False
        section = p.find(f"{W}pPr/{W}sectPr")
        if section is not None:
            kind = section.find(f"{W}type")
            new_page = new_page or kind is None or kind.get(f"{W}val") in ("nextPage", "evenPage", "oddPage")
    margins: dict[bool, tuple[float, float]] = {}
    for section in body.iter(f"{W}sectPr"):
        size, margin = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
        if size is None or margin is None:
            continue
        landscape = int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
        margins.setdefault(landscape, (int(margin.get(f"{W}top")) / TWIPS_PER_PT,
                                       int(margin.get(f"{W}bottom")) / TWIPS_PER_PT))
    return paragraphs, margins


def _page_breaking_styles(styles) -> set[str]:
    """Return the ids of the paragraph styles that set pageBreakBefore (directly or through basedOn)."""
    own, based = {}, {}
    for style in styles.iter(f"{W}style"):
        sid = style.get(f"{W}styleId")
        flag = style.find(f"{W}pPr/{W}pageBreakBefore")
        if flag is not None:
            own[sid] = flag.get(f"{W}val", "1") not in ("0", "false")
        parent = style.find(f"{W}basedOn")
        if parent is not None:
            based[sid] = parent.get(f"{W}val")

    def breaks(sid: str, depth: int = 0) -> bool:
        if sid in own or depth > 20:
            return own.get(sid, False)
        return sid in based and breaks(based[sid], depth + 1)
    return {sid for sid in {*own, *based} if breaks(sid)}


# ---- the PDF -------------------------------------------------------------------
def _pdf_lines(pdf_bytes: bytes) -> list[tuple[float, float, list[Line]]]:
    """Return (width, height, lines top to bottom) for every page of the PDF."""
    with tempfile.TemporaryDirectory(prefix="perfreport-pages-") as work:
        path = Path(work) / "report.pdf"
        path.write_bytes(pdf_bytes)
        run = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, timeout=300,
                             check=True)
    root = etree.fromstring(run.stdout, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    pages = []
    for page in root.iter(f"{XHTML}page"):
        lines = [Line(flat(" ".join(w.text or "" for w in line.iter(f"{XHTML}word"))),
                      float(line.get("yMin")), float(line.get("yMax")), float(line.get("xMin")), float(line.get("xMax")))
                 for line in page.iter(f"{XHTML}line")]
        pages.append((float(page.get("width")), float(page.get("height")), sorted(lines, key=lambda x: x.top)))
    return pages


def _part_starts(pages: list[Page], paragraphs: list[Paragraph]) -> list[int]:
    """Return, for each page-breaking paragraph in order, the page it was found at the top of."""
    starts, page = [], 0
    for paragraph in (p for p in paragraphs if p.starts_page):
        text = flat(paragraph.text)
        for index in range(page, len(pages)):
            first = pages[index].lines[0].text if pages[index].lines else ""
            if first and (text.startswith(first) or first.startswith(text)):
                starts.append(index + 1)
                page = index + 1
                break
    return starts


def main(paths: list[str]) -> None:
    for path in paths:
        measured = Pages.of(Path(path).read_bytes())
        print(f"== {path}: {len(measured.pages)} pages, parts start at {measured.part_starts}")
        print(measured.report())
        print("under 40 % (not ending a part):", measured.underfilled())
        print("captions at a page bottom:", measured.captions_at_bottom())
        print("parts ending in a table's tail alone:", measured.torn_tails())
        print("breaks inside a number or word in table cells:", measured.mid_token_breaks())
        print("目录 pages:", measured.part_pages("目录标题"))
        print("cover title lines:", measured.cover_title_lines())


if __name__ == "__main__":
    main(sys.argv[1:])

"""Resolve what depends on document order, in one linear pass over the rendered body XML.

The template decides where every part goes, so numbers are given only once
the document is rendered:
- headings in the styles Heading 1–5 are numbered 一、（一）1.（1）① by their
  place (a number typed in front of a heading is replaced); 不编号标题 is a
  level-1 heading without a number;
- table captions carry the marker `table_caption(name)` and become 表N：,
  table references `table_ref(name)` become 表N, in caption order;
- `attachment_number(name)` in an attachment's heading becomes N, references
  `attachment_ref(name)` 附件N;
- the paragraph 〔目录〕 becomes the table of contents (a TOC field with
  cached entries for the level 1–2 headings after it, bookmarks on the
  headings), the paragraph 〔附件列表〕 the list of attachments in order.
Markers are private-use characters, legal in XML and never typed (compose
strips them from workbook text). Everything is found with a few literal
searches and written with one join: no document tree. The body may come in
segments (render cuts a large one at paragraph starts outside tables): each
is scanned in turn, and written back one at a time, so that the whole body
is never held twice.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator, NamedTuple

from .bodyxml import start_before, unescape
from .errors import Problem, error, warning
from .fmt import circled, cn_number

TABLE, END, TABLE_REF, ATTACHMENT, ATTACHMENT_REF = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
SENTINELS = TABLE + END + TABLE_REF + ATTACHMENT + ATTACHMENT_REF
TOC_MARKER = "〔目录〕"
LIST_MARKER = "〔附件列表〕"
UNNUMBERED_STYLE = "不编号标题"
TOC_FIELD = 'TOC \\o "1-2" \\h \\z \\u'
FORMATS: dict[int, Callable[[int], str]] = {
    1: lambda n: f"{cn_number(n)}、", 2: lambda n: f"（{cn_number(n)}）", 3: lambda n: f"{n}.",
    4: lambda n: f"（{n}）", 5: circled}
_CN = "一二三四五六七八九十百千零"
TYPED = {1: re.compile(f"^[{_CN}]+、"), 2: re.compile(f"^[（(][{_CN}]+[）)]"), 3: re.compile(r"^\d+[.．、](?!\d)"),
         4: re.compile(r"^[（(]\d+[）)]"), 5: re.compile("^[①-⑳]")}
TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
BOOKMARK_ID = re.compile(r'<w:bookmarkStart [^>]*?w:id="(\d+)"')
UNNUMBERED_BOOKMARK = '<w:bookmarkStart w:id="0"'  # as the keys' bookmarks are written, their ids given later


def table_caption(name: str) -> str:
    """The marker that starts a table's caption: it becomes `表N：`."""
    return f"{TABLE}{name}{END}"


def table_ref(name: str) -> str:
    return f"{TABLE_REF}{name}{END}"


def attachment_number(name: str) -> str:
    return f"{ATTACHMENT}{name}{END}"


def attachment_ref(name: str) -> str:
    return f"{ATTACHMENT_REF}{name}{END}"


class Outline(NamedTuple):
    """The numbered body and what the pass found."""

    segments: Iterable[str]  # the numbered body: a list for a body given whole, else read once (each then dropped)
    headings: list[str]  # the 目录's entries, in order
    tables: list[str]  # table names, in caption order
    attachments: list[str]
    problems: list[Problem]  # parts placed twice, tables with data and no place, references to nothing
    paged: bool = False  # every 目录 entry has its page number: Word need not refresh the 目录 on opening

    @property
    def xml(self) -> str:
        """The numbered body as one string."""
        return "".join(self.segments)


def heading_styles(styles: dict[str, str]) -> dict[str, tuple[int, bool]]:
    """Return style id -> (level, numbered) for the heading styles among `styles` (id -> name)."""
    found = {}
    for style_id, name in styles.items():
        match = re.fullmatch(r"heading ([1-5])", name.strip().lower())
        if match:
            found[style_id] = (int(match.group(1)), True)
        elif name == UNNUMBERED_STYLE:
            found[style_id] = (1, False)
    return found


KINDS = {TABLE: "table", TABLE_REF: "ref", ATTACHMENT: "att", ATTACHMENT_REF: "attref"}


def _tokens(xml: str, styles: dict[str, tuple[int, bool]]) -> list[tuple[int, int, str, str]]:
    """Return (start, end, kind, value) of every heading style, marker and 〔…〕 paragraph, in document order.

    Each kind is found with a search that starts from a literal (str.find, or
    a regex with a literal prefix), which runs at C speed: one alternation of
    them all would be tried at every `<` of the document and be ten times slower.
    """
    found: list[tuple[int, int, str, str]] = []
    if styles:
        ids = "|".join(re.escape(s) for s in sorted(styles, key=len, reverse=True))
        found += [(m.start(), m.end(), "style", m.group(1))
                  for m in re.finditer(f'<w:pStyle w:val="({ids})"/>', xml)]
    for mark, kind in KINDS.items() if END in xml else ():  # each marker ends with END: one search when there is none
        at = xml.find(mark)
        while at >= 0:
            end = xml.find(END, at)
            found.append((at, end + 1, kind, xml[at + 1:end]))
            at = xml.find(mark, end)
    return sorted(found + _marker_paragraphs(xml))


def _marker_paragraphs(xml: str) -> list[tuple[int, int, str, str]]:
    """The paragraphs whose whole text is 〔目录〕 or 〔附件列表〕, even when an edit in Word split it into runs."""
    found, seen, at = [], set(), xml.find("〔")
    while at >= 0:
        start, end = _paragraph(xml, at)
        if start not in seen:
            seen.add(start)
            text = "".join(TEXT.findall(xml, start, end)).strip()
            kind = {TOC_MARKER: "toc", LIST_MARKER: "list"}.get(text)
            if kind:
                found.append((start, end, kind, text))
        at = xml.find("〔", max(end, at + 1))
    return found


def _paragraph(xml: str, at: int) -> tuple[int, int]:
    """Return the span of the paragraph around position `at`."""
    return start_before(xml, "w:p", at), xml.find("</w:p>", at) + len("</w:p>")


def _properties(xml: str, start: int, end: int) -> str:
    """Return the paragraph's <w:pPr>…</w:pPr> (empty when it has none)."""
    open_at = xml.find("<w:pPr>", start, end)
    return xml[open_at: xml.find("</w:pPr>", open_at) + len("</w:pPr>")] if open_at >= 0 else ""


class Numbering:
    """The pass over the body: `add` each segment in document order, then `outline` writes them back.

    Edits are collected by position, segment by segment, and applied in one
    join per segment; what depends on the whole body (references, the 目录,
    the 附件 list, the bookmarks' ids) is written once every segment was read.
    """

    def __init__(self, styles: dict[str, tuple[int, bool]], context: dict, pages: dict[str, int] | None = None):
        self.styles, self.pages, self.context = styles, pages or {}, context
        # attachment titles and the list's first line, XML-escaped
        self.titles = {name: _escape(a["title"]) for name, a in context["attachments"].items() if a}
        self.label = _escape(context["numbering"]["attachment_label"])
        self.xml = ""  # the segment being read
        self.edits: list[tuple[int, int, str | Callable[[], str]]] = []  # the segment's
        self.segment_edits: list[list[tuple[int, int, str | Callable[[], str]]]] = []
        self.counters = [0] * 7
        self.toc_at: tuple[int, int] | None = None
        self.entries: list[tuple[int, str, int]] = []  # level, escaped text, bookmark (1, 2, …)
        self.tables: dict[str, int] = {}
        self.attachments: dict[str, int] = {}
        self.refs: list[tuple[str, str]] = []  # kind, name
        self.twice: list[tuple[str, str]] = []
        self.last_id = 0  # the largest bookmark id in the body: the headings' bookmarks are numbered on from it

    def add(self, xml: str) -> None:
        """Read the next segment, collecting its edits."""
        self.xml, self.edits = xml, []
        if xml.count(UNNUMBERED_BOOKMARK) != xml.count("<w:bookmarkStart "):  # two counts at C speed, not a regex
            self.last_id = max([self.last_id, *map(int, set(BOOKMARK_ID.findall(xml)))])  # the ids repeat
        for start, end, kind, value in _tokens(xml, self.styles):
            if kind == "style":
                self.heading(end, *self.styles[value])
            elif kind == "table":
                self.number(start, end, unescape(value), self.tables, "表{}：")
            elif kind == "att":
                self.number(start, end, unescape(value), self.attachments, "{}")
            elif kind in ("ref", "attref"):
                self.reference(start, end, unescape(value), self.tables if kind == "ref" else self.attachments,
                               "表{}" if kind == "ref" else "附件{}")
            elif kind == "toc" and self.toc_at is None:  # the marker's paragraph: (start, end)
                self.toc_at = (start, end)
                self.edits.append((start, end, self.toc))
            elif kind == "list":
                properties = _properties(xml, start, end)
                self.edits.append((start, end, lambda properties=properties: "".join(self.list_lines(properties))))
        self.segment_edits.append(self.edits)
        self.xml = ""

    def outline(self, segments) -> "Outline":
        """The numbered body and what was found; `segments` are the ones added, in order (each read once)."""
        return Outline(self.write(segments), [unescape(text) for _, text, _ in self.entries], list(self.tables),
                       list(self.attachments), _placement_problems(self, self.context), self.paged())

    def write(self, segments) -> Iterator[str]:
        """Yield each segment with its edits applied, dropping it from `segments` (a list, or what indexes alike)."""
        for n, edits in enumerate(self.segment_edits):
            xml, segments[n] = segments[n], ""
            edits.sort(key=lambda edit: edit[0])
            out, cursor = [], 0
            for start, end, value in edits:
                out.append(xml[cursor:start])
                out.append(value() if callable(value) else value)
                cursor = end
            out.append(xml[cursor:])
            yield "".join(out)

    def bookmark(self, k: int) -> tuple[int, str]:
        """The id and name of the k-th heading's bookmark."""
        number = self.last_id + k
        return number, f"_Toc{number:09d}"

    def heading(self, at: int, level: int, numbered: bool) -> None:
        end = self.xml.find("</w:p>", at)
        texts = list(TEXT.finditer(self.xml, at, end))
        text = "".join(t.group(1) for t in texts)
        if not text.strip():
            return
        number = ""
        if numbered:
            self.counters[level] += 1
            number = FORMATS[level](self.counters[level])
            first = texts[0]
            typed = TYPED[level].match(first.group(1))
            self.edits.append((first.start(1), first.start(1) + (typed.end() if typed else 0), number))
            text = text[typed.end():] if typed else text
        for deeper in range(level + 1, len(self.counters)):
            self.counters[deeper] = 0
        if level <= 2 and self.toc_at is not None:
            k = len(self.entries) + 1
            after_properties = self.xml.find("</w:pPr>", at, end) + len("</w:pPr>")
            self.edits.append((after_properties, after_properties, lambda k=k: '<w:bookmarkStart w:id="{}" w:name="{}"/>'
                               .format(*self.bookmark(k))))
            self.edits.append((end, end, lambda k=k: f'<w:bookmarkEnd w:id="{self.bookmark(k)[0]}"/>'))
            self.entries.append((level, number + re.sub(f"[{SENTINELS}]", "", text), k))

    def number(self, start: int, end: int, name: str, numbers: dict[str, int], form: str) -> None:
        if name in numbers:
            self.twice.append(("表格" if numbers is self.tables else "附件", name))
        numbers.setdefault(name, len(numbers) + 1)
        self.edits.append((start, end, form.format(numbers[name])))

    def reference(self, start: int, end: int, name: str, numbers: dict[str, int], form: str) -> None:
        self.refs.append(("表格" if numbers is self.tables else "附件", name))
        self.edits.append((start, end, lambda: form.format(numbers.get(name, "?"))))

    def toc(self) -> str:
        """The 目录: a TOC field whose cached entries are the headings, with PAGEREFs to their bookmarks."""
        paragraphs = []
        for i, (level, text, k) in enumerate(self.entries):
            name = self.bookmark(k)[1]
            head = _field(TOC_FIELD, dirty=not self.paged()) if i == 0 else ""
            tail = FIELD_END if i == len(self.entries) - 1 else ""
            page = _field(f"PAGEREF {name} \\h", str(self.pages.get(unescape(text), ""))) + FIELD_END
            paragraphs.append(
                f'<w:p><w:pPr><w:pStyle w:val="TOC{1 if level == 1 else 2}"/></w:pPr>{head}'
                f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
                f'<w:r><w:tab/></w:r>{page}</w:hyperlink>{tail}</w:p>')
        return "".join(paragraphs)

    def paged(self) -> bool:
        """Return whether every 目录 entry has a page number (from a rendering: --pdf, --toc-pages)."""
        return bool(self.entries) and all(unescape(text) in self.pages for _, text, _ in self.entries)

    def list_lines(self, properties: str) -> list[str]:
        lines = [self.label] + [f"{n}.{self.titles.get(name, name)}" for name, n in self.attachments.items()]
        if len(lines) == 1:
            return []
        return [f'<w:p>{properties}<w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in lines]


def _field(instruction: str, shown: str = "", dirty: bool = False) -> str:
    flag = ' w:dirty="true"' if dirty else ""
    return (f'<w:r><w:fldChar w:fldCharType="begin"{flag}/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + (f'<w:r><w:t>{shown}</w:t></w:r>' if shown else ""))


FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def resolve(xml: str | list[str], styles: dict[str, tuple[int, bool]], context: dict,
            pages: dict[str, int] | None = None) -> Outline:
    """Return the body with its numbers, 目录 and 附件 list, and the problems of placement.

    `xml` is the body, or the list of its segments, each starting at a
    paragraph (then Outline.segments can be read once, and empties the
    list as it goes); `styles` is heading_styles() of the template; `context`
    the one compose made (its tables, attachments and the references it saw);
    `pages` maps a 目录 entry to its page when a rendering gave them.
    """
    segments = [xml] if isinstance(xml, str) else xml
    numbering = Numbering(styles, context, pages)
    for segment in segments:
        numbering.add(segment)
    outline = numbering.outline(segments)
    return outline._replace(segments=list(outline.segments)) if isinstance(xml, str) else outline


def _placement_problems(scan: Numbering, context: dict) -> list[Problem]:
    problems = []
    tables = {name: t for name, t in context["tables"].items() if t}
    for kind, name in dict.fromkeys(scan.twice):
        problems.append(error("placed-twice", "报告模板", f"{kind}“{name}”在报告中出现了两次：模板和 [表:{name}] 标记只能放置它一次"))
    for name, table in tables.items():
        if name in scan.tables:
            continue
        if table["moved"]:
            problems.append(error("table-not-placed", table["moved"],
                                  f"表“{name}”由这里的 [表:{name}] 放置，但这段文字没有出现在报告中（模板中没有它）"))
        else:
            problems.append(error("table-not-placed", name,
                                  f"表“{name}”有数据，但报告中没有它的位置：请在正文中写一行 [表:{name}]，"
                                  f"或在模板中加入 {{{{p 表格(\"{name}\") }}}}"))
    for name, attachment in context["attachments"].items():
        if attachment and name not in scan.attachments:
            problems.append(warning("attachment-not-placed", name,
                                    f"附件“{name}”有数据，但模板中没有 {{{{p 附件(\"{name}\") }}}}，报告中没有这个附件"))
    found = {"表格": scan.tables, "附件": scan.attachments}
    for kind, name in dict.fromkeys(scan.refs):
        if name not in found[kind] and not (kind == "表格" and name in tables):  # an unplaced table: said above
            for where in context["numbering"]["refs"][kind].get(name, ["报告模板"]):
                problems.append(error("unknown-table", where, f"引用了{kind}“{name}”的编号，但它没有出现在报告中"))
    return problems


def unused_texts(context: dict) -> list[Problem]:
    """Warn about workbook text the template never asks for: it would vanish from the report."""
    texts = context["texts"]
    return [warning("text-not-placed", name, f"工作簿中“{name}”的内容没有出现在报告中：模板没有 {{{{p 文字(\"{name}\") }}}}")
            for name, text in texts.items() if text["blocks"] and text.get("workbook") and name not in texts.used]

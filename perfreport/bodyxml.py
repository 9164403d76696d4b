"""Linear passes over rendered WordprocessingML text, and a strict check that builds no tree.

render never parses the document into a tree: jinja2's output is cut into
segments at paragraph starts, each segment goes through the passes below
as a string, and the bytes written are checked for well-formedness by
expat as they stream into the zip. The passes write what a parse and
re-serialisation by lxml would (`canonical`), so a report is byte for byte
what the tree-based render made; `resolve_listing` is docxtpl's, visiting
only the paragraphs that need it.
"""
from __future__ import annotations

import re
from xml.parsers import expat

LISTED = "\t\n\a\f"
# an element written open and closed with nothing inside; lxml writes it self-closed
EMPTY = re.compile(r"<([A-Za-z_][\w.:-]*)((?: [^<>]*)?)(?<!/)></\1>")
BLANK = re.compile(r">([ \t\r\n]+)<")
TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
DRAWING_ID = re.compile(r'(<wp:docPr\b[^>]*?\sid=")[^"]*(")')
DRAWING_IDS_FROM = 1000  # docxtpl's first: its pictures are numbered 1001, 1002 …
# a part of a Word document is written as lxml writes it
DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));")
NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


class NotWellFormed(ValueError):
    """The rendered XML is not well-formed; the message says where (expat's words)."""


def unescape(text: str) -> str:
    """XML text or an attribute value with its character and entity references resolved (XML has five entities)."""
    if "&" not in text:
        return text
    return ENTITY.sub(lambda m: chr(int(m[1])) if m[1] else chr(int(m[2], 16)) if m[2] else NAMED[m[3]], text)


# ---- lxml's serialisation --------------------------------------------------------------------
SPECIAL = re.compile(r'[&<>\r"\n\t]')  # what lxml escapes in text (the first four) or in an attribute


def escape(text: str) -> str:
    """Text as lxml writes it in an element."""
    if not SPECIAL.search(text):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def quoteattr(value: str) -> str:
    """An attribute value in double quotes, as lxml writes it."""
    return f'"{attribute(value)}"'


def attribute(value: str) -> str:
    """An attribute value as lxml writes it between its double quotes."""
    if not SPECIAL.search(value):
        return value
    return escape(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def canonical(xml: str, empty: list[tuple[str, str]] = ()) -> str:
    """Return `xml` as lxml writes it once parsed, for what jinja2 and docxtpl write differently.

    jinja2 escapes quotes as `&#34;` and `&#39;` (lxml: the characters, or
    `&quot;` inside an attribute); python-docx's parser drops white space
    between elements (blank text), keeping it as an element's whole content;
    an element written open and closed with nothing inside lxml writes
    self-closed (`<w:t/>`). Only the start tags in `empty` (start tag, name)
    are looked at for that: those of the template whose content is all
    template code (prepare._empty); nothing else can come out empty.
    """
    if "&" in xml and "&#" in xml:  # one character is found at C speed, two are not: most segments have no &
        xml = _quotes(xml.replace("&#39;", "'"))
    if BLANK.search(xml):
        xml = BLANK.sub(lambda m: _blank(xml, m), xml)
    for start, name in empty:
        xml = xml.replace(f"{start}</{name}>", f"{start[:-1]}/>")
    return xml


def collapse(xml: str) -> str:
    """`xml` with every element that has nothing inside written self-closed (for short texts: it looks at all)."""
    return EMPTY.sub(r"<\1\2/>", xml)


def start_before(xml: str, name: str, at: int, floor: int = 0) -> int:
    """Return where the last `<name>` or `<name …>` tag before `at` starts (-1: none after `floor`).

    Searching back for the name's prefix and stepping over longer names
    (`<w:rPr>` for `<w:r`) stays near `at`; searching for `<w:r ` alone
    would scan back to the start of the text when no run has attributes.
    """
    prefix = "<" + name
    found = xml.rfind(prefix, floor, at)
    while found >= 0 and xml[found + len(prefix)] not in " >/":
        found = xml.rfind(prefix, floor, found)
    return found


def _quotes(xml: str) -> str:
    """`&#34;` as `"` in text and `&quot;` inside a tag."""
    out, at = [], 0
    found = xml.find("&#34;")
    while found >= 0:
        in_tag = xml.rfind("<", 0, found) > xml.rfind(">", 0, found)
        out += [xml[at:found], "&quot;" if in_tag else '"']
        at = found + len("&#34;")
        found = xml.find("&#34;", at)
    out.append(xml[at:])
    return "".join(out)


def _blank(xml: str, match: re.Match) -> str:
    """Keep white space that is an element's whole content (`<w:t> </w:t>`); drop it between elements."""
    before = xml[xml.rfind("<", 0, match.start()):match.start() + 1]
    opening = not before.startswith(("</", "<?", "<!")) and not before.endswith("/>")
    return match.group(0) if opening and xml.startswith("</", match.end() - 1) else "><"


# ---- docxtpl's listing: \n, \a, \t, \f in text -----------------------------------------------
def resolve_listing(xml: str) -> str:
    """Turn \\n, \\a, \\t, \\f in text into breaks, paragraphs and tabs (docxtpl's resolve_listing).

    Only the paragraphs holding one are visited: the others would come out unchanged.
    """
    out, at = [], 0
    for found in _positions(xml, LISTED):
        if found < at:
            continue
        start = start_before(xml, "w:p", found, at)
        if start < 0 or xml.find("</w:p>", start, found) >= 0:  # not inside a paragraph
            continue
        end = xml.find("</w:p>", found) + len("</w:p>")
        out += [xml[at:start], _listing_paragraph(xml[start:end])]
        at = end
    if not out:
        return xml
    out.append(xml[at:])
    return "".join(out)


def _positions(xml: str, chars: str) -> list[int]:
    """Where any of `chars` is in `xml`, in order: one str.find scan for each (at C speed, not a regex's)."""
    found = []
    for ch in chars:
        at = xml.find(ch)
        while at >= 0:
            found.append(at)
            at = xml.find(ch, at + 1)
    return sorted(found)


def _listing_paragraph(paragraph: str) -> str:
    """docxtpl 0.20.2's resolve_paragraph, as it is (including what its regexes do not see)."""
    found = re.search(r"<w:pPr>.*?</w:pPr>", paragraph)
    p_properties = found.group(0) if found else ""

    def run(match: re.Match) -> str:
        found = re.search(r"<w:rPr>.*?</w:rPr>", match.group(0))
        r_properties = found.group(0) if found else ""

        def text(m: re.Match) -> str:
            xml = m.group(0).replace("\t", "</w:t></w:r>"
                                     f'<w:r>{r_properties}<w:tab/></w:r><w:r>{r_properties}<w:t xml:space="preserve">')
            xml = xml.replace("\a", f'</w:t></w:r></w:p><w:p>{p_properties}<w:r>{r_properties}<w:t xml:space="preserve">')
            xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
            return xml.replace("\f", '</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>'
                                     f'<w:p>{p_properties}<w:r>{r_properties}<w:t xml:space="preserve">')
        return re.sub(r"<w:t(?: [^>]*)?>.*?</w:t>", text, match.group(0), flags=re.DOTALL)
    return re.sub(r"<w:r(?: [^>]*)?>.*?</w:r>", run, paragraph, flags=re.DOTALL)


# ---- pictures ------------------------------------------------------------------------------------
def number_drawings(xml: str, last: int) -> tuple[str, int]:
    """Number the pictures (wp:docPr ids) on from `last`, as docxtpl does; return the text and the last id."""
    if "<wp:docPr" not in xml:
        return xml, last
    numbers = iter(range(last + 1, last + 1 + xml.count("<wp:docPr")))
    xml = DRAWING_ID.sub(lambda m: f"{m.group(1)}{next(numbers)}{m.group(2)}", xml)
    return xml, last + xml.count("<wp:docPr")


# ---- structure -----------------------------------------------------------------------------------
TAG = re.compile(r"<(/?)([A-Za-z_][\w.:-]*)[^>]*?(/?)>")


def children(xml: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Return (name, start, end) of each element directly inside xml[start:end] (an element's content)."""
    found, depth, opened = [], 0, 0
    for match in TAG.finditer(xml, start, end):
        closing, name, empty = match.groups()
        if closing:
            depth -= 1
            if depth == 0:
                found.append((name, opened, match.end()))
        elif empty:
            if depth == 0:
                found.append((name, match.start(), match.end()))
        else:
            if depth == 0:
                opened = match.start()
            depth += 1
    return found


def element_end(xml: str, start: int, name: str) -> int:
    """Return the end of the element `name` that starts at `start`, -1 if it does not end in `xml`.

    Elements of the same name may nest in it (a table in a table's cell).
    """
    close, depth, at = f"</{name}>", 0, start
    opens = re.compile(f"<{re.escape(name)}[ >/]|{re.escape(close)}")
    for match in opens.finditer(xml, at):
        if match.group(0) == close:
            depth -= 1
        elif not xml.startswith("/>", xml.find(">", match.start()) - 1):
            depth += 1
        if depth == 0:
            return match.end() if match.group(0) == close else xml.find(">", match.start()) + 1
    return -1


# ---- strictness ----------------------------------------------------------------------------------
class Wellformed:
    """Checks a part's bytes as they are written, with expat (namespaces included), holding nothing."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")

    def feed(self, data: bytes, final: bool = False) -> None:
        """Check the next bytes; raise NotWellFormed at the first error."""
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise NotWellFormed(str(exc)) from None

"""Document properties that tell the truth: the application, the text's size, an id of the report's own.

docProps/app.xml names perfreport as the application and counts the words
as Word counts them in Chinese text; it gives no page or line count, which
only a layout can know. settings.xml's document ids (w14:docId, w15:docId)
are derived from the rendered body, so two reports differ and one workbook
always gives the same ids.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

from .bodyxml import unescape

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
APPLICATION = "perfreport"
EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
# the namespace of the name-based (version 5) UUIDs perfreport gives its documents
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "perfreport:docId")
# Word counts each East Asian character (ideographs, kana, hangul, full-width forms, CJK
# punctuation and the quotes and dashes drawn with the East Asian font) as one word, and
# each run of other non-space characters as one word
EAST_ASIAN = "\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2000-\u2bff"


@dataclass(frozen=True)
class Counts:
    """The text's size as Word counts it; counts of two parts add up."""

    words: int = 0
    characters: int = 0  # without spaces
    characters_with_spaces: int = 0
    paragraphs: int = 0  # paragraphs holding text

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.words + other.words, self.characters + other.characters,
                      self.characters_with_spaces + other.characters_with_spaces, self.paragraphs + other.paragraphs)


# each w:t's text, and "" where a paragraph ends (an empty w:t is written <w:t/> and does not match);
# possessive: what failed is not tried again shorter
TEXT_OR_END = re.compile(r"<w:t(?: [^>]*+)?+>([^<]*+)</w:t>|</w:p>")
# an EAST_ASIAN character in UTF-8 (a class of 45,000 characters takes re milliseconds to compile; bytes do not):
# a three-byte character led by one of these bytes, or one the regex finds among the characters led by the others
EAST_ASIAN_LEADS = b"\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xeb\xec"
EAST_ASIAN_SHARED = re.compile(
    rb"\xe1[\x84-\x87][\x80-\xbf]|\xe2[\x80-\xaf\xba-\xbf][\x80-\xbf]"
    rb"|\xea(?:\xa5[\xa0-\xbf]|[\xb0-\xbf][\x80-\xbf])|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xef(?:[\xa4-\xab\xbc-\xbe][\x80-\xbf]|\xb8[\xb0-\xbf]|\xb9[\x80-\x8f]|\xbf[\x80-\xaf])")
# translate(): a space for each character led by EAST_ASIAN_LEADS, one byte for every other (its continuation
# bytes deleted), so that the words split() finds are the others'
LEADS_AS_SPACES, CONTINUATION = bytes.maketrans(EAST_ASIAN_LEADS, b" " * len(EAST_ASIAN_LEADS)), bytes(range(0x80, 0xC0))
# the white space str.split() knows and bytes.split() does not, outside EAST_ASIAN
OTHER_SPACES = ("\u0085".encode(), "\u00a0".encode(), "\u1680".encode())


def counts(xml: str) -> Counts:
    """Return the statistics of the text in body XML as render writes it (tables included, as Word does).

    A paragraph's text is its w:t elements' text; the paragraphs of a text
    box count on their own, apart from the paragraph holding it.
    """
    # \x01 between the pieces found, \x02 for a paragraph's end: neither is allowed in XML text
    flat = "\x01".join(TEXT_OR_END.findall(xml)).replace("\x01\x01", "\x02").replace("\x01", "")
    paragraphs = [p for p in flat.split("\x02") if p and not p.isspace()]
    text = unescape("\n".join(paragraphs))  # white space between paragraphs: no word runs across them
    # the East Asian characters: those led by a shared byte found by the regex, the rest counted by their lead byte
    data, east_asian = EAST_ASIAN_SHARED.subn(b" ", text.encode("utf-8"))
    east_asian += len(data) - len(data.translate(None, EAST_ASIAN_LEADS))
    for space in OTHER_SPACES:
        data = data.replace(space, b" ")
    others = data.translate(LEADS_AS_SPACES, CONTINUATION).split()
    spaced = len(text) - max(len(paragraphs) - 1, 0)
    return Counts(east_asian + len(others), sum(map(len, text.split())), spaced, len(paragraphs))


def app_xml(stats: Counts | None = None, company: str = "") -> bytes:
    """Return docProps/app.xml: perfreport as the application, and the counts when given."""
    fields = [("Application", APPLICATION), ("DocSecurity", "0"), ("ScaleCrop", "false")]
    if stats:
        fields[1:1] = [("Words", stats.words), ("Characters", stats.characters), ("Paragraphs", stats.paragraphs)]
    fields += [("Company", company.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")),
               ("LinksUpToDate", "false")]
    if stats:
        fields.append(("CharactersWithSpaces", stats.characters_with_spaces))
    fields += [("SharedDoc", "false"), ("HyperlinksChanged", "false")]
    inner = "".join(f"<{name}>{value}</{name}>" for name, value in fields)
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{inner}</Properties>'
            ).encode("utf-8")


def document_ids(digest: str) -> tuple[str, str]:
    """Return (w14:docId, w15:docId) from a content's SHA-256 hex digest: 8 hex digits below 0x80000000, a GUID."""
    short = f"{int(digest[:8], 16) & 0x7FFFFFFF:08X}"
    return short, "{" + str(uuid.uuid5(ID_NAMESPACE, digest)).upper() + "}"


def set_document_ids(settings, content: bytes) -> None:
    """Set the document ids an lxml settings element carries, from `content` (for the template's own)."""
    short, guid = document_ids(hashlib.sha256(content).hexdigest())
    for tag, value in ((f"{{{W14}}}docId", short), (f"{{{W15}}}docId", guid)):
        element = settings.find(tag)
        if element is not None:
            element.set(tag.replace("docId", "val"), value)


def set_app(document, xml: bytes) -> None:
    """Replace a python-docx document's docProps/app.xml (python-docx keeps it as an opaque part)."""
    for rel in document.part.package.rels.values():
        if rel.reltype == EXTENDED_PROPERTIES:
            rel.target_part._blob = xml  # noqa: SLF001 - python-docx has no API for this part

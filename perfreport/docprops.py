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
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
APPLICATION = "perfreport"
# the namespace of the name-based (version 5) UUIDs perfreport gives its documents
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "perfreport:docId")
# Word counts each East Asian character (ideographs, kana, hangul, full-width forms, CJK
# punctuation and the quotes and dashes drawn with the East Asian font) as one word, and
# each run of other non-space characters as one word
EAST_ASIAN = "\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2000-\u2bff"
WORDS = re.compile(f"[{EAST_ASIAN}]|[^\\s{EAST_ASIAN}]+")


@dataclass(frozen=True)
class Counts:
    words: int
    characters: int  # without spaces
    characters_with_spaces: int
    paragraphs: int  # paragraphs holding text


def counts(body) -> Counts:
    """Return the statistics of the text in `body` (tables included, headers and footers not, as Word does)."""
    words = characters = spaced = paragraphs = 0
    for p in body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if not text.strip():
            continue
        paragraphs += 1
        words += len(WORDS.findall(text))
        characters += len(re.sub(r"\s", "", text))
        spaced += len(text)
    return Counts(words, characters, spaced, paragraphs)


def app_xml(stats: Counts | None = None, company: str = "") -> bytes:
    """Return docProps/app.xml: perfreport as the application, and the counts when given."""
    fields = [("Application", APPLICATION), ("DocSecurity", "0"), ("ScaleCrop", "false")]
    if stats:
        fields[1:1] = [("Words", stats.words), ("Characters", stats.characters), ("Paragraphs", stats.paragraphs)]
    fields += [("Company", escape(company)), ("LinksUpToDate", "false")]
    if stats:
        fields.append(("CharactersWithSpaces", stats.characters_with_spaces))
    fields += [("SharedDoc", "false"), ("HyperlinksChanged", "false")]
    inner = "".join(f"<{name}>{value}</{name}>" for name, value in fields)
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{inner}</Properties>'
            ).encode("utf-8")


def set_app(document, xml: bytes) -> None:
    """Replace the package's docProps/app.xml (python-docx keeps it as an opaque part)."""
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = xml  # noqa: SLF001 - python-docx has no API for this part


def document_ids(content: bytes) -> tuple[str, str]:
    """Return (w14:docId, w15:docId) derived from `content`: 8 hex digits below 0x80000000, and a GUID."""
    digest = hashlib.sha256(content).hexdigest()
    short = f"{int(digest[:8], 16) & 0x7FFFFFFF:08X}"
    return short, "{" + str(uuid.uuid5(ID_NAMESPACE, digest)).upper() + "}"


def set_document_ids(settings, content: bytes) -> None:
    """Set the document ids the settings carry (a template without them gets none)."""
    short, guid = document_ids(content)
    for tag, value in ((f"{{{W14}}}docId", short), (f"{{{W15}}}docId", guid)):
        element = settings.find(tag)
        if element is not None:
            element.set(tag.replace("docId", "val"), value)

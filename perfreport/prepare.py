"""Prepare a template once: what a build needs from it, kept in the cache by the template's content.

Preparing is the only step that opens the template with python-docx and
docxtpl (imported here, when a template is prepared, never on a build that
finds its preparation cached). It keeps:
- the package python-docx would save for the template, its parts in order,
  with the core properties and settings a build sets already set, the values
  that differ per report left as tokens (`TOKENS`);
- the jinja2 source of each part docxtpl renders (the body, headers and
  footers, footnotes), as docxtpl's `patch_xml` makes it, a paragraph per
  line (for template_errors), docxtpl's escapes (`{_{` …) turned into
  literals;
- what the body is written in (the document part's XML before and after
  its w:body), the heading styles, and what a picture needs (the next shape
  id, the images already there).
The cache entry's name is the SHA-256 of the template's bytes, of this
module's source and of the libraries' versions, so a changed template, a
changed preparation or another python-docx never meets a stale entry; the
entry carries the digest of its own content, so a damaged one is prepared
again.
"""
from __future__ import annotations

import hashlib
import io
import marshal
import os
import re
import sys
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from .opc import Compressed, Package, Relationship, deflate

LIBREOFFICE_CORE = "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
LIBRARIES = "docxtpl==0.20.2 python-docx==1.2.0"  # pyproject's pins (tests/test_render_path.py holds them equal)
HEADER, FOOTER = (f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{k}" for k in ("header",
                                                                                                      "footer"))
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CORE = "application/vnd.openxmlformats-package.core-properties+xml"
APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
FILLED = (CORE, SETTINGS)  # the parts a build fills in (tokens); app.xml it writes anew
MAYBE_EMPTY = re.compile(r"(<([A-Za-z_][\w.:-]*)(?: [^<>]*)?>)(?=\{[{%#]|</\2>)")
TEMPLATE_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))  # docxtpl's, for template authors
# what differs per report in the core properties and the settings, as python-docx writes it
TOKENS = {"title": "\ue0f0title\ue0f1", "agency": "\ue0f0agency\ue0f1", "identifier": "\ue0f0identifier\ue0f1",
          "language": "\ue0f0language\ue0f1", "w14": "\ue0f0w14\ue0f1", "w15": "\ue0f0w15\ue0f1"}
DATE_TOKEN = datetime(1901, 2, 3, 4, 5, 6)  # no report is dated so
DATE_TEXT = "1901-02-03T04:05:06Z"
SUBJECT = "部门整体绩效评价报告"
COMMENTS = "由 perfreport 根据评价工作簿生成"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


class Prepared(NamedTuple):
    # part name -> (content type, bytes as python-docx writes them: deflated ahead (data, crc, size) for the parts a
    # build copies as they are, b"" for those it renders)
    parts: dict[str, tuple[str, bytes | tuple[bytes, int, int]]]
    rels: dict[str, list[tuple[str, str, str, bool]]]  # source ("" the package) -> (id, type, target, external)
    written: dict[str, bytes]  # the relationship parts and [Content_Types].xml as python-docx writes them
    sources: dict[str, str]  # part name -> jinja2 source, for the parts docxtpl renders
    main: str  # the document part's name
    head: bytes  # the document part up to its w:body
    tail: bytes  # and after it
    styles: dict[str, tuple[int, bool]]  # heading styles: style id -> (level, numbered)
    core: dict[str, str]  # the template's identifier and language (docxtpl renders them)
    next_shape_id: int  # python-docx's next picture id in the template's document part
    images: dict[str, str]  # the images already in the package: SHA-1 -> part name
    empty: list[tuple[str, str]]  # (start tag, name) of the elements the rendering may leave empty: bodyxml.canonical
    paged: bytes  # the settings part for a report whose 目录 has its page numbers (no refresh when Word opens it)

    def package(self) -> Package:
        """A new package of the template's parts, for one build to fill."""
        rels = {source: [Relationship(*r) for r in found] for source, found in self.rels.items()}
        parts = {name: (kind, Compressed(*data) if isinstance(data, tuple) else data)
                 for name, (kind, data) in self.parts.items()}
        return Package(parts, rels, dict(self.written))


def load(template: Path, folder: Path | None) -> Prepared:
    """Return the template's preparation: this process's, or the cache's in `folder`, or made now."""
    data = template.read_bytes()
    key = _key(data)
    if key not in MEMORY:
        if len(MEMORY) >= 8:
            MEMORY.clear()
        MEMORY[key] = _stored(data, key, folder)
    return MEMORY[key]


MEMORY: dict[str, Prepared] = {}  # the preparations this process made or read, by key (a batch builds many)


def _stored(data: bytes, key: str, folder: Path | None) -> Prepared:
    """The preparation of the template `data` from the cache in `folder`, made (and kept there) if need be."""
    if folder is None:
        return prepare(data)
    path = folder / f"prepared-{key}.bin"
    try:
        stored = path.read_bytes()
        if hashlib.sha256(stored[32:]).digest() == stored[:32]:
            return Prepared(*marshal.loads(stored[32:]))
    except (OSError, ValueError, EOFError, TypeError):
        pass
    prepared = prepare(data)
    payload = marshal.dumps(tuple(prepared))
    try:  # written aside and renamed, so that a parallel build never reads half a file
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False) as out:
            out.write(hashlib.sha256(payload).digest() + payload)
        os.replace(out.name, path)
    except OSError:
        pass
    return prepared


def _key(template: bytes) -> str:
    """The content key of a preparation: the template, this module, the libraries, the marshal format."""
    digest = hashlib.sha256(template)
    try:  # the preparation's code (table_template is read, not imported: a build finding its preparation
        # cached does not run it)
        for module in (__file__, Path(__file__).with_name("table_template.py")):
            digest.update(Path(module).read_bytes())
    except OSError:
        from . import __version__
        digest.update(__version__.encode())
    digest.update(f"{LIBRARIES} {sys.implementation.cache_tag} {marshal.version}".encode())
    return digest.hexdigest()


def prepare(template: bytes) -> Prepared:
    """Prepare the template (its bytes) with python-docx and docxtpl."""
    from docx import Document
    from docx.opc.oxml import parse_xml
    from docxtpl import DocxTemplate
    from lxml import etree

    from . import table_template

    document = Document(io.BytesIO(template))
    _standard_core_relationship(document)

    def patch(xml: str) -> str:  # docxtpl's preparation, then the laid-out tables' (perfreport.table_template)
        return table_template.prepare(DocxTemplate(None).patch_xml(xml))
    main = document.part
    sources = {_name(main): _source(patch(etree.tostring(document.element.body, encoding="unicode")))}
    for rel in main.rels.values():
        if rel.reltype in (HEADER, FOOTER) and rel.target_part.blob:
            xml = etree.tostring(parse_xml(rel.target_part.blob), encoding="unicode")
            sources[_name(rel.target_part)] = _source(patch(xml))
    for part in main.package.iter_parts():
        if part.content_type == FOOTNOTES and document.sections:
            sources[_name(part)] = _source(patch(part.blob.decode("utf-8")))
    core = {"identifier": document.core_properties.identifier, "language": document.core_properties.language}
    _set_properties(document)
    _set_document_ids(document)
    settings = document.part._settings_part  # noqa: SLF001 - python-docx has no public handle on the part
    paged = settings.blob  # for a report whose 目录 has its page numbers: Word need not refresh it
    _ask_to_refresh(document)
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    package = main.package
    parts = {_name(p): (p.content_type, _kept(p.content_type, entries[_name(p)], _name(p) in sources))
             for p in package.iter_parts()}
    rels = {"": _rels(package)} | {_name(p): _rels(p) for p in package.iter_parts() if p.rels}
    written = {name: data for name, data in entries.items() if name not in parts}  # rels, [Content_Types].xml
    body = entries[_name(main)]
    return Prepared(parts, rels, written, sources, _name(main), body[:body.index(b"<w:body")],
                    body[body.rindex(b"</w:body>") + len(b"</w:body>"):], _heading_styles(document), core,
                    main.next_id, {p.sha1: _name(p) for p in package.image_parts}, _empty(sources.values()),
                    paged)


def _kept(content_type: str, data: bytes, rendered: bool) -> bytes | tuple[bytes, int, int]:
    """A part as the preparation keeps it: nothing when rendered, as it is when filled in, else deflated."""
    if rendered:
        return b""
    return data if content_type in FILLED else tuple(deflate(data))


def _empty(sources) -> list[tuple[str, str]]:
    """The start tags whose element jinja2 may leave empty: all inside is template code, or nothing.

    docxtpl's listing writes `<w:t xml:space="preserve">` that may stay empty too.
    """
    found = {(m.group(1), m.group(2)) for source in sources for m in MAYBE_EMPTY.finditer(source)
             if not m.group(1).endswith("/>")}
    return sorted(found | {('<w:t xml:space="preserve">', "w:t")})


def _name(part) -> str:
    return str(part.partname).lstrip("/")


def _rels(source) -> list[tuple[str, str, str, bool]]:
    return [(r.rId, r.reltype, r.target_ref, r.is_external) for r in source.rels.values()]


def _source(xml: str) -> str:
    """The prepared XML as jinja2 compiles it: a paragraph per line, docxtpl's escapes as literals.

    docxtpl (0.20.2) applies its escapes to the rendered output, so that cell
    text such as `{_{ 7*7 }_}` would lose them; here they belong to the
    template's own text only, and cell text prints as typed.
    """
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
    for escaped, tag in TEMPLATE_ESCAPES:
        xml = xml.replace(escaped, "{{ '%s' }}" % tag)
    return xml


def _set_properties(document) -> None:
    """Set the core properties, in docxtpl's order and then the build's, so their elements come in that order."""
    core = document.core_properties
    core.author, core.comments = TOKENS["agency"], COMMENTS  # docxtpl renders these six, in this order
    core.identifier, core.language = TOKENS["identifier"], TOKENS["language"]
    core.subject, core.title = SUBJECT, TOKENS["title"]
    core.title = TOKENS["title"]
    core.author = core.last_modified_by = TOKENS["agency"]
    core.subject, core.comments, core.keywords, core.revision = SUBJECT, COMMENTS, "", 1
    core.created = core.modified = DATE_TOKEN


def _standard_core_relationship(document) -> None:
    """Relate docProps/core.xml as python-docx looks for it: LibreOffice uses another relationship type, which
    python-docx does not find, so it would add a second docProps/core.xml (python-openxml/python-docx#1436)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in document.part.package.rels.values():
        if rel.reltype == LIBREOFFICE_CORE:
            rel._reltype = RT.CORE_PROPERTIES  # noqa: SLF001 - python-docx has no setter


def _set_document_ids(document) -> None:
    """Tokens for the document ids the settings carry (a template without them gets none)."""
    settings = document.settings.element
    for tag, token in ((f"{{{W14}}}docId", TOKENS["w14"]), (f"{{{W15}}}docId", TOKENS["w15"])):
        element = settings.find(tag)
        if element is not None:
            element.set(tag.replace("docId", "val"), token)


def _ask_to_refresh(document) -> None:
    """Ask Word to refresh fields (the 目录) when the file opens, schema order kept."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.insert_element_before(
            parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'),
            "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
            "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
            "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def _heading_styles(document) -> dict[str, tuple[int, bool]]:
    from docx.oxml.ns import qn

    from .numbering import heading_styles
    styles = document.styles.element
    names = {s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val"))
             for s in styles.iterchildren(qn("w:style"))
             if s.get(qn("w:type")) == "paragraph" and s.find(qn("w:name")) is not None}
    return heading_styles(names)

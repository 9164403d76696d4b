"""Render the composed context into the .docx, byte for byte reproducible.

docxtpl renders the template with autoescape and StrictUndefined, so cell text
is printed as typed and a missing name fails loudly. The rendered XML is parsed
strictly (docxtpl's own pass would silently recover from broken XML). Then,
on the document tree: tables marked `merge:…` are merged vertically by value,
the table of contents is written from the headings, and document properties
are set from the workbook. Zip entries get fixed timestamps.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
import jinja2
from jinja2 import Environment, StrictUndefined
from lxml import etree

from . import cache

DEFAULT_TEMPLATE = "部门整体绩效评价报告.docx"
TOC_MARKER = "〔目录〕"
TOC_LEVELS = {"Heading1": 1, "Heading2": 2}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
W = nsdecls("w")


class TemplateError(RuntimeError):
    """The template itself is broken (a bug or a bad custom template), not the workbook."""


LISTING_CHARACTERS = re.compile("[\t\n\a\f]")
TEMPLATE_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))  # docxtpl's, for template authors
PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)


class _Template(DocxTemplate):
    """docxtpl with a strict parse, its costly passes limited to what needs them, its preparation cached."""

    def __init__(self, path: str, cache_folder: Path | None):
        super().__init__(path)
        self.cache = cache_folder

    def fix_tables(self, xml: str):
        """Parse the rendered body strictly, as part of the whole document; return the new root.

        Broken XML fails here instead of losing text. Parsing the body inside
        its document (rather than grafting a separately parsed body onto the
        old root, docxtpl's map_tree) avoids lxml re-homing every node: 1.7 s
        of a 100-fold workbook's build.
        """
        root = self.docx.element
        head = etree.tostring(root, encoding="unicode").split("<w:body", 1)[0]
        try:
            return parse_xml(head + xml + f"</{root.prefix}:document>")
        except etree.XMLSyntaxError as exc:
            raise TemplateError(f"模板渲染后的 XML 无效：{exc}") from None

    def fix_docpr_ids(self, root) -> None:
        """Renumber the drawings' ids (docxtpl's own uses an xpath python-docx elements refuse)."""
        for drawing in root.iter(qn("wp:docPr")):
            self.docx_ids_index += 1
            drawing.set("id", str(self.docx_ids_index))

    def map_tree(self, root) -> None:
        """Install the document root fix_tables parsed."""
        self.docx.part._element = root  # noqa: SLF001 - python-docx keeps the root here
        self.docx._element = root  # noqa: SLF001
        self.docx._Document__body = None  # noqa: SLF001 - the cached body proxy

    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's preparation of the template XML, remembered between runs."""
        return cache.remembered(src_xml, super().patch_xml, self.cache)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        """docxtpl 0.20.2's render of one part, the template compiled once and then loaded from the cache.

        docxtpl's escapes (`{_{` prints `{{` …) are applied to the template's own text before rendering,
        as Jinja literals, and not to the rendered output: cell text such as `{_{ 7*7 }_}` prints as typed.
        """
        src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        for escaped, tag in TEMPLATE_ESCAPES:
            src_xml = src_xml.replace(escaped, "{{ '%s' }}" % tag)
        self.current_rendering_part = part
        try:
            rendered = jinja_env.get_template(jinja_env.loader.add(src_xml)).render(context)
        except jinja2.TemplateError as exc:
            if getattr(exc, "lineno", None) is not None:  # docxtpl's hint: the text around the failing line
                lines = src_xml.splitlines()[max(exc.lineno - 4, 0): exc.lineno + 3]
                exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in lines]
            raise
        rendered = re.sub(r"\n<w:p([ >])", r"<w:p\1", rendered)
        return self.resolve_listing(rendered)

    def resolve_listing(self, xml: str) -> str:
        """Turn \\n, \\a, \\t, \\f into breaks, paragraphs and tabs, visiting only paragraphs holding one."""
        resolve = super().resolve_listing
        return PARAGRAPH.sub(lambda m: resolve(m.group(0)) if LISTING_CHARACTERS.search(m.group(0)) else m.group(0),
                             xml)


def template_path(custom: Path | str | None = None) -> Path:
    """Return the template to use: the custom one, or the one shipped with the package.

    Installed, the template is the package resource perfreport.templates; run
    from a source checkout, it is the repository's templates/ folder.
    """
    if custom:
        return Path(custom)
    try:
        return Path(str(files("perfreport.templates") / DEFAULT_TEMPLATE))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "templates" / DEFAULT_TEMPLATE


# ---- vertical merges ------------------------------------------------------
def _text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def _merge_table(tbl, columns: list[int]) -> None:
    """Merge equal cells of `columns` down the body rows, each column inside its parent's group."""
    grid = len(tbl.tblGrid.gridCol_lst)
    previous: list | None = None
    for tr in tbl.iterchildren(qn("w:tr")):
        if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            continue
        cells = tr.findall(qn("w:tc"))
        if len(cells) != grid:  # a spanning row (section title, total) ends every group
            previous = None
            continue
        key = [_text(cells[c]) for c in columns]
        for depth, column in enumerate(columns):
            same = previous is not None and key[: depth + 1] == previous[: depth + 1]
            _set_vmerge(cells[column], "continue" if same else "restart")
            if same:
                _empty(cells[column])
        previous = key


# w:tcPr children that come after w:vMerge in the schema's sequence
AFTER_VMERGE = {qn(f"w:{n}") for n in ("tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText",
                                       "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
                                       "tcPrChange")}


def _set_vmerge(tc, value: str) -> None:
    """Set w:vMerge on a cell, in schema order (the template's cells all carry a w:tcPr)."""
    tcPr = tc.find(qn("w:tcPr"))
    merge = tcPr.find(qn("w:vMerge"))
    if merge is None:
        merge = etree.Element(qn("w:vMerge"))
        following = next((child for child in tcPr if child.tag in AFTER_VMERGE), None)
        if following is None:
            tcPr.append(merge)
        else:
            following.addprevious(merge)
    merge.set(qn("w:val"), value)


def _empty(tc) -> None:
    """Leave a merged-away cell with one empty paragraph, as Word requires."""
    paragraphs = tc.findall(qn("w:p"))
    for p in paragraphs[1:]:
        tc.remove(p)
    for run in paragraphs[0].findall(qn("w:r")):
        paragraphs[0].remove(run)


def merge_vertically(body) -> None:
    """Merge the tables whose Alt-Text (tblDescription) is `merge:0,1,…`."""
    for tbl in body.iter(qn("w:tbl")):
        described = tbl.tblPr.find(qn("w:tblDescription"))
        if described is not None and described.get(qn("w:val"), "").startswith("merge:"):
            _merge_table(tbl, [int(c) for c in described.get(qn("w:val"))[6:].split(",")])
            tbl.tblPr.remove(described)


# ---- table of contents -----------------------------------------------------
def _field(instruction: str, shown: str = "", dirty: bool = False) -> str:
    flag = ' w:dirty="true"' if dirty else ""
    return (f'<w:r><w:fldChar w:fldCharType="begin"{flag}/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + (f'<w:r><w:t>{shown}</w:t></w:r>' if shown else ""))


FIELD_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
TOC_FIELD = 'TOC \\o "1-2" \\h \\z \\u'


def _headings(marker) -> list:
    """Return the Heading 1/2 paragraphs after the TOC marker, in document order."""
    styles = " or ".join(f'@w:val="{style}"' for style in TOC_LEVELS)
    found = marker.xpath(f"following::w:p[w:pPr/w:pStyle[{styles}]]")
    return [(TOC_LEVELS[p.pPr.pStyle.val], p) for p in found if _text(p).strip()]


def write_toc(body, pages: dict[str, int] | None = None) -> list[tuple[int, str]]:
    """Replace the 〔目录〕 paragraph with a TOC field whose cached entries list every heading.

    Word refreshes the field when the file opens (it is marked dirty); WPS and
    LibreOffice show these cached entries. Page numbers are filled from `pages`
    (heading text -> page) when a rendering gave them. Returns the entries.
    """
    marker = next((p for p in body.iter(qn("w:p")) if _text(p) == TOC_MARKER), None)
    if marker is None:
        return []
    ids = [int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))]
    next_id = max(ids, default=0) + 1
    entries = []
    for n, (level, p) in enumerate(_headings(marker)):
        name = f"_Toc{next_id + n:09d}"
        start = parse_xml(f'<w:bookmarkStart {W} w:id="{next_id + n}" w:name="{name}"/>')
        end = parse_xml(f'<w:bookmarkEnd {W} w:id="{next_id + n}"/>')
        runs = p.r_lst
        if runs:
            runs[0].addprevious(start)
            runs[-1].addnext(end)
        entries.append((level, _text(p), name))
    paragraphs = []
    for i, (level, text, name) in enumerate(entries):
        head = _field(TOC_FIELD, dirty=True) if i == 0 else ""
        tail = FIELD_END if i == len(entries) - 1 else ""
        page = _field(f"PAGEREF {name} \\h", str((pages or {}).get(text, ""))) + FIELD_END
        style = "TOC1" if level == 1 else "TOC2"
        paragraphs.append(
            f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{head}'
            f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r><w:t xml:space="preserve">{_escape(text)}</w:t></w:r>'
            f'<w:r><w:tab/></w:r>{page}</w:hyperlink>{tail}</w:p>')
    for xml in paragraphs:
        marker.addprevious(parse_xml(xml))
    marker.getparent().remove(marker)
    return [(level, text) for level, text, _ in entries]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- document --------------------------------------------------------------
def _settings(document) -> None:
    """Ask Word to refresh fields (the TOC) when the file opens; schema order kept."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.insert_element_before(
            parse_xml(f'<w:updateFields {W} w:val="true"/>'),
            "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
            "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
            "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def _properties(document, context: dict) -> None:
    core = document.core_properties
    core.title = context["title"]
    core.author = core.last_modified_by = context["agency"]
    core.subject = "部门整体绩效评价报告"
    core.comments = "由 perfreport 根据评价工作簿生成"
    core.keywords = ""
    core.revision = 1
    year, month, day = context["report_date"]
    core.created = core.modified = datetime(year, month, day or 1)


def _reproducible(data: bytes) -> bytes:
    """Return the .docx with every zip entry stamped with one fixed time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


@dataclass(frozen=True)
class Rendered:
    data: bytes  # the .docx
    headings: list[str]  # the 目录's entries, in order


def render(context: dict, template: Path | str | None = None, pages: dict[str, int] | None = None) -> Rendered:
    """Return the report .docx rendered from `context`; `pages` fills the 目录's page numbers."""
    tpl = _Template(str(template_path(template)), cache.folder())
    values = dict(context)
    qr = context["letter"]["qr"]
    values["qr_image"] = InlineImage(tpl, qr, width=Mm(30)) if qr else ""
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                      loader=cache.Sources(), bytecode_cache=cache.bytecode(tpl.cache))
    try:
        tpl.render(values, env)
    except TemplateError:
        raise
    except Exception as exc:  # jinja2 errors from a custom template
        near = re.sub(r"\s+", " ", "".join(getattr(exc, "docx_context", None) or []))[:200]
        raise TemplateError(f"模板渲染失败：{exc}" + (f"（附近：{near}）" if near else "")) from None
    document = tpl.docx
    body = document.element.body
    merge_vertically(body)
    headings = write_toc(body, pages)
    _settings(document)
    _properties(document, context)
    buffer = io.BytesIO()
    document.save(buffer)
    return Rendered(_reproducible(buffer.getvalue()), [text for _, text in headings])

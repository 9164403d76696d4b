"""Render the composed context into the .docx, byte for byte reproducible.

docxtpl renders the template with autoescape and StrictUndefined, so cell text
is printed as typed and a missing name fails loudly. The rendered XML is parsed
strictly (docxtpl's own pass would silently recover from broken XML). Before
that parse, one linear pass over the rendered XML (perfreport.numbering) gives
headings, tables and attachments their numbers in document order and writes
the 目录 and the 附件 list. Then, on the document tree: tables marked `merge:…`
are merged vertically by value, columns marked `drop:…` removed, and document
properties are set from the workbook. Zip entries get fixed timestamps.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined
from lxml import etree

from . import cache, docprops, layout, numbering, table_template, typeset
from .errors import Problem

DEFAULT_TEMPLATE = "部门整体绩效评价报告.docx"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
W = nsdecls("w")


class TemplateError(RuntimeError):
    """The template itself is broken (a bug or a bad custom template), not the workbook."""


LISTING_CHARACTERS = re.compile("[\t\n\a\f]")
TEMPLATE_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))  # docxtpl's, for template authors
PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.S)


class _Template(DocxTemplate):
    """docxtpl with a strict parse, its costly passes limited to what needs them, its preparation cached."""

    def __init__(self, path: str, cache_folder: Path | None, pages: dict[str, int] | None = None):
        super().__init__(path)
        self.cache = cache_folder
        self.pages = pages
        self.outline: numbering.Outline | None = None
        self.source = ""  # the prepared body XML, for locating template errors

    def build_xml(self, context, jinja_env=None) -> str:
        """The rendered body, numbered in document order (perfreport.numbering)."""
        xml = super().build_xml(context, jinja_env)
        self.outline = numbering.resolve(xml, self.heading_styles(), context, self.pages)
        return self.outline.xml

    def heading_styles(self) -> dict[str, tuple[int, bool]]:
        """The template's heading styles: style id -> (level, numbered)."""
        styles = self.docx.styles.element
        names = {s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val"))
                 for s in styles.iterchildren(qn("w:style"))
                 if s.get(qn("w:type")) == "paragraph" and s.find(qn("w:name")) is not None}
        return numbering.heading_styles(names)

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
        """docxtpl's preparation of the template XML, remembered between runs; then the laid-out tables'."""
        return table_template.prepare(cache.remembered(src_xml, super().patch_xml, self.cache))

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        """docxtpl 0.20.2's render of one part, the template compiled once and then loaded from the cache.

        docxtpl's escapes (`{_{` prints `{{` …) are applied to the template's own text before rendering,
        as Jinja literals, and not to the rendered output: cell text such as `{_{ 7*7 }_}` prints as typed.
        """
        src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        if part is self.docx._part:  # noqa: SLF001
            self.source = src_xml
        for escaped, tag in TEMPLATE_ESCAPES:
            src_xml = src_xml.replace(escaped, "{{ '%s' }}" % tag)
        self.current_rendering_part = part
        rendered = jinja_env.get_template(jinja_env.loader.add(src_xml)).render(context)  # errors: template_errors
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


def _merge_table(tbl, columns: list[int], restarts: frozenset[int] = frozenset()) -> None:
    """Merge equal cells of `columns` down the body rows, each column inside its parent's group; a group
    starts again at the body rows `restarts` (rows that begin a page: the names are printed there again)."""
    grid = len(tbl.tblGrid.gridCol_lst)
    previous: list | None = None
    body_rows = (tr for tr in tbl.iterchildren(qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None)
    for index, tr in enumerate(body_rows):
        cells = tr.findall(qn("w:tc"))
        if len(cells) != grid or index in restarts:  # a spanning row (section title, total) ends every group
            previous = None
        if len(cells) != grid:
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


def _drop_column(tbl, column: int) -> None:
    """Remove grid column `column`; its width goes to the widest remaining column."""
    grid = tbl.tblGrid.gridCol_lst
    width = grid[column].w
    widest = max((i for i in range(len(grid)) if i != column), key=lambda i: grid[i].w)
    target = widest - (widest > column)
    grid[column].getparent().remove(grid[column])
    grid = tbl.tblGrid.gridCol_lst
    grid[target].w = grid[target].w + width
    for tr in tbl.iterchildren(qn("w:tr")):
        position = 0
        for tc in list(tr.iterchildren(qn("w:tc"))):
            span = tc.grid_span
            if position <= column < position + span:
                if span == 1:
                    tr.remove(tc)
                else:
                    tc.grid_span = span - 1
                    tc.width = tc.width - width
            elif position <= target + (target >= column) < position + span:
                tc.width = tc.width + width
            position += span


def table_passes(body) -> None:
    """Run the Alt-Text (tblDescription) instructions: `merge:0,1,…` merges by value (`restart:3,…` starts the
    groups again at those body rows), `drop:7,…` removes columns."""
    for tbl in body.iter(qn("w:tbl")):
        described = tbl.tblPr.find(qn("w:tblDescription"))
        if described is None:
            continue
        words = dict(word.partition(":")[::2] for word in described.get(qn("w:val"), "").split())
        if "merge" not in words and "drop" not in words:
            continue
        if words.get("merge"):
            restarts = frozenset(int(r) for r in words.get("restart", "").split(",") if r)
            _merge_table(tbl, [int(c) for c in words["merge"].split(",")], restarts)
        for column in sorted((int(c) for c in words.get("drop", "").split(",") if c), reverse=True):
            _drop_column(tbl, column)
        tbl.tblPr.remove(described)


# ---- document --------------------------------------------------------------
def _settings(document, refresh: bool = True) -> None:
    """Derive the document ids; with `refresh` (the 目录 has no page numbers) ask Word to refresh fields when
    the file opens, schema order kept."""
    settings = document.settings.element
    docprops.set_document_ids(settings, etree.tostring(document.element.body))
    if refresh and settings.find(qn("w:updateFields")) is None:
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
    docprops.set_app(document, docprops.app_xml(docprops.counts(document.element.body), context["agency"]))


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
    problems: list[Problem] = field(default_factory=list)  # parts the template did not place, or placed twice


def render(context: dict, template: Path | str | None = None, pages: dict[str, int] | None = None) -> Rendered:
    """Return the report .docx rendered from `context`; `pages` fills the 目录's page numbers.

    Raises TemplateError, saying which block of the template broke and where,
    when the template cannot be rendered.
    """
    tpl = _Template(str(template_path(template)), cache.folder(), pages)
    values = dict(context)
    qr = context["letter"]["qr"]
    values["qr_image"] = InlineImage(tpl, qr, width=Mm(30)) if qr else ""
    env = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                      loader=cache.Sources(), bytecode_cache=cache.bytecode(tpl.cache))
    env.filters["balance"] = typeset.balance
    env.globals["table_layout"] = layout.table
    try:
        tpl.render(values, env)
    except TemplateError:
        raise
    except Exception as exc:  # jinja2 errors, or a name the template asks for and compose does not have
        from .template_errors import describe
        raise TemplateError(describe(exc, tpl.source)) from None
    document = tpl.docx
    body = document.element.body
    table_passes(body)
    typeset.mark_east_asian(body)
    _settings(document, refresh=not tpl.outline.paged)
    _properties(document, context)
    buffer = io.BytesIO()
    document.save(buffer)
    problems = tpl.outline.problems + numbering.unused_texts(context)
    return Rendered(_reproducible(buffer.getvalue()), tpl.outline.headings, problems)

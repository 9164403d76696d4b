"""Render the composed context into the .docx, byte for byte reproducible, without a document tree.

The template is prepared once and kept by its content (perfreport.prepare:
docxtpl's preparation of its XML, and the package python-docx would save).
A build renders the body with jinja2 (autoescape and StrictUndefined: cell
text prints as typed, a missing name fails loudly; its macros stream, so
that no table is ever one string: perfreport.macrostream) and streams it
through linear passes, in segments cut at paragraph starts (outside text
boxes):
1. docxtpl's listing (\\n, \\t … in text become breaks and tabs);
2. perfreport.numbering numbers headings, tables and attachments in document
   order and writes the 目录 and the 附件 list (it reads every segment, then
   hands them back one by one);
3. each segment is written as lxml would (bodyxml.canonical), its pictures
   numbered, the Alt-Text of its tables carried out (perfreport.tables:
   `merge:` vertical merges, `drop:` empty columns), the East Asian font hint
   set (typeset), its words counted (docprops);
4. its bytes are checked for well-formedness as they go (expat: strict, no
   tree), hashed for the document ids and deflated.
Headers, footers and footnotes are rendered alike (without the body's passes),
the core properties, settings and app.xml filled in, and the zip written once
(perfreport.opc), every entry with one fixed time.
"""
from __future__ import annotations

import gc
import hashlib
import itertools
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from jinja2 import BaseLoader, FileSystemBytecodeCache, StrictUndefined

from . import bodyxml, cache, docprops, keystream, layout, macrostream, numbering, opc, prepare, sink, tables, typeset
from .errors import Problem

DEFAULT_TEMPLATE = "部门整体绩效评价报告.docx"
ZIP_TIME = opc.ZIP_TIME
SEGMENT = 1 << 20  # characters: the body is cut into segments of about this size
SPOOL_TEXT = 1 << 25  # characters of the body held as text (x100 whole: 109 MiB peak), the rest deflated
QR_WIDTH = 30 * 36000  # the letter's QR code, 30 mm wide (EMU)
# docxtpl's InlineImage, as python-docx writes the picture (CT_Inline.new_pic_inline)
INLINE = ('</w:t></w:r><w:r><w:drawing><wp:inline '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
          '<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{id}" name="Picture {id}"/><wp:cNvGraphicFramePr>'
          '<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic>'
          '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
          '<pic:cNvPr id="0" name={name}/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/>'
          '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
          '<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData>'
          '</a:graphic></wp:inline></w:drawing></w:r><w:r><w:t xml:space="preserve">')


class TemplateError(RuntimeError):
    """The template itself is broken (a bug or a bad custom template), not the workbook."""


def template_path(custom: Path | str | None = None) -> Path:
    """Return the template to use: the custom one, or the one shipped with the package.

    Installed, the template is the package resource perfreport.templates (a folder beside this module, not
    looked up through importlib.resources, which takes milliseconds to import); run from a source checkout, it
    is the repository's templates/ folder.
    """
    if custom:
        return Path(custom)
    installed = Path(__file__).parent / "templates" / DEFAULT_TEMPLATE  # where pip puts the package's data
    return installed if installed.exists() else Path(__file__).resolve().parent.parent / "templates" / DEFAULT_TEMPLATE


@dataclass(frozen=True)
class Rendered:
    """A rendered report: the .docx, the 目录 it holds, and what the numbering found amiss."""

    data: bytes  # the .docx
    headings: list[str]  # the 目录's entries, in order
    problems: list[Problem] = field(default_factory=list)  # parts the template did not place, or placed twice


def render(context: dict, template: Path | str | None = None, pages: dict[str, int] | None = None,
           stamp: tuple[str, str] | None = None) -> Rendered:
    """Return the report .docx rendered from `context`; `pages` fills the 目录's page numbers.

    With `stamp` (the workbook's fingerprint and the report's subject) the
    report is also stamped as edits.stamp stamps it: its keys finalized as the
    body streams (perfreport.keystream), or, for a body that holds what only
    edits.stamp handles, by edits.stamp after the render.

    Raises TemplateError, saying which block of the template broke and where,
    when the template cannot be rendered or renders to XML that is not
    well-formed.
    """
    if stamp is not None:
        try:
            return _rendered(context, template, pages, stamp)
        except keystream.Unusual:
            from . import edits

            rendered = _rendered(context, template, pages, None)
            return Rendered(edits.stamp(rendered.data, *stamp), rendered.headings, rendered.problems)
    return _rendered(context, template, pages, None)


def _rendered(context: dict, template: Path | str | None, pages: dict[str, int] | None,
              stamp: tuple[str, str] | None) -> Rendered:
    """_render's report; rendered again in this process alone when the child checking the body was lost."""
    try:
        return _render(context, template, pages, stamp, spare=True)
    except sink.Lost:
        return _render(context, template, pages, stamp, spare=False)


def _render(context: dict, template: Path | str | None, pages: dict[str, int] | None,
            stamp: tuple[str, str] | None, spare: bool) -> Rendered:
    folder = cache.folder()
    build = _Build(prepare.load(template_path(template), folder), context, folder, stamp, spare)
    frozen = gc.get_freeze_count()  # a batch froze what its forked builds inherit: leave that as it is
    gc.freeze()  # what exists now (the workbook, the context) outlives the render: no collection need scan it
    try:
        outline = build.body(pages)
        build.other_parts()
    except bodyxml.NotWellFormed as exc:
        raise TemplateError(f"模板渲染后的 XML 无效：{exc}") from None
    except (TemplateError, keystream.Unusual, sink.Lost):
        raise
    except Exception as exc:  # jinja2 errors, or a name the template asks for and compose does not have
        from .template_errors import describe
        raise TemplateError(describe(exc, build.source)) from None
    finally:
        build.part.abandon()  # a child still running: the body stopped early
        if not frozen:
            gc.unfreeze()
    build.properties(outline.paged)
    problems = outline.problems + numbering.unused_texts(context)
    return Rendered(opc.write_zip(build.entries()), outline.headings, problems)


class _Environment(macrostream.Environment):
    """jinja2's, its macros streaming (perfreport.macrostream), looking a name up in a dict first (compose's
    rows are dicts: `r.c0`).

    jinja2 tries an attribute first, which for a dict raises and is caught
    for every cell; the answer is the same, as a dict's own methods keep
    their precedence.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


DICT_ATTRIBUTES = frozenset(dir(dict))


def _environment(folder: Path | None) -> _Environment:
    """This process's jinja2 environment for the cache in `folder`: it keeps the templates it compiled."""
    if folder not in ENVIRONMENTS:
        # the compiled code, kept by the template's text and the code generator's digest
        compiled = FileSystemBytecodeCache(str(folder), f"__jinja2_%s.{macrostream.DIGEST}.cache") if folder else None
        env = _Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                           loader=_Sources(), bytecode_cache=compiled)
        env.filters["balance"] = typeset.balance
        env.globals["table_layout"] = layout.table
        ENVIRONMENTS[folder] = env
    return ENVIRONMENTS[folder]


ENVIRONMENTS: dict[Path | None, _Environment] = {}


class _Sources(BaseLoader):
    """Serves prepared XML to jinja2 by content key, so its bytecode cache can find the compiled code."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def add(self, text: str) -> str:
        """Register a template text; return the name to load it by."""
        name = cache.key(text)
        self.sources[name] = text
        return name

    def get_source(self, environment, template):
        return self.sources[template], None, lambda: True


def warm(template: Path | str | None = None) -> None:
    """Prepare and compile the template now, for the builds this process and the processes it forks run."""
    folder = cache.folder()
    try:
        prepared = prepare.load(template_path(template), folder)
        env = _environment(folder)
        for source in prepared.sources.values():
            env.get_template(env.loader.add(source))
    except Exception:  # noqa: BLE001 - a broken template: each build that uses it says what is wrong
        pass


class _Build:
    """One report: the template's package being filled, and what the body's passes gathered."""

    def __init__(self, prepared: prepare.Prepared, context: dict, folder: Path | None,
                 stamp: tuple[str, str] | None = None, spare: bool = False):
        self.prepared, self.context, self.package = prepared, context, prepared.package()
        self.part = sink.Part(spare)  # the document part's check and deflating
        self.stamper = keystream.Stamper(prepared.head.decode("utf-8"), *stamp) if stamp else None
        self.env = _environment(folder)
        self.values = dict(context)
        qr = context["letter"]["qr"]
        self.values["qr_image"] = self.picture(qr) if qr else ""
        self.source = ""  # the prepared XML being rendered, for locating template errors
        self.counts = docprops.Counts()
        self.digest = hashlib.sha256()

    def template(self, name: str):
        self.source = self.prepared.sources[name]
        return self.env.get_template(self.env.loader.add(self.source))

    def body(self, pages: dict[str, int] | None) -> numbering.Outline:
        """Render the document part into the package (deflated); return what the numbering found."""
        main = self.prepared.main
        numbers, spool = numbering.Numbering(self.prepared.styles, self.context, pages), _Spool()
        part = self.part
        for segment in _segments(self.template(main).generate(self.values)):
            segment = bodyxml.resolve_listing(_unmarked(segment))
            numbers.add(segment)
            spool.append(segment)
            part.expect(spool.size)  # a large body: the child starts while the rest is rendered
        outline = numbers.outline(spool)
        drawings = bodyxml.DRAWING_IDS_FROM
        part.feed(self.prepared.head)
        table_pass = tables.TablePass()
        for xml in itertools.chain(outline.segments, [None]):
            closing = xml is None
            if closing:
                xml = table_pass.close()
            else:
                xml, drawings = bodyxml.number_drawings(bodyxml.canonical(xml, self.prepared.empty), drawings)
                xml = table_pass.feed(xml)
            xml, _ = typeset.mark_east_asian(xml)
            self.counts += docprops.counts(xml)
            data = xml.encode("utf-8")
            self.digest.update(data)  # the document ids come from the body as rendered (before its keys' stamp)
            if self.stamper:
                data = (self.stamper.feed(xml) + (self.stamper.close() if closing else "")).encode("utf-8")
            part.feed(data)
        part.feed(self.prepared.tail)
        self.package.parts[main] = (self.package.parts[main][0], part.close())
        return outline

    def other_parts(self) -> None:
        """Render the headers, footers and footnotes: docxtpl's listing, then as lxml writes them."""
        for name in self.prepared.sources:
            if name == self.prepared.main:
                continue
            content_type, _ = self.package.parts[name]
            xml = bodyxml.resolve_listing(_unmarked(self.template(name).render(self.values)))
            if content_type == prepare.FOOTNOTES:  # python-docx keeps this part as docxtpl leaves it
                data = xml.encode("utf-8")
            else:
                data = bodyxml.DECLARATION + bodyxml.canonical(xml, self.prepared.empty).encode("utf-8")
            bodyxml.Wellformed().feed(data, final=True)
            self.package.parts[name] = (content_type, data)

    def properties(self, paged: bool) -> None:
        """The core properties, the document ids in the settings and app.xml's counts; `paged`: the 目录 has its
        page numbers, so the settings do not ask Word to refresh it."""
        context, tokens = self.context, prepare.TOKENS
        year, month, day = context["report_date"]
        core = {tokens["title"]: context["title"], tokens["agency"]: context["agency"],
                tokens["identifier"]: self.rendered(self.prepared.core["identifier"]),
                tokens["language"]: self.rendered(self.prepared.core["language"])}
        short, guid = docprops.document_ids(self.digest.hexdigest())
        for name, (content_type, data) in self.package.parts.items():
            if content_type == prepare.CORE:
                text = data.decode("utf-8").replace(prepare.DATE_TEXT, f"{year:04d}-{month:02d}-{day or 1:02d}T00:00:00Z")
                for token, value in core.items():
                    text = text.replace(token, bodyxml.escape(value))
                self.package.parts[name] = (content_type, text.encode("utf-8"))
            elif content_type == prepare.SETTINGS:
                data = self.prepared.paged if paged else data
                data = data.replace(tokens["w14"].encode(), short.encode()).replace(tokens["w15"].encode(), guid.encode())
                self.package.parts[name] = (content_type, data)
            elif content_type == prepare.APP:
                self.package.parts[name] = (content_type, docprops.app_xml(self.counts, context["agency"]))

    def entries(self) -> list:
        """The package's zip entries, the store of its blocks last when the report is stamped."""
        entries = list(self.package.entries())
        if not self.stamper:
            return entries
        return keystream.with_store(entries, self.stamper.store_part(), self.prepared.main)

    def rendered(self, text: str) -> str:
        """A core property of the template rendered as docxtpl does (it may hold jinja2)."""
        return self.env.from_string(text).render(self.values) if "{" in text else text

    def picture(self, path: str) -> str:
        """docxtpl's InlineImage of the picture at `path`, 30 mm wide, its image part added to the package."""
        from docx.image.image import Image  # the picture's size and resolution, read as python-docx reads them
        from markupsafe import Markup

        image, main = Image.from_file(path), self.prepared.main
        name = self.prepared.images.get(image.sha1)
        if name is None:
            used = [int(m.group(1)) if (m := re.search(r"(\d+)\.[^./]*$", n)) else None
                    for n in self.prepared.images.values()]
            number = next(n for n in range(1, len(used) + 2) if n not in used)
            name = f"word/media/image{number}.{image.ext}"
            self.package.parts[name] = (image.content_type, image.blob)
        rid = next((r.id for r in self.package.rels.get(main, []) if r.type == prepare.IMAGE and not r.external
                    and self.package.target(main, r) == name), None) or self.package.relate(main, prepare.IMAGE, name)
        cx, cy = image.scaled_dimensions(QR_WIDTH, None)
        shape = self.prepared.next_shape_id
        return Markup(INLINE.format(cx=cx, cy=cy, id=shape, rid=rid, name=bodyxml.quoteattr(image.filename)))


def _segments(pieces: Iterator[str]) -> Iterator[str]:
    """Yield the rendered body in segments of about SEGMENT characters, each cut where a paragraph starts
    outside a text box (at the line break the preparation put before each paragraph).

    A piece longer than a segment (a macro's output printed through a filter,
    say) is cut where it is, not copied onto what came before it.
    """
    pending, size = [], 0
    for piece in pieces:  # a piece may be Markup: joined with "" and sliced as str, so nothing is escaped
        size += len(piece)
        if size <= SEGMENT:
            pending.append(piece)
            continue
        head, text = ("".join(pending), piece) if len(piece) > SEGMENT else ("", "".join(pending + [piece]))
        start = 0
        for cut in _cuts(text):
            yield head + str.__getitem__(text, slice(start, cut))
            head, start = "", cut
        pending = [head, str.__getitem__(text, slice(start, None))]
        size = len(head) + len(text) - start
    yield "".join(pending)


def _cuts(text: str) -> Iterator[int]:
    """Where to cut `text` into segments of about SEGMENT characters, the last one left whole."""
    start = 0
    while len(text) - start > SEGMENT:
        cut = text.rfind("\n<w:p", start + 1, start + SEGMENT)
        cut = cut if cut > 0 else text.find("\n<w:p", start + SEGMENT)  # a paragraph longer than a segment
        while cut > 0 and text.count("<w:txbxContent>", start, cut) > text.count("</w:txbxContent>", start, cut):
            cut = text.find("\n<w:p", text.find("</w:txbxContent>", cut) + 1)  # not inside a text box
        if cut <= 0:
            return
        yield cut
        start = cut


class _Spool:
    """The body's segments from the numbering's reading to its writing: text while the body is small, then
    deflated (a large body would otherwise be held in full)."""

    def __init__(self) -> None:
        self.items: list[str | bytes] = []
        self.size = 0

    def append(self, xml: str) -> None:
        self.size += len(xml)
        self.items.append(xml if self.size <= SPOOL_TEXT else zlib.compress(xml.encode("utf-8"), 1))

    def __getitem__(self, n: int) -> str:
        item = self.items[n]
        return item if isinstance(item, str) else zlib.decompress(item).decode("utf-8")

    def __setitem__(self, n: int, xml: str) -> None:
        self.items[n] = xml


def _unmarked(xml: str) -> str:
    """Without the line break the preparation put before each paragraph."""
    lines = xml.split("\n")  # split and joined at C speed, only the breaks in text looked at one by one
    marks = list(map(str.startswith, lines, itertools.repeat(PARAGRAPH_STARTS)))
    marks[0] = True  # nothing before the first line
    kept = -1
    while (kept := _index(marks, False, kept + 1)) >= 0:  # a break that is not a mark: kept
        lines[kept] = "\n" + lines[kept]
    return "".join(lines)


PARAGRAPH_STARTS = ("<w:p>", "<w:p ")


def _index(items: list, value, start: int) -> int:
    """The index of `value` in `items` from `start` on, -1 if none."""
    try:
        return items.index(value, start)
    except ValueError:
        return -1

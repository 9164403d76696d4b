"""The render path's guarantees, without a document tree (issue 15).

- A report is byte for byte what the tree-based render wrote: every part is
  what lxml writes once it parses it, the string passes do what the tree
  passes did (tests/tree_passes.py keeps them), and cutting the body into
  segments changes nothing.
- Rebuilds are identical, in another process, with or without the cache.
- The XML is strict: what renders to XML that is not well-formed (namespaces
  included) is a template error and nothing is written.
- The cache is keyed by content and only ever an optimisation; a build that
  finds its template prepared imports neither python-docx nor docxtpl.
- The package is written as python-docx and zipfile wrote it.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

import tree_passes
from other_workbook import write_other_workbook
from perfreport import bodyxml, opc, prepare, render, tables, typeset
from perfreport.pipeline import build
from perfreport.render import template_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("render-path")
    paths = {"sample": SAMPLE, "other": write_other_workbook(folder / "other.xlsx")}
    out = {}
    for name, path in paths.items():
        assert build(path, folder / f"{name}.docx").ok
        out[name] = (folder / f"{name}.docx").read_bytes()
    return out


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


# ---- what the tree-based render wrote ---------------------------------------------------------
@pytest.mark.parametrize("name", ["sample", "other"])
def test_the_rendered_parts_are_written_as_lxml_writes_them_once_parsed(reports, name):
    """The tree-based render parsed them and python-docx wrote the tree: the same bytes."""
    rendered = [(p, d) for p, d in _parts(reports[name]).items() if re.fullmatch(r"word/(document|footer\d+)\.xml", p)]
    assert len(rendered) == 4
    for part, data in rendered:
        assert data == etree.tostring(etree.fromstring(data), encoding="UTF-8", standalone=True), part


@pytest.fixture()
def passes(monkeypatch):
    """Record what render's table pass (all it was fed, all it gave) and hint pass were given and gave back."""
    seen = {"tables": ["", ""], "hints": []}
    real_feed, real_close, real_hints = tables.TablePass.feed, tables.TablePass.close, typeset.mark_east_asian

    def feed(self, xml):
        out = real_feed(self, xml)
        seen["tables"][0] += xml
        seen["tables"][1] += out
        return out

    def close(self):
        out = real_close(self)
        seen["tables"][1] += out
        return out

    def mark_east_asian(xml):
        out = real_hints(xml)
        seen["hints"].append((xml, out))
        return out
    monkeypatch.setattr(tables.TablePass, "feed", feed)
    monkeypatch.setattr(tables.TablePass, "close", close)
    monkeypatch.setattr(typeset, "mark_east_asian", mark_east_asian)
    return seen


@pytest.mark.parametrize("workbook", ["sample", "other"])
def test_the_string_passes_write_what_the_tree_passes_wrote(passes, workbook, tmp_path, monkeypatch):
    monkeypatch.setattr(render, "SEGMENT", 20_000)  # tables cut into pieces too
    path = SAMPLE if workbook == "sample" else write_other_workbook(tmp_path / "other.xlsx")
    assert build(path, tmp_path / "out.docx").ok
    given, got = passes["tables"]
    body = tree_passes.tree(given)
    tree_passes.table_passes(body)
    assert "<w:tblDescription" in given and got == etree.tostring(body, encoding="unicode")
    assert len(passes["hints"]) > 3  # one call per piece: together they are the body
    body = tree_passes.tree("".join(given for given, _ in passes["hints"]))
    assert sum(marked for _, (_, marked) in passes["hints"]) == tree_passes.mark_east_asian(body) > 0
    assert "".join(got for _, (got, _) in passes["hints"]) == etree.tostring(body, encoding="unicode")


def _cell(text: str, properties: str = '<w:tcW w:w="1000" w:type="dxa"/>', extra: str = "") -> str:
    runs = "".join(f"<w:r><w:t>{t}</w:t></w:r>" for t in text.split("|")) if text else ""
    return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{runs}</w:p>{extra}</w:tc>"


def _table(description: str, rows: list[str], grid=(1000, 2000, 1500)) -> str:
    columns = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblDescription w:val="{description}"/></w:tblPr>'
            f"<w:tblGrid>{columns}</w:tblGrid>{''.join(rows)}</w:tbl>")


def _row(*cells: str, header: bool = False) -> str:
    return f"<w:tr>{'<w:trPr><w:tblHeader/></w:trPr>' if header else ''}{''.join(cells)}</w:tr>"


SPAN = '<w:tcW w:w="3000" w:type="dxa"/><w:gridSpan w:val="2"/>'
TABLES = {
    "merge by parent group": _table("merge:0,1", [
        _row(_cell("一级"), _cell("二级"), _cell("值"), header=True),
        _row(_cell("甲"), _cell("子"), _cell("1")), _row(_cell("甲"), _cell("子"), _cell("2")),
        _row(_cell("甲"), _cell("丑"), _cell("3")), _row(_cell("乙"), _cell("丑"), _cell("4"))]),
    "a spanning row ends the groups": _table("merge:0", [
        _row(_cell("甲"), _cell("a"), _cell("b")), _row(_cell("合计", SPAN), _cell("c")),
        _row(_cell("甲"), _cell("a"), _cell("b")), _row(_cell("甲"), _cell("a|b"), _cell("c"))]),
    "cell properties in schema order": _table("merge:0 drop:", [
        _row(_cell("甲", '<w:tcW w:w="1" w:type="dxa"/><w:shd w:val="clear"/><w:vAlign w:val="center"/>'),
             _cell("x"), _cell("y")),
        _row(_cell("甲", '<w:tcW w:w="1" w:type="dxa"/><w:vMerge/><w:tcBorders><w:top w:val="nil"/></w:tcBorders>'),
             _cell("x"), _cell("y")),
        _row(_cell("甲", ""), _cell("x"), _cell("y"))]),
    "merged-away cells lose every paragraph but the first": _table("merge:0", [
        _row(_cell("甲", extra="<w:p><w:r><w:t>二段</w:t></w:r></w:p>"), _cell("x"), _cell("y")),
        _row(_cell("甲|乙", extra="<w:p><w:r><w:t>二段</w:t></w:r></w:p><w:bookmarkStart w:id=\"1\" w:name=\"b\"/>"),
             _cell("x"), _cell("y")),
        _row("<w:tc><w:tcPr/><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc>", _cell("x"), _cell("y")),
        _row('<w:tc><w:tcPr/><w:p><w:r><w:t>甲</w:t></w:r><w:hyperlink w:anchor="a"><w:r><w:t>链</w:t></w:r>'
             "</w:hyperlink></w:p></w:tc>", _cell("x"), _cell("y"))]),
    "merged-away cells keep their bookmarks": _table("merge:0", [
        _row(_cell("甲"), _cell("x"), _cell("y")),
        *[_row(_cell("甲", extra="").replace("<w:r>", bookmarks + "<w:r>", 1), _cell("x"), _cell("y")) for bookmarks in (
            '<w:bookmarkStart w:id="0" w:name="_prk1.c0"/>', '<w:bookmarkEnd w:id="0"/><w:bookmarkStart w:id="1" w:name="b"/>',
            '<w:proofErr w:type="spellStart"/>')],
        _row(_cell("甲|乙").replace("</w:r><w:r>", '</w:r><w:bookmarkEnd w:id="1"/><w:r>'), _cell("x"), _cell("y")),
        _row(_cell("甲").replace("</w:p>", '<w:bookmarkEnd w:id="0"/></w:p>'), _cell("x"), _cell("y"))]),
    "drop a column, its width to the widest": _table("drop:0", [
        _row(_cell("a"), _cell("b"), _cell("c")), _row(_cell("ab", SPAN), _cell("c"))]),
    "drop two columns through spans": _table("drop:1,2", [
        _row(_cell("a"), _cell("b"), _cell("c")), _row(_cell("a"), _cell("bc", SPAN)),
        _row(_cell("abc", '<w:tcW w:w="4500" w:type="dxa"/><w:gridSpan w:val="3"/>'))], grid=(3000, 1000, 500)),
    "merge and drop": _table("merge:0,1 drop:2", [
        _row(_cell("甲"), _cell("子"), _cell("")), _row(_cell("甲"), _cell("子"), _cell(""))]),
    "a nested table with its own instructions": _table("merge:0", [
        _row(_cell("甲", extra=_table("drop:2", [_row(_cell("n"), _cell("m"), _cell("o"))])), _cell("x"), _cell("y")),
        _row(_cell("甲", extra=_table("drop:2", [_row(_cell("n"), _cell("m"), _cell("o"))])), _cell("x"), _cell("y"))]),
    "other Alt-Text is left alone": _table("说明文字", [_row(_cell("甲"), _cell("x"), _cell("y"))]),
    "groups start again where a page begins": _table("merge:0,1 restart:2,3", [
        _row(_cell("一级"), _cell("二级"), _cell("值"), header=True),
        *[_row(_cell("甲"), _cell("子"), _cell(str(n))) for n in range(3)], _row(_cell("合计", SPAN), _cell("c")),
        _row(_cell("甲"), _cell("子"), _cell("9"))]),
}


@pytest.mark.parametrize("name", TABLES)
def test_table_instructions_on_the_text_do_what_they_did_on_the_tree(name):
    xml = bodyxml.collapse(f'<w:p><w:r><w:t>前</w:t></w:r></w:p>{TABLES[name]}<w:p/>')
    body = tree_passes.tree(xml)
    tree_passes.table_passes(body)
    assert tables.table_passes(xml) == tree_passes.text_of(body)


@pytest.mark.parametrize("name", TABLES)
def test_table_instructions_on_text_cut_at_every_paragraph_give_the_same(name):
    """Fed in pieces cut at paragraph starts, as render feeds its segments: a row may come in many pieces."""
    xml = bodyxml.collapse(f'<w:p><w:r><w:t>前</w:t></w:r></w:p>{TABLES[name]}<w:p/>')
    cuts = [m.start() for m in re.finditer("<w:p[ >/]", xml)][1:]
    table_pass = tables.TablePass()
    fed = "".join(table_pass.feed(xml[a:b]) for a, b in zip([0, *cuts], [*cuts, len(xml)])) + table_pass.close()
    assert fed == tables.table_passes(xml)


@pytest.mark.parametrize("jinja, lxml", [
    ('<w:t xml:space="preserve"></w:t><w:t></w:t>', '<w:t xml:space="preserve"/><w:t/>'),
    ("<w:t>&#34;甲&#39;</w:t>", "<w:t>\"甲'</w:t>"),
    ('<w:bookmarkStart w:id="1" w:name="&#34;&#39;"/>', '<w:bookmarkStart w:id="1" w:name="&quot;\'"/>'),
    ("<w:p>\n  <w:r><w:t> </w:t></w:r>\n</w:p>", "<w:p><w:r><w:t> </w:t></w:r></w:p>"),
    ("<w:p><w:pPr/></w:p>", "<w:p><w:pPr/></w:p>"),
])
def test_text_is_written_as_lxml_writes_it(jinja, lxml):
    empty = [('<w:t xml:space="preserve">', "w:t"), ("<w:t>", "w:t")]
    assert bodyxml.canonical(jinja, empty) == lxml == tree_passes.text_of(tree_passes.tree(jinja))


def test_the_elements_a_rendering_may_leave_empty_are_found_in_the_template():
    source = ('<w:p><w:r><w:t>{{ a }}</w:t></w:r><w:r><w:t xml:space="preserve">甲{{ b }}</w:t></w:r></w:p>'
              '<w:tbl><w:tr w:rsidR="1">{% for c in d %}<w:tc><w:p/></w:tc>{% endfor %}</w:tr></w:tbl><w:sdt></w:sdt>')
    assert prepare._empty([source]) == sorted([("<w:t>", "w:t"), ('<w:tr w:rsidR="1">', "w:tr"),
                                               ("<w:sdt>", "w:sdt"), ('<w:t xml:space="preserve">', "w:t")])


def test_a_body_cut_into_small_segments_gives_the_same_report(reports, monkeypatch, tmp_path):
    monkeypatch.setattr(render, "SEGMENT", 5_000)
    assert build(SAMPLE, tmp_path / "cut.docx").ok
    assert (tmp_path / "cut.docx").read_bytes() == reports["sample"]


def test_a_body_spooled_deflated_gives_the_same_report(reports, monkeypatch, tmp_path):
    monkeypatch.setattr(render, "SEGMENT", 5_000)
    monkeypatch.setattr(render, "SPOOL_TEXT", 20_000)  # all but the first segments held deflated
    assert build(SAMPLE, tmp_path / "spooled.docx").ok
    assert (tmp_path / "spooled.docx").read_bytes() == reports["sample"]


@pytest.mark.parametrize("xml, unmarked", [
    ("\n<w:p>a</w:p>\n<w:p w:rsidR=\"1\">b</w:p>", "<w:p>a</w:p><w:p w:rsidR=\"1\">b</w:p>"),
    ("<w:t>a\nb</w:t>\n<w:p>\n<w:pPr/>\n", "<w:t>a\nb</w:t><w:p>\n<w:pPr/>\n"),
    ("\n\n<w:p>", "\n<w:p>"), ("", ""), ("\n", "\n")])
def test_only_the_marks_before_paragraphs_are_removed(xml, unmarked):
    assert render._unmarked(xml) == unmarked


@pytest.mark.parametrize("xml", [
    "<w:p><w:r><w:t>a\nb\tc</w:t></w:r></w:p><w:p><w:r><w:t>d</w:t></w:r></w:p>",
    "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>a\ab\fc</w:t></w:r></w:p>",
    "<w:tbl><w:tr><w:tc>\n<w:p><w:r><w:t>\t</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\n<w:p/><w:p><w:r><w:t>\n</w:t></w:r></w:p>",
    "<w:p><w:r><w:t>nothing to do</w:t></w:r></w:p>", ""])
def test_the_listing_is_docxtpls(xml):
    from docxtpl.template import DocxTemplate

    assert bodyxml.resolve_listing(xml) == DocxTemplate.resolve_listing(None, xml)


def test_a_rebuild_in_another_process_is_identical(reports, tmp_path):
    target = tmp_path / "again.docx"
    code = f"from perfreport.pipeline import build; build({str(SAMPLE)!r}, {str(target)!r})"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PERFREPORT_CACHE": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert target.read_bytes() == reports["sample"]


# ---- strictness ---------------------------------------------------------------------------------
def _template_with(tmp_path: Path, text: str, footer: bool = False) -> Path:
    document = docx.Document(str(template_path()))
    paragraph = document.sections[1].footer.paragraphs[0] if footer else document.paragraphs[-1]
    paragraph.add_run(text)
    path = tmp_path / "firm.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize("markup, footer", [
    ('{{ "<w:r><w:t>" | safe }}', False),  # a tag left open
    ('{{ "<x:y/>" | safe }}', False),  # a prefix no namespace is declared for
    ('{{ "</w:p>" | safe }}', True),
])
def test_a_template_that_renders_xml_that_is_not_well_formed_is_an_error(tmp_path, markup, footer):
    result = build(SAMPLE, tmp_path / "out.docx", template=_template_with(tmp_path, markup, footer))
    [problem] = result.errors
    assert problem.code == "template-error" and "模板渲染后的 XML 无效" in problem.message
    assert not (tmp_path / "out.docx").exists()


def test_the_check_stops_at_the_first_error_and_says_where():
    check = bodyxml.Wellformed()
    check.feed(b'<w:body xmlns:w="urn:w"><w:p>')
    with pytest.raises(bodyxml.NotWellFormed, match="mismatched tag: line 1, column 31"):
        check.feed(b"</w:r></w:body>", final=True)


# ---- the cache ------------------------------------------------------------------------------------
def test_a_damaged_preparation_is_prepared_again(reports, tmp_path, monkeypatch):
    monkeypatch.setenv("PERFREPORT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(prepare, "MEMORY", {})  # as in a new process
    assert build(SAMPLE, tmp_path / "first.docx").ok
    [entry] = (tmp_path / "cache").glob("prepared-*.bin")
    entry.write_bytes(entry.read_bytes()[:-100] + b"\0" * 100)
    monkeypatch.setattr(prepare, "MEMORY", {})  # as in a new process
    assert build(SAMPLE, tmp_path / "second.docx").ok
    assert (tmp_path / "second.docx").read_bytes() == reports["sample"]


def test_the_preparation_is_keyed_by_the_template_the_code_and_the_libraries(monkeypatch):
    template = template_path().read_bytes()
    key = prepare._key(template)
    assert prepare._key(template + b" ") != key
    monkeypatch.setattr(prepare, "LIBRARIES", "docxtpl==0.0.1 python-docx==1.2.0")
    assert prepare._key(template) != key


def test_the_pinned_libraries_are_the_ones_the_preparation_is_keyed_by():
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert set(prepare.LIBRARIES.split()) <= set(pins)


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    env = {**os.environ, "PERFREPORT_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", f"import json, sys; {code}; print(json.dumps(list(sys.modules)))"],
                          env=env, capture_output=True, text=True, check=True, timeout=120)
    return {name.split(".")[0] for name in json.loads(done.stdout.strip().splitlines()[-1])}


def test_a_build_with_its_template_prepared_imports_neither_python_docx_nor_docxtpl(tmp_path):
    def code(name: str) -> str:
        return f"from perfreport.pipeline import build; build({str(SAMPLE)!r}, {str(tmp_path / name)!r})"
    assert {"docx", "docxtpl"} <= _modules_after(code("first.docx"), tmp_path)  # the template was prepared
    assert not {"docx", "docxtpl", "PIL"} & _modules_after(code("second.docx"), tmp_path)  # lxml: edits.stamp


def test_check_imports_no_rendering_library(tmp_path):
    modules = _modules_after(f"from perfreport.pipeline import check; check({str(SAMPLE)!r})", tmp_path)
    assert not {"jinja2", "docx", "docxtpl", "lxml", "markupsafe"} & modules


# ---- the package ------------------------------------------------------------------------------------
def test_the_zip_is_what_zipfile_writes():
    entries = [("[Content_Types].xml", b"<a/>" * 100), ("word/document.xml", "正文".encode() * 5000), ("e", b"")]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, opc.ZIP_TIME)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, data)
    streamed = opc.Deflater()
    for n in range(0, 30000, 7000):
        streamed.feed(entries[1][1][n:n + 7000])
    assert opc.write_zip([entries[0], (entries[1][0], streamed.close()), entries[2]]) == out.getvalue()


@pytest.mark.parametrize("template", ["shipped", "libreoffice"])
def test_relationships_and_content_types_are_written_as_python_docx_writes_them(template, tmp_path):
    path = template_path()
    if template == "libreoffice":  # a template another program saved, in its own order and style
        path = _resaved(path, tmp_path)
    prepared = prepare.prepare(path.read_bytes())
    package = prepared.package()
    for source, rels in package.rels.items():
        assert opc.relationships_xml(rels) == prepared.written[opc.rels_name(source)]
    assert opc.content_types_xml([(n, package.parts[n][0]) for n in package.order()]) \
        == prepared.written[opc.CONTENT_TYPES]


def _resaved(path: Path, folder: Path) -> Path:
    """The template as a program other than python-docx saves it: other order, quoting and declarations."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    out = folder / "resaved.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(parts, reverse=True):
            archive.writestr(name, parts[name].replace(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n",
                                                       b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'))
    return out


def test_the_qr_picture_is_written_as_python_docx_and_docxtpl_write_it(tmp_path):
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from test_bad_workbooks import _png

    picture = tmp_path / "qr.png"
    picture.write_bytes(_png())
    tpl = DocxTemplate(str(template_path()))
    tpl.render_init()
    tpl.current_rendering_part = tpl.docx.part
    expected = str(InlineImage(tpl, str(picture), width=Mm(30)))
    build_ = render._Build(prepare.prepare(template_path().read_bytes()), {"letter": {"qr": str(picture)}}, None)
    assert str(build_.values["qr_image"]) == bodyxml.canonical(expected)  # python-docx indents it; the parse did not
    assert re.search(r'r:embed="(rId\d+)"', expected).group(1) in {r.id for r in build_.package.rels["word/document.xml"]}

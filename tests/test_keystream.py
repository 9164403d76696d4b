"""The keys finalized as the body streams (perfreport.keystream) against edits.stamp, the tree's stamp.

edits.stamp is the oracle: for every body the stream handles, the stamped
document part and the store are the bytes edits.stamp writes; a body it does
not handle raises Unusual, and render then stamps with edits.stamp.
"""
from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from perfreport import keystream, render as render_module
from perfreport import edits
from perfreport.opc import Compressed
from perfreport.pipeline import _analyse

from conftest import SAMPLE as SAMPLE_WORKBOOK

MAIN = "word/document.xml"
STAMP = ("sha256:test", "单位 2023年度")


def _p(inner: str, style: str | None = None, attributes: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p{attributes}>{properties}{inner}</w:p>"


def _key(key: str, inner: str, number: str = "0") -> str:
    return f'<w:bookmarkStart w:id="{number}" w:name="_prk{key}"/>{inner}<w:bookmarkEnd w:id="{number}"/>'


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _cell(inner: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr>{inner}</w:tc>'


def _table(*rows: str) -> str:
    return ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/>'
            '<w:gridCol w:w="1000"/></w:tblGrid>' + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>")


SECTION = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
BODIES = {
    "keyed paragraphs": _p(_key("a", _r("甲"))) + _p(_key("b|tag", _r("乙")), "正文"),
    "a key met twice": _p(_key("a", _r("一"))) + _p(_key("a", _r("二"))) + _p(_key("a", _r("三"))),
    "a text split into paragraphs": _p('<w:bookmarkStart w:id="0" w:name="_prkm"/>' + _r("头"))
    + _p(_r("中")) + "<w:p/>" + _p(_r("尾") + '<w:bookmarkEnd w:id="0"/>') + _p(_key("n", _r("后"))),
    "unkeyed paragraphs": _p(_r("附件：")) + _p(_r("附件：")) + _p(_r(" 1.一份很长很长很长很长很长很长很长的附件的名字 ")) +
    '<w:p><w:pPr/><w:r><w:t>空属性</w:t></w:r></w:p>',
    "empty paragraphs": '<w:p/><w:p><w:pPr><w:pStyle w:val="a"/></w:pPr></w:p>' + _p(_r("  ")) + _p(_key("k", "")),
    "a heading and the 目录": _p('<w:bookmarkStart w:id="1" w:name="_Toc000000001"/>' + _key("h", _r("一、概况"))
                                 + '<w:bookmarkEnd w:id="1"/>', "Heading1")
    + _p('<w:hyperlink w:anchor="_Toc000000001" w:history="1">' + _r("一、概况") + "</w:hyperlink>", "TOC1"),
    "an unkeyed heading with its bookmark": _p('<w:bookmarkStart w:id="7" w:name="_Toc9"/>' + _r("固定标题")
                                               + '<w:bookmarkEnd w:id="7"/>', "Heading2"),
    "tabs, breaks and references": _p('<w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>'
                                      + _key("t", _r("a&amp;b&lt;c") + "<w:r><w:tab/><w:br/><w:t>x</w:t>"
                                             "<w:br w:type=\"page\"/><w:cr/></w:r>")),
    "attributes on a paragraph": _p(_key("r", _r("属性")), attributes=' w14:paraId="1A2B3C4D" w:rsidR="00AB12CD"'),
    "a table": _table(_cell(_p(_key("t.c0|h", _r("表头")))) + _cell(_p(_key("t.c1|h", _r("值"))))),
    "cells of several paragraphs": _table(
        _cell(_p('<w:bookmarkStart w:id="0" w:name="_prkx.c0"/>' + _r("一")) + _p(_r("二") + '<w:bookmarkEnd w:id="0"/>'))
        + _cell(_p(_key("x.c1", _r("三")))),
        _cell(_p(_key("y.c0", ""))) + _cell(_p(_key("y.c1", _r("&lt;四&gt;"))))),
    "a cell with another bookmark": _table(_cell(_p('<w:bookmarkStart w:id="3" w:name="mine"/>' + _key("z.c0", _r("值"))
                                                    + '<w:bookmarkEnd w:id="3"/>')) + _cell(_p(_key("z.c1", "")))),
    "a table between paragraphs": _p(_key("before", _r("前"))) + _table(_cell(_p(_key("c", _r("格")))))
    + _p(_r("表后固定文字")),
    # cells the quick path takes and those it leaves to the general one, side by side in a row
    "cells written every way": _table(
        '<w:tc><w:tcPr/>' + _p(_key("e.c0", _r("空属性"))) + "</w:tc>"
        + "<w:tc>" + _p(_key("e.c1", _r("无属性"))) + "</w:tc>"
        + '<w:tc><w:tcPr w:x="1"><w:tcW w:w="1" w:type="dxa"/></w:tcPr>' + _p(_key("e.c2", _r("属性带值"))) + "</w:tc>"
        + _cell(_p(_r("键前") + _key("e.c3", _r("键中")) + _r("键后")))
        + '<w:tc w:id="7">' + _p(_key("e.c4", _r("有属性的格"))) + "</w:tc>",
        _cell(_p('<w:bookmarkStart w:id="0" w:name="_prkf.c0"/>' + _r("a&amp;b")) + "<w:p/>"
              + _p(_r("&lt;c&gt;") + '<w:bookmarkEnd w:id="0"/>'))
        + _cell(_p(_key("f.c1&amp;x|标签", _r("实体键")))) + _cell(_p(_key("e.c0", _r("再见")))),
        _cell(_p(_key("g.c0", "<w:r><w:t>制</w:t><w:tab/><w:t>表</w:t><w:br/></w:r>"))) + _cell(_p(_key("g.c1", _r("同行")))),
        _cell(_p(_key("h.c0", _r("rsid")), attributes=' w:rsidR="00AB12CD"')) + _cell(_p(_key("h.c1", _r("同行")))),
        _cell(_p(_key("i.c0", _r("Change the words"))))),
    "empty paragraphs with attributes in cells": _table(
        _cell(_p('<w:bookmarkStart w:id="0" w:name="_prkq.c0"/>' + _r("一")) + '<w:p w14:paraId="1A2B3C4D"/>'
              + _p(_r("二") + '<w:bookmarkEnd w:id="0"/>'))
        + _cell(_p('<w:bookmarkStart w:id="0" w:name="_prkq.c1"/>' + _r("三")) + '<w:p w:rsidR="00AB12CD"/>'
                + _p(_r("四") + '<w:bookmarkEnd w:id="0"/>'))
        + _cell(_p(_key("q.c2", _r("五"))) + '<w:p w14:paraId="1A2B3C4E"/>')),
    "the word Change in text": _p(_key("w", _r("Change") + "<w:r><w:tab/></w:r>")),
    # a run of rows stamped at once (keyrows), rows it leaves to the general way among them
    "rows of one shape, their values repeated": _table(*[_cell(_p(_key(f"v{i}.c0|列", _r("0.00"))))
                                                       + _cell(_p(_key(f"v{i}.c1|列", _r(f"值{i % 2}"))))
                                                       for i in range(4)]),
    "rows of several shapes": _table(
        _cell(_p(_key("s0.c0", _r("一")), "表格文字")) + _cell(_p(_key("s0.c1", _r("二")))),
        '<w:tc><w:tcPr/>' + _p(_key("s1.c0", _r("三"))) + "</w:tc><w:tc>" + _p(_key("s1.c1", "")) + "</w:tc>",
        _cell(_p(_key("s2.c0", '<w:r><w:rPr><w:b/></w:rPr><w:t>粗</w:t></w:r>' + _r("体"))))
        + _cell(_p(_key("s2.c1", _r("a&amp;b"))))),
    "a row of another kind among written rows": _table(
        _cell(_p(_key("m0.c0", _r("甲")))) + _cell(_p(_key("m0.c1", _r("乙")))),
        _cell(_p(_key("m1.c0", _r("丙")), attributes=' w:rsidR="00AB12CD"')) + _cell(_p(_key("m1.c1", _r("丁")))),
        _cell(_p(_key("m2.c0", _r("戊")))) + _cell(_p(_key("m2.c1", _r("己"))))),
    "rows without cells and with attributes": _table(
        _cell(_p(_key("w0.c0", _r("甲")))) + _cell(_p(_key("w0.c1", _r("乙")))), "<w:trPr/>",
        _cell(_p(_key("w1.c0", _r("丙")))) + _cell(_p(_key("w1.c1", _r("丁"))))).replace(
        "<w:tr><w:trPr/>", '<w:tr w14:paraId="1A2B3C4D"><w:trPr/>'),
    "a key met again in a run": _table(_cell(_p(_key("r.c0", _r("甲")))) + _cell(_p(_key("r.c0", _r("乙"))))),
    "a key without a tag among tagged ones": _table(_cell(_p(_key("u.c0|h", _r("甲"))))
                                                    + _cell(_p(_key("u.c1", _r("乙"))))),
}
UNUSUAL = {
    "a content control": '<w:sdt><w:sdtContent>' + _p(_key("a", _r("甲"))) + "</w:sdtContent></w:sdt>",
    "an unkeyed cell": _table(_cell(_p(_r("无键")))),
    "a key that lost its end": _p('<w:bookmarkStart w:id="0" w:name="_prkq"/>' + _r("甲")) + _p(_key("n", _r("乙"))),
    "a key out of its paragraph": '<w:bookmarkStart w:id="0" w:name="_prkq"/>' + _p(_r("甲")),
    "two keys in a paragraph": _p(_key("a", _r("甲")) + _key("b", _r("乙"))),
    "a nested table": _table(_cell(_p(_key("o", _r("外"))) + _table(_cell(_p(_key("i", _r("内"))))))),
    "a tracked change": _p(_key("a", '<w:ins w:id="1" w:author="x">' + _r("甲") + "</w:ins>")),
    "a bookmark without its end": _p('<w:bookmarkStart w:id="5" w:name="mine"/>' + _key("a", _r("甲"))),
    "a tracked change of properties": _p(_key("a", '<w:r><w:rPr><w:b/><w:rPrChange w:id="1" w:author="x"><w:rPr/>'
                                                   "</w:rPrChange></w:rPr><w:t>甲</w:t></w:r>")),
    "a tracked change in a cell": _table(_cell('<w:tcPrChange w:id="1" w:author="x"><w:tcPr/></w:tcPrChange>'
                                               + _p(_key("c", _r("甲"))))),
    "a bookmark between cells": _table(_cell(_p(_key("c0", _r("甲")))) + '<w:bookmarkStart w:id="9" w:name="x"/>'
                                       + _cell(_p(_key("c1", _r("乙")))) + '<w:bookmarkEnd w:id="9"/>'),
    "a key's end in the next cell": _table(_cell(_p('<w:bookmarkStart w:id="0" w:name="_prkc0"/>' + _r("甲")))
                                           + _cell(_p(_r("乙") + '<w:bookmarkEnd w:id="0"/>'))),
    "a paragraph between rows": _table(_cell(_p(_key("c0", _r("甲")))), _cell(_p(_key("c1", _r("乙"))))).replace(
        "</w:tr><w:tr>", "</w:tr><w:p/><w:tr>"),
    "a content control in a cell of a run": _table(_cell(_p(_key("c0", _r("甲")))),
                                                   _cell(_p(_key("c1", "<w:sdt><w:sdtContent>" + _r("乙")
                                                                 + "</w:sdtContent></w:sdt>")))),
    "a cell's key named auto/": _table(_cell(_p(_key("auto/x", _r("甲"))))),
}


@pytest.fixture(scope="module")
def unstamped() -> bytes:
    """The sample's report rendered without its keys' stamp."""
    _, context = _analyse(SAMPLE_WORKBOOK, None)
    return render_module.render(context).data


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def _with_body(report: bytes, body: str) -> tuple[dict[str, bytes], str, str, str]:
    parts = _parts(report)
    xml = parts[MAIN].decode("utf-8")
    start = xml.index("<w:body")  # the stream begins with the body's start tag, as render's does
    head, tail = xml[:start], xml[xml.index("</w:body>"):]
    opening = xml[start:xml.index(">", start) + 1]
    parts[MAIN] = (head + opening + body + SECTION + tail).encode("utf-8")
    return parts, head, opening + body + SECTION, tail


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _streamed(head: str, body: str, piece: int) -> tuple[str, keystream.Stamper]:
    stamper = keystream.Stamper(head, *STAMP)
    out = [stamper.feed(body[i:i + piece]) for i in range(0, len(body), piece)]
    return "".join(out) + stamper.close(), stamper


@pytest.mark.parametrize("name", BODIES)
@pytest.mark.parametrize("piece", [7, 10**9])  # cut anywhere, even inside a tag, or fed whole
def test_the_stream_stamps_as_edits_stamp_does(unstamped, name, piece):
    _assert_stamped_as_edits_stamp(unstamped, BODIES[name], piece)


def _assert_stamped_as_edits_stamp(unstamped: bytes, inner: str, piece: int) -> None:
    parts, head, body, tail = _with_body(unstamped, inner)
    expected = _parts(edits.stamp(_zip(parts), *STAMP))
    stamped, stamper = _streamed(head, body, piece)
    assert (head + stamped + tail).encode("utf-8") == expected[MAIN]
    entries = keystream.with_store(list(parts.items()), stamper.store_part(), MAIN)
    entries = [(n, zlib.decompress(d.data, -15) if isinstance(d, Compressed) else d) for n, d in entries]
    assert [n for n, _ in entries] == list(expected)  # the store's parts after the rest, as attach adds them
    assert {n: d for n, d in entries if n != MAIN} == {n: d for n, d in expected.items() if n != MAIN}


@pytest.mark.parametrize("name", ["rows of one shape, their values repeated", "rows of several shapes"])
def test_what_keyrows_keeps_read_is_forgotten_without_changing_the_bytes(unstamped, name, monkeypatch):
    from perfreport import keyrows

    monkeypatch.setattr(keyrows, "CELLS", 1)
    monkeypatch.setattr(keyrows, "SHAPES", 1)
    for piece in (7, 10**9):
        _assert_stamped_as_edits_stamp(unstamped, BODIES[name], piece)


@pytest.mark.parametrize("name", UNUSUAL)
def test_what_the_stream_does_not_model_is_left_to_edits_stamp(unstamped, name):
    _, head, body, _ = _with_body(unstamped, UNUSUAL[name])
    with pytest.raises(keystream.Unusual):
        _streamed(head, body, 10**9)


def test_the_sample_is_stamped_as_edits_stamp_stamps_it(unstamped):
    _, context = _analyse(SAMPLE_WORKBOOK, None)
    assert render_module.render(context, stamp=STAMP).data == edits.stamp(unstamped, *STAMP)


def test_an_unusual_body_is_stamped_by_edits_stamp(unstamped, monkeypatch):
    def unusual(self, xml):
        raise keystream.Unusual("test")
    monkeypatch.setattr(keystream.Stamper, "feed", unusual)
    _, context = _analyse(SAMPLE_WORKBOOK, None)
    assert render_module.render(context, stamp=STAMP).data == edits.stamp(unstamped, *STAMP)


def test_a_report_with_the_letters_picture_is_stamped_as_edits_stamp_stamps_it(tmp_path):
    from test_bad_workbooks import _png

    picture = tmp_path / "qr.png"
    picture.write_bytes(_png())
    _, context = _analyse(SAMPLE_WORKBOOK, None)
    context["letter"] = dict(context["letter"], qr=str(picture))
    stamped = render_module.render(context, stamp=STAMP).data
    assert b"<w:drawing>" in _parts(stamped)[MAIN]
    assert stamped == edits.stamp(render_module.render(context).data, *STAMP)


def _lxml_store(store) -> bytes:
    """The store part as lxml serializes it: what store.to_xml writes as text."""
    from lxml import etree
    from perfreport.edits.package import serialize
    from perfreport.edits.store import NS, VERSION, _escape

    root = etree.Element(f"{{{NS}}}blocks", {"version": VERSION, "workbook": store.workbook,
                                             "subject": store.subject}, nsmap={None: NS})
    for block in store.blocks:
        kind = {"t": block.kind} if block.kind != "p" else {}
        etree.SubElement(root, f"{{{NS}}}b", {"k": block.key, **kind, "d": block.digest}).text = _escape(block.text)
    return serialize(root)


CELL_TEXTS = {
    "one run": _r("甲"),
    "references across runs": _r("a&amp;") + _r("&#38;amp;&lt;") + "<w:r><w:t>&#x4E59;</w:t></w:r>",
    "empty text": "<w:r><w:t></w:t><w:t/></w:r>" + _r("乙"),
    "tabs and breaks": '<w:r><w:t>a</w:t><w:tab/><w:br/><w:br w:type="page"/><w:br w:type="column"/><w:cr/></w:r>',
    "a tab stop in the properties": '<w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>' + _r("丙"),
    "no text": "",
}


PARAGRAPHS = [1, 2, "empty after", "empty with attributes after"]


def _cell_paragraphs(text: str, paragraphs: int | str, key: str | None = None) -> str:
    """A cell's paragraphs, each holding `text`, or one and an empty paragraph after it; a key around them."""
    start, end = (f'<w:bookmarkStart w:id="0" w:name="_prk{key}"/>', '<w:bookmarkEnd w:id="0"/>') if key else ("", "")
    empty = {"empty after": "<w:p/>", "empty with attributes after": '<w:p w:rsidR="00AB12CD"/>'}
    if paragraphs in empty:
        return f"<w:p>{start}{text}{end}</w:p>{empty[paragraphs]}"
    texts = [text] * paragraphs
    texts[0] = start + texts[0]
    texts[-1] += end
    return "".join(f"<w:p>{text}</w:p>" for text in texts)


@pytest.mark.parametrize("name", CELL_TEXTS)
@pytest.mark.parametrize("paragraphs", PARAGRAPHS)
def test_a_cells_text_is_read_as_edits_ooxml_reads_it(name, paragraphs):
    from lxml import etree
    from perfreport import blocktext
    from perfreport.edits.ooxml import W, cell_paragraphs, text_of

    row = f'<w:tr xmlns:w="{W}"><w:trPr/>{_cell(_cell_paragraphs(CELL_TEXTS[name], paragraphs))}</w:tr>'
    begin = row.index("<w:tc>")
    end = row.index("</w:tc>") + len("</w:tc>")
    expected = text_of(cell_paragraphs(etree.fromstring(row)[1]))
    assert blocktext.cell_text(row[begin:end]) == expected


@pytest.mark.parametrize("name", CELL_TEXTS)
@pytest.mark.parametrize("paragraphs", PARAGRAPHS)
def test_a_run_of_rows_is_stored_as_edits_stamp_stores_it(unstamped, name, paragraphs):
    # as lxml writes them, as render's body is written
    text = CELL_TEXTS[name].replace("&#38;", "&amp;").replace("&#x4E59;", "乙").replace("<w:t></w:t>", "<w:t/>")
    rows = [_cell(_cell_paragraphs(text, paragraphs, f"x{i}.c0|h")) + _cell(_p(_key(f"x{i}.c1|h", _r("乙"))))
            for i in range(3)]  # a run of rows of one shape
    _assert_stamped_as_edits_stamp(unstamped, _table(*rows), 10**9)


@pytest.mark.parametrize("names", [["_prka", "_prkb|t", "_prkc|t|u", "_prk|v", "_prkd|", "_prk"], ["_prkx"]])
def test_readable_keys_are_read_together_as_one_by_one(names):
    from perfreport.edits.carrier import readable_key, readable_keys

    assert readable_keys(names) == [readable_key(name) for name in names]


BLOCKS = {
    "plain": [("k", "p", "甲", "0a1b2c3d"), ("表.c1|h", "cell", "乙\n丙", "ffffffff")],
    "escaped": [('k&"<>\t\n', "cell", 'a&b<c>d"\r\v\\', "0a1b2c3d"), ("k", "p", "", "")],
    "a separator in a value": [("k\0", "p", "甲", "0a1b2c3d"), ("k", "p", "乙\0", "0a1b2c3d")],
    "one block": [("k", "another kind", "甲", "0a1b2c3d")],
    "none": [],
}


@pytest.mark.parametrize("name", BLOCKS)
def test_the_blocks_are_written_together_as_one_by_one(name):
    from perfreport.edits.store import block_xml, blocks_xml

    assert blocks_xml(BLOCKS[name]) == "".join(block_xml(*block) for block in BLOCKS[name])


def test_the_store_looks_for_the_characters_lxml_escapes():
    from perfreport.bodyxml import SPECIAL
    from perfreport.edits import store

    assert set(store.SPECIAL) == {c for c in map(chr, range(0x250)) if SPECIAL.search(c)}


@pytest.mark.parametrize("text", ["", "甲", 'a&b<c>d"e\'f', "行\n行\t列\r回\v竖", "\\反斜杠\\v", " 前后空格 "])
def test_the_store_is_written_as_lxml_writes_it(text):
    from perfreport.edits.store import Generated, Store, to_xml

    name = text.replace("\v", "")  # keys and the subject come from XML and cells: no control character
    store = Store('sha256:&"<>', (Generated(f"k{name}", "_pr0", "p", text, "0a1b2c3d"),
                                  Generated(f"表:{name}.c1", "_pr1", "cell", text, "ffffffff")), f"单位\t{name}")
    assert to_xml(store) == _lxml_store(store)

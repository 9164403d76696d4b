"""Typography an editor should not have to fix, read from the report's XML.

The East Asian font hint on quotes and dashes, a font table that names every
font the styles use with fallbacks, Chinese theme fonts, Word 2013+
compatibility, honest application properties and document ids, the built-in
TOC styles, the title font in one style; and the balanced title lines.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from other_workbook import write_other_workbook
from perfreport import docprops, typeset
from perfreport.pipeline import build
from perfreport.render import template_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_workbooks" / "shizhong_gxj_2023.xlsx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
FONT_ATTRIBUTES = ("ascii", "hAnsi", "eastAsia", "cs")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """The sample's report and another department's."""
    folder = tmp_path_factory.mktemp("typography")
    out = {"sample": folder / "sample.docx", "other": folder / "other.docx"}
    assert build(SAMPLE, out["sample"]).ok
    assert build(write_other_workbook(folder / "other.xlsx"), out["other"]).ok
    return out


def part(path: Path, name: str):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def parts(path: Path, pattern: str) -> list:
    with zipfile.ZipFile(path) as archive:
        return [etree.fromstring(archive.read(n)) for n in archive.namelist() if re.fullmatch(pattern, n)]


# ---- w:hint ------------------------------------------------------------------------------
def test_every_run_with_quotes_or_dashes_hints_the_east_asian_font(reports):
    body = part(reports["sample"], "word/document.xml")
    runs = [r for r in body.iter(f"{W}r") if typeset.AMBIGUOUS.search("".join(t.text or "" for t in r.iter(f"{W}t")))]
    text = "".join(t.text or "" for r in runs for t in r.iter(f"{W}t"))
    assert text.count("“") + text.count("”") >= 400 and text.count("—") >= 80 and text.count("…") >= 8  # 450, 89, 8
    runs += [r for footer in parts(reports["sample"], r"word/footer\d+\.xml") for r in footer.iter(f"{W}r")
             if "—" in "".join(t.text or "" for t in r.iter(f"{W}t"))]  # the page numbers' — 1 —
    unhinted = [r for r in runs if r.find(f"{W}rPr/{W}rFonts[@{W}hint='eastAsia']") is None]
    assert unhinted == []


def test_every_style_font_hints_the_east_asian_font():
    styles = part(template_path(), "word/styles.xml")
    named = [f for f in styles.iter(f"{W}rFonts") if f.get(f"{W}eastAsia")]
    assert len(named) > 20 and all(f.get(f"{W}hint") == "eastAsia" for f in named)


def test_hint_goes_after_a_character_style_and_keeps_other_properties():
    run = '<w:r><w:rPr><w:rStyle w:val="x"/><w:b/></w:rPr><w:t>“引号”</w:t></w:r>'
    plain = "<w:p><w:r><w:t>没有</w:t></w:r></w:p>"
    assert typeset.mark_east_asian(run) == (
        '<w:r><w:rPr><w:rStyle w:val="x"/><w:rFonts w:hint="eastAsia"/><w:b/></w:rPr><w:t>“引号”</w:t></w:r>', 1)
    assert typeset.mark_east_asian(plain) == (plain, 0)


@pytest.mark.parametrize("run, marked", [
    ("<w:r><w:t>——</w:t></w:r>", '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>——</w:t></w:r>'),
    ("<w:r><w:rPr/><w:t>①</w:t></w:r>", '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>①</w:t></w:r>'),
    ('<w:r><w:rPr><w:rFonts w:ascii="宋体"/></w:rPr><w:t xml:space="preserve">“ ”</w:t></w:r>',
     '<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">“ ”</w:t></w:r>'),
    ('<w:r><w:rPr><w:rFonts w:hint="default"/></w:rPr><w:t>…</w:t></w:r>',
     '<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>…</w:t></w:r>'),
    # a character in an attribute, or in a field's instruction, is no text of the run's
    ('<w:r><w:rPr><w:rStyle w:val="“甲”"/></w:rPr><w:instrText>“</w:instrText></w:r>',
     '<w:r><w:rPr><w:rStyle w:val="“甲”"/></w:rPr><w:instrText>“</w:instrText></w:r>'),
])
def test_the_hint_is_written_where_word_expects_it(run, marked):
    assert typeset.mark_east_asian(f"<w:p>{run}{run}</w:p>")[0] == f"<w:p>{marked}{marked}</w:p>"


# ---- fontTable -----------------------------------------------------------------------------
def used_fonts(path: Path) -> set[str]:
    roots = [part(path, "word/styles.xml"), part(path, "word/document.xml"), *parts(path, r"word/footer\d+\.xml")]
    return {f.get(f"{W}{a}") for root in roots for f in root.iter(f"{W}rFonts") for a in FONT_ATTRIBUTES} - {None}


def test_every_font_used_has_a_font_table_entry_with_fallbacks(reports):
    fonts = {f.get(f"{W}name"): f for f in part(reports["sample"], "word/fontTable.xml").iter(f"{W}font")}
    used = used_fonts(reports["sample"])
    assert {"仿宋", "黑体", "楷体", "宋体", "方正小标宋简体", "Times New Roman"} <= used
    theme = part(reports["sample"], "word/theme/theme1.xml")
    used |= {theme.find(f".//{A}{s}/{A}{k}").get("typeface") for s in ("majorFont", "minorFont") for k in ("latin", "ea")}
    assert used <= set(fonts)
    for name in used:
        entry = fonts[name]
        for child in ("panose1", "charset", "family", "pitch"):
            assert entry.find(f"{W}{child}") is not None, (name, child)
        if entry.find(f"{W}charset").get(f"{W}val") == "86":  # GB2312: a Chinese font
            assert entry.find(f"{W}altName").get(f"{W}val"), name
    assert "黑体" in fonts["方正小标宋简体"].find(f"{W}altName").get(f"{W}val").split(",")  # the documented fallback
    assert not [n for n in fonts if n.startswith("ＭＳ")]  # python-docx's Japanese defaults are gone


def test_title_font_is_chosen_in_one_style():
    styles = part(template_path(), "word/styles.xml")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    assert by_id["Title"].find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    for derived in ("封面标题", "附件标题", "函头"):
        assert by_id[derived].find(f"{W}basedOn").get(f"{W}val") == "Title"
        assert by_id[derived].find(f"{W}rPr/{W}rFonts") is None  # so the font comes from Title


# ---- theme, compatibility, TOC styles ----------------------------------------------------------
def test_theme_font_language_is_chinese_and_theme_fonts_are_named(reports):
    settings = part(reports["sample"], "word/settings.xml")
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    theme = part(reports["sample"], "word/theme/theme1.xml")
    for scheme, east_asian in (("majorFont", "黑体"), ("minorFont", "仿宋")):
        fonts = theme.find(f".//{A}{scheme}")
        assert fonts.find(f"{A}ea").get("typeface") == east_asian
        assert fonts.find(f"{A}latin").get("typeface") == "Times New Roman"
        assert {f.get("typeface") for f in fonts.findall(f"{A}font") if f.get("script") == "Hans"} == {east_asian}


def test_compatibility_mode_is_word_2013(reports):
    settings = part(reports["sample"], "word/settings.xml")
    modes = [s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting") if s.get(f"{W}name") == "compatibilityMode"]
    assert modes == ["15"]


def test_toc_styles_are_the_built_in_ones(reports):
    styles = part(reports["sample"], "word/styles.xml")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    for level in (1, 2):
        st = by_id[f"TOC{level}"]
        assert st.find(f"{W}name").get(f"{W}val") == f"toc {level}"
        assert st.get(f"{W}customStyle") is None
        assert st.find(f"{W}uiPriority").get(f"{W}val") == "39"


# ---- app.xml and document ids -----------------------------------------------------------------
def test_application_properties_are_honest(reports):
    app = part(reports["sample"], "docProps/app.xml")
    values = {child.tag[len(EP):]: child.text for child in app}
    assert values["Application"] == "perfreport"
    assert "Pages" not in values and "Lines" not in values and "Template" not in values  # only a layout knows those
    with zipfile.ZipFile(reports["sample"]) as archive:
        counted = docprops.counts(archive.read("word/document.xml").decode("utf-8"))
    assert int(values["Words"]) == counted.words > 30000  # the sample is some 40,000 字
    assert int(values["Characters"]) == counted.characters
    assert values["Company"] == "北京三维众智管理咨询有限责任公司"


@pytest.mark.parametrize("text, words, characters, with_spaces, paragraphs", [
    ("强化“工业强区”战略", 10, 10, 10, 1),
    ("新增5G基站375个", 7, 10, 10, 1),  # 5G and 375 are a word each, as in Word's 字数
    ("Times New Roman 与 宋体", 6, 16, 20, 1),
    ("　", 0, 0, 0, 0),  # a paragraph of white space is not counted
])
def test_words_are_counted_as_word_counts_chinese(text, words, characters, with_spaces, paragraphs):
    body = f'<w:body><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:body>'
    assert docprops.counts(body) == docprops.Counts(words, characters, with_spaces, paragraphs)


def test_words_are_counted_as_the_tree_counts_them(reports):
    """A paragraph's text is its w:t elements' text, in tables too; empty paragraphs do not count."""
    with zipfile.ZipFile(reports["other"]) as archive:
        xml = archive.read("word/document.xml")
    words = characters = spaced = paragraphs = 0
    for p in etree.fromstring(xml).iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if text.strip():
            paragraphs += 1
            words += len(re.findall(f"[{docprops.EAST_ASIAN}]|[^\\s{docprops.EAST_ASIAN}]+", text))
            characters += len(re.sub(r"\s", "", text))
            spaced += len(text)
    assert docprops.counts(xml.decode("utf-8")) == docprops.Counts(words, characters, spaced, paragraphs)


def _east_asian_utf8(data: bytes) -> bool:
    return data[0] in docprops.EAST_ASIAN_LEADS or bool(docprops.EAST_ASIAN_SHARED.fullmatch(data))


def test_east_asian_characters_are_found_in_utf8_as_in_text():
    east_asian = re.compile(f"[{docprops.EAST_ASIAN}]")
    wrong = [c for c in range(0x10000) if not 0xD800 <= c < 0xE000
             and bool(east_asian.fullmatch(chr(c))) != _east_asian_utf8(chr(c).encode())]
    assert wrong == []


def test_document_ids_come_from_the_report(reports):
    def ids(path):
        settings = part(path, "word/settings.xml")
        return (settings.find(f"{{{docprops.W14}}}docId").get(f"{{{docprops.W14}}}val"),
                settings.find(f"{{{docprops.W15}}}docId").get(f"{{{docprops.W15}}}val"))
    sample, other, template = ids(reports["sample"]), ids(reports["other"]), ids(template_path())
    assert len({sample, other, template}) == 3
    assert re.fullmatch(r"[0-7][0-9A-F]{7}", sample[0])  # ST_LongHexNumber below 0x80000000
    assert re.fullmatch(r"\{[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}", sample[1])
    from perfreport.pipeline import _analyse
    from perfreport.render import render
    with zipfile.ZipFile(io.BytesIO(render(_analyse(SAMPLE, None)[1]).data)) as archive:  # before its keys' stamp
        document = archive.read("word/document.xml")
    body = document[document.index(b"<w:body"):document.rindex(b"</w:body>") + len(b"</w:body>")]
    assert docprops.document_ids(hashlib.sha256(body).hexdigest()) == sample  # derived from the rendered body


# ---- page setup ---------------------------------------------------------------------------------
def test_footers_fit_in_the_bottom_margin_and_section_breaks_are_one_point_high():
    body = part(template_path(), "word/document.xml")
    line = 14 * 1.3 * 20  # the page number: 14 pt, one line, in twips
    for section in body.iter(f"{W}sectPr"):
        margin = section.find(f"{W}pgMar")
        gap = (int(margin.get(f"{W}bottom")) - int(margin.get(f"{W}footer")) - line) / 56.69  # mm
        assert gap >= 6  # the page number sits below the text block (GB/T 9704: 7 mm), not against it
    breaks = [s.getparent().getparent() for s in body.iter(f"{W}sectPr") if s.getparent().tag == f"{W}pPr"]
    assert len(breaks) == 3
    for p in breaks:
        spacing = p.find(f"{W}pPr/{W}spacing")
        assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("20", "exact")


# ---- balanced title lines -----------------------------------------------------------------------
@pytest.mark.parametrize("parts, width, lines", [
    (["枣庄市市中区工业和信息化局", "2023年度部门整体", "绩效评价报告"], 16,
     ["枣庄市市中区工业和信息化局", "2023年度部门整体绩效评价报告"]),
    (["云岭县农业农村局", "2025年度部门整体", "绩效评价报告"], 16, ["云岭县农业农村局", "2025年度部门整体绩效评价报告"]),
    (["云南省大理白族自治州洱源县农业农村局", "2025年度部门整体", "绩效评价报告"], 16,  # breaks after 州, not inside a word
     ["云南省大理白族自治州", "洱源县农业农村局", "2025年度部门整体绩效评价报告"]),
    (["第三方机构名称（盖章）：", "北京三维众智管理咨询有限责任公司"], 27,
     ["第三方机构名称（盖章）：", "北京三维众智管理咨询有限责任公司"]),
    (["第三方机构名称（盖章）：", "青禾绩效评估有限公司"], 27, ["第三方机构名称（盖章）：青禾绩效评估有限公司"]),
    (["局" * 30], 16, ["局" * 15, "局" * 15]),  # no better place: even halves
    (["ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 2], 16, ["ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 2]),  # never inside a Latin word
])
def test_balanced_title_lines(parts, width, lines):
    assert typeset.balance(parts, width).split("\n") == lines


def test_cover_title_breaks_after_the_unit_name(reports):
    body = part(reports["other"], "word/document.xml")
    cover = next(p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='封面标题']") is not None)
    pieces = [(el.text if el.tag == f"{W}t" else "\n") for el in cover.iter(f"{W}t", f"{W}br")]
    assert "".join(pieces) == "云岭县农业农村局\n2025年度部门整体绩效评价报告"

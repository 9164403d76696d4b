"""perfreport.edits on small documents: the text merge, the carrier, the store, tracked changes, each merge case."""
from __future__ import annotations

import copy
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from perfreport import edits
from perfreport.edits import carrier, command, store
from perfreport.edits.diff3 import merge3
from perfreport.edits.ooxml import DEL, DEL_TEXT, INS, P, R, T, TC, W, paragraph_text, q, text_of
from perfreport.edits.package import Package, PackageError
from perfreport.edits.revise import Revisions, apply, replace

# ---- the text merge -------------------------------------------------------------
MERGES = [  # base, editor's, generated now -> merged text, any conflict
    ("执行率79.25%。", "执行率79.25%。", "执行率81.01%。", "执行率81.01%。", False),
    ("执行率79.25%。", "执行率为79.25%。", "执行率79.25%。", "执行率为79.25%。", False),
    ("决算10,271.96万元，执行率79.25%。", "决算10,271.96万元，执行率仅79.25%。", "决算10,500万元，执行率81.01%。",
     "决算10,500万元，执行率仅81.01%。", False),
    ("得分率70.71%。", "得分率70.71%，有待提高。", "得分率71.43%。", "得分率71.43%，有待提高。", False),
    ("得分率70.71%。", "得分率约70.71%。", "得分率71.43%。", "得分率约71.43%。", False),
    ("得分率70.71%。", "得分率70%。", "得分率71.43%。", "得分率71.43%。", True),
    ("评价得分70.43分。", "评价得分70.5分。", "评价得分70.5分。", "评价得分70.5分。", False),
    ("", "编辑写的。", "生成的。", "生成的。", True),
]


def _applied(text: str, chunks) -> str:
    for chunk in reversed(chunks):
        text = text[: chunk.start] + chunk.text + text[chunk.end:]
    return text


@pytest.mark.parametrize("base, mine, theirs, merged, conflict", MERGES)
def test_merge3_keeps_the_editors_words_and_takes_the_new_figures(base, mine, theirs, merged, conflict):
    chunks = merge3(base, mine, theirs)
    assert _applied(mine, chunks) == merged
    assert any(c.conflict for c in chunks) is conflict
    assert all(mine[c.start:c.end] == c.old for c in chunks)


def test_a_changed_figure_is_one_token_not_a_few_digits():
    (chunk,) = merge3("支出决算10,271.96万元", "支出决算10,271.96万元", "支出决算10,500.00万元")
    assert (chunk.old, chunk.text) == ("10,271.96", "10,500.00")


# ---- documents ------------------------------------------------------------------
def _document(paragraphs: list[str], rows: list[list[str]] = ()) -> docx.Document:
    document = docx.Document()
    document.add_heading("一、概况", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=0, cols=len(rows[0]))
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                cell.text = value
    return document


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def built(paragraphs: list[str], rows: list[list[str]] = ()) -> bytes:
    """A stamped report: key p1, p2 … on the paragraphs, ROW.cN on the cells (row = the first cell's text)."""
    document = _document(paragraphs, rows)
    body = document.element.body
    carrier.mark(body.findall(P)[0], "h/一、概况")
    for n, p in enumerate(body.findall(P)[1:], 1):
        carrier.mark(p, f"p{n}")
    for tr in body.iter(q("tr")):
        tcs = tr.findall(TC)
        row = "row:" + text_of(tcs[0].findall(P))
        for column, tc in enumerate(tcs):
            carrier.mark(tc, f"t1/{row}.c{column}")
    return edits.stamp(_bytes(document), "sha256:test")


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def _view(data: bytes, accept: bool):
    """The document body with every tracked change accepted (or rejected)."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(q("body"))
    drop, keep = (DEL, INS) if accept else (INS, DEL)
    for element in list(body.iter(drop)):
        if element.getparent().tag == q("rPr"):  # a paragraph mark
            continue
        element.getparent().remove(element)
    for element in list(body.iter(keep)):
        if element.getparent().tag == q("rPr"):
            continue
        for child in list(element):
            element.addprevious(child)
        element.getparent().remove(element)
    for deleted in body.iter(DEL_TEXT):
        deleted.tag = T
    return body


def texts(data: bytes, accept: bool = True) -> list[str]:
    """Body paragraph texts (cells as one line each), with tracked changes accepted or rejected."""
    body = _view(data, accept)
    out = []
    for child in body:
        if child.tag == P:
            out.append(paragraph_text(child))
        elif child.tag == q("tbl"):
            out += [" | ".join(text_of(tc.findall(P)) for tc in tr.findall(TC)) for tr in child.iter(q("tr"))]
    return out


def revisions(data: bytes) -> list:
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return list(body.iter(INS, DEL))


def edited(data: bytes, change) -> bytes:
    document = docx.Document(io.BytesIO(data))
    change(document)
    return _bytes(document)


def _typed(document, old: str, new: str) -> None:
    for run in document.element.body.iter(q("r")):
        t = run.find(T)
        if t is not None and t.text and old in t.text:
            t.text = t.text.replace(old, new)
            return
    raise AssertionError(old)


# ---- carrier and store ----------------------------------------------------------
def test_keys_are_hidden_word_safe_bookmarks_and_read_back_in_order():
    data = built(["甲段。", "乙段。"], [["项目A", "1.00"]])
    found = store.find(Package.read(data))
    assert [b.key for b in found.blocks] == ["h/一、概况", "p1", "p2", "t1/row:项目A.c0", "t1/row:项目A.c1"]
    assert all(b.name.startswith("_pr") and len(b.name) <= 40 for b in found.blocks)
    body = docx.Document(io.BytesIO(data)).element.body
    blocks = carrier.read(body, found.names())
    assert [(b.key, b.text) for b in blocks if b.key] == [(b.key, b.text) for b in found.blocks]
    assert blocks[0].heading == ("一、概况",) and blocks[-1].column == 1


def test_a_key_met_again_is_told_apart_by_its_order():
    """A firm's template may place one text twice: its blocks become KEY, KEY@2 … in document order."""
    document = _document(["甲。", "乙。", "丙。"])
    for p in document.element.body.findall(P)[1:]:
        carrier.mark(p, "same")
    found = store.find(Package.read(edits.stamp(_bytes(document), "sha256:test")))
    assert [(b.key, b.text) for b in found.blocks] == [
        ("auto/一、概况", "一、概况"), ("same", "甲。"), ("same@2", "乙。"), ("same@3", "丙。")]


def test_a_block_spans_the_paragraphs_between_its_bookmark_start_and_end():
    document = _document(["前半。", "后半。", "另一段。"])
    first, second, third = document.element.body.findall(P)[1:]
    carrier.mark(first, "p1")
    second.append(first.find(q("bookmarkEnd")))  # as after Enter inside the block
    carrier.mark(third, "p2")
    data = edits.stamp(_bytes(document), "sha256:test")
    blocks = store.find(Package.read(data)).by_key()
    assert blocks["p1"].text == "前半。\n后半。" and blocks["p2"].text == "另一段。"


def test_the_store_is_reproducible_and_escapes_line_breaks():
    one = store.Store("sha256:x", (store.Generated("k", carrier.bookmark_name(0), "p", "a\\b\vc\nd", "d1"),),
                      "单位 2023")
    data = store.to_xml(one)
    assert store.to_xml(one) == data and store.from_xml(data) == one
    assert b"\x0b" not in data


def test_the_store_is_found_by_its_namespace_whatever_the_item_is_called():
    data = built(["甲。"])
    package = Package.read(data)
    name = next(n for n, v in package.parts.items() if n.startswith("customXml/item") and store.NS.encode() in v)
    package.parts["customXml/item7.xml"] = package.parts.pop(name)  # Word renumbers the items when it saves
    assert store.find(package).by_key()["p1"].text == "甲。"
    content_types = package.parts["[Content_Types].xml"].decode()
    assert "customXmlProperties+xml" in content_types


def test_stamping_twice_gives_the_same_bytes():
    document = _document(["甲。"])
    carrier.mark(document.element.body.findall(P)[1], "p1")
    raw = _bytes(document)
    assert edits.stamp(raw, "sha256:a") == edits.stamp(raw, "sha256:a")


# ---- tracked changes ------------------------------------------------------------
def _paragraph(runs: list[tuple[str, bool]]):
    p = etree.Element(P)
    for text, bold in runs:
        r = etree.SubElement(p, q("r"))
        if bold:
            etree.SubElement(etree.SubElement(r, q("rPr")), q("b"))
        etree.SubElement(r, T).text = text
    return p


def test_a_replacement_splits_only_the_runs_it_touches_and_keeps_their_formatting():
    p = _paragraph([("支出决算", False), ("10,271.96万元", True), ("，执行率", False)])
    replace(p, 4, 13, "10,500.00", None)
    assert paragraph_text(p) == "支出决算10,500.00万元，执行率"
    bold = ["".join(t.text for t in r.iter(T)) for r in p.iter(q("r")) if r.find(f"{q('rPr')}/{q('b')}") is not None]
    assert "".join(bold) == "10,500.00万元"


def test_a_tracked_replacement_rejects_to_the_editors_text_and_accepts_to_the_new():
    p = _paragraph([("决算10,271.96万元，执行率79.25%。", False)])
    original = paragraph_text(p)
    chunks = merge3(original, original, "决算10,500万元，执行率81.01%。")
    apply([p], chunks, Revisions("perfreport", "2024-12-01T00:00:00Z"))
    inserted = "".join(t.text for i in p.iter(INS) for t in i.iter(T))
    deleted = "".join(t.text for d in p.iter(DEL) for t in d.iter(DEL_TEXT))
    assert (inserted, deleted) == ("10,50081.01%", "10,271.9679.25%")
    assert paragraph_text(p) == "决算10,500万元，执行率81.01%。"  # what Word shows with changes accepted
    assert {c.get(q("author")) for c in p.iter(INS, DEL)} == {"perfreport"}


# ---- the merge, case by case ----------------------------------------------------
OLD = ["年初预算批复12,779.84万元，支出决算10,271.96万元。", "固定的一段。", "另一段说明，数字为3个。"]
NEW = ["年初预算批复12,779.84万元，支出决算10,500.00万元。", "固定的一段。", "另一段说明，数字为4个。"]
ROWS_OLD = [["项目A", "1.00", "备注甲"], ["项目B", "2.00", "备注乙"]]
ROWS_NEW = [["项目A", "1.50", "备注甲"], ["项目B", "2.00", "备注乙"], ["项目C", "3.00", "备注丙"]]


@pytest.fixture(scope="module")
def old() -> bytes:
    return built(OLD, ROWS_OLD)


@pytest.fixture(scope="module")
def new() -> bytes:
    return built(NEW, ROWS_NEW)


def test_an_unedited_report_with_unchanged_data_merges_to_the_new_build_byte_for_byte(old):
    assert edits.merge(old, old).data == old


def test_an_unedited_report_merges_to_the_new_build_byte_for_byte(old, new):
    merged = edits.merge(new, old)
    assert merged.data == new and merged.notes == [] and merged.carried == 0


def test_an_edit_where_the_data_did_not_change_is_kept_as_the_editor_left_it(old, new):
    merged = edits.merge(new, edited(old, lambda d: _typed(d, "固定的一段。", "编辑改写的固定段。")))
    assert texts(merged.data)[2] == "编辑改写的固定段。" and not revisions(merged.data)
    assert texts(merged.data)[1] == NEW[0] and texts(merged.data)[3] == NEW[2]  # new numbers flow in elsewhere


def test_bold_added_by_the_editor_is_kept_while_the_figure_in_it_changes(old, new):
    def embolden(document):
        p = document.paragraphs[1]
        run = p.runs[0]
        before, rest = run.text.split("支出决算", 1)
        run.text = before
        p.add_run("支出决算" + rest).bold = True
    merged = edits.merge(new, edited(old, embolden))
    p = docx.Document(io.BytesIO(merged.data)).paragraphs[1]
    assert p.text == NEW[0] and not revisions(merged.data)
    assert "".join(r.text for r in p.runs if r.bold) == "支出决算10,500.00万元。"


def test_an_edited_block_whose_data_changed_is_a_tracked_conflict(old, new):
    merged = edits.merge(new, edited(old, lambda d: _typed(d, "，支出决算", "，全年支出决算")))
    assert texts(merged.data, accept=False)[1] == "年初预算批复12,779.84万元，全年支出决算10,271.96万元。"
    assert texts(merged.data, accept=True)[1] == "年初预算批复12,779.84万元，全年支出决算10,500.00万元。"
    (conflict,) = merged.conflicts
    assert conflict.heading == "一、概况" and conflict.after == NEW[0]


def test_a_paragraph_rewritten_with_python_docx_is_found_again_and_conflicts(old, new):
    def rewrite(document):
        document.paragraphs[3].text = "重写：另一段说明，数字为3个，偏少。"  # drops the key bookmark
    merged = edits.merge(new, edited(old, rewrite))
    assert texts(merged.data, accept=False)[3] == "重写：另一段说明，数字为3个，偏少。"
    assert texts(merged.data, accept=True)[3] == "重写：另一段说明，数字为4个，偏少。"
    assert texts(merged.data).count("重写：另一段说明，数字为4个，偏少。") == 1  # not also kept as an insertion


def _insert_after(p, text: str) -> None:
    """The editor types a new paragraph `text` after `p`, in its paragraph properties."""
    inserted = copy.deepcopy(p)
    for child in [c for c in inserted if c.tag != q("pPr")]:
        inserted.remove(child)
    p.addnext(inserted)
    docx.text.paragraph.Paragraph(inserted, None).add_run(text)


def test_an_inserted_paragraph_stays_after_the_block_before_it(old, new):
    def insert(document):
        _insert_after(document.paragraphs[2]._p, "编辑插入的段落。")
    merged = edits.merge(new, edited(old, insert))
    assert texts(merged.data)[1:5] == [NEW[0], "固定的一段。", "编辑插入的段落。", NEW[2]]


def _moved_first(document) -> None:
    """The editor cuts the last paragraph and pastes it right after the heading."""
    body = document.element.body
    paragraphs = body.findall(P)
    paragraphs[0].addnext(paragraphs[3])


def test_a_paragraph_the_editor_moved_stays_where_they_put_it_with_its_new_figures(old, new):
    merged = edits.merge(new, edited(old, _moved_first))
    assert texts(merged.data)[1:4] == [NEW[2], NEW[0], "固定的一段。"] and not revisions(merged.data)


def test_a_moved_and_reworded_paragraph_keeps_both_and_what_followed_it_follows_it(old, new):
    def change(document):
        _moved_first(document)
        _typed(document, "固定的一段。", "编辑改写的固定段。")
        _insert_after(document.element.body.findall(P)[1], "编辑插入的段落。")
    merged = edits.merge(new, edited(old, change))
    assert texts(merged.data)[1:5] == [NEW[2], "编辑插入的段落。", NEW[0], "编辑改写的固定段。"]


def test_a_deleted_paragraph_stays_deleted_and_is_listed_when_its_data_changed(old, new):
    def delete(document):
        p = document.paragraphs[1]._p
        p.getparent().remove(p)
    merged = edits.merge(new, edited(old, delete))
    assert NEW[0] not in texts(merged.data) and OLD[0] not in texts(merged.data)
    assert [n.code for n in merged.notes] == ["deleted-changed"]


def test_new_rows_come_in_and_the_editors_cell_edits_stay(old, new):
    def cell(document):
        document.tables[0].cell(0, 2).text = "编辑的备注"  # python-docx: the cell's key goes with its text
    merged = edits.merge(new, edited(old, cell))
    rows = [t for t in texts(merged.data) if "|" in t]
    assert rows == ["项目A | 1.50 | 编辑的备注", "项目B | 2.00 | 备注乙", "项目C | 3.00 | 备注丙"]


def _editors_row(table, after: int, text: str) -> None:
    row = copy.deepcopy(table.rows[after]._tr)
    for t in row.iter(T):
        t.text = ""
    for mark in list(row.iter(q("bookmarkStart"), q("bookmarkEnd"))):
        mark.getparent().remove(mark)
    row.findall(TC)[0].find(P).append(etree.fromstring(f'<w:r xmlns:w="{W}"><w:t>{text}</w:t></w:r>'))
    table.rows[after]._tr.addnext(row)


def test_a_cell_that_lost_its_key_is_known_by_its_row_even_beside_an_insertion(old, new):
    def change(document):
        document.tables[0].cell(1, 2).text = "完全不同的文字"
        _editors_row(document.tables[0], 1, "编辑加的末行")
    merged = edits.merge(new, edited(old, change))
    rows = [t for t in texts(merged.data) if "|" in t]
    assert rows == ["项目A | 1.50 | 备注甲", "项目B | 2.00 | 完全不同的文字", "编辑加的末行 |  | ", "项目C | 3.00 | 备注丙"]


def test_a_row_the_editor_added_is_kept_after_the_row_before_it(old, new):
    merged = edits.merge(new, edited(old, lambda d: _editors_row(d.tables[0], 0, "编辑加的行")))
    rows = [t for t in texts(merged.data) if "|" in t]
    assert rows == ["项目A | 1.50 | 备注甲", "编辑加的行 |  | ", "项目B | 2.00 | 备注乙", "项目C | 3.00 | 备注丙"]


def test_an_edited_paragraph_the_data_dropped_comes_back_as_a_tracked_deletion():
    old = built(["甲段。", "乙段。"])
    new = built(["甲段。"])
    merged = edits.merge(new, edited(old, lambda d: _typed(d, "乙段。", "乙段，编辑改过。")))
    assert "乙段，编辑改过。" in texts(merged.data, accept=False)
    assert "乙段，编辑改过。" not in texts(merged.data, accept=True)
    assert [n.code for n in merged.notes] == ["removed-edited"]
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(merged.data)).read("word/document.xml"))
    (dropped,) = [p for p in body.iter(P) if "乙段" in "".join(t.text for t in p.iter(DEL_TEXT))]
    assert dropped.find(f"{q('pPr')}/{q('rPr')}/{DEL}") is not None  # accepting removes the paragraph itself


def _keyed(paragraphs: list[tuple[str, str]]) -> bytes:
    """A stamped report of (key, text) paragraphs under the heading."""
    document = _document([text for _, text in paragraphs])
    body = document.element.body
    carrier.mark(body.findall(P)[0], "h/一、概况")
    for (key, _), p in zip(paragraphs, body.findall(P)[1:]):
        carrier.mark(p, key)
    return edits.stamp(_bytes(document), "sha256:test")


def test_a_section_the_data_retitled_keeps_the_editors_changes_under_its_new_title():
    """Keys are made of the data: a new title renames every key of its section, yet it is the same section."""
    old = _keyed([("问题/甲问题", "（一）甲问题"), ("问题/甲问题/1", "一是甲段正文，数字为3个。"), ("p9", "固定的一段。")])
    new = _keyed([("问题/甲问题改", "（一）甲问题改"), ("问题/甲问题改/1", "一是甲段正文，数字为4个。"), ("p9", "固定的一段。")])
    merged = edits.merge(new, edited(old, lambda d: _typed(d, "甲段正文", "甲段的正文")))
    assert texts(merged.data)[1:4] == ["（一）甲问题改", "一是甲段的正文，数字为4个。", "固定的一段。"]
    assert texts(merged.data, accept=False)[1:4] == ["（一）甲问题改", "一是甲段的正文，数字为3个。", "固定的一段。"]
    assert [n.code for n in merged.notes] == ["conflict"]


def _spanning(texts_: list[str]) -> bytes:
    """A stamped report whose block p1 spans all of `texts_`, one paragraph each."""
    document = _document(texts_)
    first, *rest = document.element.body.findall(P)[1:]
    carrier.mark(first, "p1")
    if rest:
        rest[-1].append(first.find(q("bookmarkEnd")))
    return edits.stamp(_bytes(document), "sha256:test")


def test_formatting_the_new_data_cannot_keep_is_not_dropped_silently():
    """The editor bolded a word; the new data adds a paragraph to the block: the new text, and a warning."""
    def embolden(document):
        p = document.paragraphs[1]
        run = p.runs[0]
        run.text = "前半"
        p.add_run("3个。").bold = True
    merged = edits.merge(_spanning(["前半4个。", "新的一段。"]), edited(_spanning(["前半3个。"]), embolden))
    assert texts(merged.data)[1:3] == ["前半4个。", "新的一段。"]
    assert [(n.code, n.edited) for n in merged.notes] == [("format-dropped", "前半3个。")]
    assert command.CODES["format-dropped"] == "edit-format-not-carried"


def test_a_report_without_a_store_is_not_merged():
    plain = _bytes(_document(["甲。"]))
    with pytest.raises(edits.NotMergeable):
        edits.merge(built(["甲。"]), plain)
    with pytest.raises(PackageError):
        edits.merge(built(["甲。"]), b"not a zip")


def _damaged_store(data: bytes) -> bytes:
    """The report with its store cut in half, as a program that mangles custom XML leaves it."""
    package = Package.read(data)
    name = next(n for n, v in package.parts.items() if n.startswith("customXml/item") and store.is_store(v))
    package.parts[name] = package.parts[name][: len(package.parts[name]) // 2]
    return package.write()


def test_a_report_whose_store_is_damaged_is_not_merged_and_edits_says_why(old, new, tmp_path):
    report = tmp_path / "report.docx"
    report.write_bytes(_damaged_store(edited(old, lambda d: _typed(d, "固定的一段。", "编辑改写的固定段。"))))
    lines, ok = command.review(report)
    assert not ok and lines[0].startswith("report.docx：报告中保存的生成内容已损坏")
    data, problems = command.carry_over(new, report)
    assert data == new and [p.code for p in problems] == ["edits-not-merged"]


def test_edits_lists_what_the_editor_changed(old):
    def change(document):
        _typed(document, "固定的一段。", "编辑改写的固定段。")
        p = document.paragraphs[3]._p
        p.getparent().remove(p)
    review = edits.list_edits(edited(old, change))
    assert [(e.kind, e.before, e.after) for e in review.edits] == [
        ("changed", "固定的一段。", "编辑改写的固定段。"), ("deleted", OLD[2], "")]
    assert review.workbook == "sha256:test"


def test_edits_lists_a_paragraph_the_editor_moved(old):
    review = edits.list_edits(edited(old, _moved_first))
    assert [(e.kind, e.after) for e in review.edits] == [("moved", OLD[2])]
    assert command.describe(review, "r.docx")[0] == "r.docx：1 处移动"


def test_merged_xml_is_well_formed_and_every_id_is_unique(old, new):
    merged = edits.merge(new, edited(old, lambda d: _typed(d, "，支出决算", "，全年支出决算")))
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(merged.data)).read("word/document.xml"))
    starts = [b.get(q("id")) for b in root.iter(q("bookmarkStart"))]
    changes = [c.get(q("id")) for c in root.iter(INS, DEL)]
    assert len(set(starts + changes)) == len(starts + changes)
    assert sorted(b.get(q("id")) for b in root.iter(q("bookmarkEnd"))) == sorted(starts)



# ---- what an editor's content refers to comes along ---------------------------------
def _audit(data: bytes) -> set[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.docx"
        path.write_bytes(data)
        run = subprocess.run(["openxml-audit", "-o", "json", "-m", "0", str(path)], capture_output=True, text=True,
                             timeout=300)
    return {e["description"] for e in json.loads(run.stdout)[0]["errors"]}


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff")) \
        + chunk(b"IEND", b"")


def test_a_picture_and_a_comment_the_editor_added_come_along(old, new):
    def change(document):
        _typed(document, "固定的一段。", "固定的一段，编辑加了批注。")
        document.add_comment(document.paragraphs[2].runs, text="请核实", author="编辑")
        picture = document.add_paragraph()
        picture.add_run().add_picture(io.BytesIO(_png()))
        document.paragraphs[2]._p.addnext(picture._p)
    editors = edited(old, change)
    merged = edits.merge(new, editors)
    result = docx.Document(io.BytesIO(merged.data))
    assert [c.text for c in result.comments] == ["请核实"]
    (blip,) = result.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    assert result.part.related_parts[blip.get(f"{{{R}}}embed")].blob == _png()
    if shutil.which("openxml-audit"):  # no broken reference beyond what the edited file had itself
        assert _audit(merged.data) - _audit(new) - _audit(editors) == set()


def test_a_key_a_program_moved_before_its_paragraph_is_still_found(old, new):
    package = Package.read(edited(old, lambda d: _typed(d, "固定的一段。", "编辑改写的固定段。")))
    root = package.xml(package.main())
    name = store.find(Package.read(old)).by_key()["p2"].name
    start = next(s for s in root.iter(q("bookmarkStart")) if s.get(q("name")) == name)
    start.getparent().addprevious(start)  # now a child of the body, before the paragraph
    package.parts[package.main()] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    merged = edits.merge(new, package.write())
    assert texts(merged.data).count("编辑改写的固定段。") == 1 and "固定的一段。" not in texts(merged.data)


def test_namespaces_of_a_word_saved_report_are_declared_in_the_merged_one(old, new):
    w16du = "http://schemas.microsoft.com/office/word/2023/wordml/word16du"
    package = Package.read(edited(old, lambda d: _typed(d, "固定的一段。", "编辑改写的固定段。")))
    root = package.xml(package.main())
    wider = etree.Element(root.tag, attrib=dict(root.attrib), nsmap={**root.nsmap, "w16du": w16du})
    wider.extend(list(root))
    wider.set(f"{{{'http://schemas.openxmlformats.org/markup-compatibility/2006'}}}Ignorable",
              (root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable", "") + " w16du").strip())
    p = next(p for p in wider.iter(P) if "编辑改写" in paragraph_text(p))
    p.set(f"{{{w16du}}}dateUtc", "2025-01-01T00:00:00Z")
    package.parts[package.main()] = etree.tostring(wider, xml_declaration=True, encoding="UTF-8", standalone=True)
    merged = Package.read(edits.merge(new, package.write()).data)
    out = merged.xml(merged.main())
    assert out.nsmap.get("w16du") == w16du
    assert "w16du" in out.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable").split()


def test_an_editor_working_with_track_changes_on_still_gets_the_new_figures(old, new):
    def tracked(document):
        for run in document.element.body.iter(q("r")):
            t = run.find(T)
            if t is not None and t.text and t.text.startswith("年初预算批复"):
                head, tail = t.text.split("，支出决算", 1)
                t.text = head
                insertion = etree.fromstring(f'<w:ins xmlns:w="{W}" w:id="90" w:author="编辑" w:date="2025-01-02T00:00:00Z">'
                                             f'<w:r><w:t>（经核实）</w:t></w:r></w:ins>')
                rest = copy.deepcopy(run)
                rest.find(T).text = "，支出决算" + tail
                run.addnext(insertion)
                insertion.addnext(rest)
                return
    merged = edits.merge(new, edited(old, tracked))
    assert texts(merged.data, accept=True)[1] == "年初预算批复12,779.84万元（经核实），支出决算10,500.00万元。"
    authors = [c.get(q("author")) for c in revisions(merged.data)]
    assert authors.count("编辑") == 1 and authors.count("perfreport") == 2
    assert [n.code for n in merged.notes] == ["conflict"]


def _retyped_with_track_changes(document) -> None:
    """The editor retypes the paragraph holding 10,271.96 with track changes on, and leaves the revision."""
    for run in document.element.body.iter(q("r")):
        t = run.find(T)
        if t is not None and t.text and "10,271.96" in t.text:
            insertion = etree.fromstring(f'<w:ins xmlns:w="{W}" w:id="90" w:author="编辑" w:date="2025-01-02T00:00:00Z">'
                                         f'<w:r><w:t>{t.text}</w:t></w:r></w:ins>')
            t.text = ""
            run.addnext(insertion)
            return


def test_a_new_figure_on_the_editors_own_tracked_change_is_left_to_the_editor(old, new):
    merged = edits.merge(new, edited(old, _retyped_with_track_changes))
    assert [n.code for n in merged.notes] == ["pending"]
    assert [c.get(q("author")) for c in revisions(merged.data)] == ["编辑"]


def test_a_new_figure_left_to_the_editor_is_still_new_at_the_next_rebuild(old, new):
    """The report keeps the figure it showed as generated: rebuilt again, it still warns, and once the editor
    has dealt with the revision the new figure comes in."""
    once = edits.merge(new, edited(old, _retyped_with_track_changes))
    again = edits.merge(new, once.data)
    assert [n.code for n in again.notes] == ["pending"]

    def accept_own(document):
        for insertion in list(document.element.body.iter(INS)):
            for child in list(insertion):
                insertion.addprevious(child)
            insertion.getparent().remove(insertion)
    resolved = edits.merge(new, edited(again.data, accept_own))
    assert resolved.notes == [] and NEW[0] in texts(resolved.data)


def test_the_warning_for_a_figure_left_on_a_revision_shows_the_new_figure(old, new, tmp_path):
    """The figure is not marked in the report, so its warning is the only place the user sees it."""
    report = tmp_path / "report.docx"
    report.write_bytes(edited(old, _retyped_with_track_changes))
    _, problems = command.carry_over(new, report)
    (pending,) = [p for p in problems if p.code == "edit-pending-revisions"]
    assert "【10,271.96→10,500.00】" in pending.message


def test_deleting_the_paragraph_that_ends_a_section_keeps_the_section():
    def sectioned(texts_: list[str]) -> bytes:
        document = _document(texts_)
        document.add_section()
        body = document.element.body
        holder = [p for p in body.findall(P) if p.find(f"{q('pPr')}/{q('sectPr')}") is not None][-1]
        last = [p for p in body.findall(P) if paragraph_text(p)][-1]  # the section now ends with 乙
        last.get_or_add_pPr().append(holder.find(f"{q('pPr')}/{q('sectPr')}"))
        body.remove(holder)
        document.add_paragraph("第二节。")
        for n, p in enumerate(body.findall(P)[1:], 1):
            carrier.mark(p, f"p{n}")
        return edits.stamp(_bytes(document), "sha256:test")
    old, new = sectioned(["甲。", "乙，3个。"]), sectioned(["甲。", "乙，4个。"])
    assert len(docx.Document(io.BytesIO(old)).sections) == 2

    def delete(document):  # Word keeps a section's mark when its text is deleted: python-docx deletes it all
        p = next(p for p in document.paragraphs if p.text.startswith("乙"))
        p._p.getparent().remove(p._p)
    merged = edits.merge(new, edited(old, delete))
    assert len(docx.Document(io.BytesIO(merged.data)).sections) == 2
    assert not any("乙" in t for t in texts(merged.data)) and [n.code for n in merged.notes] == ["deleted-changed"]

"""Editors' edits of the sample report survive a rebuild with changed data (issue 14).

An editor works on the sample report with python-docx (tests/editor.py); then
the workbook changes (决算支出, one 三级 score, a 复评项目 row added) and the
report is rebuilt, with the keys compose and the template give every block.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx.text.paragraph import Paragraph
from lxml import etree

import editor
from perfreport import cli, edits, pipeline
from perfreport.edits import carrier, match, store
from perfreport.edits.ooxml import DEL, DEL_TEXT, INS, T, q
from perfreport.edits.package import Package

REWORDED = ("一是全年累计完成工业技改投资约30.4亿元", "同比增长28%", "较上年增长28%")
BOLDED = ("二是年内新增5G基站375个", "实现城区、乡镇驻地和重点工业园区全覆盖")
FIGURE = ("一是年初预算批复12,779.84万元", "主要原因：", "究其原因，主要是：")
RETYPED = ("该指标分值28分", "预算管理指标分值28分，评价得分19.8分，得分率70.71%，有待提高。")
INSERTED = "编辑补充：5G建设成效得到省通信管理局肯定。"
DELETED = "三是高端化工特色产业集群"
CELL = ("2023年度会计凭证", "2023年度会计凭证（抽查）")
NEW_PROJECT = "中小企业公共服务平台建设经费"


def changed_workbook(sample: Path, folder: Path) -> Path:
    """The sample after the 财政局's review: 决算支出, the (13) score, one more 复评项目."""
    book = openpyxl.load_workbook(sample)
    for row in book["预决算"].iter_rows(min_row=2):
        if row[0].value == "决算支出":
            row[1].value = 10500.00
    for row in book["指标体系"].iter_rows(min_row=2):
        if str(row[2].value or "").startswith("(13)"):
            row[7].value = 2.6
    book["复评项目"].append([7, NEW_PROJECT, 120.5, 110.2, 95, 85.5, "良", "1.经济成本指标未按执行率扣分"])
    path = folder / "changed.xlsx"
    book.save(path)
    return path


def edit(data: bytes) -> bytes:
    """The editor's session: each of the issue's cases once."""
    document = editor.open_document(data)
    editor.typed(editor.body_paragraph(document, REWORDED[0]), *REWORDED[1:])
    editor.bold(editor.body_paragraph(document, BOLDED[0]), BOLDED[1])
    editor.typed(editor.body_paragraph(document, FIGURE[0]), *FIGURE[1:])
    editor.retyped(editor.body_paragraph(document, RETYPED[0]), RETYPED[1])
    editor.insert_after(editor.body_paragraph(document, BOLDED[0]), INSERTED)
    editor.delete(editor.body_paragraph(document, DELETED))
    editor.retyped_cell(editor.cell(document, CELL[0]), CELL[1])
    return editor.saved(document)


@pytest.fixture(scope="module")
def changed(sample, tmp_path_factory) -> Path:
    return changed_workbook(sample, tmp_path_factory.mktemp("changed"))


@pytest.fixture(scope="module")
def reports(sample, changed, tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("edits")
    assert pipeline.build(sample, folder / "old.docx").ok
    assert pipeline.build(changed, folder / "new.docx").ok
    old, new = (folder / "old.docx").read_bytes(), (folder / "new.docx").read_bytes()
    edited = edit(old)
    return {"old": old, "new": new, "edited": edited, "merged": edits.merge(new, edited).data}


def blocks(data: bytes, names_from: bytes | None = None, view: str = "as is") -> dict[str, str]:
    """key -> text of every keyed block; view "accept"/"reject" resolves the tracked changes first."""
    package = Package.read(data)
    root = package.xml(package.main())
    if view != "as is":
        drop, keep = (DEL, INS) if view == "accept" else (INS, DEL)
        for element in [e for e in root.iter(drop) if e.getparent().tag != q("rPr")]:
            element.getparent().remove(element)
        for element in [e for e in root.iter(keep) if e.getparent().tag != q("rPr")]:
            for child in list(element):
                element.addprevious(child)
            element.getparent().remove(element)
        for deleted in root.iter(DEL_TEXT):
            deleted.tag = T
    stored = store.find(Package.read(names_from or data))
    found = carrier.read(root.find(q("body")), stored.names())
    if names_from is not None:  # an edited report: find the blocks whose key python-docx dropped
        match.recover(found, stored)
    return {b.key: b.text for b in found if b.key}


def body_texts(data: bytes, view: str = "accept") -> list[str]:
    return list(blocks(data, view=view).values())


def _key(data: bytes, starting: str) -> str:
    """Return the key of the one body paragraph that starts with `starting` (the 总览表 repeats 四–六's)."""
    (key,) = [k for k, v in blocks(data).items() if v.startswith(starting) and "/row:" not in k
              and not k.startswith("总览表/")]
    return key


# ---- nothing changed: the same bytes --------------------------------------------------
def test_an_unedited_report_with_unchanged_data_rebuilds_byte_for_byte(reports):
    assert edits.merge(reports["old"], reports["old"]).data == reports["old"]


def test_an_unedited_report_with_changed_data_rebuilds_as_a_fresh_build(reports):
    assert edits.merge(reports["new"], reports["old"]).data == reports["new"]


def test_the_merge_is_reproducible(reports):
    assert edits.merge(reports["new"], reports["edited"]).data == reports["merged"]


# ---- each editor's case ---------------------------------------------------------------
def test_each_edit_ends_as_the_issue_says(reports):
    merged, new = blocks(reports["merged"], view="accept"), blocks(reports["new"])
    rejected = blocks(reports["merged"], view="reject")
    reworded = _key(reports["old"], REWORDED[0])
    assert REWORDED[2] in merged[reworded] and rejected[reworded] == merged[reworded]  # no conflict: kept
    bolded = _key(reports["old"], BOLDED[0])
    assert merged[bolded] == new[bolded]
    figure = _key(reports["old"], FIGURE[0])  # edited, and 决算支出 changed: a conflict
    assert FIGURE[2] in merged[figure] and "10,500" in merged[figure] and "10,271.96" not in merged[figure]
    assert FIGURE[2] in rejected[figure] and "10,271.96" in rejected[figure]
    retyped = _key(reports["old"], RETYPED[0])
    assert rejected[retyped] == RETYPED[1] and "有待提高" in merged[retyped]
    assert INSERTED not in merged.values()  # an insertion carries no key ...
    texts = "\n".join(p.text for p in editor.open_document(reports["merged"]).paragraphs)
    assert f"{BOLDED[1]}。\n{INSERTED}" in texts  # ... and stays right after the block before it
    assert _key(reports["old"], DELETED) not in merged and _key(reports["old"], DELETED) in new
    assert any(v == CELL[1] for v in merged.values())
    assert any(NEW_PROJECT in v for v in merged.values())  # the new 复评项目 row came in


def test_a_table_that_gains_a_row_keeps_the_editors_cell(reports):
    """A 复评项目 added: the new row and the new totals come in, the editor's wording of a cell stays."""
    document = editor.open_document(reports["old"])
    key = "表:复评项目/2022年度功勋企业家、优秀企业家及行业领军企业家兑现等资金.c7"  # the first project's 存在问题
    (tc,) = [b.elements[0] for b in carrier.read(document.element.body, store.find(Package.read(
        reports["old"])).names()) if b.key == key]
    editor.typed(Paragraph(tc.findall(q("p"))[1], None), "社会效益不显著", "社会效益尚不明显")
    merged, new = blocks(edits.merge(reports["new"], editor.saved(document)).data), blocks(reports["new"])
    assert merged[key] == "1.经济成本指标未按执行率扣分；\n2.执行率较低，社会效益尚不明显"
    assert merged[f"表:复评项目/{NEW_PROJECT}.c1"] == NEW_PROJECT
    table = {k: v for k, v in new.items() if k.startswith("表:复评项目")}
    assert {k: merged[k] for k in table if k != key} == {k: v for k, v in table.items() if k != key}
    assert table["表:复评项目.r4.c1"] != blocks(reports["old"])["表:复评项目.r4.c1"]  # the total changed


def test_the_bold_phrase_is_still_bold(reports):
    document = editor.open_document(reports["merged"])
    paragraph = editor.body_paragraph(document, BOLDED[0])
    assert "".join(r.text for r in paragraph.runs if r.bold) == BOLDED[1]


def test_new_numbers_flow_in_everywhere_not_edited(reports):
    """Every block the editor did not touch reads exactly as in a fresh build of the changed workbook."""
    was, now, merged = blocks(reports["old"]), blocks(reports["edited"], reports["old"]), blocks(reports["merged"])
    new = blocks(reports["new"])
    untouched = [k for k in new if k in was and now.get(k) == was[k]]
    assert len(untouched) > 1900
    assert [k for k in untouched if merged[k] != new[k]] == []
    changed_data = [k for k in untouched if new[k] != was[k]]
    assert len(changed_data) > 40  # the data change reached many blocks


def test_every_conflict_is_a_tracked_change_by_perfreport(reports):
    merged = edits.merge(reports["new"], reports["edited"])
    assert {n.heading for n in merged.conflicts} == {
        "三、评价结论及分析 › （二）指标分析 › 2.预算管理", "五、存在的问题 › （四）预算执行率较低，项目管理有待加强"}
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(reports["merged"])).read("word/document.xml"))
    changes = list(root.iter(INS, DEL))
    assert changes and {c.get(q("author")) for c in changes} == {"perfreport"}
    assert {c.get(q("date")) for c in changes} == {"2024-12-01T00:00:00Z"}  # the report's date: reproducible
    holders = {tuple(b.heading) for b in carrier.read(root.find(q("body")), store.find(
        Package.read(reports["merged"])).names()) if any(True for e in b.elements for _ in e.iter(INS, DEL))}
    assert {" › ".join(h) for h in holders} == {n.heading for n in merged.conflicts}


def test_nothing_the_editor_wrote_is_lost(reports):
    """Rejecting every tracked change gives back each block exactly as the editor left it."""
    was, now = blocks(reports["old"]), blocks(reports["edited"], reports["old"])
    rejected = blocks(reports["merged"], view="reject")
    edited_keys = [k for k in now if now[k] != was[k]]
    assert len(edited_keys) == 4
    assert {k: rejected.get(k) for k in edited_keys} == {k: now[k] for k in edited_keys}
    assert INSERTED in "\n".join(p.text for p in editor.open_document(reports["merged"]).paragraphs)


AUDITS: dict[bytes, set[str]] = {}


def _audit(data: bytes, folder: Path) -> set[str]:
    """openxml-audit's findings for a .docx (each file audited once per session: a run takes seconds)."""
    key = hashlib.sha1(data).digest()
    if key not in AUDITS:
        AUDITS[key] = _audited(data, folder)
    return AUDITS[key]


def _audited(data: bytes, folder: Path) -> set[str]:
    path = folder / "audit.docx"
    path.write_bytes(data)
    run = subprocess.run(["openxml-audit", "-o", "json", "-m", "0", str(path)], capture_output=True, text=True,
                         timeout=300)
    return {e["description"] for e in json.loads(run.stdout)[0]["errors"]}


@pytest.mark.skipif(not shutil.which("openxml-audit"), reason="openxml-audit is a test extra")
def test_word_accepts_the_merged_report(reports, tmp_path):
    assert _audit(reports["merged"], tmp_path) - _audit(reports["new"], tmp_path) == set()


# ---- through LibreOffice ---------------------------------------------------------------
@pytest.fixture(scope="module")
def through_libreoffice(reports, tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("lo")
    (folder / "edited.docx").write_bytes(reports["edited"])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "docx",
                    "--outdir", str(folder / "out"), str(folder / "edited.docx")], check=True, capture_output=True,
                   timeout=300)
    return (folder / "out" / "edited.docx").read_bytes()


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_libreoffice_keeps_the_store_and_every_key(reports, through_libreoffice):
    assert store.find(Package.read(through_libreoffice)) == store.find(Package.read(reports["old"]))
    assert blocks(through_libreoffice, reports["old"]) == blocks(reports["edited"], reports["old"])


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_edits_survive_a_libreoffice_round_trip(reports, through_libreoffice, tmp_path):
    merged = edits.merge(reports["new"], through_libreoffice)
    was, now = blocks(reports["old"]), blocks(reports["edited"], reports["old"])
    new, accepted = blocks(reports["new"]), blocks(merged.data, view="accept")
    rejected = blocks(merged.data, view="reject")
    untouched = [k for k in new if k in was and now.get(k) == was[k]]
    assert [k for k in untouched if accepted[k] != new[k]] == []  # new numbers flow in through LibreOffice's runs
    edited_keys = [k for k in now if now[k] != was[k]]
    assert {k: rejected.get(k) for k in edited_keys} == {k: now[k] for k in edited_keys}
    assert len(merged.conflicts) == 2
    if shutil.which("openxml-audit"):
        assert _audit(merged.data, tmp_path) - _audit(through_libreoffice, tmp_path) - _audit(reports["new"], tmp_path) \
            == set()


# ---- the command line --------------------------------------------------------------------
def test_build_force_merges_and_keeps_the_old_file(sample, changed, tmp_path, run_cli, reports):
    report = tmp_path / "report.docx"
    assert run_cli("build", sample, "-o", report).code == 0
    report.write_bytes(edit(report.read_bytes()))
    editors = report.read_bytes()
    run = run_cli("build", changed, "-o", report, "--force")
    assert run.code == 0 and not run.traceback, run.output
    assert (tmp_path / "report.bak.docx").read_bytes() == editors
    assert report.read_bytes() == edits.merge(reports["new"], editors).data
    assert "警告 [edit-conflict] 五、存在的问题 › （四）预算执行率较低，项目管理有待加强：编辑修改过，数据也有变化" in run.output
    assert "警告 [edits-merged] report.docx：已带入编辑的修改 6 处，其中 2 处与新数据冲突" in run.output


def _batch_of_edited_reports(sample, changed, tmp_path, run_cli):
    """Return the run of `build a.xlsx b.xlsx --force` over two edited reports, with the changed data."""
    out, books = tmp_path / "out", {}
    out.mkdir()
    for name in ("a", "b"):
        books[name] = Path(shutil.copy(sample, tmp_path / f"{name}.xlsx"))
    assert run_cli("build", books["a"], books["b"], "-o", out).code == 0
    for name in ("a", "b"):
        (out / f"{name}.docx").write_bytes(edit((out / f"{name}.docx").read_bytes()))
        shutil.copy(changed, books[name])
    run = run_cli("build", books["a"], books["b"], "-o", out, "--force", "--jobs", "1")
    assert run.code == 0 and not run.traceback, run.output
    return run


CONFLICT = "警告 [edit-conflict] 五、存在的问题 › （四）预算执行率较低，项目管理有待加强：编辑修改过，数据也有变化"


def test_a_batch_lists_each_reports_conflicts_after_its_line(sample, changed, tmp_path, run_cli):
    """Several workbooks print a line each: the conflicts, found only while writing, must still be listed."""
    lines = _batch_of_edited_reports(sample, changed, tmp_path, run_cli).stdout.splitlines()
    conflict = "    " + CONFLICT
    for n, name in enumerate(("a", "b"), 1):
        at = lines.index(next(line for line in lines if line.startswith(f"[{n}/2] ")))
        assert f"{name}.xlsx：已生成" in lines[at]
        following = lines[at + 1: at + 5]
        assert any(line.startswith(conflict) for line in following), lines
        assert any(line.startswith(f"    警告 [edits-merged] {name}.docx：") for line in lines[at + 1:])


def test_a_batch_on_a_terminal_lists_the_conflicts_after_its_progress_bar(sample, changed, tmp_path, run_cli,
                                                                         monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    output = _batch_of_edited_reports(sample, changed, tmp_path, run_cli).stdout
    assert output.count("  " + CONFLICT) == 2 and output.index(CONFLICT) < output.index("完成：共 2 个工作簿")


def test_discard_edits_rebuilds_clean_and_keeps_the_old_file(sample, changed, tmp_path, run_cli, reports):
    report = tmp_path / "report.docx"
    assert run_cli("build", sample, "-o", report).code == 0
    report.write_bytes(edit(report.read_bytes()))
    run = run_cli("build", changed, "-o", report, "--discard-edits")
    assert run.code == 0 and "[edit" not in run.output, run.output
    assert report.read_bytes() == reports["new"]
    assert (tmp_path / "report.bak.docx").exists()


def test_a_report_perfreport_did_not_write_is_not_merged(sample, tmp_path, run_cli):
    report = tmp_path / "report.docx"
    document = editor.open_document(editor.saved(__import__("docx").Document()))
    document.add_paragraph("别人写的报告。")
    report.write_bytes(editor.saved(document))
    assert run_cli("build", sample, "-o", report).code == 1  # never overwritten without --force
    run = run_cli("build", sample, "-o", report, "--force")
    assert run.code == 0 and "警告 [edits-not-merged] report.docx：" in run.output
    assert "别人写的报告。" in editor.open_document((tmp_path / "report.bak.docx").read_bytes()).paragraphs[0].text


def test_edits_lists_the_editors_changes(tmp_path, run_cli, reports):
    report = tmp_path / "report.docx"
    report.write_bytes(reports["edited"])
    run = run_cli("edits", report)
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert lines[0] == "report.docx：4 处修改，1 段新增，1 处删除（另有 1 处只改了格式）"
    assert "  修改  四、部门整体所实现的主要绩效 › （一）加快推进工业技改，提升企业创新能力" in lines
    assert "        …技改投资约30.4亿元，【同比→较上年】增长28%。在库项目达82…" in lines
    assert f"        {INSERTED}" in lines


def test_an_edit_in_an_attachment_or_the_overview_is_placed_under_its_title(reports):
    """Attachments and the 总览表 follow no 一、二、 heading of theirs: their own title names the place."""
    document = editor.open_document(reports["old"])
    editor.typed(editor.cell(document, "10,271.96").paragraphs[0], "10,271.96", "10,271.96（决算）")
    headings = {e.after: e.heading for e in edits.list_edits(editor.saved(document)).edits}
    assert headings["10,271.96（决算）"] == "枣庄市市中区工业和信息化局2023年度部门整体绩效评价总览表"
    headings = {e.after: e.heading for e in edits.list_edits(reports["edited"]).edits}
    assert headings[CELL[1]].startswith("附件") and "相关建议" not in headings[CELL[1]]


def test_edits_on_a_report_without_a_store_says_why(tmp_path, run_cli):
    report = tmp_path / "plain.docx"
    report.write_bytes(editor.saved(__import__("docx").Document()))
    run = run_cli("edits", report)
    assert run.code == 1 and "没有 perfreport 保存的生成内容" in run.stderr
    (tmp_path / "junk.docx").write_bytes(b"not a zip")
    assert run_cli("edits", tmp_path / "junk.docx").code == 1 and not run_cli("edits", tmp_path / "junk.docx").traceback


def test_edits_on_a_missing_report_or_a_folder_says_so_in_chinese(tmp_path, run_cli):
    missing = run_cli("edits", tmp_path / "nothere.docx")
    assert missing.code == 1 and missing.stderr == "nothere.docx：文件不存在，请检查路径\n"
    folder = run_cli("edits", tmp_path)
    assert folder.code == 1 and folder.stderr == f"{tmp_path.name}：是一个文件夹，请给出报告（.docx）的路径\n"


def test_a_reworded_heading_is_kept_and_the_table_of_contents_shows_it(reports):
    document = editor.open_document(reports["old"])
    (heading,) = [p for p in document.paragraphs if p.text == "（一）综合评价结论" and carrier.heading_level(p._p)]
    editor.typed(heading, "综合评价结论", "总体评价结论")
    merged = editor.open_document(edits.merge(reports["old"], editor.saved(document)).data)
    entries = [p.text.rstrip("\t") for p in merged.paragraphs if carrier.is_toc(p._p)]
    assert len(entries) == 27 and "（一）总体评价结论" in entries and "（一）综合评价结论" not in entries
    headings = [p.text for p in merged.paragraphs if carrier.heading_level(p._p)]
    assert "（一）总体评价结论" in headings and "（一）综合评价结论" not in headings

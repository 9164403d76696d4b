"""Output safety: an editor's report is never lost, a failed run leaves nothing, builds are reproducible.

SPEC section 1: an existing report is replaced only with --force and then kept
as NAME.bak.docx; the report is written to a temporary file in the target
folder and renamed, so a crash or Ctrl-C leaves the old report untouched and
no partial file; unwritable targets get a clear message, never a traceback.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from perfreport import pipeline
from perfreport import render as render_module
from perfreport.errors import OutputError

EDITED = b"an editor's day of work"


@pytest.fixture()
def workbook(sample, tmp_path) -> Path:
    """A copy of the sample in its own folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    return Path(shutil.copy(sample, folder / "book.xlsx"))


@pytest.fixture()
def outbox(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _edited_report(report: Path, stamp: str = "revision") -> bytes:
    """Edit the report as an editor's save leaves it (revision raised, or only the modified time); return it."""
    parts = {}
    with zipfile.ZipFile(report) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    core = parts["docProps/core.xml"]
    if stamp == "revision":
        core = re.sub(rb"<cp:revision>\d+</cp:revision>", b"<cp:revision>7</cp:revision>", core)
    else:
        core = re.sub(rb"(<dcterms:modified[^>]*>)[^<]+", rb"\g<1>2025-01-06T09:30:00Z", core)
    parts["docProps/core.xml"] = core
    parts["word/document.xml"] = parts["word/document.xml"].replace("绩效".encode(), "成效".encode(), 1)
    with zipfile.ZipFile(report, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return report.read_bytes()


# ---- never overwrite without --force --------------------------------------------

def test_an_existing_report_is_not_overwritten_without_force(workbook, outbox, run_cli):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    run = run_cli("build", workbook, "-o", report)
    assert run.code == 1 and not run.traceback
    assert "已存在" in run.output and "--force" in run.output and "report.bak.docx" in run.output
    assert report.read_bytes() == EDITED and _names(outbox) == ["report.docx"]


def test_the_default_output_beside_the_workbook_is_protected_too(workbook, run_cli):
    beside = workbook.with_suffix(".docx")
    beside.write_bytes(EDITED)
    run = run_cli("build", workbook)
    assert run.code == 1 and beside.read_bytes() == EDITED


def test_force_replaces_and_keeps_the_old_report_as_bak(workbook, outbox, run_cli):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    run = run_cli("build", workbook, "-o", report, "--force")
    assert run.code == 0, run.output
    assert (outbox / "report.bak.docx").read_bytes() == EDITED
    assert zipfile.is_zipfile(report) and _names(outbox) == ["report.bak.docx", "report.docx"]


def test_force_twice_never_loses_the_editors_version(workbook, outbox, run_cli):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    assert run_cli("build", workbook, "-o", report, "--force").code == 0  # bak: the edited one
    generated = report.read_bytes()
    assert run_cli("build", workbook, "-o", report, "--force").code == 0  # bak: the generated one
    assert (outbox / "report.bak.docx").read_bytes() == generated
    assert (outbox / "report.bak.1.docx").read_bytes() == EDITED
    assert run_cli("build", workbook, "-o", report, "--force").code == 0  # an unedited bak is replaced
    assert _names(outbox) == ["report.bak.1.docx", "report.bak.docx", "report.docx"]


@pytest.mark.parametrize("stamp", ["revision", "modified"])
def test_a_report_edited_in_word_is_kept_when_forced_again(workbook, outbox, run_cli, stamp):
    report = outbox / "report.docx"
    assert run_cli("build", workbook, "-o", report).code == 0
    first_edit = _edited_report(report, stamp)
    assert run_cli("build", workbook, "-o", report, "--force").code == 0
    second_edit = _edited_report(report, stamp)
    assert run_cli("build", workbook, "-o", report, "--force").code == 0
    kept = {p.read_bytes() for p in outbox.glob("report.bak*.docx")}
    assert {first_edit, second_edit} <= kept


def test_a_bad_workbook_with_force_leaves_the_old_report_untouched(workbook, outbox, run_cli):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    broken = workbook.with_name("broken.xlsx")
    broken.write_text("不是工作簿", encoding="utf-8")
    run = run_cli("build", broken, "-o", report, "--force")
    assert run.code == 1 and not run.traceback
    assert report.read_bytes() == EDITED and _names(outbox) == ["report.docx"]


# ---- a crash or Ctrl-C leaves the old report and no partial file ----------------------

@pytest.mark.parametrize("interruption", [KeyboardInterrupt, MemoryError, RuntimeError])
def test_an_interrupted_render_leaves_the_old_report(workbook, outbox, monkeypatch, interruption):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)

    def crash(*args, **kwargs):
        raise interruption()
    monkeypatch.setattr(render_module, "render", crash)
    with pytest.raises(interruption):
        pipeline.build(workbook, report, force=True)
    assert report.read_bytes() == EDITED and _names(outbox) == ["report.docx"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError(errno.ENOSPC, "No space left on device")])
def test_an_interrupted_write_leaves_the_old_report_and_no_partial_file(workbook, outbox, monkeypatch,
                                                                       interruption):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    written = []
    real_fsync = os.fsync

    def fail_on_sync(descriptor):
        written.append(os.fstat(descriptor).st_size)
        raise interruption if isinstance(interruption, OSError) else interruption()
    monkeypatch.setattr(pipeline.os, "fsync", fail_on_sync)
    expected = OutputError if isinstance(interruption, OSError) else interruption
    with pytest.raises(expected) as caught:
        pipeline.build(workbook, report, force=True)
    monkeypatch.setattr(pipeline.os, "fsync", real_fsync)
    assert written and written[0] > 0  # the temporary file was being written
    assert report.read_bytes() == EDITED and _names(outbox) == ["report.docx"]
    if expected is OutputError:
        assert "原有文件保持不变" in str(caught.value)


def test_a_failed_final_rename_leaves_the_old_report(workbook, outbox, monkeypatch, run_cli):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    real_replace = os.replace

    def locked(source, target):  # Word holds the report open (Windows refuses the rename)
        if Path(target) == report:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_replace(source, target)
    monkeypatch.setattr(pipeline.os, "replace", locked)
    run = run_cli("build", workbook, "-o", report, "--force")
    assert run.code == 1 and not run.traceback
    assert "未生成报告" in run.output and "正被 Word 等程序打开" in run.output
    assert report.read_bytes() == EDITED
    assert not [n for n in _names(outbox) if n.endswith(".tmp")]


def test_a_real_ctrl_c_leaves_no_partial_file(workbook, outbox):
    """SIGINT a real build while it runs: whatever the moment, no partial report and no temporary file."""
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    process = subprocess.Popen([sys.executable, "-m", "perfreport", "build", workbook, "-o", report, "--force"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        process.communicate(timeout=0.8)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)
    assert not [n for n in _names(outbox) if n.endswith(".tmp")]
    assert report.read_bytes() == EDITED or (zipfile.is_zipfile(report)
                                             and (outbox / "report.bak.docx").read_bytes() == EDITED)


# ---- unwritable targets: a clear message -------------------------------------------------

def test_a_missing_output_folder(workbook, tmp_path, run_cli):
    run = run_cli("build", workbook, "-o", tmp_path / "nowhere" / "report.docx")
    assert run.code == 1 and not run.traceback
    assert "输出文件夹" in run.output and "不存在" in run.output
    assert not (tmp_path / "nowhere").exists()


def test_an_output_path_that_is_a_folder(workbook, outbox, run_cli):
    folder = outbox / "report.docx"
    folder.mkdir()
    run = run_cli("build", workbook, "-o", folder)
    assert run.code == 1 and not run.traceback
    assert "是一个文件夹" in run.output and _names(folder) == []


def test_a_backup_name_taken_by_a_folder(workbook, outbox, run_cli):
    (outbox / "report.docx").write_bytes(EDITED)
    (outbox / "report.bak.docx").mkdir()
    run = run_cli("build", workbook, "-o", outbox / "report.docx", "--force")
    assert run.code == 1 and not run.traceback and "无法保留旧文件" in run.output
    assert (outbox / "report.docx").read_bytes() == EDITED


def test_a_read_only_target(workbook, outbox, monkeypatch, run_cli):
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    real_access = os.access
    monkeypatch.setattr(pipeline.os, "access",  # as root, chmod cannot make a file read-only
                        lambda path, mode: not (Path(path) == report and mode == os.W_OK) and real_access(path, mode))
    run = run_cli("build", workbook, "-o", report, "--force")
    assert run.code == 1 and not run.traceback and "没有写入" in run.output and "只读" in run.output
    assert report.read_bytes() == EDITED


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only folders")
def test_a_read_only_folder(workbook, outbox, run_cli):
    outbox.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        run = run_cli("build", workbook, "-o", outbox / "report.docx")
    finally:
        outbox.chmod(stat.S_IRWXU)
    assert run.code == 1 and not run.traceback and "没有写入" in run.output


def test_the_workbook_itself_is_never_the_output(workbook):
    with pytest.raises(OutputError, match="就是工作簿本身"):
        pipeline.build(workbook, workbook, force=True)
    assert zipfile.is_zipfile(workbook)


def test_the_report_gets_ordinary_permissions_not_the_temporary_files(workbook, outbox):
    report = outbox / "report.docx"
    pipeline.build(workbook, report)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(report.stat().st_mode) == 0o666 & ~mask
    report.chmod(0o640)
    pipeline.build(workbook, report, force=True)
    assert stat.S_IMODE(report.stat().st_mode) == 0o640


# ---- reproducible builds ------------------------------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(workbook, outbox):
    first, second = outbox / "a.docx", outbox / "b.docx"
    pipeline.build(workbook, first)
    pipeline.build(workbook, second)
    assert first.read_bytes() == second.read_bytes()


def test_builds_in_other_processes_hash_seeds_and_time_zones_are_identical(workbook, outbox, run_process):
    """Set and dict order (PYTHONHASHSEED), the clock and the time zone must not reach the file."""
    digests = set()
    for number, (seed, zone) in enumerate([("1", "UTC"), ("2", "Asia/Shanghai"), ("3", "America/New_York")]):
        target = outbox / f"r{number}.docx"
        run = run_process("build", workbook, "-o", target, timeout=120, env={"PYTHONHASHSEED": seed, "TZ": zone})
        assert run.code == 0, run.output
        digests.add(_digest(target))
    assert len(digests) == 1


def test_zip_entries_have_fixed_times_and_order_and_dates_come_from_the_workbook(workbook, outbox):
    report = outbox / "report.docx"
    pipeline.build(workbook, report)
    with zipfile.ZipFile(report) as archive:
        infos = archive.infolist()
        core = archive.read("docProps/core.xml").decode()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert infos[0].filename == "[Content_Types].xml"
    # 报告日期 of the sample is 2024 年 12 月: the document's dates say so, not today
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core) == ["2024-12-01T00:00:00Z"] * 2


def _xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))


def test_no_random_ids_in_the_document(workbook, outbox):
    report = outbox / "report.docx"
    pipeline.build(workbook, report)
    xml = _xml(report)
    rsids = set(re.findall(rb'w:rsid\w*="([0-9A-F]+)"', xml))  # Word's revision ids: only the template's
    assert rsids <= set(re.findall(rb'w:rsid\w*="([0-9A-F]+)"', _xml(render_module.template_path())))
    assert not re.search(rb"\{?[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}?", xml, re.I)

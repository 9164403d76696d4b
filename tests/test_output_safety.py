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
    """Edit the report as an editor's save leaves it (revision raised, only the modified time, or neither); return it."""
    parts = {}
    with zipfile.ZipFile(report) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    core = parts["docProps/core.xml"]
    if stamp == "revision":
        core = re.sub(rb"<cp:revision>\d+</cp:revision>", b"<cp:revision>7</cp:revision>", core)
    elif stamp == "modified":
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


@pytest.mark.parametrize("option", ["--force", "--discard-edits"])
def test_an_edit_saved_without_touching_the_properties_survives_two_rebuilds(workbook, outbox, run_cli, option):
    """LibreOffice's converter and python-docx keep revision 1 and the dates: the text shows the edit."""
    report = outbox / "report.docx"
    assert run_cli("build", workbook, "-o", report).code == 0
    edited = _edited_report(report, "neither")
    for _ in range(2):
        assert run_cli("build", workbook, "-o", report, option).code == 0
    assert edited in {p.read_bytes() for p in outbox.glob("report.bak*.docx")}


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


def _as_from_a_terminal() -> None:
    """Ctrl-C reaches the build as it does from a terminal: a test run started in the background (nohup … &)
    hands its children SIGINT ignored, and Python then leaves it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_real_ctrl_c_leaves_no_partial_file(workbook, outbox):
    """SIGINT a real build while it runs: whatever the moment, no partial report and no temporary file."""
    report = outbox / "report.docx"
    report.write_bytes(EDITED)
    process = subprocess.Popen([sys.executable, "-m", "perfreport", "build", workbook, "-o", report, "--force"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_as_from_a_terminal)
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


# ---- round 2 (issue 9): races, odd files, interruptions, stale temporary files, -o, batches ------------

def test_a_file_created_while_building_is_never_touched_without_force(workbook, outbox, monkeypatch):
    """The existence check and the move are one step: a report written meanwhile by another run stays."""
    from perfreport import output

    report = outbox / "report.docx"
    real_check = output.check_target

    def another_run_writes_first(path, force):
        real_check(path, force)
        if path == report:
            path.write_bytes(EDITED)
    monkeypatch.setattr(output, "check_target", another_run_writes_first)
    with pytest.raises(OutputError, match="已存在"):
        pipeline.build(workbook, report)
    assert report.read_bytes() == EDITED and _names(outbox) == ["report.docx"]


def test_two_builds_racing_for_one_new_path_cannot_both_succeed(workbook, outbox):
    report = outbox / "report.docx"
    command = [sys.executable, "-m", "perfreport", "build", workbook, "-o", report]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    codes = sorted(run.returncode for run in runs)
    assert codes == [0, 1], outputs
    assert "已存在".encode() in b"".join(out + err for out, err in outputs)
    assert _names(outbox) == ["report.docx"] and zipfile.is_zipfile(report)


@pytest.mark.parametrize("kind", ["symlink_to_dev_zero", "fifo", "symlink_to_a_report"])
def test_only_regular_files_are_backed_up_or_replaced(workbook, outbox, run_cli, kind):
    """Before: --force onto a symlink to /dev/zero copied it into the backup until the disk was full."""
    report = outbox / "r.docx"
    if kind == "symlink_to_dev_zero":
        report.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(report)
    else:
        (outbox / "elsewhere.docx").write_bytes(EDITED)
        report.symlink_to(outbox / "elsewhere.docx")
    before = _names(outbox)
    run = run_cli("build", workbook, "-o", report, "--force")
    assert run.code == 1 and not run.traceback
    assert "不是普通文件" in run.output and _names(outbox) == before
    assert report.is_symlink() or stat.S_ISFIFO(report.lstat().st_mode)


def test_a_backup_name_taken_by_a_symlink_is_an_error(workbook, outbox, run_cli):
    (outbox / "report.docx").write_bytes(EDITED)
    (outbox / "report.bak.docx").symlink_to("/dev/zero")
    run = run_cli("build", workbook, "-o", outbox / "report.docx", "--force")
    assert run.code == 1 and "无法保留旧文件" in run.output and (outbox / "report.docx").read_bytes() == EDITED


INTERRUPT_DURING_WRITE = """
import os, signal, sys
from perfreport import output
real = os.fsync
def fsync(handle):  # the signal arrives while the report is being written
    os.kill(os.getpid(), signal.{signal})
    real(handle)
output.os.fsync = fsync
sys.argv = ["perfreport", *sys.argv[1:]]
from perfreport.__main__ import run
run()
"""


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_signal_during_the_final_write_leaves_nothing_behind(workbook, outbox, signal_name):
    """Before: SIGTERM left a hidden .NAME.XXXX.tmp; Ctrl-C printed a traceback or English "Aborted!"."""
    report = outbox / "report.docx"
    done = subprocess.run([sys.executable, "-c", INTERRUPT_DURING_WRITE.format(signal=signal_name), "build",
                           workbook, "-o", report], capture_output=True, text=True, timeout=120,
                          preexec_fn=_as_from_a_terminal)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "已中断：未完成的报告没有写入，也没有留下临时文件"
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr
    assert _names(outbox) == []


def test_ctrl_c_while_the_command_line_starts_is_one_chinese_line(workbook):
    """A Ctrl-C while click and perfreport are being imported (the first tenth of a second)."""
    code = ("import builtins, os, signal, sys\n"
            "real = builtins.__import__\n"
            "def interrupting(name, *args, **kwargs):\n"
            "    if name == 'click':\n"
            "        os.kill(os.getpid(), signal.SIGINT)\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = interrupting\n"
            "sys.argv = ['perfreport', 'check', sys.argv[1]]\n"
            "from perfreport.__main__ import run\n"
            "run()\n")
    done = subprocess.run([sys.executable, "-c", code, workbook], capture_output=True, text=True, timeout=60,
                          preexec_fn=_as_from_a_terminal)
    assert done.returncode == 130 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == "已中断：没有写入任何文件"


def test_an_interrupted_check_exits_130_in_chinese(workbook, monkeypatch, run_cli):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("perfreport.cli.check_workbook", interrupted)
    run = run_cli("check", workbook)
    assert run.code == 130 and not run.traceback and "Aborted" not in run.output
    assert "已中断" in run.stderr


def test_stale_temporary_files_of_killed_runs_are_removed_by_the_next_build(workbook, outbox):
    report = outbox / "report.docx"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    stale = [outbox / f".report.{dead.stdout.strip()}.k3j9x_2a.tmp", outbox / f".report.bak.{dead.stdout.strip()}.q1w2e3r4.tmp"]
    alive = outbox / f".report.{os.getpid()}.abcd1234.tmp"  # a run still writing
    foreign = outbox / ".report.notours.tmp"
    for path in stale + [alive, foreign]:
        path.write_bytes(b"partial")
        os.utime(path, (1_000_000_000, 1_000_000_000))
    pipeline.build(workbook, report)
    assert _names(outbox) == sorted([alive.name, foreign.name, "report.docx"])


@pytest.mark.parametrize("target, says", [("report.doc", "应保存为 .docx"), ("existing.txt", "应保存为 .docx")])
def test_one_workbook_and_o_always_name_a_file(workbook, outbox, run_cli, target, says):
    """Before: an existing non-.docx path said "多个工作簿时 -o 应为文件夹"; -o report.doc with --jobs 1 made a folder."""
    (outbox / "existing.txt").write_text("x")
    for extra in ([], ["--jobs", "1"]):
        run = run_cli("build", workbook, "-o", outbox / target, *extra)
        assert run.code == 2 and says in run.output and "多个工作簿" not in run.output, run.output
    assert _names(outbox) == ["existing.txt"]


CRASHING_BATCH = """
import os, sys
from perfreport import pipeline
real = pipeline.build
def build(path, *args, **kwargs):
    if "crash" in str(path):
        os._exit(134)  # as an abort in a native library does
    return real(path, *args, **kwargs)
pipeline.build = build
sys.argv = ["perfreport", *sys.argv[1:]]
from perfreport.__main__ import run
run()
"""


def test_a_batch_where_one_workbook_kills_its_process_builds_the_others(sample, tmp_path):
    """--jobs 4 over 16 workbooks, one of which crashes its process: before, the broken pool failed them all."""
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    books = [Path(shutil.copy(sample, inbox / f"book{n:02}.xlsx")) for n in range(15)]
    books.insert(7, Path(shutil.copy(sample, inbox / "crash.xlsx")))
    done = subprocess.run([sys.executable, "-c", CRASHING_BATCH, "build", *books, "-o", outbox, "--jobs", "4"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert _names(outbox) == sorted(f"book{n:02}.docx" for n in range(15))
    assert "crash.xlsx：生成进程意外退出（退出码 134" in done.stderr
    assert "完成：共 16 个工作簿，15 个已生成，1 个失败" in done.stdout

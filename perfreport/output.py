"""Write a report without ever losing one an editor has worked on.

Every file goes through a temporary file in the target folder, fsynced and
moved into place, so a crash, a full disk or Ctrl-C leaves the old report
untouched and no partial file. Without --force the move is a hard link,
which fails if the name exists: two builds racing for one new path cannot
both succeed, and an existing file is never touched. With --force the
replaced report is kept as NAME.bak.docx; an older backup that was edited
moves aside to NAME.bak.N.docx instead of being overwritten. Only regular
files are ever backed up or replaced (a symlink or a device is an error).
Temporary files carry the writer's process id; one left by a killed run is
removed by the next run that writes the same report.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from pathlib import Path

from .errors import OutputError

STARTED = time.time()  # temporary files older than this run, of a process no longer running, are stale
TEMPORARY = re.compile(r"(?:\.bak)?\.(\d+)\.[A-Za-z0-9_]+\.tmp")  # a temporary file's name after ".STEM"
NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def default_output(workbook: Path) -> Path:
    """Return where a workbook's report goes when no output is given: beside it, as .docx."""
    return workbook.with_suffix(".docx")


def backup_path(output: Path) -> Path:
    """Return where --force keeps the report it replaces: NAME.bak.docx."""
    return output.with_name(output.stem + ".bak" + output.suffix)


def _kind(path: Path) -> str | None:
    """Return what `path` is when it is not a regular file ("文件夹", "符号链接", "设备或管道"), None otherwise."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISLNK(mode):
        return "符号链接"
    return None if stat.S_ISREG(mode) else "设备、管道或套接字"


def check_target(output: Path, force: bool) -> None:
    """Raise OutputError, with a message for the user, when `output` cannot be written as asked."""
    kind = _kind(output)
    if kind == "文件夹":
        raise OutputError(f"输出路径 {output} 是一个文件夹：请给出 .docx 文件名")
    if kind:
        raise OutputError(f"输出路径 {output} 是{kind}，不是普通文件：perfreport 只替换普通文件，请换一个文件名")
    if not output.parent.is_dir():
        raise OutputError(f"输出文件夹 {output.parent} 不存在：请先创建")
    exists = output.exists()
    if exists and not force:
        raise OutputError(f"{output} 已存在，可能含有编辑的修改：如需替换请加 --force（旧文件将保存为 "
                          f"{backup_path(output).name}）")
    backup = _kind(backup_path(output))
    if exists and backup:
        raise OutputError(f"无法保留旧文件：{backup_path(output)} 是{backup}，请改名或移走")
    if not os.access(output.parent, os.W_OK) or (exists and not os.access(output, os.W_OK)):
        raise OutputError(f"没有写入 {output} 的权限：请检查文件是否只读或被其他程序占用")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary(folder: Path, stem: str) -> Path:
    """Return a new empty hidden file `.STEM.PID.XXXX.tmp` in `folder`, to write before the move into place."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{stem}.{os.getpid()}.", suffix=".tmp")
    os.close(handle)
    return Path(name)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


def remove_stale(output: Path) -> list[Path]:
    """Remove the temporary files of `output` (and of its backup) that a killed run left; return them.

    Only files of perfreport's own pattern, older than this run, whose
    writing process is gone, are removed.
    """
    prefix = f".{output.stem}"  # then TEMPORARY: one pattern for every report (warmstart keeps it compiled)
    removed = []
    try:
        candidates = list(output.parent.iterdir())
    except OSError:
        return removed
    for path in candidates:
        match = path.name.startswith(prefix) and TEMPORARY.fullmatch(path.name, len(prefix))
        try:
            if match and path.lstat().st_mtime < STARTED and stat.S_ISREG(path.lstat().st_mode) \
                    and not _running(int(match.group(1))):
                path.unlink()
                removed.append(path)
        except OSError:  # gone already, or not ours to remove
            continue
    return removed


def _regenerable(path: Path) -> bool:
    """Return whether `path` is a file perfreport can write again as it is: a PDF, or an unedited report.

    perfreport names itself in the comments, writes revision 1 and sets the
    modified date to the created one (the report date); Word and WPS raise the
    revision or stamp the time when they save, and the text must still read
    as generated (`_unedited`). Anything unreadable counts as edited, so that
    a doubt keeps the file. A PDF is
    always made from the generated report, never edited.
    """
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - not a readable .docx: treat as edited
        return False
    revision = re.search(r"<cp:revision>\s*(\d+)\s*</cp:revision>", core)
    dates = re.findall(r"<dcterms:(?:created|modified)\b[^>]*>([^<]*)<", core)
    return ("perfreport" in core and revision is not None and revision.group(1) == "1"
            and len(dates) == 2 and dates[0] == dates[1] and _unedited(path))


def _unedited(path: Path) -> bool:
    """Return whether the report at `path` reads exactly as perfreport generated it (per its store).

    LibreOffice's converter and python-docx save an editor's work without
    touching the revision or the dates, so the properties alone do not prove
    a file unedited.
    """
    from .edits import list_edits

    try:
        return not list_edits(path.read_bytes()).edits
    except Exception:  # noqa: BLE001 - no store, or unreadable: treat as edited
        return False


def _free_backup(output: Path) -> Path:
    """Return NAME.bak.N.docx with the first N not taken."""
    number = 1
    while (found := output.with_name(f"{output.stem}.bak.{number}{output.suffix}")).exists():
        number += 1
    return found


def _keep_backup(output: Path) -> None:
    """Copy the file about to be replaced to NAME.bak.docx, atomically.

    The file is opened without following a symlink and must be a regular
    file (a symlink to /dev/zero would fill the disk). An older
    NAME.bak.docx is overwritten only when perfreport can write it again;
    otherwise it moves to NAME.bak.N.docx first, so that running --force
    twice never loses an editor's work (or a filled workbook `init --force`
    replaced).
    """
    backup = backup_path(output)
    temp = _temporary(output.parent, backup.stem)
    try:
        source = os.open(output, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with open(source, "rb") as original:
            found = os.fstat(original.fileno())
            if not stat.S_ISREG(found.st_mode):
                raise OutputError(f"{output} 不是普通文件：perfreport 只备份和替换普通文件")
            with temp.open("wb") as copy:
                shutil.copyfileobj(original, copy)
        os.utime(temp, ns=(found.st_atime_ns, found.st_mtime_ns))
        if _kind(backup):
            raise OutputError(f"无法保留旧文件：{backup} 是{_kind(backup)}，请改名或移走")
        if backup.exists() and not _regenerable(backup):
            os.replace(backup, _free_backup(output))
        os.replace(temp, backup)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _claim(temp: Path, output: Path) -> None:
    """Move `temp` to the new name `output`, failing if anything has taken the name meanwhile."""
    try:
        os.link(temp, output)
    except FileExistsError:
        raise OutputError(f"{output} 已存在（可能是同时运行的另一次生成写入的）：如需替换请加 --force") from None
    except OSError as exc:
        if exc.errno not in NO_LINKS:
            raise
        try:  # no hard links here (some network or FAT drives): claim the name, then replace the claim
            os.close(os.open(output, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            raise OutputError(f"{output} 已存在（可能是同时运行的另一次生成写入的）：如需替换请加 --force") from None
        os.replace(temp, output)
        return
    temp.unlink()


def _sync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:  # not every file system syncs a folder
        pass
    finally:
        os.close(handle)


def _replace(data: bytes, output: Path, force: bool) -> None:
    temp = _temporary(output.parent, output.stem)
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        exists = force and output.exists()
        # the temporary file is private (0600); the report gets the mode a new file would
        os.chmod(temp, output.stat().st_mode & 0o777 if exists else 0o666 & ~_umask())
        if exists:
            _keep_backup(output)
            os.replace(temp, output)
        else:
            _claim(temp, output)
        _sync_folder(output.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(data: bytes, output: Path, force: bool) -> None:
    """Write `data` to `output` through a temporary file in the same folder.

    A failure at any point (a full disk, Ctrl-C, a file held open by Word)
    leaves the old report untouched and no partial file; without `force` an
    existing file is never touched, even one created while this run
    worked; with `force` the replaced report is kept as NAME.bak.docx.
    Raises OutputError, with a message for the user, when the file cannot
    be written.
    """
    check_target(output, force)
    remove_stale(output)
    try:
        _replace(data, output, force)
    except OSError as exc:
        raise OutputError(f"写入 {output} 失败（{exc.strerror or type(exc).__name__}）：原有文件保持不变；"
                          "请检查磁盘空间、权限，以及文件是否正被 Word 等程序打开") from None

"""Write a report without ever losing one an editor has worked on.

Every file goes through a temporary file in the target folder, fsynced and
renamed into place, so a crash, a full disk or Ctrl-C leaves the old report
untouched and no partial file. An existing report is replaced only with
--force, and then kept as NAME.bak.docx; an older backup that was edited moves
aside to NAME.bak.N.docx instead of being overwritten.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from .errors import OutputError


def default_output(workbook: Path) -> Path:
    """Return where a workbook's report goes when no output is given: beside it, as .docx."""
    return workbook.with_suffix(".docx")


def backup_path(output: Path) -> Path:
    """Return where --force keeps the report it replaces: NAME.bak.docx."""
    return output.with_name(output.stem + ".bak" + output.suffix)


def check_target(output: Path, force: bool) -> None:
    if output.is_dir():
        raise OutputError(f"输出路径 {output} 是一个文件夹：请给出 .docx 文件名")
    if not output.parent.is_dir():
        raise OutputError(f"输出文件夹 {output.parent} 不存在：请先创建")
    if output.exists() and not force:
        raise OutputError(f"{output} 已存在，可能含有编辑的修改：如需替换请加 --force（旧文件将保存为 "
                          f"{backup_path(output).name}）")
    if output.exists() and backup_path(output).is_dir():
        raise OutputError(f"无法保留旧文件：{backup_path(output)} 是一个文件夹，请改名或移走")
    if not os.access(output.parent, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise OutputError(f"没有写入 {output} 的权限：请检查文件是否只读或被其他程序占用")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temporary(folder: Path, stem: str) -> Path:
    """Return a new empty hidden file in `folder`, to write before an atomic rename."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=".tmp")
    os.close(handle)
    return Path(name)


def _regenerable(path: Path) -> bool:
    """Return whether `path` is a file perfreport can write again as it is: a PDF, or an unedited report.

    perfreport names itself in the comments, writes revision 1 and sets the
    modified date to the created one (the report date); Word, WPS and
    LibreOffice raise the revision or stamp the time when they save. Anything
    unreadable counts as edited, so that a doubt keeps the file. A PDF is
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
            and len(dates) == 2 and dates[0] == dates[1])


def _free_backup(output: Path) -> Path:
    """Return NAME.bak.N.docx with the first N not taken."""
    number = 1
    while (found := output.with_name(f"{output.stem}.bak.{number}{output.suffix}")).exists():
        number += 1
    return found


def _keep_backup(output: Path) -> None:
    """Copy the file about to be replaced to NAME.bak.docx, atomically.

    An older NAME.bak.docx is overwritten only when perfreport can write it
    again; otherwise it moves to NAME.bak.N.docx first, so that running
    --force twice never loses an editor's work (or a filled workbook `init
    --force` replaced).
    """
    backup = backup_path(output)
    temp = _temporary(output.parent, backup.stem)
    try:
        shutil.copy2(output, temp)
        if backup.exists() and not _regenerable(backup):
            os.replace(backup, _free_backup(output))
        os.replace(temp, backup)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _replace(data: bytes, output: Path) -> None:
    temp = _temporary(output.parent, output.stem)
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # the temporary file is private (0600); the report gets the mode a new file would
        os.chmod(temp, output.stat().st_mode & 0o777 if output.exists() else 0o666 & ~_umask())
        if output.exists():
            _keep_backup(output)
        os.replace(temp, output)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomically(data: bytes, output: Path, force: bool) -> None:
    """Write `data` to `output` through a temporary file in the same folder.

    A failure at any point (a full disk, Ctrl-C, a file held open by Word)
    leaves the old report untouched and no partial file; with `force` the
    replaced report is kept as NAME.bak.docx. Raises OutputError, with a
    message for the user, when the file cannot be written.
    """
    check_target(output, force)
    try:
        _replace(data, output)
    except OSError as exc:
        raise OutputError(f"写入 {output} 失败（{exc.strerror or type(exc).__name__}）：原有文件保持不变；"
                          "请检查磁盘空间、权限，以及文件是否正被 Word 等程序打开") from None

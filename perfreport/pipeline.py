"""The library entry points: check a workbook, build its report.

load -> validate -> score -> compose -> render. Each stage collects problems;
a stage runs only when the ones before it found no errors, so that one missing
value does not cascade into a page of follow-on errors.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from .compose import compose
from .errors import OutputError, WorkbookError, error, warning
from .load import load
from .models import Result
from .score import score
from .validate import validate


def _analyse(path: Path) -> tuple[Result, dict | None]:
    result = Result(path.name)
    try:
        return result, _stages(path, result)
    except WorkbookError as exc:
        result.problems.append(exc.problem)
    except Exception as exc:  # noqa: BLE001 - a bug must reach the user as a message, not a traceback
        result.problems.append(error("internal-error", path.name,
                                     f"perfreport 内部错误（{type(exc).__name__}：{exc}）：请核对最近修改的单元格，"
                                     "并把工作簿和这条消息发给维护者"))
    return result, None


def _stages(path: Path, result: Result) -> dict | None:
    """Run the stages into `result`; return the render context, or None when a stage found errors."""
    workbook, problems = load(path)
    result.problems += problems
    if result.errors:
        return None
    checked, problems = validate(workbook)
    result.problems += problems
    if result.errors:
        return None
    result.scores, problems = score(checked)
    result.problems += problems
    if result.errors:
        return None
    context, problems = compose(checked, result.scores, path.parent)  # image paths are relative to the workbook
    result.problems += problems
    return None if result.errors else context


def check(path: Path | str) -> Result:
    """Return every problem of the workbook at `path`, and its scores when it has no errors."""
    return _analyse(Path(path))[0]


def default_output(workbook: Path) -> Path:
    """Return where a workbook's report goes when no output is given: beside it, as .docx."""
    return workbook.with_suffix(".docx")


def backup_path(output: Path) -> Path:
    """Return where --force keeps the report it replaces: NAME.bak.docx."""
    return output.with_name(output.stem + ".bak" + output.suffix)


def _check_target(output: Path, force: bool) -> None:
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
    _check_target(output, force)
    try:
        _replace(data, output)
    except OSError as exc:
        raise OutputError(f"写入 {output} 失败（{exc.strerror or type(exc).__name__}）：原有文件保持不变；"
                          "请检查磁盘空间、权限，以及文件是否正被 Word 等程序打开") from None


def build(path: Path | str, output: Path | str | None = None, *, force: bool = False,
          template: Path | str | None = None, pdf: bool = False) -> Result:
    """Check the workbook and, when it has no errors, write its report.

    With `pdf`, LibreOffice also writes NAME.pdf and the 目录's page numbers
    come from that rendering; without LibreOffice that step is skipped with a
    warning. Returns the Result; `result.output` is the report's path when one
    was written. Raises OutputError when the report cannot be written there.
    """
    from .render import TemplateError, render  # docx libraries load only when a report is built

    path = Path(path)
    target = Path(output) if output else default_output(path)
    if target.exists() and path.exists() and os.path.samefile(target, path):
        raise OutputError(f"报告路径 {target} 就是工作簿本身：请给出另一个 .docx 文件名")
    _check_target(target, force)
    if pdf:
        _check_target(target.with_suffix(".pdf"), force)
    result, context = _analyse(path)
    if context is None:
        return result
    try:
        rendered = render(context, template)
        document = None
        if pdf:
            rendered, document = _with_pdf(rendered, context, template, result)
    except TemplateError as exc:
        result.problems.append(error("template-error", Path(template).name if template else "报告模板",
                                     f"{str(exc).rstrip('：')}：请检查自定义模板，以及工作簿引用的图片（基本信息“二维码图片”）是否为 PNG/JPEG 图片"))
        return result
    write_atomically(rendered.data, target, force)
    result.output = str(target)
    if document is not None:
        write_atomically(document, target.with_suffix(".pdf"), force)
        result.pdf = str(target.with_suffix(".pdf"))
    return result


def _with_pdf(rendered, context: dict, template, result: Result):
    """Return the report with the 目录's page numbers, and its PDF (None when LibreOffice is missing)."""
    from . import pdf
    from .render import render

    try:
        first = pdf.convert(rendered.data)
        pages = pdf.heading_pages(first, rendered.headings)
        if not pages:
            return rendered, first
        numbered = render(context, template, pages)
        return numbered, pdf.convert(numbered.data)
    except pdf.PdfUnavailable as exc:
        result.problems.append(warning("pdf-unavailable", result.source, str(exc)))
        return rendered, None

"""The library entry points: check a workbook, build its report.

load -> validate -> score -> compose -> render. Each stage collects problems;
a stage runs only when the ones before it found no errors, so that one missing
value does not cascade into a page of follow-on errors.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .compose import compose
from .errors import OutputError, WorkbookError, warning
from .load import load
from .models import Result
from .score import score
from .validate import validate


def _analyse(path: Path) -> tuple[Result, dict | None]:
    result = Result(path.name)
    try:
        workbook, problems = load(path)
    except WorkbookError as exc:
        result.problems.append(exc.problem)
        return result, None
    result.problems += problems
    if result.errors:
        return result, None
    checked, problems = validate(workbook)
    result.problems += problems
    if result.errors:
        return result, None
    result.scores, problems = score(checked)
    result.problems += problems
    if result.errors:
        return result, None
    context, problems = compose(checked, result.scores)
    result.problems += problems
    return result, (None if result.errors else context)


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
    if not os.access(output.parent, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise OutputError(f"没有写入 {output} 的权限：请检查文件是否只读或被其他程序占用")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(data: bytes, output: Path, force: bool) -> None:
    """Write `data` to `output` through a temporary file in the same folder.

    A failure at any point leaves the old report untouched and no partial file;
    with `force` the replaced report is kept as NAME.bak.docx.
    """
    _check_target(output, force)
    handle = tempfile.NamedTemporaryFile(dir=output.parent, prefix=f".{output.stem}.",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(data)
        # the temporary file is private (0600); the report gets the mode a new file would
        os.chmod(handle.name, output.stat().st_mode & 0o777 if output.exists() else 0o666 & ~_umask())
        if output.exists():
            shutil.copy2(output, backup_path(output))
        os.replace(handle.name, output)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def build(path: Path | str, output: Path | str | None = None, *, force: bool = False,
          template: Path | str | None = None, pdf: bool = False) -> Result:
    """Check the workbook and, when it has no errors, write its report.

    With `pdf`, LibreOffice also writes NAME.pdf and the 目录's page numbers
    come from that rendering; without LibreOffice that step is skipped with a
    warning. Returns the Result; `result.output` is the report's path when one
    was written. Raises OutputError when the report cannot be written there.
    """
    from .render import render  # docx libraries load only when a report is built

    path = Path(path)
    target = Path(output) if output else default_output(path)
    _check_target(target, force)
    if pdf:
        _check_target(target.with_suffix(".pdf"), force)
    result, context = _analyse(path)
    if context is None:
        return result
    rendered = render(context, template)
    document = None
    if pdf:
        rendered, document = _with_pdf(rendered, context, template, result)
    write_atomically(rendered.data, target, force)
    if document is not None:
        write_atomically(document, target.with_suffix(".pdf"), force)
    result.output = str(target)
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
